// Checks the differential harness itself: value canonicalization and comparison rules, and the whole
// query list run DuckDB-vs-DuckDB (1 thread against 4) over the generated data, which must agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellFromDuckdb, cellFromInternal, cellsEqual, compareResults, hasTopLevelOrderBy, microsToIso, normDecimal, scaledToDecimal } from './compare.js';
import { differentialData, duckdbLoad } from './data.js';
import { duckdbDiffEngine, runPairs } from './harness.js';
import { DIFF_QUERIES } from './queries.js';
import { T } from '../../host/types/sql-type.js';

test('decimals, dates and timestamps canonicalize alike from both engines', () => {
  assert.equal(normDecimal('012.300'), '12.3');
  assert.equal(normDecimal('-0.00'), '0');
  assert.equal(scaledToDecimal(-1230n, 2), '-12.30');
  assert.equal(scaledToDecimal(5n, 3), '0.005');
  assert.deepEqual(cellFromInternal(1230n, T.numeric(12, 2)), cellFromDuckdb('12.30', 'DECIMAL(12,2)'));
  assert.deepEqual(cellFromInternal(42n, T.int8), cellFromDuckdb('42', 'HUGEINT'));
  assert.deepEqual(cellFromInternal(19723, T.date), cellFromDuckdb('2024-01-01', 'DATE'));
  assert.equal(microsToIso(-1n), '1969-12-31 23:59:59.999999');
  assert.deepEqual(cellFromInternal(1704067200_500000n, T.timestamp), cellFromDuckdb('2024-01-01 00:00:00.5', 'TIMESTAMP'));
  assert.deepEqual(cellFromInternal('ab  ', T.bpchar(4)), cellFromDuckdb('ab', 'VARCHAR'));
  assert.deepEqual(cellFromInternal(true, T.bool), cellFromDuckdb(true, 'BOOLEAN'));
});

test('comparison rules: exact, float tolerance, exact-vs-float, order', () => {
  const x = (v: string, scale = 0) => ({ t: 'x' as const, v, scale });
  const f = (v: number) => ({ t: 'f' as const, v });
  assert.ok(cellsEqual(x('12.3', 2), x('12.3', 4)));
  assert.ok(!cellsEqual(x('12.31', 2), x('12.3', 2)));
  assert.ok(cellsEqual(f(1e6), f(1e6 * (1 + 5e-10))));
  assert.ok(!cellsEqual(f(1e6), f(1e6 * (1 + 5e-9))));
  assert.ok(cellsEqual(x('25.51', 2), f(25.5123)));
  assert.ok(!cellsEqual(x('25.49', 2), f(25.5123)));
  assert.ok(cellsEqual(null, null) && !cellsEqual(null, x('0')));
  const a = { rows: [[x('1'), { t: 's' as const, v: 'a' }], [x('2'), null]] };
  const b = { rows: [[x('2'), null], [x('1'), { t: 's' as const, v: 'a' }]] };
  assert.equal(compareResults(a, b), null);
  assert.match(compareResults(a, b, { ordered: true }) ?? '', /2 row\(s\) differ/);
  assert.match(compareResults(a, { rows: [b.rows[0]!] }) ?? '', /got 2 rows, want 1/);
  // rows keyed by nearly equal floats still line up (negative values too)
  const p = { rows: [[f(-1.5), x('1')], [f(-2.5), x('2')], [f(1e-3), x('3')]] };
  const q = { rows: [[f(1e-3 * (1 + 1e-12)), x('3')], [f(-2.5 * (1 + 1e-12)), x('2')], [x('-1.5', 1), x('1')]] };
  assert.equal(compareResults(p, q), null);
  assert.ok(hasTopLevelOrderBy('select a from t order by a limit 3'));
  assert.ok(!hasTopLevelOrderBy("select a from (select a from t order by a) x where b = 'order by'"));
});

test('harness agrees with itself: DuckDB 1 thread vs 4 threads on every differential query', async () => {
  const tables = differentialData();
  const one = await duckdbDiffEngine(1);
  const four = await duckdbDiffEngine(4);
  try {
    for (const s of duckdbLoad(tables)) { await one.exec(s); await four.exec(s); }
    const probe = await one.query('select count(*), count(i), count(distinct s), min(dt), max(dt) from facts');
    assert.equal(probe.rows[0]![0]!.t === 'x' && probe.rows[0]![0]!.v, String(tables[0]!.rows));
    const failures = await runPairs(four, one, DIFF_QUERIES.map((q) => ({ ...q, sql: q.duckdb ?? q.sql })));
    assert.deepEqual(failures, []);
    // every query returns rows, so each comparison has something to compare
    for (const q of DIFF_QUERIES) {
      const r = await one.query(q.duckdb ?? q.sql);
      assert.ok(r.rows.length > 0, `${q.name} returns no rows`);
    }
  } finally {
    await one.close();
    await four.close();
  }
});
