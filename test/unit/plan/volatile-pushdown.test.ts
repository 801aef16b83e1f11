// Predicates calling a volatile function stay at the level they were written at
// (host/plan/rules/pushdown.ts): a column-free `random() < 0.5` over a join filters the join's rows,
// not one input's (which would keep or drop all of a row's matches together), and a volatile predicate
// is not pushed below an aggregate. The join tests check the answer's shape, which the wrong placement
// cannot give, not only EXPLAIN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';

let db: Database;
const MATCHES = 1000;

before(async () => {
  db = await open({ slices: 2 });
  await db.query('CREATE TABLE one_row (k INTEGER)');
  await db.query('CREATE TABLE many (k INTEGER, v INTEGER)');
  await db.query('INSERT INTO one_row VALUES (1)');
  await db.query(`INSERT INTO many SELECT 1, g FROM generate_series(1, ${MATCHES}) g`);
});
after(async () => { await db.close(); });

async function count(sql: string): Promise<number> { return Number((await db.query(sql)).rows[0]!.n); }

async function plan(sql: string): Promise<string[]> {
  return (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN']));
}

// One row joins 1000: filtering the join's rows keeps about half of them. Filtering the one-row input
// instead keeps 0 or all 1000 (a correct run lands on 0 or 1000 with probability 2^-999).
for (const [name, sql] of [
  ['WHERE', 'SELECT count(*) AS n FROM one_row o JOIN many m ON o.k = m.k WHERE random() < 0.5'],
  ['ON', 'SELECT count(*) AS n FROM one_row o JOIN many m ON o.k = m.k AND random() < 0.5'],
  ['WHERE over a join in a subquery', 'SELECT count(*) AS n FROM (SELECT m.v FROM one_row o JOIN many m ON o.k = m.k) x WHERE random() < 0.5'],
] as const) {
  test(`a column-free random() in ${name} filters each joined row`, async () => {
    const n = await count(sql);
    assert.ok(n > 0 && n < MATCHES, `expected some but not all of ${MATCHES} joined rows, got ${n}`);
    const lines = await plan(sql);
    const scan = lines.findIndex((l) => l.includes('Seq Scan on one_row'));
    assert.doesNotMatch(lines[scan + 1] ?? '', /random/, `random() was pushed into one_row's scan:\n${lines.join('\n')}`);
  });
}

test('a volatile predicate on a grouping column stays above the aggregate', async () => {
  const sql = 'SELECT count(*) AS n FROM (SELECT v, count(*) AS c FROM many GROUP BY v) g WHERE v > random() * 0 AND v > 500';
  const lines = await plan(sql);
  const agg = lines.findIndex((l) => l.includes('HashAggregate'));
  const randomAt = lines.findIndex((l) => l.includes('random()'));
  const plainAt = lines.findIndex((l) => l.includes('(v > 500)'));
  assert.ok(randomAt >= 0 && randomAt < agg, `random() filter not above the aggregate:\n${lines.join('\n')}`);
  assert.ok(plainAt > agg, `the plain predicate should still be pushed below the aggregate:\n${lines.join('\n')}`);
  assert.equal(await count(sql), MATCHES - 500);
});

test('a volatile predicate is not pushed into a subquery that projects it', async () => {
  const sql = 'SELECT count(*) AS n FROM (SELECT v, random() AS r FROM many) x WHERE r < 2';
  assert.equal(await count(sql), MATCHES);
  const lines = await plan(sql);
  const scan = lines.findIndex((l) => l.includes('Seq Scan on many'));
  assert.doesNotMatch(lines[scan + 1] ?? '', /random/);
});
