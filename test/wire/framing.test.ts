// Unit tests of the wire server's first two stages: incremental framing (host/wire/reader.ts) and the frontend
// message parsers (host/wire/frontend.ts), fed with messages encoded by pg-protocol, node-postgres' own encoder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialize } from 'pg-protocol';
import { SqlError } from '../../host/common/errors.js';
import {
  parseBind, parseClose, parseDescribe, parseExecute, parseParse, parseSaslInitial, parseStartupPacket, parseString,
} from '../../host/wire/frontend.js';
import { CANCEL_REQUEST_CODE, SSL_REQUEST_CODE } from '../../host/wire/protocol.js';
import { MessageReader, type Frame } from '../../host/wire/reader.js';

function drain(r: MessageReader): Frame[] {
  const out: Frame[] = [];
  for (let f = r.next(); f; f = r.next()) out.push(f);
  return out;
}

function isProtocolError(e: unknown, message?: RegExp): boolean {
  assert.ok(e instanceof SqlError, `expected SqlError, got ${String(e)}`);
  assert.equal(e.code, '08P01');
  if (message) assert.match(e.message, message);
  return true;
}

/** A typed message with an arbitrary length word and body. */
function raw(type: string, len: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(5);
  b.write(type, 0, 'latin1');
  b.writeInt32BE(len, 1);
  return Buffer.concat([b, body]);
}

describe('MessageReader', () => {
  it('frames a startup packet then typed messages fed one byte at a time', () => {
    const r = new MessageReader({ maxMessageBytes: 1 << 20 });
    const bytes = Buffer.concat([serialize.startup({ user: 'u', database: 'd' })]);
    for (let i = 0; i < bytes.length - 1; i++) {
      r.push(bytes.subarray(i, i + 1));
      assert.equal(r.next(), null);
    }
    r.push(bytes.subarray(bytes.length - 1));
    const f = r.next();
    assert.ok(f);
    assert.equal(f.type, '');
    const pkt = parseStartupPacket(f.body);
    assert.equal(pkt.kind, 'startup');
    if (pkt.kind === 'startup') {
      assert.equal(pkt.major, 3);
      assert.equal(pkt.minor, 0);
      assert.equal(pkt.params.get('user'), 'u');
      assert.equal(pkt.params.get('database'), 'd');
    }
    r.startupDone();
    const typed = Buffer.concat([serialize.query('select 1'), serialize.sync(), serialize.flush()]);
    for (const b of typed) r.push(Buffer.from([b]));
    const frames = drain(r);
    assert.deepEqual(frames.map((x) => x.type), ['Q', 'S', 'H']);
    assert.equal(parseString(frames[0]!.body), 'select 1');
    assert.equal(r.buffered, 0);
  });

  it('returns several messages from one chunk and keeps a partial tail', () => {
    const r = new MessageReader({ maxMessageBytes: 1 << 20 });
    r.startupDone();
    const all = Buffer.concat([serialize.query('a'), serialize.query('bb'), serialize.query('ccc')]);
    r.push(all.subarray(0, all.length - 2));
    assert.deepEqual(drain(r).map((f) => parseString(f.body)), ['a', 'bb']);
    r.push(all.subarray(all.length - 2));
    assert.deepEqual(drain(r).map((f) => parseString(f.body)), ['ccc']);
  });

  it('waits on a truncated message without returning it', () => {
    const r = new MessageReader({ maxMessageBytes: 1 << 20 });
    r.startupDone();
    const q = serialize.query('select 42');
    r.push(q.subarray(0, q.length - 1));
    assert.equal(r.next(), null);
    assert.equal(r.buffered, q.length - 1);
  });

  it('rejects a length word below 4 with 08P01', () => {
    const r = new MessageReader({ maxMessageBytes: 1 << 20 });
    r.startupDone();
    r.push(raw('Q', 3));
    assert.throws(() => r.next(), (e) => isProtocolError(e, /invalid message length/));
  });

  it('rejects a negative length word with 08P01', () => {
    const r = new MessageReader({ maxMessageBytes: 1 << 20 });
    r.startupDone();
    r.push(raw('Q', -100));
    assert.throws(() => r.next(), (e) => isProtocolError(e, /invalid message length/));
  });

  it('rejects an oversized message from its header, before buffering the body', () => {
    const r = new MessageReader({ maxMessageBytes: 1000 });
    r.startupDone();
    r.push(raw('Q', 1005));
    assert.throws(() => r.next(), (e) => isProtocolError(e, /invalid message length/) && (e as SqlError).severity === 'FATAL');
    const ok = new MessageReader({ maxMessageBytes: 1000 });
    ok.startupDone();
    ok.push(raw('d', 1004, Buffer.alloc(1000, 7)));
    assert.equal(ok.next()?.body.length, 1000);
  });

  it('rejects startup packets shorter than 8 or longer than 10000 bytes', () => {
    for (const len of [0, 4, 7, 10001, 0x7fffffff]) {
      const r = new MessageReader({ maxMessageBytes: 1 << 20 });
      const b = Buffer.alloc(8);
      b.writeInt32BE(len, 0);
      r.push(b);
      assert.throws(() => r.next(), (e) => isProtocolError(e, /invalid length of startup packet/));
    }
  });
});

describe('frontend parsers', () => {
  it('parses SSLRequest and CancelRequest packets', () => {
    const ssl = serialize.requestSsl();
    assert.equal(ssl.readInt32BE(4), SSL_REQUEST_CODE);
    assert.deepEqual(parseStartupPacket(ssl.subarray(4)), { kind: 'ssl' });
    const cancel = serialize.cancel(1234, 0x01020304);
    assert.equal(cancel.readInt32BE(4), CANCEL_REQUEST_CODE);
    const pkt = parseStartupPacket(cancel.subarray(4));
    assert.equal(pkt.kind, 'cancel');
    if (pkt.kind === 'cancel') {
      assert.equal(pkt.processId, 1234);
      assert.deepEqual([...pkt.secretKey], [1, 2, 3, 4]);
    }
  });

  it('reports a protocol 2.0 startup packet with its version and no params', () => {
    const b = Buffer.alloc(8);
    b.writeInt32BE(2 << 16, 0);
    const pkt = parseStartupPacket(b);
    assert.deepEqual(pkt.kind === 'startup' && [pkt.major, pkt.minor], [2, 0]);
  });

  it('requires the startup packet terminator', () => {
    const good = serialize.startup({ user: 'u' }).subarray(4);
    assert.throws(() => parseStartupPacket(good.subarray(0, good.length - 1)), (e) => isProtocolError(e, /terminator/));
  });

  it('parses Parse, Bind, Describe, Execute and Close as pg encodes them', () => {
    const body = (b: Buffer): Buffer => b.subarray(5);
    const p = parseParse(body(serialize.parse({ name: 's1', text: 'select $1::int, $2', types: [23, 0] })));
    assert.deepEqual(p, { name: 's1', query: 'select $1::int, $2', paramTypeOids: [23, 0] });
    const b = parseBind(body(serialize.bind({ portal: 'p1', statement: 's1', values: ['42', null, Buffer.from([1, 2])] })));
    assert.equal(b.portal, 'p1');
    assert.equal(b.statement, 's1');
    assert.deepEqual(b.paramFormats, [0, 0, 1]);
    assert.deepEqual(b.params.map((x) => (x === null ? null : [...x])), [[0x34, 0x32], null, [1, 2]]);
    assert.deepEqual(b.resultFormats, [0]);
    const bb = parseBind(body(serialize.bind({ binary: true })));
    assert.deepEqual(bb.resultFormats, [1]);
    assert.deepEqual(parseDescribe(body(serialize.describe({ type: 'S', name: 's1' }))), { target: 'S', name: 's1' });
    assert.deepEqual(parseDescribe(body(serialize.describe({ type: 'P' }))), { target: 'P', name: '' });
    assert.deepEqual(parseExecute(body(serialize.execute({ portal: 'p1', rows: 100 }))), { portal: 'p1', maxRows: 100 });
    assert.deepEqual(parseClose(body(serialize.close({ type: 'P', name: 'p1' }))), { target: 'P', name: 'p1' });
    const sasl = parseSaslInitial(body(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=abc')));
    assert.equal(sasl.mechanism, 'SCRAM-SHA-256');
    assert.equal(sasl.data?.toString(), 'n,,n=*,r=abc');
  });

  it('fails truncated bodies with 08P01 "insufficient data left in message"', () => {
    const bind = serialize.bind({ portal: '', statement: '', values: ['hello'] }).subarray(5);
    for (let cut = 2; cut < bind.length; cut++) {
      assert.throws(() => parseBind(bind.subarray(0, cut)), (e) => isProtocolError(e));
    }
    const parse = serialize.parse({ text: 'select $1', types: [23] }).subarray(5);
    assert.throws(() => parseParse(parse.subarray(0, parse.length - 2)), (e) => isProtocolError(e, /insufficient data/));
  });

  it('fails a Bind whose parameter length points past the end', () => {
    const b = Buffer.from([0, 0, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 0]);
    assert.throws(() => parseBind(b), (e) => isProtocolError(e, /insufficient data/));
  });

  it('fails trailing garbage, bad subtypes, bad format codes and missing terminators', () => {
    assert.throws(() => parseString(Buffer.from('select 1\0x')), (e) => isProtocolError(e, /invalid message format/));
    assert.throws(() => parseString(Buffer.from('select 1')), (e) => isProtocolError(e, /invalid string in message/));
    assert.throws(() => parseDescribe(Buffer.from('Xname\0')), (e) => isProtocolError(e, /invalid DESCRIBE message subtype 88/));
    assert.throws(() => parseClose(Buffer.from('Q\0')), (e) => isProtocolError(e, /invalid CLOSE message subtype/));
    const badFormat = Buffer.from([0, 0, 0, 1, 0, 7, 0, 0, 0, 0]);
    assert.throws(() => parseBind(badFormat), (e) => isProtocolError(e, /unsupported format code: 7/));
    const negCount = Buffer.from([0, 0, 0xff, 0xff]);
    assert.throws(() => parseBind(negCount), (e) => isProtocolError(e));
  });
});
