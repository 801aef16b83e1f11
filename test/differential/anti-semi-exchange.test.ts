// Semi and anti joins (EXISTS, NOT EXISTS; IN and NOT IN, which stay init plans) whose inner side is
// redistributed by a hash exchange, against DuckDB: a small outer side read first filters the large
// inner side's scan below its exchange (host/plan/rules/runtime-filter.ts `fromProbe` + `remote`,
// host/cluster/probe-first.ts), so only inner rows that can match are moved. NULL keys on either
// side, residual conditions, two-column keys, inner and left joins of the same shape, an outer side
// that is itself redistributed, one big enough to run on the slice workers (its rows must stay on
// their slices for the join), empty outer sides; at 1 and 3 slices, on the workers and on the leader.
// EXPLAIN shows the filter under the inner side's scan.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, intAvg, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const FACT_ROWS = 300_000;
const CUST_ROWS = 8_000;
/** Fact rows point at customers 0..CUST_KEYS-1: a third of them past the last customer (no match). */
const CUST_KEYS = 12_000;

const FACT_COLS = 'ok BIGINT NOT NULL, ck INTEGER, amt INTEGER NOT NULL, tag VARCHAR(10)';
const CUST_COLS = 'ck INTEGER, grp INTEGER NOT NULL, ph CHAR(8)';

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-anti-semi-exchange-v1-${FACT_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const factFile = join(dir, 'fact.tbl'), custFile = join(dir, 'cust.tbl');
  const fact = (name: string, attrs: string): DiffTable => ({ name, columns: FACT_COLS, redshiftAttrs: attrs, rows: FACT_ROWS, file: factFile });
  const cust = (name: string, attrs: string): DiffTable => ({ name, columns: CUST_COLS, redshiftAttrs: attrs, rows: CUST_ROWS, file: custFile });
  if (!existsSync(factFile)) {
    const rng = new Rng(31);
    const lines: string[] = [];
    for (let i = 0; i < FACT_ROWS; i++) {
      const ck = rng.int(0, 99) < 2 ? NULL_TEXT : String(rng.int(0, CUST_KEYS - 1));
      lines.push([String(i * 7 + 3), ck, String(rng.int(0, 999)), rng.int(0, 99) < 3 ? NULL_TEXT : `t${rng.int(0, 9)}`].join('|'));
    }
    writeFileSync(factFile, lines.join('\n') + '\n');
  }
  if (!existsSync(custFile)) {
    const rng = new Rng(32);
    const lines: string[] = [];
    for (let i = 0; i < CUST_ROWS; i++) {
      // CHAR(8) phone-like values: two leading digits, as TPC-H Q22's country codes; some rows t0..t9
      const ph = rng.int(0, 9) === 0 ? `t${rng.int(0, 9)}` : `${10 + rng.int(0, 24)}-${rng.int(1000, 9999)}`;
      lines.push([rng.int(0, 99) < 1 ? NULL_TEXT : String(i), String(rng.int(0, 99)), rng.int(0, 99) < 2 ? NULL_TEXT : ph].join('|'));
    }
    writeFileSync(custFile, lines.join('\n') + '\n');
  }
  return [
    fact('ax_fact_even', 'DISTSTYLE EVEN'), fact('ax_fact_by_ok', 'DISTKEY (ok)'), fact('ax_fact_by_ck', 'DISTKEY (ck)'),
    cust('ax_cust', 'DISTKEY (ck)'), cust('ax_cust_even', 'DISTSTYLE EVEN'),
  ];
}

const NOT_EXISTS = (outer: string, inner: string, where = 'c.grp < 10', extra = '') =>
  `select count(*), count(c.ck), sum(c.grp) from ${outer} c where ${where} and not exists (select 1 from ${inner} f where f.ck = c.ck${extra})`;
const EXISTS = (outer: string, inner: string, where = 'c.grp < 10', extra = '') =>
  `select count(*), count(c.ck), sum(c.grp) from ${outer} c where ${where} and exists (select 1 from ${inner} f where f.ck = c.ck${extra})`;

const QUERIES: QueryPair[] = [
  q('NOT EXISTS, inner redistributed (DS_DIST_INNER): NULL outer keys are kept', NOT_EXISTS('ax_cust', 'ax_fact_even')),
  q('EXISTS, inner redistributed', EXISTS('ax_cust', 'ax_fact_by_ok')),
  q('NOT EXISTS with an inner filter', NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 10', ' and f.amt < 300')),
  q('EXISTS with an inner filter', EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 10', ' and f.amt < 300')),
  q('NOT EXISTS with a residual condition', NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 20', ' and f.amt > c.grp * 10')),
  q('EXISTS with a residual condition', EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 20', ' and f.amt > c.grp * 10')),
  q('NOT EXISTS on two keys (int, CHAR = VARCHAR)', NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 30', ' and f.tag = c.ph'),
    NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 30', ' and f.tag = rtrim(c.ph)')),
  q('EXISTS on two keys (int, CHAR = VARCHAR)', EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 30', ' and f.tag = c.ph'),
    EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 30', ' and f.tag = rtrim(c.ph)')),
  q('NOT EXISTS, both sides redistributed (DS_DIST_BOTH)', NOT_EXISTS('ax_cust_even', 'ax_fact_by_ok')),
  q('EXISTS, both sides redistributed', EXISTS('ax_cust_even', 'ax_fact_even')),
  q('NOT EXISTS, outer side big enough for the workers (its rows stay on their slices)',
    `select count(*), count(c.ck), sum(c.amt) from ax_fact_by_ck c where c.amt < 4 and not exists (select 1 from ax_fact_even f where f.ck = c.ck and f.ok <> c.ok)`),
  q('EXISTS, outer side big enough for the workers',
    `select count(*), count(c.ck), sum(c.amt) from ax_fact_by_ck c where c.amt < 4 and exists (select 1 from ax_fact_by_ok f where f.ck = c.ck and f.ok <> c.ok)`),
  q('NOT EXISTS, outer rows with NULL keys only', NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.ck is null')),
  q('NOT EXISTS, empty outer side', NOT_EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 0')),
  q('EXISTS, empty outer side', EXISTS('ax_cust', 'ax_fact_even', 'c.grp < 0')),
  q('NOT IN with NULLs in the subquery (no row qualifies)', `select count(*) from ax_cust c where c.grp < 10 and c.ck not in (select ck from ax_fact_even where amt < 200)`),
  q('NOT IN without NULLs in the subquery (NULL outer keys drop out)', `select count(*), count(c.ck), sum(c.grp) from ax_cust c where c.grp < 10 and c.ck not in (select ck from ax_fact_even where amt < 200 and ck is not null)`),
  q('IN and NOT IN over negative members (the byte table from the least member)', `select count(*), sum(c.grp) from ax_cust c where c.ck - 6000 in (select amt - 500 from ax_fact_even where amt < 300) or c.grp - 50 not in (select amt - 990 from ax_fact_even where amt > 980)`),
  q('int8 IN and NOT IN (subquery) over a byte table of negative and positive members', `select count(*), sum(f.amt) from ax_fact_by_ck f where f.ok in (select ok - 700000 from ax_fact_even where amt < 50) or (f.ok + 7 not in (select ok from ax_fact_even where amt > 990) and f.amt < 20)`),
  q('IN (subquery)', `select count(*), sum(c.grp) from ax_cust c where c.grp < 10 and c.ck in (select ck from ax_fact_even where amt < 200)`),
  q('inner join: small outer side, inner redistributed', `select count(*), sum(f.amt), sum(c.grp) from ax_cust c join ax_fact_even f on f.ck = c.ck where c.grp < 5`),
  q('left join: small outer side, inner redistributed', `select count(*), count(f.ok), sum(f.amt) from ax_cust c left join ax_fact_even f on f.ck = c.ck where c.grp < 5`),
  q('Q22 shape: substring IN list, average from an init plan, NOT EXISTS',
    `select substring(ph from 1 for 2) as code, count(*), sum(grp) from ax_cust c
     where substring(ph from 1 for 2) in ('13', '31', '23', '29', '30', '18', '17') and grp > (select avg(grp) from ax_cust where grp > 0 and substring(ph from 1 for 2) in ('13', '31', '23', '29', '30', '18', '17'))
       and not exists (select * from ax_fact_even f where f.ck = c.ck) group by 1 order by 1`,
    `select substring(ph from 1 for 2) as code, count(*), sum(grp) from ax_cust c
     where substring(ph from 1 for 2) in ('13', '31', '23', '29', '30', '18', '17') and grp > (select ${intAvg('grp')} from ax_cust where grp > 0 and substring(ph from 1 for 2) in ('13', '31', '23', '29', '30', '18', '17'))
       and not exists (select * from ax_fact_even f where f.ck = c.ck) group by 1 order by 1`),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, true], [3, true], [3, false]] as const) {
  test(`semi/anti joins over exchanges: wasmshift with ${slices} slice(s)${workers ? '' : ' on the leader'} matches DuckDB on ${QUERIES.length} queries`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(data), async (e) => {
      await assertSameAnswers(e, oracle, QUERIES);
    });
  });
}

test('EXPLAIN: the outer keys of a semi/anti join filter the inner side\'s scan below its exchange', async () => {
  await withLoadedWasmshift({ slices: 3, workers: true }, wasmshiftLoad(data), async (e) => {
    for (const sql of [NOT_EXISTS('ax_cust', 'ax_fact_even'), EXISTS('ax_cust', 'ax_fact_by_ok'), NOT_EXISTS('ax_cust_even', 'ax_fact_by_ok')]) {
      const plan = await e.explain(sql);
      assert.match(plan, /Hash (NOT )?IN Join DS_DIST_(INNER|BOTH)/, plan);
      assert.match(plan, /XN Seq Scan on ax_fact_\w+[^\n]*\n\s+Runtime Filter: ck IN bloom\(ck\)/, plan);
    }
    // the outer side is never filtered by the inner keys of an anti join
    const anti = await e.explain(NOT_EXISTS('ax_cust', 'ax_fact_even'));
    assert.doesNotMatch(anti, /XN Seq Scan on ax_cust[^\n]*\n(\s+Filter:[^\n]*\n)?\s+Runtime Filter/, anti);
  });
});
