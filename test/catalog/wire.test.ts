// Catalog queries over the extended protocol with node-postgres (Parse/Describe/Bind, parameters), as JDBC,
// redshift_connector and dbt send them: results come from the live catalog and RowDescription carries
// PostgreSQL's type oids for catalog columns.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { open, type Database } from '../../host/index.js';
import { createWireServer, type WireServer } from '../../host/wire/server.js';
import { CLIENT_QUERIES } from './client-queries.js';

let db: Database;
let server: WireServer;
let client: pg.Client;

before(async () => {
  db = await open({ slices: 2 });
  server = createWireServer({ sessions: () => db.session('dev') });
  const { port } = await server.listen(0, '127.0.0.1');
  client = new pg.Client({ host: '127.0.0.1', port, user: 'dev', database: 'dev' });
  await client.connect();
  await client.query(`create schema sales;
    create table sales.orders(id bigint primary key, customer varchar(64), amount numeric(12,2), ts timestamp) distkey(id) sortkey(ts);
    create view sales.v_orders as select id, amount from sales.orders`);
});
after(async () => { await client.end(); await server.close(); await db.close(); });

describe('catalog over the wire', () => {
  it('binds parameters in catalog queries (redshift_connector get_schemas)', async () => {
    const q = "SELECT nspname AS TABLE_SCHEM, current_database() AS TABLE_CATALOG FROM pg_catalog.pg_namespace WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_' OR nspname = (pg_catalog.current_schemas(true))[1]) AND nspname LIKE $1 ORDER BY TABLE_SCHEM";
    const r = await client.query(q, ['sal%']);
    assert.deepEqual(r.rows, [{ table_schem: 'sales', table_catalog: 'dev' }]);
  });

  it('reports catalog column types in RowDescription', async () => {
    const r = await client.query("select c.oid, c.relname, c.relkind, c.reltuples, c.reldiststyle, c.relhasindex from pg_class c where c.relname = $1", ['orders']);
    assert.deepEqual(r.fields.map((f) => f.dataTypeID), [26, 19, 1042, 700, 21, 16]);
    assert.equal(r.rows[0].relname, 'orders');
    assert.equal(r.rows[0].reldiststyle, 1);
  });

  it('runs every captured client query as a prepared statement', async () => {
    const table = (await client.query("select 'sales.orders'::regclass::oid as o")).rows[0].o;
    const view = (await client.query("select 'sales.v_orders'::regclass::oid as o")).rows[0].o;
    for (const [i, q] of CLIENT_QUERIES.entries()) {
      const text = q.sql.replaceAll('$TABLE', String(table)).replaceAll('$VIEW', String(view));
      const r = await client.query({ name: `cq${i}`, text });
      assert.ok(Array.isArray(r.rows), q.client);
    }
    const cols = CLIENT_QUERIES.find((q) => q.client === 'pgJDBC getColumns')!;
    const r = await client.query(cols.sql);
    assert.deepEqual(r.rows.map((x) => x.attname), ['id', 'customer', 'amount', 'ts']);
  });
});
