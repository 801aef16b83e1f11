// Sort keys and VACUUM (host/storage/sort-region.ts, host/session/maintenance.ts) and the storage
// views (host/storage/block-info.ts): loads append an unsorted region, VACUUM variants sort it by
// the sort key (the threshold skips a nearly sorted table), zone maps on the leading sort column
// then skip chunks, results match DuckDB before and after, and the sorted region survives restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import { SqlError } from '../../host/common/errors.js';
import { Oracle } from '../differential/duckdb.js';

const ROWS = 200_000;

/** `count` rows with keys in random order (so a fresh load has no key locality). */
function csv(first: number, count: number, seed: number): string {
  const out: string[] = [];
  let x = seed;
  for (let i = first; i < first + count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const k = x % 1_000_000;
    out.push(`${k % 101 === 7 ? '' : k},${i},${new Date(Date.UTC(2021, 0, 1) + (x % 3000) * 86400000).toISOString().slice(0, 10)}`);
  }
  return out.join('\n') + '\n';
}

const DDL = 'k INT, id INT, day DATE';
const Q = [
  'SELECT count(*), sum(id) FROM t WHERE k < 5000',
  'SELECT count(*), sum(id) FROM t WHERE k BETWEEN 500000 AND 501000',
  'SELECT count(*), sum(id) FROM t WHERE k IS NULL',
  "SELECT count(*), min(k) FROM t WHERE day >= '2028-01-01'",
];

describe('sort keys and VACUUM', () => {
  let db: Database;
  let oracle: Oracle;
  let dir: string;
  let files: string[];
  const one = async (q: string) => { const r = await db.query(q); return r.rows[0]!; };
  const unsorted = async () => Number((await one("SELECT unsorted FROM svv_table_info WHERE \"table\" = 't'")).unsorted);
  async function same(): Promise<void> {
    for (const q of Q) {
      const r = await db.query(q);
      const got = r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
      assert.deepEqual(got, (await oracle.query(q)).text, q);
    }
  }
  const skipped = async (q: string) => { const st = db.internals.store.zoneStats; const b = st.skipped; await db.query(q); return st.skipped - b; };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wasmshift-sort-'));
    files = [0, 1, 2].map((i) => { const f = join(dir, `part${i}.csv`); writeFileSync(f, csv(i * ROWS, ROWS, 11 + i)); return f; });
    db = await open({ slices: 2, workers: false, data: join(dir, 'data'), memoryBytes: 512 << 20 });
    oracle = await Oracle.create(1);
    await oracle.run(`CREATE TABLE t (${DDL})`);
  });
  after(async () => { await db.close(); oracle.close(); rmSync(dir, { recursive: true, force: true }); });

  it('a load is unsorted; VACUUM sorts it and zone maps then skip', async () => {
    await db.query(`CREATE TABLE t (${DDL}) DISTSTYLE EVEN COMPOUND SORTKEY (k, id)`);
    await db.query(`COPY t FROM '${files[0]}' CSV`);
    await oracle.run(`COPY t FROM '${files[0]}' (FORMAT csv, HEADER false)`);
    assert.equal(await unsorted(), 100);
    assert.equal(await skipped(Q[0]!), 0);
    await same();
    await db.query('VACUUM t');
    assert.equal(await unsorted(), 0);
    assert.ok(await skipped(Q[0]!) > 0);
    await same();
    // Blocks of the leading sort column are disjoint and ordered within each slice.
    const r = await db.query('SELECT slice, blocknum, minvalue, maxvalue, unsorted FROM stv_blocklist WHERE col = 0 AND tbl = (SELECT oid FROM pg_class WHERE relname = \'t\') ORDER BY slice, blocknum');
    assert.ok(r.rows.length >= 4);
    for (let i = 1; i < r.rows.length; i++) {
      const a = r.rows[i - 1]!, b = r.rows[i]!;
      assert.equal(b.unsorted, 0);
      if (a.slice === b.slice && b.minvalue !== null && a.maxvalue !== null) assert.ok(BigInt(b.minvalue as bigint) >= BigInt(a.maxvalue as bigint));
    }
  });

  it('an append makes an unsorted region; the 95 percent threshold and TO n PERCENT', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, csv(900_000, 4000, 99));
    await db.query(`COPY t FROM '${small}' CSV`);
    await oracle.run(`COPY t FROM '${small}' (FORMAT csv, HEADER false)`);
    const u = await unsorted();
    assert.ok(u > 0 && u < 5, `unsorted ${u}`);
    await same();
    await db.query('VACUUM SORT ONLY t');
    assert.equal(await unsorted(), u, 'more than 95 percent sorted: the sort phase is skipped');
    await db.query('VACUUM DELETE ONLY t');
    assert.equal(await unsorted(), u);
    await db.query('VACUUM t TO 100 PERCENT');
    assert.equal(await unsorted(), 0);
    await same();
  });

  it('REINDEX and RECLUSTER are accepted; a large append is sorted by the default VACUUM', async () => {
    await db.query(`COPY t FROM '${files[1]}' CSV`);
    await oracle.run(`COPY t FROM '${files[1]}' (FORMAT csv, HEADER false)`);
    assert.ok(await unsorted() > 40);
    await db.query('VACUUM REINDEX t');
    assert.equal(await unsorted(), 0);
    await db.query('VACUUM RECLUSTER t');
    await db.query('VACUUM');
    await same();
  });

  it('VACUUM inside a transaction block is 25001', async () => {
    await db.query('BEGIN');
    await assert.rejects(db.query('VACUUM t'), (e: unknown) => e instanceof SqlError && e.code === '25001');
    await db.query('ROLLBACK');
  });

  it('the sorted region survives a restart; DELETE keeps results right', async () => {
    await db.close();
    db = await open({ slices: 2, workers: false, data: join(dir, 'data'), memoryBytes: 512 << 20 });
    assert.equal(await unsorted(), 0);
    assert.ok(await skipped(Q[1]!) > 0);
    await same();
    const on = await one("SELECT min(on_disk) AS lo, count(*) AS n FROM svv_diskusage WHERE trim(name) = 't'");
    assert.equal(Number(on.lo), 1);
    await db.query('DELETE FROM t WHERE k < 1000');
    await oracle.run('DELETE FROM t WHERE k < 1000');
    await same();
  });

  it('INTERLEAVED keys are accepted and sort by their columns in order', async () => {
    await db.query(`CREATE TABLE i (${DDL}) INTERLEAVED SORTKEY (day, k)`);
    await db.query(`COPY i FROM '${files[2]}' CSV`);
    await db.query('VACUUM i');
    assert.equal(Number((await one("SELECT unsorted FROM svv_table_info WHERE \"table\" = 'i'")).unsorted), 0);
    assert.ok(await skipped("SELECT count(*) FROM i WHERE day < '2021-02-01'") > 0);
  });

  it('SVV_TABLE_INFO: size in 1 MB blocks, stats_off after ANALYZE, sortkey1', async () => {
    const before = await one("SELECT size, stats_off, sortkey1, tbl_rows FROM svv_table_info WHERE \"table\" = 't'");
    assert.equal(before.sortkey1, 'k');
    const blocks = await one("SELECT count(*) AS n FROM stv_blocklist WHERE tbl = (SELECT oid FROM pg_class WHERE relname = 't')");
    assert.ok(Number(before.size) >= Number(blocks.n));
    await db.query('ANALYZE t');
    assert.equal(Number((await one("SELECT stats_off FROM svv_table_info WHERE \"table\" = 't'")).stats_off), 0);
    const count = (await oracle.query('SELECT count(*) FROM t')).text[0]![0];
    assert.equal(String(before.tbl_rows), count);
  });
});
