// SumAcc/AvgAcc.updateExact (host/exec/aggregates.ts) against a plain BigInt oracle, fed batch by batch
// as host/exec/hash-agg.ts feeds them: batches with and without NULLs in every order (a group whose rows
// are all NULL stays NULL, a group first seen in an all-valid batch after a NULL batch is not), few and
// many groups, values whose sums cross 2^53, and the vector path (update) for some batches in between.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vector } from '../../../host/batch/vector.js';
import { makeAccumulator } from '../../../host/exec/aggregates.js';
import { T } from '../../../host/types/sql-type.js';

/** A deterministic generator (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

for (const groups of [3, 5000]) {
  test(`SUM and AVG by exact values over ${groups} groups match BigInt across NULL and all-valid batches, 2^53 and the vector path`, () => {
    const r = rng(groups);
    const type = T.numeric(38, 2);
    const sum = makeAccumulator({ fn: 'sum', args: [], distinct: false, filter: null, type }, 'single');
    const avg = makeAccumulator({ fn: 'avg', args: [{ k: 'col', idx: 0, type: T.numeric(15, 2) }], distinct: false, filter: null, type }, 'single');
    const want = new Map<number, { s: bigint; c: bigint }>();
    let ngroups = 0;
    for (let batch = 0; batch < 40; batch++) {
      const n = 1 + (r() % 2000);
      // new groups appear batch by batch; the last group only ever gets NULLs
      ngroups = Math.min(groups, ngroups + 1 + (r() % Math.max(1, groups >> 3)));
      const gids = new Int32Array(n), values = new Float64Array(n);
      const withNulls = batch % 3 === 1;
      const valid = withNulls ? new Uint8Array((n + 7) >> 3).fill(0xff) : null;
      let maxAbs = 0;
      for (let i = 0; i < n; i++) {
        gids[i] = r() % ngroups;
        const big = r() % 50 === 0;
        values[i] = (big ? 2 ** 50 + (r() % 1000) : r() % 100_000) * (r() % 4 === 0 ? -1 : 1);
        maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
        const isNull = gids[i] === groups - 1 || (withNulls && r() % 5 === 0);
        if (isNull) { if (valid) valid[i >> 3]! &= ~(1 << (i & 7)); else { values[i] = 0; } }
        if (!isNull) {
          const e = want.get(gids[i]!) ?? { s: 0n, c: 0n };
          e.s += BigInt(values[i]!); e.c += 1n;
          want.set(gids[i]!, e);
        }
      }
      // the last group's rows in an all-valid batch are dropped (no NULL to mark them): remove them
      let m = n;
      if (valid === null) {
        let k = 0;
        for (let i = 0; i < n; i++) if (gids[i] !== groups - 1) { gids[k] = gids[i]!; values[k] = values[i]!; k++; }
        m = k;
      }
      if (batch % 7 === 3) {
        // the vector path for this batch, as a declined batch takes
        const data = BigInt64Array.from(Array.from(values.subarray(0, m), (v) => BigInt(v)));
        const v: Vector = { type: T.numeric(15, 2), length: m, data, valid };
        sum.update(gids.subarray(0, m), [v], m, ngroups);
        avg.update(gids.subarray(0, m), [v], m, ngroups);
      } else {
        sum.updateExact!(gids.subarray(0, m), values.subarray(0, m), valid, maxAbs, m, ngroups);
        avg.updateExact!(gids.subarray(0, m), values.subarray(0, m), valid, maxAbs, m, ngroups);
      }
    }
    const [s] = sum.finish(ngroups), [a] = avg.finish(ngroups);
    for (let g = 0; g < ngroups; g++) {
      const e = want.get(g);
      const isValid = (v: Vector): boolean => v.valid === null || ((v.valid[g >> 3]! >> (g & 7)) & 1) === 1;
      if (e === undefined) {
        assert.equal(isValid(s!), false, `group ${g}: SUM of no values is NULL`);
        assert.equal(isValid(a!), false, `group ${g}: AVG of no values is NULL`);
        continue;
      }
      assert.equal(isValid(s!), true, `group ${g}: SUM is not NULL`);
      assert.equal(BigInt(s!.data[g] as bigint), e.s, `group ${g}: SUM`);
      // AVG rounds half away from zero at the result scale
      const q = e.s / e.c, rem = e.s % e.c;
      const rounded = 2n * (rem < 0n ? -rem : rem) >= e.c ? q + (e.s < 0n ? -1n : 1n) : q;
      assert.equal(BigInt(a!.data[g] as bigint), rounded, `group ${g}: AVG`);
    }
  });
}
