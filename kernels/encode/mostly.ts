// encode_widen_{i16,i32,i64}: decodes a MOSTLY8/16/32 block payload (host/storage/encoding/mostly.ts): sign-extends
// the narrow values, then writes the exception values at their rows. Returns 1, or 0 on a bad row or width.

// @ts-ignore: decorator
@inline function widenT<T>(small: usize, narrow: i32, rows: i32, excRows: usize, nExc: i32, excValues: usize, out: usize): i32 {
  if (narrow >= <i32>sizeof<T>()) return 0;
  if (narrow == 1) {
    for (let i = 0; i < rows; i++) store<T>(out + (<usize>i << alignof<T>()), <T>load<i8>(small + <usize>i));
  } else if (narrow == 2) {
    for (let i = 0; i < rows; i++) store<T>(out + (<usize>i << alignof<T>()), <T>load<i16>(small + (<usize>i << 1)));
  } else if (narrow == 4) {
    for (let i = 0; i < rows; i++) store<T>(out + (<usize>i << alignof<T>()), <T>load<i32>(small + (<usize>i << 2)));
  } else return 0;
  for (let k = 0; k < nExc; k++) {
    const r = load<u32>(excRows + (<usize>k << 2));
    if (r >= <u32>rows) return 0;
    store<T>(out + (<usize>r << alignof<T>()), load<T>(excValues + (<usize>k << alignof<T>())));
  }
  return 1;
}

export function encode_widen_i16(small: usize, narrow: i32, rows: i32, excRows: usize, nExc: i32, excValues: usize, out: usize): i32 { return widenT<i16>(small, narrow, rows, excRows, nExc, excValues, out); }
export function encode_widen_i32(small: usize, narrow: i32, rows: i32, excRows: usize, nExc: i32, excValues: usize, out: usize): i32 { return widenT<i32>(small, narrow, rows, excRows, nExc, excValues, out); }
export function encode_widen_i64(small: usize, narrow: i32, rows: i32, excRows: usize, nExc: i32, excValues: usize, out: usize): i32 { return widenT<i64>(small, narrow, rows, excRows, nExc, excValues, out); }
