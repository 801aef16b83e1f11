// Unit tests of backend message encoders (host/wire/messages.ts) and command tags: every message is decoded by
// pg-protocol, node-postgres' own parser, so the bytes are checked by an independent implementation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Parser } from 'pg-protocol/dist/parser.js';
import { SqlError } from '../../host/common/errors.js';
import type { Field } from '../../host/session/api.js';
import { T } from '../../host/types/sql-type.js';
import { BufferWriter } from '../../host/wire/buffer-writer.js';
import { commandTag } from '../../host/wire/command-tag.js';
import * as msg from '../../host/wire/messages.js';

function decode(b: Buffer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  new Parser().parse(b, (m) => out.push(m as unknown as Record<string, unknown>));
  return out;
}

describe('backend messages', () => {
  it('encodes the startup sequence', () => {
    const w = new BufferWriter(8);
    msg.authenticationOk(w);
    msg.parameterStatus(w, 'server_version', '8.0.2');
    msg.backendKeyData(w, 4242, Buffer.from([0, 0, 0, 7]));
    msg.readyForQuery(w, 'T');
    const m = decode(w.take());
    assert.deepEqual(m.map((x) => x.name), ['authenticationOk', 'parameterStatus', 'backendKeyData', 'readyForQuery']);
    assert.equal(m[1]!.parameterName, 'server_version');
    assert.equal(m[1]!.parameterValue, '8.0.2');
    assert.equal(m[2]!.processID, 4242);
    assert.equal(m[2]!.secretKey, 7);
    assert.equal(m[3]!.status, 'T');
  });

  it('encodes a SASL and an MD5 request', () => {
    const w = new BufferWriter();
    msg.authenticationSasl(w, ['SCRAM-SHA-256']);
    msg.authenticationSaslContinue(w, 'r=abc,s=c2FsdA==,i=4096');
    msg.authenticationSaslFinal(w, 'v=xyz');
    msg.authenticationMd5Password(w, Buffer.from([1, 2, 3, 4]));
    const m = decode(w.take());
    assert.deepEqual(m[0]!.mechanisms, ['SCRAM-SHA-256']);
    assert.equal(m[1]!.data, 'r=abc,s=c2FsdA==,i=4096');
    assert.equal(m[2]!.data, 'v=xyz');
    assert.deepEqual([...(m[3]!.salt as Buffer)], [1, 2, 3, 4]);
  });

  it('encodes RowDescription with type oid, typlen, typmod and format', () => {
    const fields: Field[] = [
      { name: 'id', type: T.int8, tableOid: 16388, columnNumber: 1 },
      { name: 'amount', type: T.numeric(12, 2), tableOid: 16388, columnNumber: 3 },
      { name: 'name', type: T.varcharN(64), tableOid: 0, columnNumber: 0 },
    ];
    const w = new BufferWriter();
    msg.rowDescription(w, fields, [1, 0, 0]);
    const [rd] = decode(w.take());
    const f = rd!.fields as Record<string, unknown>[];
    assert.deepEqual(f.map((x) => [x.name, x.tableID, x.columnID, x.dataTypeID, x.dataTypeSize, x.dataTypeModifier, x.format]), [
      ['id', 16388, 1, 20, 8, -1, 'binary'],
      ['amount', 16388, 3, 1700, -1, (12 << 16 | 2) + 4, 'text'],
      ['name', 0, 0, 1043, -1, 68, 'text'],
    ]);
  });

  it('encodes DataRow with NULLs, ParameterDescription and the small messages', () => {
    const w = new BufferWriter(4);
    msg.dataRow(w, [Buffer.from('42'), null, Buffer.from('')]);
    msg.parameterDescription(w, [20, 25]);
    msg.parseComplete(w); msg.bindComplete(w); msg.closeComplete(w); msg.noData(w); msg.portalSuspended(w);
    msg.emptyQueryResponse(w); msg.commandComplete(w, 'SELECT 1');
    const m = decode(w.take());
    assert.deepEqual(m[0]!.fields, ['42', null, '']);
    assert.deepEqual(m[1]!.dataTypeIDs, [20, 25]);
    assert.deepEqual(m.slice(2).map((x) => x.name), ['parseComplete', 'bindComplete', 'closeComplete', 'noData', 'portalSuspended', 'emptyQuery', 'commandComplete']);
    assert.equal(m[8]!.text, 'SELECT 1');
  });

  it('encodes ErrorResponse and NoticeResponse fields', () => {
    const w = new BufferWriter();
    msg.errorResponse(w, new SqlError('42P01', 'relation "nope" does not exist', { position: 15, detail: 'd', hint: 'h' }));
    msg.noticeResponse(w, { code: '00000', message: 'table "t" does not exist, skipping' });
    const [e, n] = decode(w.take());
    assert.equal(e!.name, 'error');
    assert.equal(e!.severity, 'ERROR');
    assert.equal(e!.code, '42P01');
    assert.equal(e!.message, 'relation "nope" does not exist');
    assert.equal(e!.position, '15');
    assert.equal(e!.detail, 'd');
    assert.equal(e!.hint, 'h');
    assert.equal(n!.name, 'notice');
    assert.equal(n!.severity, 'NOTICE');
    assert.equal(n!.message, 'table "t" does not exist, skipping');
  });

  it('encodes COPY responses and data', () => {
    const w = new BufferWriter();
    msg.copyInResponse(w, 0, 3);
    msg.copyOutResponse(w, 1, 2);
    msg.copyData(w, Buffer.from('1\tx\n'));
    msg.copyDone(w);
    const m = decode(w.take());
    assert.equal(m[0]!.name, 'copyInResponse');
    assert.equal(m[0]!.binary, false);
    assert.deepEqual(m[0]!.columnTypes, [0, 0, 0]);
    assert.equal(m[1]!.name, 'copyOutResponse');
    assert.equal(m[1]!.binary, true);
    assert.equal((m[2]!.chunk as Buffer).toString(), '1\tx\n');
    assert.equal(m[3]!.name, 'copyDone');
  });
});

describe('command tags', () => {
  it('writes tags as PostgreSQL does', () => {
    const tag = (command: string, rowCount: number): string => commandTag({ command, rowCount });
    assert.equal(tag('INSERT', 3), 'INSERT 0 3');
    assert.equal(tag('SELECT', 0), 'SELECT 0');
    assert.equal(tag('UPDATE', 2), 'UPDATE 2');
    assert.equal(tag('DELETE', 9), 'DELETE 9');
    assert.equal(tag('COPY', 100000), 'COPY 100000');
    assert.equal(tag('FETCH', 30), 'FETCH 30');
    assert.equal(tag('CREATE TABLE AS', 5), 'SELECT 5');
    assert.equal(tag('CREATE TABLE', 0), 'CREATE TABLE');
    assert.equal(tag('BEGIN', 0), 'BEGIN');
  });
});
