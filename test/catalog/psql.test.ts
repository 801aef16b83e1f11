// psql's meta-commands against the wire server over the real engine: \dt, \dn, \l, \d, \dv, \du, \x,
// \timing and \copy run psql's own catalog queries (server identity 8.0.2), and their output shows the
// live catalog. Needs `psql` on PATH (Debian: apt-get install postgresql-client).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { open, type Database } from '../../host/index.js';
import { createWireServer, type WireServer } from '../../host/wire/server.js';

let db: Database;
let server: WireServer;
let port: number;
let dir: string;

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs psql: no psqlrc, unaligned tuples-only output unless `aligned`, stop on the first error. */
function psql(args: string[], aligned = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', ...(aligned ? [] : ['-A', '-t']), '-v', 'ON_ERROR_STOP=1',
      `host=127.0.0.1 port=${port} dbname=dev user=dev sslmode=disable`, ...args], { env: { ...process.env, PGCONNECT_TIMEOUT: '10', PAGER: '', PSQL_PAGER: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (e) => reject(new Error(`cannot run psql (apt-get install postgresql-client): ${e.message}`)));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end();
  });
}
async function ok(args: string[], aligned = false): Promise<string[]> {
  const r = await psql(args, aligned);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter((l) => l !== '');
}

before(async () => {
  db = await open({ slices: 2 });
  server = createWireServer({ sessions: () => db.session('dev') });
  ({ port } = await server.listen(0, '127.0.0.1'));
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-catalog-'));
  const s = db.session('dev');
  await s.execute(`create schema sales;
    create table sales.orders(id bigint primary key, customer varchar(64) default 'x', amount numeric(12,2), ts timestamp not null) distkey(id) sortkey(ts);
    create view sales.v_orders as select id, amount from sales.orders;
    create table public.t(a int, b varchar(20));
    create user analyst password 'Secret123';`);
  await s.close();
});
after(async () => { await server.close(); await db.close(); rmSync(dir, { recursive: true, force: true }); });

describe('psql meta-commands', () => {
  it('\\dt lists the tables on the search path, \\dt sales.* another schema', async () => {
    assert.deepEqual(await ok(['-c', '\\dt']), ['public|t|table|dev']);
    assert.deepEqual(await ok(['-c', '\\dt sales.*']), ['sales|orders|table|dev']);
  });

  it('\\dn lists schemas with owners, \\l the database, \\du the users', async () => {
    assert.deepEqual(await ok(['-c', '\\dn']), ['public|rdsdb', 'sales|dev']);
    assert.deepEqual((await ok(['-c', '\\l']))[0]!.split('|').slice(0, 3), ['dev', 'rdsdb', 'UTF8']);
    const users = await ok(['-c', '\\du']);
    assert.deepEqual(users.map((l) => l.split('|')[0]), ['analyst', 'dev', 'rdsdb']);
    assert.match(users.find((l) => l.startsWith('dev|'))!, /Superuser/);
  });

  it('\\d table shows columns, types, NOT NULL, defaults and the primary key', async () => {
    const lines = await ok(['-c', '\\d sales.orders'], true);
    assert.match(lines[0]!, /Table "sales\.orders"/);
    const cols = lines.filter((l) => /^\s*(id|customer|amount|ts)\s*\|/.test(l)).map((l) => l.split('|').map((x) => x.trim()));
    assert.deepEqual(cols, [
      ['id', 'bigint', '', 'not null', ''],
      ['customer', 'character varying(64)', '', '', "'x'"],
      ['amount', 'numeric(12,2)', '', '', ''],
      ['ts', 'timestamp without time zone', '', 'not null', ''],
    ]);
    assert.ok(lines.some((l) => l.includes('"orders_pkey" PRIMARY KEY, btree (id)')), lines.join('\n'));
  });

  it('\\dv and \\d view', async () => {
    assert.deepEqual(await ok(['-c', '\\dv sales.*']), ['sales|v_orders|view|dev']);
    const lines = await ok(['-c', '\\d sales.v_orders'], true);
    assert.match(lines[0]!, /View "sales\.v_orders"/);
    assert.equal(lines.filter((l) => /^\s*(id|amount)\s*\|/.test(l)).length, 2);
  });

  it('follows DDL at once', async () => {
    assert.deepEqual(await ok(['-c', 'create table public.t2(x int)', '-c', '\\dt']), ['CREATE TABLE', 'public|t|table|dev', 'public|t2|table|dev']);
    assert.deepEqual(await ok(['-c', 'drop table public.t2', '-c', '\\dt']), ['DROP TABLE', 'public|t|table|dev']);
  });

  it('\\dt+ shows sizes and COMMENT ON descriptions', async () => {
    await ok(['-c', "comment on table sales.orders is 'all orders'"]);
    const [line] = await ok(['-c', '\\dt+ sales.*']);
    const f = line!.split('|');
    assert.deepEqual([f[0], f[1], f[2], f[3], f[4], f[6]], ['sales', 'orders', 'table', 'dev', 'permanent', 'all orders']);
    assert.match(f[5]!, /^\d+ (bytes|kB)$/);
  });

  it('\\x and \\timing', async () => {
    const lines = await ok(['-c', '\\x on', '-c', "select 1 as one, 'two' as two"], true);
    assert.ok(lines.includes('one | 1') && lines.includes('two | two'), lines.join('\n'));
    const timed = await ok(['-c', '\\timing on', '-c', 'select 42']);
    assert.ok(timed.includes('42'));
    assert.ok(timed.some((l) => /^Time: \d+\.\d+ ms/.test(l)), timed.join('\n'));
  });

  it('\\copy loads a local file through COPY FROM STDIN (text and CSV)', async () => {
    const txt = join(dir, 'rows.txt');
    writeFileSync(txt, '1\tone\n2\t\\N\n3\ttab\\there\n');
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, 'a,b\n4,"x,y"\n5,\n');
    assert.deepEqual(await ok(['-c', `\\copy t from '${txt}'`, '-c', `\\copy t from '${csv}' with (format csv, header true)`]), ['COPY 3', 'COPY 2']);
    assert.deepEqual(await ok(['-c', 'select a, coalesce(b, \'<null>\') from t order by a']), ['1|one', '2|<null>', '3|tab\there', '4|x,y', '5|<null>']);
  });
});
