// Restrictions implied by an OR join condition (host/plan/rules/or-restriction.ts): EXPLAIN shows each
// input's scan filtered by the OR of its own parts for an inner join, only the inner side for LEFT/semi/anti
// joins, and nothing when a branch says nothing about a side. Answers are checked in
// test/slt/query/or_restriction.slt against DuckDB.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';

let db: Database;

before(async () => {
  db = await open({ slices: 2 });
  await db.query('CREATE TABLE item (ik INTEGER, brand VARCHAR(10), size INTEGER)');
  await db.query('CREATE TABLE sale (sk INTEGER, ik INTEGER, qty INTEGER, mode VARCHAR(10))');
  await db.query("INSERT INTO item VALUES (1, 'b1', 1), (2, 'b2', 7)");
  await db.query("INSERT INTO sale VALUES (10, 1, 5, 'AIR'), (11, 2, 25, 'SHIP')");
});
after(async () => { await db.close(); });

/** The Filter line under `Seq Scan on <table>`, or null when that scan has none. */
async function scanFilter(sql: string, table: string): Promise<string | null> {
  const lines = (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN']));
  const at = lines.findIndex((l) => l.includes(`Seq Scan on ${table}`));
  assert.ok(at >= 0, `no scan of ${table} in\n${lines.join('\n')}`);
  const next = lines[at + 1] ?? '';
  return /^\s*Filter: /.test(next) ? next.trim() : null;
}

const OR = "((i.brand = 'b1' AND s.qty < 10) OR (i.brand = 'b2' AND s.qty > 10))";

test('an inner join narrows both inputs by the OR of their own parts', async () => {
  const sql = `SELECT s.sk FROM sale s JOIN item i ON s.ik = i.ik WHERE ${OR}`;
  const item = await scanFilter(sql, 'item');
  assert.match(item ?? '', /'b1'.* OR .*'b2'/);
  assert.doesNotMatch(item ?? '', /qty/);
  const sale = await scanFilter(sql, 'sale');
  assert.match(sale ?? '', /\(qty < 10\) OR \(qty > 10\)/);
});

test('a LEFT JOIN narrows only its inner side', async () => {
  const sql = `SELECT s.sk FROM sale s LEFT JOIN item i ON s.ik = i.ik AND ${OR}`;
  assert.match((await scanFilter(sql, 'item')) ?? '', /'b1'.* OR .*'b2'/);
  assert.equal(await scanFilter(sql, 'sale'), null);
});

test('EXISTS and NOT EXISTS narrow the subquery side only', async () => {
  for (const not of ['', 'NOT ']) {
    const sql = `SELECT s.sk FROM sale s WHERE ${not}EXISTS (SELECT 1 FROM item i WHERE i.ik = s.ik AND ${OR})`;
    assert.match((await scanFilter(sql, 'item')) ?? '', /'b1'.* OR .*'b2'/, not);
    assert.equal(await scanFilter(sql, 'sale'), null, not);
  }
});

test('a branch with nothing about a side leaves that side unfiltered', async () => {
  const sql = "SELECT s.sk FROM sale s JOIN item i ON s.ik = i.ik WHERE (i.brand = 'b1' AND s.qty < 10) OR s.mode = 'SHIP'";
  assert.equal(await scanFilter(sql, 'item'), null);
  assert.match((await scanFilter(sql, 'sale')) ?? '', /qty < 10.* OR .*SHIP/);
});
