// str_hash / str_sel_bytes / gather_str: hashing Utf8 values (group-by and join keys, KEY distribution) and
// materialising the selected values of a Utf8 column after a filter.

import { strStart, strEnd } from './common';

const P1: u64 = 0x9E3779B185EBCA87;
const P2: u64 = 0xC2B2AE3D27D4EB4F;
const P3: u64 = 0x165667B19E3779F9;
const P4: u64 = 0x85EBCA77C2B2AE63;
const P5: u64 = 0x27D4EB2F165667C5;

// @ts-ignore: decorator
@inline function lane(h: u64, w: u64): u64 {
  h ^= rotl<u64>(w * P2, 31) * P1;
  return rotl<u64>(h, 27) * P1 + P4;
}

/**
 * out[i] (u64) = hash of value i: from seed P5 + length, XXH64's lane round over each 8-byte little-endian chunk,
 * the last partial chunk zero-padded, then XXH64's avalanche. Equal byte strings hash equal.
 */
export function str_hash(offsets: usize, data: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const s = data + <usize>strStart(offsets, i);
    const len = strEnd(offsets, i) - strStart(offsets, i);
    let h = P5 + <u64>len;
    let j = 0;
    for (; j + 8 <= len; j += 8) h = lane(h, load<u64>(s + <usize>j));
    if (j < len) {
      let w: u64 = 0;
      for (let b = 0; j + b < len; b++) w |= <u64>load<u8>(s + <usize>(j + b)) << (<u64>b * 8);
      h = lane(h, w);
    }
    h ^= h >> 33; h *= P2;
    h ^= h >> 29; h *= P3;
    store<u64>(out + (<usize>i << 3), h ^ (h >> 32));
  }
}

/** Total bytes of the values sel[0..n) (to size gather_str's output). */
export function str_sel_bytes(offsets: usize, sel: usize, n: i32): i64 {
  let total: i64 = 0;
  for (let i = 0; i < n; i++) {
    const r = load<i32>(sel + (<usize>i << 2));
    total += <i64>(strEnd(offsets, r) - strStart(offsets, r));
  }
  return total;
}

/** Copies values sel[0..n) into a new Utf8 column: outOffsets i32[n + 1] (starting at 0) and outData. Returns the
 *  bytes written (outData needs str_sel_bytes of them). */
export function gather_str(offsets: usize, data: usize, sel: usize, n: i32, outOffsets: usize, outData: usize): i32 {
  let o = 0;
  store<i32>(outOffsets, 0);
  for (let i = 0; i < n; i++) {
    const r = load<i32>(sel + (<usize>i << 2));
    const s = strStart(offsets, r), len = strEnd(offsets, r) - s;
    memory.copy(outData + <usize>o, data + <usize>s, <usize>len);
    o += len;
    store<i32>(outOffsets + (<usize>(i + 1) << 2), o);
  }
  return o;
}
