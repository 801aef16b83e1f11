// The slice worker pool: a piscina pool of threads that share the engine's WASM memory. A plan
// fragment runs as one task per slice; each task reads its slice's chunks from shared memory and
// returns its output rows. Fragments over few rows run in the leader's thread instead (a round
// trip to a worker costs about as much as filtering 300K rows: research/deps.md §3).
import { Piscina } from 'piscina';
import { concatBatches, unshareBatch, type Batch } from '../batch/vector.js';
import { internal, SqlError, SqlState } from '../common/errors.js';
import { childrenOf, scanReadCols, type PNode } from '../plan/physical.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { pruneChunks, scanTest } from '../storage/zone-prune.js';
import { inlineExecutor, LEADER, partitionByHash, type ExchangeInputs, type HashRoute, type RunEnv, type SliceExecutor } from './runner.js';
import { collect } from '../exec/operators.js';
import { newExecContext } from '../exec/exec-context.js';
import { decodeChunk } from '../storage/chunk-store.js';
import { mapIterable, pullMorsels } from './morsel-pull.js';
import type { SliceTask, SliceTaskResult } from './slice-task.js';
import { fromShared, isShared, toShared, type SharedBatch } from './exchange-buffer.js';
import { PageAllocator } from '../wasm/memory.js';
import { TaskTables } from './task-tables.js';
import { withdrawWhenDrained, type Dispatched } from './morsel-withdraw.js';
import { ChunkRefs, type TableScan } from './chunk-refs.js';
import { FragmentCosts } from './fragment-costs.js';
import { sliceThreadIds } from './thread-priority.js';

/** The descriptor of each exchange batch that views the shared memory, so it is passed on as is. */
const sharedOrigin = new WeakMap<Batch, SharedBatch>();
import type { CopyTask } from './copy-task.js';
import type { RuntimeFilter } from '../exec/runtime-filter.js';

/** Fragments that touch fewer rows than this (over all slices) run in the leader's thread. */
export const INLINE_ROWS = 200_000;

/**
 * A fragment over several slices that the workers run (not morsel-driven) has one slice run by the
 * leader when that slice touches at most this many rows (WorkerExecutor.leaderSlice): at SF 1 every
 * TPC-H join fragment's slice but Q21's, tens of milliseconds of the leader's event loop at most.
 */
export const LEADER_SLICE_ROWS = 5_000_000;

/**
 * A fragment of a cached plan whose last run took less than this many milliseconds of CPU, over
 * all the process's threads, runs in the leader's thread whatever rows it touches. Sent to a
 * worker, it would save at most half of that on a quiet 2-core machine, less the round trip (0.3
 * to 0.6 ms to wake the worker and take its answer, several ms when the cores are busy), while
 * two threads on one fragment take more CPU than one (ADR 0033).
 */
export const INLINE_CPU_MS = 3;

export class WorkerExecutor implements SliceExecutor {
  private readonly pages: PageAllocator;
  /** Which chunk descriptors the workers hold (tasks name those by number). */
  private refs: ChunkRefs;

  /**
   * How long a task may have its result ready (its `done` word set) without the result reaching
   * this thread before the watchdog calls it lost: the statement fails with XX000 and the pool is
   * replaced, instead of the statement waiting forever on a promise that never settles.
   */
  lostResultMs = 10_000;
  /** Fragments that touch fewer rows than this run in the leader's thread (INLINE_ROWS; tests and measurements change it). */
  inlineRows = INLINE_ROWS;
  /** The most rows a slice may touch for the leader to run it beside the workers' slices (LEADER_SLICE_ROWS; -1: never). */
  leaderSliceRows = LEADER_SLICE_ROWS;
  /** Fragments whose last run took less CPU than this (ms) run in the leader's thread (INLINE_CPU_MS; 0: never). */
  inlineCpuMs = INLINE_CPU_MS;
  /** The CPU each fragment of a cached plan took when it last ran (host/cluster/fragment-costs.ts). */
  private readonly costs = new FragmentCosts();
  /**
   * Fragment tasks posted to the workers, those sent again because a worker lacked a chunk
   * descriptor, the slices (or morsel shares) the leader ran beside them, and the fragments over
   * inlineRows that ran in the leader's thread because their last run took little CPU (inlineCpuMs).
   */
  readonly taskStats = { tasks: 0, resent: 0, leader: 0, cheap: 0 };
  /** Test hook: the next task dispatched simulates a lost result (SliceTask.testLoseResult). */
  loseNextResult = false;

  private constructor(private pool: Piscina, readonly threads: number, private readonly memory: WebAssembly.Memory) {
    this.pages = PageAllocator.attach(memory);
    this.refs = new ChunkRefs();
  }

  private static makePool(memory: WebAssembly.Memory, threads: number): Piscina {
    return new Piscina({
      filename: new URL('./slice-worker.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { memory, threadIds: sliceThreadIds },
    });
  }

  static async start(memory: WebAssembly.Memory, slices: number): Promise<WorkerExecutor> {
    const threads = slices;
    const pool = WorkerExecutor.makePool(memory, threads);
    // Each worker instantiates and warms the kernels as it starts; wait until all are up.
    await Promise.all(Array.from({ length: threads }, () => pool.run({ kind: 'ping' })));
    return new WorkerExecutor(pool, threads, memory);
  }

  /**
   * Posts a fragment task with its watchdog word. Its tables go by reference (host/cluster/chunk-refs.ts);
   * a worker that lacks a descriptor answers `missing` and gets the task again with all of them.
   */
  private dispatch(task: Omit<SliceTask, 'tables' | 'defs' | 'done'>, scans: ReadonlyMap<number, TableScan>): Dispatched {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const lose = this.loseNextResult;
    this.loseNextResult = false;
    const refs = this.refs;
    const send = (everything: boolean): Promise<SliceTaskResult> => {
      const { tables, defs, sent } = refs.encode(scans, everything);
      const message: SliceTask = { ...task, tables, ...(defs ? { defs } : {}), done, ...(lose ? { testLoseResult: true } : {}) };
      return (this.pool.run(message) as Promise<SliceTaskResult>).then((r) => {
        if (!r.missing) refs.received(sent);
        return r;
      });
    };
    this.taskStats.tasks++;
    const promise = send(false).then((r) => {
      if (!r.missing) return r;
      this.taskStats.resent++;
      return send(true);
    });
    return { promise, done };
  }

  /** Replaces a pool that lost a task's result: its workers are terminated, new ones start. */
  private replacePool(): void {
    const old = this.pool;
    this.pool = WorkerExecutor.makePool(this.memory, this.threads);
    this.refs = new ChunkRefs();
    void retire(old);
  }

  async runOnSlices(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv, route?: HashRoute, placed?: boolean, key?: object): Promise<Batch[][]> {
    if (rowsTouched(fragment, slices, inputs, env) < this.inlineRows) return inlineExecutor.runOnSlices(fragment, slices, inputs, env, route);
    // CPU, not elapsed time: a run that waited for a core says nothing of what the fragment costs
    const cpu = process.cpuUsage();
    if (this.costs.cheap(key, this.inlineCpuMs)) {
      this.taskStats.cheap++;
      const start = performance.now();
      const out = await inlineExecutor.runOnSlices(fragment, slices, inputs, env, route);
      // All of it ran in this thread, so its elapsed time bounds it too: the process's CPU also
      // counts V8's compiler and GC threads, which may be busy with earlier work meanwhile.
      this.costs.ran(key, Math.min(performance.now() - start, cpuMs(cpu)));
      return out;
    }
    const table = placed ? null : morselTable(fragment);
    this.running++;
    try {
      const out = table !== null && slices.length > 1 ? await this.runMorsels(fragment, table, slices, env, route) : await this.runTasks(fragment, slices, inputs, env, route);
      this.costs.ran(key, cpuMs(cpu));
      return out;
    } finally {
      this.running--;
    }
  }

  /** Fragments on the workers now, of all statements: one statement runs its fragments one at a time. */
  private running = 0;

  /**
   * Whether the leader may take a share of a fragment: only while it is the one running, since a
   * share holds the leader's event loop, which other statements need to post and receive theirs.
   */
  private get leaderMayShare(): boolean { return this.leaderSliceRows > 0 && this.running === 1; }

  /** Every task's output parts as batches (all taken in before a task's error is raised). */
  private receiveAll(results: SliceTaskResult[], env: RunEnv): Batch[][] {
    const out = results.map((r) => (r.error ? [] : this.receive(r, env)));
    const failed = results.find((r) => r.error);
    if (failed) throw SqlError.fromUnknown(failed.error);
    return out;
  }

  /** A task's output parts as batches; shared ones view the memory and are freed with the statement. */
  private receive(r: SliceTaskResult, env: RunEnv): Batch[] {
    return r.parts!.map((p) => {
      if (!isShared(p)) return p;
      const b = fromShared(p, this.memory);
      if (env.exchangeBuffers) {
        if (p.ptr) env.exchangeBuffers.push(p.ptr);
        sharedOrigin.set(b, p);
        return b;
      }
      const copy = unshareBatch(b);
      if (p.ptr) this.pages.free(p.ptr);
      return copy;
    });
  }

  /**
   * A batch the leader made (a fragment it ran inline) as a shared exchange buffer, once per
   * dispatch (`done`): a broadcast posts the same descriptor to every slice instead of serializing
   * the rows (strings above all) for each. Freed with the statement; a copy when the memory is full
   * or no statement owns the buffers. Not remembered past the dispatch: the batch may outlive the
   * statement (a cached decode) while its buffer does not.
   */
  private share(b: Batch, env: RunEnv, done: Map<Batch, SharedBatch>): Batch | SharedBatch {
    if (!env.exchangeBuffers || b.length === 0) return unshareBatch(b);
    const seen = done.get(b);
    if (seen) return seen;
    const shared = toShared([b], this.pages, this.memory);
    if (!shared) return unshareBatch(b);
    if (shared.ptr) env.exchangeBuffers.push(shared.ptr);
    done.set(b, shared);
    return shared;
  }

  /** Frees exchange buffers; each page run once. */
  releaseBuffers(ptrs: number[]): void {
    for (const p of new Set(ptrs)) this.pages.free(p);
    ptrs.length = 0;
  }

  /**
   * A fragment that scans one table and neither joins nor reads an exchange does not depend on
   * which slice a row is on: every worker pulls the next chunk of any slice from a shared atomic
   * counter (morsel-driven), so a skewed slice does not leave a worker idle. Its consumer is an
   * exchange, which routes rows by value, not by the slice that produced them.
   */
  private async runMorsels(fragment: PNode, table: number, slices: number[], env: RunEnv, route?: HashRoute): Promise<Batch[][]> {
    const chunks: ChunkDesc[] = [];
    const scan = findScan(fragment, table)!;
    for (const s of slices) chunks.push(...scanChunks(env, scan, s, true));
    const out: Batch[][] = [];
    // Chunks read from block files are pinned a window at a time, so a table larger than the
    // residency limit is scanned in pieces that each fit (host/storage/chunk-store.ts, ADR 0012).
    const cols = scanReadCols(scan);
    // The leader pulls morsels too, in place of one worker (see leaderSlice), up to leaderSliceRows rows.
    const threads = Math.min(this.threads, slices.length);
    const leader = this.leaderMayShare && threads > 1;
    const workers = threads - (leader ? 1 : 0);
    for (const window of scanWindows(chunks, cols, env)) {
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const claims = new Int32Array(new SharedArrayBuffer(4 * workers));
      env.store?.pin(window, cols);
      const scans = new Map([[table, { chunks: window, cols }]]);
      const { tasks, drained } = withdrawWhenDrained(Array.from({ length: workers }, (_, w) => {
        return this.dispatch({ kind: 'run', fragment, slice: w, slices: env.slices, inputs: {}, eval: env.eval, cancel: env.cancelFlag, morsels: { table, counter, claims }, ...(route ? { route } : {}), ...filtersFor(fragment, env) }, scans);
      }), counter, window.length, claims);
      let own: Batch[] = [];
      let ownFailure: { error: unknown } | undefined;
      if (leader) {
        this.taskStats.leader++;
        try { own = this.leaderMorsels(fragment, table, window, counter, env, route); } catch (error) { ownFailure = { error }; }
        // every morsel the leader took: a worker that has not woken yet is not waited for
        drained();
      }
      const got = this.receiveAll(await pinnedWhile(env, window, tasks.map((t) => t.promise), () => this.settle(tasks, env)), env);
      if (ownFailure) throw ownFailure.error;
      if (leader) got.push(own);
      got.forEach((parts, i) => { out[i] = out[i] ? addWindow(out[i]!, parts, fragment.types, route !== undefined) : parts; });
    }
    // Callers expect one output per slice: the workers' outputs, then empty ones.
    while (out.length < slices.length) out.push([]);
    return out;
  }

  /**
   * The leader's share of a morsel-driven scan window: it runs the fragment in its own thread over
   * the morsels it pulls from the workers' counter, until it has taken leaderSliceRows rows. Chunks
   * that may be evicted are copied out (the window's pin ends before its rows are used).
   */
  private leaderMorsels(fragment: PNode, table: number, window: readonly ChunkDesc[], counter: Int32Array, env: RunEnv, route?: HashRoute): Batch[] {
    const memory = this.memory, store = env.store;
    const pull = (t: number): Iterable<ChunkDesc> => {
      if (t !== table) throw internal('a morsel-driven fragment scans one table');
      return pullMorsels(window, counter, this.leaderSliceRows);
    };
    const ctx = newExecContext({
      eval: env.eval, slice: 0, slices: env.slices,
      scan: (t, _slice, cols) => mapIterable(pull(t), (c) => (store ? store.scanBatch(c, cols) : decodeChunk(c, cols, memory))),
      scanChunks: (t, _slice, cols) => (store ? store.scanChunks(pull(t), cols) : mapIterable(pull(t), (desc) => ({ desc, memory, stable: true }))),
      recv: () => [], checkCancel: env.checkCancel, kernels: env.kernels, runtimeFilters: env.runtimeFilters,
    });
    const rows = collect(fragment, ctx);
    return route ? partitionByHash(rows, route, env.slices, env.eval) : [rows];
  }

  private async runTasks(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv, route?: HashRoute): Promise<Batch[][]> {
    // A fragment that is not morsel-driven (joins, exchange inputs) keeps all its chunks pinned.
    const pinned: ChunkDesc[] = [];
    const sharedHere = new Map<Batch, SharedBatch>();
    // only the exchanges this fragment reads go with its tasks (a plan's inputs hold all of its exchanges)
    const reads = exchangesRead(fragment);
    const own = this.leaderSlice(fragment, slices, inputs, env);
    const posted = slices.filter((s) => s !== own);
    const tasks = posted.map((s) => {
      const scanned = new TaskTables();
      forEachScan(fragment, (scan) => {
        if (scan.replica === 'once' && s !== 0) { scanned.addEmpty(scan.table); return; }
        const slice = scan.replica === 'slice' ? Math.max(0, s) : 0;
        const chunks = scanChunks(env, scan, slice, true);
        const cols = scanReadCols(scan);
        pinned.push(...chunks);
        env.store?.pin(chunks, cols);
        scanned.add(scan.table, env.chunks(scan.table, slice), chunks, cols);
      });
      const mine: Record<number, (Batch | SharedBatch)[]> = {};
      // Batches in shared exchange buffers go as their descriptors; others as copies (ADR 0008).
      for (const id of reads) mine[id] = (inputs.get(id)?.get(s) ?? []).map((b) => sharedOrigin.get(b) ?? this.share(b, env, sharedHere));
      // after pinning, which reads the columns of chunks not in memory into their descriptors
      return this.dispatch({ kind: 'run', fragment, slice: s, slices: env.slices, inputs: mine, eval: env.eval, cancel: env.cancelFlag, ...(route ? { route } : {}), ...filtersFor(fragment, env) }, scanned.scans());
    });
    // The leader's own slice runs here while the workers run theirs (its errors wait for theirs to settle).
    let ownOutput: Batch[] = [];
    let ownFailure: { error: unknown } | undefined;
    if (own !== undefined) {
      this.taskStats.leader++;
      try { [ownOutput] = (await inlineExecutor.runOnSlices(fragment, [own], inputs, env, route)) as [Batch[]]; } catch (error) { ownFailure = { error }; }
    }
    const got = this.receiveAll(await pinnedWhile(env, pinned, tasks.map((t) => t.promise), () => this.settle(tasks, env)), env);
    if (ownFailure) throw ownFailure.error;
    return slices.map((s) => (s === own ? ownOutput : got[posted.indexOf(s)]!));
  }

  /**
   * The slice of a fragment the leader runs itself while the workers run the others, or undefined.
   * The leader only waits while its workers run, so taking a slice costs no parallelism; it saves
   * that slice's round trip to a worker (waking a thread, exporting its rows to shared memory and
   * reading them back) and runs the code the leader's JIT has warmed on every statement (a worker
   * sees a share of them). The slice touching the fewest rows is taken, and only when it touches at
   * most leaderSliceRows, so the leader's event loop (every connection's, and the CancelRequest
   * that would stop the statement) is not held for long.
   */
  private leaderSlice(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): number | undefined {
    if (slices.length < 2 || slices.includes(LEADER) || !this.leaderMayShare) return undefined;
    let best: number | undefined, bestRows = this.leaderSliceRows;
    for (const s of slices) {
      const rows = rowsTouched(fragment, [s], inputs, env);
      if (rows <= bestRows) { best = s; bestRows = rows; }
    }
    return best;
  }

  /**
   * Waits for every task (also when one fails or the statement is cancelled, so no task still
   * writes into buffers the statement frees). Exchange buffers of finished tasks are kept in
   * env.exchangeBuffers (freed by the runner) before an error is raised.
   */
  private async settle(dispatched: Dispatched[], env: RunEnv): Promise<SliceTaskResult[]> {
    const tasks = dispatched.map((d) => d.promise);
    const all = Promise.allSettled(tasks);
    try {
      await untilCancelled(all, env.cancelFlag, this.lostResultWatch(dispatched));
    } catch (e) {
      // cancelled: let the tasks (which check the same cancel word) finish, then free what they made
      // (each as it answers: a lost one never does, and the pages its descriptor named stay allocated)
      for (const t of tasks) t.then((r) => { for (const p of r.parts ?? []) if (isShared(p) && p.ptr) this.pages.free(p.ptr); }, () => {});
      throw e;
    }
    const rs = await all;
    const failed = rs.find((r) => r.status === 'rejected');
    if (failed) {
      for (const r of rs) if (r.status === 'fulfilled') for (const p of r.value.parts ?? []) if (isShared(p) && p.ptr) this.pages.free(p.ptr);
      throw (failed as PromiseRejectedResult).reason;
    }
    return rs.map((r) => (r as PromiseFulfilledResult<SliceTaskResult>).value);
  }

  /**
   * A check for untilCancelled: throws XX000 (and replaces the pool) when a task has had its result
   * ready for lostResultMs without its promise settling. Structured clone can fail on the receiving
   * side ('messageerror'), which the pool never turns into a rejection (ADR 0008).
   */
  private lostResultWatch(dispatched: Dispatched[]): () => void {
    const settled = dispatched.map(() => false);
    dispatched.forEach((d, i) => { d.promise.then(() => { settled[i] = true; }, () => { settled[i] = true; }); });
    const readySince = dispatched.map(() => 0);
    return () => {
      const now = Date.now();
      for (let i = 0; i < dispatched.length; i++) {
        if (settled[i] || Atomics.load(dispatched[i]!.done, 0) === 0) continue;
        if (readySince[i] === 0) readySince[i] = now;
        else if (now - readySince[i]! > this.lostResultMs) {
          this.replacePool();
          throw new SqlError(SqlState.internalError, 'a slice task finished but its result never reached the leader', {
            detail: `No answer ${now - readySince[i]!} ms after the worker had its result; the slice worker pool was restarted.`,
          });
        }
      }
    };
  }

  async runOnLeader(fragment: PNode, inputs: ExchangeInputs, env: RunEnv): Promise<Batch> {
    // The leader's event loop serves every connection: a big final step runs on a worker, where a
    // CancelRequest or statement_timeout can also stop it.
    if (rowsTouched(fragment, [LEADER], inputs, env) < this.inlineRows) return inlineExecutor.runOnLeader(fragment, inputs, env);
    const [parts] = await this.runTasks(fragment, [LEADER], inputs, env);
    return parts![0]!;
  }

  /** Runs one task of another kind than a plan fragment (a parallel COPY's: host/cluster/copy-task.ts) on a worker. */
  runTask<R>(task: CopyTask): Promise<R> { return this.pool.run(task) as Promise<R>; }

  async close(): Promise<void> { await retire(this.pool); }
}

/** Milliseconds of CPU the process's threads used since `since` (a process.cpuUsage()). */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/**
 * Destroys a pool. A worker may still answer a task the pool has dropped as it shuts down: the
 * stuck task of a lost result, or a morsel task the leader withdrew (host/cluster/morsel-withdraw.ts)
 * that its worker picks up late. Piscina reports such an answer as an 'error' event, which nothing
 * else listens to on a pool being destroyed, and an unheard 'error' event would end the process.
 */
async function retire(pool: Piscina): Promise<void> {
  pool.on('error', () => {});
  await pool.destroy().catch(() => {});
}

/**
 * A worker's output over all scan windows so far plus its output for the next window. Without a
 * route, a worker's output is a list of parts; with one, it is indexed by destination slice, so
 * the parts for each destination are joined (appended, they would sit past the last slice's index
 * and a hash exchange, which reads index s for slice s, would drop them).
 */
function addWindow(sofar: Batch[], next: Batch[], types: PNode['types'], routed: boolean): Batch[] {
  if (!routed) return sofar.concat(next);
  return Array.from({ length: Math.max(sofar.length, next.length) }, (_, s) => {
    const a = sofar[s], b = next[s];
    if (a === undefined || b === undefined) return (a ?? b)!;
    return b.length === 0 ? a : a.length === 0 ? b : concatBatches(types, [a, b]);
  });
}

/** The run-time filters the leader built that the fragment's scans read (structured-cloned to the worker). */
function filtersFor(fragment: PNode, env: RunEnv): Pick<SliceTask, 'runtimeFilters'> {
  if (!env.runtimeFilters?.size) return {};
  const out: [number, RuntimeFilter][] = [];
  forEachScan(fragment, (scan) => {
    for (const r of scan.runtimeFilters ?? []) {
      const f = env.runtimeFilters!.get(r.id);
      if (f) out.push([r.id, f]);
    }
  });
  return out.length ? { runtimeFilters: out } : {};
}

function forEachScan(n: PNode, f: (s: Extract<PNode, { op: 'scan' }>) => void): void {
  if (n.op === 'scan') f(n);
  for (const c of childrenOf(n)) forEachScan(c, f);
}

/**
 * The chunks of a table on a slice that a scan needs: those its filter's zone maps cannot rule out
 * (host/storage/zone-prune.ts), chosen here so workers never see the others. `count`: add to the
 * engine's skip counters (once per dispatch, not for estimates).
 */
function scanChunks(env: RunEnv, scan: Extract<PNode, { op: 'scan' }>, slice: number, count: boolean): readonly ChunkDesc[] {
  return pruneChunks(env.chunks(scan.table, slice), scanTest(scan.filter, scanReadCols(scan)), count ? env.zoneStats : undefined);
}

/**
 * Splits a scan's chunk list into windows whose chunks fit in half the residency limit together
 * (at least one chunk each); one window when every chunk is resident already or there is no limit.
 */
function scanWindows(chunks: readonly ChunkDesc[], cols: readonly number[], env: RunEnv): (readonly ChunkDesc[])[] {
  const store = env.store;
  if (!store || !Number.isFinite(store.memoryLimit) || chunks.every((c) => store.isResident(c, cols))) return [chunks];
  const budget = store.memoryLimit / 2;
  const out: ChunkDesc[][] = [];
  let cur: ChunkDesc[] = [], bytes = 0;
  for (const c of chunks) {
    const size = store.sizeOf(c, cols);
    if (cur.length && bytes + size > budget) { out.push(cur); cur = []; bytes = 0; }
    cur.push(c);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Waits for tasks over `chunks`, which the caller pinned before it dispatched them (pinning reads
 * chunks not in memory), and unpins the chunks once every task has finished (also after a cancel
 * or a failure: a worker may still be reading them).
 */
async function pinnedWhile<T>(env: RunEnv, chunks: readonly ChunkDesc[], tasks: Promise<unknown>[], wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } finally {
    const store = env.store;
    if (store) void Promise.allSettled(tasks).then(() => store.unpin(chunks));
  }
}

function findScan(n: PNode, table: number): Extract<PNode, { op: 'scan' }> | undefined {
  let found: Extract<PNode, { op: 'scan' }> | undefined;
  forEachScan(n, (s) => { if (s.table === table && !found) found = s; });
  return found;
}

/**
 * The rows a fragment reads (scanned and received) plus the rows its joins are estimated to make:
 * a cross join of small tables reads little but can make millions of rows, and run inline it
 * would hold the leader's event loop (and every connection's CancelRequest) for all of them.
 */
function rowsTouched(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): number {
  let rows = 0;
  forEachScan(fragment, (scan) => {
    for (const s of scan.replica === 'slice' ? slices : [0]) for (const c of scanChunks(env, scan, Math.max(0, s), false)) rows += c.rows;
  });
  for (const id of exchangesRead(fragment)) for (const s of slices) for (const b of inputs.get(id)?.get(s) ?? []) rows += b.length;
  const joined = (n: PNode): void => {
    if (n.op === 'nljoin' || n.op === 'hashjoin') rows += n.est;
    if (n.op !== 'exchange') for (const c of childrenOf(n)) joined(c);
  };
  joined(fragment);
  return rows;
}

/** The ids of the exchanges a fragment reads (its `recv` nodes). */
function exchangesRead(n: PNode, out = new Set<number>()): Set<number> {
  if (n.op === 'recv') out.add(n.exchange);
  for (const c of childrenOf(n)) exchangesRead(c, out);
  return out;
}

/** The table of a fragment that may run morsel-driven, or null (joins, exchange inputs, replicas). */
function morselTable(n: PNode): number | null {
  let table: number | null = null;
  let ok = true;
  const visit = (x: PNode): void => {
    switch (x.op) {
      case 'scan':
        if (x.replica !== 'slice' || table !== null) ok = false;
        table = x.table;
        return;
      case 'filter': case 'project': visit(x.input); return;
      case 'agg': if (x.mode !== 'partial') ok = false; visit(x.input); return;
      default: ok = false;
    }
  };
  visit(n);
  return ok ? table : null;
}

/**
 * Resolves with `work`, or rejects with 57014 as soon as the statement's cancel word is set, so a
 * CancelRequest or statement_timeout returns control even if a worker task never answers.
 */
function untilCancelled<T>(work: Promise<T>, cancel: Int32Array, check?: () => void): Promise<T> {
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const v = Atomics.load(cancel, 0);
      if (v !== 0) reject(new SqlError(SqlState.queryCanceled, v === 2 ? 'canceling statement due to statement timeout' : 'canceling statement due to user request'));
      try { check?.(); } catch (e) { reject(e); }
    }, 25);
  });
  return Promise.race([work, watch]).finally(() => clearInterval(timer));
}
