// Tests of calendar math (host/types/datetime.ts) against JavaScript's own proleptic Gregorian
// Date and against examples from the PostgreSQL and Redshift documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addMonths, addMonthsLastDay, civilFromDays, dateadd, datediff, dateTrunc, daysFromCivil, extract, extractInteger,
  isoWeek, microsToParts, normalizeDatePart, partsToMicros,
} from '../../../host/types/datetime.js';
import { parseText } from '../../../host/types/text-parse.js';
import { formatText } from '../../../host/types/text-format.js';
import { T } from '../../../host/types/sql-type.js';
import { SqlError } from '../../../host/common/errors.js';

const ts = (s: string): bigint => parseText(s, T.timestamp) as bigint;
const fmt = (v: bigint): string => formatText(v, T.timestamp);

/** JavaScript's Date as the reference calendar: days since 1970 of an astronomical y-m-d. */
function jsDays(y: number, m: number, d: number): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  dt.setUTCHours(0, 0, 0, 0);
  return Math.round(dt.getTime() / 86_400_000);
}

test('daysFromCivil and civilFromDays agree with Date over every day of years -1000..3000 (sampled) ', () => {
  for (let y = -1000; y <= 3000; y += 7) {
    for (let m = 1; m <= 12; m++) {
      for (const d of [1, 15, 28]) {
        const days = daysFromCivil(y, m, d);
        assert.equal(days, jsDays(y, m, d), `${y}-${m}-${d}`);
        assert.deepEqual(civilFromDays(days), { year: y, month: m, day: d });
      }
    }
  }
  // every day across a 400-year cycle round-trips
  for (let days = daysFromCivil(1899, 12, 1); days < daysFromCivil(2301, 1, 1); days++) {
    const c = civilFromDays(days);
    assert.equal(daysFromCivil(c.year, c.month, c.day), days);
  }
});

test('leap years: 1900 is not, 2000 is, year 0 (1 BC) is', () => {
  assert.equal(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28), 1);
  assert.equal(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28), 2);
  assert.equal(daysFromCivil(0, 3, 1) - daysFromCivil(0, 2, 28), 2);
  assert.equal(daysFromCivil(1970, 1, 1), 0);
});

test('micros <-> parts, including before 1970 and BC', () => {
  for (const s of ['1969-12-31 23:59:59.999999', '2000-02-29 12:34:56.000001', '0001-01-01 00:00:00', '0044-03-15 12:00:00 BC']) {
    const v = ts(s);
    assert.equal(partsToMicros(microsToParts(v)), v);
  }
  assert.deepEqual(microsToParts(-1n), { year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, micro: 999999 });
});

test('addMonths clamps the day like PostgreSQL; ADD_MONTHS keeps month ends', () => {
  const d = (s: string): number => parseText(s, T.date) as number;
  assert.equal(formatText(addMonths(d('2008-01-31'), 1), T.date), '2008-02-29');
  assert.equal(formatText(addMonths(d('2007-01-31'), 1), T.date), '2007-02-28');
  assert.equal(formatText(addMonths(d('2000-03-31'), -1), T.date), '2000-02-29');
  assert.equal(formatText(addMonths(d('0001-01-15'), -1), T.date), '0001-12-15 BC');
  assert.equal(fmt(addMonths(ts('2008-01-31 10:00:00'), 13)), '2009-02-28 10:00:00');
  assert.equal(fmt(addMonthsLastDay(ts('2008-02-29 00:00:00'), 1)), '2008-03-31 00:00:00');
  assert.equal(fmt(addMonthsLastDay(ts('2008-02-28 00:00:00'), 1)), '2008-03-28 00:00:00');
});

test('dateTrunc: PostgreSQL examples, ISO Monday weeks, centuries starting at year 1', () => {
  assert.equal(fmt(dateTrunc('hour', ts('2001-02-16 20:38:40'))), '2001-02-16 20:00:00');
  assert.equal(fmt(dateTrunc('year', ts('2001-02-16 20:38:40'))), '2001-01-01 00:00:00');
  assert.equal(fmt(dateTrunc('week', ts('2024-03-10 10:00:00'))), '2024-03-04 00:00:00'); // Sunday -> Monday before
  assert.equal(fmt(dateTrunc('week', ts('2024-03-04 00:00:00'))), '2024-03-04 00:00:00');
  assert.equal(fmt(dateTrunc('quarter', ts('2024-08-20 01:02:03'))), '2024-07-01 00:00:00');
  assert.equal(fmt(dateTrunc('decade', ts('1999-12-31 23:59:59'))), '1990-01-01 00:00:00');
  assert.equal(fmt(dateTrunc('century', ts('2000-06-01 00:00:00'))), '1901-01-01 00:00:00');
  assert.equal(fmt(dateTrunc('century', ts('2001-01-01 00:00:00'))), '2001-01-01 00:00:00');
  assert.equal(fmt(dateTrunc('millennium', ts('2000-06-01 00:00:00'))), '1001-01-01 00:00:00');
  assert.equal(fmt(dateTrunc('ms', ts('2001-02-16 20:38:40.123456'))), '2001-02-16 20:38:40.123');
  assert.equal(fmt(dateTrunc('second', ts('1969-12-31 23:59:59.5'))), '1969-12-31 23:59:59');
  assert.equal(fmt(dateTrunc('mon', ts('2001-02-16 20:38:40'))), '2001-02-01 00:00:00');
});

test('extract: PostgreSQL documentation examples', () => {
  assert.equal(extract('century', ts('2000-12-16 12:21:13')), 20);
  assert.equal(extract('century', ts('2001-02-16 20:38:40')), 21);
  assert.equal(extract('century', ts('0001-12-31 00:00:00 BC')), -1);
  assert.equal(extract('decade', ts('2001-02-16 20:38:40')), 200);
  assert.equal(extract('dow', ts('2001-02-16 20:38:40')), 5);
  assert.equal(extract('doy', ts('2001-02-16 20:38:40')), 47);
  assert.equal(extract('epoch', ts('2001-02-16 20:38:40.12')), 982355920.12);
  assert.equal(extract('isodow', ts('2001-02-18 20:38:40')), 7);
  assert.equal(extract('isoyear', ts('2006-01-01 00:00:00')), 2005);
  assert.equal(extract('isoyear', ts('2006-01-02 00:00:00')), 2006);
  assert.equal(extract('millennium', ts('2001-02-16 20:38:40')), 3);
  assert.equal(extract('milliseconds', ts('2001-02-16 20:38:28.5')), 28500);
  assert.equal(extract('quarter', ts('2001-02-16 20:38:40')), 1);
  assert.equal(extract('week', ts('2001-02-16 20:38:40')), 7);
  assert.equal(extract('year', ts('0044-03-15 00:00:00 BC')), -44);
  assert.equal(extract('second', ts('2009-09-21 11:10:03.189717')), 3.189717);
  assert.equal(extract('hour', ts('2009-09-21 11:10:03')), 11);
  assert.equal(extract('minute', ts('2009-09-21 11:10:03')), 10);
  assert.deepEqual(isoWeek(daysFromCivil(2005, 1, 1)), { isoYear: 2004, week: 53 });
  assert.deepEqual(isoWeek(daysFromCivil(2008, 12, 29)), { isoYear: 2009, week: 1 });
});

test("Redshift EXTRACT's integer sub-second parts", () => {
  const v = ts('2009-09-21 11:10:03.189717');
  assert.equal(extractInteger('sec', v), 3);
  assert.equal(extractInteger('ms', v), 189);
  assert.equal(extractInteger('us', v), 717);
  assert.equal(extractInteger('year', v), 2009);
});

test('datediff counts boundaries crossed (Redshift DATEDIFF examples)', () => {
  assert.equal(datediff('year', ts('2008-12-31 00:00:00'), ts('2009-01-01 00:00:00')), 1n);
  assert.equal(datediff('hour', ts('2009-01-01 08:30:00'), ts('2009-01-01 10:00:00')), 2n);
  assert.equal(datediff('week', ts('2009-01-01 00:00:00'), ts('2009-12-31 00:00:00')), 52n);
  assert.equal(datediff('days', ts('2008-06-01 09:59:59'), ts('2008-07-04 09:59:59')), 33n);
  assert.equal(datediff('hour', ts('2023-01-01 00:00:00'), ts('2023-01-03 05:04:03')), 53n);
  assert.equal(datediff('qtr', ts('2008-03-31 00:00:00'), ts('2008-04-01 00:00:00')), 1n);
  assert.equal(datediff('month', ts('2009-01-31 00:00:00'), ts('2008-12-01 00:00:00')), -1n);
  assert.equal(datediff('day', ts('2009-01-01 23:59:59'), ts('2009-01-02 00:00:00')), 1n);
  assert.equal(datediff('second', ts('1969-12-31 23:59:59.9'), ts('1970-01-01 00:00:00.1')), 1n);
  assert.equal(datediff('microsecond', ts('2000-01-01 00:00:00'), ts('2000-01-01 00:00:01')), 1_000_000n);
  assert.equal(datediff('century', ts('2000-12-31 00:00:00'), ts('2001-01-01 00:00:00')), 1n);
  // Sunday -> Monday crosses a week boundary; Monday -> Sunday does not
  assert.equal(datediff('week', ts('2024-03-10 00:00:00'), ts('2024-03-11 00:00:00')), 1n);
  assert.equal(datediff('week', ts('2024-03-04 00:00:00'), ts('2024-03-10 00:00:00')), 0n);
});

test('dateadd', () => {
  assert.equal(fmt(dateadd('month', 1, ts('2008-01-31 00:00:00'))), '2008-02-29 00:00:00');
  assert.equal(fmt(dateadd('y', -1, ts('2000-02-29 12:00:00'))), '1999-02-28 12:00:00');
  assert.equal(fmt(dateadd('week', 2, ts('2024-12-25 00:00:00'))), '2025-01-08 00:00:00');
  assert.equal(fmt(dateadd('qtr', 1, ts('2024-11-30 00:00:00'))), '2025-02-28 00:00:00');
  assert.equal(fmt(dateadd('h', 25, ts('2024-02-28 00:00:00'))), '2024-02-29 01:00:00');
  assert.equal(fmt(dateadd('ms', 1500, ts('2024-02-28 00:00:00'))), '2024-02-28 00:00:01.5');
  assert.equal(fmt(dateadd('decade', 1, ts('2020-02-29 00:00:00'))), '2030-02-28 00:00:00');
});

test('date part names and abbreviations; unknown units are 22023', () => {
  assert.equal(normalizeDatePart('YRS'), 'year');
  assert.equal(normalizeDatePart('dayofweek'), 'dow');
  assert.equal(normalizeDatePart('millisecon'), 'millisecond');
  assert.throws(() => normalizeDatePart('fortnight'), (e: unknown) => e instanceof SqlError && e.code === '22023'
    && e.message === 'unit "fortnight" not recognized for type timestamp without time zone');
  assert.throws(() => dateTrunc('dow', 0n), (e: unknown) => e instanceof SqlError && e.code === '0A000');
});

test('infinite timestamps stay infinite through DATE_TRUNC, DATEADD and month arithmetic', () => {
  const inf = parseText('infinity', T.timestamp) as bigint;
  const ninf = parseText('-infinity', T.timestamp) as bigint;
  assert.equal(fmt(dateTrunc('month', inf)), 'infinity');
  assert.equal(fmt(dateadd('day', 3, ninf)), '-infinity');
  assert.equal(fmt(addMonths(inf, 1)), 'infinity');
  assert.equal(formatText(addMonths(parseText('infinity', T.date) as number, -2), T.date), 'infinity');
});
