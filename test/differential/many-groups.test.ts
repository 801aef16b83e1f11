// Aggregation over many groups against DuckDB: 100K+ distinct keys arriving in ordered runs that
// repeat each other's keys (the merged path of host/exec/group-index.ts's PairTable), in descending
// order (past the run limit: the hashed path), in random order with NULL keys; multi-column keys
// mixing int8, int4, date, decimal and strings; every aggregate the accumulators keep in typed
// arrays (host/exec/aggregates.ts), sums past 2^53, HAVING, a Q18-shaped IN (GROUP BY ... HAVING) and
// int8 IN/NOT IN subquery sets with and without NULL (host/exec/eval.ts tests int8 rows by their words).
// A 300K-row table runs its fragments in slice workers, a 40K-row one inline on the leader.

import { after, before, test } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, intAvg, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'hotel'];
const COLUMNS = 'ok BIGINT NOT NULL, k8 BIGINT, k4 INTEGER, dt DATE, dec DECIMAL(10,2), s VARCHAR(12), ' +
  'q INTEGER, amt DECIMAL(12,2), big BIGINT, f DOUBLE PRECISION';

/**
 * `ok` arrives in three parts, as a table loaded from several files does: ascending even keys, then
 * ascending multiples of three (every sixth key repeats one of the first part), then keys counting
 * down (each row a run of its own). Other keys are random; about 3% of each is NULL.
 */
function table(name: string, rows: number, seed: number): DiffTable {
  const dir = join(tmpdir(), 'wasmshift-many-groups-v1');
  mkdirSync(dir, { recursive: true });
  const t: DiffTable = { name, columns: COLUMNS, redshiftAttrs: 'DISTKEY (ok)', rows, file: join(dir, `${name}-${rows}-${seed}.tbl`) };
  if (existsSync(t.file)) return t;
  const rng = new Rng(seed);
  const maybe = (f: () => string): string => (rng.int(0, 99) < 3 ? NULL_TEXT : f());
  const third = Math.floor(rows / 3);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    // two rows per key in the ascending parts, one in the descending part
    const ok = i < third ? 2 * (i >> 1) : i < 2 * third ? 3 * ((i - third) >> 1) : 5 * (rows - i) + 1;
    const cents = rng.int(-99_999, 99_999);
    lines.push([
      String(ok),
      maybe(() => String(rng.int(0, 120_000) - 60_000)),
      maybe(() => String(rng.int(0, 40))),
      maybe(() => new Date(Date.UTC(2020, 0, 1 + rng.int(0, 30))).toISOString().slice(0, 10)),
      maybe(() => `${rng.int(0, 5)}.${String(rng.int(0, 99)).padStart(2, '0')}`),
      maybe(() => WORDS[rng.int(0, WORDS.length - 1)]!),
      maybe(() => String(rng.int(1, 50))),
      maybe(() => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`),
      // a few values near 2^62 push their groups' sums out of exact doubles
      maybe(() => (rng.int(0, 999) === 0 ? String(4_000_000_000_000_000_000n + BigInt(rng.int(0, 1000))) : String(rng.int(-1_000_000, 1_000_000)))),
      maybe(() => String(rng.int(-5000, 5000) / 8)),
    ].join('|'));
  }
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

function queries(t: string): QueryPair[] {
  return [
    q(`${t}: one int8 key in ordered runs, every typed aggregate`,
      `select ok, count(*), count(k4), sum(q), sum(amt), sum(big), min(dt), max(dt), min(dec), max(amt), min(big), max(k8), avg(amt), avg(q), sum(f) from ${t} group by ok`,
      `select ok, count(*), count(k4), sum(q), sum(amt), sum(big), min(dt), max(dt), min(dec), max(amt), min(big), max(k8), avg(amt), ${intAvg('q')}, sum(f) from ${t} group by ok`),
    q(`${t}: groups counted`, `select count(*), sum(n) from (select ok, count(*) n from ${t} group by ok) g`),
    q(`${t}: HAVING over many groups`, `select ok, sum(q) from ${t} group by ok having sum(q) > 60`),
    q(`${t}: Q18 shape, IN (GROUP BY ... HAVING)`,
      `select ok, k4, sum(q), count(*) from ${t} where ok in (select ok from ${t} group by ok having sum(q) > 70) group by ok, k4`),
    q(`${t}: int8 IN and NOT IN a set with and without NULL`,
      `select (select count(*) from ${t} where k8 in (select k8 from gl)), (select count(*) from ${t} where k8 not in (select k8 from gl)), ` +
      `(select count(*) from ${t} where k8 not in (select k8 from gl where k8 is not null)), (select sum(q) from ${t} where k8 in (select k8 + 1 from gw))`),
    q(`${t}: random int8 key with NULLs`, `select k8, count(*), sum(q), min(amt), max(dt), sum(big) from ${t} group by k8`),
    q(`${t}: int8, date and string key`, `select ok, dt, s, count(*), sum(amt) from ${t} group by ok, dt, s`),
    q(`${t}: int4, decimal, string and date keys with NULLs`, `select k4, dec, s, dt, count(*), sum(q), max(f) from ${t} group by k4, dec, s, dt`),
    q(`${t}: key expression`, `select ok / 7, count(*), sum(q) from ${t} group by ok / 7`, `select ok // 7, count(*), sum(q) from ${t} group by ok // 7`),
    q(`${t}: count distinct per many groups`, `select k8, count(distinct k4), count(distinct s) from ${t} group by k8`),
  ];
}

let oracle: DiffEngine;
const tables = [table('gw', 300_000, 5), table('gl', 40_000, 6)];
const QUERIES = [...queries('gw'), ...queries('gl')];

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 3]) {
  test(`many groups: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} aggregations`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(tables), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES, 'aggregations');
    });
  });
}
