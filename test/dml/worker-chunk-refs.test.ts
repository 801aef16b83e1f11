// Slice workers keep the chunk descriptors the leader sent them and tasks name chunks by number
// (host/cluster/chunk-refs.ts, worker-chunks.ts). Between repeated queries on slice workers, a
// table is changed by INSERT, UPDATE, DELETE, VACUUM, TRUNCATE and DROP/CREATE, and, in a data
// directory under a small memory limit, its chunks are evicted and read back at new addresses:
// every answer must match DuckDB on the same changes, so a worker that read a stale descriptor
// (rows gone, columns moved) would answer wrong. Also: two scans of one table in one fragment
// that zone maps prune differently (a co-located self-join) each see all of their chunks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import { Oracle } from '../differential/duckdb.js';
import { WorkerExecutor } from '../../host/cluster/pool.js';

/** Above the rows a fragment must touch to run on the slice workers (host/cluster/pool.ts INLINE_ROWS). */
const ROWS = 260_000;
const DDL = 'pos INT NOT NULL, grp INT NOT NULL, k INT, v BIGINT, s VARCHAR(16)';

function csv(rows: number, seed: number, from = 0): string {
  let x = seed;
  const lines: string[] = [];
  for (let i = from; i < from + rows; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const k = i % 17 === 0 ? '' : String(x % 1000);
    lines.push(`${i},${i % 500},${k},${x % 100_000},w${x % 40}`);
  }
  return lines.join('\n') + '\n';
}

const QUERIES = [
  'SELECT count(*) AS n, sum(v) AS sv, sum(k) AS sk FROM t',
  'SELECT count(*) AS n, sum(v) AS sv FROM t WHERE k < 300',
  'SELECT s, count(*) AS n, sum(k) AS sk FROM t WHERE pos >= 100000 GROUP BY s ORDER BY s',
  // grp is the DISTKEY: a co-located self-join, both scans in one fragment, pruned apart by pos
  'SELECT count(*) AS n, sum(a.v) AS sv FROM t a JOIN t b ON a.grp = b.grp WHERE a.pos < 30000 AND b.pos >= 200000',
];

describe('slice workers read current chunk descriptors after every change', () => {
  for (const durable of [false, true]) {
    describe(durable ? 'in a data directory under a 4 MiB memory limit' : 'in memory', () => {
      let dir: string;
      let db: Database;
      let oracle: Oracle;
      const file = (name: string, text: string): string => { const f = join(dir, name); writeFileSync(f, text); return f; };
      const both = async (sql: string, duck = sql): Promise<void> => { await db.query(sql); await oracle.run(duck); };

      async function check(step: string): Promise<void> {
        const pool = db.internals.executor;
        assert.ok(pool instanceof WorkerExecutor, 'the engine runs big fragments on the slice workers');
        // the second run must go to the workers too, not to the leader's thread for being cheap
        pool.inlineCpuMs = 0;
        const before = pool.taskStats.tasks;
        // twice: the second run's tasks name their chunks by number only
        for (let run = 0; run < 2; run++) {
          for (const q of QUERIES) {
            const r = await db.query(q);
            const got = r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
            assert.deepEqual(got, (await oracle.query(q)).text, `${step} (run ${run + 1}): ${q}`);
          }
        }
        if (step !== 'after TRUNCATE') assert.ok(pool.taskStats.tasks > before, `${step}: the queries ran tasks on the workers`);
      }

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'wasmshift-chunk-refs-'));
        db = await open({ slices: 2, ...(durable ? { data: join(dir, 'data'), memoryBytes: 1024 << 20, memoryLimit: 4 << 20 } : {}) });
        oracle = await Oracle.create(2);
      });
      after(async () => { await db?.close(); oracle?.close(); rmSync(dir, { recursive: true, force: true }); });

      it('matches DuckDB after load, INSERT, UPDATE, DELETE, VACUUM, TRUNCATE and DROP/CREATE', async () => {
        const create = `CREATE TABLE t (${DDL}) DISTKEY (grp)`;
        await both(create, `CREATE TABLE t (${DDL})`);
        const first = file('t1.csv', csv(ROWS, 7));
        await both(`COPY t FROM '${first}' CSV`, `COPY t FROM '${first}' (FORMAT csv, HEADER false)`);
        await check('after COPY');
        const more = file('t2.csv', csv(40_000, 11, ROWS));
        await both(`COPY t FROM '${more}' CSV`, `COPY t FROM '${more}' (FORMAT csv, HEADER false)`);
        await check('after a second COPY');
        await both('UPDATE t SET v = v + 1000, s = \'upd\' WHERE k < 100');
        await check('after UPDATE');
        await both('DELETE FROM t WHERE k % 7 = 0');
        await check('after DELETE');
        await both('VACUUM t', 'SELECT 1');
        await check('after VACUUM');
        await both('INSERT INTO t SELECT pos + 1000000, grp, k, v, s FROM t WHERE pos < 50000');
        await check('after INSERT ... SELECT');
        await both('TRUNCATE t');
        await check('after TRUNCATE');
        await both(`COPY t FROM '${more}' CSV`, `COPY t FROM '${more}' (FORMAT csv, HEADER false)`);
        await both(`COPY t FROM '${first}' CSV`, `COPY t FROM '${first}' (FORMAT csv, HEADER false)`);
        await check('after TRUNCATE and COPY');
        await both('DROP TABLE t');
        await both(create, `CREATE TABLE t (${DDL})`);
        const other = file('t3.csv', csv(ROWS, 23));
        await both(`COPY t FROM '${other}' CSV`, `COPY t FROM '${other}' (FORMAT csv, HEADER false)`);
        await check('after DROP and CREATE');
      });
    });
  }
});
