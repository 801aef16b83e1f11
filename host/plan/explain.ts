// EXPLAIN output in Redshift's vocabulary: XN Seq Scan, XN Hash Join DS_DIST_*, XN HashAggregate,
// XN Sort / XN Merge / XN Network, with PostgreSQL-style cost, rows and width figures.
import type { Expr } from './expr.js';
import type { PNode } from './physical.js';
import { keptSubplans } from './shared-subplans.js';
import { typeLength, type SqlType } from '../types/sql-type.js';
import { formatText } from '../types/text-format.js';

function width(n: PNode): number {
  return n.types.reduce((s, t) => s + (typeLength(t) > 0 ? typeLength(t) : 16), 0);
}

function head(label: string, n: PNode, cost: number): string {
  return `${label}  (cost=0.00..${cost.toFixed(2)} rows=${Math.max(1, Math.round(n.est))} width=${width(n)})`;
}

/**
 * A constant as PostgreSQL's EXPLAIN writes one: numbers as they read (a NUMERIC with its scale, 0.05 and not
 * the scaled integer 5), other values quoted with their type (`'1994-01-01'::date`).
 */
function constText(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return `'${v}'::${t.id}`;
  switch (t.id) {
    case 'bool': return v ? 'true' : 'false';
    case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'numeric': case 'oid': return formatText(v, t);
    default: return `'${formatText(v, t)}'::${t.id}`;
  }
}

function exprText(e: Expr, names: string[]): string {
  switch (e.k) {
    case 'col': return names[e.idx] ?? `$${e.idx}`;
    case 'const': return constText(e.value, e.type);
    case 'param': return `$${e.idx + 1}`;
    case 'fn': {
      const ops: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=', add: '+', sub: '-', mul: '*', div: '/', concat_op: '||', like: '~~', ilike: '~~*' };
      if (ops[e.name] && e.args.length === 2) return `(${exprText(e.args[0]!, names)} ${ops[e.name]} ${exprText(e.args[1]!, names)})`;
      return `${e.name}(${e.args.map((a) => exprText(a, names)).join(', ')})`;
    }
    case 'cast': return `(${exprText(e.arg, names)})::${e.type.id}`;
    case 'and': return `(${e.args.map((a) => exprText(a, names)).join(' AND ')})`;
    case 'or': return `(${e.args.map((a) => exprText(a, names)).join(' OR ')})`;
    case 'not': return `(NOT ${exprText(e.arg, names)})`;
    case 'isnull': return `(${exprText(e.arg, names)} IS ${e.neg ? 'NOT ' : ''}NULL)`;
    default: return e.k;
  }
}

/** Renders a physical plan as EXPLAIN lines. */
export function explainLines(root: PNode): string[] {
  const lines: string[] = [];
  const emit = (n: PNode, depth: number, isChild: boolean): number => {
    const pad = depth === 0 ? '' : ' '.repeat(depth * 6 - 4) + (isChild ? '->  ' : '');
    const detailPad = ' '.repeat(depth === 0 ? 2 : depth * 6 + 2);
    const at = lines.length;
    // The final gather to the leader is implicit in Redshift's plans.
    if (depth === 0 && n.op === 'exchange' && n.mode === 'gather') return emit(n.input, 0, false);
    // A kept subplan is read where it is used and listed once, after the plans (explainStatement).
    if (n.op === 'exchange' && n.mode === 'keep') {
      lines.push(pad + head(`XN Subquery Scan on shared_subplan_${n.share ?? n.id}`, n, n.est * 0.01));
      lines.push(detailPad + `Reads Shared Subplan ${n.share ?? n.id} (computed once per query)`);
      return n.est * 0.01;
    }
    // Redistribution and broadcast show as the join's DS_* label, not as nodes of their own.
    if (n.op === 'exchange' && n.mode !== 'gather') return emit(n.input, depth, isChild);
    let cost = n.est * 0.01;
    const details: string[] = [];
    const kids: [PNode, boolean][] = [];
    let label: string;
    switch (n.op) {
      case 'scan':
        label = `XN Seq Scan on ${n.tableName}`;
        if (n.filter) details.push(`Filter: ${exprText(n.filter, [...n.names, ...n.filterOnly?.names ?? []])}`);
        for (const f of n.runtimeFilters ?? []) details.push(`Runtime Filter: ${f.label}`);
        break;
      case 'values': label = 'XN Result'; break;
      case 'filter': label = 'XN Subquery Scan'; details.push(`Filter: ${exprText(n.pred, n.input.names)}`); kids.push([n.input, true]); break;
      case 'project': {
        // Projections are folded into their input in Redshift's output.
        lines.length = at;
        return emit(n.input, depth, isChild);
      }
      case 'hashjoin': {
        const kindText = n.kind === 'inner' ? '' : n.kind === 'left' ? ' Left Join' : n.kind === 'right' ? ' Right Join' : n.kind === 'full' ? ' Full Join' : n.kind === 'semi' ? ' IN Join' : ' NOT IN Join';
        label = `XN Hash${kindText ? kindText : ' Join'} ${n.dist}`;
        if (kindText) label = `XN Hash${kindText} ${n.dist}`;
        const names = [...n.left.names, ...n.right.names];
        details.push(`Hash Cond: ${n.leftKeys.map((k, i) => `("outer".${exprText(k, n.left.names)} = "inner".${exprText(n.rightKeys[i]!, n.right.names)})`).join(' AND ')}`);
        if (n.residual) details.push(`Join Filter: ${exprText(n.residual, names)}`);
        kids.push([n.left, true], [n.right, false]);
        break;
      }
      case 'nljoin':
        label = `XN Nested Loop ${n.dist}`;
        if (n.cond) details.push(`Join Filter: ${exprText(n.cond, [...n.left.names, ...n.right.names])}`);
        kids.push([n.left, true], [n.right, true]);
        break;
      case 'agg': {
        label = n.groups.length ? 'XN HashAggregate' : 'XN Aggregate';
        // Partial aggregation on the slices and the final step on the leader show as one node.
        const g = n.input;
        if (n.mode === 'final' && g.op === 'exchange' && g.input.op === 'agg' && g.input.mode === 'partial') kids.push([g.input.input, true]);
        else if (n.mode === 'single' && g.op === 'exchange' && g.mode === 'hash') kids.push([g.input, true]);
        else kids.push([n.input, true]);
        break;
      }
      case 'sort': {
        const under = n.input;
        if ((under.op === 'exchange' && under.mode !== 'keep') || under.op === 'recv') {
          label = 'XN Merge';
          details.push(`Merge Key: ${n.keys.map((k) => exprText(k.expr, n.names) + (k.desc ? ' DESC' : '')).join(', ')}`);
        } else {
          label = 'XN Sort';
          details.push(`Sort Key: ${n.keys.map((k) => exprText(k.expr, n.names) + (k.desc ? ' DESC' : '')).join(', ')}`);
        }
        kids.push([n.input, true]);
        break;
      }
      case 'limit': label = 'XN Limit'; kids.push([n.input, true]); break;
      case 'window': label = 'XN Window'; kids.push([n.input, true]); break;
      case 'setop':
        label = n.kind === 'union' ? (n.all ? 'XN Append' : 'XN Unique') : `XN SetOp ${n.kind === 'intersect' ? 'Intersect' : 'Except'}${n.all ? ' All' : ''}`;
        kids.push([n.left, true], [n.right, true]);
        break;
      case 'exchange':
        label = 'XN Network';
        details.push(n.mode === 'gather' ? 'Send to leader' : n.mode === 'broadcast' ? 'Broadcast' : 'Distribute');
        kids.push([n.input, true]);
        break;
      case 'recv': label = 'XN Network'; break;
      default: label = `XN ${(n as { op: string }).op}`;
    }
    for (const [k] of kids) cost += k.est * 0.01;
    lines.push(pad + head(label!, n, cost));
    for (const d of details) lines.push(detailPad + d);
    for (const [k, plain] of kids) {
      if (plain) { emit(k, depth + 1, true); continue; }
      // The build side of a hash join sits under an XN Hash node.
      const hpad = ' '.repeat((depth + 1) * 6 - 4) + '->  ';
      lines.push(hpad + head('XN Hash', k, k.est * 0.01));
      emit(k, depth + 2, true);
    }
    return cost;
  };
  emit(root, 0, false);
  return lines;
}


/**
 * EXPLAIN of a whole statement: the main plan, each init plan under "InitPlan n", then each kept
 * subplan under "Shared Subplan n" with where it runs and how many places read it (like
 * PostgreSQL's "CTE name" entries of a materialized CTE).
 */
export function explainStatement(root: PNode, initPlans: readonly PNode[]): string[] {
  const lines = explainLines(root);
  initPlans.forEach((p, i) => {
    lines.push(`  InitPlan ${i + 1}`);
    for (const l of explainLines(p)) lines.push('    ' + l);
  });
  for (const s of keptSubplans([root, ...initPlans])) {
    const where = s.site === 'leader' ? 'on the leader' : s.site === 'slice0' ? 'on slice 0' : 'on each slice';
    lines.push(`  Shared Subplan ${s.share} (computed once ${where}, read by ${s.uses} scans)`);
    for (const l of explainLines(s.plan)) lines.push('    ' + l);
  }
  return lines;
}
