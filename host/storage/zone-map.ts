// Zone maps of in-memory chunks: per column the smallest and largest non-null value and the NULL
// count, computed when a batch is encoded into a chunk (host/storage/chunk.ts). The leader reads
// them to skip chunks a scan's filter cannot match (host/storage/zone-prune.ts) and the storage
// views show them (STV_BLOCKLIST minvalue/maxvalue).
import type { Vector } from '../batch/vector.js';
import { compareValues } from '../functions/compare.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';

/**
 * One column's zone in a chunk. `min`/`max` are internal values of the column's type (numbers,
 * bigints or strings), ordered as the engine's comparisons order them (compareValues: PostgreSQL
 * order, NaN highest, trailing blanks of strings ignored); both null when every row is NULL.
 */
export interface ColumnZone { nulls: number; min: number | bigint | string | null; max: number | bigint | string | null }

/** Strings longer than this get no zone: a zone must stay small (it crosses to workers with its chunk). */
export const ZONE_MAX_STRING = 64;

const ORDERED = new Set(['i16', 'i32', 'i64', 'f32', 'f64', 'str']);

/** The zone of one column vector, or null for types without a zone (bool, bytea, interval, long strings). */
export function zoneOf(v: Vector, rows: number): ColumnZone | null {
  const type: SqlType = v.type;
  const p = physicalOf(type);
  if (!ORDERED.has(p)) return null;
  const data = v.data;
  // One loop per physical layout, so a chunk's zone costs no per-row boxing (BigInts, generic compares).
  if (data instanceof BigInt64Array) return int64Zone(data, v.valid, rows);
  if (data instanceof Int32Array || data instanceof Int16Array) return numberZone(data, v.valid, rows, false);
  if (data instanceof Float64Array || data instanceof Float32Array) return numberZone(data, v.valid, rows, true);
  if (p === 'str') return textZone(data as ArrayLike<unknown>, v.valid, rows);
  return genericZone(v, rows);
}

const isNull = (valid: Uint8Array | null, i: number): boolean => valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0;

/** Integers and floats; NaN orders above every other value (compareValues, PostgreSQL's float order). */
function numberZone(d: Int32Array | Int16Array | Float64Array | Float32Array, valid: Uint8Array | null, rows: number, floats: boolean): ColumnZone {
  let nulls = 0, min = Infinity, max = -Infinity, any = false, nan = false;
  for (let i = 0; i < rows; i++) {
    if (isNull(valid, i)) { nulls++; continue; }
    const x = d[i]!;
    any = true;
    if (floats && x !== x) { nan = true; continue; }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!any) return { nulls, min: null, max: null };
  if (nan) { if (max === -Infinity && min === Infinity) min = NaN; max = NaN; }
  // -0 and 0 are one value; keep the first one seen as compareValues would (either is fine for pruning).
  return { nulls, min, max };
}

/** int8/numeric/timestamp words compared as (signed high, unsigned low); BigInts only for the two results. */
function int64Zone(d: BigInt64Array, valid: Uint8Array | null, rows: number): ColumnZone {
  const w = new Int32Array(d.buffer, d.byteOffset, rows * 2);
  let nulls = 0, minAt = -1, maxAt = -1;
  let minHi = 0, minLo = 0, maxHi = 0, maxLo = 0;
  for (let i = 0; i < rows; i++) {
    if (isNull(valid, i)) { nulls++; continue; }
    const hi = w[2 * i + 1]!, lo = w[2 * i]! >>> 0;
    if (minAt < 0) { minAt = maxAt = i; minHi = maxHi = hi; minLo = maxLo = lo; continue; }
    if (hi < minHi || (hi === minHi && lo < minLo)) { minAt = i; minHi = hi; minLo = lo; }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) { maxAt = i; maxHi = hi; maxLo = lo; }
  }
  return minAt < 0 ? { nulls, min: null, max: null } : { nulls, min: d[minAt]!, max: d[maxAt]! };
}

/** Strings ordered without their trailing blanks (compareValues), compared in place. */
function textZone(d: ArrayLike<unknown>, valid: Uint8Array | null, rows: number): ColumnZone | null {
  let nulls = 0;
  let min: string | null = null, max: string | null = null, minLen = 0, maxLen = 0;
  for (let i = 0; i < rows; i++) {
    if (isNull(valid, i)) { nulls++; continue; }
    const x = d[i];
    if (x === null || x === undefined) { nulls++; continue; }
    const s = x as string;
    if (s === min || s === max) continue;
    let len = s.length;
    while (len > 0 && s.charCodeAt(len - 1) === 32) len--;
    if (min === null) { min = max = s; minLen = maxLen = len; continue; }
    if (compareTrimmed(s, len, min, minLen) < 0) { min = s; minLen = len; }
    if (compareTrimmed(s, len, max!, maxLen) > 0) { max = s; maxLen = len; }
  }
  if (min !== null && (min.length > ZONE_MAX_STRING || max!.length > ZONE_MAX_STRING)) return null;
  return { nulls, min, max };
}

/** The order of a[0, la) and b[0, lb) by UTF-16 code units, as JavaScript's < orders strings. */
function compareTrimmed(a: string, la: number, b: string, lb: number): number {
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return x - y;
  }
  return la - lb;
}

/** Other layouts (a wide numeric's bigint[]) through compareValues. */
function genericZone(v: Vector, rows: number): ColumnZone | null {
  const data = v.data as ArrayLike<unknown>;
  let nulls = 0;
  let min: unknown = null, max: unknown = null;
  for (let i = 0; i < rows; i++) {
    if (isNull(v.valid, i)) { nulls++; continue; }
    const x = data[i];
    if (x === null || x === undefined) { nulls++; continue; }
    if (min === null) { min = x; max = x; continue; }
    if (compareValues(x, min, v.type) < 0) min = x;
    if (compareValues(x, max, v.type) > 0) max = x;
  }
  if (min !== null && typeof min !== 'number' && typeof min !== 'bigint' && typeof min !== 'string') return null;
  return { nulls, min: min as ColumnZone['min'], max: max as ColumnZone['max'] };
}
