// Thread priorities of the engine's process: lowers V8's background threads (its optimizing compiler
// and concurrent GC, shared by the leader and every slice worker) below the threads that run queries,
// so on a machine with few cores a query's leader and slices are not made to wait for them (ADR 0036).
import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Most slice worker threads the registry records (Engine caps slices at 64 per engine). */
const REGISTRY_SLOTS = 1024;

/**
 * Operating-system thread ids of every slice worker started in this process: slot 0 counts them,
 * the rest hold the ids. Shared with the workers, which write their own (registerSliceThread).
 */
export const sliceThreadIds = new Int32Array(new SharedArrayBuffer(4 * (REGISTRY_SLOTS + 1)));

/** This thread's operating-system id (Linux), or null where /proc/thread-self does not exist. */
function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Called by a slice worker as it starts: records its thread so no renice ever reaches it. */
export function registerSliceThread(registry: Int32Array): void {
  const tid = currentThreadId();
  if (tid === null) return;
  const slot = Atomics.add(registry, 0, 1);
  if (slot < REGISTRY_SLOTS) Atomics.store(registry, 1 + slot, tid);
}

let lowered: number | null = null;

/** Throws RangeError unless `nice` is an integer from 0 to 19 (below the main thread's 0 would raise threads, which needs privileges). */
export function checkBackgroundNice(nice: number): void {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError(`backgroundNice must be an integer from 0 to 19, not ${nice}`);
}

/**
 * Gives every thread of this process that exists now the nice value `nice`, except the main thread
 * and slice workers: V8's platform threads (background compilation and GC for all isolates), its
 * delayed-task thread, and libuv's pool if it has started. Threads created later by the main thread
 * (slice workers, DuckDB's, the host's) keep the main thread's priority. Linux keeps a nice value
 * per thread (setpriority(2), "NOTES"). Once per process: a second call does nothing and returns
 * the threads the first one changed. Returns how many threads were changed; 0 off Linux, from a
 * worker thread, or for `nice` 0. Throws RangeError for a value outside 0-19.
 */
export function lowerBackgroundThreads(nice: number): number {
  checkBackgroundNice(nice);
  if (lowered !== null) return lowered;
  if (!isMainThread || nice === 0) return 0;
  lowered = 0;
  let tids: string[];
  try { tids = readdirSync('/proc/self/task'); } catch { return 0; }
  const slices = new Set(sliceThreadIds.subarray(1, 1 + Math.min(REGISTRY_SLOTS, Atomics.load(sliceThreadIds, 0))));
  for (const t of tids) {
    const tid = Number(t);
    if (tid === process.pid || slices.has(tid)) continue;
    try {
      setPriority(tid, nice);
      lowered++;
    } catch {
      // the thread ended meanwhile, or the system refused: it keeps its priority
    }
  }
  return lowered;
}
