// Run-time filters (host/plan/rules/runtime-filter.ts, host/exec/runtime-filter.ts) against DuckDB:
// joins with selective and non-selective build sides, semi, anti, left, right and full joins (the
// filter must never drop a row an outer or anti join keeps), NULL keys, multi-column keys, integer
// keys of mixed widths, numeric, date and string keys (dictionary-coded, CHAR with trailing blanks,
// many distinct values), keys spread too wide for a bitmap (bloom), co-located, replicated,
// broadcast and redistributed joins (build side redistributed, probe side redistributed: the filter
// then crosses the exchange, built by the leader from every slice's build rows), filters through an aggregation's grouping key and through a
// lower join, and a small probe side filtering a large build side (semi, anti, left joins); at 1
// and 3 slices, on the slice workers and on the leader only. EXPLAIN shows where
// filters are placed and where they must not be.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const FACT_ROWS = 300_000;
const DIM_ROWS = 6_000;
const KEYS = 20_000;
const WORDS = Array.from({ length: 300 }, (_, i) => `w${i}`);

const COLS = 'id BIGINT NOT NULL, k INTEGER, k8 BIGINT, far BIGINT, d DATE, dec DECIMAL(10,2), s VARCHAR(12), c CHAR(6), t VARCHAR(24), x INTEGER NOT NULL';

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-runtime-filter-v1-${FACT_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const fact: DiffTable = { name: 'rf_fact', columns: COLS, redshiftAttrs: 'DISTKEY (k)', rows: FACT_ROWS, file: join(dir, 'fact.tbl') };
  const even: DiffTable = { name: 'rf_even', columns: COLS, redshiftAttrs: 'DISTSTYLE EVEN', rows: FACT_ROWS, file: join(dir, 'fact.tbl') };
  const dim: DiffTable = { name: 'rf_dim', columns: `${COLS}, sel INTEGER`, redshiftAttrs: 'DISTKEY (k)', rows: DIM_ROWS, file: join(dir, 'dim.tbl') };
  const dimAll: DiffTable = { name: 'rf_dim_all', columns: `${COLS}, sel INTEGER`, redshiftAttrs: 'DISTSTYLE ALL', rows: DIM_ROWS, file: join(dir, 'dim.tbl') };
  const dimOther: DiffTable = { name: 'rf_dim_by_s', columns: `${COLS}, sel INTEGER`, redshiftAttrs: 'DISTKEY (s)', rows: DIM_ROWS, file: join(dir, 'dim.tbl') };
  const write = (t: DiffTable, seed: number, withSel: boolean): void => {
    if (existsSync(t.file)) return;
    const rng = new Rng(seed);
    const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
    const lines: string[] = [];
    for (let id = 0; id < t.rows; id++) {
      const k = rng.int(0, KEYS - 1);
      const cents = rng.int(0, 5000);
      const row = [
        String(id),
        maybe(2, () => String(k)),
        maybe(2, () => String(rng.int(-KEYS, KEYS))),
        // far apart: [min, max] too wide for a bitmap, so the filter is a bloom
        maybe(2, () => String(BigInt(rng.int(0, KEYS)) * 1_000_000_007n)),
        maybe(2, () => new Date(Date.UTC(2020, 0, 1 + rng.int(0, 2000))).toISOString().slice(0, 10)),
        maybe(2, () => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`),
        maybe(2, () => WORDS[rng.int(0, WORDS.length - 1)]!),
        // trailing blanks are insignificant when strings compare (Redshift "Character types")
        maybe(2, () => WORDS[rng.int(0, 60)]!),
        maybe(2, () => `text-${rng.int(0, 40_000)}${rng.int(0, 2) === 0 ? '  ' : ''}`),
        String(rng.int(0, 1000)),
      ];
      if (withSel) row.push(String(rng.int(0, 99)));
      lines.push(row.join('|'));
    }
    writeFileSync(t.file, lines.join('\n') + '\n');
  };
  write(fact, 11, false);
  write(dim, 12, true);
  return [fact, even, dim, dimAll, dimOther];
}

const AGG = 'count(*), count(d.id), sum(f.x), sum(d.x)';
const SEL = 'd.sel < 3';

const QUERIES: QueryPair[] = [
  q('selective int key, co-located', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k where ${SEL}`),
  q('non-selective int key (the filter is dropped after its trial)', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k`),
  q('selective, replicated build side', `select ${AGG} from rf_fact f join rf_dim_all d on f.k = d.k where ${SEL}`),
  q('selective, broadcast or redistributed build side', `select ${AGG} from rf_even f join rf_dim_by_s d on f.k = d.k where ${SEL}`),
  q('probe side redistributed (DS_DIST_OUTER): the build side runs first on every slice', `select ${AGG} from rf_even f join rf_fact d on f.k = d.k where d.x < 600`),
  q('both sides redistributed (DS_DIST_BOTH): the filter comes from the build side\'s exchange', `select ${AGG} from rf_even f join rf_fact d on f.id = d.id where d.x < 600`),
  q('semi join on two keys, probe side redistributed', `select count(*), sum(x) from rf_even f where exists (select 1 from rf_fact d where d.k = f.k and d.x < 600 and d.id = f.id)`),
  q('anti join, probe side redistributed (no filter)', `select count(*), sum(x) from rf_even f where not exists (select 1 from rf_fact d where d.k = f.k and d.x < 600 and d.id = f.id)`),
  q('build side redistributed to the probe side', `select ${AGG} from rf_fact f join rf_dim_by_s d on f.k = d.k where d.sel < 60`),
  q('probe side with its own filter', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k where ${SEL} and f.x < 500 and f.t like 'text-1%'`),
  q('int4 = int8 (mixed widths)', `select ${AGG} from rf_fact f join rf_dim d on f.k8 = d.k where ${SEL}`),
  q('int8 keys far apart (bloom)', `select ${AGG} from rf_fact f join rf_dim d on f.far = d.far where ${SEL}`),
  q('date key', `select ${AGG} from rf_fact f join rf_dim d on f.d = d.d where d.sel < 1`),
  q('numeric key', `select ${AGG} from rf_fact f join rf_dim d on f.dec = d.dec where ${SEL}`),
  q('dictionary varchar key', `select ${AGG} from rf_fact f join rf_dim d on f.s = d.s where d.sel < 1`),
  q('char = varchar with trailing blanks', `select ${AGG} from rf_fact f join rf_dim d on f.c = d.s where d.sel < 1`,
    `select ${AGG} from rf_fact f join rf_dim d on rtrim(f.c) = rtrim(d.s) where d.sel < 1`),
  q('varchar key with many distinct values and trailing blanks', `select ${AGG} from rf_fact f join rf_dim d on f.t = d.t where d.sel < 50`,
    `select ${AGG} from rf_fact f join rf_dim d on rtrim(f.t) = rtrim(d.t) where d.sel < 50`),
  q('varchar keys cut short by a cast (no filter on the whole value)', `select ${AGG} from rf_fact f join rf_dim d on f.t::varchar(7) = d.t::varchar(7) where ${SEL}`,
    `select ${AGG} from rf_fact f join rf_dim d on left(rtrim(f.t), 7) = left(rtrim(d.t), 7) where ${SEL}`),
  q('two-column key', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k and f.s = d.s where d.sel < 90`),
  q('inner join with residual', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k and f.x > d.x where ${SEL}`),
  q('inner join rows', `select f.id, d.id, f.k from rf_fact f join rf_dim d on f.k = d.k where d.sel = 0 and f.x < 20 order by 1, 2`),
  q('IN subquery (a set the scan tests)', `select count(*), sum(x) from rf_fact f where f.k in (select k from rf_dim where sel < 3)`),
  q('semi join', `select count(*), sum(x) from rf_fact f where exists (select 1 from rf_dim d where d.k = f.k and ${SEL})`),
  q('exists with two keys', `select count(*), sum(x) from rf_fact f where exists (select 1 from rf_dim d where d.k = f.k and d.d = f.d and ${SEL})`),
  q('anti join keeps unmatched and NULL keys', `select count(*), sum(x) from rf_fact f where not exists (select 1 from rf_dim d where d.k = f.k and ${SEL})`),
  q('left join keeps unmatched rows', `select ${AGG}, count(*) filter (where d.id is null) from rf_fact f left join (select * from rf_dim where sel < 3) d on f.k = d.k`),
  q('right join', `select ${AGG}, count(*) filter (where f.id is null) from rf_fact f right join (select * from rf_dim where sel < 3) d on f.k = d.k`),
  q('full join', `select ${AGG}, count(*) filter (where f.id is null), count(*) filter (where d.id is null) from rf_fact f full join (select * from rf_dim where sel < 3) d on f.k = d.k`),
  q('small probe side filters the large build side: semi join', `select count(*), sum(d.x) from rf_dim d where exists (select 1 from rf_fact f where f.k = d.k and f.x < 900) and d.sel < 3`),
  q('small probe side filters the large build side: anti join', `select count(*), sum(d.x) from rf_dim d where not exists (select 1 from rf_fact f where f.k = d.k and f.x < 900) and d.sel < 30`),
  q('small probe side filters the large build side: left join', `select count(*), count(f.id), sum(f.x) from rf_dim d left join rf_fact f on f.k = d.k where d.sel < 3`),
  q('small probe side filters the large build side: left join with residual, string key', `select count(*), count(f.id), sum(f.x) from rf_dim d left join rf_fact f on f.s = d.s and f.x > d.x where d.sel < 2`),
  q('filter through a grouping key', `select count(*), sum(g.sx) from (select k, sum(x) as sx from rf_fact group by k) g join rf_dim d on g.k = d.k where ${SEL}`),
  q('filter through a lower join', `select ${AGG}, sum(e.x) from rf_fact f join rf_dim_all e on f.s = e.s join rf_dim d on f.k = d.k where ${SEL} and e.sel < 50`),
  q('empty build side', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k where d.sel < 0`),
  q('build side of NULL keys only', `select ${AGG} from rf_fact f join rf_dim d on f.k = d.k where d.k is null`),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, true], [3, true], [3, false]] as const) {
  test(`run-time filters: wasmshift with ${slices} slice(s)${workers ? '' : ' on the leader'} matches DuckDB on ${QUERIES.length} joins`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(data), async (e) => {
      await assertSameAnswers(e, oracle, QUERIES, 'joins');
    });
  });
}

test('EXPLAIN shows a run-time filter under the probe side scan of inner, semi and right joins only', async () => {
  await withLoadedWasmshift({ slices: 3, workers: true }, wasmshiftLoad(data), async (e) => {
    const filtersIn = async (sql: string) => (await e.explain(sql)).split('\n').filter((l) => l.includes('Runtime Filter:')).map((l) => l.trim());
    const plan = await e.explain(`select count(*) from rf_fact f join rf_dim d on f.k = d.k where ${SEL}`);
    assert.match(plan, /XN Seq Scan on rf_fact[^\n]*\n\s+Runtime Filter: k IN bloom\(k\)/, plan);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f join rf_dim d on f.k = d.k where ${SEL}`), ['Runtime Filter: k IN bloom(k)']);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f where exists (select 1 from rf_dim d where d.k = f.k and ${SEL})`), ['Runtime Filter: k IN bloom(k)']);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f right join (select * from rf_dim where sel < 3) d on f.k = d.k`), ['Runtime Filter: k IN bloom(k)']);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f join rf_dim d on f.s = d.s and f.k = d.k where ${SEL}`), ['Runtime Filter: s IN bloom(s)', 'Runtime Filter: k IN bloom(k)']);
    // a probe side redistributed by the join key gets its filter before it is moved
    const both = await e.explain(`select count(*) from rf_even f join rf_fact d on f.id = d.id where d.x < 600`);
    assert.match(both, /DS_DIST_BOTH[^]*XN Seq Scan on rf_even[^\n]*\n\s+Runtime Filter: id IN bloom\(id\)/, both);
    const outer = await e.explain(`select count(*) from rf_even f join rf_fact d on f.k = d.k where d.x < 600`);
    assert.match(outer, /DS_DIST_OUTER[^]*XN Seq Scan on rf_even[^\n]*\n\s+Runtime Filter: k IN bloom\(k\)/, outer);
    // a small probe side read first filters the large build side's scan (semi, anti, left joins)
    assert.deepEqual(await filtersIn(`select count(*), count(f.id) from rf_dim d left join rf_fact f on f.k = d.k where ${SEL}`), ['Runtime Filter: k IN bloom(k)']);
    assert.match(await e.explain(`select count(*) from rf_dim d where not exists (select 1 from rf_fact f where f.k = d.k and f.x < 900)`), /XN Seq Scan on rf_fact[^\n]*\n[^\n]*Filter: \(x < 900\)\n\s+Runtime Filter: k IN bloom\(k\)/);
    // outer and anti joins keep probe rows without a match: no filter on their probe side
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f left join (select * from rf_dim where sel < 3) d on f.k = d.k`), []);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f full join (select * from rf_dim where sel < 3) d on f.k = d.k`), []);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f where not exists (select 1 from rf_dim d where d.k = f.k and ${SEL})`), []);
    // a cast that may cut a value short hides the column's values; one that widens does not
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f join rf_dim d on f.t::varchar(7) = d.t::varchar(7) where ${SEL}`), []);
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f join rf_dim d on f.c = d.s where ${SEL}`), ['Runtime Filter: c IN bloom(s)']);
    // a float key has no filter domain
    assert.deepEqual(await filtersIn(`select count(*) from rf_fact f join rf_dim d on f.x::float8 = d.x::float8 where ${SEL}`), []);
  });
});
