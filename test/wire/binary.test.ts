// Unit tests of binary send/receive formats (host/wire/binary.ts): byte layouts checked against PostgreSQL's
// numeric_send/date_send/timestamp_send/interval_send definitions, and cross-checked with pg-types' decoders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pgTypes from 'pg-types';
import { SqlError } from '../../host/common/errors.js';
import { T } from '../../host/types/sql-type.js';
import { BufferWriter } from '../../host/wire/buffer-writer.js';
import { decodeBinaryParam, encodeBinary, numericToString, readNumeric, writeNumeric, writeNumericScaled } from '../../host/wire/binary.js';

function numericBytes(text: string): number[] {
  const w = new BufferWriter(64);
  writeNumeric(w, text);
  const b = w.take();
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 2) out.push(b.readUInt16BE(i));
  return out;
}

const binaryParser = (oid: number): ((b: Buffer) => unknown) => pgTypes.getTypeParser(oid, 'binary') as (b: Buffer) => unknown;

describe('numeric binary format', () => {
  it('lays out base-10000 digits, weight, sign and dscale as numeric_send does', () => {
    // [ndigits, weight, sign, dscale, digits...]
    assert.deepEqual(numericBytes('12345.678'), [3, 1, 0, 3, 1, 2345, 6780]);
    assert.deepEqual(numericBytes('-0.0001'), [1, 0xffff, 0x4000, 4, 1]);
    assert.deepEqual(numericBytes('0.00'), [0, 0, 0, 2]);
    assert.deepEqual(numericBytes('100000000'), [1, 2, 0, 0, 1]);
    assert.deepEqual(numericBytes('0.0000000001'), [1, 0xfffd, 0, 10, 100]);
    assert.deepEqual(numericBytes('NaN'), [0, 0, 0xc000, 0]);
  });

  it('formats scaled bigints and round-trips through readNumeric', () => {
    assert.equal(numericToString(-12345n, 2), '-123.45');
    assert.equal(numericToString(5n, 3), '0.005');
    assert.equal(numericToString(-5n, 3), '-0.005');
    assert.equal(numericToString(7n, 0), '7');
    const cases = ['0', '1', '-1', '12345.678', '0.0001', '-99999999999999999999999999.999999999999', '1000000', '0.10', '123456789012345678901234567890.12345678'];
    for (const c of cases) {
      const b = encodeBinary(BigInt(c.replace('.', '')), T.numeric(38, c.includes('.') ? c.length - c.indexOf('.') - 1 : 0));
      assert.equal(readNumeric(b), c);
    }
  });

  it('encodes scaled bigints exactly as the decimal-string path does', () => {
    const text = (w: BufferWriter): number[] => [...w.take()];
    for (let i = 0; i < 2000; i++) {
      const digits = Math.floor(Math.random() * 40) + 1;
      let v = BigInt(Array.from({ length: digits }, () => Math.floor(Math.random() * 10)).join(''));
      if (Math.random() < 0.5) v = -v;
      const scale = Math.floor(Math.random() * 20);
      const a = new BufferWriter(64);
      writeNumericScaled(a, v, scale);
      const b = new BufferWriter(64);
      writeNumeric(b, numericToString(v, scale));
      assert.deepEqual(text(a), text(b), `${v} scale ${scale}`);
    }
  });

  it('agrees with pg-types on the numeric value', () => {
    for (const [v, scale] of [[1234567n, 3], [-42n, 0], [123456789n, 4], [0n, 2]] as const) {
      const b = encodeBinary(v, T.numeric(18, scale));
      assert.equal(binaryParser(1700)(b), Number(v) / 10 ** scale);
    }
  });
});

describe('binary cells', () => {
  it('encodes integers, floats and bools like int*send/float*send/boolsend', () => {
    assert.deepEqual([...encodeBinary(true, T.bool)], [1]);
    assert.deepEqual([...encodeBinary(-2, T.int2)], [0xff, 0xfe]);
    assert.deepEqual([...encodeBinary(258, T.int4)], [0, 0, 1, 2]);
    assert.equal(binaryParser(20)(encodeBinary(-9007199254740993n, T.int8)), '-9007199254740993');
    assert.equal(binaryParser(701)(encodeBinary(1.5e300, T.float8)), 1.5e300);
    assert.equal(binaryParser(700)(encodeBinary(0.5, T.float4)), 0.5);
    assert.deepEqual([...encodeBinary(0xfffffffe, T.oid)], [0xff, 0xff, 0xff, 0xfe]);
  });

  it('shifts dates and timestamps to the 2000-01-01 epoch', () => {
    // 2000-01-02 is day 10958 since 1970 and day 1 since 2000.
    assert.deepEqual([...encodeBinary(10958, T.date)], [0, 0, 0, 1]);
    const ts = 1_700_000_000_123_456n; // 2023-11-14T22:13:20.123456Z
    const b = encodeBinary(ts, T.timestamptz);
    assert.equal(b.readBigInt64BE(0), ts - 946_684_800_000_000n);
    assert.equal((binaryParser(1184)(b) as Date).getTime(), 1_700_000_000_123);
    // Infinity keeps PostgreSQL's sentinel.
    assert.equal(encodeBinary(9223372036854775807n, T.timestamp).readBigInt64BE(0), 9223372036854775807n);
    assert.equal(encodeBinary(2147483647, T.date).readInt32BE(0), 2147483647);
  });

  it('encodes time, interval, bytea and text', () => {
    assert.equal(encodeBinary(3_723_000_001n, T.time).readBigInt64BE(0), 3_723_000_001n);
    const iv = encodeBinary({ months: 14, days: 3, micros: 4_000_000 }, T.interval);
    assert.equal(iv.length, 16);
    assert.equal(iv.readBigInt64BE(0), 4_000_000n);
    assert.equal(iv.readInt32BE(8), 3);
    assert.equal(iv.readInt32BE(12), 14);
    assert.deepEqual([...encodeBinary(new Uint8Array([0, 255, 10]), T.bytea)], [0, 255, 10]);
    assert.equal(encodeBinary('héllo', T.varchar).toString('utf8'), 'héllo');
  });
});

describe('binary Bind parameters', () => {
  it('decodes each type back to its internal value', () => {
    const cases: [unknown, (typeof T)[keyof typeof T] | ReturnType<typeof T.numeric>][] = [
      [true, T.bool], [-7, T.int2], [123456, T.int4], [-(2n ** 62n), T.int8], [2.25, T.float8], [0.5, T.float4],
      [19000, T.date], [1_700_000_000_000_001n, T.timestamp], [86_399_999_999n, T.time], ['a\\b\'c"', T.text],
      [{ micros: -5, days: 2, months: -1 }, T.interval], [new Uint8Array([9, 8, 7]), T.bytea],
    ];
    cases.forEach(([v, t], i) => assert.deepEqual(decodeBinaryParam(encodeBinary(v, t as never), t as never, i), v));
    assert.equal(decodeBinaryParam(encodeBinary(-123456n, T.numeric(12, 4)), T.numeric(12, 4), 0), '-12.3456');
  });

  it('fails a wrong length with 22P03 naming the parameter', () => {
    assert.throws(() => decodeBinaryParam(Buffer.from([0, 1]), T.int4, 2), (e) => e instanceof SqlError && e.code === '22P03' && /parameter 3/.test(e.message));
    assert.throws(() => decodeBinaryParam(Buffer.from([0, 1, 0]), T.numeric(5, 0), 0), (e) => e instanceof SqlError && e.code === '22P03');
  });
});
