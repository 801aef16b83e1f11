// EXPLAIN writes constants as the query does (host/plan/explain.ts): a DECIMAL with its scale (0.05, not
// the scaled integer 5), a DATE or TIMESTAMP quoted with its type (not a day count or microseconds), as
// PostgreSQL's EXPLAIN writes them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';

let db: Database;

before(async () => {
  db = await open({ slices: 2, workers: false });
  await db.query('CREATE TABLE t (d DATE, ts TIMESTAMP, amt DECIMAL(12,2), rate DECIMAL(8,4), q SMALLINT, n BIGINT, f FLOAT8, s VARCHAR(10), b BOOLEAN)');
});
after(async () => { await db.close(); });

async function filter(where: string): Promise<string> {
  const lines = (await db.query(`EXPLAIN SELECT count(*) FROM t WHERE ${where}`)).rows.map((r) => String(r['QUERY PLAN']));
  const line = lines.find((l) => l.trim().startsWith('Filter:'));
  assert.ok(line, lines.join('\n'));
  return line!.trim();
}

test('dates and timestamps are quoted with their type', async () => {
  assert.equal(await filter("d >= '1994-01-01' AND d < dateadd(year, 1, date '1994-01-01')"),
    "Filter: ((d >= '1994-01-01'::date) AND (d < '1995-01-01'::date))");
  assert.match(await filter("ts > '2024-03-05 06:07:08'"), /ts > '2024-03-05 06:07:08'::timestamp/);
});

test('decimals keep their scale; integers, floats and strings read as written', async () => {
  assert.equal(await filter('amt BETWEEN 0.05 AND 0.07'), 'Filter: ((amt >= 0.05) AND (amt <= 0.07))');
  assert.match(await filter('amt < 24'), /< 24\.00\)/);
  assert.match(await filter('rate > -1.5'), /rate > -1\.5000\)/);
  assert.match(await filter('q <= 40'), /<= 40\)/);
  assert.match(await filter('n = 9007199254740993'), /n = 9007199254740993\)/);
  assert.match(await filter('f < 2.5'), /f < 2\.5\)/);
  assert.match(await filter("s = 'x'"), /'x'::/);
  assert.match(await filter('b = true OR q = 1'), /b = true\)/);
});
