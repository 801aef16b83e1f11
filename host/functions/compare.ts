// Comparison operators (= <> < <= > >=) over two vectors of one type, giving a bool vector; and
// the value ordering every sort, MIN/MAX and comparison shares (PostgreSQL's: NaN above all).
import type { Vector } from '../batch/vector.js';
import type { SqlType } from '../types/sql-type.js';
import { andValid } from './vec.js';
import { wordsOf } from './i64-words.js';

export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** -1, 0 or 1 for two non-null internal values of the same type. */
export function compareValues(a: unknown, b: unknown, type: SqlType): number {
  if (type.id === 'bpchar' || type.id === 'varchar' || type.id === 'text' || type.id === 'name') {
    const x = trimEnd(a as string), y = trimEnd(b as string);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a || b !== b) return a !== a ? (b !== b ? 0 : 1) : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (type.id === 'interval') {
    const x = a as { months: number; days: number; micros: number }, y = b as typeof x;
    const kx = (x.months * 30 + x.days) * 86400e6 + x.micros, ky = (y.months * 30 + y.days) * 86400e6 + y.micros;
    return kx < ky ? -1 : kx > ky ? 1 : 0;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

function test(op: CmpOp, c: number): boolean {
  switch (op) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
  }
}

/** a op b as a bool vector (NULL where either side is NULL). Both sides have `type`. */
export function compare(op: CmpOp, a: Vector, b: Vector, n: number): Vector {
  const valid = andValid([a, b], n);
  const out = new Uint8Array(n);
  const t = a.type;
  const x = a.data as ArrayLike<any>, y = b.data as ArrayLike<any>;
  if (x instanceof BigInt64Array && y instanceof BigInt64Array) {
    compareWords(op, x, y, n, out);
    return { type: { id: 'bool' }, length: n, data: out, valid };
  }
  const fast = ArrayBuffer.isView(x) && ArrayBuffer.isView(y) && t.id !== 'float4' && t.id !== 'float8';
  const str = t.id === 'bpchar' || t.id === 'varchar' || t.id === 'text' || t.id === 'name';
  if (str && (op === 'eq' || op === 'ne')) {
    // Equal strings are equal once trailing blanks go (compareValues' rule); most pairs are settled by
    // === or by their lengths, and trimEnd makes no new string when there is no trailing blank.
    const hit = op === 'eq' ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const a = x[i] as string, b = y[i] as string;
      out[i] = a === b || (typeof a === 'string' && typeof b === 'string' && trimEnd(a) === trimEnd(b)) ? hit : 1 - hit;
    }
    return { type: { id: 'bool' }, length: n, data: out, valid };
  }
  if (fast || (!str && t.id !== 'float4' && t.id !== 'float8' && t.id !== 'interval' && t.id !== 'bytea' && t.id !== 'bool')) {
    switch (op) {
      case 'eq': for (let i = 0; i < n; i++) out[i] = x[i] === y[i] ? 1 : 0; break;
      case 'ne': for (let i = 0; i < n; i++) out[i] = x[i] !== y[i] ? 1 : 0; break;
      case 'lt': for (let i = 0; i < n; i++) out[i] = x[i] < y[i] ? 1 : 0; break;
      case 'le': for (let i = 0; i < n; i++) out[i] = x[i] <= y[i] ? 1 : 0; break;
      case 'gt': for (let i = 0; i < n; i++) out[i] = x[i] > y[i] ? 1 : 0; break;
      case 'ge': for (let i = 0; i < n; i++) out[i] = x[i] >= y[i] ? 1 : 0; break;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = test(op, compareValues(x[i], y[i], t)) ? 1 : 0;
  }
  return { type: { id: 'bool' }, length: n, data: out, valid };
}

/**
 * a op b over two int64 columns (int8, numeric within int64) through their 32-bit words: the high
 * words signed, then the low words unsigned. Reading a BigInt64Array element makes a BigInt, so the
 * plain loop allocates two per row.
 */
function compareWords(op: CmpOp, x: BigInt64Array, y: BigInt64Array, n: number, out: Uint8Array): void {
  const wx = wordsOf(x), wy = wordsOf(y);
  // c < 0, 0, > 0 as a <, =, > b; `want` holds the outcomes op accepts (bit 0: <, bit 1: =, bit 2: >)
  const want = op === 'eq' ? 2 : op === 'ne' ? 5 : op === 'lt' ? 1 : op === 'le' ? 3 : op === 'gt' ? 4 : 6;
  for (let i = 0; i < n; i++) {
    const hx = wx[2 * i + 1]!, hy = wy[2 * i + 1]!;
    let bit: number;
    if (hx !== hy) bit = hx < hy ? 1 : 4;
    else {
      const lx = wx[2 * i]! >>> 0, ly = wy[2 * i]! >>> 0;
      bit = lx < ly ? 1 : lx === ly ? 2 : 4;
    }
    out[i] = (want & bit) === 0 ? 0 : 1;
  }
}
