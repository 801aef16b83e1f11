// The leader's dispatcher: runs a physical plan over the slices. Exchanges are materialized
// bottom-up: the input fragment runs on each slice (or the leader), its rows are routed (gather to
// the leader, hash to a slice, broadcast to all), and the fragment above reads them via `recv`.
import { type Batch, concatBatches, gatherBatch, valueAt } from '../batch/vector.js';
import { evalExpr, valueKey, type EvalContext } from '../exec/eval.js';
import { collect, type ExecContext } from '../exec/operators.js';
import { keyFunction } from '../exec/keys.js';
import { childrenOf, type PNode } from '../plan/physical.js';
import { hashValue } from '../storage/dist-hash.js';
import type { ChunkDesc } from '../storage/chunk.js';
import type { KernelContext } from '../exec/kernel-filter.js';
import type { ZoneStats } from '../storage/zone-prune.js';

/** Runs fragments on slices: in the leader's thread, or in the slice worker pool. */
export interface SliceExecutor {
  /** Runs `fragment` on each slice in `slices` and returns each slice's output rows. */
  runOnSlices(fragment: PNode, slices: number[], inputs: ExchangeInputs, env: RunEnv): Promise<Batch[]>;
  /** Runs the leader's fragment (final aggregation, merge, limit); off the event loop when it is big. */
  runOnLeader(fragment: PNode, inputs: ExchangeInputs, env: RunEnv): Promise<Batch>;
}

/** Rows delivered by exchanges, per exchange id: for each site (slice number, or -1 for the leader). */
export type ExchangeInputs = Map<number, Map<number, Batch[]>>;

export interface RunEnv {
  slices: number;
  eval: EvalContext;
  /** Reads table chunks (the leader's storage view for this statement). */
  scan: ExecContext['scan'];
  /** The chunk descriptors of a table on a slice (what a worker needs to scan it). */
  chunks(table: number, slice: number): readonly ChunkDesc[];
  /** Shared cancel word: 0 running, 1 cancelled, 2 timed out. */
  cancelFlag: Int32Array;
  checkCancel(): void;
  /** The leader thread's kernels (fragments run inline use them). */
  kernels?: KernelContext;
  /** Where chunk skipping by zone maps is counted (host/storage/zone-prune.ts). */
  zoneStats?: ZoneStats;
}

export const LEADER = -1;

export function makeContext(env: RunEnv, site: number, inputs: ExchangeInputs): ExecContext {
  return {
    ...env.eval,
    slice: site < 0 ? 0 : site,
    slices: env.slices,
    scan: env.scan,
    recv: (id) => inputs.get(id)?.get(site) ?? [],
    checkCancel: env.checkCancel,
    ...(env.kernels ? { kernels: env.kernels } : {}),
  };
}

/** Runs fragments one slice after another in this thread (tiny inputs, tests, 1 slice). */
export const inlineExecutor: SliceExecutor = {
  async runOnSlices(fragment, slices, inputs, env) {
    return slices.map((s) => collect(fragment, makeContext(env, s, inputs)));
  },
  async runOnLeader(fragment, inputs, env) {
    return collect(fragment, makeContext(env, LEADER, inputs));
  },
};

/** Runs a plan and returns its rows (on the leader). */
export async function runPlan(root: PNode, env: RunEnv, executor: SliceExecutor): Promise<Batch> {
  const inputs: ExchangeInputs = new Map();
  const resolved = await resolveExchanges(root, env, executor, inputs);
  return executor.runOnLeader(resolved, inputs, env);
}

async function resolveExchanges(n: PNode, env: RunEnv, executor: SliceExecutor, inputs: ExchangeInputs): Promise<PNode> {
  if (n.op === 'exchange') {
    const input = await resolveExchanges(n.input, env, executor, inputs);
    let outputs: Batch[];
    if (n.from === 'leader') outputs = [collect(input, makeContext(env, LEADER, inputs))];
    else {
      const sites = n.from === 'slice0' ? [0] : Array.from({ length: env.slices }, (_, i) => i);
      outputs = await executor.runOnSlices(input, sites, inputs, env);
    }
    env.checkCancel();
    inputs.set(n.id, route(n, outputs, env));
    return { op: 'recv', exchange: n.id, types: n.types, names: n.names, est: n.est };
  }
  const kids = childrenOf(n);
  if (kids.length === 0) return n;
  const newKids: PNode[] = [];
  for (const k of kids) newKids.push(await resolveExchanges(k, env, executor, inputs));
  switch (n.op) {
    case 'hashjoin': case 'nljoin': case 'setop': return { ...n, left: newKids[0]!, right: newKids[1]! };
    default: return { ...n, input: newKids[0]! } as PNode;
  }
}

function route(n: Extract<PNode, { op: 'exchange' }>, outputs: Batch[], env: RunEnv): Map<number, Batch[]> {
  const out = new Map<number, Batch[]>();
  const nonEmpty = outputs.filter((b) => b.length > 0);
  switch (n.mode) {
    case 'gather': out.set(LEADER, nonEmpty); break;
    case 'broadcast': {
      const all = concatBatches(n.types, nonEmpty);
      for (let s = 0; s < env.slices; s++) out.set(s, [all]);
      break;
    }
    case 'hash': {
      const per: Batch[][] = Array.from({ length: env.slices }, () => []);
      for (const b of nonEmpty) {
        const keys = n.keys.map((k) => evalExpr(k, b, env.eval));
        const sel: number[][] = Array.from({ length: env.slices }, () => []);
        const single = keys.length === 1 ? keys[0]! : null;
        const keyOf = single ? null : keyFunction(keys, true);
        for (let i = 0; i < b.length; i++) {
          const v = single ? valueAt(single, i) : keyOf!(i);
          sel[hashValue(single ? v : valueKey(v)) % env.slices]!.push(i);
        }
        sel.forEach((s, t) => { if (s.length) per[t]!.push(gatherBatch(b, s, s.length)); });
      }
      per.forEach((bs, s) => out.set(s, bs));
      break;
    }
  }
  return out;
}
