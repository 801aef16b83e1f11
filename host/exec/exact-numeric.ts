// Exact evaluation of integer and NUMERIC `+ - *` trees as doubles, for the aggregate operator
// (host/exec/hash-agg.ts): an aggregate argument such as TPC-H Q1's
// `l_extendedprice * (1 - l_discount) * (1 + l_tax)` is computed into reused Float64Arrays of scaled
// integers below 2^53 and summed from there, with no BigInt64Array per operator and batch.
import type { Batch } from '../batch/vector.js';
import { EXACT_MAX, HI_LIMIT, TWO32, wordsOf } from '../functions/i64-words.js';
import type { Expr } from '../plan/expr.js';
import type { SqlType } from '../types/sql-type.js';

/**
 * A numeric-valued expression over a batch: row i's value times 10^scale of its type is `values[i]`,
 * an integer of magnitude at most 2^53 - 1 (exact in a double). Rows that `valid` marks NULL hold
 * some value of that range, to be ignored.
 */
export interface ExactVector {
  values: Float64Array;
  valid: Uint8Array | null;
  /** An upper bound of |values[i]| over the rows 0..n-1 (so a sum of k of them stays below k * maxAbs). */
  maxAbs: number;
}

/** The inclusive magnitude bound of a type's values as scaled integers, within the exact range. */
function boundOf(t: SqlType): { lo: number; hi: number } | null {
  switch (t.id) {
    case 'int2': return { lo: -32768, hi: 32767 };
    case 'int4': return { lo: -2147483648, hi: 2147483647 };
    case 'int8': return { lo: -EXACT_MAX, hi: EXACT_MAX };
    case 'numeric': {
      // PostgreSQL's numeric(p, s) holds |v| < 10^p scaled units (docs: "Arbitrary Precision Numbers").
      const p = Math.min(t.precision ?? 38, 38);
      const m = p <= 15 ? 10 ** p - 1 : EXACT_MAX;
      return { lo: -m, hi: m };
    }
    default: return null;
  }
}

const scaleOf = (t: SqlType): number => (t.id === 'numeric' ? t.scale ?? 0 : 0);

/**
 * Whether `e` has an exact form: integer/numeric columns and constants combined by `+ - *` and
 * widening casts, with the result scales the arithmetic in host/functions/arith.ts gives them.
 * Evaluation may still decline a batch (a value past 2^53 or past the type's precision).
 */
export function hasExactForm(e: Expr): boolean {
  if (boundOf(e.type) === null) return false;
  switch (e.k) {
    case 'col': return true;
    case 'const': return constantUnits(e.value) !== null;
    case 'cast': {
      const f = e.arg.type;
      if (boundOf(f) === null || !hasExactForm(e.arg)) return false;
      // Only casts that keep or widen the scale (a narrowing cast rounds: the vector path does it).
      return scaleOf(e.type) >= scaleOf(f) && scaleOf(e.type) - scaleOf(f) <= 15;
    }
    case 'fn': {
      if ((e.name !== 'add' && e.name !== 'sub' && e.name !== 'mul') || e.args.length !== 2) return false;
      const [a, b] = e.args as [Expr, Expr];
      if (!hasExactForm(a) || !hasExactForm(b)) return false;
      if (e.type.id === 'numeric') {
        if (a.type.id !== 'numeric' || b.type.id !== 'numeric') return false;
        const s = scaleOf(e.type), s1 = scaleOf(a.type), s2 = scaleOf(b.type);
        return e.name === 'mul' ? s === s1 + s2 : s >= s1 && s >= s2 && s - s1 <= 15 && s - s2 <= 15;
      }
      // Integer arithmetic runs in the operands' own (already widened) type.
      return a.type.id === e.type.id && b.type.id === e.type.id;
    }
    default: return false;
  }
}

/** A constant's scaled value as an exact double, or null (NULL, or past 2^53). */
function constantUnits(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'bigint') return v <= BigInt(EXACT_MAX) && v >= -BigInt(EXACT_MAX) ? Number(v) : null;
  return null;
}

/** AND of two validity bitmaps (null = all valid); a fresh array when both are present. */
function andValid(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const bytes = (n + 7) >> 3;
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** Whether row i is NULL in a bitmap (null = all valid). */
function isNull(valid: Uint8Array | null, i: number): boolean {
  return valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0;
}

/**
 * Evaluates exact forms over one batch at a time, keeping each subexpression's result for the batch
 * (Q1's `l_extendedprice * (1 - l_discount)` feeds two sums) and reusing the value arrays from one
 * batch to the next. A result is valid until the next `clear()`.
 */
export class ExactEvaluator {
  private readonly keys = new WeakMap<Expr, string>();
  private readonly memo = new Map<string, ExactVector | null>();
  /** Value arrays handed out this batch, and the ones free for reuse. */
  private used: Float64Array[] = [];
  private free: Float64Array[] = [];
  /** Starts a new batch: earlier results are dropped and their arrays reused. */
  clear(): void {
    this.memo.clear();
    for (const a of this.used) this.free.push(a);
    this.used = [];
  }
  /** `e` over batch b (hasExactForm(e) must hold), or null when some valid row leaves the exact range. */
  eval(e: Expr, b: Batch): ExactVector | null {
    let key = this.keys.get(e);
    if (key === undefined) {
      key = JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
      this.keys.set(e, key);
    }
    if (this.memo.has(key)) return this.memo.get(key)!;
    const out = this.compute(e, b);
    this.memo.set(key, out);
    return out;
  }
  private take(n: number): Float64Array {
    let a = this.free.pop();
    if (a === undefined || a.length < n) a = new Float64Array(Math.max(n, 1024));
    this.used.push(a);
    return a;
  }
  private compute(e: Expr, b: Batch): ExactVector | null {
    const n = b.length;
    const bound = boundOf(e.type)!;
    switch (e.k) {
      case 'col': return this.column(b, e.idx, n, bound.lo, bound.hi);
      case 'const': {
        const v = constantUnits(e.value)!;
        if (v < bound.lo || v > bound.hi) return null;
        return { values: this.take(n).fill(v, 0, n), valid: null, maxAbs: Math.abs(v) };
      }
      case 'cast': {
        const x = this.eval(e.arg, b);
        if (x === null) return null;
        const up = 10 ** (scaleOf(e.type) - scaleOf(e.arg.type));
        const maxAbs = x.maxAbs * up;
        if (up === 1 && maxAbs <= bound.hi && -maxAbs >= bound.lo) return x;
        return this.map2(x.values, up, x.values, 0, x.valid, maxAbs, n, bound.lo, bound.hi);
      }
      case 'fn': {
        const x = this.eval(e.args[0]!, b);
        if (x === null) return null;
        const y = this.eval(e.args[1]!, b);
        if (y === null) return null;
        const valid = andValid(x.valid, y.valid, n);
        if (e.name === 'mul') return this.product(x.values, y.values, valid, x.maxAbs * y.maxAbs, n, bound.lo, bound.hi);
        const s = scaleOf(e.type);
        const up1 = 10 ** (s - scaleOf(e.args[0]!.type));
        const up2 = (e.name === 'add' ? 1 : -1) * 10 ** (s - scaleOf(e.args[1]!.type));
        return this.map2(x.values, up1, y.values, up2, valid, x.maxAbs * up1 + y.maxAbs * Math.abs(up2), n, bound.lo, bound.hi);
      }
      default: return null;
    }
  }
  /** A batch column as exact doubles: int2/int4 as they are, int8/numeric from their 32-bit words. */
  private column(b: Batch, idx: number, n: number, lo: number, hi: number): ExactVector | null {
    const v = b.columns[idx]!;
    const d = v.data, valid = v.valid;
    const out = this.take(n);
    // The largest and smallest row give the bound; a NULL row's value counts too (harmless).
    let max = 0, min = 0;
    if (d instanceof BigInt64Array) {
      const w = wordsOf(d);
      if (valid === null) {
        // No NULL rows: convert every row, then test the range once. A value at or past 2^53 becomes a
        // double at or past 2^53 (rounding is monotone), so it fails the test like it would row by row.
        for (let i = 0; i < n; i++) {
          const x = w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
          out[i] = x;
          max = x > max ? x : max;
          min = x < min ? x : min;
        }
        return max <= hi && min >= lo ? { values: out, valid, maxAbs: Math.max(max, -min) } : null;
      }
      for (let i = 0; i < n; i++) {
        const h = w[2 * i + 1]!;
        const x = h < HI_LIMIT && h >= -HI_LIMIT ? h * TWO32 + (w[2 * i]! >>> 0) : NaN;
        if (x >= lo && x <= hi) {
          out[i] = x;
          if (x > max) max = x; else if (x < min) min = x;
          continue;
        }
        if (!isNull(valid, i)) return null;
        out[i] = 0;
      }
      return { values: out, valid, maxAbs: Math.max(max, -min) };
    }
    if (d instanceof Int32Array || d instanceof Int16Array) {
      for (let i = 0; i < n; i++) {
        const x = d[i]!;
        out[i] = x;
        max = x > max ? x : max;
        min = x < min ? x : min;
      }
      return { values: out, valid, maxAbs: Math.max(max, -min) };
    }
    return null; // a batch holding values past int64 (bigint[]): the vector path takes it
  }
  /**
   * x * y per row, within [lo, hi]. Both operands are exact integers; the double product is exact
   * when the true product is below 2^53, and rounding is monotone, so a true product at or past 2^53
   * never lands inside. When the operands' bounds keep every product inside, no row is checked.
   */
  private product(x: Float64Array, y: Float64Array, valid: Uint8Array | null, maxAbs: number, n: number, lo: number, hi: number): ExactVector | null {
    const out = this.take(n);
    if (maxAbs <= hi && -maxAbs >= lo && maxAbs <= EXACT_MAX) {
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      return { values: out, valid, maxAbs };
    }
    let max = 0;
    for (let i = 0; i < n; i++) {
      const r = x[i]! * y[i]!;
      if (r >= lo && r <= hi) { out[i] = r; max = r > max ? r : -r > max ? -r : max; continue; }
      if (!isNull(valid, i)) return null;
      out[i] = 0;
    }
    return { values: out, valid, maxAbs: max };
  }
  /**
   * x * up1 + y * up2 per row, within [lo, hi]: operands rescaled to the result's scale (up2 < 0
   * subtracts; a widening cast is x * up + y * 0). Unchecked when the bounds keep every row inside.
   */
  private map2(x: Float64Array, up1: number, y: Float64Array, up2: number, valid: Uint8Array | null, maxAbs: number, n: number, lo: number, hi: number): ExactVector | null {
    const out = this.take(n);
    if (maxAbs <= hi && -maxAbs >= lo && maxAbs <= EXACT_MAX) {
      for (let i = 0; i < n; i++) out[i] = x[i]! * up1 + y[i]! * up2;
      return { values: out, valid, maxAbs };
    }
    let max = 0;
    for (let i = 0; i < n; i++) {
      const p = x[i]! * up1, q = y[i]! * up2;
      const r = p + q;
      if (r >= lo && r <= hi && p <= EXACT_MAX && p >= -EXACT_MAX && q <= EXACT_MAX && q >= -EXACT_MAX) {
        out[i] = r;
        max = r > max ? r : -r > max ? -r : max;
        continue;
      }
      if (!isNull(valid, i)) return null;
      out[i] = 0;
    }
    return { values: out, valid, maxAbs: max };
  }
}
