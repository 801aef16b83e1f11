// agg_*: per-group aggregate updates (accumulators are host-zeroed arrays indexed by group id) and ungrouped sums.
// SUM of integers is exact (i64 for int4, i128 for int8 and scaled decimals); MIN/MAX of floats use PostgreSQL's
// order (NaN greatest). Null rows are skipped; seen_u8 marks groups that got a value (a group without one is NULL).

import { bitAt, pgCmpF64 } from '../common';

// @ts-ignore: decorator
@inline function gidAt(gids: usize, i: i32): usize { return <usize>load<i32>(gids + (<usize>i << 2)); }

/** cnt[gid[i]] += 1. */
export function agg_count_star(gids: usize, n: i32, cnt: usize): void {
  for (let i = 0; i < n; i++) { const p = cnt + (gidAt(gids, i) << 3); store<i64>(p, load<i64>(p) + 1); }
}

/** cnt[gid[i]] += 1 for non-null rows. */
export function agg_count(gids: usize, valid: usize, n: i32, cnt: usize): void {
  if (valid == 0) { agg_count_star(gids, n, cnt); return; }
  for (let i = 0; i < n; i++) { const p = cnt + (gidAt(gids, i) << 3); store<i64>(p, load<i64>(p) + <i64>bitAt(valid, i)); }
}

/** acc_i64[gid[i]] += vals[i] (int4 values, so no overflow before 2^31 rows). */
export function agg_sum_i32(gids: usize, vals: usize, valid: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    let v = <i64>load<i32>(vals + (<usize>i << 2));
    if (valid != 0) v &= -<i64>bitAt(valid, i);
    const p = acc + (gidAt(gids, i) << 3);
    store<i64>(p, load<i64>(p) + v);
  }
}

/** acc_i128[gid[i]] += vals[i]; each accumulator is two i64 words (low, high), two's complement. */
export function agg_sum_i64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    let v = load<i64>(vals + (<usize>i << 3));
    if (valid != 0) v &= -<i64>bitAt(valid, i);
    const p = acc + (gidAt(gids, i) << 4);
    const lo = load<u64>(p);
    const nlo = lo + <u64>v;
    store<u64>(p, nlo);
    store<i64>(p, load<i64>(p, 8) + (v >> 63) + <i64>(nlo < lo), 8);
  }
}

/** acc_f64[gid[i]] += vals[i], in row order. */
export function agg_sum_f64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    if (valid != 0 && bitAt(valid, i) == 0) continue;
    const p = acc + (gidAt(gids, i) << 3);
    store<f64>(p, load<f64>(p) + load<f64>(vals + (<usize>i << 3)));
  }
}

// @ts-ignore: decorator
@inline function minMax<T>(MAX: bool, gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void {
  for (let i = 0; i < n; i++) {
    if (valid != 0 && bitAt(valid, i) == 0) continue;
    const g = gidAt(gids, i);
    const v = load<T>(vals + (<usize>i << alignof<T>()));
    const p = acc + (g << alignof<T>());
    let better: bool;
    if (load<u8>(seen + g) == 0) better = true;
    else if (isFloat<T>()) better = MAX ? pgCmpF64(<f64>v, <f64>load<T>(p)) > 0 : pgCmpF64(<f64>v, <f64>load<T>(p)) < 0;
    else better = MAX ? v > load<T>(p) : v < load<T>(p);
    if (better) { store<T>(p, v); store<u8>(seen + g, 1); }
  }
}

export function agg_min_i32(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<i32>(false, gids, vals, valid, n, acc, seen); }
export function agg_max_i32(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<i32>(true, gids, vals, valid, n, acc, seen); }
export function agg_min_i64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<i64>(false, gids, vals, valid, n, acc, seen); }
export function agg_max_i64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<i64>(true, gids, vals, valid, n, acc, seen); }
export function agg_min_f64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<f64>(false, gids, vals, valid, n, acc, seen); }
export function agg_max_f64(gids: usize, vals: usize, valid: usize, n: i32, acc: usize, seen: usize): void { minMax<f64>(true, gids, vals, valid, n, acc, seen); }

// @ts-ignore: decorator
@inline function rowAt(sel: usize, j: i32): i32 { return sel != 0 ? load<i32>(sel + (<usize>j << 2)) : j; }

/** Sum of the non-null int4 values of rows [0, n) (sel == 0) or rows sel[0..n). */
export function sum_i32_sel(vals: usize, valid: usize, sel: usize, n: i32): i64 {
  let s: i64 = 0;
  if (ASC_FEATURE_SIMD && sel == 0 && valid == 0) {
    let a0 = i64x2.splat(0), a1 = i64x2.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(vals + (<usize>i << 2));
      a0 = i64x2.add(a0, i64x2.extend_low_i32x4_s(v));
      a1 = i64x2.add(a1, i64x2.extend_high_i32x4_s(v));
    }
    const t = i64x2.add(a0, a1);
    s = i64x2.extract_lane(t, 0) + i64x2.extract_lane(t, 1);
    for (; i < n; i++) s += <i64>load<i32>(vals + (<usize>i << 2));
    return s;
  }
  for (let j = 0; j < n; j++) {
    const r = rowAt(sel, j);
    let v = <i64>load<i32>(vals + (<usize>r << 2));
    if (valid != 0) v &= -<i64>bitAt(valid, r);
    s += v;
  }
  return s;
}

/** acc_i128 (low, high words at acc) += sum of the non-null int8 values of rows [0, n) or sel[0..n). */
export function sum_i64_sel(vals: usize, valid: usize, sel: usize, n: i32, acc: usize): void {
  let lo = load<u64>(acc), hi = load<i64>(acc, 8);
  for (let j = 0; j < n; j++) {
    const r = rowAt(sel, j);
    let v = load<i64>(vals + (<usize>r << 3));
    if (valid != 0) v &= -<i64>bitAt(valid, r);
    const nlo = lo + <u64>v;
    hi += (v >> 63) + <i64>(nlo < lo);
    lo = nlo;
  }
  store<u64>(acc, lo);
  store<i64>(acc, hi, 8);
}

/**
 * Sum of the non-null doubles of rows [0, n) or sel[0..n), in a fixed order so every build gives the same bits:
 * the j-th summed value goes to partial j % 4 (nulls add +0.0), the result is (p0 + p2) + (p1 + p3).
 */
export function sum_f64_sel(vals: usize, valid: usize, sel: usize, n: i32): f64 {
  let j = 0;
  if (ASC_FEATURE_SIMD && sel == 0 && valid == 0) {
    let a = f64x2.splat(0), b = f64x2.splat(0);
    for (; j + 4 <= n; j += 4) {
      const p = vals + (<usize>j << 3);
      a = f64x2.add(a, v128.load(p));
      b = f64x2.add(b, v128.load(p, 16));
    }
    let p0 = f64x2.extract_lane(a, 0), p1 = f64x2.extract_lane(a, 1), p2 = f64x2.extract_lane(b, 0), p3 = f64x2.extract_lane(b, 1);
    for (; j < n; j++) {
      const v = load<f64>(vals + (<usize>j << 3));
      const l = j & 3;
      if (l == 0) p0 += v; else if (l == 1) p1 += v; else if (l == 2) p2 += v; else p3 += v;
    }
    return (p0 + p2) + (p1 + p3);
  }
  let p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0;
  for (; j + 4 <= n; j += 4) {
    p0 += valOr0(vals, valid, rowAt(sel, j));
    p1 += valOr0(vals, valid, rowAt(sel, j + 1));
    p2 += valOr0(vals, valid, rowAt(sel, j + 2));
    p3 += valOr0(vals, valid, rowAt(sel, j + 3));
  }
  for (; j < n; j++) {
    const v = valOr0(vals, valid, rowAt(sel, j));
    const l = j & 3;
    if (l == 0) p0 += v; else if (l == 1) p1 += v; else if (l == 2) p2 += v; else p3 += v;
  }
  return (p0 + p2) + (p1 + p3);
}

// @ts-ignore: decorator
@inline function valOr0(vals: usize, valid: usize, r: i32): f64 {
  const v = load<f64>(vals + (<usize>r << 3));
  return valid != 0 && bitAt(valid, r) == 0 ? 0.0 : v;
}
