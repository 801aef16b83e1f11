// The leader's side of a run-time filter from a join's probe keys that crosses the join's build side
// exchange (host/plan/rules/runtime-filter.ts, `fromProbe` + `remote`): the probe side is computed
// first, its rows kept on the sites where the join runs, and the filter built from all of them is
// handed to the fragment that scans and redistributes the build side (host/cluster/runner.ts).
import type { Batch } from '../batch/vector.js';
import { buildRuntimeFilter } from '../exec/runtime-filter.js';
import { evalExpr } from '../exec/eval.js';
import type { PNode } from '../plan/physical.js';
import { filterDomain } from '../plan/rules/runtime-filter.js';
import { LEADER, type ExchangeInputs, type RunEnv, type SliceExecutor } from './runner.js';

/** Probe sides with more rows than this at run time build no filter (the scan then keeps every row). */
const MAX_PROBE_ROWS = 4_000_000;

/**
 * Computes join `n`'s probe side (after `resolve` has materialized the exchanges in it) on the sites
 * where the join runs (`site`: the leader, every slice, or slice 0), stores each site's rows as an
 * input of this plan and returns a `recv` of them to put in the join's place, so the join reads them
 * where they were made instead of computing them again. The filters of `n` that are `fromProbe` and
 * `remote` are built from every site's probe keys into env.runtimeFilters: a build row is dropped
 * only when no probe row anywhere has its key, wherever the exchange would have sent it.
 */
export async function resolveProbeWithFilters(
  n: Extract<PNode, { op: 'hashjoin' }>, env: RunEnv, executor: SliceExecutor, inputs: ExchangeInputs,
  site: 'leader' | 'slices' | 'slice0', resolve: (p: PNode) => Promise<PNode>,
): Promise<PNode> {
  const left = await resolve(n.left);
  let perSite: Map<number, Batch[]>;
  let node: PNode = left;
  if (left.op === 'recv') {
    perSite = inputs.get(left.exchange) ?? new Map();
  } else {
    perSite = new Map();
    if (site === 'leader') {
      const b = await executor.runOnLeader(left, inputs, env);
      perSite.set(LEADER, b.length > 0 ? [b] : []);
    } else {
      // placed: the rows must stay on the slice whose data made them (the join is co-located there)
      const sites = site === 'slice0' ? [0] : Array.from({ length: env.slices }, (_, i) => i);
      const outputs = await executor.runOnSlices(left, sites, inputs, env, undefined, true, n.left);
      sites.forEach((s, i) => perSite.set(s, (outputs[i] ?? []).filter((b) => b.length > 0)));
    }
    const id = unusedExchangeId(inputs);
    inputs.set(id, perSite);
    node = { op: 'recv', exchange: id, types: left.types, names: left.names, est: left.est };
  }
  env.checkCancel();
  // a broadcast delivers the same batches to every site: each once
  const probe = [...new Set([...perSite.values()].flat())];
  let rows = 0;
  for (const b of probe) rows += b.length;
  if (rows > MAX_PROBE_ROWS) return node;
  const out = (env.runtimeFilters ??= new Map());
  for (const f of n.runtimeFilters ?? []) {
    if (!f.fromProbe || !f.remote) continue;
    const lk = n.leftKeys[f.key]!;
    const domain = filterDomain(lk.type, n.rightKeys[f.key]!.type);
    if (domain === null) continue;
    out.set(f.id, buildRuntimeFilter(probe.map((b) => evalExpr(lk, b, env.eval)), domain));
  }
  return node;
}

/** An exchange id no plan node uses: below every id the plan's inputs hold (plan ids are not negative). */
function unusedExchangeId(inputs: ExchangeInputs): number {
  let id = -1;
  for (const k of inputs.keys()) if (k <= id) id = k - 1;
  return id;
}
