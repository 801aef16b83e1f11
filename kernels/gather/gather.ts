// gather_{8,16,32,64}: out[i] = src[sel[i]]: materialises selected rows of a fixed-width column after a filter.

// @ts-ignore: decorator
@inline function gatherT<T>(src: usize, sel: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const s = sel + (<usize>i << 2), o = out + (<usize>i << alignof<T>());
    const a = load<T>(src + (<usize>load<i32>(s) << alignof<T>()));
    const b = load<T>(src + (<usize>load<i32>(s, 4) << alignof<T>()));
    const c = load<T>(src + (<usize>load<i32>(s, 8) << alignof<T>()));
    const d = load<T>(src + (<usize>load<i32>(s, 12) << alignof<T>()));
    store<T>(o, a); store<T>(o, b, sizeof<T>()); store<T>(o, c, 2 * sizeof<T>()); store<T>(o, d, 3 * sizeof<T>());
  }
  for (; i < n; i++) {
    store<T>(out + (<usize>i << alignof<T>()), load<T>(src + (<usize>load<i32>(sel + (<usize>i << 2)) << alignof<T>())));
  }
}

export function gather_8(src: usize, sel: usize, n: i32, out: usize): void { gatherT<u8>(src, sel, n, out); }
export function gather_16(src: usize, sel: usize, n: i32, out: usize): void { gatherT<u16>(src, sel, n, out); }
export function gather_32(src: usize, sel: usize, n: i32, out: usize): void { gatherT<u32>(src, sel, n, out); }
export function gather_64(src: usize, sel: usize, n: i32, out: usize): void { gatherT<u64>(src, sel, n, out); }
