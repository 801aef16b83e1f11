// Row keys for hashing: equal SQL values (per PostgreSQL equality) give equal JS Map keys. Used by
// hash join, hash aggregation, DISTINCT and set operations.
import type { Vector } from '../batch/vector.js';
import { ok } from '../functions/vec.js';
import { trimEnd } from '../functions/compare.js';

export type KeyFn = (i: number) => unknown;

/** A function giving row i's key over the key vectors, or null when any key column is NULL. */
export function keyFunction(cols: readonly Vector[], nullsEqual = false): (i: number) => unknown | null {
  if (cols.length === 1) {
    const v = cols[0]!;
    const d = v.data as ArrayLike<unknown>;
    const t = v.type.id;
    const valid = v.valid;
    if (t === 'bpchar' || t === 'varchar' || t === 'text' || t === 'name') return (i) => (ok(valid, i) ? trimEnd(d[i] as string) : nullsEqual ? NULL_KEY : null);
    if (t === 'float4' || t === 'float8') return (i) => (ok(valid, i) ? ((d[i] as number) === 0 ? 0 : d[i]) : nullsEqual ? NULL_KEY : null);
    if (t === 'interval' || t === 'bytea') return (i) => (ok(valid, i) ? JSON.stringify(d[i], (_k, x) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x)) : nullsEqual ? NULL_KEY : null);
    // BigInt keys hash slowly in a Map: use the number when it is exact (|v| < 2^53), as both
    // sides of a join and every batch of an aggregation do the same.
    if (d instanceof BigInt64Array || (Array.isArray(d) && typeof d[0] === 'bigint')) {
      const big = d as ArrayLike<bigint>;
      const num = (x: bigint): number | bigint => (x >= -9007199254740991n && x <= 9007199254740991n ? Number(x) : x);
      if (valid === null) return (i) => num(big[i]!);
      return (i) => (ok(valid, i) ? num(big[i]!) : nullsEqual ? NULL_KEY : null);
    }
    if (valid === null) return (i) => d[i];
    return (i) => (ok(valid, i) ? d[i] : nullsEqual ? NULL_KEY : null);
  }
  const parts = cols.map((c) => keyFunction([c], nullsEqual));
  return (i) => {
    let s = '';
    for (const p of parts) {
      const k = p(i);
      if (k === null) return null;
      s += typeof k === 'string' ? `s${k.length}:${k}` : typeof k === 'bigint' ? `b${k}|` : `n${String(k)}|`;
    }
    return s;
  };
}

/** Stands for NULL in keys where NULLs group together (GROUP BY, DISTINCT, set operations). */
export const NULL_KEY = '\u0000NULL\u0000';
