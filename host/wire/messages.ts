// Encoders of every backend message the server sends (PostgreSQL docs, "Message Formats"): the last stage of the
// wire data path before the socket. Each function appends one framed message to a BufferWriter.
import type { SqlError } from '../common/errors.js';
import type { Field } from '../session/api.js';
import { TypeOid, typeLength, typmodOf } from '../types/sql-type.js';
import type { BufferWriter } from './buffer-writer.js';

export function authenticationOk(w: BufferWriter): void { w.begin('R').int32(0).end(); }
export function authenticationCleartextPassword(w: BufferWriter): void { w.begin('R').int32(3).end(); }
export function authenticationMd5Password(w: BufferWriter, salt: Uint8Array): void { w.begin('R').int32(5).bytes(salt).end(); }
/** AuthenticationSASL: the mechanisms offered, e.g. ['SCRAM-SHA-256']. */
export function authenticationSasl(w: BufferWriter, mechanisms: readonly string[]): void {
  w.begin('R').int32(10);
  for (const m of mechanisms) w.cstring(m);
  w.byte(0).end();
}
export function authenticationSaslContinue(w: BufferWriter, data: string): void { w.begin('R').int32(11).utf8(data).end(); }
export function authenticationSaslFinal(w: BufferWriter, data: string): void { w.begin('R').int32(12).utf8(data).end(); }

export function parameterStatus(w: BufferWriter, name: string, value: string): void {
  w.begin('S').cstring(name).cstring(value).end();
}
export function backendKeyData(w: BufferWriter, processId: number, secretKey: Uint8Array): void {
  w.begin('K').int32(processId).bytes(secretKey).end();
}
/** NegotiateProtocolVersion: the newest minor version we support and the `_pq_.` options we did not recognise. */
export function negotiateProtocolVersion(w: BufferWriter, newestMinor: number, unrecognized: readonly string[]): void {
  w.begin('v').int32(newestMinor).int32(unrecognized.length);
  for (const o of unrecognized) w.cstring(o);
  w.end();
}
export function readyForQuery(w: BufferWriter, status: 'I' | 'T' | 'E'): void { w.begin('Z').byte(status.charCodeAt(0)).end(); }

export function parseComplete(w: BufferWriter): void { w.begin('1').end(); }
export function bindComplete(w: BufferWriter): void { w.begin('2').end(); }
export function closeComplete(w: BufferWriter): void { w.begin('3').end(); }
export function noData(w: BufferWriter): void { w.begin('n').end(); }
export function portalSuspended(w: BufferWriter): void { w.begin('s').end(); }
export function emptyQueryResponse(w: BufferWriter): void { w.begin('I').end(); }
export function commandComplete(w: BufferWriter, tag: string): void { w.begin('C').cstring(tag).end(); }

export function parameterDescription(w: BufferWriter, oids: readonly number[]): void {
  w.begin('t').int16(oids.length);
  for (const o of oids) w.uint32(o);
  w.end();
}

/** RowDescription: one entry per column with its table oid/attnum, type oid, typlen, typmod and format code. */
export function rowDescription(w: BufferWriter, fields: readonly Field[], formats: readonly number[]): void {
  w.begin('T').int16(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    w.cstring(f.name).uint32(f.tableOid).int16(f.columnNumber).uint32(TypeOid[f.type.id] ?? TypeOid.unknown)
      .int16(typeLength(f.type)).int32(typmodOf(f.type)).int16(formats[i] ?? 0);
  }
  w.end();
}

/** DataRow from already-encoded cells (null: SQL NULL). */
export function dataRow(w: BufferWriter, cells: readonly (Uint8Array | null)[]): void {
  w.begin('D').int16(cells.length);
  for (const c of cells) {
    if (c === null) w.int32(-1);
    else w.int32(c.length).bytes(c);
  }
  w.end();
}

/** CopyInResponse ('G') / CopyOutResponse ('H'): overall format and one format code per column. */
export function copyInResponse(w: BufferWriter, format: 0 | 1, columns: number): void { copyResponse(w, 'G', format, columns); }
export function copyOutResponse(w: BufferWriter, format: 0 | 1, columns: number): void { copyResponse(w, 'H', format, columns); }
function copyResponse(w: BufferWriter, type: string, format: 0 | 1, columns: number): void {
  w.begin(type).byte(format).int16(columns);
  for (let i = 0; i < columns; i++) w.int16(format);
  w.end();
}
export function copyData(w: BufferWriter, data: Uint8Array): void { w.begin('d').bytes(data).end(); }
export function copyDone(w: BufferWriter): void { w.begin('c').end(); }

/** Fields of ErrorResponse and NoticeResponse (PostgreSQL docs, "Error and Notice Message Fields"). */
function noticeFields(w: BufferWriter, severity: string, e: Pick<SqlError, 'code' | 'message' | 'position' | 'detail' | 'hint' | 'where' | 'schema' | 'table' | 'column'>): void {
  w.byte(0x53).cstring(severity); // S: localized severity
  w.byte(0x56).cstring(severity); // V: severity, never localized
  w.byte(0x43).cstring(String(e.code)); // C
  w.byte(0x4d).cstring(e.message); // M
  if (e.detail !== undefined) w.byte(0x44).cstring(e.detail); // D
  if (e.hint !== undefined) w.byte(0x48).cstring(e.hint); // H
  if (e.position !== undefined) w.byte(0x50).cstring(String(e.position)); // P
  if (e.where !== undefined) w.byte(0x57).cstring(e.where); // W
  if (e.schema !== undefined) w.byte(0x73).cstring(e.schema); // s
  if (e.table !== undefined) w.byte(0x74).cstring(e.table); // t
  if (e.column !== undefined) w.byte(0x63).cstring(e.column); // c
  w.byte(0);
}

export function errorResponse(w: BufferWriter, e: SqlError): void {
  w.begin('E');
  noticeFields(w, e.severity, e);
  w.end();
}

/** NoticeResponse; `severity` is NOTICE unless given (WARNING, INFO, ...). */
export function noticeResponse(w: BufferWriter, n: { code: string; message: string; severity?: string; detail?: string; hint?: string }): void {
  w.begin('N');
  noticeFields(w, n.severity ?? 'NOTICE', n);
  w.end();
}
