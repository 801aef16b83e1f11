// The pool's watchdog for results lost between threads: a task whose worker has its result ready
// but never answers fails the statement with XX000 instead of leaving it waiting forever, the pool
// is replaced, and the next statement runs on the new workers with the right answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';
import { WorkerExecutor } from '../../../host/cluster/pool.js';

const ROWS = 240_000; // above the 200K rows a fragment needs to run on the worker pool
let engine: Engine;
let session: Session;
const run = async (sql: string) => { const r = await session.execute(sql); return r[r.length - 1]!.rows!; };

before(async () => {
  engine = await Engine.create({ slices: 2, memoryBytes: 512 << 20 });
  session = new Session(engine);
  await run('CREATE TABLE t (a INT, b INT) DISTKEY (a)');
  for (let start = 0; start < ROWS; start += 40_000) {
    const vals: string[] = [];
    for (let i = start; i < start + 40_000; i++) vals.push(`(${i}, ${i % 7})`);
    await run(`INSERT INTO t VALUES ${vals.join(',')}`);
  }
});
after(async () => { await engine?.close(); });

test('a lost task result is XX000 after the grace period, and the replaced pool answers the next statement', async () => {
  const pool = engine.executor;
  assert.ok(pool instanceof WorkerExecutor, 'the engine runs big fragments on the worker pool');
  // A join fragment runs as one task per slice, none of which can be withdrawn (a morsel-driven
  // scan's task can be, when the other threads took every chunk first), and with the leader's own
  // share off both slices go to the workers: the task that loses its result always has one.
  const sql = 'SELECT t.b, count(*), sum(t.a) FROM t JOIN t AS u ON t.a = u.a GROUP BY t.b ORDER BY t.b';
  pool.lostResultMs = 200;
  pool.leaderSliceRows = -1;
  pool.inlineCpuMs = 0;
  pool.loseNextResult = true;
  const t0 = Date.now();
  await assert.rejects(run(sql), (e: { code?: string; message?: string }) => e.code === 'XX000' && /never reached the leader/.test(e.message ?? ''));
  assert.ok(Date.now() - t0 < 30_000, 'the watchdog answers long before the stuck worker would');
  const want: [number, bigint, bigint][] = [];
  for (let b = 0; b < 7; b++) {
    let n = 0n, s = 0n;
    for (let a = b; a < ROWS; a += 7) { n++; s += BigInt(a); }
    want.push([b, n, s]);
  }
  assert.deepEqual(await run(sql), want);
  // The new workers took their scratch pages as they started; from now on a statement leaves the
  // allocator as it found it (a lost result's own pages are unreachable: ADR 0008).
  const base = engine.store.allocator.bytesInUse();
  assert.deepEqual(await run(sql), want);
  assert.equal(engine.store.allocator.bytesInUse(), base, 'no exchange buffer is left behind');
});
