// Utf8 string kernels: comparisons, LIKE/ILIKE (UTF-8 aware `_`, escapes), hashing and gathering, SIMD and scalar
// WASM against the JS reference (whose LIKE is an independent RegExp translation), plus direct checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';

const h = new Harness();
const enc = new TextEncoder();
const ALPHABET = ['a', 'b', 'A', 'B', 'é', '日', '%', '_', '\\', 'z', ' '];

/** Writes strings as an Arrow Utf8 column; returns [offsets, data]. */
function utf8(values: string[]): [number, number] {
  const bytes = values.map((s) => enc.encode(s));
  const offsets = [0];
  for (const b of bytes) offsets.push(offsets[offsets.length - 1]! + b.length);
  const data = new Uint8Array(offsets[offsets.length - 1]! + 8);
  bytes.forEach((b, i) => data.set(b, offsets[i]!));
  return [h.put('i32', offsets), h.put('u8', data)];
}
function randomString(max: number): string {
  let s = '';
  const len = h.int(0, max);
  for (let i = 0; i < len; i++) s += h.pick(ALPHABET);
  return s;
}
function constant(s: string): [number, number] {
  const b = enc.encode(s);
  return [h.put('u8', b.length ? b : [0]), b.length];
}

test('str_cmp_const and str_like equal the JS reference', () => {
  const patterns = ['', '%', '_', '__', 'a%', '%a', '%é%', '%_%', 'A%', 'a_b', '\\%%', '%\\_', '日%', '%%a%%', 'ab', '_日_'];
  for (const n of LENGTHS) {
    const values = Array.from({ length: n }, () => randomString(6));
    const [offsets, data] = utf8(values);
    const [valid] = h.validity(n);
    const sel = h.subset(n);
    for (const c of ['', 'a', 'ab', 'b日', values[0] ?? 'x', 'zzzzzzzzzzzz']) {
      const [k, klen] = constant(c);
      for (let op = 0; op < 6; op++) {
        for (const [v, s] of [[0, null], [valid, sel]] as const) {
          const r = h.agree(`str_cmp_const op ${op} '${c}' n ${n}`, (kk) => {
            const selIn = s ? h.put('i32', s) : 0, out = h.alloc(4 * n);
            return h.read('i32', out, kk.str_cmp_const(op, offsets, data, v, n, k, klen, selIn, s ? s.length : 0, out));
          });
          if (op === 0 && v === 0 && s === null) assert.deepEqual(r, values.flatMap((x, i) => (x === c ? [i] : [])));
        }
      }
    }
    for (const p of patterns) {
      const [pat, plen] = constant(p);
      for (const ci of [0, 1]) {
        for (const esc of [92, -1]) {
          for (const [v, s] of [[0, null], [valid, sel]] as const) {
            h.agree(`str_like '${p}' ci ${ci} esc ${esc} n ${n}`, (kk) => {
              const selIn = s ? h.put('i32', s) : 0, out = h.alloc(4 * n);
              return h.read('i32', out, kk.str_like(offsets, data, v, n, pat, plen, esc, ci, selIn, s ? s.length : 0, out));
            });
          }
        }
      }
    }
    h.reset();
  }
});

/** Writes LIKE pieces as str_like_pieces takes them; returns [pat, lens]. */
function pieces(list: string[]): [number, number] {
  const bytes = list.map((x) => enc.encode(x));
  const all = new Uint8Array(bytes.reduce((a, b) => a + b.length, 0) + 1);
  let at = 0;
  for (const b of bytes) { all.set(b, at); at += b.length; }
  return [h.put('u8', all), h.put('i32', bytes.map((b) => b.length))];
}

test('str_like_pieces equals the JS reference, in and past SIMD blocks', () => {
  const words = ['ab', 'ba', 'a', 'aab', 'é', 'xyzzy', ' ', 'abab'];
  for (const n of LENGTHS) {
    // short and long values (past 16 + piece length, so the SIMD blocks and their masked tails both run)
    const values = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? randomString(60) : randomString(8)) + (i % 5 === 0 ? '  ' : ''));
    const [offsets, data] = utf8(values);
    const [valid] = h.validity(n);
    const sel = h.subset(n);
    for (let t = 0; t < 12; t++) {
      const middle = Array.from({ length: h.int(0, 3) }, () => h.pick(words));
      const list = [h.pick(['', '', 'a', 'b ']), ...middle, h.pick(['', '', 'b', 'é '])];
      const [pat, lens] = pieces(list);
      for (let flags = 0; flags < 4; flags++) {
        // without a selection, a pattern with a middle piece searches the whole byte area first
        for (const [v, s] of [[0, null], [valid, null], [valid, sel]] as const) {
          const r = h.agree(`str_like_pieces ${JSON.stringify(list)} flags ${flags} n ${n}`, (kk) => {
            const selIn = s ? h.put('i32', s) : 0, out = h.alloc(4 * n + 4);
            return h.read('i32', out, kk.str_like_pieces(offsets, data, v, n, pat, lens, list.length, flags, selIn, s ? s.length : 0, out));
          });
          if (flags === 0 && v === 0 && s === null) {
            // independently: the pieces in order, the first at the start and the last at the end
            const like = (x: string) => {
              if (x.length < list[0]!.length + list.at(-1)!.length || !x.startsWith(list[0]!) || !x.endsWith(list.at(-1)!)) return false;
              let at = list[0]!.length;
              const end = x.length - list.at(-1)!.length;
              for (const m of middle) { const i = x.indexOf(m, at); if (i < 0 || i + m.length > end) return false; at = i + m.length; }
              return true;
            };
            assert.deepEqual(r, values.flatMap((x, i) => (like(x) ? [i] : [])), JSON.stringify(list));
          }
        }
      }
    }
    h.reset();
  }
});

test('str_like: UTF-8 characters, escapes and ILIKE', () => {
  const values = ['日本', 'abc', 'ABC', 'a%c', 'a_c', '', 'ñandú'];
  const [offsets, data] = utf8(values);
  const like = (k: import('../../../host/wasm/kernels.js').KernelExports, p: string, ci = 0): number[] => {
    const [pat, plen] = constant(p);
    const out = h.alloc(4 * values.length);
    return h.read('i32', out, k.str_like(offsets, data, 0, values.length, pat, plen, 92, ci, 0, 0, out)) as number[];
  };
  for (const { k } of h.impls) {
    assert.deepEqual(like(k, '__'), [0]);
    assert.deepEqual(like(k, '_____'), [6]);
    assert.deepEqual(like(k, 'a_c'), [1, 3, 4]);
    assert.deepEqual(like(k, 'a\\%c'), [3]);
    assert.deepEqual(like(k, 'a\\_c'), [4]);
    assert.deepEqual(like(k, 'abc', 1), [1, 2]);
    assert.deepEqual(like(k, '%'), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(like(k, '%ú'), [6]);
  }
  h.reset();
});

test('str_hash, str_sel_bytes and gather_str', () => {
  for (const n of LENGTHS) {
    const values = Array.from({ length: n }, () => randomString(20));
    const [offsets, data] = utf8(values);
    const hashes = h.agree(`str_hash n ${n}`, (k) => { const o = h.alloc(8 * n); k.str_hash(offsets, data, n, o); return h.read('u64', o, n); });
    const byValue = new Map<string, bigint>();
    values.forEach((s, i) => {
      if (byValue.has(s)) assert.equal(byValue.get(s), hashes[i], 'equal strings hash equal');
      byValue.set(s, hashes[i] as bigint);
    });
    const sel = h.subset(n, 0.6);
    const psel = h.put('i32', sel);
    const bytes = h.agree('str_sel_bytes', (k) => k.str_sel_bytes(offsets, psel, sel.length));
    assert.equal(bytes, BigInt(sel.reduce((t, i) => t + enc.encode(values[i]!).length, 0)));
    const [outOffsets, outBytes] = h.agree('gather_str', (k) => {
      const oo = h.alloc(4 * (sel.length + 1)), od = h.alloc(Number(bytes));
      const w = k.gather_str(offsets, data, psel, sel.length, oo, od);
      return [h.read('i32', oo, sel.length + 1), h.read('u8', od, w)];
    });
    const dec = new TextDecoder();
    const got = sel.map((_, i) => dec.decode(new Uint8Array((outBytes as number[]).slice(outOffsets[i] as number, outOffsets[i + 1] as number))));
    assert.deepEqual(got, sel.map((i) => values[i]));
    h.reset();
  }
});

test('key_norm_str: unsigned order of the key words is byte order, nulls placed, exact up to nwords * 8 bytes', () => {
  for (const n of LENGTHS) {
    const values = Array.from({ length: n }, () => randomString(5));
    const [offsets, data] = utf8(values);
    const [valid, bits] = h.validity(n);
    const nwords = 3; // 5 characters are at most 15 bytes
    for (const desc of [0, 1]) {
      for (const nf of [0, 1]) {
        const words = h.agree(`key_norm_str desc ${desc} nf ${nf} n ${n}`, (k) => {
          const keys = h.alloc(8 * (nwords + 1) * n);
          k.key_null(valid, n, keys, nwords + 1, 0, nf);
          k.key_norm_str(offsets, data, valid, n, keys, nwords + 1, 1, nwords, desc, nf);
          return h.read('u64', keys, (nwords + 1) * n) as bigint[];
        });
        const cmpRow = (i: number, j: number): number => {
          for (let w = 0; w <= nwords; w++) {
            const a = words[i * (nwords + 1) + w]!, b = words[j * (nwords + 1) + w]!;
            if (a !== b) return a < b ? -1 : 1;
          }
          return 0;
        };
        const bytesOf = (i: number): number[] => Array.from(enc.encode(values[i]!));
        const byteCmp = (x: number[], y: number[]): number => {
          for (let t = 0; t < Math.min(x.length, y.length); t++) if (x[t] !== y[t]) return x[t]! < y[t]! ? -1 : 1;
          return Math.sign(x.length - y.length);
        };
        for (let t = 0; t < 100 && n > 1; t++) {
          const i = h.int(0, n - 1), j = h.int(0, n - 1);
          let want: number;
          if (!bits[i] || !bits[j]) want = !bits[i] && !bits[j] ? 0 : (!bits[i] ? -1 : 1) * (nf ? 1 : -1);
          else want = desc ? byteCmp(bytesOf(j), bytesOf(i)) : byteCmp(bytesOf(i), bytesOf(j));
          assert.equal(cmpRow(i, j), want, `'${values[i]}' vs '${values[j]}'`);
        }
      }
    }
    h.reset();
  }
});
