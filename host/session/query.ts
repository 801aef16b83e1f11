// From a bound query to rows: optimizer rules, physical planning, init plans (uncorrelated
// subqueries) and the run on the slices. Shared by SELECT, INSERT ... SELECT, CTAS and EXPLAIN.
import { type Batch, batchToRows, unshareBatch, valueAt } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Binder } from '../bind/binder.js';
import { valueKey, type EvalContext } from '../exec/eval.js';
import type { BoundQuery, LNode } from '../plan/logical.js';
import { Lowerer } from '../plan/lower.js';
import { Cardinality, columnStats, type PlannerStats } from '../plan/cardinality.js';
import type { PNode } from '../plan/physical.js';
import { pushDownPredicates } from '../plan/rules/pushdown.js';
import { reorderJoins } from '../plan/rules/join-order.js';
import { reduceGroupedJoins } from '../plan/rules/semijoin-reduction.js';
import { aggregateEagerly } from '../plan/rules/eager-aggregation.js';
import { pruneJoinInputs } from '../plan/rules/prune-join-inputs.js';
import { repeatedSubtrees, unionOfReads } from '../plan/rules/shared-columns.js';
import { SHARE_MIN_ROWS, shareRepeatedSubplans } from '../plan/shared-subplans.js';
import { placeRuntimeFilters } from '../plan/rules/runtime-filter.js';
import { runPlan, type RunEnv, type SliceExecutor } from '../cluster/runner.js';

export interface PlannedQuery {
  root: PNode;
  initPlans: { plan: PNode; kind: 'value' | 'set' | 'exists' | 'unused' }[];
}

export function optimize(n: LNode, stats: PlannerStats, slices: number): LNode {
  return pruneJoinInputs(optimizeUnnarrowed(n, stats, slices));
}

/** The logical rules up to, not including, the narrowing of join inputs. */
function optimizeUnnarrowed(n: LNode, stats: PlannerStats, slices: number): LNode {
  let p = pushDownPredicates(n);
  // Rules that add nodes or columns get a fresh estimator over the plan they see.
  const card = (root: LNode) => new Cardinality(stats, columnStats(root, stats));
  let c = card(p);
  p = reorderJoins(p, c.rows, c.cs.ndv, c.cs.placement, slices);
  c = card(p);
  p = reduceGroupedJoins(p, c.rows);
  c = card(p);
  // A reduction's inner join (an aggregate blind to repeats) joins the same tables as the outer
  // query (TPC-H Q2): ordered by the same rule, the two come out alike and are computed once.
  p = reorderJoins(p, c.rows, c.cs.ndv, c.cs.placement, slices);
  c = card(p);
  p = aggregateEagerly(p, c);
  return pushDownPredicates(p);
}

/**
 * Optimizes the plans one statement runs together. Copies of one join in several of them (or twice
 * in one) keep the same columns when narrowed, the union of what their uses read, so that they
 * lower alike and are computed once (host/plan/rules/shared-columns.ts).
 */
export function optimizeTogether(roots: LNode[], stats: PlannerStats, slices: number): LNode[] {
  const plans = roots.map((n) => optimizeUnnarrowed(n, stats, slices));
  const groups = repeatedSubtrees(plans, (t) => stats.rows(t), SHARE_MIN_ROWS);
  if (groups.length === 0) return plans.map((p) => pruneJoinInputs(p));
  const readAt = new Map<LNode, ReadonlySet<number>>();
  for (const p of plans) pruneJoinInputs(p, { readAt });
  const widen = unionOfReads(groups, readAt);
  return plans.map((p) => pruneJoinInputs(p, { widen }));
}

/**
 * Plans a bound query for `slices` slices. A subtree the main plan and the init plans compute more
 * than once (a view or CTE read twice, a subquery repeating the main query's join) is computed
 * once per statement and kept (host/plan/shared-subplans.ts, ADR 0016). Hash joins then get their
 * run-time filters (host/plan/rules/runtime-filter.ts, ADR 0020).
 */
export function planQuery(q: BoundQuery, stats: PlannerStats, slices: number): PlannedQuery {
  const lower = (n: LNode) => new Lowerer(stats, slices).lowerRoot(n);
  const kinds = classifyInitPlans(q);
  const used = q.initPlans.map((_, i) => kinds[i] !== 'unused');
  const optimized = optimizeTogether([q.root, ...q.initPlans.filter((_, i) => used[i])], stats, slices);
  let nextOptimized = 0;
  const lowered = [q.root, ...q.initPlans].map((_, i) => (i === 0 || used[i - 1] ? lower(optimized[nextOptimized++]!) : null));
  // Unused init plans never run, so they cannot be the one use that computes a kept subplan.
  const live = lowered.filter((p): p is PNode => p !== null);
  // Run-time filters are placed last: a kept subplan's key must not depend on the joins reading it.
  const roots = placeRuntimeFilters(shareRepeatedSubplans(live).roots);
  let next = 0;
  const plans = lowered.map((p) => (p === null ? null : roots[next++]!));
  return {
    root: plans[0]!,
    initPlans: q.initPlans.map((p, i) => ({ plan: plans[i + 1] ?? lower(optimize(p, stats, slices)), kind: kinds[i] ?? 'value' })),
  };
}

function classifyInitPlans(q: BoundQuery): ('value' | 'set' | 'exists' | 'unused')[] {
  const kinds: ('value' | 'set' | 'exists' | 'unused')[] = q.initPlans.map(() => 'unused');
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    const x = e as Record<string, unknown>;
    if (x.k === 'plan') kinds[x.plan as number] = 'value';
    if (x.k === 'inplan') kinds[x.plan as number] = 'set';
    if (x.k === 'existsplan') kinds[x.plan as number] = 'exists';
    // A scanned table's definition holds no plan references: not walked (it is the largest part of a plan).
    for (const k in x) if (k !== 'table') { const v = x[k]; if (v && typeof v === 'object') visit(v); }
  };
  visit(q.root);
  for (const p of q.initPlans) visit(p);
  return kinds;
}

/** Runs the init plans, then the main plan; returns the result rows as one batch. */
export async function runQuery(pq: PlannedQuery, env: RunEnv, executor: SliceExecutor): Promise<Batch> {
  // Kept subplan results live for the statement: freed at its end, on error and on cancel too.
  const keptBuffers: number[] = [];
  try {
    const out = await runPlans(pq, { ...env, kept: new Map(), keptBuffers }, executor);
    // The result may view kept buffers, which are freed below: copy it out first.
    return keptBuffers.length ? unshareBatch(out) : out;
  } finally {
    if (keptBuffers.length) executor.releaseBuffers?.(keptBuffers);
  }
}

async function runPlans(pq: PlannedQuery, env: RunEnv, executor: SliceExecutor): Promise<Batch> {
  const planValues = new Map<number, unknown>();
  const planSets = new Map<number, { keys: Set<unknown>; hasNull: boolean }>();
  const evalCtx: EvalContext = { ...env.eval, planValues, planSets };
  const runEnv: RunEnv = { ...env, eval: evalCtx };
  for (let i = 0; i < pq.initPlans.length; i++) {
    const ip = pq.initPlans[i]!;
    if (ip.kind === 'unused') continue;
    const out = await runPlan(ip.plan, runEnv, executor);
    if (ip.kind === 'exists') { planValues.set(i, out.length > 0); continue; }
    if (ip.kind === 'set') {
      const keys = new Set<unknown>();
      let hasNull = false;
      const col = out.columns[0];
      for (let r = 0; r < out.length; r++) {
        const v = valueAt(col!, r);
        if (v === null) hasNull = true; else keys.add(valueKey(v));
      }
      planSets.set(i, { keys, hasNull });
      continue;
    }
    if (out.length > 1) throw new SqlError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
    planValues.set(i, out.length === 0 ? null : valueAt(out.columns[0]!, 0));
  }
  return runPlan(pq.root, runEnv, executor);
}

