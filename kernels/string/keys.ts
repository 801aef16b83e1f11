// key_norm_str: pack Utf8 values into order-preserving key words, so ORDER BY, GROUP BY and joins on text columns
// reuse the one-word-row machinery (sort_rows, group_ids, join_*). Byte order = the "C" collation.

import { bitAt } from '../common';
import { strStart, strEnd } from './common';

/**
 * Writes words word .. word + nwords - 1 of each key row: bytes [8j, 8j + 8) of the value as a big-endian u64,
 * zero-padded (text has no NUL bytes, so padding keeps byte order and "ab" < "abc"). Exact when nwords * 8 >= the
 * longest value; longer values tie on their first nwords * 8 bytes. desc != 0 inverts every word. A null row
 * writes 0 (nullsFirst != 0) or all ones in every word; precede the column by key_null when it has nulls.
 * With desc = 0 the words are also an equality key (hash_rows over them).
 */
export function key_norm_str(offsets: usize, data: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32,
  nwords: i32, desc: i32, nullsFirst: i32): void {
  const flip: u64 = desc != 0 ? 0xFFFFFFFFFFFFFFFF : 0;
  const nullWord: u64 = nullsFirst != 0 ? 0 : 0xFFFFFFFFFFFFFFFF;
  const stride = <usize>width << 3;
  let o = keys + (<usize>word << 3);
  for (let i = 0; i < n; i++) {
    const isNull = valid != 0 && bitAt(valid, i) == 0;
    const s = data + <usize>strStart(offsets, i);
    const len = strEnd(offsets, i) - strStart(offsets, i);
    for (let j = 0; j < nwords; j++) {
      const at = j << 3;
      let w: u64 = 0;
      if (at + 8 <= len) {
        w = bswap<u64>(load<u64>(s + <usize>at));
      } else {
        for (let b = 0; at + b < len && b < 8; b++) w |= <u64>load<u8>(s + <usize>(at + b)) << (<u64>(56 - 8 * b));
      }
      store<u64>(o + (<usize>j << 3), isNull ? nullWord : w ^ flip);
    }
    o += stride;
  }
}
