// Tables larger than memory (host/storage/chunk-store.ts residency): with a data directory and a
// 16 MiB memoryLimit, a table of about 75 MB of chunks answers aggregate and filter queries
// exactly as DuckDB does on the same CSV file, chunks are evicted and read back from their block
// files, memory held between statements stays under the limit, and all of it again after restart.
// (Sized down from 150 MB under 32 MiB, which passes the same way, to keep the suite's time.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { open, type Database } from '../../host/index.js';
import { Oracle } from '../differential/duckdb.js';

const ROWS = 1_600_000;
const LIMIT = 16 << 20;
const DDL = 'id BIGINT, k INT, day DATE, amount DECIMAL(12,2), ratio FLOAT8, name VARCHAR(24)';

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let seed = 3;
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86400000).toISOString().slice(0, 10);
    buf += `${i},${seed % 100000},${day},${(seed % 1000000) / 100},${i % 13 === 0 ? '' : (seed % 9973) / 7},name-${seed % 50000}\n`;
    if (buf.length > 1 << 20) { if (!out.write(buf)) await once(out, 'drain'); buf = ''; }
  }
  out.end(buf);
  await once(out, 'finish');
}

const QUERIES = [
  'SELECT count(*) AS n, sum(k) AS sk, min(day)::varchar AS d, max(amount) AS ma, sum(amount) AS sa FROM t',
  'SELECT count(*) AS n, sum(amount) AS sa FROM t WHERE k < 1000',
  'SELECT count(ratio) AS n, round(sum(ratio), 2)::varchar AS s, min(name) AS lo FROM t WHERE id >= 1500000',
];

describe('tables larger than the memory limit', () => {
  let dir: string;
  let db: Database;
  let oracle: Oracle;
  const openDb = () => open({ slices: 2, data: join(dir, 'data'), memoryBytes: 1024 << 20, memoryLimit: LIMIT });

  async function check(): Promise<void> {
    const store = db.internals.store;
    for (const q of QUERIES) {
      const r = await db.query(q);
      const got = r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
      assert.deepEqual(got, (await oracle.query(q)).text, q);
      assert.ok(store.residency.residentBytes <= LIMIT, `resident ${store.residency.residentBytes} after ${q}`);
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wasmshift-residency-'));
    const file = join(dir, 't.csv');
    await writeCsv(file);
    db = await openDb();
    await db.query(`CREATE TABLE t (${DDL}) DISTSTYLE EVEN`);
    await db.query(`COPY t FROM '${file}' CSV`);
    oracle = await Oracle.create(2);
    await oracle.run(`CREATE TABLE t (${DDL.replace('FLOAT8', 'DOUBLE')}); COPY t FROM '${file}' (FORMAT csv, HEADER false)`);
  });
  after(async () => { await db.close(); oracle.close(); rmSync(dir, { recursive: true, force: true }); });

  it('the table is several times the limit and is evicted after the load', async () => {
    const size = await db.query("SELECT size FROM svv_table_info WHERE \"table\" = 't'");
    assert.ok(Number(size.rows[0]!.size) * (1 << 20) > 3 * LIMIT, `size ${String(size.rows[0]!.size)} MB`);
    assert.ok(db.internals.store.residency.residentBytes <= LIMIT);
    assert.ok(db.internals.store.residency.evictions > 0);
  });

  it('aggregates and filters match DuckDB while chunks are read back and evicted', async () => {
    const st = db.internals.store.residency;
    const loads = st.loads;
    await check();
    assert.ok(st.loads > loads, 'chunks were read back from block files');
  });

  it('after a restart, chunks load lazily and queries still match', async () => {
    await db.close();
    db = await openDb();
    const st = db.internals.store.residency;
    assert.equal(st.residentBytes, 0, 'nothing is read at open');
    const blocks = await db.query("SELECT sum(pinned) AS p, count(*) AS n FROM stv_blocklist");
    assert.equal(Number(blocks.rows[0]!.p), 0);
    await check();
    assert.ok(st.loads > 0 && st.evictions > 0);
  });
});
