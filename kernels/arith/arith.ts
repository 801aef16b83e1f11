// arith_*: element-wise + - * / % of projections over i32, i64 and f64 columns, with PostgreSQL's overflow checks.
// Integer kernels return 0, or 1 + the first non-null row that overflowed (22003) or divided by zero (22012; the
// host tells them apart by looking at the divisor). Results of null rows are unspecified. Division truncates toward
// zero and % takes the sign of the dividend, as int4div/int4mod do in PostgreSQL's int.c.

import { isValid } from '../common';
import { mulOverflowsI64 } from './overflow';

// OP: 0 add, 1 sub, 2 mul, 3 rsub (k - a), 4 div, 5 mod
// @ts-ignore: decorator
@inline function opI<T>(OP: i32, x: T, y: T): T {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  if (OP == 3) return y - x;
  // divisor 0 and -1 never reach the machine division (0 traps, MIN / -1 traps)
  const bad = y == 0 || y == -1;
  const d: T = bad ? <T>1 : y;
  if (OP == 4) return y == -1 ? <T>0 - x : x / d;
  return y == -1 ? <T>0 : x % d;
}

// @ts-ignore: decorator
@inline function ovfI<T>(OP: i32, x: T, y: T, r: T): i32 {
  if (OP == 0) return <i32>(((x ^ r) & (y ^ r)) < 0);
  if (OP == 1) return <i32>(((x ^ y) & (x ^ r)) < 0);
  if (OP == 3) return <i32>(((y ^ x) & (y ^ r)) < 0);
  if (OP == 2) {
    if (sizeof<T>() == 4) { const p = <i64>x * <i64>y; return <i32>(p != <i64><i32>p); }
    return mulOverflowsI64(<i64>x, <i64>y);
  }
  const min: T = sizeof<T>() == 4 ? <T>i32.MIN_VALUE : <T>i64.MIN_VALUE;
  if (OP == 4) return <i32>(y == 0) | (<i32>(y == -1) & <i32>(x == min));
  return <i32>(y == 0);
}

// @ts-ignore: decorator
@inline function rowOf<T>(a: usize, i: i32): T { return load<T>(a + (<usize>i << alignof<T>())); }

/** Runs OP over rows [0, n); b == 0 means "use constant k". Returns 0 or 1 + first non-null failing row. */
// @ts-ignore: decorator
@inline function runI<T>(OP: i32, a: usize, b: usize, k: T, out: usize, valid: usize, n: i32): i32 {
  let bad = 0, i = 0;
  if (ASC_FEATURE_SIMD && (OP == 0 || OP == 1 || OP == 3)) {
    let acc = i32x4.splat(0);
    const kv = sizeof<T>() == 4 ? i32x4.splat(<i32>k) : i64x2.splat(<i64>k);
    const lanes = 16 / sizeof<T>();
    for (; i + lanes <= n; i += lanes) {
      const off = <usize>i << alignof<T>();
      const x = v128.load(a + off);
      const y = b != 0 ? v128.load(b + off) : kv;
      let r: v128, o: v128;
      if (sizeof<T>() == 4) {
        r = OP == 0 ? i32x4.add(x, y) : OP == 1 ? i32x4.sub(x, y) : i32x4.sub(y, x);
      } else {
        r = OP == 0 ? i64x2.add(x, y) : OP == 1 ? i64x2.sub(x, y) : i64x2.sub(y, x);
      }
      if (OP == 0) o = v128.and(v128.xor(x, r), v128.xor(y, r));
      else if (OP == 1) o = v128.and(v128.xor(x, y), v128.xor(x, r));
      else o = v128.and(v128.xor(y, x), v128.xor(y, r));
      acc = v128.or(acc, o);
      v128.store(out + off, r);
    }
    bad = sizeof<T>() == 4 ? i32x4.bitmask(acc) : i64x2.bitmask(acc);
  }
  for (; i < n; i++) {
    const x = rowOf<T>(a, i), y = b != 0 ? rowOf<T>(b, i) : k;
    const r = opI<T>(OP, x, y);
    bad |= ovfI<T>(OP, x, y, r);
    store<T>(out + (<usize>i << alignof<T>()), r);
  }
  if (bad == 0) return 0;
  for (let j = 0; j < n; j++) {
    const x = rowOf<T>(a, j), y = b != 0 ? rowOf<T>(b, j) : k;
    if (ovfI<T>(OP, x, y, opI<T>(OP, x, y)) & isValid(valid, j)) return j + 1;
  }
  return 0;
}

export function arith_add_i32(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i32>(0, a, b, 0, out, valid, n); }
export function arith_sub_i32(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i32>(1, a, b, 0, out, valid, n); }
export function arith_mul_i32(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i32>(2, a, b, 0, out, valid, n); }
export function arith_div_i32(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i32>(4, a, b, 0, out, valid, n); }
export function arith_mod_i32(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i32>(5, a, b, 0, out, valid, n); }
export function arith_add_i64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i64>(0, a, b, 0, out, valid, n); }
export function arith_sub_i64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i64>(1, a, b, 0, out, valid, n); }
export function arith_mul_i64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i64>(2, a, b, 0, out, valid, n); }
export function arith_div_i64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i64>(4, a, b, 0, out, valid, n); }
export function arith_mod_i64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 { return runI<i64>(5, a, b, 0, out, valid, n); }

export function arith_add_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(0, a, 0, k, out, valid, n); }
export function arith_sub_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(1, a, 0, k, out, valid, n); }
export function arith_mul_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(2, a, 0, k, out, valid, n); }
export function arith_rsub_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(3, a, 0, k, out, valid, n); }
export function arith_div_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(4, a, 0, k, out, valid, n); }
export function arith_mod_const_i32(a: usize, k: i32, out: usize, valid: usize, n: i32): i32 { return runI<i32>(5, a, 0, k, out, valid, n); }
export function arith_add_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(0, a, 0, k, out, valid, n); }
export function arith_sub_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(1, a, 0, k, out, valid, n); }
export function arith_mul_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(2, a, 0, k, out, valid, n); }
export function arith_rsub_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(3, a, 0, k, out, valid, n); }
export function arith_div_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(4, a, 0, k, out, valid, n); }
export function arith_mod_const_i64(a: usize, k: i64, out: usize, valid: usize, n: i32): i32 { return runI<i64>(5, a, 0, k, out, valid, n); }

// f64: IEEE arithmetic, no checks (PostgreSQL's float8 overflow check is left to the host if it wants it).
// @ts-ignore: decorator
@inline function opF(OP: i32, x: f64, y: f64): f64 {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  if (OP == 3) return y - x;
  return x / y;
}

// @ts-ignore: decorator
@inline function opFV(OP: i32, x: v128, y: v128): v128 {
  if (OP == 0) return f64x2.add(x, y);
  if (OP == 1) return f64x2.sub(x, y);
  if (OP == 2) return f64x2.mul(x, y);
  if (OP == 3) return f64x2.sub(y, x);
  return f64x2.div(x, y);
}

// @ts-ignore: decorator
@inline function runF(OP: i32, a: usize, b: usize, k: f64, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const kv = f64x2.splat(k);
    for (; i + 2 <= n; i += 2) {
      const off = <usize>i << 3;
      v128.store(out + off, opFV(OP, v128.load(a + off), b != 0 ? v128.load(b + off) : kv));
    }
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    store<f64>(out + off, opF(OP, load<f64>(a + off), b != 0 ? load<f64>(b + off) : k));
  }
}

export function arith_add_f64(a: usize, b: usize, out: usize, n: i32): void { runF(0, a, b, 0, out, n); }
export function arith_sub_f64(a: usize, b: usize, out: usize, n: i32): void { runF(1, a, b, 0, out, n); }
export function arith_mul_f64(a: usize, b: usize, out: usize, n: i32): void { runF(2, a, b, 0, out, n); }
export function arith_add_const_f64(a: usize, k: f64, out: usize, n: i32): void { runF(0, a, 0, k, out, n); }
export function arith_sub_const_f64(a: usize, k: f64, out: usize, n: i32): void { runF(1, a, 0, k, out, n); }
export function arith_mul_const_f64(a: usize, k: f64, out: usize, n: i32): void { runF(2, a, 0, k, out, n); }
export function arith_rsub_const_f64(a: usize, k: f64, out: usize, n: i32): void { runF(3, a, 0, k, out, n); }
export function arith_div_const_f64(a: usize, k: f64, out: usize, n: i32): void { runF(4, a, 0, k, out, n); }

/** a / b for doubles; returns 1 + the first non-null row whose divisor is 0 (PostgreSQL float8div raises 22012). */
export function arith_div_f64(a: usize, b: usize, out: usize, valid: usize, n: i32): i32 {
  runF(4, a, b, 0, out, n);
  for (let i = 0; i < n; i++) {
    if (load<f64>(b + (<usize>i << 3)) == 0.0 && isValid(valid, i)) return i + 1;
  }
  return 0;
}
