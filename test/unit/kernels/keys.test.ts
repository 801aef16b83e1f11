// Hash and key-packing kernels: SIMD and scalar WASM against the JS reference, and the ordering contract of
// key_norm/key_null checked against SQL order (PostgreSQL: NaN greatest, -0 = 0, NULLS FIRST/LAST).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS, type Kind } from './harness.js';
import type { KernelExports } from '../../../host/wasm/kernels.js';

const h = new Harness();
type Fn = (...a: unknown[]) => void;

test('hash_rows, hash_i32, hash_i64 equal the JS reference; hash_i32(x) = hash_rows([x])', () => {
  for (const n of LENGTHS) {
    for (const width of [1, 2, 3, 5]) {
      const keys = h.put('u64', h.values('u64', n * width));
      h.agree(`hash_rows w ${width} n ${n}`, (k) => { const o = h.alloc(8 * n); k.hash_rows(keys, width, n, o); return h.read('u64', o, n); });
    }
    const col32 = h.put('i32', h.values('i32', n));
    const col64 = h.put('i64', h.values('i64', n));
    const a = h.agree('hash_i32', (k) => { const o = h.alloc(8 * n); k.hash_i32(col32, n, o); return h.read('u64', o, n); });
    h.agree('hash_i64', (k) => { const o = h.alloc(8 * n); k.hash_i64(col64, n, o); return h.read('u64', o, n); });
    const keys = h.alloc(8 * n);
    h.impls[1]!.k.key_put_i32(col32, n, keys, 1, 0);
    const o = h.alloc(8 * n);
    h.impls[1]!.k.hash_rows(keys, 1, n, o);
    assert.deepEqual(h.read('u64', o, n), a);
    h.reset();
  }
  // distinct keys should give distinct hashes
  const n = 100000;
  const col = h.put('i32', Array.from({ length: n }, (_, i) => i));
  const o = h.alloc(8 * n);
  h.impls[1]!.k.hash_i32(col, n, o);
  assert.equal(new Set(h.read('u64', o, n)).size, n);
  h.reset();
});

function sqlCmp(kind: string, a: number | bigint, b: number | bigint): number {
  if (kind[0] === 'f') {
    const an = Number.isNaN(a), bn = Number.isNaN(b);
    if (an || bn) return (an ? 1 : 0) - (bn ? 1 : 0);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

test('key_norm_* and key_null: unsigned order of key rows is SQL order', () => {
  for (const kind of ['i16', 'i32', 'i64', 'f32', 'f64'] as const) {
    for (const n of LENGTHS) {
      const data = h.values(kind as Kind, n, true);
      const col = h.put(kind as Kind, data);
      const [valid, bits] = h.validity(n);
      for (const desc of [0, 1]) {
        for (const nf of [0, 1]) {
          for (const v of [0, valid]) {
            const words = h.agree(`key_norm_${kind}`, (k) => {
              const keys = h.alloc(16 * n);
              k.key_null(v, n, keys, 2, 0, nf);
              (k[`key_norm_${kind}` as keyof KernelExports] as Fn)(col, v, n, keys, 2, 1, desc, nf);
              return h.read('u64', keys, 2 * n) as bigint[];
            });
            const isNull = (i: number): boolean => v !== 0 && !bits[i];
            for (let t = 0; t < 200 && n > 1; t++) {
              const i = h.int(0, n - 1), j = h.int(0, n - 1);
              const ki = [words[2 * i]!, words[2 * i + 1]!], kj = [words[2 * j]!, words[2 * j + 1]!];
              const got = ki[0]! !== kj[0]! ? (ki[0]! < kj[0]! ? -1 : 1) : ki[1]! !== kj[1]! ? (ki[1]! < kj[1]! ? -1 : 1) : 0;
              let want: number;
              if (isNull(i) || isNull(j)) want = isNull(i) && isNull(j) ? 0 : (isNull(i) ? -1 : 1) * (nf ? 1 : -1);
              else want = desc ? sqlCmp(kind, data[j]!, data[i]!) : sqlCmp(kind, data[i]!, data[j]!);
              assert.equal(got, want, `${kind} desc ${desc} nullsFirst ${nf}: rows ${i} (${String(data[i])}) and ${j} (${String(data[j])})`);
            }
          }
        }
      }
      for (const name of kind === 'f32' ? [] : [`key_put_${kind}`]) {
        h.agree(name, (k) => { const keys = h.alloc(16 * n); (k[name as keyof KernelExports] as Fn)(col, n, keys, 2, 1); return h.read('u64', keys, 2 * n); });
      }
      h.reset();
    }
  }
});

test('hash_partition + partition_rows: a stable split of the rows by hash', () => {
  for (const n of LENGTHS) {
    const keys = h.put('u64', h.values('u64', n));
    const hashes = h.alloc(8 * n);
    h.impls[1]!.k.hash_rows(keys, 1, n, hashes);
    for (const nparts of [1, 3, 16]) {
      const [parts, counts, sel] = h.agree(`partition n ${n} parts ${nparts}`, (k) => {
        const p = h.alloc(4 * n), c = h.alloc(4 * nparts), st = h.alloc(4 * nparts), o = h.alloc(4 * n);
        k.hash_partition(hashes, n, nparts, p, c);
        const cs = h.read('i32', c, nparts) as number[];
        let acc = 0;
        h.v.i32.set(cs.map((x) => { const s = acc; acc += x; return s; }), st / 4);
        k.partition_rows(p, n, st, o);
        return [h.read('i32', p, n) as number[], cs, h.read('i32', o, n) as number[]];
      });
      assert.ok(parts.every((p) => p >= 0 && p < nparts));
      assert.equal(counts.reduce((a, b) => a + b, 0), n);
      const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => parts[a]! - parts[b]! || a - b);
      assert.deepEqual(sel, want);
    }
    h.reset();
  }
});
