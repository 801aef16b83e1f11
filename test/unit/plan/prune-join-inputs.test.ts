// Join inputs narrowed to the columns read above them (host/plan/rules/prune-join-inputs.ts): EXPLAIN
// widths show a filter-only column no longer passes through the join, and queries whose nodes above a
// join read columns in every way (DISTINCT, set operations, windows, ORDER BY, outer and semi joins,
// joins of joins) answer as DuckDB does on the same data, with 1 and 3 slices.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';
import { diffAgainstDuckdb, formatDiffFailures, type QueryPair } from '../../differential/harness.js';

const SETUP = [
  'CREATE TABLE item (ik INTEGER, brand VARCHAR(10), size INTEGER, note VARCHAR(20))',
  'CREATE TABLE sale (sk INTEGER, ik INTEGER, qty INTEGER, mode VARCHAR(10))',
  "INSERT INTO item VALUES (1, 'b1', 1, 'green'), (2, 'b1', 7, 'red'), (3, 'b2', 3, 'green tea'), (4, 'b2', 12, NULL), (5, NULL, 2, 'blue')",
  "INSERT INTO sale VALUES (10, 1, 5, 'AIR'), (11, 1, 25, 'AIR'), (12, 2, 8, 'MAIL'), (13, 3, 15, 'AIR'), (14, 3, 35, 'SHIP'), (15, 4, 1, 'AIR'), (16, NULL, 20, 'AIR'), (17, 9, 3, 'MAIL'), (18, 5, NULL, 'SHIP')",
];

let db: Database;
before(async () => {
  db = await open({ slices: 2 });
  for (const sql of SETUP) await db.query(sql);
});
after(async () => { await db.close(); });

/** The `width=` of the first EXPLAIN line that contains `what`. */
async function widthOf(sql: string, what: string): Promise<number> {
  const lines = (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN']));
  const line = lines.find((l) => l.includes(what));
  assert.ok(line, `no "${what}" in\n${lines.join('\n')}`);
  return Number(/width=(\d+)/.exec(line!)![1]);
}

test('a column read only by its scan filter does not pass through the join', async () => {
  // sk + ik from sale, ik from item: the join outputs three int4 columns, not item's note and brand
  const narrow = await widthOf("SELECT s.sk FROM sale s JOIN item i ON s.ik = i.ik WHERE i.note LIKE '%green%'", 'Hash Join');
  assert.equal(narrow, 12);
  // the same join whose parent reads note keeps it
  const wide = await widthOf("SELECT s.sk, i.note FROM sale s JOIN item i ON s.ik = i.ik WHERE i.note LIKE '%green%'", 'Hash Join');
  assert.ok(wide > narrow, `${wide} > ${narrow}`);
});

test('the inputs of a join below another join keep only what the upper joins and the select read', async () => {
  const w = await widthOf("SELECT a.sk FROM sale a JOIN item i ON a.ik = i.ik JOIN sale b ON b.sk = a.sk WHERE i.brand = 'b1' AND b.mode = 'AIR'", 'Hash Join');
  // the top join: a.sk (+ a.ik / i.ik only if read above: they are not) and b.sk
  assert.ok(w <= 12, `top join width ${w}`);
});

const QUERIES: QueryPair[] = [
  { name: 'filter-only column', sql: "SELECT s.sk FROM sale s JOIN item i ON s.ik = i.ik WHERE i.note LIKE '%green%' ORDER BY 1" },
  { name: 'DISTINCT over a join', sql: "SELECT DISTINCT i.brand FROM sale s JOIN item i ON s.ik = i.ik WHERE s.mode = 'AIR' ORDER BY 1" },
  { name: 'count(*) over a join', sql: "SELECT count(*) FROM sale s JOIN item i ON s.ik = i.ik WHERE i.size < 10 AND s.qty > 2" },
  { name: 'ORDER BY a column not selected', sql: 'SELECT s.sk FROM sale s JOIN item i ON s.ik = i.ik ORDER BY i.size DESC, s.sk' },
  { name: 'filter above the join on a column not selected', sql: 'SELECT s.sk FROM sale s LEFT JOIN item i ON s.ik = i.ik WHERE i.note IS NULL ORDER BY 1' },
  { name: 'window over a join', sql: 'SELECT s.sk, rank() OVER (PARTITION BY i.brand ORDER BY s.qty) FROM sale s JOIN item i ON s.ik = i.ik ORDER BY 1' },
  { name: 'UNION of joins', sql: "SELECT s.mode FROM sale s JOIN item i ON s.ik = i.ik WHERE i.brand = 'b1' UNION SELECT i.note FROM item i JOIN sale s ON s.ik = i.ik WHERE s.qty > 10 ORDER BY 1" },
  { name: 'full join', sql: 'SELECT s.sk, i.ik FROM sale s FULL JOIN item i ON s.ik = i.ik AND s.qty > 4 ORDER BY 1, 2' },
  { name: 'EXISTS and NOT EXISTS', sql: "SELECT i.ik FROM item i WHERE EXISTS (SELECT 1 FROM sale s WHERE s.ik = i.ik AND s.mode = 'AIR') AND NOT EXISTS (SELECT 1 FROM sale s WHERE s.ik = i.ik AND s.qty > 30) ORDER BY 1" },
  { name: 'grouped join of joins', sql: "SELECT i.brand, count(*), sum(b.qty) FROM sale a JOIN item i ON a.ik = i.ik JOIN sale b ON b.ik = a.ik WHERE i.note <> 'red' GROUP BY i.brand ORDER BY 1" },
  { name: 'residual condition reads a column nothing else reads', sql: 'SELECT a.sk, b.sk FROM sale a JOIN sale b ON a.ik = b.ik AND a.mode <> b.mode ORDER BY 1, 2' },
  { name: 'cross join reading no column', sql: 'SELECT count(*) FROM sale s CROSS JOIN item i' },
];

for (const slices of [1, 3]) {
  test(`joins with narrowed inputs answer as DuckDB does (${slices} slice(s))`, async () => {
    const failures = await diffAgainstDuckdb(SETUP, QUERIES, slices);
    assert.equal(failures.length, 0, formatDiffFailures(failures));
  });
}
