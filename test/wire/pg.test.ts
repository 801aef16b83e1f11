// End-to-end tests with node-postgres (`pg` and `pg-cursor`) against the wire server over the real engine:
// simple and extended queries, named statements, cursors, binary results, errors and transaction state.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startServer, type TestServer } from './harness.js';

/** pg-cursor ships no types: the part used here. */
interface CursorInstance { read(n: number): Promise<Record<string, unknown>[]>; close(): Promise<void> }
type CursorClass = new (text: string, values?: unknown[]) => CursorInstance & pg.Submittable;
const Cursor = createRequire(import.meta.url)('pg-cursor') as CursorClass;

let srv: TestServer;
let client: pg.Client;
before(async () => {
  srv = await startServer();
  client = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev', database: 'dev' });
  await client.connect();
});
after(async () => { await client.end(); await srv.close(); });

describe('pg client', () => {
  it('runs simple queries and reports the Redshift server version', async () => {
    const r = await client.query('select 1 as one');
    assert.deepEqual(r.rows, [{ one: 1 }]);
    assert.equal(r.command, 'SELECT');
    assert.equal(r.rowCount, 1);
    assert.equal(r.fields[0]!.dataTypeID, 23);
    const v = await client.query('show server_version');
    assert.equal(v.rows[0].server_version, '8.0.2');
  });

  it('creates, inserts, updates and deletes with PostgreSQL command tags', async () => {
    await client.query('create table pg_t (id int, name varchar(20), amount decimal(12,2))');
    const ins = await client.query('insert into pg_t values ($1, $2, $3), ($4, $5, $6)', [1, 'a', '10.50', 2, 'b', '-3.25']);
    assert.equal(ins.command, 'INSERT');
    assert.equal(ins.rowCount, 2);
    const upd = await client.query('update pg_t set amount = amount + 1 where id = $1', [2]);
    assert.deepEqual([upd.command, upd.rowCount], ['UPDATE', 1]);
    const sel = await client.query('select id, name, amount from pg_t order by id');
    assert.deepEqual(sel.rows, [{ id: 1, name: 'a', amount: '10.50' }, { id: 2, name: 'b', amount: '-2.25' }]);
    const del = await client.query('delete from pg_t where id = $1', [1]);
    assert.deepEqual([del.command, del.rowCount], ['DELETE', 1]);
  });

  it('binds text parameters by inferred types and reuses named statements', async () => {
    const q = { name: 'double_it', text: 'select $1::int * 2 as x' };
    assert.deepEqual((await client.query({ ...q, values: [21] })).rows, [{ x: 42 }]);
    assert.deepEqual((await client.query({ ...q, values: [50] })).rows, [{ x: 100 }]);
    const s = await client.query('select $1::varchar as s', ['a\\b\'c"']);
    assert.equal(s.rows[0].s, 'a\\b\'c"');
  });

  it('returns binary results when asked', async () => {
    // A named statement makes pg use the extended protocol, where result formats are chosen per column.
    const r = await client.query({ name: 'bin_scalars', text: 'select 7 as i, cast(2.5 as double precision) as f, true as t, cast(9000000000 as bigint) as b', binary: true } as pg.QueryConfig);
    assert.ok(r.fields.every((f) => f.format === 'binary'));
    assert.equal(r.rows[0].i, 7);
    assert.equal(r.rows[0].f, 2.5);
    assert.equal(r.rows[0].t, true);
    assert.equal(String(r.rows[0].b), '9000000000');
  });

  // pg-protocol hands DataRow cells over as UTF-8 strings, so only values whose binary bytes are all below 0x80
  // survive the trip through pg; the full binary layouts are checked byte by byte in binary.test.ts.
  it('returns date and numeric in binary as PostgreSQL lays them out', async () => {
    const r = await client.query({
      name: 'bin_temporal',
      text: "select date '2024-02-29' as dt, cast(3.01 as decimal(10,4)) as d",
      binary: true,
      // pg has no binary date parser: take the raw bytes of date (1082).
      types: { getTypeParser: (oid: number, format?: string) => (oid === 1082 ? (b: Buffer) => b : pg.types.getTypeParser(oid, format as 'text')) },
    } as unknown as pg.QueryConfig);
    assert.ok(r.fields.every((f) => f.format === 'binary'));
    // The date's binary form is an int32 of days since 2000-01-01.
    assert.equal((r.rows[0].dt as Buffer).readInt32BE(0), 8825);
    assert.equal(Number(r.rows[0].d), 3.01); // digits [3, 100], weight 0, dscale 4
  });

  it('reads a cursor in batches through portals with maxRows', async () => {
    await client.query('create table pg_cur (n int)');
    const values = Array.from({ length: 95 }, (_, i) => `(${i})`).join(', ');
    await client.query(`insert into pg_cur values ${values}`);
    const cur = client.query(new Cursor('select n from pg_cur order by n')) as unknown as CursorInstance;
    const seen: number[] = [];
    let batches = 0;
    for (;;) {
      const rows = await cur.read(20);
      if (rows.length === 0) break;
      batches++;
      for (const r of rows) seen.push(r.n as number);
    }
    await cur.close();
    assert.equal(batches, 5);
    assert.deepEqual(seen, Array.from({ length: 95 }, (_, i) => i));
  });

  it('reports errors with SQLSTATE and position, and recovers', async () => {
    await assert.rejects(client.query('select * from no_such_table'), (e: pg.DatabaseError) => e.code === '42P01' && e.position !== undefined);
    await assert.rejects(client.query('select $1::int as x', ['not a number']), (e: pg.DatabaseError) => e.code === '22P02');
    assert.deepEqual((await client.query('select 3 as three')).rows, [{ three: 3 }]);
  });

  it('tracks a failed transaction until ROLLBACK', async () => {
    await client.query('begin');
    await assert.rejects(client.query('select * from no_such_table'));
    await assert.rejects(client.query('select 1'), (e: pg.DatabaseError) => e.code === '25P02');
    await client.query('rollback');
    assert.deepEqual((await client.query('select 1 as ok')).rows, [{ ok: 1 }]);
  });

  it('cancels a running statement with a CancelRequest', { timeout: 60_000 }, async () => {
    await client.query('create table pg_big (n bigint)');
    await client.query('insert into pg_big values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)');
    // A cross join of 10^7 rows: long enough to be cancelled mid-run, short enough to end the test if it is not.
    const slow = client.query('select count(*) from pg_big a, pg_big b, pg_big c, pg_big d, pg_big e, pg_big f, pg_big g');
    let settled = false;
    slow.then(() => { settled = true; }, () => { settled = true; });
    // A CancelRequest that arrives before the statement starts is ignored (as in PostgreSQL), so
    // the test waits until another connection sees the statement running, then cancels it.
    const watcher = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev' });
    await watcher.connect();
    const pid = (client as unknown as { processID: number }).processID;
    let seen: { query: number; text: string } | undefined;
    while (!settled && !seen) {
      seen = (await watcher.query('select query, trim(text) as text from stv_inflight where pid = $1', [pid])).rows[0];
      if (!seen) await new Promise((r) => setTimeout(r, 2));
    }
    assert.ok(seen, 'the statement was never seen in stv_inflight');
    assert.match(seen.text, /^select count\(\*\) from pg_big a/);
    const activity = (await watcher.query('select state, query from pg_stat_activity where pid = $1', [pid])).rows[0];
    const canceller = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev' });
    (canceller as unknown as { cancel(c: pg.Client, q: unknown): void }).cancel(client, (client as unknown as { activeQuery: unknown }).activeQuery);
    await assert.rejects(slow, (e: pg.DatabaseError) => e.code === '57014');
    assert.deepEqual(activity, { state: 'active', query: 'select count(*) from pg_big a, pg_big b, pg_big c, pg_big d, pg_big e, pg_big f, pg_big g' });
    // stl_query records it as aborted under the same query id, and the session is idle again.
    const logged = (await watcher.query('select aborted, pid from stl_query where query = $1', [seen.query])).rows;
    assert.deepEqual(logged, [{ aborted: 1, pid }]);
    assert.equal((await watcher.query('select state from pg_stat_activity where pid = $1', [pid])).rows[0].state, 'idle');
    await watcher.end();
    assert.deepEqual((await client.query('select 1 as alive')).rows, [{ alive: 1 }]);
  });

  it("stops another session's statement with Redshift's CANCEL pid 'message', found in STV_RECENTS", { timeout: 60_000 }, async () => {
    const other = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev' });
    await other.connect();
    const pid = (other as unknown as { processID: number }).processID;
    const slow = other.query('select count(*) from pg_big a, pg_big b, pg_big c, pg_big d, pg_big e, pg_big f, pg_big g, pg_big h');
    let settled = false;
    slow.then(() => { settled = true; }, () => { settled = true; });
    let running: { pid: number } | undefined;
    while (!settled && !running) {
      running = (await client.query("select pid from stv_recents where status = 'Running' and query like 'select count(*) from pg_big a%'")).rows[0];
      if (!running) await new Promise((r) => setTimeout(r, 2));
    }
    assert.deepEqual(running, { pid });
    const r = await client.query(`cancel ${pid} 'stopped by the test'`);
    assert.equal(r.command, 'CANCEL');
    await assert.rejects(slow, (e: pg.DatabaseError) => e.code === '57014' && e.message === 'stopped by the test');
    assert.deepEqual((await other.query('select 2 as alive')).rows, [{ alive: 2 }]);
    // nothing runs there now, and no session has pid 0
    await assert.rejects(client.query(`cancel ${pid}`), (e: pg.DatabaseError) => e.code === '22023' && /not running a query/.test(e.message));
    await assert.rejects(client.query('cancel 0'), (e: pg.DatabaseError) => e.code === '22023' && e.message === 'Session 0 does not exist');
    const done = (await client.query("select trim(status) as status, pid from stv_recents where query like 'select count(*) from pg_big a%h'")).rows;
    assert.deepEqual(done, [{ status: 'Done', pid }]);
    await other.end();
  });

  it('keeps a temporary table to its connection and drops it when the connection ends', async () => {
    const other = new pg.Client({ host: '127.0.0.1', port: srv.port, user: 'dev', database: 'dev' });
    await other.connect();
    await other.query('create temp table pg_tmp (v int)');
    await other.query('insert into pg_tmp values (1), (2)');
    assert.deepEqual((await other.query('select count(*)::int as n from pg_tmp')).rows, [{ n: 2 }]);
    await assert.rejects(client.query('select * from pg_tmp'), (e: { code?: string }) => e.code === '42P01');
    const schema = (await other.query("select nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace where relname = 'pg_tmp'")).rows[0].nspname as string;
    assert.match(schema, /^pg_temp_\d+$/);
    await other.end();
    // The server closes the session after the socket ends: wait for the schema to go.
    const gone = async () => (await client.query('select count(*)::int as n from pg_namespace where nspname = $1', [schema])).rows[0].n === 0;
    for (let i = 0; i < 100 && !(await gone()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(await gone(), `${schema} dropped with its connection`);
    await client.query('create temp table pg_tmp (v int)');
    assert.deepEqual((await client.query('select count(*)::int as n from pg_tmp')).rows, [{ n: 0 }]);
  });
});
