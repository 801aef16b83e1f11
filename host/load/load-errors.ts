// Load errors of COPY: Redshift's error codes, the per-row error a parser or converter raises, and the
// STL_LOAD_ERRORS rows kept per engine (read by host/catalog/system-views.ts). Sits between the format
// parsers (host/load/*) and the row builder that counts errors against MAXERROR.
import { SqlError, SqlState } from '../common/errors.js';
import type { SqlType } from '../types/sql-type.js';

/**
 * Redshift's load error codes (Redshift Database Developer Guide, "Load error reference").
 * Only the codes this loader raises are listed.
 */
export const LoadErrorCode = {
  unknownParse: 1200,
  extraColumns: 1202,
  missingColumns: 1203,
  outOfRange: 1204,
  dateFormat: 1205,
  timestampFormat: 1206,
  invalidDigit: 1207,
  floatFormat: 1208,
  decimalFormat: 1209,
  booleanFormat: 1210,
  notNull: 1213,
  delimiterNotFound: 1214,
  invalidUtf8: 1220,
} as const;

/** One bad input row: raised by a format parser or a field conversion, recorded unless MAXERROR is exceeded. */
export class LoadRowError extends Error {
  constructor(readonly code: number, reason: string, readonly colname = '', readonly field = '', readonly position = 0, readonly colType?: SqlType) {
    super(reason);
  }
}

/** One STL_LOAD_ERRORS row (Redshift "STL_LOAD_ERRORS"). */
export interface LoadErrorRow {
  /** The loading user's name (the view shows its id). */
  user: string;
  slice: number;
  tbl: number;
  /** Microseconds since 1970 (the engine's timestamp representation). */
  starttime: bigint;
  session: number;
  query: number;
  filename: string;
  lineNumber: number;
  colname: string;
  type: string;
  colLength: string;
  position: number;
  rawLine: string;
  rawFieldValue: string;
  errCode: number;
  errReason: string;
}

/** How many rows each engine keeps (oldest dropped first), like the bounded query log. */
const KEEP = 10000;
const logs = new WeakMap<object, LoadErrorRow[]>();

/** The STL_LOAD_ERRORS rows of an engine (any object identifying it), oldest first. */
export function loadErrorsOf(engine: object): LoadErrorRow[] {
  let l = logs.get(engine);
  if (!l) { l = []; logs.set(engine, l); }
  return l;
}

export function recordLoadError(engine: object, row: LoadErrorRow): void {
  const l = loadErrorsOf(engine);
  l.push(row);
  if (l.length > KEEP) l.shift();
}

/** STL_LOAD_ERRORS as system-view rows, char columns padded to their Redshift widths. */
export function loadErrorViewRows(engine: object, userOid: (user: string) => number): unknown[][] {
  return loadErrorsOf(engine).map((e) => [userOid(e.user), e.slice, e.tbl, e.starttime, e.session, e.query, pad(e.filename, 256), BigInt(e.lineNumber),
    pad(e.colname, 127), pad(e.type, 10), pad(e.colLength, 10), e.position, pad(e.rawLine, 1024), pad(e.rawFieldValue, 1024), e.errCode, pad(e.errReason, 100)]);
}

function pad(s: string, n: number): string { return s.length >= n ? s.slice(0, n) : s.padEnd(n); }

/** The short type name Redshift shows in STL_LOAD_ERRORS.type (int4, varchar, numeric ...). */
export function typeName(t: SqlType): string { return t.id; }

/** col_length: the declared length of character columns, or precision,scale of numeric ones. */
export function colLength(t: SqlType): string {
  if ((t.id === 'varchar' || t.id === 'bpchar') && t.length !== undefined && t.length >= 0) return String(t.length);
  if (t.id === 'numeric' && t.precision !== undefined) return `${t.precision},${t.scale ?? 0}`;
  return '0';
}

/** Maps a conversion failure (a SqlError from the cast functions) to Redshift's load error code and reason. */
export function classifyCastError(e: unknown, t: SqlType, colname: string, field: string): LoadRowError {
  if (e instanceof LoadRowError) return e;
  const code = e instanceof SqlError ? e.code : '';
  const msg = e instanceof Error ? e.message : String(e);
  const shown = field.length > 60 ? `${field.slice(0, 60)}...` : field;
  if (code === SqlState.stringDataRightTruncation) return new LoadRowError(LoadErrorCode.outOfRange, 'String length exceeds DDL length', colname, field, 0, t);
  if (code === SqlState.numericValueOutOfRange) return new LoadRowError(LoadErrorCode.outOfRange, `Overflow, Value '${shown}', Pos 0, Type: ${redshiftTypeWord(t)}`, colname, field, 0, t);
  switch (t.id) {
    case 'int2': case 'int4': case 'int8': {
      const pos = Math.max(0, [...field.trim()].findIndex((ch, i) => !(/[0-9]/.test(ch) || (i === 0 && /[-+]/.test(ch)))));
      return new LoadRowError(LoadErrorCode.invalidDigit, `Invalid digit, Value '${[...field.trim()][pos] ?? ''}', Pos ${pos}, Type: ${redshiftTypeWord(t)}`, colname, field, pos, t);
    }
    case 'float4': case 'float8': return new LoadRowError(LoadErrorCode.floatFormat, `Invalid float value '${shown}'`, colname, field, 0, t);
    case 'numeric': return new LoadRowError(LoadErrorCode.decimalFormat, `Invalid decimal value '${shown}'`, colname, field, 0, t);
    case 'bool': return new LoadRowError(LoadErrorCode.booleanFormat, `Invalid boolean value '${shown}'`, colname, field, 0, t);
    case 'date': return new LoadRowError(LoadErrorCode.dateFormat, `Invalid Date Format - ${msg}`.slice(0, 100), colname, field, 0, t);
    case 'timestamp': case 'timestamptz': case 'time': case 'timetz':
      return new LoadRowError(LoadErrorCode.timestampFormat, `Invalid timestamp format or value - ${msg}`.slice(0, 100), colname, field, 0, t);
    default: return new LoadRowError(LoadErrorCode.unknownParse, msg.slice(0, 100), colname, field, 0, t);
  }
}

function redshiftTypeWord(t: SqlType): string {
  switch (t.id) {
    case 'int2': return 'Short'; case 'int4': return 'Integer'; case 'int8': return 'Long';
    case 'numeric': return 'Decimal'; case 'float4': case 'float8': return 'Double';
    default: return t.id;
  }
}

/** Redshift's failure beyond MAXERROR (SQLSTATE XX000), naming the first bad row's file, line and column in the detail. */
export function loadFailed(table: string, first: LoadErrorRow | undefined): SqlError {
  const detail = first ? `error: ${first.errReason}; code: ${first.errCode}; file: ${first.filename}; line: ${first.lineNumber}${first.colname ? `; column: ${first.colname}` : ''}` : undefined;
  return new SqlError(SqlState.internalError, `Load into table '${table}' failed. Check 'stl_load_errors' system table for details.`, detail ? { detail } : {});
}
