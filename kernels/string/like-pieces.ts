// str_like_pieces: a scan's LIKE / NOT LIKE of literal text and % (TPC-H Q13's '%special%requests%') tested on a
// Utf8 column's bytes in place in shared memory (host/exec/byte-predicate.ts), narrowing a selection vector.
// Each row: the first piece anchored at the start, the last at the end, the middle ones found leftmost in order;
// the middle pieces are searched 16 start positions at a time (first and last byte compared in SIMD, candidates
// confirmed byte by byte).

import { bitAt } from '../common';
import { strStart, strEnd } from './common';

// @ts-ignore: decorator
@inline function bytesEq(a: usize, b: usize, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

/**
 * The leftmost start of needle[0..k) (k >= 1) in [s, e), or -1. SIMD loads may read up to 15 + k - 1 bytes
 * past e (never past memEnd, where the tail goes byte by byte); starts past e - k are masked off.
 */
function findPiece(s: usize, e: usize, needle: usize, k: i32, memEnd: u64): isize {
  if (<isize>(e - s) < <isize>k) return -1;
  const last = e - <usize>k;
  const f = load<u8>(needle), l = load<u8>(needle + <usize>(k - 1));
  let i = s;
  if (ASC_FEATURE_SIMD) {
    const vf = i8x16.splat(<i8>f), vl = i8x16.splat(<i8>l);
    while (i <= last && <u64>i + <u64>(k + 15) <= memEnd) {
      let mask = i8x16.bitmask(v128.and(i8x16.eq(v128.load(i), vf), i8x16.eq(v128.load(i + <usize>(k - 1)), vl)));
      const room = last - i;
      if (room < 15) mask &= (2 << <i32>room) - 1;
      while (mask != 0) {
        const at = i + <usize>ctz<i32>(mask);
        if (k <= 2 || bytesEq(at + 1, needle + 1, k - 2)) return <isize>at;
        mask &= mask - 1;
      }
      i += 16;
    }
  }
  for (; i <= last; i++) {
    if (load<u8>(i) == f && load<u8>(i + <usize>(k - 1)) == l && (k <= 2 || bytesEq(i + 1, needle + 1, k - 2))) return <isize>i;
  }
  return -1;
}

/** Whether value bytes [s, e) match the pieces (the contract of str_like_pieces, before NOT and NULL). */
function rowMatches(s: usize, e: usize, pat: usize, lens: usize, nPieces: i32, lastAt: usize, memEnd: u64): i32 {
  const firstLen = load<i32>(lens), lastLen = load<i32>(lens + (<usize>(nPieces - 1) << 2));
  if (<isize>(e - s) < <isize>(firstLen + lastLen) || !bytesEq(s, pat, firstLen) || !bytesEq(e - <usize>lastLen, lastAt, lastLen)) return 0;
  let at = s + <usize>firstLen, piece = pat + <usize>firstLen;
  const end = e - <usize>lastLen;
  for (let p = 1; p < nPieces - 1; p++) {
    const k = load<i32>(lens + (<usize>p << 2));
    const i = findPiece(at, end, piece, k, memEnd);
    if (i < 0) return 0;
    at = <usize>i + <usize>k;
    piece += <usize>k;
  }
  return 1;
}

/**
 * Rows of a Utf8 column (offsets, data, valid: 0 = no NULLs) whose value matches a LIKE pattern of literal text
 * and %, given as nPieces >= 2 pieces: bytes pat[0..) cut by lens i32[nPieces] into the first piece (anchored at
 * the start, may be empty), the middle ones (found leftmost in order, each non-empty) and the last (anchored at
 * the end, may be empty). flags bit 0: NOT LIKE; bit 1: trailing blanks of the value are dropped first (a CHAR
 * column cast to text). A NULL row never passes. Rows of selIn[0..nSelIn) (or all n when selIn is 0) that pass
 * go to selOut; returns how many.
 * Over all rows with a middle piece, the longest middle piece is first searched for across the column's whole
 * byte area at once, and only the rows it lands in (not across their end) are tested piece by piece.
 */
export function str_like_pieces(offsets: usize, data: usize, valid: usize, n: i32, pat: usize, lens: usize, nPieces: i32, flags: i32,
  selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const negate = flags & 1, trim = flags & 2;
  let lastAt = pat, best: usize = 0, bestLen = 0;
  for (let p = 0; p < nPieces - 1; p++) {
    const k = load<i32>(lens + (<usize>p << 2));
    if (p > 0 && k > bestLen) { best = lastAt; bestLen = k; }
    lastAt += <usize>k;
  }
  // in 64 bits: a memory of the full 65536 pages ends at 2^32, which a usize cannot hold
  const memEnd = <u64>memory.size() << 16;
  let cnt = 0;
  if (selIn == 0 && bestLen > 0) {
    const areaEnd = data + <usize>strEnd(offsets, n - 1);
    let hit = n > 0 ? findPiece(data + <usize>strStart(offsets, 0), areaEnd, best, bestLen, memEnd) : -1;
    for (let r = 0; r < n; r++) {
      const e0 = data + <usize>strEnd(offsets, r);
      let m = 0;
      // an occurrence that runs past this row's end is not in it: look again one byte on
      while (hit >= 0 && <usize>hit < e0 && <usize>hit + <usize>bestLen > e0) hit = findPiece(<usize>hit + 1, areaEnd, best, bestLen, memEnd);
      if (hit >= 0 && <usize>hit < e0) {
        const s = data + <usize>strStart(offsets, r);
        let e = e0;
        if (trim != 0) while (e > s && load<u8>(e - 1) == 0x20) e--;
        m = rowMatches(s, e, pat, lens, nPieces, lastAt, memEnd);
        hit = findPiece(e0, areaEnd, best, bestLen, memEnd);
      }
      let pass = m ^ negate;
      if (valid != 0) pass &= bitAt(valid, r);
      store<i32>(selOut + (<usize>cnt << 2), r);
      cnt += pass;
    }
    return cnt;
  }
  const rows = selIn != 0 ? nSelIn : n;
  for (let j = 0; j < rows; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const s = data + <usize>strStart(offsets, r);
    let e = data + <usize>strEnd(offsets, r);
    if (trim != 0) while (e > s && load<u8>(e - 1) == 0x20) e--;
    let pass = rowMatches(s, e, pat, lens, nPieces, lastAt, memEnd) ^ negate;
    if (valid != 0) pass &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += pass;
  }
  return cnt;
}
