// Validity bitmaps (Arrow LSB order): gather selected bits, AND two bitmaps, count set bits.

/**
 * validOut bit i = validSrc bit sel[i], for i in [0, n); writes ceil(n/8) whole bytes (unused high bits are 0).
 * validSrc == 0 means "no nulls": every bit is set. Returns the number of null (clear) bits among the n.
 */
export function gather_bits(validSrc: usize, sel: usize, n: i32, validOut: usize): i32 {
  let ones = 0;
  const full = n >> 3;
  for (let byte = 0; byte < full; byte++) {
    let v = 0xFF;
    if (validSrc != 0) {
      v = 0;
      const s = sel + (<usize>byte << 5);
      for (let b = 0; b < 8; b++) {
        const r = load<i32>(s + (<usize>b << 2));
        v |= ((<i32>load<u8>(validSrc + (<usize>r >>> 3)) >>> (r & 7)) & 1) << b;
      }
    }
    store<u8>(validOut + <usize>byte, <u8>v);
    ones += popcnt(v);
  }
  const rest = n & 7;
  if (rest != 0) {
    let v = 0;
    for (let b = 0; b < rest; b++) {
      let bit = 1;
      if (validSrc != 0) {
        const r = load<i32>(sel + (<usize>(full * 8 + b) << 2));
        bit = (<i32>load<u8>(validSrc + (<usize>r >>> 3)) >>> (r & 7)) & 1;
      }
      v |= bit << b;
    }
    store<u8>(validOut + <usize>full, <u8>v);
    ones += popcnt(v);
  }
  return n - ones;
}

/** out = a AND b over ceil(nbits/8) bytes; a or b == 0 stands for all ones (out may alias a or b). Unused high bits
 *  of the last byte are cleared. */
export function bitmap_and(a: usize, b: usize, out: usize, nbits: i32): void {
  if (nbits <= 0) return;
  const nbytes = (nbits + 7) >>> 3;
  let i = 0;
  if (a != 0 && b != 0) {
    for (; i + 8 <= nbytes; i += 8) store<u64>(out + <usize>i, load<u64>(a + <usize>i) & load<u64>(b + <usize>i));
    for (; i < nbytes; i++) store<u8>(out + <usize>i, load<u8>(a + <usize>i) & load<u8>(b + <usize>i));
  } else if (a != 0 || b != 0) {
    const s = a != 0 ? a : b;
    if (s != out) memory.copy(out, s, <usize>nbytes);
  } else {
    memory.fill(out, 0xFF, <usize>nbytes);
  }
  if ((nbits & 7) != 0) {
    const last = out + <usize>(nbytes - 1);
    store<u8>(last, <u8>(<i32>load<u8>(last) & ((1 << (nbits & 7)) - 1)));
  }
}

/** Number of set bits among the first nbits of bitmap a (a == 0: nbits). */
export function bitmap_count(a: usize, nbits: i32): i32 {
  if (nbits <= 0) return 0;
  if (a == 0) return nbits;
  let c: i64 = 0;
  const words = nbits >>> 6;
  for (let w = 0; w < words; w++) c += popcnt(load<u64>(a + (<usize>w << 3)));
  for (let i = words << 6; i < nbits; i++) c += (<i64>load<u8>(a + (<usize>i >>> 3)) >>> (i & 7)) & 1;
  return <i32>c;
}
