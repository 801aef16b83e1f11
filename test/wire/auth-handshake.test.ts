// End-to-end password authentication with `pg` and psql against the wire server over the real engine:
// SCRAM-SHA-256 for users with a cleartext password, MD5 for users stored with an md5 secret, 28P01 otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { MemoryUserStore, md5Secret } from '../../host/wire/auth.js';
import { startServer, type TestServer } from './harness.js';

let srv: TestServer;
before(async () => {
  srv = await startServer({ auth: 'password', users: new MemoryUserStore({ alice: 'sc"ram\'pw', bob: md5Secret('md5 pw', 'bob') }) });
});
after(async () => { await srv.close(); });

async function login(user: string, password: string): Promise<number> {
  const c = new pg.Client({ host: '127.0.0.1', port: srv.port, user, password, database: 'dev' });
  await c.connect();
  try {
    const r = await c.query('select 1 as one');
    return r.rows[0].one as number;
  } finally {
    await c.end();
  }
}

describe('password authentication', () => {
  it('logs in with SCRAM-SHA-256', async () => {
    assert.equal(await login('alice', 'sc"ram\'pw'), 1);
  });

  it('logs in with MD5 when the stored secret is md5', async () => {
    assert.equal(await login('bob', 'md5 pw'), 1);
  });

  it('rejects a wrong password and an unknown user with 28P01', async () => {
    for (const [u, p] of [['alice', 'nope'], ['bob', 'nope'], ['mallory', 'x']] as const) {
      await assert.rejects(login(u, p), (e: pg.DatabaseError) => e.code === '28P01' && e.message === `password authentication failed for user "${u}"`);
    }
  });

  it('logs psql in with SCRAM', async () => {
    // psql runs asynchronously: the server lives in this process and must keep serving while psql waits.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const p = spawn('psql', ['-X', '-A', '-t', '-c', 'select 40 + 2', `host=127.0.0.1 port=${srv.port} dbname=dev user=alice sslmode=disable`], {
        env: { ...process.env, PGPASSWORD: 'sc"ram\'pw' },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      p.on('error', reject);
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '42');
  });
});
