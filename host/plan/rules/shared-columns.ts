// Rule: one column set for the copies of a repeated join. A statement that computes the same join
// twice (TPC-H Q11's HAVING subquery repeating the main query's join, Q17's avg subquery reduced to
// the outer query's join) would have each copy narrowed to the columns its own use reads, and the
// copies would then differ and not be shared (host/plan/shared-subplans.ts, ADR 0016). This rule
// runs before that narrowing (host/plan/rules/prune-join-inputs.ts), over the main plan and the
// init plans together: it finds subtrees equal up to column ids and tells the narrowing to keep,
// in every copy, the union of the columns any copy's use reads, so the copies lower to the same
// physical subtree and each use projects what it needs above the kept result.
import type { TableDef } from '../../catalog/catalog.js';
import { callsVolatile } from '../../functions/index.js';
import type { Expr } from '../expr.js';
import type { Col, LNode } from '../logical.js';
import { mapInputs } from './plan-walk.js';

/** A subtree's text up to column ids, and the ids it defines in the order the text numbers them. */
export interface Shape { key: string; ids: number[] }

/**
 * The canonical text of a subtree with every column it defines numbered by order of definition
 * (children first): two subtrees with equal keys compute the same rows, column i of one equal to
 * column i of the other. Display names and estimates are left out; a column read from outside the
 * subtree (a correlated reference) keeps its id.
 */
export function shapeOf(n: LNode): Shape {
  const local = new Map<number, number>();
  const ids: number[] = [];
  const define = (cols: Col[]): string => cols.map((c) => {
    local.set(c.id, ids.length);
    ids.push(c.id);
    return `${canonical(c.type)}${c.attnum !== undefined ? `@${c.attnum}` : ''}`;
  }).join(',');
  const expr = (e: Expr | Expr[] | null | undefined): string => canonical(e, (id) => (local.has(id) ? `#${local.get(id)}` : `ext${id}`));
  const go = (x: LNode): string => {
    switch (x.op) {
      case 'get': return `get(${x.table.oid};${define(x.cols)})`;
      case 'values': return `values(${x.rows.map((r) => expr(r)).join(';')};${define(x.cols)})`;
      case 'filter': { const i = go(x.input); return `filter(${i};${expr(x.pred)})`; }
      case 'project': { const i = go(x.input); return `project(${i};${expr(x.exprs)};${define(x.cols)})`; }
      case 'join': { const l = go(x.left), r = go(x.right); return `join:${x.kind}(${l};${r};${expr(x.cond)})`; }
      case 'agg': {
        const i = go(x.input);
        const aggs = x.aggs.map((a) => `${a.fn}${a.distinct ? 'D' : ''}(${expr(a.args)};${expr(a.filter)};${canonical(a.type)};${(a.order ?? []).map((o) => `${expr(o.expr)}${o.desc}${o.nullsFirst}`).join(',')})`);
        return `agg(${i};${expr(x.groups)};${aggs.join(',')};${define(x.cols)})`;
      }
      case 'sort': { const i = go(x.input); return `sort(${i};${x.keys.map((k) => `${expr(k.expr)}${k.desc}${k.nullsFirst}`).join(',')})`; }
      case 'limit': { const i = go(x.input); return `limit(${i};${expr(x.limit)};${expr(x.offset)})`; }
      case 'distinct': return `distinct(${go(x.input)})`;
      case 'setop': { const l = go(x.left), r = go(x.right); return `setop:${x.kind}${x.all}(${l};${r};${define(x.cols)})`; }
      case 'window': {
        const i = go(x.input);
        const calls = x.calls.map((c) => `${c.fn}(${expr(c.args)};${expr(c.partition)};${c.order.map((o) => `${expr(o.expr)}${o.desc}${o.nullsFirst}`).join(',')};${canonical(c.frame)};${canonical(c.type)})`);
        return `window(${i};${calls.join(',')};${define(x.cols)})`;
      }
    }
  };
  return { key: go(n), ids };
}

/** Plain data as text, object keys sorted; `ref` expressions through `ref`. */
function canonical(v: unknown, ref?: (id: number) => string): string {
  if (v === undefined) return 'u';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'u';
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, ref)).join(',')}]`;
  if (ArrayBuffer.isView(v)) return `<${Array.from(v as unknown as ArrayLike<number>).join(',')}>`;
  const o = v as Record<string, unknown>;
  if (o.k === 'ref' && ref) return `${ref(o.id as number)}:${canonical(o.type)}`;
  // a = b and b = a are one condition (a join's condition is written either way round)
  if (o.k === 'fn' && o.name === 'eq' && Array.isArray(o.args) && o.args.length === 2) {
    return `eq(${o.args.map((a) => canonical(a, ref)).sort().join(',')}):${canonical(o.type)}`;
  }
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${k}:${canonical(o[k], ref)}`).join(',')}}`;
}

/** Whether a subtree is worth one column set: it joins, reads a table of at least `minRows` rows, and calls nothing volatile. */
function joinsLargeTable(n: LNode, tableRows: (t: TableDef) => number, minRows: number): boolean {
  let joins = false;
  let large = false;
  let volatile = false;
  const go = (x: LNode): LNode => {
    if (x.op === 'join') joins = true;
    if (x.op === 'get' && tableRows(x.table) >= minRows) large = true;
    if (x.op !== 'get' && callsVolatile(Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'input' && k !== 'left' && k !== 'right')))) volatile = true;
    return mapInputs(x, go);
  };
  go(n);
  return joins && large && !volatile;
}

/**
 * The copies of repeated subtrees over `roots` (the main plan and the init plans of one statement,
 * optimized but not yet narrowed), largest first: nothing inside a chosen copy is chosen again.
 * Each group lists the copies with their shapes; a subtree qualifies when it joins and reads a table
 * of at least `minRows` rows (a smaller one is not kept, host/plan/shared-subplans.ts).
 */
export function repeatedSubtrees(roots: LNode[], tableRows: (t: TableDef) => number, minRows: number): { node: LNode; shape: Shape }[][] {
  // Equal shapes have equal outlines (operator, table, children's outlines), so only a subtree whose
  // outline repeats can repeat: its shape, and those of its outline's other occurrences, are
  // computed when the walk below first meets it, once each.
  const outlineIds = new Map<string, number>();
  const outlineOf = new Map<LNode, number>();
  const sameOutline = new Map<number, LNode[]>();
  const outline = (x: LNode): number => {
    const kids = inputsOf(x).map(outline);
    let id = outlineOf.get(x);
    if (id === undefined) {
      const text = `${x.op}:${x.op === 'get' ? x.table.oid : ''}:${kids.join(',')}`;
      id = outlineIds.get(text);
      if (id === undefined) { id = outlineIds.size; outlineIds.set(text, id); sameOutline.set(id, []); }
      outlineOf.set(x, id);
    }
    sameOutline.get(id)!.push(x);
    return id;
  };
  roots.forEach(outline);
  const shapes = new Map<LNode, Shape>();
  const count = new Map<string, number>();
  const shapeAt = (x: LNode): Shape => {
    const same = sameOutline.get(outlineOf.get(x)!)!;
    if (!shapes.has(x)) {
      for (const y of same) {
        if (shapes.has(y)) continue;
        const s = shapeOf(y);
        shapes.set(y, s);
      }
      for (const y of same) count.set(shapes.get(y)!.key, (count.get(shapes.get(y)!.key) ?? 0) + 1);
    }
    return shapes.get(x)!;
  };
  const groups = new Map<string, { node: LNode; shape: Shape }[]>();
  const choose = (x: LNode): void => {
    if (sameOutline.get(outlineOf.get(x)!)!.length > 1) {
      const s = shapeAt(x);
      if ((count.get(s.key) ?? 0) > 1 && joinsLargeTable(x, tableRows, minRows)) {
        groups.set(s.key, [...groups.get(s.key) ?? [], { node: x, shape: s }]);
        return;
      }
    }
    inputsOf(x).forEach(choose);
  };
  roots.forEach(choose);
  return [...groups.values()].filter((g) => g.length > 1);
}

/** A logical node's inputs, left before right. */
function inputsOf(x: LNode): LNode[] {
  switch (x.op) {
    case 'get': case 'values': return [];
    case 'join': case 'setop': return [x.left, x.right];
    default: return [x.input];
  }
}

/**
 * For each copy of a repeated subtree, the output columns its narrowing must keep: the union over
 * all copies of what each copy's parent reads (`readAt`, from a first narrowing pass), carried to
 * each copy's own ids by position in the shape.
 */
export function unionOfReads(groups: { node: LNode; shape: Shape }[][], readAt: ReadonlyMap<LNode, ReadonlySet<number>>): Map<LNode, Set<number>> {
  const widen = new Map<LNode, Set<number>>();
  for (const group of groups) {
    const ordinals = new Set<number>();
    for (const { node, shape } of group) {
      const reads = readAt.get(node);
      if (!reads) continue;
      shape.ids.forEach((id, i) => { if (reads.has(id)) ordinals.add(i); });
    }
    for (const { node, shape } of group) widen.set(node, new Set([...ordinals].map((i) => shape.ids[i]!)));
  }
  return widen;
}
