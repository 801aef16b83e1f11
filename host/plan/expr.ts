// Bound scalar expressions: what the binder produces from parse-tree expressions, the planner
// rewrites, and the executor (host/exec/eval.ts) evaluates over batches. Plain data, so a plan
// crosses into a slice worker by structured clone.
import type { SqlType } from '../types/sql-type.js';

export type Expr =
  /** A column of the operator's input batch, by position (physical plans). */
  | { k: 'col'; idx: number; type: SqlType }
  /** A column by its query-wide id (logical plans, before positions are assigned). */
  | { k: 'ref'; id: number; type: SqlType }
  | { k: 'const'; value: unknown; type: SqlType }
  /** $n, 0-based index into the statement's parameters. */
  | { k: 'param'; idx: number; type: SqlType }
  /** A scalar function or operator from host/exec/functions. */
  | { k: 'fn'; name: string; args: Expr[]; type: SqlType }
  | { k: 'cast'; arg: Expr; type: SqlType }
  | { k: 'and'; args: Expr[]; type: SqlType }
  | { k: 'or'; args: Expr[]; type: SqlType }
  | { k: 'not'; arg: Expr; type: SqlType }
  | { k: 'isnull'; arg: Expr; neg: boolean; type: SqlType }
  | { k: 'case'; whens: { when: Expr; then: Expr }[]; else: Expr | null; type: SqlType }
  | { k: 'in'; arg: Expr; list: Expr[]; neg: boolean; type: SqlType }
  /** `arg [NOT] IN (subquery)` over the values an init plan computed. */
  | { k: 'inplan'; arg: Expr; plan: number; neg: boolean; type: SqlType }
  /** The single value of a scalar subquery computed by an init plan. */
  | { k: 'plan'; plan: number; type: SqlType }
  /** EXISTS (uncorrelated subquery) computed by an init plan. */
  | { k: 'existsplan'; plan: number; neg: boolean; type: SqlType };

export const BOOL: SqlType = { id: 'bool' };

export function constant(value: unknown, type: SqlType): Expr { return { k: 'const', value, type }; }
export function fn(name: string, args: Expr[], type: SqlType): Expr { return { k: 'fn', name, args, type }; }
export function and(args: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) if (a.k === 'and') flat.push(...a.args); else flat.push(a);
  return flat.length === 1 ? flat[0]! : { k: 'and', args: flat, type: BOOL };
}

/** Splits a predicate into its AND-ed parts. */
export function conjuncts(e: Expr | null | undefined): Expr[] {
  if (!e) return [];
  if (e.k === 'and') return e.args.flatMap((a) => conjuncts(a));
  return [e];
}

/** Applies f to every direct child expression, returning a new node when any changed. */
export function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.k) {
    case 'fn': return { ...e, args: e.args.map(f) };
    case 'cast': return { ...e, arg: f(e.arg) };
    case 'and': case 'or': return { ...e, args: e.args.map(f) };
    case 'not': return { ...e, arg: f(e.arg) };
    case 'isnull': return { ...e, arg: f(e.arg) };
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: e.else ? f(e.else) : null };
    case 'in': return { ...e, arg: f(e.arg), list: e.list.map(f) };
    case 'inplan': return { ...e, arg: f(e.arg) };
    default: return e;
  }
}

/** Visits every node of an expression tree. */
export function walk(e: Expr, visit: (x: Expr) => void): void {
  visit(e);
  mapChildren(e, (c) => { walk(c, visit); return c; });
}

/** Column ids an expression reads. */
export function refsOf(e: Expr, out: Set<number> = new Set()): Set<number> {
  walk(e, (x) => { if (x.k === 'ref') out.add(x.id); });
  return out;
}

/** The input column positions (`col` nodes) a physical expression reads. */
export function colsRead(e: Expr, out: Set<number> = new Set()): Set<number> {
  walk(e, (x) => { if (x.k === 'col') out.add(x.idx); });
  return out;
}

/** Replaces refs by the expression `f` returns for them (undefined keeps the ref). */
export function substitute(e: Expr, f: (ref: { id: number; type: SqlType }) => Expr | undefined): Expr {
  if (e.k === 'ref') return f(e) ?? e;
  return mapChildren(e, (c) => substitute(c, f));
}

export function exprEquals(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

function bigintSafe(_k: string, v: unknown): unknown { return typeof v === 'bigint' ? `${v}n` : v; }

/** A stable text key for an expression (used to match GROUP BY expressions in the select list). */
export function exprKey(e: Expr): string { return JSON.stringify(e, bigintSafe); }
