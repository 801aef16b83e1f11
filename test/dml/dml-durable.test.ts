// Joined DML, MERGE, ALTER TABLE, VACUUM and ANALYZE against a data directory: what each statement
// committed (rows and the changed table definitions) is there after reopening, at 1 and 3 slices,
// and a failed statement leaves neither data nor catalog changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';

async function openEngine(dir: string, slices: number) {
  const engine = await Engine.create({ workers: false, slices, memoryBytes: 256 << 20, data: dir });
  const s = new Session(engine);
  return { engine, run: async (sql: string) => { const r = await s.execute(sql); return r[r.length - 1]!.rows; } };
}

for (const slices of [1, 3]) {
  describe(`joined DML and ALTER TABLE survive reopen (${slices} slice(s))`, () => {
    it('keeps rows and definitions', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wasmshift-dml-'));
      try {
        let db = await openEngine(dir, slices);
        await db.run(`CREATE TABLE t (a INT DISTKEY, b VARCHAR(10)) SORTKEY (a);
          CREATE TABLE u (a INT, c INT) DISTSTYLE EVEN;
          INSERT INTO t VALUES (3, 'x'), (1, 'y'), (2, 'z'), (4, 'w');
          INSERT INTO u VALUES (1, 10), (2, 20), (5, 50)`);
        await db.run('ALTER TABLE t ADD COLUMN c INT DEFAULT 7');
        await db.run('ALTER TABLE t DROP COLUMN b');
        await db.run('UPDATE t SET c = u.c FROM u WHERE t.a = u.a');
        await db.run('DELETE FROM t USING u WHERE t.a = u.a AND u.c = 20');
        await db.run('MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN UPDATE SET c = t.c + 1 WHEN NOT MATCHED THEN INSERT VALUES (u.a, u.c)');
        await db.run('ALTER TABLE t ALTER DISTSTYLE EVEN');
        await db.run('VACUUM');
        await db.run('ANALYZE');
        const before = await db.run('SELECT * FROM t ORDER BY a');
        assert.deepEqual(before, [[1, 11], [2, 20], [3, 7], [4, 7], [5, 50]]);
        // A failing statement changes nothing.
        await assert.rejects(db.run('ALTER TABLE t ADD COLUMN d INT NOT NULL'), { code: '23502' });
        await db.engine.close();

        db = await openEngine(dir, slices);
        assert.deepEqual(await db.run('SELECT * FROM t ORDER BY a'), before);
        assert.deepEqual(await db.run(`SELECT "column", type FROM pg_table_def WHERE tablename = 't' ORDER BY "column"`), [['a', 'integer'], ['c', 'integer']]);
        assert.deepEqual(await db.run(`SELECT diststyle FROM svv_table_info WHERE "table" = 't'`), [['EVEN']]);
        await db.engine.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
