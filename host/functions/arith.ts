// Arithmetic operators over vectors: + - * / % and unary minus for integers, numerics (scaled
// bigints, Redshift's result scales) and floats, with PostgreSQL's overflow and division errors.
import type { Vector } from '../batch/vector.js';
import { allocData } from '../batch/vector.js';
import type { SqlType } from '../types/sql-type.js';
import { andValid, divByZero, mapStrict, ok, overflow, ResultBuilder } from './vec.js';
import { EXACT_MAX, wordsOf } from './i64-words.js';

export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'mod';

const LIMITS = {
  int2: { min: -32768, max: 32767, name: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, name: 'integer' },
} as const;

export const POW10: bigint[] = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));

/** Rounds a / b half away from zero (numeric division and rescaling). */
export function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const absB = b < 0n ? -b : b;
  if (twice >= absB) return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n;
  return q;
}

/** Changes the scale of a scaled numeric value, rounding half away from zero when it shrinks. */
export function rescale(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  if (to > from) return v * POW10[to - from]!;
  return divRound(v, POW10[from - to]!);
}

function intArith(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType): Vector {
  const valid = andValid([a, b], n);
  const id = type.id as 'int2' | 'int4';
  const lim = LIMITS[id];
  const out = allocData(type, n) as Int32Array | Int16Array;
  const x = a.data as Int32Array, y = b.data as Int32Array;
  for (let i = 0; i < n; i++) {
    if (valid !== null && !ok(valid, i)) continue;
    const p = x[i]!, q = y[i]!;
    let r: number;
    switch (op) {
      case 'add': r = p + q; break;
      case 'sub': r = p - q; break;
      case 'mul': r = p * q; if (!Number.isSafeInteger(r)) throw overflow(lim.name); break;
      case 'div': if (q === 0) throw divByZero(); r = Math.trunc(p / q); break;
      case 'mod': if (q === 0) throw divByZero(); r = p % q; if (Object.is(r, -0)) r = 0; break;
    }
    if (r < lim.min || r > lim.max) throw overflow(lim.name);
    out[i] = r;
  }
  return { type, length: n, data: out, valid };
}

function int8Arith(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType): Vector {
  const valid = andValid([a, b], n);
  const out = new BigInt64Array(n);
  const x = a.data as BigInt64Array, y = b.data as BigInt64Array;
  for (let i = 0; i < n; i++) {
    if (valid !== null && !ok(valid, i)) continue;
    const p = x[i]!, q = y[i]!;
    let r: bigint;
    switch (op) {
      case 'add': r = p + q; break;
      case 'sub': r = p - q; break;
      case 'mul': r = p * q; break;
      case 'div': if (q === 0n) throw divByZero(); r = p / q; break;
      case 'mod': if (q === 0n) throw divByZero(); r = p % q; break;
    }
    if (r > 0x7fffffffffffffffn || r < -0x8000000000000000n) throw overflow('bigint');
    out[i] = r;
  }
  return { type, length: n, data: out, valid };
}

function floatArith(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType): Vector {
  const valid = andValid([a, b], n);
  const out = allocData(type, n) as Float64Array;
  const x = a.data as Float64Array, y = b.data as Float64Array;
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!; break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!; break;
    case 'div':
      for (let i = 0; i < n; i++) {
        if (y[i] === 0 && ok(valid, i)) throw divByZero();
        out[i] = x[i]! / y[i]!;
      }
      break;
    case 'mod':
      for (let i = 0; i < n; i++) {
        if (y[i] === 0 && ok(valid, i)) throw divByZero();
        out[i] = x[i]! % y[i]!;
      }
      break;
  }
  return { type, length: n, data: out, valid };
}

/** + - * over scaled numerics that fit in int64: typed-array loops without per-row dispatch. */
function numericArithFast(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType, valid: Uint8Array | null): Vector | null {
  if (!(a.data instanceof BigInt64Array) || !(b.data instanceof BigInt64Array) || (op !== 'add' && op !== 'sub' && op !== 'mul')) return null;
  const s1 = a.type.scale ?? 0, s2 = b.type.scale ?? 0, s = type.scale ?? 0;
  if (op === 'mul' ? s !== s1 + s2 : s < s1 || s < s2) return null;
  const x = a.data, y = b.data;
  const out = new BigInt64Array(n);
  const limit = POW10[Math.min(type.precision ?? 38, 38)]!;
  const lim = limit > I64_LIMIT ? I64_LIMIT : limit;
  const up1 = POW10[s - s1]!, up2 = POW10[s - s2]!;
  for (let i = 0; i < n; i++) {
    let r: bigint;
    if (op === 'mul') r = x[i]! * y[i]!;
    else if (op === 'add') r = (up1 === 1n ? x[i]! : x[i]! * up1) + (up2 === 1n ? y[i]! : y[i]! * up2);
    else r = (up1 === 1n ? x[i]! : x[i]! * up1) - (up2 === 1n ? y[i]! : y[i]! * up2);
    if (r >= lim || r <= -lim) {
      if (valid !== null && !ok(valid, i)) continue;
      return null; // out of int64 or of the type's precision: the exact path decides
    }
    out[i] = r;
  }
  return { type, length: n, data: out, valid };
}

const I64_LIMIT = 0x7fffffffffffffffn;
const TWO32 = 4294967296;

/**
 * + - * over scaled numerics as exact doubles, with no BigInt per row: each input is read from its
 * two 32-bit words, and a row is exact when every operand and the result stay below
 * 2^53 (IEEE rounding is monotone, so a true result at or past 2^53 never rounds below it). Returns
 * null as soon as a valid row leaves that range or the type's precision; the BigInt paths then decide.
 */
function numericArithDouble(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType, valid: Uint8Array | null): Vector | null {
  if (!(a.data instanceof BigInt64Array) || !(b.data instanceof BigInt64Array) || (op !== 'add' && op !== 'sub' && op !== 'mul')) return null;
  const s1 = a.type.scale ?? 0, s2 = b.type.scale ?? 0, s = type.scale ?? 0;
  if (op === 'mul' ? s !== s1 + s2 : s < s1 || s < s2 || s - s1 > 15 || s - s2 > 15) return null;
  const precision = Math.min(type.precision ?? 38, 38);
  // Results must stay below 10^precision (exclusive) and below 2^53 to be exact.
  const bound = precision <= 15 ? 10 ** precision : EXACT_MAX + 1;
  const x = wordsOf(a.data), y = wordsOf(b.data);
  const out = new BigInt64Array(n);
  const o = wordsOf(out);
  // Reads and writes are spelled out in the loops (hi * 2^32 + unsigned lo; ToInt32 for the low
  // word): V8 did not inline the i64-words helpers here, which cost 3x. A row read past 2^53 may
  // round, but only to a magnitude at or past 2^53, which the checks reject the same way.
  if (op === 'mul') {
    for (let i = 0; i < n; i++) {
      const r = (x[2 * i + 1]! * TWO32 + (x[2 * i]! >>> 0)) * (y[2 * i + 1]! * TWO32 + (y[2 * i]! >>> 0));
      if (r < bound && r > -bound) { o[2 * i] = r | 0; o[2 * i + 1] = Math.floor(r / TWO32); continue; }
      if (valid !== null && !ok(valid, i)) continue;
      return null;
    }
  } else {
    const up1 = 10 ** (s - s1), up2 = (op === 'add' ? 1 : -1) * 10 ** (s - s2);
    for (let i = 0; i < n; i++) {
      const p = (x[2 * i + 1]! * TWO32 + (x[2 * i]! >>> 0)) * up1, q = (y[2 * i + 1]! * TWO32 + (y[2 * i]! >>> 0)) * up2;
      const r = p + q;
      if (r < bound && r > -bound && p <= EXACT_MAX && p >= -EXACT_MAX && q <= EXACT_MAX && q >= -EXACT_MAX) {
        o[2 * i] = r | 0; o[2 * i + 1] = Math.floor(r / TWO32);
        continue;
      }
      if (valid !== null && !ok(valid, i)) continue;
      return null;
    }
  }
  return { type, length: n, data: out, valid };
}

function numericArith(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType): Vector {
  const valid = andValid([a, b], n);
  const fast = numericArithDouble(op, a, b, n, type, valid) ?? numericArithFast(op, a, b, n, type, valid);
  if (fast) return fast;
  const s1 = a.type.scale ?? 0, s2 = b.type.scale ?? 0, s = type.scale ?? 0;
  const out = new ResultBuilder(type, n);
  out.valid = valid;
  const x = a.data as ArrayLike<bigint>, y = b.data as ArrayLike<bigint>;
  const limit = POW10[Math.min(type.precision ?? 38, 38)]!;
  const up1 = POW10[Math.max(0, s - s1)]!, up2 = POW10[Math.max(0, s - s2)]!;
  for (let i = 0; i < n; i++) {
    if (valid !== null && !ok(valid, i)) continue;
    const p = x[i]!, q = y[i]!;
    let r: bigint;
    switch (op) {
      case 'add': r = p * up1 + q * up2; break;
      case 'sub': r = p * up1 - q * up2; break;
      case 'mul': r = rescale(p * q, s1 + s2, s); break;
      case 'div': {
        if (q === 0n) throw divByZero();
        // p/10^s1 / (q/10^s2) scaled by 10^s = p * 10^(s - s1 + s2) / q
        const shift = s - s1 + s2;
        r = shift >= 0 ? divRound(p * POW10[shift]!, q) : divRound(p, q * POW10[-shift]!);
        break;
      }
      case 'mod': {
        if (q === 0n) throw divByZero();
        const sc = Math.max(s1, s2);
        r = rescale(rescale(p, s1, sc) % rescale(q, s2, sc), sc, s);
        break;
      }
    }
    if (r >= limit || r <= -limit) throw overflow('numeric');
    out.set(i, r);
  }
  return out.finish();
}

/** a op b where both are already of the operator's input type and `type` is the result type. */
export function arith(op: ArithOp, a: Vector, b: Vector, n: number, type: SqlType): Vector {
  switch (type.id) {
    case 'int2': case 'int4': return intArith(op, a, b, n, type);
    case 'int8': return int8Arith(op, a, b, n, type);
    case 'float4': case 'float8': return floatArith(op, a, b, n, type);
    case 'numeric': return numericArith(op, a, b, n, type);
    default:
      return mapStrict([a, b], n, type, () => { throw overflow(type.id); });
  }
}

export function negate(a: Vector, n: number): Vector {
  const t = a.type;
  switch (t.id) {
    case 'int2': case 'int4': {
      const out = allocData(t, n) as Int32Array;
      const x = a.data as Int32Array;
      const min = t.id === 'int2' ? -32768 : -2147483648;
      for (let i = 0; i < n; i++) { if (x[i] === min && ok(a.valid, i)) throw overflow(t.id === 'int2' ? 'smallint' : 'integer'); out[i] = -x[i]!; }
      return { type: t, length: n, data: out, valid: a.valid };
    }
    case 'float4': case 'float8': {
      const out = allocData(t, n) as Float64Array;
      const x = a.data as Float64Array;
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return { type: t, length: n, data: out, valid: a.valid };
    }
    default:
      return mapStrict([a], n, t, (v: bigint) => {
        if (t.id === 'int8' && v === -0x8000000000000000n) throw overflow('bigint');
        return -v;
      });
  }
}
