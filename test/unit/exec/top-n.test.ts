// Top-N selection (host/exec/top-n.ts) against sorting every row and keeping the first k: random
// keys with many ties (broken by row number), k of 0, 1, a few, n and more than n; and ORDER BY ...
// LIMIT through the engine, descending keys and NULLs included, against the same query unlimited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topNIndices } from '../../../host/exec/top-n.js';
import { open } from '../../../host/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

test('topNIndices equals a full sort truncated to k, ties by row number', () => {
  const r = rng(5);
  for (const n of [0, 1, 7, 100, 5000]) {
    const keys = Array.from({ length: n }, () => Math.floor(r() * 20));
    const cmp = (a: number, b: number) => (keys[a]! - keys[b]!) || (a - b);
    const sorted = Array.from({ length: n }, (_, i) => i).sort(cmp);
    for (const k of [0, 1, 3, 10, n, n + 5]) {
      assert.deepEqual([...topNIndices(n, k, cmp)], sorted.slice(0, k), `n=${n} k=${k}`);
    }
  }
});

test('ORDER BY ... LIMIT returns the first rows of the full ordering (DESC, NULLs, ties)', async () => {
  const db = await open({ slices: 2 });
  try {
    await db.query('CREATE TABLE t (id INTEGER, v INTEGER, s VARCHAR(4))');
    const r = rng(9);
    const rows = Array.from({ length: 3000 }, (_, i) => `(${i}, ${r() < 0.05 ? 'NULL' : Math.floor(r() * 50)}, 's${Math.floor(r() * 7)}')`);
    await db.query(`INSERT INTO t VALUES ${rows.join(', ')}`);
    for (const order of ['v DESC, id', 'v NULLS FIRST, s DESC, id', 's, v DESC NULLS LAST, id']) {
      const all = (await db.query(`SELECT id FROM t ORDER BY ${order}`)).rows.map((x) => x.id);
      for (const k of [1, 10, 100]) {
        const top = (await db.query(`SELECT id FROM t ORDER BY ${order} LIMIT ${k}`)).rows.map((x) => x.id);
        assert.deepEqual(top, all.slice(0, k), `${order} LIMIT ${k}`);
      }
      const page = (await db.query(`SELECT id FROM t ORDER BY ${order} LIMIT 10 OFFSET 20`)).rows.map((x) => x.id);
      assert.deepEqual(page, all.slice(20, 30), `${order} LIMIT 10 OFFSET 20`);
    }
  } finally {
    await db.close();
  }
});
