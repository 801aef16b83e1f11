// key_norm_* / key_null / key_put_*: pack columns into row-major u64 key rows for sorting (order-preserving) and for
// hashing/equality (canonical). Word `word` of row i lives at keys + (i * width + word) * 8.

import { bitAt, f64OrderKey } from '../common';

const SIGN: u64 = 0x8000000000000000;

// @ts-ignore: decorator
@inline function normT<T>(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void {
  const flip: u64 = desc != 0 ? 0xFFFFFFFFFFFFFFFF : 0;
  const nullWord: u64 = nullsFirst != 0 ? 0 : 0xFFFFFFFFFFFFFFFF;
  const stride = <usize>width << 3;
  let o = keys + (<usize>word << 3);
  for (let i = 0; i < n; i++) {
    const x = load<T>(col + (<usize>i << alignof<T>()));
    let k: u64 = isFloat<T>() ? f64OrderKey(<f64>x) : (<u64><i64>x) ^ SIGN;
    k ^= flip;
    if (valid != 0 && bitAt(valid, i) == 0) k = nullWord;
    store<u64>(o, k);
    o += stride;
  }
}

/**
 * Order-preserving word: unsigned order of the written words = SQL order of the values (integers: sign bit flipped;
 * floats: PostgreSQL order, -0 = 0, NaN greatest; desc != 0: bitwise not). A null row gets 0 when nullsFirst != 0,
 * all ones otherwise (independent of desc); use key_null in an earlier word when the column has nulls so that a
 * null never ties with a value.
 */
export function key_norm_i16(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void { normT<i16>(col, valid, n, keys, width, word, desc, nullsFirst); }
export function key_norm_i32(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void { normT<i32>(col, valid, n, keys, width, word, desc, nullsFirst); }
export function key_norm_i64(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void { normT<i64>(col, valid, n, keys, width, word, desc, nullsFirst); }
export function key_norm_f32(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void { normT<f32>(col, valid, n, keys, width, word, desc, nullsFirst); }
export function key_norm_f64(col: usize, valid: usize, n: i32, keys: usize, width: i32, word: i32, desc: i32, nullsFirst: i32): void { normT<f64>(col, valid, n, keys, width, word, desc, nullsFirst); }

/** Null-indicator word: with nullsFirst != 0 a null row gets 0 and a non-null row 1; otherwise null 1, non-null 0.
 *  valid == 0 writes the non-null word for every row. */
export function key_null(valid: usize, n: i32, keys: usize, width: i32, word: i32, nullsFirst: i32): void {
  const stride = <usize>width << 3;
  const nf: u64 = nullsFirst != 0 ? 1 : 0;
  let o = keys + (<usize>word << 3);
  for (let i = 0; i < n; i++) {
    const isNull: u64 = valid != 0 ? <u64>(bitAt(valid, i) ^ 1) : 0;
    store<u64>(o, isNull ^ nf);
    o += stride;
  }
}

// @ts-ignore: decorator
@inline function putT<T>(col: usize, n: i32, keys: usize, width: i32, word: i32): void {
  const stride = <usize>width << 3;
  let o = keys + (<usize>word << 3);
  for (let i = 0; i < n; i++) {
    const x = load<T>(col + (<usize>i << alignof<T>()));
    store<u64>(o, isFloat<T>() ? f64OrderKey(<f64>x) : <u64><i64>x);
    o += stride;
  }
}

/** Equality-key word: the value sign-extended to 64 bits (floats: their canonical order key, so -0 = 0, NaN = NaN). */
export function key_put_i16(col: usize, n: i32, keys: usize, width: i32, word: i32): void { putT<i16>(col, n, keys, width, word); }
export function key_put_i32(col: usize, n: i32, keys: usize, width: i32, word: i32): void { putT<i32>(col, n, keys, width, word); }
export function key_put_i64(col: usize, n: i32, keys: usize, width: i32, word: i32): void { putT<i64>(col, n, keys, width, word); }
export function key_put_f64(col: usize, n: i32, keys: usize, width: i32, word: i32): void { putT<f64>(col, n, keys, width, word); }
