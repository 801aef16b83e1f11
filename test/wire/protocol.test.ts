// End-to-end protocol tests at the byte level: a raw client against the wire server over the real engine checks
// startup negotiation, limits, error recovery in the extended protocol, COPY messages outside COPY and cancel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serialize } from 'pg-protocol';
import { RawClient, startServer, type BackendMessage, type TestServer } from './harness.js';

let srv: TestServer;
before(async () => { srv = await startServer({ maxConnections: 3, maxMessageBytes: 4096, startupTimeoutMs: 300 }); });
after(async () => { await srv.close(); });

/** Connects, logs in as `dev` and returns the client with the startup messages it got. */
async function login(extra: Record<string, string> = {}): Promise<{ c: RawClient; startup: BackendMessage[] }> {
  const c = await RawClient.connect(srv.port);
  c.send(serialize.startup({ user: 'dev', database: 'dev', ...extra }));
  const startup = await c.until('readyForQuery');
  return { c, startup };
}

const names = (ms: BackendMessage[]): string[] => ms.map((m) => m.name);

describe('startup', () => {
  it('answers SSLRequest and GSSENCRequest with N, then logs in with Redshift identity', async () => {
    const c = await RawClient.connect(srv.port);
    c.send(serialize.requestSsl());
    assert.equal((await c.readRaw(1)).toString(), 'N');
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    c.send(gss);
    assert.equal((await c.readRaw(1)).toString(), 'N');
    c.send(serialize.startup({ user: 'dev', database: 'dev', application_name: 'raw', client_protocol_version: '2', driver_version: '2.1.0' }));
    const ms = await c.until('readyForQuery');
    assert.equal(ms[0]!.name, 'authenticationOk');
    const status = new Map(ms.filter((m) => m.name === 'parameterStatus').map((m) => [m.parameterName, m.parameterValue]));
    assert.equal(status.get('server_version'), '8.0.2');
    assert.equal(status.get('client_encoding'), 'UTF8');
    assert.equal(status.get('server_encoding'), 'UTF8');
    assert.equal(status.get('integer_datetimes'), 'on');
    assert.match(String(status.get('DateStyle')), /^ISO/);
    assert.equal(status.get('application_name'), 'raw');
    assert.ok(!status.has('server_protocol_version'));
    const key = ms.find((m) => m.name === 'backendKeyData');
    assert.ok(key && (key.processID as number) > 0);
    assert.equal(ms.at(-1)!.status, 'I');
    c.end();
  });

  it('refuses protocol 2.0 with a FATAL 0A000', async () => {
    const c = await RawClient.connect(srv.port);
    const b = Buffer.alloc(8);
    b.writeInt32BE(8, 0);
    b.writeInt32BE(2 << 16, 4);
    c.send(b);
    const e = await c.message();
    assert.equal(e.name, 'error');
    assert.equal(e.severity, 'FATAL');
    assert.equal(e.code, '0A000');
    assert.match(String(e.message), /unsupported frontend protocol 2\.0/);
    await c.closed();
  });

  it('answers protocol 3.2 and _pq_ options with NegotiateProtocolVersion', async () => {
    const c = await RawClient.connect(srv.port);
    const pkt = serialize.startup({ user: 'dev', '_pq_.compression': 'on' });
    pkt.writeInt32BE((3 << 16) | 2, 4);
    c.send(pkt);
    const head = await c.readRaw(5);
    assert.equal(head.toString('latin1', 0, 1), 'v');
    const rest = await c.readRaw(head.readInt32BE(1) - 4);
    assert.equal(rest.readInt32BE(0), 0); // the newest 3.x minor version we speak
    assert.equal(rest.readInt32BE(4), 1);
    assert.equal(rest.toString('utf8', 8, rest.length - 1), '_pq_.compression');
    const ms = await c.until('readyForQuery');
    assert.equal(ms[0]!.name, 'authenticationOk');
    c.end();
  });

  it('fails a startup packet without a user with 28000', async () => {
    const c = await RawClient.connect(srv.port);
    c.send(serialize.startup({ database: 'dev' }));
    const e = await c.message();
    assert.equal(e.code, '28000');
    await c.closed();
  });

  it('closes a connection that does not finish startup in time', async () => {
    const c = await RawClient.connect(srv.port);
    c.send(Buffer.from([0, 0, 0])); // a slow client: three bytes of a length word, then nothing
    await c.closed(3000);
    assert.ok(c.ended);
  });

  it('answers one client too many with 53300', async () => {
    const held = await Promise.all([login(), login(), login()]);
    const c = await RawClient.connect(srv.port);
    c.send(serialize.startup({ user: 'dev' }));
    const e = await c.message();
    assert.equal(e.code, '53300');
    assert.equal(e.message, 'sorry, too many clients already');
    await c.closed();
    for (const h of held) h.c.end();
    for (let t = 0; srv.server.stats.connections > 0 && t < 500; t++) await new Promise((r) => setTimeout(r, 10));
    const again = await login();
    again.c.end();
  });
});

describe('messages after startup', () => {
  it('fails an unknown message type with FATAL 08P01 and closes', async () => {
    const { c } = await login();
    c.send(Buffer.from([0x71, 0, 0, 0, 4])); // 'q'
    const e = await c.message();
    assert.equal(e.code, '08P01');
    assert.equal(e.severity, 'FATAL');
    assert.match(String(e.message), /invalid frontend message type 113/);
    await c.closed();
  });

  it('fails a message over the size limit with 08P01 and closes', async () => {
    const { c } = await login();
    c.send(serialize.query(`select '${'x'.repeat(5000)}'`));
    const e = await c.message();
    assert.equal(e.code, '08P01');
    assert.match(String(e.message), /invalid message length/);
    await c.closed();
  });

  it('fails a malformed length word with 08P01 and closes', async () => {
    const { c } = await login();
    c.send(Buffer.from([0x51, 0, 0, 0, 2]));
    const e = await c.message();
    assert.equal(e.code, '08P01');
    await c.closed();
  });

  it('ignores CopyData, CopyDone and CopyFail outside COPY', async () => {
    const { c } = await login();
    c.send(Buffer.concat([serialize.copyData(Buffer.from('junk')), serialize.copyDone(), serialize.copyFail('late'), serialize.query('select 1 as one')]));
    const ms = await c.until('readyForQuery');
    assert.deepEqual(names(ms), ['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.deepEqual(ms[1]!.fields, ['1']);
    c.end();
  });

  it('sends notices as NoticeResponse before the command completes', async () => {
    const { c } = await login();
    c.send(serialize.query('drop table if exists wire_never_created'));
    const ms = await c.until('readyForQuery');
    assert.deepEqual(names(ms), ['notice', 'commandComplete', 'readyForQuery']);
    assert.equal(ms[0]!.severity, 'NOTICE');
    assert.match(String(ms[0]!.message), /wire_never_created/);
    assert.equal(ms[1]!.text, 'DROP TABLE');
    c.end();
  });

  it('answers an empty query with EmptyQueryResponse', async () => {
    const { c } = await login();
    c.send(serialize.query('  '));
    assert.deepEqual(names(await c.until('readyForQuery')), ['emptyQuery', 'readyForQuery']);
    c.end();
  });

  it('runs several statements of one Query with one result each', async () => {
    const { c } = await login();
    c.send(serialize.query('select 1 as a; select 2 as b'));
    const ms = await c.until('readyForQuery');
    assert.deepEqual(names(ms), ['rowDescription', 'dataRow', 'commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.equal(ms[2]!.text, 'SELECT 1');
    assert.deepEqual(ms[4]!.fields, ['2']);
    c.end();
  });

  it('describes parameters and columns, suspends portals and skips to Sync after an error', async () => {
    const { c } = await login();
    c.send(Buffer.concat([
      serialize.parse({ name: 's1', text: 'select $1::int + 1 as x', types: [0] }),
      serialize.describe({ type: 'S', name: 's1' }),
      serialize.sync(),
    ]));
    const d = await c.until('readyForQuery');
    assert.deepEqual(names(d), ['parseComplete', 'parameterDescription', 'rowDescription', 'readyForQuery']);
    assert.deepEqual(d[1]!.dataTypeIDs, [23]);
    assert.equal((d[2]!.fields as { name: string; dataTypeID: number }[])[0]!.name, 'x');
    assert.equal((d[2]!.fields as { name: string; dataTypeID: number }[])[0]!.dataTypeID, 23);

    // Execute with maxRows on a three-row portal: two rows, PortalSuspended, then the rest.
    c.send(serialize.query('create table wire_portal (n int); insert into wire_portal values (1), (2), (3)'));
    assert.deepEqual(names(await c.until('readyForQuery')), ['commandComplete', 'commandComplete', 'readyForQuery']);
    c.send(Buffer.concat([
      serialize.parse({ text: 'select n from wire_portal order by n' }),
      serialize.bind({ portal: 'p' }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.sync(),
    ]));
    const p = await c.until('readyForQuery');
    assert.deepEqual(names(p), ['parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.deepEqual(p.filter((m) => m.name === 'dataRow').map((m) => (m.fields as string[])[0]), ['1', '2', '3']);

    // An error in Bind (unknown statement) skips Execute up to Sync; the connection stays usable.
    c.send(Buffer.concat([
      serialize.bind({ statement: 'nope' }),
      serialize.execute({}),
      serialize.parse({ text: 'select 1' }),
      serialize.sync(),
      serialize.bind({ statement: 's1', values: ['41'] }),
      serialize.execute({}),
      serialize.sync(),
    ]));
    const e = await c.until('readyForQuery');
    assert.deepEqual(names(e), ['error', 'readyForQuery']);
    assert.equal(e[0]!.code, '26000');
    const ok = await c.until('readyForQuery');
    assert.deepEqual(names(ok), ['bindComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
    assert.deepEqual(ok[1]!.fields, ['42']);

    // Wrong parameter count: 08P01 in PostgreSQL's words.
    c.send(Buffer.concat([serialize.bind({ statement: 's1', values: [] }), serialize.sync()]));
    const w = await c.until('readyForQuery');
    assert.equal(w[0]!.code, '08P01');
    assert.match(String(w[0]!.message), /bind message supplies 0 parameters, but prepared statement "s1" requires 1/);

    // Named statements must be unique until closed.
    c.send(Buffer.concat([serialize.parse({ name: 's1', text: 'select 2' }), serialize.sync()]));
    assert.equal((await c.until('readyForQuery'))[0]!.code, '42P05');
    c.send(Buffer.concat([serialize.close({ type: 'S', name: 's1' }), serialize.parse({ name: 's1', text: 'select 2' }), serialize.sync()]));
    assert.deepEqual(names(await c.until('readyForQuery')), ['closeComplete', 'parseComplete', 'readyForQuery']);
    c.end();
  });

  it('reports T and E in ReadyForQuery through a failed transaction', async () => {
    const { c } = await login();
    c.send(serialize.query('begin'));
    assert.equal((await c.until('readyForQuery')).at(-1)!.status, 'T');
    c.send(serialize.query('select * from no_such_table'));
    const e = await c.until('readyForQuery');
    assert.equal(e[0]!.code, '42P01');
    assert.equal(e.at(-1)!.status, 'E');
    c.send(serialize.query('rollback'));
    assert.equal((await c.until('readyForQuery')).at(-1)!.status, 'I');
    c.end();
  });

  it('ignores a CancelRequest with the wrong key', async () => {
    const { c, startup } = await login();
    const key = startup.find((m) => m.name === 'backendKeyData')!;
    const k = await RawClient.connect(srv.port);
    k.send(serialize.cancel(key.processID as number, ((key.secretKey as number) ^ 1) | 0));
    await k.closed();
    c.send(serialize.query('select 7 as seven'));
    const ms = await c.until('readyForQuery');
    assert.deepEqual(ms[1]!.fields, ['7']);
    c.end();
  });

  it('survives random bytes: every garbage stream ends in an error or a close, never a crash', { timeout: 60_000 }, async () => {
    let seed = 12345;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    for (let i = 0; i < 60; i++) {
      const { c } = await login();
      const parts: Buffer[] = [];
      // Mostly well-framed messages of known types with random bodies, sometimes raw noise.
      for (let k = 0; k < 5; k++) {
        const body = Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
        const type = 'PBDECSHQdcfXZ'[Math.floor(rand() * 13)]!;
        const head = Buffer.alloc(5);
        head.write(type, 0, 'latin1');
        head.writeInt32BE(rand() < 0.9 ? body.length + 4 : Math.floor(rand() * 0xffffffff) | 0, 1);
        parts.push(head, body);
      }
      parts.push(serialize.sync());
      c.send(Buffer.concat(parts));
      await new Promise((r) => setTimeout(r, 5));
      c.end();
      // This server admits 3 clients: wait for the slot to come back before the next round.
      for (let t = 0; srv.server.stats.connections > 0 && t < 500; t++) await new Promise((r) => setTimeout(r, 10));
    }
    const { c } = await login();
    c.send(serialize.query('select 1 as alive'));
    const ms = await c.until('readyForQuery');
    assert.deepEqual(ms[1]!.fields, ['1']);
    c.end();
  });
});
