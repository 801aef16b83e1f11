// Thread priorities (host/cluster/thread-priority.ts): open({ backgroundNice }) lowers the threads the
// process had before (V8's background threads), never the main thread or a slice worker, and only
// once per process. Node runs each test file in its own process, so this file owns its threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { open } from '../../../host/index.js';
import { lowerBackgroundThreads, sliceThreadIds } from '../../../host/cluster/thread-priority.js';

/** Nice value of each thread of this process, by thread id (proc(5): field 19 of /proc/PID/task/TID/stat). */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch { /* the thread ended */ }
  }
  return out;
}

test('backgroundNice outside 0-19 is refused before anything changes', { skip: process.platform !== 'linux' && 'nice values per thread are Linux' }, async () => {
  for (const bad of [-1, 20, 2.5, Number.NaN]) {
    await assert.rejects(open({ slices: 1, workers: false, backgroundNice: bad }), RangeError);
  }
  for (const n of niceByThread().values()) assert.equal(n, 0);
});

const sliceThreads = (): number[] => Array.from(sliceThreadIds.subarray(1, 1 + Atomics.load(sliceThreadIds, 0)));

test('backgroundNice lowers the threads that were there, never the main thread or slices', { skip: process.platform !== 'linux' && 'nice values per thread are Linux' }, async () => {
  const before = niceByThread();
  assert.ok(before.size > 1, 'Node starts V8 platform threads before any code runs');
  for (const n of before.values()) assert.equal(n, 0);

  const db = await open({ slices: 2, backgroundNice: 7 });
  try {
    const after = niceByThread();
    assert.equal(after.get(process.pid), 0, 'the main thread keeps its priority');
    const slices = sliceThreads();
    assert.ok(slices.length >= 2, `each slice worker registers its thread (${slices.length})`);
    for (const tid of slices) assert.equal(after.get(tid), 0, `slice thread ${tid} keeps its priority`);
    let lowered = 0;
    for (const [tid, n] of before) {
      if (tid === process.pid || !after.has(tid)) continue;
      assert.equal(after.get(tid), 7, `thread ${tid}, there before open, runs at nice 7`);
      lowered++;
    }
    assert.ok(lowered >= 1);
    // queries still run on the slices
    await db.query('create table t (x int) diststyle even');
    await db.query(`insert into t values ${Array.from({ length: 1000 }, (_, i) => `(${i + 1})`).join(', ')}`);
    const r = await db.query('select count(*) as n from t where x % 3 = 0');
    assert.equal(Number(r.rows[0]!.n), 333);

    // Once per process: a second engine changes nothing, and its slices keep the main thread's priority.
    const again = lowerBackgroundThreads(12);
    assert.ok(again >= lowered, `the first call's count comes back (${again} >= ${lowered})`);
    const db2 = await open({ slices: 1, backgroundNice: 12 });
    try {
      const later = niceByThread();
      for (const tid of sliceThreads()) if (later.has(tid)) assert.equal(later.get(tid), 0);
      for (const [tid, n] of before) if (tid !== process.pid && later.has(tid) && n === 0) assert.equal(later.get(tid), 7);
    } finally {
      await db2.close();
    }
  } finally {
    await db.close();
  }
});
