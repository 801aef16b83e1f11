// Planner estimates (host/plan/cardinality.ts): the sampled distinct-count estimator against the
// true count of synthetic columns, LIKE selectivity's ordering, and EXPLAIN's row estimates of
// filters, semi and anti joins against the counts the same queries return.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';
import { distinctFromSample, likeSelectivity } from '../../../host/plan/cardinality.js';

/** A deterministic generator (xorshift32) so the synthetic columns are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

/** Distinct estimate of a column from a uniform sample of `n` of its rows (without replacement, as ANALYZE samples). */
function estimateFromSample(column: Int32Array, n: number, seed: number): number {
  const r = rng(seed);
  const pos = Int32Array.from({ length: column.length }, (_, i) => i);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r() * (pos.length - i));
    const p = pos[j]!; pos[j] = pos[i]!; pos[i] = p;
    const v = column[p]!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let once = 0;
  for (const c of counts.values()) if (c === 1) once++;
  return distinctFromSample(n, counts.size, once, column.length);
}

test('distinctFromSample: within 25% of the true distinct count of repeated, unique and few-valued columns', () => {
  const rows = 1_500_000;
  const r = rng(7);
  // 100K keys, 15 rows each (TPC-H SF 1 o_custkey's shape), 1.5M unique keys, 25 values
  const repeated = Int32Array.from({ length: rows }, () => Math.floor(r() * 100_000));
  const unique = Int32Array.from({ length: rows }, (_, i) => i);
  const few = Int32Array.from({ length: rows }, () => Math.floor(r() * 25));
  const trueDistinct = (c: Int32Array) => new Set(c).size;
  for (const [name, col] of [['repeated', repeated], ['unique', unique], ['few', few]] as const) {
    const truth = trueDistinct(col);
    const est = estimateFromSample(col, 20_000, 11);
    assert.ok(Math.abs(est - truth) <= truth * 0.25, `${name}: estimated ${est}, true ${truth}`);
  }
  // A sample of the whole column is exact.
  assert.equal(distinctFromSample(100, 37, 5, 100), 37);
});

test('likeSelectivity: more literal text keeps fewer rows; wildcards alone keep all', () => {
  assert.equal(likeSelectivity('%'), 1);
  assert.equal(likeSelectivity('%_%'), 1);
  assert.ok(likeSelectivity('a%') > likeSelectivity('abc%'));
  assert.ok(likeSelectivity('%green%') > likeSelectivity('%special%requests%'));
  assert.ok(likeSelectivity('%special%requests%') > 0);
});

let db: Database;
const ROWS = 20_000;

before(async () => {
  db = await open({ slices: 2 });
  await db.query('CREATE TABLE fact (k INTEGER, grp INTEGER, cat VARCHAR(8), d DATE) DISTKEY(k)');
  await db.query('CREATE TABLE dim (g INTEGER, label VARCHAR(8)) DISTKEY(g)');
  const r = rng(3);
  for (let start = 0; start < ROWS; start += 2000) {
    const values: string[] = [];
    for (let k = start; k < start + 2000; k++) {
      const day = Math.floor(r() * 1000);
      values.push(`(${k}, ${Math.floor(r() * 50)}, 'c${Math.floor(r() * 10)}', DATE '2020-01-01' + ${day})`);
    }
    await db.query(`INSERT INTO fact VALUES ${values.join(', ')}`);
  }
  await db.query(`INSERT INTO dim VALUES ${Array.from({ length: 5 }, (_, i) => `(${i * 10}, 'l${i}')`).join(', ')}`);
});
after(async () => { await db.close(); });

/** The rows= figure of EXPLAIN's first line (the query's estimated output). */
async function estimatedRows(sql: string): Promise<number> {
  const lines = (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN']));
  const m = /rows=(\d+)/.exec(lines[0]!);
  assert.ok(m, lines.join('\n'));
  return Number(m[1]);
}

async function actualRows(sql: string): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM (${sql}) q`)).rows[0]!.n);
}

for (const [name, where, factor] of [
  ['equality on a 50-value column', 'grp = 7', 2],
  ['IN list on a 10-value column', "cat IN ('c1', 'c2', 'c3')", 2],
  ['date range from zone maps', "d >= DATE '2020-03-01' AND d < DATE '2020-06-01'", 2],
  ['one-sided integer range', 'k < 5000', 2],
  ['two independent equalities', "grp = 3 AND cat = 'c4'", 3],
  ['OR of equalities', 'grp = 1 OR grp = 2', 2],
  ['inequality', 'grp <> 9', 1.5],
] as const) {
  test(`EXPLAIN estimate of a filter is within ${factor}x of its count: ${name}`, async () => {
    const sql = `SELECT k FROM fact WHERE ${where}`;
    const est = await estimatedRows(sql), actual = await actualRows(sql);
    assert.ok(actual > 0);
    assert.ok(est <= actual * factor && est * factor >= actual, `${where}: estimated ${est}, returned ${actual}`);
  });
}

test('EXPLAIN estimates of semi and anti joins follow the inner side\'s distinct keys', async () => {
  // dim holds 5 of fact's 50 grp values: a tenth of fact matches.
  const semi = 'SELECT k FROM fact WHERE EXISTS (SELECT 1 FROM dim WHERE g = grp)';
  const anti = 'SELECT k FROM fact WHERE NOT EXISTS (SELECT 1 FROM dim WHERE g = grp)';
  for (const sql of [semi, anti]) {
    const est = await estimatedRows(sql), actual = await actualRows(sql);
    assert.ok(est <= actual * 2 && est * 2 >= actual, `${sql}: estimated ${est}, returned ${actual}`);
  }
});
