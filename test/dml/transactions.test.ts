// Transactions between library sessions (db.session()): snapshot reads from a block's first
// statement, write conflicts failing with Redshift's 1023 and never losing an update, the
// transactional catalog (DDL private until COMMIT, undone by ROLLBACK) and TRUNCATE committing
// its block. Interleavings are driven statement by statement from two or more sessions.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../host/index.js';
import type { SessionApi } from '../../host/session/api.js';

const rowsOf = async (s: SessionApi, sql: string) => { const r = await s.execute(sql); return r[r.length - 1]!.rows; };
const one = async (s: SessionApi, sql: string) => (await rowsOf(s, sql))[0]![0];

/** The 1023 error as Redshift reports it. */
function isConflict(e: unknown): boolean {
  const err = e as { code?: string; message?: string; detail?: string };
  return err.code === 'XX000' && err.message === '1023'
    && /^Serializable isolation violation on table - \d+, transactions forming the cycle are: \d+, \d+ \(pid:\d+\)$/.test(err.detail ?? '');
}

describe('transactions between sessions', () => {
  let db: Database;
  before(async () => { db = await open({ slices: 2, workers: false }); });
  after(async () => { await db.close(); });

  it('a block reads the snapshot of its first statement, plus its own writes', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE snap (v INT); CREATE TABLE mine (v INT)');
    await a.execute('INSERT INTO snap VALUES (1)');
    await a.execute('BEGIN');
    // Nothing read yet: B's commit before A's first statement is visible to A.
    await b.execute('INSERT INTO snap VALUES (2)');
    assert.equal(await one(a, 'SELECT count(*) FROM snap'), 2n);
    await b.execute('INSERT INTO snap VALUES (3)');
    assert.equal(await one(a, 'SELECT count(*) FROM snap'), 2n, 'a commit after the snapshot is invisible');
    await a.execute('INSERT INTO mine VALUES (10)');
    assert.deepEqual(await rowsOf(a, 'SELECT (SELECT sum(v) FROM snap), (SELECT sum(v) FROM mine)'), [[3n, 10n]], 'own write beside the snapshot');
    assert.equal(await one(b, 'SELECT count(*) FROM mine'), 0n, 'uncommitted write invisible to others');
    await a.execute('ROLLBACK');
    assert.equal(await one(a, 'SELECT sum(v) FROM snap'), 6n, 'after the block, the latest commit');
    assert.equal(await one(a, 'SELECT count(*) FROM mine'), 0n);
    // Writing a table another transaction committed since the snapshot fails at once.
    await a.execute('BEGIN');
    assert.equal(await one(a, 'SELECT count(*) FROM snap'), 3n);
    await b.execute('INSERT INTO snap VALUES (4)');
    await assert.rejects(a.execute('INSERT INTO snap VALUES (10)'), isConflict);
    await a.execute('ROLLBACK');
    assert.equal(await one(a, 'SELECT sum(v) FROM snap'), 10n, 'committed data intact, nothing of A published');
    await a.close(); await b.close();
  });

  it('two blocks updating one row: the second COMMIT fails with 1023 and the first update stays', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE counter (v INT); INSERT INTO counter VALUES (0)');
    await a.execute('BEGIN'); await b.execute('BEGIN');
    const va = await one(a, 'SELECT v FROM counter');
    const vb = await one(b, 'SELECT v FROM counter');
    await a.execute(`UPDATE counter SET v = ${Number(va) + 1}`);
    await b.execute(`UPDATE counter SET v = ${Number(vb) + 1}`);
    await a.execute('COMMIT');
    await assert.rejects(b.execute('COMMIT'), isConflict);
    assert.equal(await one(b, 'SELECT v FROM counter'), 1);
    // A writer whose table was committed after its snapshot fails at the write itself, and its block is aborted.
    await b.execute('BEGIN');
    assert.equal(await one(b, 'SELECT v FROM counter'), 1);
    await a.execute('UPDATE counter SET v = v + 1');
    await assert.rejects(b.execute('UPDATE counter SET v = v + 1'), isConflict);
    assert.equal(b.transactionStatus, 'E');
    await assert.rejects(b.execute('SELECT 1'), { code: '25P02' });
    assert.equal((await b.execute('COMMIT'))[0]!.command, 'ROLLBACK');
    assert.equal(await one(b, 'SELECT v FROM counter'), 2);
    await a.close(); await b.close();
  });

  it('write skew (the example of Redshift\'s "Troubleshooting serializable isolation errors") fails one side', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE tab1 (x INT); CREATE TABLE tab2 (x INT)');
    await a.execute('BEGIN'); await b.execute('BEGIN');
    await a.execute('SELECT * FROM tab1');
    await b.execute('SELECT * FROM tab2');
    await a.execute('INSERT INTO tab2 VALUES (1)');
    await b.execute('INSERT INTO tab1 VALUES (1)');
    await a.execute('COMMIT');
    await assert.rejects(b.execute('COMMIT'), isConflict);
    assert.equal(await one(a, 'SELECT count(*) FROM tab1'), 0n);
    assert.equal(await one(a, 'SELECT count(*) FROM tab2'), 1n);
    // Writers of different tables that did not read each other's both commit.
    await a.execute('BEGIN'); await b.execute('BEGIN');
    await a.execute('INSERT INTO tab1 VALUES (2)');
    await b.execute('INSERT INTO tab2 VALUES (2)');
    await a.execute('COMMIT'); await b.execute('COMMIT');
    assert.deepEqual(await rowsOf(a, 'SELECT (SELECT count(*) FROM tab1), (SELECT count(*) FROM tab2)'), [[1n, 2n]]);
    await a.close(); await b.close();
  });

  it('concurrent read-modify-write increments: every retried transaction lands, none is lost', async () => {
    const sessions = await Promise.all(Array.from({ length: 6 }, () => db.session()));
    await sessions[0]!.execute('CREATE TABLE hits (v INT); INSERT INTO hits VALUES (0)');
    const perSession = 5;
    let conflicts = 0;
    await Promise.all(sessions.map(async (s) => {
      for (let i = 0; i < perSession; i++) {
        for (;;) {
          await s.execute('BEGIN');
          try {
            const v = Number(await one(s, 'SELECT v FROM hits'));
            await new Promise((r) => setImmediate(r)); // let the others interleave
            await s.execute(`UPDATE hits SET v = ${v + 1}`);
            await s.execute('COMMIT');
            break;
          } catch (e) {
            assert.ok(isConflict(e), String(e));
            conflicts++;
            if (s.transactionStatus !== 'I') await s.execute('ROLLBACK');
          }
        }
      }
    }));
    assert.equal(await one(sessions[0]!, 'SELECT v FROM hits'), sessions.length * perSession);
    assert.ok(conflicts > 0, 'the interleaving produced conflicts');
    // Outside blocks, concurrent increments all land: a statement that loses a conflict is rerun.
    await Promise.all(sessions.map((s) => s.execute('UPDATE hits SET v = v + 1')));
    assert.equal(await one(sessions[0]!, 'SELECT v FROM hits'), sessions.length * (perSession + 1));
    for (const s of sessions) await s.close();
  });

  it('DDL in a block is private until COMMIT and undone by ROLLBACK', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE keep (k INT, s VARCHAR(5)); INSERT INTO keep VALUES (1, \'a\'), (2, \'b\')');
    await a.execute('BEGIN');
    await a.execute('CREATE TABLE fresh (x INT); INSERT INTO fresh VALUES (7)');
    await a.execute('ALTER TABLE keep ADD COLUMN n INT DEFAULT 5');
    await a.execute('ALTER TABLE keep DROP COLUMN s');
    await a.execute('ALTER TABLE keep RENAME COLUMN k TO kk');
    assert.deepEqual(await rowsOf(a, 'SELECT kk, n FROM keep ORDER BY kk'), [[1, 5], [2, 5]]);
    await assert.rejects(b.execute('SELECT * FROM fresh'), { code: '42P01' });
    assert.deepEqual(await rowsOf(b, 'SELECT k, s FROM keep ORDER BY k'), [[1, 'a'], [2, 'b']]);
    await a.execute('ROLLBACK');
    await assert.rejects(a.execute('SELECT * FROM fresh'), { code: '42P01' });
    assert.deepEqual(await rowsOf(a, 'SELECT * FROM keep ORDER BY k'), [[1, 'a'], [2, 'b']]);

    await a.execute('BEGIN');
    await a.execute('DROP TABLE keep');
    await a.execute('ALTER TABLE tab1 RENAME TO tab1_renamed');
    assert.deepEqual(await rowsOf(b, 'SELECT count(*) FROM keep'), [[2n]], 'the drop is invisible to others');
    await a.execute('ROLLBACK');
    assert.deepEqual(await rowsOf(a, 'SELECT k FROM keep ORDER BY k'), [[1], [2]], 'ROLLBACK brings the dropped table back with its rows');
    await a.execute('SELECT * FROM tab1');

    await a.execute('BEGIN; CREATE TABLE fresh (x INT); INSERT INTO fresh VALUES (7); ALTER TABLE keep ADD COLUMN n INT DEFAULT 5');
    await a.execute('COMMIT');
    assert.deepEqual(await rowsOf(b, 'SELECT * FROM fresh'), [[7]]);
    assert.deepEqual(await rowsOf(b, 'SELECT k, n FROM keep ORDER BY k'), [[1, 5], [2, 5]]);
    await a.close(); await b.close();
  });

  it('concurrent DDL: different tables both commit; the same table name or relation conflicts', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('BEGIN; CREATE TABLE da (x INT)');
    await b.execute('BEGIN; CREATE TABLE db_ (x INT)');
    await a.execute('COMMIT'); await b.execute('COMMIT');
    await a.execute('SELECT * FROM da, db_');
    await a.execute('BEGIN; CREATE TABLE same (x INT)');
    await b.execute('BEGIN; CREATE TABLE same (y INT)');
    await a.execute('COMMIT');
    await assert.rejects(b.execute('COMMIT'), { code: '42P07' });
    assert.deepEqual((await a.execute('SELECT * FROM same'))[0]!.fields!.map((f) => f.name), ['x']);
    await a.execute('BEGIN; ALTER TABLE da ADD COLUMN y INT');
    await b.execute('BEGIN; ALTER TABLE da ADD COLUMN z INT');
    await b.execute('COMMIT');
    await assert.rejects(a.execute('COMMIT'), isConflict);
    assert.deepEqual((await a.execute('SELECT * FROM da'))[0]!.fields!.map((f) => f.name), ['x', 'z']);
    await a.close(); await b.close();
  });

  it('TRUNCATE commits the transaction it runs in', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE tr1 (x INT); CREATE TABLE tr2 (x INT); INSERT INTO tr2 VALUES (1), (2)');
    await a.execute('BEGIN');
    await a.execute('INSERT INTO tr1 VALUES (1)');
    await a.execute('TRUNCATE tr2');
    assert.equal(a.transactionStatus, 'I');
    assert.deepEqual(await rowsOf(b, 'SELECT (SELECT count(*) FROM tr1), (SELECT count(*) FROM tr2)'), [[1n, 0n]]);
    const [r] = await a.execute('ROLLBACK');
    assert.equal(r!.notices?.[0]?.code, '25P01');
    assert.equal(await one(b, 'SELECT count(*) FROM tr1'), 1n, 'ROLLBACK after TRUNCATE undoes nothing');
    await a.close(); await b.close();
  });

  it('db.copyFrom inside a block belongs to the block', async () => {
    const other = await db.session();
    await db.query('CREATE TABLE loaded (x INT)');
    await db.query('BEGIN');
    await db.copyFrom('loaded', new TextEncoder().encode('1\n2\n3\n'));
    assert.equal((await db.query('SELECT count(*) AS n FROM loaded')).rows[0]!.n, 3n);
    assert.equal(await one(other, 'SELECT count(*) FROM loaded'), 0n);
    await db.query('ROLLBACK');
    assert.equal((await db.query('SELECT count(*) AS n FROM loaded')).rows[0]!.n, 0n);
    await db.copyFrom('loaded', new TextEncoder().encode('4\n'));
    assert.equal(await one(other, 'SELECT count(*) FROM loaded'), 1n, 'outside a block it commits at once');
    await other.close();
  });

  it('db.copyFrom outside a block is a transaction of its own: a block that read the table gets 1023, no row is lost', async () => {
    await db.query('CREATE TABLE loaded2 (x INT)');
    await db.query('INSERT INTO loaded2 VALUES (0)');
    const other = await db.session();
    await other.execute('BEGIN');
    assert.equal(await one(other, 'SELECT count(*) FROM loaded2'), 1n);
    await db.copyFrom('loaded2', new TextEncoder().encode('1\n2\n'));
    await assert.rejects(async () => { await other.execute('INSERT INTO loaded2 VALUES (9)'); await other.execute('COMMIT'); }, isConflict);
    await other.execute('ROLLBACK');
    assert.equal((await db.query('SELECT count(*) AS n FROM loaded2')).rows[0]!.n, 3n);
    // A block created table is visible to copyFrom inside that block only.
    await db.query('BEGIN');
    await db.query('CREATE TABLE private_load (x INT)');
    await db.copyFrom('private_load', new TextEncoder().encode('5\n'));
    assert.equal((await db.query('SELECT sum(x) AS s FROM private_load')).rows[0]!.s, 5n);
    await db.query('ROLLBACK');
    await assert.rejects(db.copyFrom('private_load', new TextEncoder().encode('5\n')), (e: { code?: string }) => e.code === '42P01');
    await other.close();
  });

  it('CREATE USER in a block reaches the server\'s login check at COMMIT', async () => {
    const users = db.users;
    const a = await db.session();
    await a.execute("BEGIN; CREATE USER txn_user PASSWORD 'Secret123'; CREATE TABLE txn_user_t (x INT)");
    assert.equal(users.lookup('txn_user'), undefined);
    await a.execute('COMMIT');
    assert.deepEqual(users.lookup('txn_user'), { password: 'Secret123' });
    await a.close();
  });

  it('statements sent without awaiting each other on one session run one at a time', async () => {
    await db.query('CREATE TABLE queued (x INT)');
    await Promise.all(Array.from({ length: 8 }, (_, i) => db.query(`INSERT INTO queued VALUES (${i})`)));
    assert.equal((await db.query('SELECT count(*) AS n FROM queued')).rows[0]!.n, 8n);
  });
});
