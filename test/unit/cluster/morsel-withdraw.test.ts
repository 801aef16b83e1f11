// The leader withdraws morsel tasks no worker started once every morsel is taken
// (host/cluster/morsel-withdraw.ts), when a worker answers or when the leader's own share ends:
// with fake tasks standing in for the workers' answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withdrawWhenDrained, type Dispatched } from '../../../host/cluster/morsel-withdraw.js';
import type { SliceTaskResult } from '../../../host/cluster/slice-task.js';

function fakeTasks(n: number) {
  const answers: ((r: SliceTaskResult) => void)[] = [];
  const tasks: Dispatched[] = Array.from({ length: n }, () => ({
    promise: new Promise<SliceTaskResult>((r) => answers.push(r)),
    done: new Int32Array(new SharedArrayBuffer(4)),
  }));
  return { tasks, answers };
}
const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
const marker = { columns: [], length: 7 };

test('a task not started when the first answer comes with every morsel taken is withdrawn, empty', async () => {
  const { tasks, answers } = fakeTasks(2);
  const counter = shared(1), claims = shared(2);
  const out = withdrawWhenDrained(tasks, counter, 5, claims).tasks;
  Atomics.store(claims, 0, 1); // worker 0 started
  Atomics.store(counter, 0, 6); // and took every morsel, then looked past the end
  answers[0]!({ parts: [marker] });
  const [a, b] = await Promise.all(out.map((t) => t.promise));
  assert.deepEqual(a, { parts: [marker] });
  assert.deepEqual(b, { parts: [] });
  assert.equal(Atomics.load(claims, 1), 2, 'a worker that starts it now finds it withdrawn');
});

test('a task a worker started is waited for; nothing is withdrawn while morsels are left', async () => {
  const { tasks, answers } = fakeTasks(2);
  const counter = shared(1), claims = shared(2);
  const out = withdrawWhenDrained(tasks, counter, 5, claims).tasks;
  Atomics.store(claims, 0, 1);
  Atomics.store(claims, 1, 1);
  Atomics.store(counter, 0, 3);
  answers[0]!({ error: { message: 'failed early' } }); // answers before the counter ran out
  let second: SliceTaskResult | undefined;
  void out[1]!.promise.then((r) => { second = r; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(second, undefined, 'the started task is still awaited');
  answers[1]!({ parts: [marker] });
  assert.deepEqual(await out[1]!.promise, { parts: [marker] });

  const more = fakeTasks(2);
  const c2 = shared(1), cl2 = shared(2);
  const out2 = withdrawWhenDrained(more.tasks, c2, 5, cl2).tasks;
  Atomics.store(c2, 0, 2); // morsels left: an early answer withdraws nothing
  more.answers[0]!({ parts: [] });
  await out2[0]!.promise;
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(Atomics.load(cl2, 1), 0);
});

test('a leader that took every morsel itself withdraws the tasks no worker started, without waiting for an answer', async () => {
  const { tasks, answers } = fakeTasks(2);
  const counter = shared(1), claims = shared(2);
  const { tasks: out, drained } = withdrawWhenDrained(tasks, counter, 5, claims);
  Atomics.store(claims, 0, 1); // worker 0 started (it will answer later)
  drained(); // the leader's share ended with morsels left: nothing is withdrawn
  assert.equal(Atomics.load(claims, 1), 0, 'no task is withdrawn while morsels are left');
  Atomics.store(counter, 0, 7); // the leader took the rest and looked past the end
  drained();
  assert.deepEqual(await out[1]!.promise, { parts: [] }, 'the task no worker started is empty at once');
  assert.equal(Atomics.load(claims, 1), 2, 'a worker that starts it now finds it withdrawn');
  let first: SliceTaskResult | undefined;
  void out[0]!.promise.then((r) => { first = r; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(first, undefined, 'the task a worker started is still awaited');
  answers[0]!({ parts: [marker] });
  assert.deepEqual(await out[0]!.promise, { parts: [marker] });
});
