// Constant vectors without a fresh array per batch: expression evaluation (host/exec/eval.ts) turns a
// literal, a parameter or an init plan's value into views of one filled array per value and thread.
import { physicalOf, type Physical, type SqlType } from '../types/sql-type.js';
import { allocPhysical, constantVector, type Vector } from './vector.js';

/**
 * Rows up to which constants are shared (a batch is at most BATCH_ROWS = 65536 rows; a longer
 * vector, such as a concatenated build side, gets its own array as before).
 */
const SHARED_ROWS_MAX = 1 << 17;
/** Bytes of filled arrays kept per thread; past this the cache starts over (views handed out stay valid). */
const SHARED_BYTES_MAX = 8 << 20;

interface Filled { data: Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array; valid: Uint8Array | null }

const filled = new Map<string, Filled>();
let filledBytes = 0;

/**
 * A vector of n copies of one value, like constantVector, whose data (and, for NULL, validity) may
 * view an array shared with other constant vectors of the same value on this thread. Its arrays
 * must not be written: vectors are read-only to their consumers (an operator writes only arrays
 * it allocated itself), and nothing transfers a batch's buffers to another thread.
 */
export function sharedConstantVector(type: SqlType, value: unknown, n: number): Vector {
  const p = physicalOf(type);
  if (n > SHARED_ROWS_MAX || p === 'str' || p === 'bytes' || p === 'obj') return constantVector(type, value, n);
  const isNull = value === null || value === undefined;
  const fill = isNull ? 0 : type.id === 'bool' ? (value ? 1 : 0) : value;
  const fits = p === 'i64' ? typeof fill === 'bigint' && fill <= 0x7fffffffffffffffn && fill >= -0x8000000000000000n : typeof fill === 'number';
  if (!isNull && !fits) {
    return constantVector(type, value, n);
  }
  const key = isNull ? `${p}:null` : `${p}:${Object.is(fill, -0) ? '-0' : String(fill)}`;
  let f = filled.get(key);
  if (f === undefined || f.data.length < n) f = refill(key, p, fill as number | bigint, isNull, n);
  return { type, length: n, data: f.data.subarray(0, n), valid: f.valid === null ? null : f.valid.subarray(0, (n + 7) >> 3) };
}

function refill(key: string, p: Physical, fill: number | bigint, isNull: boolean, n: number): Filled {
  const rows = Math.max(1024, 1 << Math.ceil(Math.log2(n)));
  const data = allocPhysical(p, rows) as Filled['data'];
  if (!isNull) (data as unknown as { fill(v: number | bigint): void }).fill(fill);
  // an all-clear bitmap: every row NULL
  const valid = isNull ? new Uint8Array((rows + 7) >> 3) : null;
  const f: Filled = { data, valid };
  const old = filled.get(key);
  if (old !== undefined) filledBytes -= old.data.byteLength + (old.valid?.byteLength ?? 0);
  if (filledBytes + data.byteLength > SHARED_BYTES_MAX) { filled.clear(); filledBytes = 0; }
  filled.set(key, f);
  filledBytes += data.byteLength + (valid?.byteLength ?? 0);
  return f;
}
