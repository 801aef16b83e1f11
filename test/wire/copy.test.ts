// End-to-end tests of the COPY sub-protocol at the byte level against the wire server over the real engine:
// CopyInResponse, CopyData split anywhere, CopyDone, CopyFail (57014), and COPY through the extended protocol.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serialize } from 'pg-protocol';
import { RawClient, startServer, type BackendMessage, type TestServer } from './harness.js';

let srv: TestServer;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

async function login(): Promise<RawClient> {
  const c = await RawClient.connect(srv.port);
  c.send(serialize.startup({ user: 'dev', database: 'dev' }));
  await c.until('readyForQuery');
  return c;
}
const names = (ms: BackendMessage[]): string[] => ms.map((m) => m.name);

async function query(c: RawClient, sql: string): Promise<BackendMessage[]> {
  c.send(serialize.query(sql));
  return c.until('readyForQuery');
}

describe('COPY protocol', () => {
  it('loads CopyData split at arbitrary points and reports COPY n', async () => {
    const c = await login();
    await query(c, 'create table copy_t (id int, name varchar(20))');
    c.send(serialize.query('copy copy_t from stdin'));
    const start = await c.message();
    assert.equal(start.name, 'copyInResponse');
    assert.equal(start.binary, false);
    assert.equal((start.columnTypes as number[]).length, 2);
    const data = Buffer.from('1\tone\n2\ttwo\n3\t\\N\n');
    c.send(Buffer.concat([serialize.copyData(data.subarray(0, 5)), serialize.copyData(data.subarray(5, 11)), serialize.copyData(data.subarray(11)), serialize.copyDone()]));
    const done = await c.until('readyForQuery');
    assert.deepEqual(names(done), ['commandComplete', 'readyForQuery']);
    assert.equal(done[0]!.text, 'COPY 3');
    const rows = await query(c, 'select id, name from copy_t order by id');
    assert.deepEqual(rows.filter((m) => m.name === 'dataRow').map((m) => m.fields), [['1', 'one'], ['2', 'two'], ['3', null]]);
    c.end();
  });

  it('aborts on CopyFail with 57014 and loads nothing', async () => {
    const c = await login();
    await query(c, 'create table copy_f (id int)');
    c.send(serialize.query('copy copy_f from stdin'));
    assert.equal((await c.message()).name, 'copyInResponse');
    c.send(Buffer.concat([serialize.copyData(Buffer.from('1\n2\n')), serialize.copyFail('client gave up')]));
    const ms = await c.until('readyForQuery');
    assert.equal(ms[0]!.name, 'error');
    assert.equal(ms[0]!.code, '57014');
    assert.match(String(ms[0]!.message), /COPY from stdin failed: client gave up/);
    const count = await query(c, 'select count(*) from copy_f');
    assert.deepEqual(count.find((m) => m.name === 'dataRow')!.fields, ['0']);
    c.end();
  });

  it('runs COPY FROM STDIN through Parse/Bind/Execute and answers Sync after CopyDone', async () => {
    const c = await login();
    await query(c, 'create table copy_x (id int)');
    c.send(Buffer.concat([serialize.parse({ text: 'copy copy_x from stdin' }), serialize.bind({}), serialize.execute({}), serialize.flush()]));
    const head = await c.until('copyInResponse');
    assert.deepEqual(names(head), ['parseComplete', 'bindComplete', 'copyInResponse']);
    c.send(Buffer.concat([serialize.copyData(Buffer.from('10\n20\n')), serialize.copyDone(), serialize.sync()]));
    const done = await c.until('readyForQuery');
    assert.deepEqual(names(done), ['commandComplete', 'readyForQuery']);
    assert.equal(done[0]!.text, 'COPY 2');
    c.end();
  });

  it('writes COPY TO STDOUT as CopyOutResponse, CopyData rows and CopyDone', async () => {
    const c = await login();
    await query(c, "create table copy_o (id int, s varchar(10)); insert into copy_o values (1, 'a'), (2, null)");
    const ms = await query(c, 'copy copy_o to stdout');
    assert.equal(ms[0]!.name, 'copyOutResponse');
    const text = ms.filter((m) => m.name === 'copyData').map((m) => (m.chunk as Buffer).toString()).join('');
    assert.deepEqual(text.split('\n').filter(Boolean).sort(), ['1\ta', '2\t\\N']);
    assert.deepEqual(names(ms).slice(-3), ['copyDone', 'commandComplete', 'readyForQuery']);
    assert.equal(ms.at(-2)!.text, 'COPY 2');
    c.end();
  });
});
