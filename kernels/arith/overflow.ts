// Checked 64-bit integer helpers shared by arithmetic, decimal rescaling and casts (never trap, report overflow).

/** High 64 bits of the unsigned 128-bit product x * y. */
// @ts-ignore: decorator
@inline export function mulHighU64(x: u64, y: u64): u64 {
  const xl = x & 0xFFFFFFFF, xh = x >>> 32, yl = y & 0xFFFFFFFF, yh = y >>> 32;
  const p0 = xl * yl, p1 = xl * yh, p2 = xh * yl, p3 = xh * yh;
  const mid = (p0 >>> 32) + (p1 & 0xFFFFFFFF) + (p2 & 0xFFFFFFFF);
  return p3 + (p1 >>> 32) + (p2 >>> 32) + (mid >>> 32);
}

/** High 64 bits of the signed 128-bit product x * y. */
// @ts-ignore: decorator
@inline export function mulHighS64(x: i64, y: i64): i64 {
  // signed correction of the unsigned product: subtract y when x < 0 and x when y < 0
  return <i64>mulHighU64(<u64>x, <u64>y) - (y & (x >> 63)) - (x & (y >> 63));
}

/** 1 when x * y does not fit in i64. */
// @ts-ignore: decorator
@inline export function mulOverflowsI64(x: i64, y: i64): i32 {
  return <i32>(mulHighS64(x, y) != ((x * y) >> 63));
}
