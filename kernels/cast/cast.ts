// cast_*: numeric type conversions of whole columns (projections and implicit coercions chosen by the binder).
// Widening casts cannot fail; narrowing ones return 0, or 1 + the first non-null row out of range (22003).
// Float to integer rounds half away from zero (the brief's choice; note PostgreSQL's dtoi8 uses rint).

import { isValid } from '../common';

// @ts-ignore: decorator
@inline function widen<S, D>(a: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<D>(out + (<usize>i << alignof<D>()), <D>load<S>(a + (<usize>i << alignof<S>())));
}

export function cast_i16_i32(a: usize, out: usize, n: i32): void { widen<i16, i32>(a, out, n); }
export function cast_i32_i64(a: usize, out: usize, n: i32): void { widen<i32, i64>(a, out, n); }
export function cast_i32_f64(a: usize, out: usize, n: i32): void { widen<i32, f64>(a, out, n); }
export function cast_i64_f64(a: usize, out: usize, n: i32): void { widen<i64, f64>(a, out, n); }
export function cast_f32_f64(a: usize, out: usize, n: i32): void { widen<f32, f64>(a, out, n); }
export function cast_f64_f32(a: usize, out: usize, n: i32): void { widen<f64, f32>(a, out, n); }

/** Rounds half away from zero without the x + 0.5 error near 0.5 - ulp. */
// @ts-ignore: decorator
@inline function roundHalfAway(x: f64): f64 {
  const t = trunc(x);
  const d = x - t;
  return d >= 0.5 ? t + 1.0 : d <= -0.5 ? t - 1.0 : t;
}

// @ts-ignore: decorator
@inline function narrow<S, D>(a: usize, out: usize, valid: usize, n: i32): i32 {
  let first = 0;
  for (let i = 0; i < n; i++) {
    const x = load<S>(a + (<usize>i << alignof<S>()));
    let ok: bool, y: D;
    if (isFloat<S>()) {
      const r = roundHalfAway(<f64>x);
      const lo: f64 = sizeof<D>() == 8 ? -9223372036854775808.0 : sizeof<D>() == 4 ? -2147483648.0 : -32768.0;
      ok = r >= lo && r < -lo; // false for NaN and infinities
      y = ok ? <D>r : <D>0;
    } else {
      y = <D>x;
      ok = <S>y == x;
    }
    store<D>(out + (<usize>i << alignof<D>()), y);
    if (!ok && first == 0 && isValid(valid, i)) first = i + 1;
  }
  return first;
}

export function cast_f64_i64(a: usize, out: usize, valid: usize, n: i32): i32 { return narrow<f64, i64>(a, out, valid, n); }
export function cast_f64_i32(a: usize, out: usize, valid: usize, n: i32): i32 { return narrow<f64, i32>(a, out, valid, n); }
export function cast_i64_i32(a: usize, out: usize, valid: usize, n: i32): i32 { return narrow<i64, i32>(a, out, valid, n); }
export function cast_i32_i16(a: usize, out: usize, valid: usize, n: i32): i32 { return narrow<i32, i16>(a, out, valid, n); }
