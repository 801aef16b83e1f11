// GROUP BY keys numbered in WASM by the key table (host/exec/key-table.ts, kernels/agg/key-table.ts, ADR 0027)
// against DuckDB, at sizes that show many-group bugs: 1.2M rows whose int8 key has more than 1M distinct values in
// random order, an int4 key with a heavy hitter and NULLs (about 200K groups), int8, date and NUMERIC keys and
// pairs of them with NULLs, a key expression, keys after a join (the batch path), a filter feeding the fused path a
// selection, and a string key next to an int key (the JS coders). The fused scan-aggregate now runs past 65536
// groups: with workers off the test checks it folded chunks numbered by the table. 1 and 3 slices, workers on/off.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { scanAggregateStats } from '../../host/exec/scan-agg.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const COLUMNS = 'id BIGINT NOT NULL, k4 INTEGER, k8 BIGINT, d DATE, n DECIMAL(12,2), s VARCHAR(8), q INTEGER, amt DECIMAL(12,2)';
const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel'];

/** "-12.34" from a count of hundredths. */
function cents(units: number): string {
  const a = Math.abs(units);
  return `${units < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/**
 * `id` is a scrambled permutation (distinct, random order) except every 50th row, which repeats an earlier id;
 * k4 is 7 in 30% of rows, else one of 200K values, NULL in 2%; k8 is one of 100K values near +-2^40; d one of
 * 3000 days; n one of 150K NUMERIC values; about 2% of k8, d and n are NULL.
 */
function table(name: string, rows: number, seed: number): DiffTable {
  const dir = join(tmpdir(), 'wasmshift-key-table-v1');
  mkdirSync(dir, { recursive: true });
  const t: DiffTable = { name, columns: COLUMNS, redshiftAttrs: 'DISTKEY (id)', rows, file: join(dir, `${name}-${rows}-${seed}.tbl`) };
  if (existsSync(t.file)) return t;
  const rng = new Rng(seed);
  const maybe = (f: () => string): string => (rng.int(0, 99) < 2 ? NULL_TEXT : f());
  const ids: number[] = [];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const id = i % 50 === 49 ? ids[rng.int(0, ids.length - 1)]! : Number((BigInt(i) * 2654435761n) % 4294967311n) - 2_000_000_000;
    ids.push(id);
    lines.push([
      String(id),
      maybe(() => String(rng.int(0, 99) < 30 ? 7 : rng.int(-100_000, 100_000))),
      maybe(() => String((rng.int(0, 1) ? 1 : -1) * (2 ** 40 + rng.int(0, 100_000)))),
      maybe(() => new Date(Date.UTC(2015, 0, 1 + rng.int(0, 2999))).toISOString().slice(0, 10)),
      maybe(() => cents(rng.int(-75_000, 75_000))),
      WORDS[rng.int(0, WORDS.length - 1)]!,
      String(rng.int(1, 50)),
      cents(rng.int(-99_999, 99_999)),
    ].join('|'));
  }
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

/** Checksums of a grouped subquery `inner` with columns (key, c, sq): every group's count and sum weighed by a hash of its key. */
const sums = (inner: string, key: string): string =>
  `select count(*), sum(c), sum(sq), sum(c * ((${key}) % 1009)), sum(sq * ((${key}) % 997)), count(${key}) from (${inner}) x`;

function queries(t: string): QueryPair[] {
  return [
    q(`${t}: more than 1M int8 groups in random order (checksums)`, sums(`select id, count(*) c, sum(q) sq from ${t} group by id`, 'id')),
    q(`${t}: repeated ids among 1M groups`, `select id, count(*), sum(q), sum(amt), min(d), max(n) from ${t} group by id having count(*) > 1 and sum(q) > 70`),
    q(`${t}: int4 key with a heavy hitter and NULLs`, `select k4, count(*), sum(q), sum(amt), min(d), max(k8) from ${t} group by k4`),
    q(`${t}: int8 key near 2^40 with NULLs`, `select k8, count(*), sum(amt), avg(q) from ${t} group by k8 having count(*) > 10`),
    q(`${t}: NUMERIC key`, `select n, count(*), sum(q), min(amt) from ${t} group by n`),
    q(`${t}: date key`, `select d, count(*), sum(amt), max(id) from ${t} group by d`),
    q(`${t}: int8 and date pair with NULLs (checksums)`, sums(`select k8 % 1000 + (d - date '2015-01-01') kk, c, sq from (select k8, d, count(*) c, sum(q) sq from ${t} group by k8, d) y`, 'kk')),
    q(`${t}: int4, date and NUMERIC triple`, `select k4, d, n, count(*), sum(q) from ${t} group by k4, d, n having count(*) > 1`),
    q(`${t}: filtered rows into 500K+ groups`, sums(`select id, count(*) c, sum(q) sq from ${t} where q > 20 group by id`, 'id')),
    q(`${t}: key expression`, `select k4 / 1000, count(*), sum(q) from ${t} group by k4 / 1000`, `select k4 // 1000, count(*), sum(q) from ${t} group by k4 // 1000`),
    q(`${t}: string and int4 keys (JS coders)`, `select s, k4, count(*) from ${t} where k4 between -300 and 300 group by s, k4`),
    q(`${t}: int4 key after a join`, `select a.k4, count(*), sum(b.q) from ${t} a join ${t} b on a.id = b.id where a.q < 5 group by a.k4`),
  ];
}

let oracle: DiffEngine;
const tables = [table('kt', 1_200_000, 11)];
const QUERIES = queries('kt');

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, false], [3, true], [3, false], [1, true]] as const) {
  test(`key table: ${slices} slice(s), workers ${workers ? 'on' : 'off'}, matches DuckDB on ${QUERIES.length} aggregations`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(tables), async (engine) => {
      const table0 = scanAggregateStats.tableChunks, batch0 = scanAggregateStats.batchChunks;
      await assertSameAnswers(engine, oracle, QUERIES, 'aggregations');
      if (!workers) {
        // Every fragment ran in this thread: chunks were numbered by the table in place, none handed to the batch path.
        assert.ok(scanAggregateStats.tableChunks > table0, 'no chunk was numbered by the key table');
        assert.equal(scanAggregateStats.batchChunks, batch0, 'a chunk took the batch path');
      }
    });
  });
}
