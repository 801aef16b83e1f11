// Numeric + - * (host/functions/arith.ts) and integer SUM (host/exec/aggregates.ts) on scaled int64
// vectors against a BigInt oracle, across magnitudes that cross the exact-double range (2^53), the
// int64 range and the result type's precision, with NULL rows holding out-of-range garbage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vector } from '../../../host/batch/vector.js';
import { SqlError, SqlState } from '../../../host/common/errors.js';
import { arith, type ArithOp } from '../../../host/functions/arith.js';
import { makeAccumulator } from '../../../host/exec/aggregates.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

/** A deterministic generator (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** A random int64 of about `bits` bits (either sign). */
function valueOfBits(r: () => number, bits: number): bigint {
  const raw = (BigInt(r()) << 32n) | BigInt(r());
  const v = bits >= 63 ? BigInt.asIntN(64, raw) : raw % (1n << BigInt(bits));
  return r() % 2 === 0 ? v : -v;
}

function column(type: SqlType, vals: bigint[], nulls: boolean[]): Vector {
  let valid: Uint8Array | null = null;
  nulls.forEach((isNull, i) => { if (isNull) { valid ??= new Uint8Array((nulls.length + 7) >> 3).fill(0xff); valid[i >> 3]! &= ~(1 << (i & 7)); } });
  return { type, length: vals.length, data: BigInt64Array.from(vals), valid };
}

const isNull = (v: Vector, i: number): boolean => v.valid !== null && ((v.valid[i >> 3]! >> (i & 7)) & 1) === 0;

/** The exact result of x op y at the result scale (mul: s = s1 + s2; add/sub: both rescaled up to s). */
function oracle(op: ArithOp, x: bigint, y: bigint, s1: number, s2: number, s: number): bigint {
  if (op === 'mul') return x * y;
  const a = x * 10n ** BigInt(s - s1), b = y * 10n ** BigInt(s - s2);
  return op === 'add' ? a + b : a - b;
}

const SHAPES: { op: ArithOp; s1: number; s2: number; p: number; s: number }[] = [
  { op: 'mul', s1: 2, s2: 2, p: 18, s: 4 },
  { op: 'mul', s1: 2, s2: 2, p: 30, s: 4 },
  { op: 'mul', s1: 4, s2: 2, p: 12, s: 6 },
  { op: 'add', s1: 0, s2: 2, p: 18, s: 2 },
  { op: 'sub', s1: 0, s2: 2, p: 16, s: 2 },
  { op: 'add', s1: 2, s2: 2, p: 38, s: 2 },
  { op: 'sub', s1: 6, s2: 0, p: 14, s: 6 },
];

test('numeric + - * match BigInt across the exact-double, int64 and precision boundaries', () => {
  const r = rng(11);
  let checked = 0, overflows = 0;
  for (const { op, s1, s2, p, s } of SHAPES) {
    // Each batch draws its magnitudes from one band, so some batches stay exact in doubles and
    // others leave 2^53, int64 or 10^p somewhere in the middle.
    for (const bits of [10, 26, 30, 40, 52, 53, 54, 62, 63]) {
      for (let round = 0; round < 6; round++) {
        const n = 1 + (r() % 300);
        const xs: bigint[] = [], ys: bigint[] = [], nulls: boolean[] = [];
        for (let i = 0; i < n; i++) {
          xs.push(valueOfBits(r, 1 + (r() % bits)));
          ys.push(valueOfBits(r, 1 + (r() % bits)));
          nulls.push(r() % 13 === 0);
        }
        // A NULL row holding the largest magnitudes must not raise an error.
        if (round === 0) { xs[0] = 2n ** 63n - 1n; ys[0] = -(2n ** 63n); nulls[0] = true; }
        const a = column(T.numeric(18, s1), xs, nulls), b = column(T.numeric(18, s2), ys, []);
        const limit = 10n ** BigInt(p);
        const expected = xs.map((x, i) => oracle(op, x, ys[i]!, s1, s2, s));
        const overflowAt = expected.findIndex((v, i) => !nulls[i] && (v >= limit || v <= -limit));
        let out: Vector;
        try {
          out = arith(op, a, b, n, T.numeric(p, s));
        } catch (e) {
          assert.ok(e instanceof SqlError && e.code === SqlState.numericValueOutOfRange, `unexpected error ${String(e)}`);
          assert.notEqual(overflowAt, -1, `${op} p=${p} bits=${bits}: overflow raised but every result fits`);
          overflows++;
          continue;
        }
        assert.equal(overflowAt, -1, `${op} p=${p} bits=${bits}: row ${overflowAt} overflows but no error was raised`);
        for (let i = 0; i < n; i++) {
          assert.equal(isNull(out, i), nulls[i], `null flag of row ${i}`);
          if (nulls[i]) continue;
          assert.equal(BigInt(out.data[i] as bigint), expected[i], `${op}(${xs[i]}, ${ys[i]}) scales ${s1},${s2} -> numeric(${p},${s})`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 10000 && overflows > 10, `coverage: ${checked} rows checked, ${overflows} overflow batches`);
});

test('SUM over int64/numeric groups matches BigInt when group sums cross 2^53, 2^62 and int64', () => {
  const r = rng(5);
  // int8 sums stay within int64 (values up to 2^50); numeric(38) sums go past it (values up to 2^63).
  for (const [type, step] of [[T.int8, 6], [T.numeric(38, 2), 10]] as const) {
    const acc = makeAccumulator({ fn: 'sum', args: [], distinct: false, filter: null, type }, 'single');
    const groups = 7;
    const want: bigint[] = new Array(groups).fill(0n);
    const seen: boolean[] = new Array(groups).fill(false);
    for (let batch = 0; batch < 40; batch++) {
      const n = 1 + (r() % 500);
      // Group g gets values of about 20 + step*g bits positive, negative or either sign, so its sum walks past
      // 2^53 (and for the later groups past 2^62 and int64) over the batches.
      const vals: bigint[] = [], nulls: boolean[] = [], gids = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const g = r() % (groups - 1); // the last group stays empty: its SUM is NULL
        gids[i] = g;
        let v = valueOfBits(r, Math.min(63, 20 + step * g));
        if ((g % 3 === 0 && v < 0n) || (g % 3 === 1 && v > 0n)) v = -v; // g % 3 === 2: either sign
        vals.push(v);
        nulls.push(r() % 17 === 0);
        if (!nulls[i]) { want[g]! += v; seen[g] = true; }
      }
      acc.update(gids, [column(type, vals, nulls)], n, groups);
    }
    let out: Vector;
    try {
      [out] = acc.finish(groups) as [Vector];
    } catch (e) {
      // int8 sums past int64 are an error (PostgreSQL: bigint out of range).
      assert.ok(e instanceof SqlError && e.code === SqlState.numericValueOutOfRange);
      assert.equal(type.id, 'int8');
      assert.ok(want.some((v) => v > 2n ** 63n - 1n || v < -(2n ** 63n)), 'overflow raised although every sum fits');
      continue;
    }
    for (let g = 0; g < groups; g++) {
      assert.equal(isNull(out, g), !seen[g], `null flag of group ${g}`);
      if (seen[g]) assert.equal(BigInt(out.data[g] as bigint), want[g], `sum of group ${g} (${type.id})`);
    }
    assert.ok(want.some((v) => v > 2n ** 53n || v < -(2n ** 53n)), 'some group sum must leave 2^53');
    if (type.id === 'numeric') assert.ok(want.some((v) => v > 2n ** 63n || v < -(2n ** 63n)), 'some numeric sum must leave int64');
  }
});

test('numeric casts: a wider precision of the same scale keeps the scaled integers; a narrower one checks them', async () => {
  const { castVector } = await import('../../../host/functions/cast.js');
  const r = rng(11);
  const from: SqlType = { id: 'numeric', precision: 10, scale: 2 };
  const vals = Array.from({ length: 500 }, () => valueOfBits(r, 30));
  const nulls = vals.map((_, i) => i % 17 === 3);
  const v = column(from, vals, nulls);
  const wide = castVector(v, { id: 'numeric', precision: 14, scale: 2 }, vals.length);
  assert.deepEqual(wide.type, { id: 'numeric', precision: 14, scale: 2 });
  assert.deepEqual(Array.from(wide.data as BigInt64Array), vals);
  assert.equal(wide.valid, v.valid);
  const rescaled = castVector(v, { id: 'numeric', precision: 14, scale: 4 }, vals.length);
  for (let i = 0; i < vals.length; i++) if (!nulls[i]) assert.equal((rescaled.data as ArrayLike<bigint>)[i], vals[i]! * 100n);
  // past 2^53 after rescaling: the BigInt path, same answers
  const near = column(from, [2n ** 50n, -(2n ** 51n) + 3n, 7n], [false, false, true]);
  const up = castVector(near, { id: 'numeric', precision: 38, scale: 6 }, 3);
  assert.deepEqual(Array.from(up.data as ArrayLike<bigint>).slice(0, 2), [2n ** 50n * 10000n, (-(2n ** 51n) + 3n) * 10000n]);
  // a NULL row's garbage never fails the cast
  const garbage = column(from, [5n, 2n ** 62n], [false, true]);
  assert.equal((castVector(garbage, { id: 'numeric', precision: 12, scale: 4 }, 2).data as ArrayLike<bigint>)[0], 500n);
  // numeric(8,2) -> numeric(8,4): 12345.67 needs 9 digits
  assert.throws(() => castVector(column(from, [1234567n], [false]), { id: 'numeric', precision: 8, scale: 4 }, 1), (e: unknown) => (e as SqlError).code === SqlState.numericValueOutOfRange);
  assert.deepEqual(Array.from(castVector(column(from, [123456n, -99n], [false, false]), { id: 'numeric', precision: 8, scale: 4 }, 2).data as ArrayLike<bigint>), [12345600n, -9900n]);
  // 10^6 scaled units do not fit numeric(8,2): 22003, as PostgreSQL says "numeric field overflow"
  const big = column(from, [123n, 100000000n], [false, false]);
  assert.throws(() => castVector(big, { id: 'numeric', precision: 8, scale: 2 }, 2), (e: unknown) => (e as SqlError).code === SqlState.numericValueOutOfRange);
});
