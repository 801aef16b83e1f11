// Turns result rows (internal values, host/session/api.ts) into DataRow messages in text or binary format, and
// Bind parameters into the values the session takes: the value conversion step between session and socket.
import { SqlError, SqlState } from '../common/errors.js';
import type { Field } from '../session/api.js';
import type { SqlType } from '../types/sql-type.js';
import { formatText } from '../types/text-format.js';
import type { BufferWriter } from './buffer-writer.js';
import { decodeBinaryParam, writeBinaryCell } from './binary.js';
import { BINARY_FORMAT } from './protocol.js';

/** The text form of a non-null internal value (PostgreSQL's output functions, via host/types/text-format.ts). */
export function textOf(value: unknown, type: SqlType): string { return formatText(value, type); }

/**
 * Expands Bind's result format codes to one per column: none means all text, one applies to all, otherwise
 * there must be exactly one per column (08P01, PostgreSQL's wording).
 */
export function resultFormats(codes: readonly number[], columns: number): number[] {
  if (codes.length === 0) return new Array<number>(columns).fill(0);
  if (codes.length === 1) return new Array<number>(columns).fill(codes[0]!);
  if (codes.length !== columns) {
    throw new SqlError(SqlState.protocolViolation, `bind message has ${codes.length} result formats but query has ${columns} columns`);
  }
  return [...codes];
}

/** Appends one DataRow. `formats[i]` is 0 (text) or 1 (binary). */
export function writeDataRow(w: BufferWriter, row: readonly unknown[], fields: readonly Field[], formats: readonly number[]): void {
  w.begin('D').int16(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const v = row[i];
    if (v === null || v === undefined) { w.int32(-1); continue; }
    const type = fields[i]!.type;
    if (formats[i] === BINARY_FORMAT) writeBinaryCell(w, v, type, textOf);
    else {
      const at = w.reserveInt32();
      const start = w.length;
      w.utf8(typeof v === 'string' && (type.id === 'text' || type.id === 'varchar' || type.id === 'bpchar' || type.id === 'name') ? v : textOf(v, type));
      w.patchInt32(at, w.length - start);
    }
  }
  w.end();
}

/**
 * Bind parameters as the session takes them: text parameters as their strings (the session parses them by the
 * statement's parameter types), binary ones decoded to internal values, NULL as null.
 */
export function bindParams(raw: readonly (Buffer | null)[], formatCodes: readonly number[], types: readonly (SqlType | undefined)[], statement: string): unknown[] {
  if (formatCodes.length > 1 && formatCodes.length !== raw.length) {
    throw new SqlError(SqlState.protocolViolation, `bind message has ${formatCodes.length} parameter formats but ${raw.length} parameters`);
  }
  if (raw.length !== types.length) {
    throw new SqlError(SqlState.protocolViolation, `bind message supplies ${raw.length} parameters, but prepared statement "${statement}" requires ${types.length}`);
  }
  const out: unknown[] = [];
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === null) { out.push(null); continue; }
    const fmt = formatCodes.length === 0 ? 0 : formatCodes.length === 1 ? formatCodes[0]! : formatCodes[i]!;
    if (fmt === BINARY_FORMAT) out.push(decodeBinaryParam(b, types[i], i));
    else {
      const s = b.toString('utf8');
      if (s.includes('\u0000')) throw new SqlError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
      out.push(s);
    }
  }
  return out;
}
