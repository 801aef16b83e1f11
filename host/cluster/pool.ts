// The slice worker pool: a piscina pool of threads that share the engine's WASM memory. A plan
// fragment runs as one task per slice; each task reads its slice's chunks from shared memory and
// returns its output rows. Fragments over few rows run in the leader's thread instead (a round
// trip to a worker costs about as much as filtering 300K rows: research/deps.md §3).
import { Piscina } from 'piscina';
import { unshareBatch, type Batch } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import { childrenOf, type PNode } from '../plan/physical.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { pruneChunks, scanTest } from '../storage/zone-prune.js';
import { inlineExecutor, LEADER, type ExchangeInputs, type RunEnv, type SliceExecutor } from './runner.js';
import type { SliceTask, SliceTaskResult } from './slice-task.js';
import type { CopyTask } from './copy-task.js';

/** Fragments that touch fewer rows than this (over all slices) run in the leader's thread. */
export const INLINE_ROWS = 200_000;

export class WorkerExecutor implements SliceExecutor {
  private constructor(private readonly pool: Piscina, readonly threads: number) {}

  static async start(memory: WebAssembly.Memory, slices: number): Promise<WorkerExecutor> {
    const threads = slices;
    const pool = new Piscina({
      filename: new URL('./slice-worker.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { memory },
    });
    // Each worker instantiates and warms the kernels as it starts; wait until all are up.
    await Promise.all(Array.from({ length: threads }, () => pool.run({ kind: 'ping' })));
    return new WorkerExecutor(pool, threads);
  }

  async runOnSlices(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): Promise<Batch[]> {
    if (rowsTouched(fragment, slices, inputs, env) < INLINE_ROWS) return inlineExecutor.runOnSlices(fragment, slices, inputs, env);
    const table = morselTable(fragment);
    if (table !== null && slices.length > 1) return this.runMorsels(fragment, table, slices, env);
    return this.runTasks(fragment, slices, inputs, env);
  }

  /**
   * A fragment that scans one table and neither joins nor reads an exchange does not depend on
   * which slice a row is on: every worker pulls the next chunk of any slice from a shared atomic
   * counter (morsel-driven), so a skewed slice does not leave a worker idle. Its consumer is an
   * exchange, which routes rows by value, not by the slice that produced them.
   */
  private async runMorsels(fragment: PNode, table: number, slices: number[], env: RunEnv): Promise<Batch[]> {
    const chunks: ChunkDesc[] = [];
    const scan = findScan(fragment, table)!;
    for (const s of slices) chunks.push(...scanChunks(env, scan, s, true));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const tasks = Array.from({ length: Math.min(this.threads, slices.length) }, (_, w) => {
      const task: SliceTask = { kind: 'run', fragment, slice: w, slices: env.slices, tables: { [table]: chunks }, inputs: {}, eval: env.eval, cancel: env.cancelFlag, morsels: { table, counter } };
      return this.pool.run(task) as Promise<SliceTaskResult>;
    });
    const results = await untilCancelled(Promise.all(tasks), env.cancelFlag);
    const out = results.map((r) => {
      if (r.error) throw SqlError.fromUnknown(r.error);
      return r.batch!;
    });
    // Callers expect one output per slice: the workers' outputs, then empty ones.
    while (out.length < slices.length) out.push({ columns: fragment.types.map((t) => ({ type: t, length: 0, data: [], valid: null })), length: 0 });
    return out;
  }

  private async runTasks(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): Promise<Batch[]> {
    const tasks = slices.map((s) => {
      const tables: Record<number, readonly ChunkDesc[]> = {};
      forEachScan(fragment, (scan) => {
        if (scan.replica === 'once' && s !== 0) { tables[scan.table] = []; return; }
        tables[scan.table] = scanChunks(env, scan, scan.replica === 'slice' ? Math.max(0, s) : 0, true);
      });
      const mine: Record<number, Batch[]> = {};
      for (const [id, sites] of inputs) mine[id] = (sites.get(s) ?? []).map(unshareBatch);
      const task: SliceTask = { kind: 'run', fragment, slice: s, slices: env.slices, tables, inputs: mine, eval: env.eval, cancel: env.cancelFlag };
      return this.pool.run(task) as Promise<SliceTaskResult>;
    });
    const results = await untilCancelled(Promise.all(tasks), env.cancelFlag);
    return results.map((r) => {
      if (r.error) throw SqlError.fromUnknown(r.error);
      return r.batch!;
    });
  }

  async runOnLeader(fragment: PNode, inputs: ExchangeInputs, env: RunEnv): Promise<Batch> {
    // The leader's event loop serves every connection: a big final step runs on a worker, where a
    // CancelRequest or statement_timeout can also stop it.
    if (rowsTouched(fragment, [LEADER], inputs, env) < INLINE_ROWS) return inlineExecutor.runOnLeader(fragment, inputs, env);
    const [batch] = await this.runTasks(fragment, [LEADER], inputs, env);
    return batch!;
  }

  /** Runs one task of another kind than a plan fragment (a parallel COPY's: host/cluster/copy-task.ts) on a worker. */
  runTask<R>(task: CopyTask): Promise<R> { return this.pool.run(task) as Promise<R>; }

  async close(): Promise<void> { await this.pool.destroy(); }
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
  return pruneChunks(env.chunks(scan.table, slice), scanTest(scan.filter, scan.cols), count ? env.zoneStats : undefined);
}

function findScan(n: PNode, table: number): Extract<PNode, { op: 'scan' }> | undefined {
  let found: Extract<PNode, { op: 'scan' }> | undefined;
  forEachScan(n, (s) => { if (s.table === table && !found) found = s; });
  return found;
}

function rowsTouched(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): number {
  let rows = 0;
  forEachScan(fragment, (scan) => {
    for (const s of scan.replica === 'slice' ? slices : [0]) for (const c of scanChunks(env, scan, Math.max(0, s), false)) rows += c.rows;
  });
  for (const sites of inputs.values()) for (const s of slices) for (const b of sites.get(s) ?? []) rows += b.length;
  return rows;
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
function untilCancelled<T>(work: Promise<T>, cancel: Int32Array): Promise<T> {
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const v = Atomics.load(cancel, 0);
      if (v !== 0) reject(new SqlError(SqlState.queryCanceled, v === 2 ? 'canceling statement due to statement timeout' : 'canceling statement due to user request'));
    }, 25);
  });
  return Promise.race([work, watch]).finally(() => clearInterval(timer));
}
