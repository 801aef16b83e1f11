// The Node library as a user calls it: open(), query() with node-postgres-shaped results, the sql
// tag, stream(), queryArrow(), prepare(), sessions and transactions, errors with SQLSTATE and
// position, statement_timeout, and close() stopping the workers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, sql, SqlError, type Database } from '../../host/index.js';

let db: Database;
before(async () => {
  db = await open({ slices: 2 });
  await db.query(`CREATE TABLE acct (id BIGINT IDENTITY(1,1), owner VARCHAR(20) NOT NULL, balance DECIMAL(12,2), opened DATE)
                  DISTSTYLE KEY DISTKEY (owner) SORTKEY (opened)`);
  await db.query(`INSERT INTO acct (owner, balance, opened) VALUES ('ann', 10.50, '2024-01-02'), ('bob', 99999999.99, '2024-02-03'), ('cy', NULL, NULL)`);
});
after(async () => { await db.close(); });

test('query returns rows, fields with OIDs, command and rowCount; BIGINT as bigint, DECIMAL exact', async () => {
  const r = await db.query('SELECT id, owner, balance, opened FROM acct ORDER BY id');
  assert.equal(r.command, 'SELECT');
  assert.equal(r.rowCount, 3);
  assert.deepEqual(r.fields.map((f) => [f.name, f.dataTypeID]), [['id', 20], ['owner', 1043], ['balance', 1700], ['opened', 1082]]);
  assert.equal(r.rows[0]!.id, 1n);
  assert.equal(r.rows[1]!.balance, '99999999.99');
  assert.equal((r.rows[0]!.opened as Date).toISOString(), '2024-01-02T00:00:00.000Z');
  assert.equal(r.rows[2]!.balance, null);
  const ins = await db.query(`INSERT INTO acct (owner) VALUES ('dee')`);
  assert.deepEqual([ins.command, ins.rowCount], ['INSERT', 1]);
  const sum = await db.query('SELECT sum(balance) AS s FROM acct');
  assert.equal(sum.rows[0]!.s, '100000010.49');
});

test('the sql tag always binds its values as parameters', async () => {
  const evil = "x' OR '1'='1";
  const r = await db.query(sql`SELECT count(*) AS n FROM acct WHERE owner = ${evil}`);
  assert.equal(r.rows[0]!.n, 0n);
  const r2 = await db.query(sql`SELECT owner FROM acct WHERE balance > ${10} AND opened >= ${'2024-01-01'} ORDER BY owner`);
  assert.deepEqual(r2.rows.map((x) => x.owner), ['ann', 'bob']);
});

test('stream yields batches and queryArrow returns an Arrow table', async () => {
  let seen = 0;
  for await (const batch of db.stream('SELECT id FROM acct', [], 2)) { assert.ok(batch.length <= 2); seen += batch.length; }
  assert.equal(seen, 4);
  const t = await db.queryArrow('SELECT id, owner FROM acct ORDER BY id');
  assert.equal(t.numRows, 4);
  assert.equal(t.getChild('owner')!.get(1), 'bob');
  assert.equal(t.getChild('id')!.get(0), 1n);
});

test('prepare infers parameter types and runs many times', async () => {
  const p = await db.prepare('SELECT owner FROM acct WHERE id = $1');
  assert.equal(p.paramTypes[0]!.id, 'int8');
  assert.deepEqual((await p.query([2])).rows, [{ owner: 'bob' }]);
  assert.deepEqual((await p.query(['1'])).rows, [{ owner: 'ann' }]);
});

test('errors carry SQLSTATE, PostgreSQL wording and the position of a syntax error', async () => {
  await assert.rejects(db.query('SELECT * FROM nope'), (e: SqlError) => e.code === '42P01' && e.message === 'relation "nope" does not exist');
  await assert.rejects(db.query('SELECT 1 FROM acct WHERE'), (e: SqlError) => e.code === '42601' && e.position === 25);
  await assert.rejects(db.query("INSERT INTO acct (owner) VALUES (NULL)"), (e: SqlError) => e.code === '23502');
  await assert.rejects(db.query("INSERT INTO acct (owner) VALUES ('this name is far too long')"), (e: SqlError) => e.code === '22001');
  // A failed statement changes nothing and the database keeps working.
  assert.equal((await db.query('SELECT count(*) AS n FROM acct')).rows[0]!.n, 4n);
});

test('sessions are isolated: a transaction is invisible to others until COMMIT, ROLLBACK discards it', async () => {
  const a = db.session(), b = db.session();
  await a.execute('BEGIN');
  await a.execute(`INSERT INTO acct (owner) VALUES ('eve')`);
  assert.equal(a.transactionStatus, 'T');
  const count = async (s: typeof a) => (await s.execute('SELECT count(*) FROM acct'))[0]!.rows[0]![0];
  assert.equal(await count(a), 5n);
  assert.equal(await count(b), 4n);
  await a.execute('COMMIT');
  assert.equal(await count(b), 5n);
  await a.execute('BEGIN; DELETE FROM acct; ');
  await a.execute('ROLLBACK');
  assert.equal(await count(b), 5n);
  await a.execute('BEGIN');
  await assert.rejects(a.execute('SELECT 1/0'), (e: SqlError) => e.code === '22012');
  assert.equal(a.transactionStatus, 'E');
  await assert.rejects(a.execute('SELECT 1'), (e: SqlError) => e.code === '25P02');
  await a.execute('ROLLBACK');
  assert.equal(a.transactionStatus, 'I');
});

test('statement_timeout and cancellation stop a long query with 57014', async () => {
  await db.query('CREATE TABLE big AS SELECT g AS a FROM generate_series(1, 300000) g');
  const s = db.session();
  await s.execute('SET statement_timeout = 100');
  await assert.rejects(s.execute('SELECT count(*) FROM big x, big y WHERE x.a + y.a < 0'), (e: SqlError) => e.code === '57014');
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 100);
  await assert.rejects(db.session().execute('SELECT count(*) FROM big x, big y WHERE x.a * y.a < 0', [], { signal: ctl.signal }), (e: SqlError) => e.code === '57014');
  assert.equal((await db.query('SELECT count(*) AS n FROM big')).rows[0]!.n, 300000n);
});

test('one slice and many slices give the same answers over distributed joins and aggregates', async () => {
  const one = await open({ slices: 1, workers: false });
  try {
    const setup = [
      'CREATE TABLE f (k INT, g INT, v DECIMAL(10,2)) DISTKEY (k)',
      'CREATE TABLE d (k INT, name VARCHAR(10)) DISTSTYLE EVEN',
      'INSERT INTO f SELECT g % 500, g % 7, (g % 100) / 4.0 FROM generate_series(1, 250000) g',
      "INSERT INTO d SELECT g, 'n' || (g % 9) FROM generate_series(0, 499) g",
    ];
    for (const q of setup) { await one.query(q); await db.query(q); }
    const q = 'SELECT d.name, f.g, count(*) AS c, sum(f.v) AS s, count(DISTINCT f.k) AS dk FROM f JOIN d ON f.k = d.k GROUP BY 1, 2 ORDER BY 1, 2';
    const [x, y] = [await one.query(q), await db.query(q)];
    assert.equal(x.rows.length, 63);
    assert.deepEqual(y.rows, x.rows);
  } finally {
    await one.close();
  }
});

test('close() stops the workers: later queries fail cleanly', async () => {
  const tmp = await open({ slices: 2 });
  await tmp.query('SELECT 1');
  await tmp.close();
  await assert.rejects(tmp.query('SELECT 1'), (e: SqlError) => e.code === '57P01');
});
