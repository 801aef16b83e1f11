// Key-row equality shared by group-by and hash join: rows of `width` u64 words compared word by word.

/** 1 when the key rows at a and b (width words each) are equal. */
// @ts-ignore: decorator
@inline export function rowsEqual(a: usize, b: usize, width: i32): bool {
  if (width == 1) return load<u64>(a) == load<u64>(b);
  for (let w = 0; w < width; w++) {
    if (load<u64>(a + (<usize>w << 3)) != load<u64>(b + (<usize>w << 3))) return false;
  }
  return true;
}
