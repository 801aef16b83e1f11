// Redshift additions applied to the libpg-query tree after parsing, from what the rewriter
// (redshift.ts) recorded: SELECT TOP n as limitCount, QUALIFY as SelectStmt.qualifyClause,
// CONVERT(type, x) as a TypeCast, LISTAGG(DISTINCT) and IGNORE/RESPECT NULLS flags on FuncCall,
// PIVOT/UNPIVOT on their FROM item, and `#name` tables created as temporary. Nodes are matched by
// their (original-text) locations.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { SqlError, SqlState } from '../common/errors.js';
import { tokenize } from './lexer.js';
import { parsePg } from './pg-tree.js';
import { rewriteRedshift, type RedshiftAttributes } from './redshift.js';

/** Turns each recorded SELECT TOP n into LIMIT n on the SELECT whose first target starts where TOP's target list does. */
export function applyTop(ast: unknown, attrs: RedshiftAttributes, text: string): void {
  const pending = new Map(attrs.top.map((t) => [t.targetLocation, t]));
  const visit = (node: unknown): void => {
    if (pending.size === 0) return;
    if (Array.isArray(node)) { for (const x of node) visit(x); return; }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const targets = o.targetList;
    if (Array.isArray(targets) && typeof o.op === 'string' && targets.length > 0) {
      const first = (targets[0] as { ResTarget?: { location?: number } }).ResTarget;
      const top = first?.location !== undefined ? pending.get(first.location) : undefined;
      if (top) {
        pending.delete(top.targetLocation);
        if (o.limitCount !== undefined) {
          throw new SqlError(SqlState.syntaxError, 'multiple LIMIT clauses not allowed', { position: top.location + 1 });
        }
        o.limitCount = { A_Const: { ival: { ival: Number(top.count) }, location: top.location } };
        o.limitOption = 'LIMIT_OPTION_COUNT';
      }
    }
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (v !== null && typeof v === 'object') visit(v);
    }
  };
  visit(ast);
  for (const t of pending.values()) {
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "${text.slice(t.location, t.location + 3)}"`, { position: t.location + 1 });
  }
}

/**
 * Parses each QUALIFY condition on its own (as `SELECT <condition>`, through the same Redshift
 * rewrites) and sets it as `qualifyClause` on the SelectStmt whose first target starts at the
 * recorded location; its locations point into the statement text like the rest of the AST.
 */
export function applyQualify(ast: unknown, qualify: NonNullable<RedshiftAttributes['qualify']>, text: string): void {
  for (const q of qualify) {
    const rw = rewriteRedshift(q.exprText, tokenize(q.exprText));
    const stmt = parsePg(`SELECT ${rw.text}`, (i) => q.exprOffset + rw.toOriginal(Math.max(0, i - 7)))[0] as any;
    const targets = stmt?.SelectStmt?.targetList;
    if (!Array.isArray(targets) || targets.length !== 1 || stmt.SelectStmt.fromClause) {
      throw new SqlError(SqlState.syntaxError, 'syntax error at or near "QUALIFY"', { position: q.location + 1 });
    }
    const expr = targets[0].ResTarget.val;
    let found = false;
    const visit = (node: unknown): void => {
      if (found || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) { for (const x of node) visit(x); return; }
      const o = node as Record<string, unknown>;
      const tl = o.targetList;
      if (Array.isArray(tl) && typeof o.op === 'string' && (tl[0] as { ResTarget?: { location?: number } })?.ResTarget?.location === q.targetLocation) {
        o.qualifyClause = expr;
        found = true;
        return;
      }
      for (const v of Object.values(o)) if (v !== null && typeof v === 'object') visit(v);
    };
    visit(ast);
    if (!found) throw new SqlError(SqlState.syntaxError, `syntax error at or near "${text.slice(q.location, q.location + 7)}"`, { position: q.location + 1 });
  }
}

/** Parses a type name on its own (`SELECT NULL::type`), locations mapped to `offset` in the statement text. */
function parseTypeName(typeText: string, offset: number): any {
  const rw = rewriteRedshift(typeText, tokenize(typeText));
  const prefix = 'SELECT NULL::';
  const stmt = parsePg(prefix + rw.text, (i) => offset + rw.toOriginal(Math.max(0, i - prefix.length)))[0] as any;
  const tc = stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val?.TypeCast;
  if (!tc || stmt.SelectStmt.fromClause) {
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "${typeText}"`, { position: offset + 1 });
  }
  return tc.typeName;
}

/**
 * Redshift function-call forms recorded by the rewriter, applied to the FuncCall nodes at their
 * locations: CONVERT(type, x) becomes TypeCast(x AS type), LISTAGG(DISTINCT ..) gets agg_distinct,
 * IGNORE/RESPECT NULLS sets `ignore_nulls` on the window function's FuncCall.
 */
export function applyFuncCallMarks(ast: unknown, attrs: RedshiftAttributes): void {
  const converts = new Map((attrs.convert ?? []).map((c) => [c.location, c]));
  const distinct = new Set(attrs.listaggDistinct ?? []);
  const nulls = new Map((attrs.nullTreatment ?? []).map((n) => [n.location, n.ignoreNulls]));
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, k) => [k, v]) : Object.entries(node);
    for (const [k, v] of entries) {
      if (v === null || typeof v !== 'object') continue;
            const fc = (v as any).FuncCall;
      if (fc && typeof fc.location === 'number') {
        if (distinct.has(fc.location)) fc.agg_distinct = true;
        if (nulls.has(fc.location)) fc.ignore_nulls = nulls.get(fc.location);
        const conv = converts.get(fc.location);
        if (conv && Array.isArray(fc.args) && fc.args.length === 2) {
          const cast = { TypeCast: { arg: fc.args[1], typeName: parseTypeName(conv.typeText, conv.typeOffset), location: fc.location } };
          (node as Record<string | number, unknown>)[k] = cast;
          visit(cast);
          continue;
        }
      }
      visit(v);
    }
  };
  visit(ast);
}

/** A table created under a `#name` is temporary in Redshift ("CREATE TABLE", table_name). */
export function markHashTempTables(ast: Record<string, unknown>): void {
    const a = ast as any;
  const rels = [a.CreateStmt?.relation, a.CreateTableAsStmt?.into?.rel, a.SelectStmt?.intoClause?.rel];
  for (const r of rels) if (r && typeof r.relname === 'string' && r.relname.startsWith('#')) r.relpersistence = 't';
}

/** One parsed part of a PIVOT/UNPIVOT clause: an expression (aggregate, IN value or column) and its alias. */
export interface PivotItem { expr: unknown; alias?: string }

/** Parses `piece` as a select-list item (expression [AS alias]), locations pointing into the statement. */
function parseItem(piece: { text: string; offset: number }): PivotItem {
  const rw = rewriteRedshift(piece.text, tokenize(piece.text));
  const stmt = parsePg(`SELECT ${rw.text}`, (i) => piece.offset + rw.toOriginal(Math.max(0, i - 7)))[0] as any;
  const targets = stmt?.SelectStmt?.targetList;
  if (!Array.isArray(targets) || targets.length !== 1 || stmt.SelectStmt.fromClause) {
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "${piece.text}"`, { position: piece.offset + 1 });
  }
  const r = targets[0].ResTarget;
  return r.name === undefined ? { expr: r.val } : { expr: r.val, alias: r.name };
}

/**
 * Parses each PIVOT/UNPIVOT clause's parts and sets `pivot` on its FROM item (the RangeVar at the
 * table's location, or the RangeSubselect whose subquery's first target is at the recorded location):
 * `{ kind: 'PIVOT', aggregates, forColumn, values }` or `{ kind: 'UNPIVOT', includeNulls, valueColumn, nameColumn, columns }`.
 */
export function applyPivot(ast: unknown, clauses: NonNullable<RedshiftAttributes['pivot']>, text: string): void {
  for (const c of clauses) {
    const pivot = c.kind === 'PIVOT'
      ? { kind: 'PIVOT', aggregates: c.aggregates.map(parseItem), forColumn: c.forColumn, values: c.items.map(parseItem) }
      : { kind: 'UNPIVOT', includeNulls: c.includeNulls, valueColumn: c.valueColumn, nameColumn: c.nameColumn, columns: c.items.map(parseItem) };
    let found = false;
    const visit = (node: unknown): void => {
      if (found || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) { for (const x of node) visit(x); return; }
      const o = node as Record<string, any>;
      if (c.table !== undefined && o.RangeVar?.location === c.table) { o.RangeVar.pivot = pivot; found = true; return; }
      if (c.subquerySelectTarget !== undefined && o.RangeSubselect?.subquery?.SelectStmt?.targetList?.[0]?.ResTarget?.location === c.subquerySelectTarget) {
        o.RangeSubselect.pivot = pivot;
        found = true;
        return;
      }
      for (const v of Object.values(o)) if (v !== null && typeof v === 'object') visit(v);
    };
    visit(ast);
    if (!found) throw new SqlError(SqlState.syntaxError, `syntax error at or near "${text.slice(c.location, c.location + (c.kind === 'PIVOT' ? 5 : 7))}"`, { position: c.location + 1 });
  }
}
