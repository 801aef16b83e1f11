// From a bound query to rows: optimizer rules, physical planning, init plans (uncorrelated
// subqueries) and the run on the slices. Shared by SELECT, INSERT ... SELECT, CTAS and EXPLAIN.
import { type Batch, batchToRows, valueAt } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Binder } from '../bind/binder.js';
import { valueKey, type EvalContext } from '../exec/eval.js';
import type { BoundQuery, LNode } from '../plan/logical.js';
import { Lowerer, type PlannerStats } from '../plan/lower.js';
import type { PNode } from '../plan/physical.js';
import { pushDownPredicates } from '../plan/rules/pushdown.js';
import { reorderJoins, type RowEstimator } from '../plan/rules/join-order.js';
import { reduceGroupedJoins } from '../plan/rules/semijoin-reduction.js';
import { aggregateEagerly } from '../plan/rules/eager-aggregation.js';
import { pruneJoinInputs } from '../plan/rules/prune-join-inputs.js';
import { runPlan, type RunEnv, type SliceExecutor } from '../cluster/runner.js';

export interface PlannedQuery {
  root: PNode;
  initPlans: { plan: PNode; kind: 'value' | 'set' | 'exists' | 'unused' }[];
}

/** Estimated rows of a logical subtree, from table row counts and fixed selectivities. */
export function estimator(stats: PlannerStats): RowEstimator {
  const est: RowEstimator = (n: LNode): number => {
    switch (n.op) {
      case 'get': return Math.max(1, stats.rows(n.table));
      case 'values': return n.rows.length;
      case 'filter': return Math.max(1, est(n.input) * 0.25);
      case 'project': case 'sort': case 'distinct': return est(n.input);
      case 'limit': return est(n.input);
      case 'agg': return n.groups.length ? Math.max(1, est(n.input) / 10) : 1;
      case 'join': return n.kind === 'semi' || n.kind === 'anti' ? est(n.left) : Math.max(est(n.left), est(n.right));
      case 'setop': return est(n.left) + est(n.right);
      case 'window': return est(n.input);
    }
  };
  return est;
}

/** Which stored column each column id carries unchanged (through renaming projections). */
function lineage(n: LNode, out = new Map<number, { table: import('../catalog/catalog.js').TableDef; col: number }>()) {
  switch (n.op) {
    case 'get': n.cols.forEach((c, i) => out.set(c.id, { table: n.table, col: i })); break;
    case 'project':
      lineage(n.input, out);
      n.exprs.forEach((e, i) => { if (e.k === 'ref' && out.has(e.id)) out.set(n.cols[i]!.id, out.get(e.id)!); });
      break;
    case 'join': case 'setop': lineage(n.left, out); lineage(n.right, out); break;
    case 'values': break;
    default: lineage(n.input, out);
  }
  return out;
}

export function optimize(n: LNode, stats: PlannerStats): LNode {
  let p = pushDownPredicates(n);
  const lin = lineage(p);
  const ndv = (id: number) => { const l = lin.get(id); return l && stats.ndv ? stats.ndv(l.table, l.col) : undefined; };
  p = reorderJoins(p, estimator(stats), ndv);
  p = reduceGroupedJoins(p, estimator(stats));
  p = aggregateEagerly(p, estimator(stats), ndv);
  p = pushDownPredicates(p);
  return pruneJoinInputs(p);
}

/** Plans a bound query for `slices` slices. */
export function planQuery(q: BoundQuery, stats: PlannerStats, slices: number): PlannedQuery {
  const lower = (n: LNode) => new Lowerer(stats, slices).lowerRoot(optimize(n, stats));
  const kinds = classifyInitPlans(q);
  return {
    root: lower(q.root),
    initPlans: q.initPlans.map((p, i) => ({ plan: lower(p), kind: kinds[i] ?? 'value' })),
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
    for (const v of Object.values(x)) if (v && typeof v === 'object') visit(v);
  };
  visit(q.root);
  for (const p of q.initPlans) visit(p);
  return kinds;
}

/** Runs the init plans, then the main plan; returns the result rows as one batch. */
export async function runQuery(pq: PlannedQuery, env: RunEnv, executor: SliceExecutor): Promise<Batch> {
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

