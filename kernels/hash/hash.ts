// hash_rows / hash_i32 / hash_i64: 64-bit hashes of packed key rows, for group-by, hash join and KEY distribution.
// The mix is XXH64's 8-byte lane round and avalanche with seed 0 (so width 1-3 rows hash exactly as XXH64 of
// their bytes). hash_i32(x) == hash_i64(x) == hash_rows of the one-word row [x sign-extended].

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

// @ts-ignore: decorator
@inline function avalanche(h: u64): u64 {
  h ^= h >> 33; h *= P2;
  h ^= h >> 29; h *= P3;
  return h ^ (h >> 32);
}

/** out[i] = hash of key row i (width u64 words at keys + i*width*8), for i in [0, n). */
export function hash_rows(keys: usize, width: i32, n: i32, out: usize): void {
  const rowBytes = <usize>width << 3;
  const seed = P5 + <u64>rowBytes;
  if (width == 1) {
    for (let i = 0; i < n; i++) store<u64>(out + (<usize>i << 3), avalanche(lane(seed, load<u64>(keys + (<usize>i << 3)))));
    return;
  }
  let p = keys;
  for (let i = 0; i < n; i++) {
    let h = seed;
    for (let w = 0; w < width; w++) h = lane(h, load<u64>(p + (<usize>w << 3)));
    store<u64>(out + (<usize>i << 3), avalanche(h));
    p += rowBytes;
  }
}

/** out[i] = hash_rows of the one-word row [col[i] sign-extended to 64 bits]. */
export function hash_i32(col: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) store<u64>(out + (<usize>i << 3), avalanche(lane(P5 + 8, <u64><i64>load<i32>(col + (<usize>i << 2)))));
}

/** out[i] = hash_rows of the one-word row [col[i]]. */
export function hash_i64(col: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) store<u64>(out + (<usize>i << 3), avalanche(lane(P5 + 8, load<u64>(col + (<usize>i << 3)))));
}
