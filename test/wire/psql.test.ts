// End-to-end tests with psql (libpq) against the wire server over the real engine: queries, COPY FROM STDIN
// and COPY TO STDOUT through psql, SQLSTATE on errors, and the \dt catalog query. Needs `psql` on PATH
// (Debian: apt-get install postgresql-client).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './harness.js';

let srv: TestServer;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs psql against the test server: no psqlrc, unaligned tuples-only output, stop on the first error. */
function psql(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose',
      `host=127.0.0.1 port=${srv.port} dbname=dev user=dev sslmode=prefer`, ...args], { env: { ...process.env, PGCONNECT_TIMEOUT: '10' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (e) => reject(new Error(`cannot run psql (apt-get install postgresql-client): ${e.message}`)));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

describe('psql', () => {
  it('connects (SSLRequest answered N) and runs queries', async () => {
    const r = await psql(['-c', 'select 1 + 1 as two', '-c', 'show server_version']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['2', '8.0.2']);
  });

  it('loads rows with COPY FROM STDIN and reads them back with COPY TO STDOUT', async () => {
    const n = 2000;
    const data = Array.from({ length: n }, (_, i) => `${i}\tname ${i}\n`).join('');
    const create = await psql(['-c', 'create table psql_copy (id int, name varchar(40))']);
    assert.equal(create.code, 0, create.stderr);
    const load = await psql(['-c', 'copy psql_copy from stdin'], `${data}\\.\n`);
    assert.equal(load.code, 0, load.stderr);
    const count = await psql(['-c', 'select count(*), sum(id) from psql_copy']);
    assert.equal(count.stdout.trim(), `${n}|${(n * (n - 1)) / 2}`);
    const out = await psql(['-c', 'copy psql_copy to stdout']);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n').sort((a, b) => Number(a.split('\t')[0]) - Number(b.split('\t')[0]));
    assert.equal(lines.length, n);
    assert.equal(lines[7], '7\tname 7');
  });

  it('prints the SQLSTATE of an error and exits non-zero', async () => {
    const r = await psql(['-c', 'select * from no_such_table']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /42P01/);
  });

  it('lists tables with \\dt', async () => {
    await psql(['-c', 'create table psql_listed (a int)']);
    const r = await psql(['-c', '\\dt']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /psql_listed/);
  });
});
