// join_build / join_bloom_build / join_probe / join_probe_exists / mark_u8: the hash join over packed key rows.
// Build chains rows per hash bucket (heads[cap] + next[n]) and may set a bloom filter of the build hashes; probe
// skips rows the bloom rules out, then walks the chain comparing hash then key words.

import { rowsEqual } from '../common-keys';

/**
 * Links build rows 0..n-1 into chains: heads i32[cap] (cap a power of two, host-filled with -1) holds the first
 * row of each bucket, next[i] the row after i (-1 ends a chain). Rows are inserted from n-1 down to 0 so every
 * chain lists rows in ascending order, which makes probe output deterministic.
 */
export function join_build(keys: usize, width: i32, hashes: usize, n: i32, heads: usize, cap: i32, next: usize): void {
  const mask = cap - 1;
  for (let i = n - 1; i >= 0; i--) {
    const slot = <usize>(<i32>load<u64>(hashes + (<usize>i << 3)) & mask) << 2;
    store<i32>(next + (<usize>i << 2), load<i32>(heads + slot));
    store<i32>(heads + slot, i);
  }
}

/**
 * The two bloom bits of a hash, in one u64 word: bits 52..57 and 58..63 of the hash pick them, bits 32.. pick the
 * word (bloomWord), so neither depends on the low bits that pick the chain's bucket.
 */
// @ts-ignore: decorator
@inline function bloomBits(h: u64): u64 { return (<u64>1 << ((h >> 52) & 63)) | (<u64>1 << (h >> 58)); }
// @ts-ignore: decorator
@inline function bloomWord(bloom: usize, bmask: i32, h: u64): usize { return bloom + (<usize>(<i32>(h >> 32) & bmask) << 3); }
/** Whether the bloom (0: none) may hold hash h: false means no build row has it. */
// @ts-ignore: decorator
@inline function bloomMay(bloom: usize, bmask: i32, h: u64): bool {
  if (bloom == 0) return true;
  const bits = bloomBits(h);
  return (load<u64>(bloomWord(bloom, bmask, h)) & bits) == bits;
}

/**
 * Sets the bloom bits of n build hashes: bloom is u64[bmask + 1] (bmask + 1 a power of two, at most 2^20 words),
 * zeroed by the host. join_probe and join_probe_exists given it skip probe rows whose bits are not all set
 * without touching the chains (most probe rows of a selective join).
 */
export function join_bloom_build(hashes: usize, n: i32, bloom: usize, bmask: i32): void {
  for (let i = 0; i < n; i++) {
    const h = load<u64>(hashes + (<usize>i << 3));
    const w = bloomWord(bloom, bmask, h);
    store<u64>(w, load<u64>(w) | bloomBits(h));
  }
}

/**
 * Emits (probe row, build row) pairs with equal key rows into outProbe/outBuild (i32 each), probe rows in order and
 * build rows ascending per probe row; at most maxOut pairs per call. state is two i32 words, zeroed by the host
 * before the first call: state[0] = next probe row, state[1] = 1 + next build row to test within its chain (0 =
 * start of the chain). Returns the number of pairs written; the join is complete when state[0] == pn.
 * With a bloom (join_bloom_build; 0 = none), rows it rules out are skipped, and state[2] (a third word, zeroed with
 * the others) counts the probe rows it let through, so the host can drop a bloom that rules out too few.
 */
export function join_probe(pkeys: usize, width: i32, phashes: usize, pn: i32, bkeys: usize, bhashes: usize,
  heads: usize, cap: i32, next: usize, state: usize, outProbe: usize, outBuild: usize, maxOut: i32, bloom: usize, bmask: i32): i32 {
  const mask = cap - 1;
  const rowBytes = <usize>width << 3;
  let p = load<i32>(state);
  let resume = load<i32>(state, 4);
  let out = 0;
  let touched = 0;
  let passed = 0;
  while (p < pn) {
    touched ^= lookAhead(p, pn, width, phashes, heads, mask, bkeys, bhashes, next, bloom, bmask);
    const h = load<u64>(phashes + (<usize>p << 3));
    if (resume == 0) {
      if (!bloomMay(bloom, bmask, h)) { p++; continue; }
      passed++;
    }
    let b = resume != 0 ? resume - 1 : load<i32>(heads + (<usize>(<i32>h & mask) << 2));
    resume = 0;
    const pk = pkeys + <usize>p * rowBytes;
    while (b >= 0) {
      // a one-word key is its own best filter: comparing it skips the load of the build row's hash
      const eq = width == 1
        ? load<u64>(bkeys + (<usize>b << 3)) == load<u64>(pk)
        : load<u64>(bhashes + (<usize>b << 3)) == h && rowsEqual(bkeys + <usize>b * rowBytes, pk, width);
      if (eq) {
        if (out == maxOut) {
          store<i32>(state, p);
          store<i32>(state, b + 1, 4);
          if (bloom != 0) store<i32>(state, load<i32>(state, 8) + passed, 8);
          return out + (touched & 0);
        }
        store<i32>(outProbe + (<usize>out << 2), p);
        store<i32>(outBuild + (<usize>out << 2), b);
        out++;
      }
      b = load<i32>(next + (<usize>b << 2));
    }
    p++;
  }
  store<i32>(state, p);
  store<i32>(state, 0, 4);
  if (bloom != 0) store<i32>(state, load<i32>(state, 8) + passed, 8);
  return out + (touched & 0);
}

/** Probe rows ahead of the current one whose random loads are issued early (wasm has no prefetch instruction). */
const AHEAD = 8;

/**
 * Loads the bucket head of probe row p + AHEAD and the first build row (hash or key, and next link) of row
 * p + AHEAD / 2, so their cache misses overlap with the work on row p; rows the bloom rules out load nothing.
 * Returns a value the caller folds away.
 */
// @ts-ignore: decorator
@inline function lookAhead(p: i32, pn: i32, width: i32, phashes: usize, heads: usize, mask: i32, bkeys: usize, bhashes: usize, next: usize, bloom: usize, bmask: i32): i32 {
  let t = 0;
  if (p + AHEAD < pn) {
    const h = load<u64>(phashes + (<usize>(p + AHEAD) << 3));
    if (bloomMay(bloom, bmask, h)) t = load<i32>(heads + (<usize>(<i32>h & mask) << 2));
  }
  if (p + AHEAD / 2 < pn) {
    const h = load<u64>(phashes + (<usize>(p + AHEAD / 2) << 3));
    const b = bloomMay(bloom, bmask, h) ? load<i32>(heads + (<usize>(<i32>h & mask) << 2)) : -1;
    if (b >= 0) {
      const w = width == 1 ? load<i32>(bkeys + (<usize>b << 3)) : load<i32>(bhashes + (<usize>b << 3));
      t ^= w ^ load<i32>(next + (<usize>b << 2));
    }
  }
  return t;
}

/** outMatched[p] = 1 when probe row p has at least one equal build row, else 0 (semi and anti joins). Returns the
 *  number of matched probe rows. bloom, bmask: as join_probe's (bloom 0 = none). */
export function join_probe_exists(pkeys: usize, width: i32, phashes: usize, pn: i32, bkeys: usize, bhashes: usize,
  heads: usize, cap: i32, next: usize, outMatched: usize, bloom: usize, bmask: i32): i32 {
  const mask = cap - 1;
  const rowBytes = <usize>width << 3;
  let matched = 0;
  for (let p = 0; p < pn; p++) {
    const h = load<u64>(phashes + (<usize>p << 3));
    const pk = pkeys + <usize>p * rowBytes;
    let b = bloomMay(bloom, bmask, h) ? load<i32>(heads + (<usize>(<i32>h & mask) << 2)) : -1;
    let m = 0;
    while (b >= 0) {
      const eq = width == 1
        ? load<u64>(bkeys + (<usize>b << 3)) == load<u64>(pk)
        : load<u64>(bhashes + (<usize>b << 3)) == h && rowsEqual(bkeys + <usize>b * rowBytes, pk, width);
      if (eq) { m = 1; break; }
      b = load<i32>(next + (<usize>b << 2));
    }
    store<u8>(outMatched + <usize>p, <u8>m);
    matched += m;
  }
  return matched;
}

/** flags[idx[i]] = 1 for i in [0, n): marks matched build rows for right and full outer joins. */
export function mark_u8(idx: usize, n: i32, flags: usize): void {
  for (let i = 0; i < n; i++) store<u8>(flags + <usize>load<i32>(idx + (<usize>i << 2)), 1);
}
