// End-to-end test of `wasmshift serve` (host/cli/main.ts): help and usage errors, then a real server process on
// a free port that prints its connection lines, answers psql-style clients and exits 0 on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const MAIN = fileURLToPath(new URL('../../host/cli/main.js', import.meta.url));

describe('wasmshift CLI', () => {
  it('prints help for the command and for serve, and exits 2 on bad usage', () => {
    const top = spawnSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    assert.equal(top.status, 0);
    assert.match(top.stdout, /serve/);
    const serve = spawnSync(process.execPath, [MAIN, 'serve', '--help'], { encoding: 'utf8' });
    assert.equal(serve.status, 0);
    assert.match(serve.stdout, /--max-connections/);
    const bad = spawnSync(process.execPath, [MAIN, 'serve', '--port', 'x'], { encoding: 'utf8' });
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--port must be an integer/);
    const nice = spawnSync(process.execPath, [MAIN, 'serve', '--background-nice', '25'], { encoding: 'utf8' });
    assert.equal(nice.status, 2, nice.stderr);
    assert.match(nice.stderr, /--background-nice must be between 0 and 19/);
    const unknown = spawnSync(process.execPath, [MAIN, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2, unknown.stderr);
  });

  it('serves a data directory, logs JSON lines and shuts down cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-cli-'));
    let server: ChildProcess | undefined;
    try {
      const p = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data', join(dir, 'data'), '--slices', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      server = p;
      let stdout = '';
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const port = await new Promise<number>((resolve, reject) => {
        p.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const m = /port=(\d+) dbname=dev/.exec(stdout);
          if (m && stdout.includes('jdbc:redshift://')) resolve(Number(m[1]));
        });
        p.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      assert.match(stdout, /psql "host=127\.0\.0\.1 port=\d+ dbname=dev user=dev sslmode=disable"/);
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'dev', database: 'dev' });
      await c.connect();
      assert.deepEqual((await c.query('select 2 as two')).rows, [{ two: 2 }]);
      await c.end();
      if (process.platform === 'linux') {
        // V8's background threads run at nice 10 below the main thread (ADR 0036); proc(5) stat field 19
        const nice = readdirSync(`/proc/${p.pid}/task`).map((t) => {
          const stat = readFileSync(`/proc/${p.pid}/task/${t}/stat`, 'utf8');
          return [Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
        });
        assert.equal(nice.find(([t]) => t === p.pid)?.[1], 0, 'the main thread keeps its priority');
        assert.ok(nice.some(([, n]) => n === 10), `some thread runs at nice 10: ${JSON.stringify(nice)}`);
      }
      const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
      p.kill('SIGTERM');
      assert.equal(await exited, 0);
      const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(lines.some((l) => l.event === 'connect' && l.user === 'dev'));
      assert.ok(lines.some((l) => l.event === 'statement' && l.command === 'SELECT' && l.rows === 1));
      assert.ok(lines.some((l) => l.event === 'shutdown'));
    } finally {
      // a failed assertion must not leave the server running (the test process would wait on it)
      if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
