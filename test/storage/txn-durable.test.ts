// Transactions against a data directory: a block's changes (data and DDL) reach the disk only at
// COMMIT, all tables of the block in one manifest write; ROLLBACK and a commit that fails with
// 1023 write nothing; after reopening, exactly the committed blocks are there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { MANIFEST_FILE } from '../../host/storage/durable/manifest.js';

async function openEngine(dir: string) {
  const engine = await Engine.create({ workers: false, slices: 2, memoryBytes: 256 << 20, data: dir });
  const session = () => {
    const s = new Session(engine);
    return async (sql: string) => { const r = await s.execute(sql); return r[r.length - 1]!; };
  };
  return { engine, session };
}

/** The manifest on disk: its generation and the names of the tables its catalog holds. */
function onDisk(dir: string): { generation: number; tables: string[]; rows: Record<string, number> } {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { generation: number; catalog: { relations: { oid: number; name: string; kind: string }[] }; tables: { oid: number; rows: number }[] };
  const names = new Map(m.catalog.relations.filter((r) => r.kind === 'table').map((r) => [r.oid, r.name]));
  const rows: Record<string, number> = {};
  for (const t of m.tables) rows[names.get(t.oid) ?? String(t.oid)] = t.rows;
  return { generation: m.generation, tables: [...names.values()].sort(), rows };
}

describe('transactions and the data directory', () => {
  it('a block reaches the disk at COMMIT only, in one manifest write over all its tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-txn-'));
    try {
      const db = await openEngine(dir);
      const a = db.session(), b = db.session();
      await a('CREATE TABLE acct (id INT, bal INT); INSERT INTO acct VALUES (1, 100), (2, 0)');
      const before = onDisk(dir);
      assert.deepEqual(before.tables, ['acct']);
      await a('BEGIN');
      await a('UPDATE acct SET bal = bal - 30 WHERE id = 1');
      await a('UPDATE acct SET bal = bal + 30 WHERE id = 2');
      await a('CREATE TABLE ledger (id INT, amount INT)');
      await a('INSERT INTO ledger VALUES (1, -30), (2, 30)');
      await a('ALTER TABLE acct ADD COLUMN note VARCHAR(10) DEFAULT \'moved\'');
      // Other sessions keep committing meanwhile; none of the block is on disk.
      await b('CREATE TABLE other (x INT); INSERT INTO other VALUES (1)');
      const during = onDisk(dir);
      assert.deepEqual(during.tables, ['acct', 'other']);
      assert.equal(during.rows.acct, 2);
      await a('COMMIT');
      const after = onDisk(dir);
      assert.equal(after.generation, during.generation + 1, 'one manifest write for the whole block');
      assert.deepEqual(after.tables, ['acct', 'ledger', 'other']);
      assert.deepEqual(after.rows, { acct: 2, ledger: 2, other: 1 });

      // ROLLBACK and a failed COMMIT write nothing.
      await a('BEGIN; DROP TABLE ledger; INSERT INTO acct VALUES (3, 5, NULL)');
      await a('ROLLBACK');
      await a('BEGIN');
      await a('SELECT * FROM other');
      await a('INSERT INTO acct VALUES (4, 4, NULL)');
      await b('INSERT INTO other VALUES (2)');
      const beforeConflict = onDisk(dir);
      await assert.rejects(a('COMMIT'), { code: 'XX000', message: '1023' });
      assert.deepEqual(onDisk(dir), beforeConflict);
      await db.engine.close();

      const again = await openEngine(dir);
      const c = again.session();
      assert.deepEqual((await c('SELECT id, bal, note FROM acct ORDER BY id')).rows, [[1, 70, 'moved'], [2, 30, 'moved']]);
      assert.deepEqual((await c('SELECT sum(amount), count(*) FROM ledger')).rows, [[0n, 2n]]);
      assert.deepEqual((await c('SELECT x FROM other ORDER BY x')).rows, [[1], [2]]);
      await again.engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
