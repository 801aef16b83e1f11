// DATE_PART and EXTRACT of DATE values read the days directly (host/functions/datetime-fns.ts) instead of
// casting each row to a timestamp first: every part must give what it gives for the same day's midnight as
// a TIMESTAMP (the path every DATE took before), over generated dates from 4713 BC to 5874 AD with NULLs,
// leap days, year ends and the 1970 epoch, in EXTRACT (int4 or float8) and DATE_PART (float8) forms.
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
