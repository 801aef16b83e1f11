// Arithmetic, decimal rescaling and cast kernels: SIMD and scalar WASM against the JS reference on random data with
// the integer extremes, plus direct checks of PostgreSQL's overflow, division and rounding rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';
import type { KernelExports } from '../../../host/wasm/kernels.js';

const h = new Harness();
type Fn = (...a: unknown[]) => number | void;

test('integer arith: results and first failing non-null row equal the JS reference', () => {
  for (const t of ['i32', 'i64'] as const) {
    for (const n of LENGTHS) {
      for (const small of [true, false]) {
        const a = h.put(t, h.values(t, n, small)), b = h.put(t, h.values(t, n, small));
        const [valid] = h.validity(n, 0.5);
        for (const op of ['add', 'sub', 'mul', 'div', 'mod']) {
          for (const v of [0, valid]) {
            h.agree(`arith_${op}_${t} n ${n}`, (k) => {
              const out = h.alloc(8 * n);
              const st = (k[`arith_${op}_${t}` as keyof KernelExports] as Fn)(a, b, out, v, n);
              return [st, h.read(t, out, n)];
            });
          }
        }
        const consts = t === 'i32' ? [0, 1, -1, 7, -2147483648, 2147483647] : [0n, 1n, -1n, 7n, -(2n ** 63n), 2n ** 63n - 1n];
        for (const op of ['add', 'sub', 'mul', 'rsub', 'div', 'mod']) {
          for (const c of consts) {
            h.agree(`arith_${op}_const_${t} ${String(c)} n ${n}`, (k) => {
              const out = h.alloc(8 * n);
              const st = (k[`arith_${op}_const_${t}` as keyof KernelExports] as Fn)(a, c, out, valid, n);
              return [st, h.read(t, out, n)];
            });
          }
        }
        h.reset();
      }
    }
  }
});

test('f64 arith equals the JS reference bit for bit', () => {
  for (const n of LENGTHS) {
    const a = h.put('f64', h.values('f64', n)), b = h.put('f64', h.values('f64', n));
    const [valid] = h.validity(n);
    for (const op of ['add', 'sub', 'mul']) {
      h.agree(`arith_${op}_f64`, (k) => { const o = h.alloc(8 * n); (k[`arith_${op}_f64` as keyof KernelExports] as Fn)(a, b, o, n); return h.read('f64', o, n); });
    }
    for (const op of ['add', 'sub', 'mul', 'rsub', 'div']) {
      for (const c of [0, -0, 2.5, NaN, Infinity]) {
        h.agree(`arith_${op}_const_f64`, (k) => { const o = h.alloc(8 * n); (k[`arith_${op}_const_f64` as keyof KernelExports] as Fn)(a, c, o, n); return h.read('f64', o, n); });
      }
    }
    h.agree('arith_div_f64', (k) => { const o = h.alloc(8 * n); const st = k.arith_div_f64(a, b, o, valid, n); return [st, h.read('f64', o, n)]; });
    h.reset();
  }
});

test('integer arith follows PostgreSQL: overflow, truncating division, division by zero, null rows skipped', () => {
  for (const { k } of h.impls) {
    const a = h.put('i32', [7, -7, 2147483647, -2147483648, 5]);
    const b = h.put('i32', [2, 2, 1, -1, 0]);
    const out = h.alloc(64);
    assert.equal(k.arith_add_i32(a, b, out, 0, 5), 3, 'MAX + 1 overflows at row 2');
    assert.equal(k.arith_div_i32(a, b, out, 0, 2), 0);
    assert.deepEqual(h.read('i32', out, 2), [3, -3]);
    assert.equal(k.arith_mod_i32(a, b, out, 0, 2), 0);
    assert.deepEqual(h.read('i32', out, 2), [1, -1]);
    assert.equal(k.arith_div_i32(a, b, out, 0, 5), 4, 'MIN / -1 overflows at row 3');
    const valid = h.put('u8', [0b10111]);
    assert.equal(k.arith_div_i32(a, b, out, valid, 5), 5, 'row 3 is null, row 4 divides by zero');
    assert.equal(k.arith_mod_i32(a, b, out, 0, 4), 0, 'MIN % -1 is 0');
    const x = h.put('i64', [3037000500n, 2n ** 62n, -(2n ** 63n)]);
    assert.equal(k.arith_mul_i64(x, x, out, 0, 1), 1, '3037000500^2 > 2^63');
    assert.equal(k.arith_mul_const_i64(x, 2n, out, 0, 2), 2);
    assert.equal(k.arith_mul_const_i64(x, -2n, out, 0, 2), 0, '-2^63 fits');
    assert.equal(k.arith_rsub_const_i64(x, 0n, out, 0, 3), 3, '0 - MIN overflows');
  }
  h.reset();
});

test('dec_rescale and casts equal the JS reference and round half away from zero', () => {
  for (const n of LENGTHS) {
    const i64s = h.put('i64', h.values('i64', n)), smalls = h.put('i64', h.values('i64', n, true));
    const i32s = h.put('i32', h.values('i32', n)), i16s = h.put('i16', h.values('i16', n));
    const f64s = h.put('f64', [...h.values('f64', n, true).slice(0, n >> 1), ...h.values('f64', n - (n >> 1))]);
    const f32s = h.put('f32', h.values('f32', n));
    const [valid] = h.validity(n);
    for (const p of [1n, 10n, 100n, 10n ** 18n]) {
      for (const src of [i64s, smalls]) {
        h.agree('dec_rescale_up_i64', (k) => { const o = h.alloc(8 * n); const st = k.dec_rescale_up_i64(src, o, n, p, valid); return [st, h.read('i64', o, n)]; });
        h.agree('dec_rescale_down_i64', (k) => { const o = h.alloc(8 * n); k.dec_rescale_down_i64(src, o, n, p); return h.read('i64', o, n); });
      }
    }
    const casts: [string, number, 'i16' | 'i32' | 'i64' | 'f32' | 'f64', boolean][] = [
      ['cast_i16_i32', i16s, 'i32', false], ['cast_i32_i64', i32s, 'i64', false], ['cast_i32_f64', i32s, 'f64', false],
      ['cast_i64_f64', i64s, 'f64', false], ['cast_f32_f64', f32s, 'f64', false], ['cast_f64_f32', f64s, 'f32', false],
      ['cast_f64_i64', f64s, 'i64', true], ['cast_f64_i32', f64s, 'i32', true], ['cast_i64_i32', smalls, 'i32', true],
      ['cast_i64_i32', i64s, 'i32', true], ['cast_i32_i16', i32s, 'i16', true],
    ];
    for (const [name, src, out, checked] of casts) {
      h.agree(`${name} n ${n}`, (k) => {
        const o = h.alloc(8 * n);
        const fn = k[name as keyof KernelExports] as Fn;
        const st = checked ? fn(src, o, valid, n) : fn(src, o, n);
        return [st ?? null, h.read(out, o, n)];
      });
    }
    h.reset();
  }
  for (const { k } of h.impls) {
    const a = h.put('i64', [15n, -15n, 14n, -14n, 25n, -25n]);
    const o = h.alloc(64);
    k.dec_rescale_down_i64(a, o, 6, 10n);
    assert.deepEqual(h.read('i64', o, 6), [2n, -2n, 1n, -1n, 3n, -3n]);
    const f = h.put('f64', [2.5, -2.5, 0.49999999999999994, 9.223372036854776e18, NaN, -9.223372036854776e18]);
    assert.equal(k.cast_f64_i64(f, o, 0, 6), 4, '2^63 is out of range');
    assert.deepEqual(h.read('i64', o, 3), [3n, -3n, 0n]);
    assert.equal(k.cast_f64_i64(f + 32, o, 0, 2), 1, 'NaN is out of range');
    assert.equal(k.cast_f64_i64(f + 40, o, 0, 1), 0, '-2^63 fits');
  }
  h.reset();
});

test('dec_div_i64: rounded decimal division with a 128-bit intermediate', () => {
  for (const n of LENGTHS) {
    const a = h.put('i64', h.values('i64', n)), b = h.put('i64', h.values('i64', n, true));
    const smallA = h.put('i64', h.values('i64', n, true));
    const [valid] = h.validity(n);
    for (const p of [1n, 100n, 10n ** 6n, 10n ** 18n]) {
      for (const x of [a, smallA]) {
        h.agree(`dec_div_i64 p ${p} n ${n}`, (k) => { const o = h.alloc(8 * n); const st = k.dec_div_i64(x, b, o, valid, n, p); return [st, h.read('i64', o, n)]; });
        h.agree(`dec_div_i64 p ${p} n ${n} swapped`, (k) => { const o = h.alloc(8 * n); const st = k.dec_div_i64(b, x, o, 0, n, p); return [st, h.read('i64', o, n)]; });
      }
    }
    h.reset();
  }
  for (const { k } of h.impls) {
    const a = h.put('i64', [1n, -1n, 2n, 10n ** 17n, 9223372036854775807n, -(2n ** 63n), 5n]);
    const b = h.put('i64', [3n, 3n, 3n, 3n, 1n, -1n, 0n]);
    const o = h.alloc(64);
    assert.equal(k.dec_div_i64(a, b, o, 0, 4, 100n), 0);
    assert.deepEqual(h.read('i64', o, 4), [33n, -33n, 67n, 3333333333333333333n], '10^19 / 3 needs 128 bits');
    assert.equal(k.dec_div_i64(a + 32, b + 32, o, 0, 3, 1n), 2, '-2^63 / -1 overflows');
    assert.equal(k.dec_div_i64(a + 48, b + 48, o, 0, 1, 1n), 1, 'division by zero');
  }
  h.reset();
});
