// Fragments of a cached plan that last took little CPU run in the leader's thread (host/cluster/
// fragment-costs.ts, WorkerExecutor.inlineCpuMs, ADR 0033): the cost record itself, and a pool
// that moves a fragment between the workers and the leader's thread as its limit says, with
// answers checked against sums computed here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FragmentCosts } from '../../../host/cluster/fragment-costs.js';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';
import { INLINE_CPU_MS, INLINE_ROWS, WorkerExecutor } from '../../../host/cluster/pool.js';

test('a fragment is cheap only after a run under the limit, and only under its own plan node', () => {
  const costs = new FragmentCosts();
  const a = {}, b = {};
  assert.equal(costs.cheap(a, 3), false, 'never ran: not cheap');
  costs.ran(a, 1.5);
  assert.equal(costs.cheap(a, 3), true);
  assert.equal(costs.cheap(a, 1.5), false, 'the limit is exclusive');
  assert.equal(costs.cheap(b, 3), false, 'another plan node has its own record');
  costs.ran(a, 7);
  assert.equal(costs.cheap(a, 3), false, 'the last run counts');
  costs.ran(undefined, 0.1);
  assert.equal(costs.cheap(undefined, 3), false, 'a fragment without a plan node is never remembered');
});

const ROWS = 6_000;
let engine: Engine;
let session: Session;
const run = async (sql: string) => { const r = await session.execute(sql); return r[r.length - 1]!.rows!; };

before(async () => {
  engine = await Engine.create({ slices: 2, memoryBytes: 256 << 20 });
  session = new Session(engine);
  await run('CREATE TABLE t (a INT, b INT) DISTKEY (a)');
  await run('CREATE TABLE u (a INT, c INT) DISTKEY (a)');
  const tv: string[] = [], uv: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    tv.push(`(${i}, ${i % 7})`);
    if (i % 3 === 0) uv.push(`(${i}, ${i % 5})`);
  }
  await run(`INSERT INTO t VALUES ${tv.join(',')}`);
  await run(`INSERT INTO u VALUES ${uv.join(',')}`);
});
after(async () => { await engine?.close(); });

/** A co-located join (one task per slice) and a one-table scan (morsel-driven), with their answers. */
const JOIN = 'SELECT t.b, count(*), sum(u.c) FROM t JOIN u ON t.a = u.a GROUP BY t.b ORDER BY 1';
const SCAN = 'SELECT b, count(*), sum(a) FROM t WHERE a >= 100 GROUP BY b ORDER BY b';
function joinWanted(): [number, bigint, bigint][] {
  return Array.from({ length: 7 }, (_, b) => {
    let n = 0n, s = 0n;
    for (let a = 0; a < ROWS; a += 3) if (a % 7 === b) { n++; s += BigInt(a % 5); }
    return [b, n, s] as [number, bigint, bigint];
  });
}
function scanWanted(): [number, bigint, bigint][] {
  return Array.from({ length: 7 }, (_, b) => {
    let n = 0n, s = 0n;
    for (let a = 100; a < ROWS; a++) if (a % 7 === b) { n++; s += BigInt(a); }
    return [b, n, s] as [number, bigint, bigint];
  });
}

test('a cached plan\'s fragment moves to the leader\'s thread after a cheap run, and back when its limit says so', async () => {
  const executor = engine.executor;
  assert.ok(executor instanceof WorkerExecutor, 'the engine has slice workers');
  const p: WorkerExecutor = executor;
  const wanted: Record<string, [number, bigint, bigint][]> = { [JOIN]: joinWanted(), [SCAN]: scanWanted() };
  // every fragment of these statements is over the row limit: the cost decides where each runs
  p.inlineRows = 100;
  try {
    for (const sql of [JOIN, SCAN]) {
      p.inlineCpuMs = 0;
      let seen = { ...p.taskStats };
      assert.deepEqual(await run(sql), wanted[sql]);
      assert.deepEqual(await run(sql), wanted[sql]);
      assert.ok(p.taskStats.tasks > seen.tasks, `${sql}: on the workers while the limit is 0`);
      assert.equal(p.taskStats.cheap, seen.cheap, 'nothing counts as cheap under a limit of 0');

      // any run is cheaper than this limit: the plan's fragment has run, so it stays on the leader
      p.inlineCpuMs = 1e9;
      seen = { ...p.taskStats };
      assert.deepEqual(await run(sql), wanted[sql]);
      assert.deepEqual(await run(sql), wanted[sql]);
      assert.equal(p.taskStats.tasks, seen.tasks, `${sql}: no task is posted for a cheap fragment`);
      assert.equal(p.taskStats.cheap - seen.cheap, 2, 'the fragment ran in the leader\'s thread both times');

      // a limit no run can be under: back to the workers
      p.inlineCpuMs = 1e-9;
      seen = { ...p.taskStats };
      assert.deepEqual(await run(sql), wanted[sql]);
      assert.ok(p.taskStats.tasks > seen.tasks, `${sql}: on the workers again`);
      assert.equal(p.taskStats.cheap, seen.cheap);
    }

    // A statement never run before goes to the workers first: only a run says what it costs.
    p.inlineCpuMs = 1e9;
    const fresh = 'SELECT count(*), sum(b) FROM t WHERE a < 5000';
    let n = 0n, s = 0n;
    for (let a = 0; a < 5000; a++) { n++; s += BigInt(a % 7); }
    let seen = { ...p.taskStats };
    assert.deepEqual(await run(fresh), [[n, s]]);
    assert.ok(p.taskStats.tasks > seen.tasks && p.taskStats.cheap === seen.cheap, 'first run: on the workers');
    seen = { ...p.taskStats };
    assert.deepEqual(await run(fresh), [[n, s]]);
    assert.ok(p.taskStats.tasks === seen.tasks && p.taskStats.cheap > seen.cheap, 'second run: in the leader\'s thread');
  } finally {
    p.inlineRows = INLINE_ROWS;
    p.inlineCpuMs = INLINE_CPU_MS;
  }
});
