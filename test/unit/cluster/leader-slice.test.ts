// The leader's own share of a fragment the slice workers run (host/cluster/pool.ts leaderSlice,
// leaderMorsels): a join fragment's slice and a morsel-driven scan's morsels run in the leader's
// thread beside the workers'. Answers are checked against sums computed here, with the leader's
// share on, off and split at a few rows; a failure in a slice waits for the others and leaks no
// exchange buffer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';
import { LEADER_SLICE_ROWS, WorkerExecutor } from '../../../host/cluster/pool.js';
import { sliceOf } from '../../../host/storage/dist-hash.js';

const ROWS = 240_000; // above the 200K rows a fragment needs to run on the worker pool
let engine: Engine;
let session: Session;
const run = async (sql: string) => { const r = await session.execute(sql); return r[r.length - 1]!.rows!; };
const pool = (): WorkerExecutor => {
  const p = engine.executor;
  assert.ok(p instanceof WorkerExecutor, 'the engine runs big fragments on the worker pool');
  // these statements run again and again: none may move to the leader's thread for being cheap
  p.inlineCpuMs = 0;
  return p;
};

before(async () => {
  engine = await Engine.create({ slices: 2, memoryBytes: 512 << 20 });
  session = new Session(engine);
  await run('CREATE TABLE t (a INT, b INT) DISTKEY (a)');
  await run('CREATE TABLE u (a INT, c INT) DISTKEY (a)');
  for (let start = 0; start < ROWS; start += 40_000) {
    const tv: string[] = [], uv: string[] = [];
    for (let i = start; i < start + 40_000; i++) {
      tv.push(`(${i}, ${i % 7})`);
      if (i % 3 === 0) uv.push(`(${i}, ${i % 5})`);
    }
    await run(`INSERT INTO t VALUES ${tv.join(',')}`);
    await run(`INSERT INTO u VALUES ${uv.join(',')}`);
  }
});
after(async () => { await engine?.close(); });

/** t joined to u on a (co-located: both DISTKEY a), grouped: one task per slice, not morsels. */
const JOIN = 'SELECT t.b, u.c, count(*), sum(t.a) FROM t JOIN u ON t.a = u.a GROUP BY t.b, u.c ORDER BY 1, 2';
/** A scan of one table with a partial aggregate: morsel-driven. */
const SCAN = 'SELECT b, count(*), sum(a) FROM t WHERE a >= 1000 GROUP BY b ORDER BY b';

function joinWanted(): [number, number, bigint, bigint][] {
  const groups = new Map<string, [number, number, bigint, bigint]>();
  for (let a = 0; a < ROWS; a += 3) {
    const key = `${a % 7},${a % 5}`;
    const g = groups.get(key) ?? [a % 7, a % 5, 0n, 0n];
    g[2]++; g[3] += BigInt(a);
    groups.set(key, g);
  }
  return [...groups.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

function scanWanted(): [number, bigint, bigint][] {
  const out: [number, bigint, bigint][] = [];
  for (let b = 0; b < 7; b++) {
    let n = 0n, s = 0n;
    for (let a = 1000; a < ROWS; a++) if (a % 7 === b) { n++; s += BigInt(a); }
    out.push([b, n, s]);
  }
  return out;
}

test('join and morsel fragments give the same answers with the leader taking a share, none, or a small one', async () => {
  const p = pool();
  const join = joinWanted(), scan = scanWanted();
  try {
    for (const limit of [LEADER_SLICE_ROWS, -1, 50_000]) {
      p.leaderSliceRows = limit;
      const before = { ...p.taskStats };
      assert.deepEqual(await run(JOIN), join, `join, leader share up to ${limit} rows`);
      const afterJoin = { ...p.taskStats };
      assert.deepEqual(await run(SCAN), scan, `scan, leader share up to ${limit} rows`);
      const afterScan = { ...p.taskStats };
      assert.ok(afterJoin.tasks > before.tasks && afterScan.tasks > afterJoin.tasks, 'both statements posted tasks to the workers');
      // A slice of the join touches ~180K rows: the leader takes one under the default limit only.
      assert.equal(afterJoin.leader - before.leader, limit === LEADER_SLICE_ROWS ? 1 : 0, `join: leader slices with limit ${limit}`);
      // The scan's window: the leader pulls morsels whenever it may take any rows.
      assert.equal(afterScan.leader - afterJoin.leader, limit > 0 ? 1 : 0, `scan: leader shares with limit ${limit}`);
    }
  } finally {
    p.leaderSliceRows = LEADER_SLICE_ROWS;
  }
});

test('a division by zero on either slice fails the statement with 22012, leaks no buffer, and the next statement is right', async () => {
  const p = pool();
  const join = joinWanted();
  assert.deepEqual(await run(JOIN), join);
  const base = engine.store.allocator.bytesInUse();
  // one joined row whose key is on slice 0, one on slice 1: the leader runs one of the two slices
  const zeroes = [0, 1].map((slice) => { let a = 3; while (sliceOf(a, 2) !== slice) a += 3; return a; });
  for (const k of zeroes) {
    const before = p.taskStats.leader;
    await assert.rejects(run(`SELECT t.b, sum(100 / (t.a - ${k})) FROM t JOIN u ON t.a = u.a GROUP BY t.b`), (e: { code?: string }) => e.code === '22012');
    assert.equal(p.taskStats.leader - before, 1, 'the leader ran a slice of the failing fragment');
    assert.equal(engine.store.allocator.bytesInUse(), base, 'no exchange buffer is left behind');
    assert.deepEqual(await run(JOIN), join);
  }
});

test('statements running at once leave their fragments to the workers: the leader shares only while one runs', async () => {
  const p = pool();
  const join = joinWanted();
  const other = new Session(engine);
  try {
    for (let round = 0; round < 3; round++) {
      const before = { ...p.taskStats };
      const [a, b] = await Promise.all([run(JOIN), other.execute(JOIN).then((r) => r[r.length - 1]!.rows!)]);
      assert.deepEqual(a, join);
      assert.deepEqual(b, join);
      // each statement posts its join fragment; while the first one's workers run, the second one arrives
      assert.ok(p.taskStats.tasks - before.tasks >= 2, 'both statements posted tasks');
      assert.equal(p.taskStats.leader - before.leader, 1, 'only the statement that was alone took a share');
    }
  } finally {
    await other.close();
  }
});
