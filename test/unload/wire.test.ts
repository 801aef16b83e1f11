// UNLOAD and COPY over s3:// through the PostgreSQL wire server with node-postgres: the command tag, the
// "UNLOAD completed" notice, the files on the S3-compatible server (s3rver), and the reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { open, type Database } from '../../host/index.js';
import { createWireServer, type SessionRequest, type WireServer } from '../../host/wire/server.js';
import { startS3, type TestS3 } from './s3-server.js';

let db: Database;
let s3: TestS3;
let server: WireServer;
let client: pg.Client;

before(async () => {
  s3 = await startS3();
  db = await open({ slices: 2, s3: s3.options });
  server = createWireServer({ sessions: (req: SessionRequest) => db.session(req.user) });
  const { port } = await server.listen(0, '127.0.0.1');
  client = new pg.Client({ host: '127.0.0.1', port, user: 'dev', database: 'dev' });
  await client.connect();
});

after(async () => {
  await client.end();
  await server.close();
  await db.close();
  await s3.close();
});

test('pg: UNLOAD to s3:// reports UNLOAD and a notice; COPY from the manifest reloads the rows', async () => {
  await client.query(`CREATE TABLE w (id INT, label VARCHAR(20), at TIMESTAMP)`);
  await client.query(`INSERT INTO w VALUES (1, 'it''s', '2024-05-06 07:08:09.123456'), (2, NULL, NULL), (3, 'a|b', '1999-01-01 00:00:00')`);
  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  const r = await client.query(`UNLOAD ('SELECT * FROM w WHERE label <> ''zzz'' OR label IS NULL') TO 's3://${s3.bucket}/wire/w_'
    IAM_ROLE default FORMAT AS CSV MANIFEST`);
  assert.equal(r.command, 'UNLOAD');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(notices, ['UNLOAD completed, 3 record(s) unloaded successfully.']);
  await client.query('CREATE TABLE w2 (LIKE w)');
  const c = await client.query(`COPY w2 FROM 's3://${s3.bucket}/wire/w_manifest' IAM_ROLE default CSV MANIFEST`);
  assert.deepEqual([c.command, c.rowCount], ['COPY', 3]);
  const a = await client.query('SELECT id, label, at::varchar AS at FROM w ORDER BY id');
  const b = await client.query('SELECT id, label, at::varchar AS at FROM w2 ORDER BY id');
  assert.deepEqual(b.rows, a.rows);
  assert.deepEqual(a.rows[0], { id: 1, label: "it's", at: '2024-05-06 07:08:09.123456' });
  await assert.rejects(client.query(`UNLOAD ('SELECT * FROM w') TO 's3://${s3.bucket}/wire/w_'`), (e: Error & { code?: string }) => e.code === 'XX000');
  // The connection is still usable after the failed UNLOAD.
  assert.equal((await client.query('SELECT count(*)::int AS n FROM w2')).rows[0].n, 3);
});
