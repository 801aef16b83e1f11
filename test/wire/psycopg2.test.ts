// End-to-end tests with psycopg2 (libpq, client-side parameter interpolation) against the wire server over the
// real engine: a quoting round trip of \ ' " strings, COPY through copy_expert and a named (DECLARE/FETCH)
// cursor. Needs Python 3 with psycopg2 (Debian: apt-get install python3-psycopg2).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './harness.js';

let srv: TestServer;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

/** A Python interpreter that can import psycopg2 (pyenv shims may hide the Debian one). */
function python(): string {
  for (const exe of ['python3', '/usr/bin/python3']) {
    if (spawnSync(exe, ['-c', 'import psycopg2'], { stdio: 'ignore' }).status === 0) return exe;
  }
  throw new Error('no python3 with psycopg2 found (apt-get install python3-psycopg2)');
}

const SCRIPT = String.raw`
import io, json, sys, psycopg2
conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='dev', dbname='dev')
cur = conn.cursor()
out = {'server_version': conn.server_version}
cur.execute("create table py_t (id int, s varchar(100))")
samples = ['a\\b', "it's", 'say "hi"', '\\\' or 1=1 --', 'mixed \\ \' " end', 'héllo wörld']
for i, s in enumerate(samples):
    cur.execute("insert into py_t values (%s, %s)", (i, s))
cur.execute("select s from py_t order by id")
out['roundtrip'] = [r[0] for r in cur.fetchall()]
out['samples'] = samples
cur.execute("create table py_copy (id int, name varchar(40))")
cur.copy_expert("COPY py_copy FROM STDIN", io.StringIO(''.join('%d\tn%d\n' % (i, i) for i in range(500))))
out['copy_in_rowcount'] = cur.rowcount
buf = io.StringIO()
cur.copy_expert("COPY py_copy TO STDOUT", buf)
out['copy_out_lines'] = len(buf.getvalue().splitlines())
conn.commit()
named = conn.cursor('srv_cursor')
named.itersize = 30
named.execute("select id from py_copy order by id")
ids = [r[0] for r in named]
named.close()
out['named_count'] = len(ids)
out['named_first_last'] = [ids[0], ids[-1]]
conn.commit()
print(json.dumps(out))
`;

describe('psycopg2', () => {
  it('round-trips quoted strings, copies and fetches through a named cursor', async () => {
    const exe = python();
    const res = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(exe, ['-c', SCRIPT, String(srv.port)]);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    assert.equal(out.server_version, 80002);
    assert.deepEqual(out.roundtrip, out.samples);
    assert.equal(out.copy_in_rowcount, 500);
    assert.equal(out.copy_out_lines, 500);
    assert.equal(out.named_count, 500);
    assert.deepEqual(out.named_first_last, [0, 499]);
  });
});
