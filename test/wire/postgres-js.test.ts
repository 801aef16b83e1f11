// End-to-end tests with postgres.js against the wire server over the real engine: its type bootstrap
// (fetch_types on), named statements with inferred parameter types, transactions, cursors and errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { startServer, type TestServer } from './harness.js';

let srv: TestServer;
let sql: postgres.Sql;
before(async () => {
  srv = await startServer();
  sql = postgres({ host: '127.0.0.1', port: srv.port, user: 'dev', database: 'dev', max: 1, fetch_types: true, onnotice: () => undefined });
});
after(async () => { await sql.end({ timeout: 5 }); await srv.close(); });

describe('postgres.js', () => {
  it('connects with fetch_types on and runs a parameterised query', async () => {
    const rows = await sql`select ${41}::int + 1 as x, ${'hello'}::varchar as s`;
    assert.deepEqual([...rows], [{ x: 42, s: 'hello' }]);
  });

  it('infers parameter types from Describe (OID 0 parameters)', async () => {
    await sql`create table pjs_t (id bigint, name varchar(30))`;
    await sql`insert into pjs_t values (${1}, ${'one'}), (${2}, ${'two'})`;
    const rows = await sql`select name from pjs_t where id = ${2}`;
    assert.deepEqual([...rows], [{ name: 'two' }]);
  });

  it('reports an error raised while describing a statement, and the connection goes on', async () => {
    await assert.rejects(sql`select nosuchfn(${1})`, (e: postgres.PostgresError) => e.code === '42883');
    const rows = await sql`select ${1}::int + 1 as x`;
    assert.deepEqual([...rows], [{ x: 2 }]);
  });

  it('commits a transaction block and rolls back a failed one', async () => {
    await sql.begin(async (tx) => {
      await tx`insert into pjs_t values (${3}, ${'three'})`;
    });
    await assert.rejects(sql.begin(async (tx) => {
      await tx`insert into pjs_t values (${4}, ${'four'})`;
      await tx`select * from no_such_table`;
    }), (e: postgres.PostgresError) => e.code === '42P01');
    const rows = await sql`select id from pjs_t order by id`;
    assert.deepEqual(rows.map((r) => String(r.id)), ['1', '2', '3']);
  });

  it('reads a cursor in batches', async () => {
    const seen: string[] = [];
    for await (const batch of sql`select id from pjs_t order by id`.cursor(2)) {
      assert.ok(batch.length <= 2);
      for (const r of batch) seen.push(String(r.id));
    }
    assert.deepEqual(seen, ['1', '2', '3']);
  });

  it('runs several statements through unsafe() and reports errors with SQLSTATE', async () => {
    const results = await sql.unsafe('select 1 as a; select 2 as b');
    assert.deepEqual((results as unknown as postgres.Row[][]).map((r) => [...r]), [[{ a: 1 }], [{ b: 2 }]]);
    await assert.rejects(sql`select * from no_such_table`, (e: postgres.PostgresError) => e.code === '42P01');
  });
});
