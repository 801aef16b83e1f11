// Zone-map chunk skipping (host/storage/zone-map.ts, zone-prune.ts): range, equality, BETWEEN, IN
// and IS NULL predicates on ints, bigints, decimals, floats, dates, timestamps and strings return
// exactly what DuckDB returns on the same CSV file, with and without worker threads, and the
// engine's counter shows chunks were skipped where the data's order makes that possible, and that a
// comparison the zone maps prove true for every row of a chunk is not evaluated on that chunk.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import { encodedFilterStats } from '../../host/exec/kernel-filter.js';
import { Oracle } from '../differential/duckdb.js';

const ROWS = 300_000;
const DDL = 'id INT, big BIGINT, amount DECIMAL(12,2), ratio FLOAT8, name VARCHAR(20), day DATE, ts TIMESTAMP, noisy INT, seq INT NOT NULL, bseq BIGINT, wk SMALLINT';

/** Rows mostly in id order (so chunks cover narrow ranges), with NULLs and a random column. */
function csv(): string {
  const out: string[] = [];
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let i = 0; i < ROWS; i++) {
    const nul = (k: number) => i % k === 3;
    const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 500) * 86400000).toISOString().slice(0, 10);
    out.push([
      nul(97) ? '' : i,
      nul(89) ? '' : BigInt(i) * 1000003n,
      nul(83) ? '' : (i / 100).toFixed(2),
      nul(79) ? '' : i % 1000 === 5 ? 'NaN' : (i * 0.5).toString(),
      nul(73) ? '' : `n${String(i).padStart(7, '0')}`,
      nul(71) ? '' : day,
      nul(67) ? '' : `${day} ${String(i % 24).padStart(2, '0')}:00:00`,
      Math.floor(rnd() * 1000),
      i, BigInt(i) * 1000003n, i % 101 === 7 ? '' : Math.floor(i / 5000),
    ].join(','));
  }
  return out.join('\n') + '\n';
}

const QUERIES: [string, boolean, boolean?][] = [
  // [query, whether chunks must be skipped, whether some chunk's comparison must be proved true by its zone map]
  ['SELECT count(*), sum(noisy) FROM t WHERE id < 1000', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id >= 290000', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id = 123456', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id BETWEEN 70000 AND 70500', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE 5000 > id', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id IN (3, 150000, 299999, NULL)', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id <> 5', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE id IS NULL', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE big > 290000000000', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE amount <= 12.34', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE amount BETWEEN 1000.00 AND 1000.50', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE ratio >= 149000', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE ratio < 10', true],
  ["SELECT count(*), sum(noisy) FROM t WHERE name < 'n0001000'", true],
  ["SELECT count(*), sum(noisy) FROM t WHERE name = 'n0200000'", true],
  ["SELECT count(*), sum(noisy) FROM t WHERE name IN ('n0000005', 'n0299000')", true],
  ["SELECT count(*), sum(noisy) FROM t WHERE day < '2020-01-05'", true],
  ["SELECT count(*), sum(noisy) FROM t WHERE day BETWEEN '2020-06-01' AND '2020-06-03'", true],
  ["SELECT count(*), sum(noisy) FROM t WHERE ts >= '2021-08-01 00:00:00'", true],
  ['SELECT count(*), sum(noisy) FROM t WHERE noisy < 3', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE id < 1000 OR noisy = 7', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE id > 100000 AND id < 100100 AND noisy > 500', true],
  ["SELECT count(*) FROM t WHERE id > 299990 AND name IS NOT NULL AND day IS NOT NULL", true],
  // Columns without NULLs: chunks wholly inside the range pass without their comparison running.
  ['SELECT count(*), sum(noisy) FROM t WHERE seq >= 1000', false, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq > 131071', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq < 250000 AND noisy < 500', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq <= 131071', true, true],
  // Bounds at a chunk's first and last values: a chunk holds 65536 rows of one slice, slice 0 the even ids
  // and slice 1 the odd ones, so the second chunks span 131072..262142 and 131073..262143.
  ['SELECT count(*), sum(noisy) FROM t WHERE seq > 131072 AND seq < 262143', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq > 131073 AND seq < 262142', true, false],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq >= 131072 AND seq <= 262143', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq > 131071 AND seq <> 131072 AND seq <> 131073', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq BETWEEN 100000 AND 280000', false, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq BETWEEN 65536 AND 200000', true, false],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq <> 77777', false, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE bseq > 1000003000', false, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE bseq = 1000003000', true, false],
  ['SELECT count(*), sum(noisy) FROM t WHERE bseq >= 0 AND seq >= 0', false, true],
  // Bounds equal to a chunk's min or max (slice 0's second chunk starts at 131072, slice 1's first ends at
  // 131071): the chunk holding the bound must be kept, and one wholly inside is proved true.
  ['SELECT count(*), sum(noisy) FROM t WHERE seq <= 131072', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq >= 131071', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq = 131072', true, false],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq = 131071', true, false],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq > 131069', false, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE seq < 131073', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE bseq <= 131072393216', true, true],
  ['SELECT count(*), sum(noisy) FROM t WHERE bseq >= 131071393213', true, true],
  // The binder widens the column, not the constant (smallint to int, decimal(12,2) to decimal(14,2), int to
  // bigint): the stored values are still tested in place and against the zone maps.
  ['SELECT count(*), sum(noisy) FROM t WHERE wk <= 40', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE wk BETWEEN 1 AND 3', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE wk IN (1, 2, 300)', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE wk < 100000 AND wk > -40000', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE wk > 40000', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE amount < 5', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE amount >= 2999', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id < 1000::bigint', true],
  ['SELECT count(*), sum(noisy) FROM t WHERE id > 3000000000', false],
  ['SELECT count(*), sum(noisy) FROM t WHERE id < -3000000000 OR wk = 2', false],
  // A column with NULLs in every chunk is never proved true (NULL fails every comparison).
  ['SELECT count(*), sum(noisy) FROM t WHERE id >= 0', false, false],
];

for (const workers of [false, true]) {
  describe(`zone-map skipping (${workers ? 'worker threads' : 'leader thread'})`, () => {
    let db: Database;
    let oracle: Oracle;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wasmshift-zones-'));
      const file = join(dir, 't.csv');
      writeFileSync(file, csv());
      db = await open({ slices: 2, workers, memoryBytes: 512 << 20 });
      await db.query(`CREATE TABLE t (${DDL}) DISTSTYLE EVEN`);
      await db.query(`COPY t FROM '${file}' CSV`);
      oracle = await Oracle.create(1);
      await oracle.run(`CREATE TABLE t (${DDL.replace('FLOAT8', 'DOUBLE')}); COPY t FROM '${file}' (FORMAT csv, HEADER false)`);
    });
    after(async () => { await db.close(); oracle.close(); rmSync(dir, { recursive: true, force: true }); });

    for (const [q, skips, provedTrue] of QUERIES) {
      it(q, async () => {
        const stats = db.internals.store.zoneStats;
        const before = stats.skipped;
        const trueBefore = encodedFilterStats.zoneTrue;
        const r = await db.query(q);
        const got = r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
        const want = (await oracle.query(q)).text;
        assert.deepEqual(got, want);
        if (skips) assert.ok(stats.skipped > before, 'expected chunks skipped by zone maps');
        else assert.equal(stats.skipped, before, 'no chunk may be skipped');
        // The counter is per thread: with worker threads the scans count in the workers.
        if (!workers && provedTrue !== undefined) {
          if (provedTrue) assert.ok(encodedFilterStats.zoneTrue > trueBefore, 'expected a comparison proved true by a zone map');
          else assert.equal(encodedFilterStats.zoneTrue, trueBefore, 'no comparison may be proved true');
        }
      });
    }
  });
}
