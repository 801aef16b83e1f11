// Helpers for Arrow Utf8 columns (i32 offsets[n + 1] and a byte buffer): value bounds and byte-order comparison.

/** Byte offset of the first byte of value r (offsets is i32[n + 1]). */
// @ts-ignore: decorator
@inline export function strStart(offsets: usize, r: i32): i32 { return load<i32>(offsets + (<usize>r << 2)); }
/** Byte offset one past the last byte of value r. */
// @ts-ignore: decorator
@inline export function strEnd(offsets: usize, r: i32): i32 { return load<i32>(offsets + (<usize>r << 2), 4); }

/** memcmp-style three-way comparison of byte strings a[0..al) and b[0..bl), then by length (C collation). */
// @ts-ignore: decorator
@inline export function bytesCmp(a: usize, al: i32, b: usize, bl: i32): i32 {
  const m = al < bl ? al : bl;
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const x = load<u64>(a + <usize>i), y = load<u64>(b + <usize>i);
    if (x != y) {
      const xs = bswap<u64>(x), ys = bswap<u64>(y);
      return xs < ys ? -1 : 1;
    }
  }
  for (; i < m; i++) {
    const x = <i32>load<u8>(a + <usize>i), y = <i32>load<u8>(b + <usize>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/** Length in bytes of the UTF-8 character whose first byte is c (1 for a stray continuation byte). */
// @ts-ignore: decorator
@inline export function utf8Len(c: i32): i32 {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
