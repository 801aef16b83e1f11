// Sort keys as numbers: a string or int8 key column turned, once per sort, into a typed array whose
// numeric order is the column's SQL order, so the comparator of a sort (host/exec/operators.ts
// sortIndices) compares numbers instead of trimming strings or reading BigInts per comparison.
import type { Vector } from '../batch/vector.js';
import { compareValues, trimEnd } from '../functions/compare.js';
import { exactAt, wordsOf } from '../functions/i64-words.js';
import { ok } from '../functions/vec.js';

const STRING_IDS = new Set(['bpchar', 'varchar', 'text', 'name']);

/**
 * For each row of `v` (its first n), a number ordered as compareValues orders the values: rows
 * whose values compare equal (strings differing only in trailing blanks, PostgreSQL's bpchar rule
 * that compareValues follows) get the same number. Null when the column is not a string or int8
 * column, or an int8 value is past 2^53 (the caller then compares values). NULL rows get an
 * arbitrary number: the caller tests validity first.
 */
export function sortKeyNumbers(v: Vector, n: number): Float64Array | Int32Array | null {
  if (STRING_IDS.has(v.type.id)) {
    const dict = v.dictionary;
    if (dict !== undefined) {
      const ranks = wordRanks(dict.words, v);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = ranks[dict.codes[i]!]!;
      return out;
    }
    const d = v.data;
    if (!Array.isArray(d)) return null;
    // distinct values first (a sort's rows repeat values), each ranked once
    const ids = new Map<unknown, number>();
    const words: unknown[] = [];
    const rowIds = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = d[i];
      let id = ids.get(x);
      if (id === undefined) { id = words.length; ids.set(x, id); words.push(x); }
      rowIds[i] = id;
    }
    const ranks = wordRanks(words, v);
    for (let i = 0; i < n; i++) rowIds[i] = ranks[rowIds[i]!]!;
    return rowIds;
  }
  const d = v.data;
  if (d instanceof BigInt64Array) {
    const out = new Float64Array(n);
    const w = wordsOf(d);
    for (let i = 0; i < n; i++) {
      // exactly representable (|x| <= 2^53): the double orders as the integer does
      const x = exactAt(w, i);
      if (x !== x) return null;
      out[i] = x;
    }
    return out;
  }
  return null;
}

/**
 * The rank of each of `words` in compareValues order, equal values (after trailing blanks are
 * dropped) sharing one rank. Non-string values (none in a string column but a NULL row's
 * placeholder) rank first; their rows are NULL.
 */
function wordRanks(words: readonly unknown[], v: Vector): Int32Array {
  const keys = words.map((w) => (typeof w === 'string' ? trimEnd(w) : null));
  const order = Array.from({ length: words.length }, (_, i) => i);
  order.sort((a, b) => {
    const x = keys[a], y = keys[b];
    if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const ranks = new Int32Array(words.length);
  let rank = 0;
  for (let j = 0; j < order.length; j++) {
    if (j > 0) {
      const prev = keys[order[j - 1]!], cur = keys[order[j]!];
      if (!(prev === cur || (prev !== null && cur !== null && compareValues(prev, cur, v.type) === 0))) rank++;
    }
    ranks[order[j]!] = rank;
  }
  return ranks;
}

/** One sort key as integers ordered as its values (sortKeyNumbers, or the integer column itself). */
export interface NumericSortKey {
  values: ArrayLike<number>;
  /** Validity bitmap (null: no NULLs). */
  valid: Uint8Array | null;
  desc: boolean;
  nullsFirst: boolean;
}


/**
 * Each row's dense rank under one key: DESC reversed, NULL first (0) or last (after every value) as asked.
 * A key whose values span a range of at most a few times the row count is ranked by marking the values
 * present; a wider one by sorting its values and searching each row's.
 */
function ranksOf(k: NumericSortKey, n: number): { rank: Int32Array; buckets: number } {
  const { values, valid } = k;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!ok(valid, i)) continue;
    const x = values[i]!;
    min = x < min ? x : min;
    max = x > max ? x : max;
  }
  const rank = new Int32Array(n);
  let d = 0;
  if (min > max) d = 0; // every row NULL
  else if (max - min <= Math.max(4 * n, 65536)) {
    const dense = new Int32Array(max - min + 1);
    for (let i = 0; i < n; i++) if (ok(valid, i)) dense[values[i]! - min] = 1;
    for (let x = 0; x < dense.length; x++) { const present = dense[x]!; dense[x] = d; d += present; }
    for (let i = 0; i < n; i++) if (ok(valid, i)) rank[i] = dense[values[i]! - min]!;
  } else {
    const vals = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (ok(valid, i)) vals[m++] = values[i]!;
    const sorted = vals.subarray(0, m).sort();
    for (let j = 0; j < m; j++) if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[d++] = sorted[j]!;
    for (let i = 0; i < n; i++) {
      if (!ok(valid, i)) continue;
      const x = values[i]!;
      let lo = 0, hi = d - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid]! < x) lo = mid + 1; else hi = mid; }
      rank[i] = lo;
    }
  }
  const shift = k.nullsFirst ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (!ok(valid, i)) rank[i] = k.nullsFirst ? 0 : d;
    else rank[i] = (k.desc ? d - 1 - rank[i]! : rank[i]!) + shift;
  }
  return { rank, buckets: d + 1 };
}

/**
 * The row order of a sort whose keys are all integers ordered as their values, without a comparator: a
 * stable counting sort of the rows by each key's dense ranks, from the last key to the first (a radix sort
 * whose digits are the keys), starting from input order, so ties keep input order as the comparator's
 * tiebreak does. Linear in rows and distinct values per key.
 */
export function packedSortOrder(keys: readonly NumericSortKey[], n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Int32Array(n);
  for (let j = keys.length - 1; j >= 0; j--) {
    const { rank, buckets } = ranksOf(keys[j]!, n);
    const start = new Int32Array(buckets + 1);
    for (let i = 0; i < n; i++) start[rank[i]! + 1]!++;
    for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
    for (let i = 0; i < n; i++) { const r = order[i]!; spare[start[rank[r]!]!++] = r; }
    const t = order; order = spare; spare = t;
  }
  return order;
}
