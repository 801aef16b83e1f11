// Sort keys as numbers: a string or int8 key column turned, once per sort, into a typed array whose
// numeric order is the column's SQL order, so the comparator of a sort (host/exec/operators.ts
// sortIndices) compares numbers instead of trimming strings or reading BigInts per comparison.
import type { Vector } from '../batch/vector.js';
import { compareValues, trimEnd } from '../functions/compare.js';
import { exactAt, wordsOf } from '../functions/i64-words.js';

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
