// Key-row order shared by sort_rows and topn_rows: unsigned lexicographic order of u64 words.

/** -1, 0 or 1 as key row ra sorts before, with, or after key row rb. */
// @ts-ignore: decorator
@inline export function cmpRows(keys: usize, width: i32, ra: i32, rb: i32): i32 {
  const stride = <usize>width << 3;
  const a = keys + <usize>ra * stride, b = keys + <usize>rb * stride;
  for (let w = 0; w < width; w++) {
    const x = load<u64>(a + (<usize>w << 3)), y = load<u64>(b + (<usize>w << 3));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}
