// DATE_PART and EXTRACT of DATE values read the days directly (host/functions/datetime-fns.ts) instead of
// casting each row to a timestamp first: every part must give what it gives for the same day's midnight as
// a TIMESTAMP (the path every DATE took before), over generated dates from 4713 BC to 5874 AD with NULLs,
// leap days, year ends and the 1970 epoch, in EXTRACT (int4 or float8) and DATE_PART (float8) forms; and the
// year of batches spanning few years (found among January firsts): TPC-H's 1992-1998, 3 BC to 3 AD, 15 and
// 16 years, one day, only NULLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../../host/index.js';

const PARTS = ['year', 'month', 'day', 'quarter', 'dow', 'isodow', 'doy', 'week', 'isoyear', 'decade', 'century', 'millennium', 'epoch', 'hour', 'minute', 'second'];

/** Days since 1970-01-01 as ISO text, with ' BC' for years before 1 (proleptic Gregorian). */
function isoDate(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const md = d.toISOString().slice(d.toISOString().indexOf('-', 1) + 1, d.toISOString().indexOf('T'));
  return y > 0 ? `${String(y).padStart(4, '0')}-${md}` : `${String(1 - y).padStart(4, '0')}-${md} BC`;
}

test('DATE_PART / EXTRACT of DATE values equal those of the same midnight as a TIMESTAMP, every part', async () => {
  const db = await open({ slices: 1, workers: false });
  try {
    const days: (number | null)[] = [0, -1, 1, 10_956, 11_016, 11_017, -719_528, -719_162, -2_440_000, 2_900_000, null];
    let x = 987_654_321;
    for (let i = 0; i < 400; i++) { x = (x * 1_103_515_245 + 12_345) % 2_147_483_648; days.push(i % 37 === 0 ? null : (x % 1_500_000) - 750_000); }
    await db.query('create table dp_dates (id int, d date)');
    await db.query(`insert into dp_dates values ${days.map((d, i) => `(${i}, ${d === null ? 'null' : `'${isoDate(d)}'`})`).join(', ')}`);
    let compared = 0;
    for (const p of PARTS) {
      const r = await db.query(`select id, extract(${p} from d) as a, extract(${p} from d::timestamp) as b, date_part('${p}', d) as c, date_part('${p}', d::timestamp) as e from dp_dates order by id`);
      assert.equal(r.rows.length, days.length);
      for (const row of r.rows) {
        assert.deepEqual([row.a, row.c], [row.b, row.e], `${p} of row ${String(row.id)} (${String(days[Number(row.id)])} days)`);
        if (row.a !== null) compared++;
      }
    }
    assert.ok(compared > PARTS.length * 350, `compared ${compared} values`);
  } finally {
    await db.close();
  }
});

test('EXTRACT(year) of DATE batches spanning few years equals the TIMESTAMP path', async () => {
  const db = await open({ slices: 1, workers: false });
  try {
    const jan1 = (y: number) => Math.round(Date.UTC(y, 0, 1) / 86_400_000);
    const ranges: [string, number, number][] = [
      ['tpch', jan1(1992), jan1(1999) - 1], ['around year 0', jan1(-2) - 3, jan1(4) + 3],
      ['15 years', jan1(1980), jan1(1995) - 1], ['16 years', jan1(1980), jan1(1996)], ['one day', 10_000, 10_000],
    ];
    let x = 12_345;
    for (const [name, lo, hi] of ranges) {
      const days: (number | null)[] = [lo, hi];
      for (let i = 0; i < 300; i++) { x = (x * 1_103_515_245 + 12_345) % 2_147_483_648; days.push(i % 29 === 0 ? null : lo + (x % (hi - lo + 1))); }
      // every January 1 and December 31 inside the range
      for (let y = new Date(lo * 86_400_000).getUTCFullYear(); jan1(y) <= hi; y++) for (const d of [jan1(y), jan1(y) - 1]) if (d >= lo && d <= hi) days.push(d);
      const t = `dp_years_${name.replace(/\W/g, '_')}`;
      await db.query(`create table ${t} (id int, d date)`);
      await db.query(`insert into ${t} values ${days.map((d, i) => `(${i}, ${d === null ? 'null' : `'${isoDate(d)}'`})`).join(', ')}`);
      const r = await db.query(`select id, extract(year from d) as a, extract(year from d::timestamp) as b, date_part('year', d) as c, date_part('year', d::timestamp) as e from ${t} order by id`);
      assert.equal(r.rows.length, days.length);
      for (const row of r.rows) assert.deepEqual([row.a, row.c], [row.b, row.e], `${name}: year of row ${String(row.id)} (${String(days[Number(row.id)])} days)`);
    }
    await db.query('create table dp_years_nulls (d date)');
    await db.query('insert into dp_years_nulls values (null), (null)');
    const r = await db.query('select extract(year from d) as a from dp_years_nulls');
    assert.deepEqual(r.rows.map((x) => x.a), [null, null]);
  } finally {
    await db.close();
  }
});
