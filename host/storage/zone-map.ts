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
  const data = v.data as ArrayLike<unknown>;
  const valid = v.valid;
  let nulls = 0;
  let min: unknown = null, max: unknown = null;
  // Typed arrays of integers compare with < directly; floats (NaN) and strings (trailing blanks) do not.
  const fast = ArrayBuffer.isView(data) && p !== 'f32' && p !== 'f64';
  for (let i = 0; i < rows; i++) {
    if (valid && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { nulls++; continue; }
    const x = data[i];
    if (x === null || x === undefined) { nulls++; continue; }
    if (min === null) { min = x; max = x; continue; }
    if (fast) {
      if ((x as number) < (min as number)) min = x; else if ((x as number) > (max as number)) max = x;
    } else {
      if (compareValues(x, min, type) < 0) min = x;
      if (compareValues(x, max, type) > 0) max = x;
    }
  }
  if (min !== null && typeof min !== 'number' && typeof min !== 'bigint' && typeof min !== 'string') return null;
  if (p === 'str' && min !== null && ((min as string).length > ZONE_MAX_STRING || (max as string).length > ZONE_MAX_STRING)) return null;
  return { nulls, min: min as ColumnZone['min'], max: max as ColumnZone['max'] };
}
