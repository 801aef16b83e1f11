// Tests of text output (host/types/text-format.ts) against the strings PostgreSQL/Redshift print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloatG, formatText } from '../../../host/types/text-format.js';
import { T } from '../../../host/types/sql-type.js';
import { daysFromCivil } from '../../../host/types/datetime.js';

test('bool, integers, oid', () => {
  assert.equal(formatText(true, T.bool), 't');
  assert.equal(formatText(false, T.bool), 'f');
  assert.equal(formatText(-32768, T.int2), '-32768');
  assert.equal(formatText(-9223372036854775808n, T.int8), '-9223372036854775808');
  assert.equal(formatText(4294967295, T.oid), '4294967295');
});

test('numeric prints exactly `scale` decimals from the scaled integer', () => {
  assert.equal(formatText(12345n, T.numeric(10, 2)), '123.45');
  assert.equal(formatText(-5n, T.numeric(10, 3)), '-0.005');
  assert.equal(formatText(0n, T.numeric(10, 2)), '0.00');
  assert.equal(formatText(7n, T.numeric(10, 0)), '7');
  assert.equal(formatText(10n ** 38n - 1n, T.numeric(38, 10)), '9999999999999999999999999999.9999999999');
  assert.equal(formatText(-(10n ** 38n - 1n), T.numeric(38, 38)), '-0.99999999999999999999999999999999999999');
});

test('float8 with 15 significant digits and float4 with 6 (extra_float_digits = 0)', () => {
  assert.equal(formatText(1 / 3, T.float8), '0.333333333333333');
  assert.equal(formatText(Math.fround(1 / 3), T.float4), '0.333333');
  assert.equal(formatText(Math.fround(3.14159274), T.float4), '3.14159');
  assert.equal(formatText(0.1 + 0.2, T.float8), '0.3');
  assert.equal(formatText(100, T.float8), '100');
  assert.equal(formatText(2.5, T.float8), '2.5');
  assert.equal(formatText(123456789012345, T.float8), '123456789012345');
  assert.equal(formatText(1234567890123456, T.float8), '1.23456789012346e+15');
  assert.equal(formatText(1e15, T.float8), '1e+15');
  assert.equal(formatText(1e100, T.float8), '1e+100');
  assert.equal(formatText(0.0001, T.float8), '0.0001');
  assert.equal(formatText(0.00001, T.float8), '1e-05');
  assert.equal(formatText(-1.5e-300, T.float8), '-1.5e-300');
  assert.equal(formatText(1234567, T.float4), '1.23457e+06');
  assert.equal(formatText(NaN, T.float8), 'NaN');
  assert.equal(formatText(Infinity, T.float8), 'Infinity');
  assert.equal(formatText(-Infinity, T.float4), '-Infinity');
  assert.equal(formatText(-0, T.float8), '-0');
  assert.equal(formatFloatG(999999.5, 6), '1e+06');
});

test('dates, with BC and infinities', () => {
  assert.equal(formatText(0, T.date), '1970-01-01');
  assert.equal(formatText(daysFromCivil(2000, 2, 29), T.date), '2000-02-29');
  assert.equal(formatText(daysFromCivil(1, 1, 1), T.date), '0001-01-01');
  assert.equal(formatText(daysFromCivil(0, 12, 31), T.date), '0001-12-31 BC');
  assert.equal(formatText(daysFromCivil(-43, 3, 15), T.date), '0044-03-15 BC');
  assert.equal(formatText(daysFromCivil(12345, 6, 7), T.date), '12345-06-07');
  assert.equal(formatText(2147483647, T.date), 'infinity');
  assert.equal(formatText(-2147483648, T.date), '-infinity');
});

test('timestamps trim the fraction; timestamptz prints +00; times', () => {
  const d = BigInt(daysFromCivil(2020, 1, 2)) * 86_400_000_000n;
  assert.equal(formatText(d, T.timestamp), '2020-01-02 00:00:00');
  assert.equal(formatText(d + 3_723_500_000n, T.timestamp), '2020-01-02 01:02:03.5');
  assert.equal(formatText(d + 1n, T.timestamp), '2020-01-02 00:00:00.000001');
  assert.equal(formatText(d, T.timestamptz), '2020-01-02 00:00:00+00');
  assert.equal(formatText(-1n, T.timestamp), '1969-12-31 23:59:59.999999');
  assert.equal(formatText(BigInt(daysFromCivil(0, 12, 31)) * 86_400_000_000n + 86_399_000_000n, T.timestamp), '0001-12-31 23:59:59 BC');
  assert.equal(formatText(9223372036854775807n, T.timestamp), 'infinity');
  assert.equal(formatText(45_296_789_000n, T.time), '12:34:56.789');
  assert.equal(formatText(86_400_000_000n, T.time), '24:00:00');
  assert.equal(formatText(0n, T.time), '00:00:00');
});

test("intervals in PostgreSQL's postgres style", () => {
  const f = (months: number, days: number, micros: number): string => formatText({ months, days, micros }, T.interval);
  assert.equal(f(14, 3, 14_706_000_000), '1 year 2 mons 3 days 04:05:06');
  assert.equal(f(0, -1, 0), '-1 days');
  assert.equal(f(0, 0, 0), '00:00:00');
  assert.equal(f(1, 0, 0), '1 mon');
  assert.equal(f(24, 1, 0), '2 years 1 day');
  assert.equal(f(-14, 0, 0), '-1 years -2 mons');
  assert.equal(f(0, -1, 7_200_000_000), '-1 days +02:00:00');
  assert.equal(f(1, -1, 0), '1 mon -1 days');
  assert.equal(f(0, 0, -3_600_000_001), '-01:00:00.000001');
  assert.equal(f(0, 0, 360_000_000_000), '100:00:00');
  assert.equal(f(0, 3, 500_000), '3 days 00:00:00.5');
});

test('bytea hex, char padding, text as is', () => {
  assert.equal(formatText(new Uint8Array([0, 255, 16]), T.bytea), '\\x00ff10');
  assert.equal(formatText('ab', T.bpchar(4)), 'ab  ');
  assert.equal(formatText('héllo', T.varchar), 'héllo');
});

test('timestamptz in a session time zone prints local time and its offset', () => {
  const utc = BigInt(daysFromCivil(2020, 7, 1)) * 86_400_000_000n + 14n * 3_600_000_000n;
  assert.equal(formatText(utc, T.timestamptz, { timeZone: 'America/New_York' }), '2020-07-01 10:00:00-04');
  const winter = BigInt(daysFromCivil(2020, 1, 1)) * 86_400_000_000n + 15n * 3_600_000_000n;
  assert.equal(formatText(winter, T.timestamptz, { timeZone: 'America/New_York' }), '2020-01-01 10:00:00-05');
  assert.equal(formatText(winter, T.timestamptz, { timeZone: 'Asia/Kolkata' }), '2020-01-01 20:30:00+05:30');
  assert.equal(formatText(winter, T.timestamptz, { timeZone: 'UTC' }), '2020-01-01 15:00:00+00');
  assert.throws(() => formatText(winter, T.timestamptz, { timeZone: 'Mars/Olympus' }), /time zone "Mars\/Olympus" not recognized/);
});

test('exact ties round half to even, as glibc printf does', () => {
  assert.equal(formatText(Math.fround(-683774.5), T.float4), '-683774');
  assert.equal(formatText(Math.fround(683775.5), T.float4), '683776');
  assert.equal(formatText(-391955928148866.5, T.float8), '-391955928148866');
  assert.equal(formatText(391955928148867.5, T.float8), '391955928148868');
  assert.equal(formatText(0.125, { id: 'float4' }), '0.125');
  assert.equal(formatFloatG(2.5, 1), '2');
  assert.equal(formatFloatG(3.5, 1), '4');
  assert.equal(formatFloatG(0.15, 1), '0.1'); // 0.15 is below the tie in binary
  assert.equal(formatFloatG(9.5, 1), '1e+01');
});
