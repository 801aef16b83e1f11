// The leader's dispatcher: runs a physical plan over the slices. Exchanges are materialized
// bottom-up: the input fragment runs on each slice (or the leader), its rows are routed (gather to
// the leader, hash to a slice, broadcast to all), and the fragment above reads them via `recv`.
import { type Batch, concatBatches, unshareBatch } from '../batch/vector.js';
import { internal } from '../common/errors.js';
import type { Expr } from '../plan/expr.js';
import type { EvalContext } from '../exec/eval.js';
import { collect, type ExecContext } from '../exec/operators.js';
import { newExecContext } from '../exec/exec-context.js';
import { childrenOf, type PNode } from '../plan/physical.js';
import { HashPartitioner } from './hash-partitioner.js';
import type { ChunkDesc } from '../storage/chunk.js';
import type { KernelContext } from '../exec/kernel-filter.js';
import type { ZoneStats } from '../storage/zone-prune.js';
import { buildJoinFilters, type RuntimeFilter } from '../exec/runtime-filter.js';
import { resolveProbeWithFilters } from './probe-first.js';
import type { ChunkStore } from '../storage/chunk-store.js';

/** Where a fragment's output goes: when set, each slice splits its rows by hash of these keys. */
export interface HashRoute { keys: Expr[] }

/** Runs fragments on slices: in the leader's thread, or in the slice worker pool. */
export interface SliceExecutor {
  /**
   * Runs `fragment` on each slice in `slices` and returns each slice's output rows: one batch, or,
   * with `route`, one batch per destination slice (index = slice number). Without `placed`, a scan
   * fragment may run morsel-driven, its outputs then per worker, not per slice; with it, output i
   * holds exactly the rows slices[i]'s data made (a consumer reads them on that slice). `key`: the
   * plan node the fragment was cut from, the same object each time a cached plan runs again, under
   * which the executor may remember what the fragment cost (host/cluster/fragment-costs.ts).
   */
  runOnSlices(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv, route?: HashRoute, placed?: boolean, key?: object): Promise<Batch[][]>;
  /** Runs the leader's fragment (final aggregation, merge, limit); off the event loop when it is big. */
  runOnLeader(fragment: PNode, inputs: ExchangeInputs, env: RunEnv): Promise<Batch>;
  /** Gives back the shared-memory exchange buffers a statement used (after its result was copied out). */
  releaseBuffers?(ptrs: number[]): void;
}

/** Rows delivered by exchanges, per exchange id: for each site (slice number, or -1 for the leader). */
export type ExchangeInputs = Map<number, Map<number, Batch[]>>;

export interface RunEnv {
  slices: number;
  eval: EvalContext;
  /** Reads table chunks (the leader's storage view for this statement). */
  scan: ExecContext['scan'];
  /** The same chunks undecoded, for scans that filter before decoding (ExecContext.scanChunks). */
  scanChunks?: ExecContext['scanChunks'];
  /** The chunk descriptors of a table on a slice (what a worker needs to scan it). */
  chunks(table: number, slice: number): readonly ChunkDesc[];
  /** Shared cancel word: 0 running, 1 cancelled, 2 timed out. */
  cancelFlag: Int32Array;
  checkCancel(): void;
  /** The leader thread's kernels (fragments run inline use them). */
  kernels?: KernelContext;
  /** Where chunk skipping by zone maps is counted (host/storage/zone-prune.ts). */
  zoneStats?: ZoneStats;
  /** Page runs of exchange buffers in the shared memory this statement owns (freed when it ends). */
  exchangeBuffers?: number[];
  /** The engine's chunk store: pins chunks read from block files while workers scan them. */
  store?: ChunkStore;
  /**
   * Kept subplan results of the statement, per `keep` exchange id (host/plan/shared-subplans.ts):
   * the first plan that reaches one computes it, later ones read it. Without it, each plan keeps its own.
   */
  kept?: Map<number, Map<number, Batch[]>>;
  /** Page runs of the kept results' buffers: freed when the statement ends, not when one plan does. */
  keptBuffers?: number[];
  /**
   * Run-time filters the leader built from a join's build side on every slice, by id, for the scans
   * of a fragment below the join's probe side exchange (host/plan/rules/runtime-filter.ts, remote).
   */
  runtimeFilters?: Map<number, RuntimeFilter>;
}

export const LEADER = -1;

export function makeContext(env: RunEnv, site: number, inputs: ExchangeInputs): ExecContext {
  return newExecContext({
    eval: env.eval,
    slice: site < 0 ? 0 : site,
    slices: env.slices,
    scan: env.scan,
    scanChunks: env.scanChunks,
    recv: (id) => inputs.get(id)?.get(site) ?? [],
    checkCancel: env.checkCancel,
    kernels: env.kernels,
    runtimeFilters: env.runtimeFilters,
  });
}

/** Runs fragments one slice after another in this thread (tiny inputs, tests, 1 slice). */
export const inlineExecutor: SliceExecutor = {
  async runOnSlices(fragment, slices, inputs, env, route) {
    return slices.map((s) => {
      const out = collect(fragment, makeContext(env, s, inputs));
      return route ? partitionByHash(out, route, env.slices, env.eval) : [out];
    });
  },
  async runOnLeader(fragment, inputs, env) {
    return collect(fragment, makeContext(env, LEADER, inputs));
  },
};

/** Runs a plan and returns its rows (on the leader). */
export async function runPlan(root: PNode, env: RunEnv, executor: SliceExecutor): Promise<Batch> {
  const inputs: ExchangeInputs = new Map();
  const owned: number[] = [];
  const scoped: RunEnv = { ...env, exchangeBuffers: owned, kept: env.kept ?? new Map(), keptBuffers: env.keptBuffers ?? owned, runtimeFilters: new Map() };
  try {
    const resolved = await resolveExchanges(root, scoped, executor, inputs, 'leader');
    const out = await executor.runOnLeader(resolved, inputs, scoped);
    // The result may view exchange buffers, which are freed below: copy it out first.
    return owned.length ? unshareBatch(out) : out;
  } finally {
    if (owned.length) executor.releaseBuffers?.(owned);
  }
}

/** Where a fragment runs: the leader, every slice, or slice 0 (an exchange's `from`). */
type Site = 'leader' | 'slices' | 'slice0';

async function resolveExchanges(n: PNode, env: RunEnv, executor: SliceExecutor, inputs: ExchangeInputs, site: Site): Promise<PNode> {
  if (n.op === 'exchange' && n.mode === 'keep') {
    let kept = env.kept?.get(n.id);
    if (!kept) {
      kept = await computeKept(n, env, executor, inputs);
      env.kept?.set(n.id, kept);
    }
    inputs.set(n.id, kept);
    return { op: 'recv', exchange: n.id, types: n.types, names: n.names, est: n.est };
  }
  if (n.op === 'exchange') {
    const input = await resolveExchanges(n.input, env, executor, inputs, n.from);
    const hashRoute = n.mode === 'hash' ? { keys: n.keys } : undefined;
    let outputs: Batch[][];
    if (n.from === 'leader') {
      const out = collect(input, makeContext(env, LEADER, inputs));
      outputs = [hashRoute ? partitionByHash(out, hashRoute, env.slices, env.eval) : [out]];
    } else {
      const sites = n.from === 'slice0' ? [0] : Array.from({ length: env.slices }, (_, i) => i);
      outputs = await executor.runOnSlices(input, sites, inputs, env, hashRoute, false, n);
    }
    env.checkCancel();
    inputs.set(n.id, route(n, outputs, env));
    return { op: 'recv', exchange: n.id, types: n.types, names: n.names, est: n.est };
  }
  const kids = childrenOf(n);
  if (kids.length === 0) return n;
  // A join whose filter from probe keys crosses its build side's exchange: its probe side first
  if (n.op === 'hashjoin' && n.runtimeFilters?.some((f) => f.remote && f.fromProbe)) {
    const left = await resolveProbeWithFilters(n, env, executor, inputs, site, (x) => resolveExchanges(x, env, executor, inputs, site));
    const right = await resolveExchanges(n.right, env, executor, inputs, site);
    return { ...n, left, right, runtimeFilters: n.runtimeFilters.filter((f) => !(f.remote && f.fromProbe)) };
  }
  // A join whose filter crosses its probe side's exchange: its build side first
  if (n.op === 'hashjoin' && n.runtimeFilters?.some((f) => f.remote)) {
    const right = await resolveBuildWithFilters(n, env, executor, inputs, site);
    return { ...n, left: await resolveExchanges(n.left, env, executor, inputs, site), right };
  }
  const newKids: PNode[] = [];
  for (const k of kids) newKids.push(await resolveExchanges(k, env, executor, inputs, site));
  switch (n.op) {
    case 'hashjoin': case 'nljoin': case 'setop': return { ...n, left: newKids[0]!, right: newKids[1]! };
    default: return { ...n, input: newKids[0]! } as PNode;
  }
}

/**
 * Computes a kept subplan where its uses read it (the leader, every slice, or slice 0): each site's
 * rows stay on that site, so a kept result hashed on a key still meets rows placed by that key
 * (DS_DIST_NONE joins above it stay co-located). Its exchange buffers live until the statement ends.
 */
async function computeKept(n: Extract<PNode, { op: 'exchange' }>, env: RunEnv, executor: SliceExecutor, inputs: ExchangeInputs): Promise<Map<number, Batch[]>> {
  const input = await resolveExchanges(n.input, env, executor, inputs, n.from);
  // A kept exchange (a broadcast read twice): its rows already sit on the sites that read them.
  if (input.op === 'recv') return inputs.get(input.exchange) ?? new Map();
  const keepEnv: RunEnv = env.keptBuffers ? { ...env, exchangeBuffers: env.keptBuffers } : env;
  const out = new Map<number, Batch[]>();
  if (n.from === 'leader') {
    const b = await executor.runOnLeader(input, inputs, keepEnv);
    out.set(LEADER, b.length > 0 ? [b] : []);
  } else {
    const sites = n.from === 'slice0' ? [0] : Array.from({ length: env.slices }, (_, i) => i);
    const outputs = await executor.runOnSlices(input, sites, inputs, keepEnv, undefined, false, n);
    sites.forEach((s, i) => out.set(s, (outputs[i] ?? []).filter((b) => b.length > 0)));
  }
  env.checkCancel();
  return out;
}

/**
 * Resolves a join's build side before its probe side and builds, from the build rows of every site,
 * the filters whose scans run below the probe side's exchange (host/plan/rules/runtime-filter.ts):
 * every slice's keys are in them, so they hold wherever the redistributed probe rows go. A build
 * side read from an exchange is that exchange's rows; one without exchanges is run on the sites
 * where the join runs, and run again by the join.
 */
async function resolveBuildWithFilters(n: Extract<PNode, { op: 'hashjoin' }>, env: RunEnv, executor: SliceExecutor, inputs: ExchangeInputs, site: Site): Promise<PNode> {
  const right = await resolveExchanges(n.right, env, executor, inputs, site);
  let build: Batch[];
  if (right.op === 'recv') {
    // a broadcast delivers the same batches to every site: each once
    build = [...new Set([...(inputs.get(right.exchange)?.values() ?? [])].flat())];
  } else if (site === 'leader') {
    build = [await executor.runOnLeader(right, inputs, env)];
  } else {
    const sites = site === 'slice0' ? [0] : Array.from({ length: env.slices }, (_, i) => i);
    build = (await executor.runOnSlices(right, sites, inputs, env, undefined, false, n.right)).flat();
  }
  env.checkCancel();
  buildJoinFilters(n, build.filter((b) => b.length > 0), env.eval, true, (env.runtimeFilters ??= new Map()));
  return right;
}

/** Delivers the producers' outputs to the sites that read the exchange. Broadcast and gather pass batches as they are. */
function route(n: Extract<PNode, { op: 'exchange' }>, outputs: Batch[][], env: RunEnv): Map<number, Batch[]> {
  const out = new Map<number, Batch[]>();
  switch (n.mode) {
    case 'gather': out.set(LEADER, outputs.flatMap((parts) => parts.filter((b) => b.length > 0))); break;
    case 'broadcast': {
      const all = outputs.flatMap((parts) => parts.filter((b) => b.length > 0));
      for (let s = 0; s < env.slices; s++) out.set(s, all);
      break;
    }
    case 'hash':
      for (let s = 0; s < env.slices; s++) out.set(s, outputs.map((parts) => parts[s]).filter((b): b is Batch => b !== undefined && b.length > 0));
      break;
    case 'keep': throw internal('a kept subplan is routed by computeKept');
  }
  return out;
}

/**
 * Splits rows by destination slice for a hash exchange: slice = hashValue(key) % slices, the hash
 * that places DISTKEY rows (host/storage/dist-hash.ts), so redistributed rows meet stored ones.
 * Returns one batch per slice (index = slice number).
 */
export function partitionByHash(b: Batch, route: HashRoute, slices: number, ctx: EvalContext): Batch[] {
  if (b.length === 0) return [];
  const p = new HashPartitioner(route.keys, slices, ctx);
  p.add(b);
  return p.pieces().map((parts) => concatBatches(b.columns.map((c) => c.type), parts));
}
