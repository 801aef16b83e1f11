// Gather and bitmap kernels: SIMD and scalar WASM against the JS reference, plus direct checks of the bit layout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';

const h = new Harness();

test('gather_{8,16,32,64} copy the selected rows', () => {
  for (const n of LENGTHS) {
    const src = h.values('u64', n + 1);
    const ps = h.put('u64', src);
    const sel = h.subset(n, 0.6);
    const psel = h.put('i32', sel);
    for (const [name, kind] of [['gather_8', 'u8'], ['gather_16', 'i16'], ['gather_32', 'i32'], ['gather_64', 'u64']] as const) {
      const r = h.agree(`${name} n ${n}`, (k) => {
        const out = h.alloc(8 * sel.length);
        (k[name] as (a: number, b: number, c: number, d: number) => void)(ps, psel, sel.length, out);
        return h.read(kind, out, sel.length);
      });
      if (kind === 'u64') assert.deepEqual(r, sel.map((i) => BigInt.asUintN(64, BigInt(src[i]!))));
    }
    h.reset();
  }
});

test('gather_bits, bitmap_and, bitmap_count', () => {
  for (const n of LENGTHS) {
    const [valid, bits] = h.validity(n, 0.3);
    const [valid2] = h.validity(n, 0.3);
    const sel = h.subset(n, 0.7);
    const psel = h.put('i32', sel);
    for (const src of [valid, 0]) {
      const [nulls, out] = h.agree(`gather_bits n ${n}`, (k) => {
        const o = h.alloc(n);
        const c = k.gather_bits(src, psel, sel.length, o);
        return [c, h.read('u8', o, Math.ceil(sel.length / 8))];
      });
      const expect = src === 0 ? 0 : sel.filter((i) => !bits[i]).length;
      assert.equal(nulls, expect);
      assert.equal(out.length, Math.ceil(sel.length / 8));
    }
    for (const [a, b] of [[valid, valid2], [valid, 0], [0, valid2], [0, 0]]) {
      h.agree(`bitmap_and n ${n}`, (k) => { const o = h.alloc(n); k.bitmap_and(a!, b!, o, n); return h.read('u8', o, Math.ceil(n / 8)); });
    }
    for (const m of [0, 1, n >> 1, n]) {
      const c = h.agree(`bitmap_count n ${m}`, (k) => k.bitmap_count(valid, m));
      assert.equal(c, bits.slice(0, m).filter(Boolean).length);
    }
    h.reset();
  }
});
