// The fused scan-aggregate (host/exec/scan-agg.ts, kernels/agg/program.ts) against DuckDB: COUNT, SUM, AVG, MIN
// and MAX over NUMERIC, int2/int4/int8 and date columns and their + - * expressions, folded in WASM per chunk from
// the chunk's columns. NULLs (a column that is always NULL, a group whose argument is always NULL), negative values,
// a filter that empties some groups or every group, sums past 2^63 scaled units (i128 accumulators), values whose
// products could pass 2^62 (their chunks take the batch path) mixed with chunks the kernel takes, more groups than
// the kernel's small-sum partials hold, more groups than the kernel path takes, and int4 overflow raising 22003. 1 and 3 slices, slice workers on and off;
// with workers off the test also checks which chunks the kernel folded.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { scanAggregateStats } from '../../host/exec/scan-agg.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, errorCode, duckdbDiffEngine, pair as q, intAvg, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const COLUMNS = 'g CHAR(1), h SMALLINT NOT NULL, k INTEGER NOT NULL, n1 DECIMAL(15,2), n2 DECIMAL(15,2), i2 SMALLINT, i4 INTEGER, ' +
  'i8 BIGINT, d DATE, big DECIMAL(18,0), wide BIGINT, nul INTEGER';

/** "-12.34" from a count of hundredths. */
function cents(units: number): string {
  const a = Math.abs(units);
  return `${units < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/**
 * Rows in runs of flags like lineitem's. Group 'C' never has n2; `big` is near +-9 * 10^17 (a group's
 * sum passes 2^63); `wide` passes 2^62 only in rows 70,000-70,099 (their chunk cannot be proven), and
 * `nul` is always NULL.
 */
function table(name: string, rows: number, seed: number): DiffTable {
  const dir = join(tmpdir(), 'wasmshift-scan-agg-v1');
  mkdirSync(dir, { recursive: true });
  const t: DiffTable = { name, columns: COLUMNS, redshiftAttrs: 'DISTKEY (k)', rows, file: join(dir, `${name}-${rows}-${seed}.tbl`) };
  if (existsSync(t.file)) return t;
  const rng = new Rng(seed);
  const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const g = (i >> 8) % 11 === 0 ? NULL_TEXT : ['A', 'B', 'C', 'D'][((i >> 9) + (i >> 11)) % 4]!;
    lines.push([
      g,
      String(rng.int(0, 9)),
      String(rng.int(0, 4999)),
      maybe(3, () => cents(rng.int(-500_000, 1_000_000))),
      g === 'C' ? NULL_TEXT : maybe(2, () => cents(rng.int(0, 10))),
      maybe(2, () => String(rng.int(-32768, 32767))),
      maybe(3, () => String(rng.int(-2_000_000, 2_000_000))),
      maybe(2, () => String(BigInt(rng.int(-1_000_000, 1_000_000)) * 1_000_000_007n)),
      maybe(4, () => `${1992 + rng.int(0, 7)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`),
      String(900_000_000_000_000_000n - BigInt(rng.int(0, 1_000_000))),
      i >= 70_000 && i < 70_100 ? String(5_000_000_000_000_000_000n + BigInt(i)) : String(rng.int(-1000, 1000)),
      NULL_TEXT,
    ].join('|'));
  }
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

function queries(t: string): QueryPair[] {
  return [
    q(`${t}: few groups on a CHAR(1) key, every aggregate`,
      `select g, sum(n1), sum(n1 * n2), sum(n1 * (1 - n2) * (1 + n2)), avg(n1), avg(n2), count(*), count(n1), count(d), count(g), ` +
      `min(n1), max(n1), min(d), max(d), min(i2), max(i2), sum(i4), sum(i2), sum(i8), min(i8), max(i4), min(n1 * n2) from ${t} group by g`),
    q(`${t}: integer AVG truncates, NUMERIC AVG rounds`, `select g, avg(i4), avg(i2), avg(i8), avg(n1), avg(n1 * n2) from ${t} group by g`,
      `select g, ${intAvg('i4')}, ${intAvg('i2')}, ${intAvg('i8')}, avg(n1), avg(n1 * n2) from ${t} group by g`),
    q(`${t}: no GROUP BY`, `select sum(n1 * (1 - n2)), count(*), count(i4), min(d), max(n1), sum(i8), sum(big) from ${t}`),
    q(`${t}: constants and mixed operands`, `select h, sum(n1 * 2 + 1), sum(10 - n1), sum(i4 - 5), sum(cast(i2 as integer) * i2), sum(n1 - i2), sum(2.5 * n2) from ${t} group by h`),
    q(`${t}: a filter that empties some groups`, `select g, sum(n1), count(*), min(d) from ${t} where n2 > 0.05 and h < 3 group by g`),
    q(`${t}: a filter that empties every group`, `select g, sum(n1), count(*) from ${t} where i4 > 5000000 group by g`),
    q(`${t}: no rows without GROUP BY`, `select sum(n1), count(*), count(n1), min(d), avg(n1) from ${t} where i4 > 5000000`),
    q(`${t}: an argument that is always NULL`, `select h, sum(nul), count(nul), min(nul), max(nul), avg(nul), count(*) from ${t} group by h`),
    q(`${t}: sums past 2^63 scaled units`, `select h, sum(big), avg(big), min(big), max(big), sum(big * 3) from ${t} group by h`,
      `select h, sum(big), avg(big), min(big), max(big), sum(cast(big as decimal(38,0)) * 3) from ${t} group by h`),
    q(`${t}: values past 2^62 in a few rows`, `select g, sum(wide), sum(wide - 1), max(wide), min(wide), count(wide), sum(n1) from ${t} group by g`),
    q(`${t}: more groups than the small-sum partials hold`, `select k, sum(n1), sum(n1 * n2), count(*), min(d), avg(i4) from ${t} group by k`,
      `select k, sum(n1), sum(n1 * n2), count(*), min(d), ${intAvg('i4')} from ${t} group by k`),
    q(`${t}: a key expression`, `select h % 3, g, sum(n1), max(i8) from ${t} group by h % 3, g`),
    // sa's i4 has ~290K distinct values: past MAX_KERNEL_GROUPS groups the later chunks take the batch path,
    // and the groups they number have no kernel words to fold (k and h are never NULL: the batch path's
    // all-valid record must survive the kernel's totals)
    q(`${t}: more groups than the kernel takes`, `select i4, sum(n1), sum(n1 * n2), count(*), count(n2), min(d), max(i8), avg(n1), sum(k), sum(h * k) from ${t} group by i4`),
  ];
}

let oracle: DiffEngine;
const tables = [table('sa', 300_000, 21), table('sb', 20_000, 22)];
const QUERIES = [...queries('sa'), ...queries('sb')];

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, true], [3, true], [1, false], [3, false]] as const) {
  test(`fused scan-aggregate: ${slices} slice(s), workers ${workers ? 'on' : 'off'}, matches DuckDB on ${QUERIES.length} aggregations`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(tables), async (engine) => {
      const kernel0 = scanAggregateStats.kernelChunks, batch0 = scanAggregateStats.batchChunks;
      await assertSameAnswers(engine, oracle, QUERIES, 'aggregations');
      if (!workers) {
        // Every fragment ran in this thread: the kernel folded chunks, and the chunk holding the values past
        // 2^62 went to the batch path.
        assert.ok(scanAggregateStats.kernelChunks > kernel0, 'the kernel folded no chunk');
        assert.ok(scanAggregateStats.batchChunks > batch0, 'no chunk took the batch path');
      }
      for (const t of ['sa', 'sb']) {
        // int4 arithmetic past its range raises, as the row-by-row path does
        assert.equal(await errorCode(engine, `select g, sum(i4 * 3000) from ${t} group by g`), '22003');
        assert.equal(await errorCode(engine, `select g, sum(i4 * 1000) from ${t} group by g`), null);
        // int8 arithmetic past its range raises too (PostgreSQL's int8mul), from the chunk the kernel declined
        assert.equal(await errorCode(engine, `select g, sum(wide * 2) from ${t} group by g`), t === 'sa' ? '22003' : null);
      }
    });
  });
}
