// `wasmshift serve --data dir` end to end: rows committed through the PostgreSQL wire protocol
// survive a SIGKILL of the server, and a second server on the same directory is refused while the
// first runs (the lock file, SQLSTATE 55006).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const MAIN = fileURLToPath(new URL('../../host/cli/main.js', import.meta.url));

/** Starts a server; resolves with its port, or rejects with its stderr when it exits first. */
function serve(data: string): { p: ChildProcess; port: Promise<number>; exit: Promise<{ code: number | null; stderr: string }> } {
  const p = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data', data, '--slices', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  p.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => p.on('exit', (code) => resolve({ code, stderr })));
  const port = new Promise<number>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /port=(\d+) dbname=dev/.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    void exit.then(({ code }) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { p, port, exit };
}

test('rows committed through the wire protocol survive kill -9 of the server; a second server is refused', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmshift-serve-'));
  const data = join(dir, 'data');
  try {
    const a = serve(data);
    const c = new pg.Client({ host: '127.0.0.1', port: await a.port, user: 'dev', database: 'dev' });
    c.on('error', () => { /* the server is killed below */ });
    await c.connect();
    await c.query('create table t (id int, s varchar(20)) diststyle even');
    await c.query(`insert into t select 1, 'one' union all select 2, 'two'`);
    await c.query('begin');
    await c.query(`insert into t values (3, 'three')`);
    await c.query('commit');
    await c.query('begin');
    await c.query(`insert into t values (4, 'uncommitted')`);

    const b = serve(data);
    await assert.rejects(b.port, /55006|lock file "wasmshift\.pid" already exists/);

    a.p.kill('SIGKILL');
    await a.exit;
    await c.end().catch(() => {});

    const r = serve(data);
    const c2 = new pg.Client({ host: '127.0.0.1', port: await r.port, user: 'dev', database: 'dev' });
    await c2.connect();
    assert.deepEqual((await c2.query('select id, s from t order by id')).rows, [{ id: 1, s: 'one' }, { id: 2, s: 'two' }, { id: 3, s: 'three' }]);
    await c2.end();
    r.p.kill('SIGTERM');
    assert.equal((await r.exit).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
