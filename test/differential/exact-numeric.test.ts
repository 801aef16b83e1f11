// SUM and AVG over integer and NUMERIC expressions against DuckDB: the arguments host/exec/hash-agg.ts
// computes as exact doubles (host/exec/exact-numeric.ts) and the accumulators' unchecked and checked
// sums (host/exec/aggregates.ts). Mixed scales, widening casts, int2/int4/int8 arithmetic, NULL rows
// and a group whose argument is always NULL, few groups on dictionary-coded CHAR(1) keys (TPC-H Q1's
// shape), many groups, HAVING, sums past 2^53 and int64, rare values past 2^53 that send their batch to
// the vector path, and overflow errors (SQLSTATE 22003) raised as the row-by-row path raises them;
// int4/int2 IN (subquery) with and without NULL in the set.
// A 300K-row table runs its fragments in slice workers, a 40K-row one inline on the leader.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, errorCode, duckdbDiffEngine, pair as q, intAvg, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const COLUMNS = 'rf CHAR(1), ls CHAR(1) NOT NULL, k BIGINT NOT NULL, qty DECIMAL(15,2), price DECIMAL(15,2), ' +
  'disc DECIMAL(15,2), tax DECIMAL(15,2), rate DECIMAL(12,4), i4 INTEGER, i2 SMALLINT, i8 BIGINT, huge BIGINT';

/** "12.34" from a count of hundredths (or ten-thousandths with scale 4). */
function scaled(units: number, scale: number): string {
  const neg = units < 0;
  const a = Math.abs(units);
  const p = 10 ** scale;
  return `${neg ? '-' : ''}${Math.floor(a / p)}.${String(a % p).padStart(scale, '0')}`;
}

/**
 * Rows shaped like lineitem's pricing columns. Group (N, F) never has a discount (its sums of
 * discounted prices are NULL); `huge` is past 2^53 in about one row in 20,000.
 */
function table(name: string, rows: number, seed: number): DiffTable {
  const dir = join(tmpdir(), 'wasmshift-exact-numeric-v1');
  mkdirSync(dir, { recursive: true });
  const t: DiffTable = { name, columns: COLUMNS, redshiftAttrs: 'DISTKEY (k)', rows, file: join(dir, `${name}-${rows}-${seed}.tbl`) };
  if (existsSync(t.file)) return t;
  const rng = new Rng(seed);
  const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    // flags in runs of a few hundred rows, as lineitem's arrive in shipdate-correlated stretches
    const rf = (i >> 8) % 7 === 0 ? NULL_TEXT : ['A', 'N', 'R'][((i >> 9) + (i >> 12)) % 3]!;
    const ls = ['F', 'O'][(i >> 10) % 2]!;
    const noDisc = rf === 'N' && ls === 'F';
    lines.push([
      rf, ls,
      String(rng.int(0, 49_999)),
      maybe(2, () => scaled(rng.int(100, 5000), 2)),
      scaled(rng.int(90_000, 10_494_950), 2),
      noDisc ? NULL_TEXT : maybe(3, () => scaled(rng.int(0, 10), 2)),
      maybe(3, () => scaled(rng.int(0, 8), 2)),
      scaled(rng.int(-500_000, 500_000), 4),
      maybe(3, () => String(rng.int(-1000, 1000))),
      String(rng.int(-300, 300)),
      maybe(2, () => String(rng.int(-5_000_000, 5_000_000))),
      rng.int(0, 19_999) === 0 ? String(9_007_199_254_740_993n + BigInt(rng.int(0, 1000))) : String(rng.int(-1000, 1000)),
    ].join('|'));
  }
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

function queries(t: string): QueryPair[] {
  return [
    q(`${t}: Q1 shape, few groups on CHAR(1) keys`,
      `select rf, ls, sum(qty), sum(price), sum(price * (1 - disc)), sum(price * (1 - disc) * (1 + tax)), avg(qty), avg(price), avg(disc), count(*), count(disc) ` +
      `from ${t} group by rf, ls order by rf, ls`),
    q(`${t}: Q1 sums without GROUP BY`, `select sum(price * (1 - disc) * (1 + tax)), avg(price * (1 - disc)), sum(qty) from ${t}`),
    q(`${t}: mixed scales and a constant with a scale`,
      `select ls, sum(price * rate), sum(price + rate), sum(rate - qty), sum(qty * rate * (1 + disc)), sum(qty * 0.5), avg(rate + 1) from ${t} group by ls`),
    q(`${t}: integer arithmetic and widening casts`,
      `select rf, sum(i4 * 3 + i2), sum(i8 * 2), sum(i2 - i4), avg(i4), avg(i2), avg(i8), sum(cast(i4 as decimal(12,3)) * price), sum(i4 + 0.25) from ${t} group by rf`,
      `select rf, sum(i4 * 3 + i2), sum(i8 * 2), sum(i2 - i4), ${intAvg('i4')}, ${intAvg('i2')}, ${intAvg('i8')}, sum(cast(i4 as decimal(12,3)) * price), sum(i4 + 0.25) from ${t} group by rf`),
    q(`${t}: sums past 2^53 and past int64`, `select ls, sum(price * price), sum(price * price * (1 + tax)), sum(huge), avg(huge) from ${t} group by ls`,
      `select ls, sum(price * price), sum(cast(price * price as decimal(38,4)) * (1 + tax)), sum(huge), ${intAvg('huge')} from ${t} group by ls`),
    q(`${t}: rare values past 2^53 in arithmetic`, `select rf, sum(huge * 2), sum(huge + i4), sum(huge - qty) from ${t} group by rf`,
      `select rf, sum(cast(huge as hugeint) * 2), sum(cast(huge as hugeint) + i4), sum(cast(huge as decimal(38,2)) - qty) from ${t} group by rf`),
    q(`${t}: many groups`, `select k, sum(price * (1 - disc)), avg(qty), sum(i4 + 1), count(*) from ${t} group by k`),
    q(`${t}: HAVING on an expression sum`, `select k, sum(qty * price) from ${t} group by k having sum(qty * price) > 100000000`),
    q(`${t}: filtered rows and an expression key`, `select i2 / 100, sum(price * (1 - disc)) from ${t} where tax > 0.03 group by i2 / 100`,
      `select i2 // 100, sum(price * (1 - disc)) from ${t} where tax > 0.03 group by i2 // 100`),
    // host/exec/eval.ts tests int2/int4 rows against an IN subquery's set by their numbers
    q(`${t}: int4 and int2 IN and NOT IN a set with and without NULL`,
      `select (select count(*) from ${t} where i4 in (select i4 + 500 from xl)), (select count(*) from ${t} where i4 not in (select i4 from xl where i4 > 0)), ` +
      `(select count(*) from ${t} where i4 not in (select i4 from xl)), (select count(*) from ${t} where i2 in (select i2 from xl where i2 < -250))`),
  ];
}

let oracle: DiffEngine;
const tables = [table('xw', 300_000, 11), table('xl', 40_000, 12)];
const QUERIES = [...queries('xw'), ...queries('xl')];

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 3]) {
  test(`exact numeric sums: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} aggregations, overflow raises 22003`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(tables), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES, 'aggregations');
      for (const t of ['xw', 'xl']) {
        // integer out of range in int4 arithmetic, and a value past a narrowing NUMERIC cast's precision
        assert.equal(await errorCode(engine, `select rf, sum(i4 * 3000000) from ${t} group by rf`), '22003');
        assert.equal(await errorCode(engine, `select sum(cast(price as decimal(7,2))) from ${t}`), '22003');
        // the same expressions below the limits succeed
        assert.equal(await errorCode(engine, `select rf, sum(i4 * 2000000) from ${t} group by rf`), null);
        assert.equal(await errorCode(engine, `select sum(cast(price as decimal(8,2))) from ${t}`), null);
      }
    });
  });
}
