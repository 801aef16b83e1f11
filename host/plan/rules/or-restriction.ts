// Rule helper for predicate pushdown (host/plan/rules/pushdown.ts): from a join condition that is an OR
// of AND-branches over both join inputs, derives the restriction it implies on one input alone, so that
// input is filtered before the join instead of every pair being tested after it (TPC-H Q19: part's
// brand/container/size alternatives). PostgreSQL derives the same ("OR clauses" restriction
// extraction in its planner); the original condition stays on the join.
import { and, conjuncts, refsOf, type Expr } from '../expr.js';

/**
 * For `(A1 AND B1) OR (A2 AND B2) ...`, where the Ai reference only columns in `ids`, returns
 * `A1 OR A2 ...`: true whenever the condition is, so it may filter the side that owns `ids`. Returns
 * null when the condition is not an OR or some branch says nothing about that side alone.
 */
export function impliedRestriction(cond: Expr, ids: ReadonlySet<number>): Expr | null {
  if (cond.k !== 'or') return null;
  const branches: Expr[] = [];
  for (const branch of cond.args) {
    const local = conjuncts(branch).filter((c) => isWithin(c, ids));
    if (local.length === 0) return null;
    branches.push(and(local));
  }
  return { k: 'or', args: branches, type: cond.type };
}

function isWithin(e: Expr, ids: ReadonlySet<number>): boolean {
  const refs = refsOf(e);
  if (refs.size === 0) return false;
  for (const r of refs) if (!ids.has(r)) return false;
  return true;
}
