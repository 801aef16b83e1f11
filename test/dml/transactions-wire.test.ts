// Transactions between real pg clients through the wire server: concurrent read-modify-write
// blocks on one counter never lose an increment (losers get Redshift's 1023 with its DETAIL and
// retry), a failed COMMIT leaves the connection idle, and a block's DDL is invisible to the other
// connection until COMMIT.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startServer, type TestServer } from '../wire/harness.js';

describe('transactions over the wire (pg)', () => {
  let srv: TestServer;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev', database: 'dev' });
    await c.connect();
    clients.push(c);
    return c;
  };
  before(async () => { srv = await startServer(); });
  after(async () => { for (const c of clients) await c.end(); await srv.close(); });

  it('two clients incrementing one counter in blocks: every increment lands, losers get 1023 and retry', async () => {
    const a = await client(), b = await client();
    await a.query('CREATE TABLE wire_counter (v INT)');
    await a.query('INSERT INTO wire_counter VALUES (0)');
    const perClient = 10;
    let conflicts = 0;
    const details: string[] = [];
    const work = async (c: pg.Client) => {
      for (let i = 0; i < perClient; i++) {
        for (;;) {
          await c.query('BEGIN');
          try {
            const { rows } = await c.query('SELECT v FROM wire_counter');
            await c.query('UPDATE wire_counter SET v = $1', [Number(rows[0].v) + 1]);
            await c.query('COMMIT');
            break;
          } catch (e) {
            const err = e as { code?: string; message?: string; detail?: string };
            assert.equal(err.code, 'XX000', String(e));
            assert.equal(err.message, '1023');
            details.push(err.detail ?? '');
            conflicts++;
            await c.query('ROLLBACK'); // after a failed COMMIT this only warns: the block is gone
          }
        }
      }
    };
    // One interleaving for certain: both read, A commits its write, B's COMMIT fails.
    await a.query('BEGIN'); await b.query('BEGIN');
    const va = (await a.query('SELECT v FROM wire_counter')).rows[0].v;
    const vb = (await b.query('SELECT v FROM wire_counter')).rows[0].v;
    await a.query('UPDATE wire_counter SET v = $1', [va + 1]);
    await b.query('UPDATE wire_counter SET v = $1', [vb + 1]);
    await a.query('COMMIT');
    await assert.rejects(b.query('COMMIT'), (e: { code?: string; message?: string; detail?: string }) => {
      details.push(e.detail ?? '');
      return e.code === 'XX000' && e.message === '1023';
    });
    assert.equal((await b.query('SELECT 1 AS one')).rows[0].one, 1, 'the connection is idle again, no ROLLBACK needed');
    // Then both race freely.
    await Promise.all([work(a), work(b)]);
    const { rows } = await a.query('SELECT v FROM wire_counter');
    assert.equal(rows[0].v, 1 + 2 * perClient, `no increment lost (${conflicts} conflicts retried)`);
    for (const d of details) assert.match(d, /^Serializable isolation violation on table - \d+, transactions forming the cycle are: \d+, \d+ \(pid:\d+\)$/);
  });

  it('a block\'s DDL is invisible to the other client until COMMIT, and ROLLBACK undoes it', async () => {
    const a = await client(), b = await client();
    await a.query('BEGIN');
    await a.query('CREATE TABLE wire_fresh (x INT)');
    await a.query('INSERT INTO wire_fresh VALUES (1), (2)');
    assert.equal((await a.query('SELECT count(*) AS n FROM wire_fresh')).rows[0].n, '2');
    await assert.rejects(b.query('SELECT * FROM wire_fresh'), { code: '42P01' });
    await a.query('ROLLBACK');
    await assert.rejects(a.query('SELECT * FROM wire_fresh'), { code: '42P01' });
    await a.query('BEGIN');
    await a.query('CREATE TABLE wire_fresh (x INT)');
    await a.query('INSERT INTO wire_fresh VALUES ($1)', [7]);
    await a.query('COMMIT');
    assert.deepEqual((await b.query('SELECT x FROM wire_fresh')).rows, [{ x: 7 }]);
  });
});
