// Morsel-driven scans on the slice workers (host/cluster/pool.ts runMorsels): a task that no
// worker has started by the time every morsel is taken is withdrawn by the leader and counted as
// empty, so the statement does not wait for a worker that wakes up after the scan is done.
import type { SliceTaskResult } from './slice-task.js';

/** A task posted to the pool: its answer, and the word its worker sets once the answer is ready (the watchdog's). */
export interface Dispatched { promise: Promise<SliceTaskResult>; done: Int32Array }

/**
 * Morsel tasks whose worker has not started them by the time every morsel is taken have nothing
 * left to do: the leader withdraws them (claim word 0 -> 2; a worker claims its task 0 -> 1 before it
 * reads anything, host/cluster/slice-worker.ts) and counts them as empty outputs, instead of waiting
 * for a worker that wakes up late, often after the others finished the whole scan. Checked each
 * time a task answers (a worker answers only once the counter is past the last morsel), and by
 * `drained()`, which the leader calls when its own share of the morsels ends: a leader that took
 * every morsel itself then does not wait for a worker to wake up only to find nothing left.
 */
export function withdrawWhenDrained(tasks: Dispatched[], counter: Int32Array, morsels: number, claims: Int32Array): { tasks: Dispatched[]; drained: () => void } {
  const withdrawn = tasks.map(() => {
    let resolve!: (r: SliceTaskResult) => void;
    return { promise: new Promise<SliceTaskResult>((r) => { resolve = r; }), resolve };
  });
  const check = (): void => {
    if (Atomics.load(counter, 0) < morsels) return;
    for (let i = 0; i < tasks.length; i++) if (Atomics.compareExchange(claims, i, 0, 2) === 0) withdrawn[i]!.resolve({ parts: [] });
  };
  for (const t of tasks) t.promise.then(check, check);
  return { tasks: tasks.map((t, i) => ({ promise: Promise.race([t.promise, withdrawn[i]!.promise]), done: t.done })), drained: check };
}

