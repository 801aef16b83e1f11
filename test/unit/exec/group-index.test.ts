// GroupIndex and PairTable (host/exec/group-index.ts) and the int64 word access (host/functions/
// i64-words.ts) against plain JS oracles: a Map over value strings for group ids, BigInt for values;
// dictionary-coded keys (ids by combination of words) against the same Map.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaryVector, type Vector } from '../../../host/batch/vector.js';
import { bigInt64FromExact, exactAt, setExact, wordsOf } from '../../../host/functions/i64-words.js';
import { GroupIndex, PairTable } from '../../../host/exec/group-index.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

/** A deterministic generator (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

function vector(type: SqlType, data: Vector['data'], nulls: boolean[]): Vector {
  let valid: Uint8Array | null = null;
  nulls.forEach((isNull, i) => { if (isNull) { valid ??= new Uint8Array((nulls.length + 7) >> 3).fill(0xff); valid[i >> 3]! &= ~(1 << (i & 7)); } });
  return { type, length: nulls.length, data, valid };
}

test('i64 words: exactAt reads values below 2^53 exactly and NaN beyond; setExact writes back the same bits', () => {
  const r = rng(7);
  const edge = [0n, 1n, -1n, 2n ** 32n, -(2n ** 32n), 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
  const vals = [...edge];
  for (let i = 0; i < 2000; i++) vals.push(BigInt.asIntN(64, (BigInt(r()) << 32n) | BigInt(r())) >> BigInt(r() % 64));
  const d = BigInt64Array.from(vals);
  const w = wordsOf(d);
  const out = new BigInt64Array(vals.length);
  const wo = wordsOf(out);
  vals.forEach((v, i) => {
    const x = exactAt(w, i);
    const exact = v < 2n ** 53n && v > -(2n ** 53n);
    if (exact) {
      assert.equal(x, Number(v), `value ${v}`);
      setExact(wo, i, x);
      assert.equal(out[i], v, `round trip of ${v}`);
    } else if (v !== -(2n ** 53n)) assert.ok(Number.isNaN(x), `value ${v} must not read as exact`);
  });
  assert.deepEqual([...bigInt64FromExact([0, -0, 5, -5, 2 ** 53, -(2 ** 53)], 6)], [0n, 0n, 5n, -5n, 2n ** 53n, -(2n ** 53n)]);
  // either side of the 32-bit fast path
  const edges = [2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), 2 ** 32 + 7, -1];
  assert.deepEqual([...bigInt64FromExact(edges, edges.length)], edges.map((x) => BigInt(x)));
});

test('PairTable: dense ids in first-seen order across growth', () => {
  const t = new PairTable(4);
  const seen = new Map<string, number>();
  const r = rng(11);
  for (let i = 0; i < 50000; i++) {
    const a = (r() % 3000) | 0, b = (r() % 7) - 3;
    const key = `${a},${b}`;
    let want = seen.get(key);
    if (want === undefined) { want = seen.size; seen.set(key, want); }
    assert.equal(t.idOf(a, b), want);
  }
  assert.equal(t.size, seen.size);
});

/** Checks a PairTable's ids for `pairs` against a Map over the pairs in first-seen order. */
function checkPairs(t: PairTable, pairs: [number, number][]): void {
  const seen = new Map<string, number>();
  for (const [a, b] of pairs) {
    const key = `${a},${b}`;
    let want = seen.get(key);
    if (want === undefined) { want = seen.size; seen.set(key, want); }
    assert.equal(t.idOf(a, b), want, `pair ${key}`);
  }
  assert.equal(t.size, seen.size);
}

test('PairTable: ordered runs that repeat each other merge to the same ids as a Map', () => {
  const r = rng(5);
  // runs ascending by a (signed) then b (unsigned: negative b orders after positive), each repeating
  // part of the runs before it, with repeated pairs inside a run
  const pairs: [number, number][] = [];
  for (let run = 0; run < 12; run++) {
    let a = -50 - run;
    for (let i = 0; i < 4000; i++) {
      a += r() % 3;
      const n = 1 + (r() % 3);
      for (const b of [run % 2 ? -7 : 3, 2 ** 31 - 1].slice(0, 1 + (r() % 2))) for (let k = 0; k < n; k++) pairs.push([a, b]);
    }
  }
  checkPairs(new PairTable(), pairs);
});

test('PairTable: past the run limit (descending pairs) hashing keeps the merged ids', () => {
  const r = rng(9);
  const pairs: [number, number][] = [];
  for (let i = 0; i < 3000; i++) pairs.push([i, 0]);
  for (let i = 6000; i > 0; i--) pairs.push([i, r() % 2]);
  for (let i = 0; i < 20000; i++) pairs.push([(r() % 9000) | 0, r() % 2]);
  checkPairs(new PairTable(), pairs);
});

test('GroupIndex: ids match a Map over value keys for int, int8/numeric (with bigint[] batches), string and NULL keys', () => {
  const r = rng(3);
  const index = new GroupIndex(3);
  const oracle = new Map<string, number>();
  for (let batch = 0; batch < 6; batch++) {
    const n = 500 + batch * 300;
    const ints = new Int32Array(n), nulls0: boolean[] = [], nulls1: boolean[] = [], nulls2: boolean[] = [];
    const bigs: bigint[] = [], strs: string[] = [];
    for (let i = 0; i < n; i++) {
      ints[i] = (r() % 5) - 2;
      nulls0.push(r() % 13 === 0);
      // int8-sized values, a few near the ends of the range, and (in odd batches) some past int64
      const pick = r() % 10;
      bigs.push(pick === 0 ? 2n ** 63n - 1n : pick === 1 ? -(2n ** 63n) : pick === 2 && batch % 2 === 1 ? 2n ** 70n : BigInt(r() % 4) * 2n ** 40n);
      nulls1.push(r() % 11 === 0);
      // padded values (CHAR), some built per row (new string objects), all-blank ones equal to ''
      strs.push(['a', 'a  ', 'b', '', 'b ', ' ', 'a' + ' '.repeat(1 + (r() % 3)), '   '][r() % 8]!);
      nulls2.push(r() % 17 === 0);
    }
    const wide = bigs.some((b) => b !== BigInt.asIntN(64, b));
    const c1: Vector['data'] = wide ? bigs : BigInt64Array.from(bigs);
    const keys = [vector(T.int4, ints, nulls0), vector(T.numeric(38, 2), c1, nulls1), vector(T.varcharN(10), strs, nulls2)];
    const gids = new Int32Array(n);
    index.assign(keys, n, gids);
    for (let i = 0; i < n; i++) {
      // trailing blanks do not count in string equality (keys.ts), NULLs group together
      const key = `${nulls0[i] ? 'N' : ints[i]}|${nulls1[i] ? 'N' : bigs[i]}|${nulls2[i] ? 'N' : strs[i]!.replace(/ +$/, '')}`;
      let want = oracle.get(key);
      if (want === undefined) { want = oracle.size; oracle.set(key, want); }
      assert.equal(gids[i], want, `batch ${batch} row ${i} key ${key}`);
    }
    assert.equal(index.count, oracle.size);
  }
});

test('GroupIndex: runs of one value (keys stored in key order) with NULLs inside runs and values that come back later', () => {
  const r = rng(29);
  for (const keyCount of [1, 2]) {
    const index = new GroupIndex(keyCount);
    const oracle = new Map<string, number>();
    for (let batch = 0; batch < 4; batch++) {
      const n = 4000;
      const ints = new Int32Array(n), bigs = new BigInt64Array(n), nulls0: boolean[] = [], nulls1: boolean[] = [];
      let v = r() % 50, w = BigInt(r() % 3) * 2n ** 40n;
      for (let i = 0; i < n; i++) {
        if (r() % 4 === 0) v = r() % 50; // a new run, sometimes of a value seen before (0 among them)
        if (r() % 6 === 0) w = BigInt(r() % 3) * 2n ** 40n;
        ints[i] = v; bigs[i] = w;
        nulls0.push(r() % 9 === 0);
        nulls1.push(r() % 7 === 0);
      }
      const keys = [vector(T.int4, ints, nulls0), vector(T.int8, bigs, nulls1)].slice(0, keyCount);
      const gids = new Int32Array(n);
      index.assign(keys, n, gids);
      for (let i = 0; i < n; i++) {
        const key = [nulls0[i] ? 'N' : String(ints[i]), nulls1[i] ? 'N' : String(bigs[i])].slice(0, keyCount).join('|');
        let want = oracle.get(key);
        if (want === undefined) { want = oracle.size; oracle.set(key, want); }
        assert.equal(gids[i], want, `keys ${keyCount}, batch ${batch}, row ${i} (${key})`);
      }
    }
    assert.equal(index.count, oracle.size);
  }
});

test('GroupIndex: dictionary keys id whole rows by their words, across words lists in other orders, with trailing blanks, NULL batches and plain strings', () => {
  const r = rng(17);
  const index = new GroupIndex(2);
  const oracle = new Map<string, number>();
  // Each batch's words lists: the same words in another order, a blank-padded twin ('R ' equals 'R'),
  // some batches with a NULL (the row path), some as plain string arrays.
  const flags = ['A', 'N', 'R', 'R '], status = ['F', 'O', 'P'];
  const shuffled = (ws: string[]): string[] => { const out = [...ws]; for (let i = out.length - 1; i > 0; i--) { const j = r() % (i + 1); [out[i], out[j]] = [out[j]!, out[i]!]; } return out; };
  for (let batch = 0; batch < 24; batch++) {
    const n = 1 + (r() % 3000);
    const wa = batch % 3 === 0 ? flags : shuffled(flags), wb = batch % 4 === 0 ? status : shuffled(status);
    const ca = new Int32Array(n), cb = new Int32Array(n);
    // runs of one combination, then a stretch of random rows
    for (let i = 0; i < n; i++) { ca[i] = i < n / 2 ? ((i >> 6) % wa.length) : r() % wa.length; cb[i] = i < n / 2 ? ((i >> 7) % wb.length) : r() % wb.length; }
    const nullRow = batch % 5 === 4 ? r() % n : -1;
    const valid = nullRow < 0 ? null : (() => { const v = new Uint8Array((n + 7) >> 3).fill(0xff); v[nullRow >> 3]! &= ~(1 << (nullRow & 7)); return v; })();
    const plain = batch % 7 === 6;
    const a: Vector = plain ? { type: T.bpchar(1), length: n, data: Array.from(ca, (c) => wa[c]!), valid: null } : dictionaryVector(T.bpchar(1), ca, wa, null);
    const b: Vector = dictionaryVector(T.bpchar(1), cb, wb, valid);
    const gids = new Int32Array(n);
    const before = index.count;
    index.assign([a, b], n, gids);
    let next = before;
    for (let i = 0; i < n; i++) {
      const key = `${wa[ca[i]!]!.trimEnd()}|${i === nullRow ? 'NULL' : wb[cb[i]!]!}`;
      let want = oracle.get(key);
      if (want === undefined) { want = oracle.size; oracle.set(key, want); }
      assert.equal(gids[i], want, `batch ${batch} row ${i} key ${key}`);
      // new ids appear in increasing order of their first row (hash-agg.ts relies on it)
      if (gids[i]! >= before) { assert.ok(gids[i]! <= next, `batch ${batch} row ${i}: id ${gids[i]} before ${next}`); if (gids[i] === next) next++; }
    }
    assert.equal(index.count, oracle.size);
  }
});

test('GroupIndex: int keys in a narrow range (coded by a direct array) keep their ids when later batches widen the range, go past it, or hold NULLs', () => {
  const r = rng(23);
  const index = new GroupIndex(1);
  const oracle = new Map<string, number>();
  // narrow batches (one growing the range downwards and upwards), a NULL batch, then values spread
  // past the direct array's limit, then the first values again
  const batches: { lo: number; hi: number; nulls: boolean }[] = [
    { lo: 1000, hi: 3000, nulls: false }, { lo: -500, hi: 5000, nulls: true },
    { lo: 2000, hi: 40000, nulls: false }, { lo: -2_000_000_000, hi: 2_000_000_000, nulls: false },
    { lo: -500, hi: 40000, nulls: true },
  ];
  for (const [k, b] of batches.entries()) {
    const n = 3000 + 500 * k;
    const data = new Int32Array(n);
    const nulls: boolean[] = [];
    for (let i = 0; i < n; i++) { data[i] = b.lo + (r() % (b.hi - b.lo + 1)); nulls.push(b.nulls && r() % 10 === 0); }
    const gids = new Int32Array(n);
    index.assign([vector(T.int4, data, nulls)], n, gids);
    for (let i = 0; i < n; i++) {
      const key = nulls[i] ? 'NULL' : String(data[i]);
      let want = oracle.get(key);
      if (want === undefined) { want = oracle.size; oracle.set(key, want); }
      assert.equal(gids[i], want, `batch ${k} row ${i} key ${key}`);
    }
  }
  assert.equal(index.count, oracle.size);
});
