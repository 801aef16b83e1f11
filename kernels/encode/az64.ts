// encode_unpack_az64_{i16,i32,i64}: decodes an AZ64 block payload (host/storage/encoding/az64.ts, format in
// docs/storage.md): per group of 128 rows a minimum, a bit width and LSB-first packed offsets. The source needs 8
// readable bytes past srcLen (the fast path loads 8 bytes at a time). Returns 1, or 0 on a malformed payload.

// @ts-ignore: decorator
@inline function unpackT<T>(src: usize, srcLen: i32, rows: i32, out: usize): i32 {
  const w = <i32>sizeof<T>();
  let at = 0;
  for (let g = 0; g < rows; g += 128) {
    const count = min(rows - g, 128);
    if (at + w + 1 > srcLen) return 0;
    const lo = load<T>(src + <usize>at);
    const bits = <i32>load<u8>(src + <usize>(at + w));
    if (bits > w * 8) return 0;
    const start = at + w + 1;
    const packed = (count * bits + 7) >> 3;
    if (start + packed > srcLen) return 0;
    const base = src + <usize>start;
    const dst = out + (<usize>g << alignof<T>());
    if (bits == 0) {
      for (let j = 0; j < count; j++) store<T>(dst + (<usize>j << alignof<T>()), lo);
    } else if (bits <= 56) {
      const mask: u64 = (<u64>1 << <u64>bits) - 1;
      for (let j = 0; j < count; j++) {
        const p = j * bits;
        const v = (load<u64>(base + <usize>(p >> 3)) >> <u64>(p & 7)) & mask;
        store<T>(dst + (<usize>j << alignof<T>()), <T>(lo + <T>v));
      }
    } else {
      for (let j = 0; j < count; j++) {
        let p = j * bits, got = 0;
        let v: u64 = 0;
        while (got < bits) {
          const off = p & 7;
          const take = min(8 - off, bits - got);
          const part = (<u64>load<u8>(base + <usize>(p >> 3)) >> <u64>off) & ((<u64>1 << <u64>take) - 1);
          v |= part << <u64>got;
          got += take;
          p += take;
        }
        store<T>(dst + (<usize>j << alignof<T>()), <T>(lo + <T>v));
      }
    }
    at = start + packed;
  }
  return i32(at == srcLen);
}

export function encode_unpack_az64_i16(src: usize, srcLen: i32, rows: i32, out: usize): i32 { return unpackT<i16>(src, srcLen, rows, out); }
export function encode_unpack_az64_i32(src: usize, srcLen: i32, rows: i32, out: usize): i32 { return unpackT<i32>(src, srcLen, rows, out); }
export function encode_unpack_az64_i64(src: usize, srcLen: i32, rows: i32, out: usize): i32 { return unpackT<i64>(src, srcLen, rows, out); }
