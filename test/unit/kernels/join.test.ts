// Hash join kernels: build/probe (resumed in small output chunks), exists and mark: SIMD and scalar WASM against
// the JS reference, and the pairs checked against a nested-loop join.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';
import type { KernelExports } from '../../../host/wasm/kernels.js';

const h = new Harness();

/** Every pair of a probe, in as many calls as maxOut needs; passed: the probe rows the bloom (0: none) let through. */
function probeAll(k: KernelExports, pk: number, width: number, ph: number, pn: number, bk: number, bh: number, heads: number,
  cap: number, next: number, maxOut: number, bloom = 0, bmask = 0): [number, number][] & { passed?: number } {
  const state = h.alloc(12), op = h.alloc(4 * maxOut), ob = h.alloc(4 * maxOut);
  h.v.i32.fill(0, state / 4, state / 4 + 3);
  const pairs: [number, number][] & { passed?: number } = [];
  for (let guard = 0; guard < 1e6; guard++) {
    const c = k.join_probe(pk, width, ph, pn, bk, bh, heads, cap, next, state, op, ob, maxOut, bloom, bmask);
    const ps = h.read('i32', op, c), bs = h.read('i32', ob, c);
    for (let i = 0; i < c; i++) pairs.push([ps[i] as number, bs[i] as number]);
    if (h.v.i32[state / 4] === pn) break;
  }
  pairs.passed = h.v.i32[state / 4 + 2];
  return pairs;
}

test('join_build + join_probe emit every equal-key pair, resumable; exists and mark_u8', () => {
  for (const bn of LENGTHS) {
    for (const width of [1, 2]) {
      const pn = 300;
      const bkeys = h.put('u64', h.values('u64', bn * width, true).map((x) => BigInt.asUintN(64, BigInt(x)) % 8n));
      const pkeys = h.put('u64', h.values('u64', pn * width, true).map((x) => BigInt.asUintN(64, BigInt(x)) % 8n));
      const bh = h.alloc(8 * bn), ph = h.alloc(8 * pn);
      h.impls[0]!.k.hash_rows(bkeys, width, bn, bh);
      h.impls[0]!.k.hash_rows(pkeys, width, pn, ph);
      const cap = 16;
      for (const maxOut of [1, 7, 100000]) {
        const pairs = h.agree(`join w ${width} bn ${bn} maxOut ${maxOut}`, (k) => {
          const heads = h.alloc(4 * cap), next = h.alloc(4 * bn);
          h.v.i32.fill(-1, heads / 4, heads / 4 + cap);
          k.join_build(bkeys, width, bh, bn, heads, cap, next);
          const all = probeAll(k, pkeys, width, ph, pn, bkeys, bh, heads, cap, next, maxOut);
          const matched = h.alloc(pn);
          const m = k.join_probe_exists(pkeys, width, ph, pn, bkeys, bh, heads, cap, next, matched, 0, 0);
          // the same probes through a bloom of the build hashes: the bloom only filters, so nothing changes
          const words = 4, bloom = h.alloc(8 * words);
          h.v.u8.fill(0, bloom, bloom + 8 * words);
          k.join_bloom_build(bh, bn, bloom, words - 1);
          const viaBloom = probeAll(k, pkeys, width, ph, pn, bkeys, bh, heads, cap, next, maxOut, bloom, words - 1);
          const matchedViaBloom = h.alloc(pn);
          const mViaBloom = k.join_probe_exists(pkeys, width, ph, pn, bkeys, bh, heads, cap, next, matchedViaBloom, bloom, words - 1);
          const flags = h.alloc(bn);
          const idx = h.put('i32', all.map((p) => p[1]));
          k.mark_u8(idx, all.length, flags);
          return {
            all: [...all], m, matched: h.read('u8', matched, pn), flags: h.read('u8', flags, bn), viaBloom: [...viaBloom], passed: viaBloom.passed,
            mViaBloom, matchedViaBloom: h.read('u8', matchedViaBloom, pn),
          };
        });
        const bw = h.read('u64', bkeys, bn * width), pw = h.read('u64', pkeys, pn * width);
        const want: [number, number][] = [];
        for (let p = 0; p < pn; p++) {
          for (let b = 0; b < bn; b++) {
            if (pw.slice(p * width, (p + 1) * width).join() === bw.slice(b * width, (b + 1) * width).join()) want.push([p, b]);
          }
        }
        assert.deepEqual(pairs.all, want);
        assert.equal(pairs.m, new Set(want.map((x) => x[0])).size);
        assert.deepEqual(pairs.viaBloom, want);
        assert.equal(pairs.mViaBloom, pairs.m);
        assert.deepEqual(pairs.matchedViaBloom, pairs.matched);
        // every matched probe row passed the bloom, and no more rows passed than were probed
        assert.ok(pairs.passed! >= pairs.m && pairs.passed! <= pn, `bloom passed ${pairs.passed} rows`);
      }
      h.reset();
    }
  }
});
