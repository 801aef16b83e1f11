// str_cmp_const / str_like: filters over Arrow Utf8 columns (offsets i32[n + 1] + bytes) -> selection vector.
// Strings compare byte by byte, then by length: the "C" collation (UTF-8 byte order is code point order).

import { bitAt, opHolds } from '../common';
import { strStart, strEnd, bytesCmp, utf8Len } from './common';

// @ts-ignore: decorator
@inline function cmpRun(OP: i32, offsets: usize, data: usize, valid: usize, n: i32, k: usize, klen: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  const m = selIn != 0 ? nSelIn : n;
  for (let j = 0; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const s = strStart(offsets, r), len = strEnd(offsets, r) - s;
    let p: i32;
    if (OP == 0 || OP == 1) {
      const eq = len == klen && bytesCmp(data + <usize>s, len, k, klen) == 0;
      p = OP == 0 ? <i32>eq : <i32>!eq;
    } else {
      p = opHolds(OP, bytesCmp(data + <usize>s, len, k, klen));
    }
    if (valid != 0) p &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}

/** Rows whose value `op` the constant k[0..klen) holds (op 0 eq ... 5 ge, byte order), and not null. */
export function str_cmp_const(op: i32, offsets: usize, data: usize, valid: usize, n: i32, k: usize, klen: i32,
  selIn: usize, nSelIn: i32, selOut: usize): i32 {
  switch (op) {
    case 0: return cmpRun(0, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    case 1: return cmpRun(1, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    case 2: return cmpRun(2, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    case 3: return cmpRun(3, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    case 4: return cmpRun(4, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    case 5: return cmpRun(5, offsets, data, valid, n, k, klen, selIn, nSelIn, selOut);
    default: return 0;
  }
}

// @ts-ignore: decorator
@inline function fold(c: i32, ci: i32): i32 {
  return ci != 0 && c >= 0x41 && c <= 0x5A ? c | 0x20 : c;
}

/**
 * SQL LIKE of s[0..sl) against pattern p[0..pl): `%` matches any run of characters, `_` one UTF-8 character,
 * `escape` (a byte, or -1 for none) makes the next pattern byte literal. ci != 0 folds ASCII letters (ILIKE).
 * Greedy with backtracking to the last `%`: O(sl * pl) at worst.
 */
function likeMatch(s: usize, sl: i32, p: usize, pl: i32, escape: i32, ci: i32): bool {
  let si = 0, pi = 0, starP = -1, starS = 0;
  while (si < sl) {
    if (pi < pl) {
      let c = <i32>load<u8>(p + <usize>pi);
      if (c == 0x25 && c != escape) { starP = pi; starS = si; pi++; continue; }
      if (c == 0x5F && c != escape) { si += utf8Len(<i32>load<u8>(s + <usize>si)); pi++; continue; }
      let lit = pi;
      if (c == escape && pi + 1 < pl) { lit = pi + 1; c = <i32>load<u8>(p + <usize>lit); }
      if (fold(c, ci) == fold(<i32>load<u8>(s + <usize>si), ci)) { si++; pi = lit + 1; continue; }
    }
    if (starP < 0) return false;
    pi = starP + 1;
    starS += utf8Len(<i32>load<u8>(s + <usize>starS));
    si = starS;
  }
  while (pi < pl && <i32>load<u8>(p + <usize>pi) == 0x25 && escape != 0x25) pi++;
  return pi >= pl;
}

/** Rows whose value matches the LIKE pattern pat[0..patLen) (see likeMatch), and not null. */
export function str_like(offsets: usize, data: usize, valid: usize, n: i32, pat: usize, patLen: i32, escape: i32, ci: i32,
  selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  const m = selIn != 0 ? nSelIn : n;
  for (let j = 0; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const s = strStart(offsets, r);
    let p = <i32>likeMatch(data + <usize>s, strEnd(offsets, r) - s, pat, patLen, escape, ci);
    if (valid != 0) p &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}
