// SQL types as wasmshift knows them: Redshift's type names, PostgreSQL's OIDs, and the physical
// layout a column of each type has in a batch (host/batch) and in shared memory.

/** Logical type ids. Names follow PostgreSQL's internal type names (pg_type.typname). */
export type TypeId =
  | 'bool' | 'int2' | 'int4' | 'int8' | 'float4' | 'float8' | 'numeric'
  | 'bpchar' | 'varchar' | 'text' | 'name'
  | 'date' | 'time' | 'timetz' | 'timestamp' | 'timestamptz' | 'interval'
  | 'bytea' | 'oid' | 'unknown';

/** A SQL type with its modifiers. `precision`/`scale` for numeric, `length` for bpchar/varchar (-1: unbounded). */
export interface SqlType {
  readonly id: TypeId;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

/** How a column of a type is held in a batch. */
export type Physical =
  | 'u8'      // bool: Uint8Array, 0/1
  | 'i16'     // int2: Int16Array
  | 'i32'     // int4, date (days since 1970-01-01), oid: Int32Array
  | 'i64'     // int8, numeric (scaled integer), time, timestamp, timestamptz (microseconds since 1970-01-01 UTC): BigInt64Array (numeric may also be bigint[] when a value exceeds int64)
  | 'f32'     // float4: Float32Array
  | 'f64'     // float8: Float64Array
  | 'str'     // bpchar, varchar, text, name: string[]
  | 'bytes'   // bytea: Uint8Array[]
  | 'obj';    // interval, unknown: JS values

/** PostgreSQL type OIDs (pg_type.oid), as RowDescription and pg_type report them. */
export const TypeOid: Record<TypeId, number> = {
  bool: 16, bytea: 17, name: 19, int8: 20, int2: 21, int4: 23, text: 25, oid: 26,
  float4: 700, float8: 701, unknown: 705, bpchar: 1042, varchar: 1043, date: 1082, time: 1083,
  timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266, numeric: 1700,
};

/** Redshift's maximum numeric precision (DECIMAL(38, s)). */
export const MAX_NUMERIC_PRECISION = 38;
/** Precision and scale a NUMERIC without modifiers gets in Redshift: DECIMAL(18, 0). */
export const DEFAULT_NUMERIC: Readonly<{ precision: number; scale: number }> = { precision: 18, scale: 0 };

export const T = {
  bool: { id: 'bool' } as SqlType,
  int2: { id: 'int2' } as SqlType,
  int4: { id: 'int4' } as SqlType,
  int8: { id: 'int8' } as SqlType,
  float4: { id: 'float4' } as SqlType,
  float8: { id: 'float8' } as SqlType,
  text: { id: 'text' } as SqlType,
  varchar: { id: 'varchar', length: -1 } as SqlType,
  date: { id: 'date' } as SqlType,
  time: { id: 'time' } as SqlType,
  timestamp: { id: 'timestamp' } as SqlType,
  timestamptz: { id: 'timestamptz' } as SqlType,
  interval: { id: 'interval' } as SqlType,
  unknown: { id: 'unknown' } as SqlType,
  bytea: { id: 'bytea' } as SqlType,
  oid: { id: 'oid' } as SqlType,
  name: { id: 'name' } as SqlType,
  numeric(precision: number, scale: number): SqlType { return { id: 'numeric', precision, scale }; },
  bpchar(length: number): SqlType { return { id: 'bpchar', length }; },
  varcharN(length: number): SqlType { return { id: 'varchar', length }; },
} as const;

export function physicalOf(t: SqlType): Physical {
  switch (t.id) {
    case 'bool': return 'u8';
    case 'int2': return 'i16';
    case 'int4': case 'date': case 'oid': return 'i32';
    case 'int8': case 'numeric': case 'time': case 'timetz': case 'timestamp': case 'timestamptz': return 'i64';
    case 'float4': return 'f32';
    case 'float8': return 'f64';
    case 'bpchar': case 'varchar': case 'text': case 'name': return 'str';
    case 'bytea': return 'bytes';
    default: return 'obj';
  }
}

/** The type modifier PostgreSQL puts in RowDescription/pg_attribute.atttypmod (-1 when none). */
export function typmodOf(t: SqlType): number {
  if (t.id === 'numeric' && t.precision !== undefined) return ((t.precision << 16) | (t.scale ?? 0)) + 4;
  if ((t.id === 'varchar' || t.id === 'bpchar') && t.length !== undefined && t.length >= 0) return t.length + 4;
  return -1;
}

/** The fixed size in bytes (pg_type.typlen), -1 for variable length. */
export function typeLength(t: SqlType): number {
  switch (t.id) {
    case 'bool': return 1;
    case 'int2': return 2;
    case 'int4': case 'date': case 'float4': case 'oid': return 4;
    case 'int8': case 'float8': case 'time': case 'timestamp': case 'timestamptz': return 8;
    case 'interval': return 16;
    case 'timetz': return 12;
    case 'name': return 64;
    default: return -1;
  }
}

/** The name Redshift and format_type() print for a type, e.g. `numeric(12,2)`, `character varying(25)`. */
export function formatType(t: SqlType): string {
  switch (t.id) {
    case 'bool': return 'boolean';
    case 'int2': return 'smallint';
    case 'int4': return 'integer';
    case 'int8': return 'bigint';
    case 'float4': return 'real';
    case 'float8': return 'double precision';
    case 'numeric': return t.precision !== undefined ? `numeric(${t.precision},${t.scale ?? 0})` : 'numeric';
    case 'bpchar': return t.length !== undefined && t.length >= 0 ? `character(${t.length})` : 'character';
    case 'varchar': return t.length !== undefined && t.length >= 0 ? `character varying(${t.length})` : 'character varying';
    case 'timestamp': return 'timestamp without time zone';
    case 'timestamptz': return 'timestamp with time zone';
    case 'time': return 'time without time zone';
    case 'timetz': return 'time with time zone';
    default: return t.id;
  }
}

export function isNumeric(t: SqlType): boolean {
  return t.id === 'int2' || t.id === 'int4' || t.id === 'int8' || t.id === 'numeric' || t.id === 'float4' || t.id === 'float8';
}
export function isInteger(t: SqlType): boolean { return t.id === 'int2' || t.id === 'int4' || t.id === 'int8'; }
export function isString(t: SqlType): boolean {
  return t.id === 'varchar' || t.id === 'bpchar' || t.id === 'text' || t.id === 'name';
}
export function isTemporal(t: SqlType): boolean {
  return t.id === 'date' || t.id === 'timestamp' || t.id === 'timestamptz' || t.id === 'time' || t.id === 'timetz';
}
export function sameType(a: SqlType, b: SqlType): boolean {
  return a.id === b.id && a.precision === b.precision && a.scale === b.scale && a.length === b.length;
}

/** A value of interval type: PostgreSQL keeps months, days and microseconds apart. */
export interface Interval { months: number; days: number; micros: number }
