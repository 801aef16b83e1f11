// group_ids/group_rehash and the aggregate kernels: SIMD and scalar WASM against the JS reference, a full group-by
// driven the way the executor will (grow and rehash when a call stops early), checked against a JS Map.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';
import type { KernelExports } from '../../../host/wasm/kernels.js';

const h = new Harness();

/** Runs a whole group-by over key rows with a table that starts tiny; returns gids and the group key rows. */
function groupAll(k: KernelExports, keys: number, width: number, hashes: number, n: number, maxGroups: number): [number[], bigint[], number] {
  let cap = 4;
  let table = h.alloc(4 * cap);
  h.v.i32.fill(-1, table / 4, table / 4 + cap);
  const gkeys = h.alloc(8 * width * (n + 1)), ghashes = h.alloc(8 * (n + 1)), state = h.alloc(8), gids = h.alloc(4 * n);
  let done = 0, calls = 0;
  while (done < n) {
    done += k.group_ids(keys + 8 * width * done, width, hashes + 8 * done, n - done, table, cap, gkeys, ghashes, state, maxGroups, gids + 4 * done);
    calls++;
    const ng = h.v.i32[state / 4]!;
    if (done < n) {
      if (ng >= maxGroups) break;
      cap *= 2;
      table = h.alloc(4 * cap);
      k.group_rehash(ghashes, ng, table, cap);
    }
  }
  const ng = h.v.i32[state / 4]!;
  return [h.read('i32', gids, done) as number[], h.read('u64', gkeys, ng * width) as bigint[], calls];
}

test('group_ids: dense ids in first-seen order, growth by rehash, maxGroups stop', () => {
  for (const n of LENGTHS) {
    for (const width of [1, 2, 3]) {
      const keys = h.put('u64', h.values('u64', n * width, true));
      const hashes = h.alloc(8 * n);
      h.impls[0]!.k.hash_rows(keys, width, n, hashes);
      for (const maxGroups of [1 << 30, 5]) {
        const [gids, gkeys] = h.agree(`group_ids w ${width} n ${n} max ${maxGroups}`, (k) => groupAll(k, keys, width, hashes, n, maxGroups));
        // reference: a Map over the key rows
        const raw = h.read('u64', keys, n * width) as bigint[];
        const seen = new Map<string, number>();
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          const key = raw.slice(i * width, (i + 1) * width).join(',');
          if (!seen.has(key)) { if (seen.size >= maxGroups) break; seen.set(key, seen.size); }
          want.push(seen.get(key)!);
        }
        assert.deepEqual(gids, want);
        assert.equal(gkeys.length, seen.size * width);
      }
      h.reset();
    }
  }
});

test('aggregates per group equal the JS reference', () => {
  for (const n of LENGTHS) {
    const groups = 7;
    const gids = h.put('i32', Array.from({ length: n }, () => h.int(0, groups - 1)));
    const [valid] = h.validity(n);
    const i32 = h.put('i32', h.values('i32', n)), i64 = h.put('i64', h.values('i64', n)), f64 = h.put('f64', h.values('f64', n, true));
    for (const v of [0, valid]) {
      h.agree('agg_count_star/count', (k) => {
        const a = h.alloc(8 * groups), b = h.alloc(8 * groups);
        k.agg_count_star(gids, n, a); k.agg_count(gids, v, n, b);
        return [h.read('i64', a, groups), h.read('i64', b, groups)];
      });
      h.agree('agg_sum_*', (k) => {
        const a = h.alloc(8 * groups), b = h.alloc(16 * groups), c = h.alloc(8 * groups);
        k.agg_sum_i32(gids, i32, v, n, a); k.agg_sum_i64(gids, i64, v, n, b); k.agg_sum_f64(gids, f64, v, n, c);
        return [h.read('i64', a, groups), h.read('i64', b, 2 * groups), h.read('f64', c, groups)];
      });
      for (const t of ['i32', 'i64', 'f64'] as const) {
        for (const m of ['min', 'max']) {
          h.agree(`agg_${m}_${t}`, (k) => {
            const acc = h.alloc(8 * groups), seen = h.alloc(groups);
            (k[`agg_${m}_${t}` as keyof KernelExports] as (...a: number[]) => void)(gids, t === 'i32' ? i32 : t === 'i64' ? i64 : f64, v, n, acc, seen);
            return [h.read(t, acc, groups), h.read('u8', seen, groups)];
          });
        }
      }
      const sel = h.subset(n);
      const psel = h.put('i32', sel);
      for (const [s, m] of [[0, n], [psel, sel.length]] as const) {
        h.agree('sum_*_sel', (k) => {
          const acc = h.alloc(16);
          k.sum_i64_sel(i64, v, s, m, acc);
          return [k.sum_i32_sel(i32, v, s, m), h.read('i64', acc, 2), k.sum_f64_sel(f64, v, s, m)];
        });
      }
    }
    h.reset();
  }
  // exactness: i128 sums past 2^63 and PostgreSQL NaN order for min/max
  for (const { k } of h.impls) {
    const vals = h.put('i64', [2n ** 63n - 1n, 2n ** 63n - 1n, 5n, -(2n ** 63n)]);
    const g = h.put('i32', [0, 0, 0, 1]);
    const acc = h.alloc(32);
    k.agg_sum_i64(g, vals, 0, 4, acc);
    const w = h.read('i64', acc, 4) as bigint[];
    assert.equal((w[1]! << 64n) + BigInt.asUintN(64, w[0]!), 2n ** 64n + 3n);
    assert.equal((w[3]! << 64n) + BigInt.asUintN(64, w[2]!), -(2n ** 63n));
    const f = h.put('f64', [1, NaN, -Infinity]);
    const g0 = h.put('i32', [0, 0, 0]);
    const mx = h.alloc(8), mn = h.alloc(8), s1 = h.alloc(1), s2 = h.alloc(1);
    k.agg_max_f64(g0, f, 0, 3, mx, s1); k.agg_min_f64(g0, f, 0, 3, mn, s2);
    assert.ok(Number.isNaN(h.read('f64', mx, 1)[0] as number));
    assert.equal(h.read('f64', mn, 1)[0], -Infinity);
  }
  h.reset();
});
