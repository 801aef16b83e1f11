// The plan cache (host/session/plan-cache.ts): a SELECT run again reuses its plan, and every change
// a plan depends on (table data, DDL, views, search_path, the transaction's own
// writes, declared parameter types) makes it plan afresh. Each answer below would be wrong with a
// stale plan; the hit counts show the cache was used where it may be.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../host/index.js';
import type { SessionApi } from '../../host/session/api.js';

const rowsOf = async (s: SessionApi, sql: string, params?: unknown[], paramTypes?: never[]) => {
  const r = await s.execute(sql, params, paramTypes ? { paramTypes } : undefined);
  return r[r.length - 1]!.rows;
};

for (const workers of [false, true]) {
  describe(`plan cache (workers ${workers ? 'on' : 'off'})`, () => {
    let db: Database;
    const plans = () => (db as unknown as { engine: { plans: { hits: number } } }).engine.plans;
    before(async () => { db = await open({ slices: 2, workers }); });
    after(async () => { await db.close(); });

    it('a SELECT run again reuses its plan, with the same answer, and new data is read', async () => {
      const s = await db.session();
      await s.execute('CREATE TABLE pc_t (k INT, v INT) DISTKEY(k); INSERT INTO pc_t VALUES (1, 10), (2, 20), (3, 30)');
      const q = 'SELECT k, sum(v) FROM pc_t WHERE k > 1 GROUP BY k ORDER BY k';
      const first = await rowsOf(s, q);
      const hits = plans().hits;
      assert.deepEqual(await rowsOf(s, q), first);
      assert.deepEqual(first, [[2, 20n], [3, 30n]]);
      assert.equal(plans().hits, hits + 1, 'the second run hits');
      await s.execute('INSERT INTO pc_t VALUES (4, 40), (2, 5)');
      assert.deepEqual(await rowsOf(s, q), [[2, 25n], [3, 30n], [4, 40n]], 'rows inserted since are read');
      await s.execute('DELETE FROM pc_t WHERE k = 3');
      assert.deepEqual(await rowsOf(s, q), [[2, 25n], [4, 40n]]);
      await s.execute('TRUNCATE pc_t');
      assert.deepEqual(await rowsOf(s, q), []);
      await s.close();
    });

    it('a table dropped and created again with other columns is bound afresh', async () => {
      const s = await db.session();
      await s.execute("CREATE TABLE pc_d (a INT, b VARCHAR(10)); INSERT INTO pc_d VALUES (1, 'x')");
      const q = 'SELECT * FROM pc_d';
      assert.deepEqual(await rowsOf(s, q), [[1, 'x']]);
      await s.execute("DROP TABLE pc_d; CREATE TABLE pc_d (b VARCHAR(10), a BIGINT, c DATE); INSERT INTO pc_d VALUES ('y', 2, '2020-01-02')");
      const r = await s.execute(q);
      assert.deepEqual(r[0]!.fields!.map((f) => f.name), ['b', 'a', 'c']);
      const day = Date.UTC(2020, 0, 2) / 86_400_000;
      assert.deepEqual(r[0]!.rows, [['y', 2n, day]]);
      await s.execute('ALTER TABLE pc_d ADD COLUMN e INT DEFAULT 7');
      assert.deepEqual(await rowsOf(s, q), [['y', 2n, day, 7]]);
      await s.close();
    });

    it('a view replaced by another definition is read through the new one', async () => {
      const s = await db.session();
      await s.execute('CREATE TABLE pc_v_base (v INT); INSERT INTO pc_v_base VALUES (1), (2), (3)');
      await s.execute('CREATE VIEW pc_v AS SELECT sum(v) AS s FROM pc_v_base');
      assert.deepEqual(await rowsOf(s, 'SELECT s FROM pc_v'), [[6n]]);
      await s.execute('CREATE OR REPLACE VIEW pc_v AS SELECT max(v) AS s FROM pc_v_base');
      assert.deepEqual(await rowsOf(s, 'SELECT s FROM pc_v'), [[3]]);
      await s.close();
    });

    it('search_path decides which table a name means', async () => {
      const s = await db.session();
      await s.execute('CREATE SCHEMA pc_s1; CREATE SCHEMA pc_s2');
      await s.execute('CREATE TABLE pc_s1.pc_n (v INT); INSERT INTO pc_s1.pc_n VALUES (1)');
      await s.execute('CREATE TABLE pc_s2.pc_n (v INT); INSERT INTO pc_s2.pc_n VALUES (2)');
      const q = 'SELECT v FROM pc_n';
      await s.execute('SET search_path TO pc_s1');
      assert.deepEqual(await rowsOf(s, q), [[1]]);
      await s.execute('SET search_path TO pc_s2');
      assert.deepEqual(await rowsOf(s, q), [[2]]);
      await s.execute('SET search_path TO pc_s1');
      const hits = plans().hits;
      assert.deepEqual(await rowsOf(s, q), [[1]]);
      assert.equal(plans().hits, hits + 1, 'the pc_s1 plan is still there');
      // A table created in a schema earlier on the path takes the name over.
      await s.execute('SET search_path TO pc_s2, pc_s1');
      assert.deepEqual(await rowsOf(s, q), [[2]]);
      await s.execute('DROP TABLE pc_s2.pc_n');
      assert.deepEqual(await rowsOf(s, q), [[1]]);
      await s.close();
    });

    it("a transaction's own writes and its rollback", async () => {
      const s = await db.session(), other = await db.session();
      await s.execute('CREATE TABLE pc_x (v INT); INSERT INTO pc_x VALUES (1)');
      const q = 'SELECT count(*), sum(v) FROM pc_x';
      assert.deepEqual(await rowsOf(s, q), [[1n, 1n]]);
      await s.execute('BEGIN; INSERT INTO pc_x VALUES (5)');
      assert.deepEqual(await rowsOf(s, q), [[2n, 6n]], 'own uncommitted write');
      assert.deepEqual(await rowsOf(other, q), [[1n, 1n]], 'not seen by another session');
      await s.execute('ROLLBACK');
      assert.deepEqual(await rowsOf(s, q), [[1n, 1n]]);
      await s.execute('BEGIN; DROP TABLE pc_x; CREATE TABLE pc_x (v INT, w INT); INSERT INTO pc_x VALUES (7, 8)');
      assert.deepEqual(await rowsOf(s, q), [[1n, 7n]], "the transaction's own catalog");
      assert.deepEqual(await rowsOf(other, q), [[1n, 1n]]);
      await s.execute('COMMIT');
      assert.deepEqual(await rowsOf(other, q), [[1n, 7n]]);
      await s.close(); await other.close();
    });

    it('parameters are values of each run; declared types plan apart', async () => {
      const s = await db.session();
      await s.execute('CREATE TABLE pc_p (k INT, v VARCHAR(8)); INSERT INTO pc_p VALUES (1, \'a\'), (2, \'b\'), (3, \'c\')');
      const q = 'SELECT v FROM pc_p WHERE k >= $1 ORDER BY v';
      assert.deepEqual(await rowsOf(s, q, ['2']), [['b'], ['c']]);
      assert.deepEqual(await rowsOf(s, q, ['3']), [['c']]);
      assert.deepEqual(await rowsOf(s, 'SELECT $1 || \'!\'', ['12']), [['12!']]);
      assert.deepEqual(await rowsOf(s, 'SELECT $1 + 1', ['12'], [{ id: 'int4' }] as never[]), [[13]]);
      assert.deepEqual(await rowsOf(s, 'SELECT $1 + 1', ['1.5'], [{ id: 'float8' }] as never[]), [[2.5]]);
      await s.close();
    });

    it('time and system relations are read at each run', async () => {
      const s = await db.session();
      const [[a]] = await rowsOf(s, 'SELECT now()') as unknown[][];
      await new Promise((r) => setTimeout(r, 5));
      const [[b]] = await rowsOf(s, 'SELECT now()') as unknown[][];
      assert.notDeepEqual(a, b, 'now() is the time of each statement');
      const q = 'SELECT count(*) FROM stl_query';
      const [[n1]] = await rowsOf(s, q) as bigint[][];
      await s.execute('SELECT 1');
      const [[n2]] = await rowsOf(s, q) as bigint[][];
      assert.ok(n2! > n1!, `stl_query grows between runs (${n1} then ${n2})`);
      await s.close();
    });
  });
}
