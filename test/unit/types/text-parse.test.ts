// Tests of text input (host/types/text-parse.ts): PostgreSQL's accepted forms, its errors and
// SQLSTATEs, and round trips parse(format(x)) = x over edge values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalFieldFromTypmod, parseInterval, parseText } from '../../../host/types/text-parse.js';
import { formatText } from '../../../host/types/text-format.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import { daysFromCivil, MAX_DATE, MAX_TIMESTAMP, MIN_DATE, MIN_TIMESTAMP } from '../../../host/types/datetime.js';
import { SqlError } from '../../../host/common/errors.js';

function fails(text: string, type: SqlType, code: string, message: string): void {
  assert.throws(() => parseText(text, type), (e: unknown) => {
    assert.ok(e instanceof SqlError, String(e));
    assert.equal(e.code, code, text);
    assert.equal(e.message, message);
    return true;
  });
}

test('integers: blanks, signs, range errors with PostgreSQL wording', () => {
  assert.equal(parseText(' 42 ', T.int4), 42);
  assert.equal(parseText('-32768', T.int2), -32768);
  assert.equal(parseText('+7', T.int8), 7n);
  assert.equal(parseText('9223372036854775807', T.int8), 9223372036854775807n);
  assert.equal(parseText('-9223372036854775808', T.int8), -9223372036854775808n);
  fails('abc', T.int4, '22P02', 'invalid input syntax for type integer: "abc"');
  fails('1.5', T.int2, '22P02', 'invalid input syntax for type smallint: "1.5"');
  fails('', T.int8, '22P02', 'invalid input syntax for type bigint: ""');
  fails('99999999999', T.int4, '22003', 'value "99999999999" is out of range for type integer');
  fails('32768', T.int2, '22003', 'value "32768" is out of range for type smallint');
  fails('9223372036854775808', T.int8, '22003', 'value "9223372036854775808" is out of range for type bigint');
});

test('numeric rounds half away from zero to the scale and overflows past the precision', () => {
  assert.equal(parseText('123.456', T.numeric(5, 2)), 12346n);
  assert.equal(parseText('-123.455', T.numeric(5, 2)), -12346n);
  assert.equal(parseText('-0.004', T.numeric(5, 2)), 0n);
  assert.equal(parseText('1.5e2', T.numeric(10, 1)), 1500n);
  assert.equal(parseText('15e-3', T.numeric(10, 3)), 15n);
  assert.equal(parseText('.5', T.numeric(3, 0)), 1n);
  assert.equal(parseText('  7.  ', T.numeric(3, 0)), 7n);
  assert.equal(parseText('2.5', { id: 'numeric' }), 3n); // NUMERIC without modifiers is DECIMAL(18,0) in Redshift
  assert.equal(parseText('99999999999999999999999999999999999999', T.numeric(38, 0)), 10n ** 38n - 1n);
  assert.equal(parseText('-0.99999999999999999999999999999999999999', T.numeric(38, 38)), -(10n ** 38n - 1n));
  fails('1234.5', T.numeric(5, 2), '22003', 'numeric field overflow');
  fails('999.995', T.numeric(5, 2), '22003', 'numeric field overflow');
  fails('100000000000000000000000000000000000000', T.numeric(38, 0), '22003', 'numeric field overflow');
  fails('abc', T.numeric(5, 2), '22P02', 'invalid input syntax for type numeric: "abc"');
  fails('1.2.3', T.numeric(5, 2), '22P02', 'invalid input syntax for type numeric: "1.2.3"');
  assert.throws(() => parseText('1234.5', T.numeric(5, 2)), (e: unknown) => e instanceof SqlError
    && e.detail === 'A field with precision 5, scale 2 must round to an absolute value less than 10^3.');
});

test('floats', () => {
  assert.equal(parseText('1.5', T.float8), 1.5);
  assert.equal(parseText(' -1e-3 ', T.float8), -0.001);
  assert.ok(Number.isNaN(parseText('NaN', T.float8) as number));
  assert.equal(parseText('-Infinity', T.float8), -Infinity);
  assert.equal(parseText('inf', T.float4), Infinity);
  assert.equal(parseText('0.1', T.float4), Math.fround(0.1));
  fails('1e400', T.float8, '22003', '"1e400" is out of range for type double precision');
  fails('1e39', T.float4, '22003', '"1e39" is out of range for type real');
  fails('x1', T.float8, '22P02', 'invalid input syntax for type double precision: "x1"');
});

test('booleans: words, prefixes, case and blanks', () => {
  for (const s of ['t', 'true', 'TRUE', ' yes ', 'y', 'on', '1', 'tr']) assert.equal(parseText(s, T.bool), true, s);
  for (const s of ['f', 'false', 'No', 'n', 'off', 'of', '0']) assert.equal(parseText(s, T.bool), false, s);
  fails('o', T.bool, '22P02', 'invalid input syntax for type boolean: "o"');
  fails('2', T.bool, '22P02', 'invalid input syntax for type boolean: "2"');
});

test('dates in ISO, MDY, YYYYMMDD, month-name and BC forms', () => {
  const d = (s: string): string => formatText(parseText(s, T.date), T.date);
  assert.equal(d('2020-02-29'), '2020-02-29');
  assert.equal(d('01/02/2020'), '2020-01-02');
  assert.equal(d('20200102'), '2020-01-02');
  assert.equal(d('Jan 8 1999'), '1999-01-08');
  assert.equal(d('January 8, 1999'), '1999-01-08');
  assert.equal(d('8-Jan-1999'), '1999-01-08');
  assert.equal(d('08-JAN-99'), '1999-01-08');
  assert.equal(d('1999-Jan-08'), '1999-01-08');
  fails('99-01-08', T.date, '22008', 'date/time field value out of range: "99-01-08"'); // MDY: 99 is no month
  assert.equal(d('0044-03-15 BC'), '0044-03-15 BC');
  assert.equal(d('2020-01-02 13:14:15'), '2020-01-02');
  assert.equal(d('epoch'), '1970-01-01');
  assert.equal(d('infinity'), 'infinity');
  assert.equal(formatText(parseText('today', T.date, { now: 86_400_000_000n * 3n + 5n }), T.date), '1970-01-04');
  fails('2020-13-01', T.date, '22008', 'date/time field value out of range: "2020-13-01"');
  fails('1900-02-29', T.date, '22008', 'date/time field value out of range: "1900-02-29"');
  fails('0000-01-01', T.date, '22008', 'date/time field value out of range: "0000-01-01"');
  fails('abc', T.date, '22007', 'invalid input syntax for type date: "abc"');
  fails('2020-01', T.date, '22007', 'invalid input syntax for type date: "2020-01"');
  fails('5874898-01-01', T.date, '22008', 'date out of range: "5874898-01-01"');
});

test('timestamps: T or space, fractions, zones for timestamptz', () => {
  const tz = (s: string): string => formatText(parseText(s, T.timestamptz), T.timestamptz);
  const t = (s: string): string => formatText(parseText(s, T.timestamp), T.timestamp);
  assert.equal(t('2020-01-01T10:11:12.5'), '2020-01-01 10:11:12.5');
  assert.equal(t('2020-01-01 10:11'), '2020-01-01 10:11:00');
  assert.equal(t('2020-01-01'), '2020-01-01 00:00:00');
  assert.equal(t('2020-01-01 10:11:12.1234567'), '2020-01-01 10:11:12.123457');
  assert.equal(t('2020-01-01 10:00:00+05'), '2020-01-01 10:00:00'); // timestamp ignores a zone
  assert.equal(t('Jan 8 1999 04:05:06 PM'), '1999-01-08 16:05:06');
  assert.equal(t('2020-01-01 12:00 AM'), '2020-01-01 00:00:00');
  assert.equal(t('2020-01-01 0:00 AM'), '2020-01-01 00:00:00');
  assert.equal(tz('2020-01-01T10:11:12Z'), '2020-01-01 10:11:12+00');
  assert.equal(tz('2020-01-01 10:00:00-05'), '2020-01-01 15:00:00+00');
  assert.equal(tz('2020-01-01 10:00:00+05:30'), '2020-01-01 04:30:00+00');
  assert.equal(tz('2020-01-01 10:00 PST'), '2020-01-01 18:00:00+00');
  assert.equal(tz('2020-07-01 10:00 America/New_York'), '2020-07-01 14:00:00+00');
  assert.equal(tz('2020-01-01 10:00 America/New_York'), '2020-01-01 15:00:00+00');
  assert.equal(tz('2020-01-01 10:00'), '2020-01-01 10:00:00+00');
  fails('2020-01-01 25:00:00', T.timestamp, '22008', 'date/time field value out of range: "2020-01-01 25:00:00"');
  fails('2020-01-01 10:61', T.timestamp, '22008', 'date/time field value out of range: "2020-01-01 10:61"');
  fails('not a time', T.timestamptz, '22007', 'invalid input syntax for type timestamp with time zone: "not a time"');
  fails('294277-01-01', T.timestamp, '22008', 'timestamp out of range: "294277-01-01"');
});

test('times', () => {
  const t = (s: string): string => formatText(parseText(s, T.time), T.time);
  assert.equal(t('04:05:06.789'), '04:05:06.789');
  assert.equal(t('04:05'), '04:05:00');
  assert.equal(t('4:05 PM'), '16:05:00');
  assert.equal(t('24:00:00'), '24:00:00');
  assert.equal(t('allballs'), '00:00:00');
  fails('24:00:01', T.time, '22008', 'date/time field value out of range: "24:00:01"');
  fails('noon', T.time, '22007', 'invalid input syntax for type time: "noon"');
});

test('intervals', () => {
  const i = (s: string): string => formatText(parseText(s, T.interval), T.interval);
  assert.equal(i('1 day'), '1 day');
  assert.equal(i('3 months'), '3 mons');
  assert.equal(i('1 year 2 mons'), '1 year 2 mons');
  assert.equal(i('01:02:03'), '01:02:03');
  assert.equal(i('-90 days'), '-90 days');
  assert.equal(i('1 week'), '7 days');
  assert.equal(i('1.5 months'), '1 mon 15 days');
  assert.equal(i('1.5 days'), '1 day 12:00:00');
  assert.equal(i('2 hours 30 minutes'), '02:30:00');
  assert.equal(i('@ 1 hour ago'), '-01:00:00');
  assert.equal(i('10'), '00:00:10');
  assert.equal(i('10days'), '10 days');
  assert.equal(i('P1Y2M3DT4H5M6S'), '1 year 2 mons 3 days 04:05:06');
  assert.equal(i('P2W'), '14 days');
  assert.equal(i('1 decade'), '10 years');
  assert.equal(i('-1 day +02:00:00'), '-1 days +02:00:00');
  assert.equal(i('1 2:03:04'), '1 day 02:03:04');
  assert.equal(i('1-2'), '1 year 2 mons');
  fails('xyz', T.interval, '22007', 'invalid input syntax for type interval: "xyz"');
  fails('1 fortnight', T.interval, '22007', 'invalid input syntax for type interval: "1 fortnight"');
  fails('1 day 1 day', T.interval, '22007', 'invalid input syntax for type interval: "1 day 1 day"');
});

test('varchar/char length checks count bytes; trailing blanks beyond the length are cut', () => {
  assert.equal(parseText('abc', T.varcharN(5)), 'abc');
  assert.equal(parseText('abc     ', T.varcharN(5)), 'abc  ');
  assert.equal(parseText('ab', T.bpchar(4)), 'ab  ');
  assert.equal(parseText('abcd  ', T.bpchar(4)), 'abcd');
  assert.equal(parseText('anything at all', T.varchar), 'anything at all');
  fails('abcdef', T.varcharN(5), '22001', 'value too long for type character varying(5)');
  fails('abcdef', T.bpchar(3), '22001', 'value too long for type character(3)');
  fails('ééé', T.varcharN(5), '22001', 'value too long for type character varying(5)'); // 6 bytes
  // explicit casts truncate, without splitting a character
  assert.equal(parseText('abcdef', T.varcharN(5), { truncate: true }), 'abcde');
  assert.equal(parseText('abcd', T.bpchar(3), { truncate: true }), 'abc');
  assert.equal(parseText('ééé', T.varcharN(5), { truncate: true }), 'éé');
});

test('bytea hex and escape input', () => {
  assert.deepEqual(parseText('\\x00ff10', T.bytea), new Uint8Array([0, 255, 16]));
  assert.deepEqual(parseText('a\\000\\\\', T.bytea), new Uint8Array([97, 0, 92]));
  fails('\\x0', T.bytea, '22023', 'invalid hexadecimal data: odd number of digits');
  fails('\\x0g', T.bytea, '22023', 'invalid hexadecimal digit: "g"');
});

test('round trips parse(format(x)) = x over edge values', () => {
  const rt = (v: unknown, type: SqlType): void => {
    const text = formatText(v, type);
    assert.deepEqual(parseText(text, type), v, `${text} as ${type.id}`);
  };
  for (const v of [-9223372036854775808n, 9223372036854775807n, 0n, -1n]) rt(v, T.int8);
  for (const v of [-2147483648, 2147483647, 0]) rt(v, T.int4);
  for (const v of [-32768, 32767]) rt(v, T.int2);
  for (const v of [true, false]) rt(v, T.bool);
  for (const scale of [0, 2, 10, 37, 38]) {
    for (const v of [10n ** 38n - 1n, -(10n ** 38n - 1n), 0n, 1n, -1n, 12345678901234567890123456789n]) rt(v, T.numeric(38, scale));
  }
  for (const v of [0, 1.5, -2.25, 1e-10, 123456789012345, 1e300, Infinity, -Infinity]) rt(v, T.float8);
  const dates = [
    daysFromCivil(1, 1, 1), daysFromCivil(0, 12, 31), daysFromCivil(0, 2, 29), daysFromCivil(-4713, 11, 24), MIN_DATE, MAX_DATE,
    daysFromCivil(2000, 2, 29), daysFromCivil(1900, 2, 28), daysFromCivil(1900, 3, 1), daysFromCivil(2400, 2, 29), -1, 0,
  ];
  for (const d of dates) rt(d, T.date);
  const day = 86_400_000_000n;
  const stamps = [
    MIN_TIMESTAMP, MAX_TIMESTAMP, 0n, -1n, 1n, BigInt(daysFromCivil(2000, 2, 29)) * day + 43_200_000_001n,
    BigInt(daysFromCivil(0, 12, 31)) * day + day - 1n, BigInt(daysFromCivil(1, 1, 1)) * day,
  ];
  for (const s of stamps) { rt(s, T.timestamp); rt(s, T.timestamptz); }
  for (const t of [0n, 1n, 86_399_999_999n, 86_400_000_000n]) rt(t, T.time);
  const ivs = [
    { months: 0, days: 0, micros: 0 }, { months: 14, days: 3, micros: 14_706_000_001 }, { months: -14, days: -3, micros: -1 },
    { months: 1, days: -1, micros: 7_200_000_000 }, { months: 0, days: 0, micros: 360_000_000_000 }, { months: -1, days: 0, micros: 1 },
  ];
  for (const iv of ivs) rt(iv, T.interval);
  rt(new Uint8Array([0, 1, 2, 254, 255]), T.bytea);
  // random values
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let k = 0; k < 2000; k++) {
    const d = Math.floor(MIN_DATE + rnd() * (MAX_DATE - MIN_DATE));
    rt(d, T.date);
    const s = MIN_TIMESTAMP + BigInt(Math.floor(rnd() * Number(MAX_TIMESTAMP - MIN_TIMESTAMP)));
    rt(s, T.timestamp);
    rt({ months: Math.floor((rnd() - 0.5) * 2000), days: Math.floor((rnd() - 0.5) * 2000), micros: Math.floor((rnd() - 0.5) * 1e13) }, T.interval);
  }
});

test('interval qualifiers: a bare number counts the lowest field; lower parts are dropped', () => {
  const i = (s: string, mask: number): string => formatText(parseInterval(s, intervalFieldFromTypmod(mask)), T.interval);
  assert.equal(intervalFieldFromTypmod(8), 'day');
  assert.equal(intervalFieldFromTypmod(1032), 'hour'); // DAY TO HOUR
  assert.equal(intervalFieldFromTypmod(6), 'month'); // YEAR TO MONTH
  assert.equal(intervalFieldFromTypmod(0x7fff), undefined);
  assert.equal(i('90', 8), '90 days');
  assert.equal(i('3', 2), '3 mons');
  assert.equal(i('1', 4), '1 year');
  assert.equal(i('5', 1032), '05:00:00');
  assert.equal(i('1 day 02:03:04', 8), '1 day');
  assert.equal(i('1 year 5 mons', 4), '1 year');
  assert.equal(i('1-2', 6), '1 year 2 mons');
  assert.equal(i('1.5', 4096), '00:00:01.5');
});

test('timestamptz input without a zone is read in the session time zone', () => {
  const v = parseText('2020-07-01 10:00:00', T.timestamptz, { timeZone: 'America/New_York' });
  assert.equal(formatText(v, T.timestamptz), '2020-07-01 14:00:00+00');
  const w = parseText('2020-07-01 10:00:00+02', T.timestamptz, { timeZone: 'America/New_York' });
  assert.equal(formatText(w, T.timestamptz), '2020-07-01 08:00:00+00');
  // a wall-clock time in the spring-forward gap moves forward, as in PostgreSQL
  const gap = parseText('2020-03-08 02:30:00', T.timestamptz, { timeZone: 'America/New_York' });
  assert.equal(formatText(gap, T.timestamptz, { timeZone: 'America/New_York' }), '2020-03-08 03:30:00-04');
});

test('an ambiguous wall-clock time (fall back) takes the offset after the transition', () => {
  const amb = parseText('2020-11-01 01:30:00', T.timestamptz, { timeZone: 'America/New_York' });
  assert.equal(formatText(amb, T.timestamptz, { timeZone: 'America/New_York' }), '2020-11-01 01:30:00-05');
});

test("COPY 'auto' shapes PostgreSQL also reads: Julian days, concatenated times, BC with a two-digit year", () => {
  const t = (s: string): string => formatText(parseText(s, T.timestamp), T.timestamp);
  assert.equal(t('J2451187'), '1999-01-08 00:00:00');
  assert.equal(t('J2345678 04:05:06.789'), '1710-02-23 04:05:06.789');
  assert.equal(t('19960108 040809'), '1996-01-08 04:08:09');
  assert.equal(t('960108 040809'), '1996-01-08 04:08:09');
  assert.equal(t('17 Dec 07:37:16 1997 PST'), '1997-12-17 07:37:16');
  assert.equal(t('Jan-08-95 BC'), '0095-01-08 00:00:00 BC');
  assert.equal(formatText(parseText('J0', T.date), T.date), '4714-11-24 BC');
});
