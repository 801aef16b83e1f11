// encode_undelta_{i16,i32,i64}: decodes a DELTA / DELTA32K block payload (host/storage/encoding/delta.ts) into
// rows of the column's width, on the block-read path (file -> chunk). Returns 1, or 0 on a malformed stream.

// @ts-ignore: decorator
@inline function undeltaT<T>(src: usize, srcLen: i32, deltaWidth: i32, rows: i32, out: usize): i32 {
  if (rows <= 0) return i32(srcLen == 0);
  const w = <i32>sizeof<T>();
  if (srcLen < w) return 0;
  let prev = load<T>(src);
  store<T>(out, prev);
  let at = w;
  if (deltaWidth == 1) {
    for (let i = 1; i < rows; i++) {
      if (at + 1 > srcLen) return 0;
      const d = <i32>load<i8>(src + <usize>at);
      at += 1;
      if (d == -128) {
        if (at + w > srcLen) return 0;
        prev = load<T>(src + <usize>at);
        at += w;
      } else prev = <T>(prev + <T>d);
      store<T>(out + (<usize>i << alignof<T>()), prev);
    }
  } else if (deltaWidth == 2) {
    for (let i = 1; i < rows; i++) {
      if (at + 2 > srcLen) return 0;
      const d = <i32>load<i16>(src + <usize>at);
      at += 2;
      if (d == -32768) {
        if (at + w > srcLen) return 0;
        prev = load<T>(src + <usize>at);
        at += w;
      } else prev = <T>(prev + <T>d);
      store<T>(out + (<usize>i << alignof<T>()), prev);
    }
  } else return 0;
  return i32(at == srcLen);
}

export function encode_undelta_i16(src: usize, srcLen: i32, deltaWidth: i32, rows: i32, out: usize): i32 { return undeltaT<i16>(src, srcLen, deltaWidth, rows, out); }
export function encode_undelta_i32(src: usize, srcLen: i32, deltaWidth: i32, rows: i32, out: usize): i32 { return undeltaT<i32>(src, srcLen, deltaWidth, rows, out); }
export function encode_undelta_i64(src: usize, srcLen: i32, deltaWidth: i32, rows: i32, out: usize): i32 { return undeltaT<i64>(src, srcLen, deltaWidth, rows, out); }
