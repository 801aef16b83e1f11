// The binder: turns a libpg-query parse tree of a query into a logical plan (host/plan/logical.ts)
// with names resolved against the catalog, types checked and coerced as PostgreSQL/Redshift do,
// aggregates collected, and subqueries either decorrelated into joins or kept as init plans.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { Catalog, Relation, TableDef } from '../catalog/catalog.js';
import { castExists, castValue } from '../functions/cast.js';
import { commonType } from '../functions/coerce.js';
import { lookupFunction, resolveFunction } from '../functions/registry.js';
import { and, BOOL, conjuncts, exprKey, mapChildren, refsOf, substitute, type Expr } from '../plan/expr.js';
import { colsOf, type AggCall, type BoundQuery, type Col, type JoinKind, type LNode, type SortKey, type WindowCall, type WindowFrame } from '../plan/logical.js';
import { isNumeric, isString, sameType, T, type SqlType } from '../types/sql-type.js';
import { aggregateResult, isAggregateName } from './aggregates.js';
import { Scope } from './scope.js';
import { foldConstants } from '../plan/rules/fold.js';
import { resolveTypeName } from './type-names.js';
import { bindSpecialFunction } from './special-functions.js';
import { bindRegCast, isRegType } from '../functions/catalog-fns.js';

/** Parses and binds SQL text of a view or CTE body (injected to avoid an import cycle with front/). */
export type SubParser = (sql: string) => any;

export interface BinderEnv {
  catalog: Catalog;
  searchPath: readonly string[];
  /** Types of $1..$n; unknown entries are inferred and written back. */
  paramTypes: (SqlType | undefined)[];
  parseSelect: SubParser;
  /** Provides system relations (pg_catalog, information_schema, svv_*) as bound plans. */
  systemRelation?: (schema: string | undefined, name: string, b: Binder) => LNode | undefined;
  /** Told of every catalog table or view the statement names, views' own inputs included. */
  onRelation?: (rel: Relation) => void;
}

interface CteDef { name: string; node: any; colNames: string[] | null; parent: CteScope | null }
type CteScope = Map<string, CteDef>;

/** Per-expression binding context. */
interface ExprCtx {
  scope: Scope;
  /** Aggregates found while binding (null where aggregates are not allowed). */
  aggs: AggCollector | null;
  /** The FROM plan so far, which correlated scalar subqueries may extend with a left join. */
  from: { plan: LNode } | null;
  /** Where we are, for error messages ("WHERE", "JOIN/ON", ...). */
  clause: string;
  ctes: CteScope | null;
  /** Window functions found while binding (absent where they are not allowed). */
  wins?: WindowCollector | null;
}

class WindowCollector {
  readonly calls: WindowCall[] = [];
  readonly cols: Col[] = [];
  constructor(private readonly b: Binder) {}
  add(call: WindowCall, name: string): Expr {
    const col: Col = { id: this.b.newId(), name, type: call.type };
    this.calls.push(call);
    this.cols.push(col);
    return { k: 'ref', id: col.id, type: col.type };
  }
}

class AggCollector {
  readonly calls: AggCall[] = [];
  readonly cols: Col[] = [];
  private readonly keys = new Map<string, number>();
  constructor(private readonly b: Binder) {}
  add(call: AggCall, name: string): Expr {
    const key = JSON.stringify({ fn: call.fn, args: call.args.map(exprKey), d: call.distinct, f: call.filter ? exprKey(call.filter) : null, o: call.order?.map((o) => [exprKey(o.expr), o.desc, o.nullsFirst]) });
    let idx = this.keys.get(key);
    if (idx === undefined) {
      idx = this.calls.length;
      this.keys.set(key, idx);
      this.calls.push(call);
      this.cols.push({ id: this.b.newId(), name, type: call.type });
    }
    const c = this.cols[idx]!;
    return { k: 'ref', id: c.id, type: c.type };
  }
}

export class Binder {
  private nextId = 1;
  readonly initPlans: LNode[] = [];
  constructor(readonly env: BinderEnv) {}

  newId(): number { return this.nextId++; }

  /** Binds a SELECT (or VALUES / set operation) statement. */
  bindQuery(stmt: any): BoundQuery {
    const { plan } = this.bindSelect(stmt, null, null);
    return { root: plan, initPlans: this.initPlans };
  }

  // ---------------------------------------------------------------- SELECT

  /** Returns a plan whose visible output columns are the select list. */
  bindSelect(stmt: any, outer: Scope | null, ctes: CteScope | null): { plan: LNode; scope: Scope } {
    let cteScope = ctes;
    if (stmt.withClause) {
      if (stmt.withClause.recursive) throw unsupported('WITH RECURSIVE');
      cteScope = new Map(ctes ?? []);
      for (const c of stmt.withClause.ctes) {
        const cte = c.CommonTableExpr;
        const colNames = cte.aliascolnames ? cte.aliascolnames.map((s: any) => s.String.sval) : null;
        cteScope.set(cte.ctename, { name: cte.ctename, node: cte.ctequery, colNames, parent: new Map(cteScope) });
      }
    }
    if (stmt.op && stmt.op !== 'SETOP_NONE') return this.bindSetOp(stmt, outer, cteScope);
    if (stmt.valuesLists) return this.bindValues(stmt, outer, cteScope);

    const scope = new Scope(outer);
    const from = { plan: this.bindFromList(stmt.fromClause ?? [], scope, cteScope) };
    const wins = new WindowCollector(this);
    const ctx = (clause: string, aggs: AggCollector | null): ExprCtx => ({ scope, aggs, from, clause, ctes: cteScope, wins: clause === 'SELECT' || clause === 'ORDER BY' ? wins : null });

    // WHERE: conjuncts with (correlated) subqueries become joins.
    if (stmt.whereClause) {
      const preds: Expr[] = [];
      for (const node of splitAnd(stmt.whereClause)) {
        const joined = this.tryJoinSubquery(node, ctx('WHERE', null));
        if (joined) continue;
        const e = this.coerceTo(this.bindExpr(node, ctx('WHERE', null)), BOOL, 'argument of WHERE');
        preds.push(e);
      }
      if (preds.length > 0) from.plan = { op: 'filter', input: from.plan, pred: and(preds) };
    }

    // Select list (with * expansion).
    const aggs = new AggCollector(this);
    const targets: { expr: Expr; name: string; srcCol?: Col }[] = [];
    const topLimit = stmt.__top as number | undefined;
    for (const rt of stmt.targetList ?? []) {
      const t = rt.ResTarget;
      const v = t.val;
      if (v.ColumnRef && v.ColumnRef.fields.at(-1).A_Star) {
        const fields = v.ColumnRef.fields;
        const relName = fields.length > 1 ? fields[fields.length - 2].String.sval : undefined;
        const cols = this.starCols(scope, relName, v.ColumnRef.location);
        for (const c of cols) targets.push({ expr: { k: 'ref', id: c.id, type: c.type }, name: c.name, srcCol: c });
        continue;
      }
      const e = this.bindExpr(v, ctx('SELECT', aggs));
      const name = t.name ?? this.defaultName(v);
      const src = e.k === 'ref' ? scope.allCols().find((c) => c.id === e.id) : undefined;
      targets.push(src ? { expr: e, name, srcCol: src } : { expr: e, name });
    }

    // GROUP BY
    const groupNodes: any[] = stmt.groupClause ?? [];
    const groups: Expr[] = [];
    for (const g of groupNodes) {
      if (g.GroupingSet) throw unsupported('GROUPING SETS / ROLLUP / CUBE');
      const ord = ordinalOf(g);
      if (ord !== undefined) {
        if (ord < 1 || ord > targets.length) throw new SqlError(SqlState.invalidColumnReference, `GROUP BY position ${ord} is not in select list`, posOf(g));
        const te = targets[ord - 1]!.expr;
        if (this.containsAggRef(te, aggs)) throw new SqlError(SqlState.groupingError, 'aggregate functions are not allowed in GROUP BY', posOf(g));
        groups.push(te);
        continue;
      }
      // A bare name that is not an input column but is an output alias groups by that output.
      const alias = bareName(g);
      if (alias !== undefined && !this.tryResolve(scope, alias)) {
        const t = targets.find((x) => x.name === alias);
        if (t) { groups.push(t.expr); continue; }
      }
      const e = this.bindExpr(g, ctx('GROUP BY', null));
      groups.push(e);
    }

    const having = stmt.havingClause ? this.coerceTo(this.bindExpr(stmt.havingClause, ctx('HAVING', aggs)), BOOL, 'argument of HAVING') : null;

    // ORDER BY is bound now (it may add aggregates) but applied after the projection.
    const sortNodes: any[] = stmt.sortClause ?? [];
    const orderExprs: { expr: Expr | number; desc: boolean; nullsFirst: boolean }[] = [];
    for (const s of sortNodes) {
      const sb = s.SortBy;
      const desc = sb.sortby_dir === 'SORTBY_DESC';
      const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc;
      if (sb.useOp) throw unsupported('ORDER BY USING');
      const ord = ordinalOf(sb.node);
      if (ord !== undefined) {
        if (ord < 1 || ord > targets.length) throw new SqlError(SqlState.invalidColumnReference, `ORDER BY position ${ord} is not in select list`, posOf(sb.node));
        orderExprs.push({ expr: ord - 1, desc, nullsFirst });
        continue;
      }
      const alias = bareName(sb.node);
      if (alias !== undefined) {
        const matches = targets.map((t, i) => [t, i] as const).filter(([t]) => t.name === alias);
        if (matches.length > 0 && (!this.tryResolve(scope, alias) || matches.length === 1)) {
          if (matches.length > 1 && !matches.every(([t]) => exprKey(t.expr) === exprKey(matches[0]![0].expr))) {
            throw new SqlError(SqlState.ambiguousColumn, `ORDER BY "${alias}" is ambiguous`, posOf(sb.node));
          }
          orderExprs.push({ expr: matches[0]![1], desc, nullsFirst });
          continue;
        }
      }
      orderExprs.push({ expr: this.bindExpr(sb.node, ctx('ORDER BY', aggs)), desc, nullsFirst });
    }

    const isAgg = groups.length > 0 || aggs.calls.length > 0 || having !== null;
    let plan = from.plan;
    let finalTargets = targets.map((t) => t.expr);
    let orderBound = orderExprs.map((o) => (typeof o.expr === 'number' ? finalTargets[o.expr]! : o.expr));
    let havingBound = having;
    if (isAgg) {
      const groupCols: Col[] = groups.map((g, i) => ({ id: this.newId(), name: `group${i}`, type: g.type }));
      plan = { op: 'agg', input: plan, groups, aggs: aggs.calls, cols: [...groupCols, ...aggs.cols] };
      const rewrite = (e: Expr, what: string) => this.rewriteOverGroups(e, groups, groupCols, aggs, scope, what);
      finalTargets = finalTargets.map((e) => rewrite(e, 'SELECT'));
      havingBound = having ? rewrite(having, 'HAVING') : null;
      orderBound = orderBound.map((e) => rewrite(e, 'ORDER BY'));
      if (havingBound) plan = { op: 'filter', input: plan, pred: havingBound };
      for (const w of wins.calls) {
        w.args = w.args.map((e) => rewrite(e, 'window function'));
        w.partition = w.partition.map((e) => rewrite(e, 'PARTITION BY'));
        w.order = w.order.map((o) => ({ ...o, expr: rewrite(o.expr, 'window ORDER BY') }));
      }
    }
    // Window functions see the rows after GROUP BY and HAVING, before DISTINCT, ORDER BY and LIMIT.
    if (wins.calls.length) plan = { op: 'window', input: plan, calls: wins.calls, cols: wins.cols };

    // Projection: visible targets, then hidden ORDER BY expressions not among them.
    const outCols: Col[] = targets.map((t, i) => {
      const c: Col = { id: this.newId(), name: t.name, type: finalTargets[i]!.type };
      if (t.srcCol?.tableOid !== undefined) { c.tableOid = t.srcCol.tableOid; c.attnum = t.srcCol.attnum!; }
      return c;
    });
    const projExprs = [...finalTargets];
    const projCols = [...outCols];
    const sortKeys: SortKey[] = [];
    const distinct = stmt.distinctClause !== undefined;
    if (distinct && stmt.distinctClause.length > 0 && Object.keys(stmt.distinctClause[0] ?? {}).length > 0) throw unsupported('DISTINCT ON');
    orderExprs.forEach((o, i) => {
      const e = orderBound[i]!;
      let idx = projExprs.findIndex((p) => exprKey(p) === exprKey(e));
      if (typeof o.expr === 'number') idx = o.expr;
      if (idx < 0) {
        if (distinct) throw new SqlError(SqlState.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list');
        projExprs.push(e);
        projCols.push({ id: this.newId(), name: '?sort?', type: e.type, hidden: true });
        idx = projExprs.length - 1;
      }
      const c = projCols[idx]!;
      sortKeys.push({ expr: { k: 'ref', id: c.id, type: c.type }, desc: o.desc, nullsFirst: o.nullsFirst });
    });
    plan = { op: 'project', input: plan, exprs: projExprs, cols: projCols };
    if (distinct) plan = { op: 'distinct', input: plan };
    if (sortKeys.length > 0) plan = { op: 'sort', input: plan, keys: sortKeys };
    const limitScope = new Scope(null);
    const limCtx: ExprCtx = { scope: limitScope, aggs: null, from: null, clause: 'LIMIT', ctes: null };
    let limit = stmt.limitCount ? this.coerceTo(this.bindExpr(stmt.limitCount, limCtx), T.int8, 'argument of LIMIT') : null;
    if (topLimit !== undefined) limit = { k: 'const', value: BigInt(topLimit), type: T.int8 };
    const offset = stmt.limitOffset ? this.coerceTo(this.bindExpr(stmt.limitOffset, limCtx), T.int8, 'argument of OFFSET') : null;
    if (limit && limit.k === 'const' && limit.value === null) limit = null;
    if (limit || offset) plan = { op: 'limit', input: plan, limit, offset };
    if (projCols.length > outCols.length) {
      plan = { op: 'project', input: plan, exprs: outCols.map((c) => ({ k: 'ref', id: c.id, type: c.type })), cols: outCols.map((c) => ({ ...c, id: this.newId() })) };
    }
    return { plan, scope };
  }

  private containsAggRef(e: Expr, aggs: AggCollector): boolean {
    const ids = new Set(aggs.cols.map((c) => c.id));
    return [...refsOf(e)].some((id) => ids.has(id));
  }

  /** After GROUP BY: group expressions become their output columns; other input columns are errors. */
  private rewriteOverGroups(e: Expr, groups: Expr[], groupCols: Col[], aggs: AggCollector, scope: Scope, what: string): Expr {
    const keys = groups.map(exprKey);
    const aggIds = new Set(aggs.cols.map((c) => c.id));
    const inputIds = new Set(scope.allCols().map((c) => c.id));
    const visit = (x: Expr): Expr => {
      const i = keys.indexOf(exprKey(x));
      if (i >= 0) return { k: 'ref', id: groupCols[i]!.id, type: groupCols[i]!.type };
      if (x.k === 'ref') {
        if (aggIds.has(x.id) || !inputIds.has(x.id)) return x;
        const c = scope.allCols().find((cc) => cc.id === x.id)!;
        const shown = c.rel ? `${c.rel}.${c.name}` : c.name;
        throw new SqlError(SqlState.groupingError, `column "${shown}" must appear in the GROUP BY clause or be used in an aggregate function`);
      }
      return mapChildren(x, visit);
    };
    void what;
    return visit(e);
  }

  private starCols(scope: Scope, rel: string | undefined, location: number): Col[] {
    if (rel !== undefined) {
      const r = scope.rels.find((x) => x.alias === rel);
      if (!r) throw new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${rel}"`, { position: location + 1 });
      return r.cols.filter((c) => !c.hidden);
    }
    if (scope.rels.length === 0) throw new SqlError(SqlState.syntaxError, 'SELECT * with no tables specified is not valid', { position: location + 1 });
    const seen = new Set<number>();
    const out: Col[] = [];
    // USING/NATURAL columns come first, once.
    for (const c of scope.mergedNames.values()) { out.push(c); seen.add(c.id); }
    for (const r of scope.rels) for (const c of r.cols) {
      if (c.hidden || seen.has(c.id)) continue;
      if (r.merged?.has(c.name)) continue;
      seen.add(c.id); out.push(c);
    }
    return out;
  }

  private defaultName(v: any): string {
    if (v.ColumnRef) { const f = v.ColumnRef.fields.at(-1); return f.String?.sval ?? '?column?'; }
    if (v.FuncCall) {
      const n = v.FuncCall.funcname.at(-1).String.sval as string;
      if (n === 'btrim') return 'btrim';
      if (n === 'extract' || n === 'date_part') return n === 'extract' ? 'extract' : 'date_part';
      return n;
    }
    if (v.TypeCast) {
      const inner = this.defaultName(v.TypeCast.arg);
      if (inner !== '?column?') return inner;
      const names = v.TypeCast.typeName.names.map((x: any) => x.String.sval);
      const tn = names.at(-1);
      const map: Record<string, string> = { int4: 'int4', int8: 'int8', bpchar: 'bpchar', varchar: 'varchar', numeric: 'numeric', float8: 'float8', bool: 'bool', timestamp: 'timestamp', date: 'date', interval: 'interval' };
      return map[tn] ?? tn;
    }
    if (v.CaseExpr) return 'case';
    if (v.CoalesceExpr) return 'coalesce';
    if (v.MinMaxExpr) return v.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least';
    if (v.SubLink && v.SubLink.subLinkType === 'EXISTS_SUBLINK') return 'exists';
    if (v.SQLValueFunction) {
      const m: Record<string, string> = { SVFOP_CURRENT_DATE: 'date', SVFOP_CURRENT_TIMESTAMP: 'timestamptz', SVFOP_CURRENT_USER: 'current_user', SVFOP_SESSION_USER: 'session_user', SVFOP_USER: 'current_user', SVFOP_CURRENT_SCHEMA: 'current_schema', SVFOP_CURRENT_CATALOG: 'current_database' };
      return m[v.SQLValueFunction.op] ?? '?column?';
    }
    return '?column?';
  }

  private bindValues(stmt: any, outer: Scope | null, ctes: CteScope | null): { plan: LNode; scope: Scope } {
    const scope = new Scope(outer);
    const ctx: ExprCtx = { scope, aggs: null, from: null, clause: 'VALUES', ctes };
    const rows: Expr[][] = stmt.valuesLists.map((l: any) => l.List.items.map((it: any) => this.bindExpr(it, ctx)));
    const width = rows[0]!.length;
    for (const r of rows) if (r.length !== width) throw new SqlError(SqlState.syntaxError, 'VALUES lists must all be the same length');
    const types: SqlType[] = [];
    for (let c = 0; c < width; c++) {
      let t: SqlType = rows[0]![c]!.type;
      for (const r of rows) {
        const ct = commonType(t, r[c]!.type);
        if (!ct) throw new SqlError(SqlState.datatypeMismatch, `VALUES types ${t.id} and ${r[c]!.type.id} cannot be matched`);
        t = ct;
      }
      if (t.id === 'unknown') t = T.text;
      types.push(t);
    }
    const bound = rows.map((r) => r.map((e, c) => this.coerceTo(e, types[c]!, 'VALUES')));
    const cols = types.map((t, i) => ({ id: this.newId(), name: `column${i + 1}`, type: t }));
    let plan: LNode = { op: 'values', rows: bound, cols };
    if (stmt.sortClause || stmt.limitCount) {
      // VALUES ... ORDER BY / LIMIT: rare; order by ordinals only.
      const keys: SortKey[] = (stmt.sortClause ?? []).map((s: any) => {
        const ord = ordinalOf(s.SortBy.node);
        if (ord === undefined) throw unsupported('ORDER BY on VALUES other than by position');
        const c = cols[ord - 1]!;
        const desc = s.SortBy.sortby_dir === 'SORTBY_DESC';
        return { expr: { k: 'ref', id: c.id, type: c.type }, desc, nullsFirst: s.SortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : s.SortBy.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc };
      });
      if (keys.length) plan = { op: 'sort', input: plan, keys };
    }
    return { plan, scope };
  }

  private bindSetOp(stmt: any, outer: Scope | null, ctes: CteScope | null): { plan: LNode; scope: Scope } {
    const left = this.bindSelect(stmt.larg, outer, ctes).plan;
    const right = this.bindSelect(stmt.rarg, outer, ctes).plan;
    const lc = colsOf(left), rc = colsOf(right);
    const kind = stmt.op === 'SETOP_UNION' ? 'union' : stmt.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
    const opName = kind.toUpperCase();
    if (lc.length !== rc.length) throw new SqlError(SqlState.syntaxError, `each ${opName} query must have the same number of columns`);
    const types = lc.map((c, i) => {
      const t = commonType(c.type, rc[i]!.type);
      if (!t) throw new SqlError(SqlState.datatypeMismatch, `${opName} types ${c.type.id} and ${rc[i]!.type.id} cannot be matched`);
      return t.id === 'unknown' ? T.text : t;
    });
    const conform = (p: LNode, cs: Col[]): LNode => {
      if (cs.every((c, i) => sameType(c.type, types[i]!))) return p;
      return { op: 'project', input: p, exprs: cs.map((c, i) => this.coerceTo({ k: 'ref', id: c.id, type: c.type }, types[i]!, opName)), cols: cs.map((c, i) => ({ id: this.newId(), name: c.name, type: types[i]! })) };
    };
    const cols = lc.map((c, i) => ({ id: this.newId(), name: c.name, type: types[i]! }));
    let plan: LNode = { op: 'setop', kind, all: !!stmt.all, left: conform(left, lc), right: conform(right, rc), cols };
    const scope = new Scope(outer);
    scope.add({ alias: '', cols });
    if (stmt.sortClause) {
      const keys: SortKey[] = stmt.sortClause.map((s: any) => {
        const sb = s.SortBy;
        const desc = sb.sortby_dir === 'SORTBY_DESC';
        const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc;
        const ord = ordinalOf(sb.node);
        let e: Expr;
        if (ord !== undefined) {
          if (ord < 1 || ord > cols.length) throw new SqlError(SqlState.invalidColumnReference, `ORDER BY position ${ord} is not in select list`, posOf(sb.node));
          e = { k: 'ref', id: cols[ord - 1]!.id, type: cols[ord - 1]!.type };
        } else e = this.bindExpr(sb.node, { scope, aggs: null, from: null, clause: 'ORDER BY', ctes });
        return { expr: e, desc, nullsFirst };
      });
      plan = { op: 'sort', input: plan, keys };
    }
    if (stmt.limitCount || stmt.limitOffset) {
      const ctx: ExprCtx = { scope: new Scope(null), aggs: null, from: null, clause: 'LIMIT', ctes: null };
      plan = { op: 'limit', input: plan, limit: stmt.limitCount ? this.coerceTo(this.bindExpr(stmt.limitCount, ctx), T.int8, 'LIMIT') : null, offset: stmt.limitOffset ? this.coerceTo(this.bindExpr(stmt.limitOffset, ctx), T.int8, 'OFFSET') : null };
    }
    return { plan, scope };
  }

  // ---------------------------------------------------------------- FROM

  private bindFromList(items: any[], scope: Scope, ctes: CteScope | null): LNode {
    let plan: LNode | null = null;
    for (const item of items) {
      const p = this.bindFromItem(item, scope, ctes);
      plan = plan ? { op: 'join', kind: 'cross', left: plan, right: p, cond: null } : p;
    }
    return plan ?? { op: 'values', rows: [[]], cols: [] };
  }

  private bindFromItem(item: any, scope: Scope, ctes: CteScope | null): LNode {
    if (item.RangeVar) return this.bindRangeVar(item.RangeVar, scope, ctes);
    if (item.RangeSubselect) {
      const rs = item.RangeSubselect;
      if (rs.lateral) throw unsupported('LATERAL');
      // A derived table sees no columns of its siblings, but does see the enclosing query's scope.
      const { plan } = this.bindSelect(rs.subquery.SelectStmt, scope.parent, ctes);
      const alias = rs.alias?.aliasname;
      if (!alias) throw new SqlError(SqlState.syntaxError, 'subquery in FROM must have an alias');
      return this.aliasPlan(plan, alias, rs.alias?.colnames, scope);
    }
    if (item.JoinExpr) return this.bindJoin(item.JoinExpr, scope, ctes);
    if (item.RangeFunction) return this.bindRangeFunction(item.RangeFunction, scope);
    throw unsupported(`FROM item ${Object.keys(item)[0]}`);
  }

  /** Renames a plan's output for a FROM alias (new ids so self-joins stay apart). */
  private aliasPlan(plan: LNode, alias: string, colnames: any[] | undefined, scope: Scope): LNode {
    const cs = colsOf(plan).filter((c) => !c.hidden);
    const names: string[] = colnames ? colnames.map((s: any) => s.String.sval) : [];
    if (names.length > cs.length) throw new SqlError(SqlState.invalidColumnReference, `table "${alias}" has ${cs.length} columns available but ${names.length} columns specified`);
    const cols: Col[] = cs.map((c, i) => {
      const col: Col = { id: this.newId(), name: names[i] ?? c.name, type: c.type, rel: alias };
      if (c.tableOid !== undefined) { col.tableOid = c.tableOid; col.attnum = c.attnum!; }
      return col;
    });
    scope.add({ alias, cols });
    return { op: 'project', input: plan, exprs: cs.map((c) => ({ k: 'ref', id: c.id, type: c.type })), cols };
  }

  private bindRangeVar(rv: any, scope: Scope, ctes: CteScope | null): LNode {
    const name: string = rv.relname;
    const schema: string | undefined = rv.schemaname;
    const alias: string = rv.alias?.aliasname ?? name;
    const colnames = rv.alias?.colnames;
    if (!schema && ctes) {
      let cte: CteDef | undefined;
      for (let s: CteScope | null = ctes; s && !cte; s = null) cte = s.get(name);
      if (cte) {
        const { plan } = this.bindSelect(cte.node.SelectStmt, scope.parent, cte.parent);
        let p = plan;
        if (cte.colNames) p = this.renameCols(p, cte.colNames, name);
        return this.aliasPlan(p, alias, colnames, scope);
      }
    }
    const sys = this.env.systemRelation?.(schema, name, this);
    if (sys && !this.env.catalog.find(name, schema, this.env.searchPath)) return this.aliasPlan(sys, alias, colnames, scope);
    const rel: Relation = this.env.catalog.get(name, schema, this.env.searchPath, rv.location + 1);
    this.env.onRelation?.(rel);
    if (rel.kind === 'view') {
      const ast = this.env.parseSelect(rel.sql);
      const { plan } = this.bindSelect(ast, null, null);
      const p = this.renameCols(plan, rel.columns.map((c) => c.name), rel.name);
      return this.aliasPlan(p, alias, colnames, scope);
    }
    return this.getTable(rel, alias, colnames, scope);
  }

  getTable(table: TableDef, alias: string, colnames: any[] | undefined, scope: Scope): LNode {
    const names: string[] = colnames ? colnames.map((s: any) => s.String.sval) : [];
    const cols: Col[] = table.columns.map((c, i) => ({ id: this.newId(), name: names[i] ?? c.name, type: c.type, rel: alias, tableOid: table.oid, attnum: i + 1 }));
    scope.add({ alias, cols });
    return { op: 'get', table, cols };
  }

  private renameCols(plan: LNode, names: string[], rel: string): LNode {
    const cs = colsOf(plan).filter((c) => !c.hidden);
    if (names.length > cs.length) throw new SqlError(SqlState.invalidColumnReference, `table "${rel}" has ${cs.length} columns available but ${names.length} columns specified`);
    return { op: 'project', input: plan, exprs: cs.map((c) => ({ k: 'ref', id: c.id, type: c.type })), cols: cs.map((c, i) => ({ ...c, id: this.newId(), name: names[i] ?? c.name })) };
  }

  private bindRangeFunction(rf: any, scope: Scope): LNode {
    const call = rf.functions?.[0]?.List?.items?.[0]?.FuncCall;
    const fname = call?.funcname?.at(-1)?.String?.sval;
    if (fname !== 'generate_series') {
      // Set-returning catalog functions (pg_get_late_binding_view_cols()) are system relations.
      const sys = fname ? this.env.systemRelation?.('pg_catalog', `${fname}()`, this) : undefined;
      if (!sys) throw unsupported(`function ${fname ?? '?'} in FROM`);
      const names = rf.alias?.colnames ?? rf.coldeflist?.map((d: any) => ({ String: { sval: d.ColumnDef.colname } }));
      return this.aliasPlan(sys, rf.alias?.aliasname ?? fname, names, scope);
    }
    const ctx: ExprCtx = { scope: new Scope(null), aggs: null, from: null, clause: 'FROM', ctes: null };
    const args = (call.args ?? []).map((a: any) => this.coerceTo(this.bindExpr(a, ctx), T.int8, 'generate_series'));
    const vals = args.map((a: Expr) => {
      if (a.k !== 'const') throw unsupported('generate_series with non-constant arguments');
      return a.value as bigint;
    });
    const [start, stop, step = 1n] = vals as bigint[];
    if (step === 0n) throw new SqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
    const rows: Expr[][] = [];
    for (let v = start!; step > 0n ? v <= stop! : v >= stop!; v += step) {
      rows.push([{ k: 'const', value: Number(v), type: T.int4 }]);
      if (rows.length > 10_000_000) throw new SqlError(SqlState.programLimitExceeded, 'generate_series produces too many rows');
    }
    const alias = rf.alias?.aliasname ?? 'generate_series';
    const colName = rf.alias?.colnames?.[0]?.String?.sval ?? alias;
    const cols: Col[] = [{ id: this.newId(), name: colName, type: T.int4, rel: alias }];
    scope.add({ alias, cols });
    return { op: 'values', rows, cols };
  }

  private bindJoin(j: any, scope: Scope, ctes: CteScope | null): LNode {
    const left = this.bindFromItem(j.larg, scope, ctes);
    const leftRels = scope.rels.length;
    const right = this.bindFromItem(j.rarg, scope, ctes);
    const kind: JoinKind = ({ JOIN_INNER: 'inner', JOIN_LEFT: 'left', JOIN_RIGHT: 'right', JOIN_FULL: 'full' } as Record<string, JoinKind>)[j.jointype] ?? 'inner';
    if (j.alias) throw unsupported('an alias on a JOIN');
    let cond: Expr | null = null;
    let usingNames: string[] | null = null;
    if (j.usingClause) usingNames = j.usingClause.map((s: any) => s.String.sval);
    if (j.isNatural) {
      const lnames = new Set(scope.rels.slice(0, leftRels).flatMap((r) => r.cols.filter((c) => !c.hidden).map((c) => c.name)));
      usingNames = [...new Set(scope.rels.slice(leftRels).flatMap((r) => r.cols.filter((c) => !c.hidden).map((c) => c.name)))].filter((n) => lnames.has(n));
    }
    if (usingNames) {
      const preds: Expr[] = [];
      for (const name of usingNames) {
        const find = (rels: typeof scope.rels) => {
          const hits = rels.flatMap((r) => r.cols.filter((c) => c.name === name && !c.hidden));
          const merged = scope.mergedNames.get(name);
          if (merged && rels.some((r) => r.cols.includes(merged))) return merged;
          if (hits.length > 1) throw new SqlError(SqlState.ambiguousColumn, `common column name "${name}" appears more than once in left table`);
          return hits[0];
        };
        const l = find(scope.rels.slice(0, leftRels));
        const r = find(scope.rels.slice(leftRels));
        if (!l || !r) throw new SqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in ${!l ? 'left' : 'right'} table`);
        preds.push(this.compareExprs('eq', { k: 'ref', id: l.id, type: l.type }, { k: 'ref', id: r.id, type: r.type }));
        // The merged column: the left one for inner/left joins, the right one for right joins; FULL
        // would need COALESCE, which we express by preferring the left and documenting the gap.
        const keep = kind === 'right' ? r : l;
        scope.mergedNames.set(name, keep);
        for (const rel of scope.rels) if (rel.cols.includes(l) || rel.cols.includes(r)) (rel.merged ??= new Map()).set(name, keep);
      }
      cond = preds.length ? and(preds) : null;
    } else if (j.quals) {
      const from = { plan: { op: 'join', kind, left, right, cond: null } as LNode };
      cond = this.coerceTo(this.bindExpr(j.quals, { scope, aggs: null, from: null, clause: 'JOIN/ON', ctes }), BOOL, 'argument of JOIN/ON');
      void from;
    }
    return { op: 'join', kind: cond === null && kind === 'inner' ? 'cross' : kind, left, right, cond: cond ?? (kind === 'inner' ? null : { k: 'const', value: true, type: BOOL }) };
  }

  // ---------------------------------------------------------------- subqueries

  /** WHERE conjunct [NOT] EXISTS / IN (subquery): semi or anti join when correlated. */
  private tryJoinSubquery(node: any, ctx: ExprCtx): boolean {
    // A failed attempt must leave no init plans behind (the caller binds the subquery again).
    const plansBefore = this.initPlans.length;
    const ok = this.tryJoinSubqueryInner(node, ctx);
    if (!ok) this.initPlans.length = plansBefore;
    return ok;
  }

  private tryJoinSubqueryInner(node: any, ctx: ExprCtx): boolean {
    let neg = false;
    let n = node;
    if (n.BoolExpr?.boolop === 'NOT_EXPR' && n.BoolExpr.args[0].SubLink) { neg = true; n = n.BoolExpr.args[0]; }
    const sl = n.SubLink;
    if (!sl || !ctx.from) return false;
    if (sl.subLinkType !== 'EXISTS_SUBLINK' && !(sl.subLinkType === 'ANY_SUBLINK' && !sl.operName)) return false;
    // Bind the subquery's FROM and WHERE in a child scope to see whether it is correlated.
    const sub = sl.subselect.SelectStmt;
    if (sub.op && sub.op !== 'SETOP_NONE') return false;
    if (sub.groupClause || sub.havingClause || sub.limitCount || sub.distinctClause || sub.valuesLists || sub.withClause) {
      if (!this.isCorrelated(sub, ctx)) return false;
      if (sub.groupClause || sub.havingClause || sub.limitCount) throw correlatedUnsupported();
    }
    const subScope = new Scope(ctx.scope);
    const subFrom = { plan: this.bindFromList(sub.fromClause ?? [], subScope, ctx.ctes) };
    const subCtx: ExprCtx = { scope: subScope, aggs: null, from: subFrom, clause: 'WHERE', ctes: ctx.ctes };
    const inner: Expr[] = [];
    if (sub.whereClause) {
      for (const w of splitAnd(sub.whereClause)) {
        if (this.tryJoinSubquery(w, subCtx)) continue;
        inner.push(this.coerceTo(this.bindExpr(w, subCtx), BOOL, 'argument of WHERE'));
      }
    }
    let testPred: Expr | null = null;
    if (sl.subLinkType === 'ANY_SUBLINK') {
      const targets = sub.targetList ?? [];
      if (targets.length !== 1) throw new SqlError(SqlState.syntaxError, targets.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns');
      const agg = new AggCollector(this);
      const rhs = this.bindExpr(targets[0].ResTarget.val, { ...subCtx, aggs: agg, clause: 'SELECT' });
      if (agg.calls.length) {
        if (subScope.outerRefs.size === 0) return false;
        throw correlatedUnsupported();
      }
      const lhs = this.bindExpr(sl.testexpr, ctx);
      testPred = this.compareExprs('eq', lhs, rhs);
    }
    if (subScope.outerRefs.size === 0) return false; // uncorrelated: an init plan is simpler and exact for NOT IN
    if (neg && sl.subLinkType === 'ANY_SUBLINK') {
      // NOT IN with a correlated subquery: NULL semantics make it not an anti join in general.
      throw correlatedUnsupported();
    }
    const outerIds = new Set(ctx.scope.allCols().map((c) => c.id));
    const innerOnly: Expr[] = [];
    const joinPreds: Expr[] = testPred ? [testPred] : [];
    for (const p of inner) {
      const refs = refsOf(p);
      if ([...refs].some((id) => outerIds.has(id)) || [...refs].some((id) => !subScope.allCols().some((c) => c.id === id))) joinPreds.push(p);
      else innerOnly.push(p);
    }
    let right = subFrom.plan;
    if (innerOnly.length) right = { op: 'filter', input: right, pred: and(innerOnly) };
    // References to scopes further out than ours cannot be joined here.
    for (const id of subScope.outerRefs) if (!outerIds.has(id)) ctx.scope.outerRefs.add(id);
    ctx.from!.plan = { op: 'join', kind: neg ? 'anti' : 'semi', left: ctx.from!.plan, right, cond: and(joinPreds) };
    return true;
  }

  private isCorrelated(sub: any, ctx: ExprCtx): boolean {
    const probe = new Binder(this.env);
    probe.nextId = 1_000_000_000;
    const s = new Scope(ctx.scope);
    try {
      const from = { plan: probe.bindFromList(sub.fromClause ?? [], s, ctx.ctes) };
      if (sub.whereClause) probe.bindExpr(sub.whereClause, { scope: s, aggs: null, from, clause: 'WHERE', ctes: ctx.ctes });
    } catch { return false; }
    return s.outerRefs.size > 0;
  }

  /** Binds a subquery expression (scalar, EXISTS, IN, ANY/ALL) appearing inside an expression. */
  private bindSubLink(sl: any, ctx: ExprCtx): Expr {
    if (sl.subLinkType === 'ARRAY_SUBLINK') return this.bindExpr(arraySublinkAsAggregate(sl), ctx);
    const sub = sl.subselect.SelectStmt;
    const probeScope = new Scope(ctx.scope);
    const bound = this.bindSelect(sub, probeScope, ctx.ctes);
    const correlated = probeScope.outerRefs.size > 0 || bound.scope.outerRefs.size > 0;
    if (!correlated) {
      const cols = colsOf(bound.plan).filter((c) => !c.hidden);
      const id = this.initPlans.push(bound.plan) - 1;
      switch (sl.subLinkType) {
        case 'EXPR_SUBLINK':
          if (cols.length !== 1) throw new SqlError(SqlState.syntaxError, 'subquery must return only one column');
          return { k: 'plan', plan: id, type: cols[0]!.type };
        case 'EXISTS_SUBLINK':
          return { k: 'existsplan', plan: id, neg: false, type: BOOL };
        case 'ANY_SUBLINK': case 'ALL_SUBLINK': {
          if (cols.length !== 1) throw new SqlError(SqlState.syntaxError, cols.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns');
          const lhs = this.bindExpr(sl.testexpr, ctx);
          const op = sl.operName ? sl.operName[0].String.sval : '=';
          if (sl.subLinkType === 'ANY_SUBLINK' && op === '=') {
            const t = commonType(lhs.type, cols[0]!.type);
            if (!t) throw this.opError('=', lhs.type, cols[0]!.type);
            if (!sameType(t, cols[0]!.type)) {
              this.initPlans[id] = { op: 'project', input: bound.plan, exprs: [this.coerceTo({ k: 'ref', id: cols[0]!.id, type: cols[0]!.type }, t, 'IN')], cols: [{ id: this.newId(), name: cols[0]!.name, type: t }] };
            }
            return { k: 'inplan', arg: this.coerceTo(lhs, t, 'IN'), plan: id, neg: false, type: BOOL };
          }
          throw unsupported(`${op} ${sl.subLinkType === 'ALL_SUBLINK' ? 'ALL' : 'ANY'} (subquery)`);
        }
        default:
          throw unsupported(`subquery type ${sl.subLinkType}`);
      }
    }
    // Correlated scalar subquery over an aggregate: group by the correlation keys and left join.
    if (sl.subLinkType === 'EXPR_SUBLINK' && ctx.from) return hasAggregateCall(sub.targetList) ? this.decorrelateScalar(sub, ctx) : this.joinScalar(sub, ctx);
    throw correlatedUnsupported();
  }

  /**
   * A correlated scalar subquery without aggregates (psql's `(SELECT pg_get_expr(...) FROM pg_attrdef d
   * WHERE d.adrelid = a.attrelid ...)`): a left join of its FROM on its correlated predicates, whose value
   * is the select expression. PostgreSQL raises 21000 when more than one row matches; here such rows repeat.
   */
  private joinScalar(sub: any, ctx: ExprCtx): Expr {
    if (sub.groupClause || sub.havingClause || sub.limitCount || sub.distinctClause || sub.withClause || (sub.op && sub.op !== 'SETOP_NONE') || (sub.targetList ?? []).length !== 1) throw correlatedUnsupported();
    const subScope = new Scope(ctx.scope);
    const subFrom = { plan: this.bindFromList(sub.fromClause ?? [], subScope, ctx.ctes) };
    const subCtx: ExprCtx = { scope: subScope, aggs: null, from: subFrom, clause: 'WHERE', ctes: ctx.ctes };
    const innerIds = new Set(subScope.allCols().map((c) => c.id));
    const local: Expr[] = [];
    const joinPreds: Expr[] = [];
    for (const w of sub.whereClause ? splitAnd(sub.whereClause) : []) {
      if (this.tryJoinSubquery(w, subCtx)) continue;
      const p = this.coerceTo(this.bindExpr(w, subCtx), BOOL, 'argument of WHERE');
      if ([...refsOf(p)].every((id) => innerIds.has(id))) local.push(p); else joinPreds.push(p);
    }
    const value = this.bindExpr(sub.targetList[0].ResTarget.val, { ...subCtx, clause: 'SELECT' });
    const outerIds = new Set(ctx.scope.allCols().map((c) => c.id));
    for (const id of subScope.outerRefs) if (!outerIds.has(id)) throw correlatedUnsupported();
    let right = subFrom.plan;
    if (local.length) right = { op: 'filter', input: right, pred: and(local) };
    ctx.from!.plan = { op: 'join', kind: 'left', left: ctx.from!.plan, right, cond: joinPreds.length ? and(joinPreds) : { k: 'const', value: true, type: BOOL } };
    return value;
  }

  private decorrelateScalar(sub: any, ctx: ExprCtx): Expr {
    if (sub.groupClause || sub.havingClause || sub.limitCount || sub.op !== 'SETOP_NONE' || (sub.targetList ?? []).length !== 1) throw correlatedUnsupported();
    const subScope = new Scope(ctx.scope);
    const subFrom = { plan: this.bindFromList(sub.fromClause ?? [], subScope, ctx.ctes) };
    const subCtx: ExprCtx = { scope: subScope, aggs: null, from: subFrom, clause: 'WHERE', ctes: ctx.ctes };
    const outerIds = new Set(ctx.scope.allCols().map((c) => c.id));
    const innerIds = () => new Set(subScope.allCols().map((c) => c.id));
    const local: Expr[] = [];
    const corrKeys: { inner: Expr; outer: Expr }[] = [];
    for (const w of sub.whereClause ? splitAnd(sub.whereClause) : []) {
      if (this.tryJoinSubquery(w, subCtx)) continue;
      const p = this.coerceTo(this.bindExpr(w, subCtx), BOOL, 'argument of WHERE');
      const refs = [...refsOf(p)];
      if (!refs.some((id) => outerIds.has(id))) { local.push(p); continue; }
      // Only `inner = outer` equalities can become grouping keys.
      if (p.k === 'fn' && p.name === 'eq') {
        const [a, b] = p.args as [Expr, Expr];
        const ra = [...refsOf(a)], rb = [...refsOf(b)];
        const ii = innerIds();
        if (ra.every((id) => ii.has(id)) && rb.every((id) => outerIds.has(id)) && ra.length) { corrKeys.push({ inner: a, outer: b }); continue; }
        if (rb.every((id) => ii.has(id)) && ra.every((id) => outerIds.has(id)) && rb.length) { corrKeys.push({ inner: b, outer: a }); continue; }
      }
      throw correlatedUnsupported();
    }
    if (corrKeys.length === 0) throw correlatedUnsupported();
    const aggs = new AggCollector(this);
    const value = this.bindExpr(sub.targetList[0].ResTarget.val, { ...subCtx, aggs, clause: 'SELECT' });
    if (aggs.calls.length === 0) throw correlatedUnsupported();
    let input = subFrom.plan;
    if (local.length) input = { op: 'filter', input, pred: and(local) };
    const groups = corrKeys.map((k) => k.inner);
    const groupCols: Col[] = groups.map((g, i) => ({ id: this.newId(), name: `corr${i}`, type: g.type }));
    const aggPlan: LNode = { op: 'agg', input, groups, aggs: aggs.calls, cols: [...groupCols, ...aggs.cols] };
    const valueCol: Col = { id: this.newId(), name: 'subquery', type: value.type };
    const proj: LNode = {
      op: 'project', input: aggPlan,
      exprs: [...groupCols.map((c) => ({ k: 'ref', id: c.id, type: c.type }) as Expr), this.rewriteOverGroups(value, groups, groupCols, aggs, subScope, 'SELECT')],
      cols: [...groupCols.map((c) => ({ ...c, id: this.newId() })), valueCol],
    };
    const pc = colsOf(proj);
    const cond = and(corrKeys.map((k, i) => this.compareExprs('eq', k.outer, { k: 'ref', id: pc[i]!.id, type: pc[i]!.type })));
    ctx.from!.plan = { op: 'join', kind: 'left', left: ctx.from!.plan, right: proj, cond };
    // COUNT over no rows is 0, not NULL: the left join gives NULL, so patch count-only values.
    let result: Expr = { k: 'ref', id: valueCol.id, type: valueCol.type };
    if (aggs.calls.every((a) => a.fn === 'count' || a.fn === 'count_star') && value.k === 'ref') {
      result = { k: 'fn', name: 'coalesce', args: [result, { k: 'const', value: 0n, type: T.int8 }], type: T.int8 };
    }
    return result;
  }

  // ---------------------------------------------------------------- expressions

  tryResolve(scope: Scope, name: string): boolean {
    try { return scope.resolveLocal(name, undefined) !== undefined; } catch { return true; }
  }

  private resolveColumn(fields: string[], ctx: ExprCtx, location: number): Expr {
    const pos = location >= 0 ? location + 1 : undefined;
    const name = fields.at(-1)!;
    const rel = fields.length >= 2 ? fields[fields.length - 2] : undefined;
    for (let s: Scope | null = ctx.scope, depth = 0; s; s = s.parent, depth++) {
      const c = s.resolveLocal(name, rel, pos);
      if (c) {
        if (depth > 0) for (let t: Scope | null = ctx.scope; t && t !== s; t = t.parent) t.outerRefs.add(c.id);
        return { k: 'ref', id: c.id, type: c.type };
      }
      if (rel !== undefined && s.hasRel(rel)) {
        throw new SqlError(SqlState.undefinedColumn, `column ${rel}.${name} does not exist`, pos === undefined ? {} : { position: pos });
      }
    }
    if (fields.length === 1) {
      const special = this.keywordValue(name);
      if (special) return this.fold(special);
    }
    if (rel !== undefined) {
      throw new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${rel}"`, pos === undefined ? {} : { position: pos });
    }
    throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`, pos === undefined ? {} : { position: pos });
  }

  /** Redshift keywords that parse as column names: SYSDATE, CURRENT_USER_ID, ... */
  private keywordValue(name: string): Expr | null {
    switch (name) {
      case 'sysdate': return { k: 'fn', name: 'getdate', args: [], type: T.timestamp };
      default: return null;
    }
  }

  opError(op: string, a: SqlType, b: SqlType): SqlError {
    try { resolveFunction(({ '=': 'eq' } as Record<string, string>)[op] ?? op, [a, b]); } catch (e) { return e as SqlError; }
    return new SqlError(SqlState.undefinedFunction, `operator does not exist: ${a.id} ${op} ${b.id}`);
  }

  /** Binds a call of a function/operator from the registry, inserting argument casts. */
  call(name: string, args: Expr[], position?: number, display?: string): Expr {
    const r = resolveFunction(name, args.map((a) => a.type), position, display ?? name);
    const cargs = args.map((a, i) => this.coerceTo(a, r.args[i]!, name));
    return this.fold({ k: 'fn', name, args: cargs, type: r.ret });
  }

  compareExprs(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: Expr, b: Expr, position?: number): Expr {
    return this.call(op, [a, b], position);
  }

  /** Casts implicitly (coercion); unknown literals are parsed now. */
  coerceTo(e: Expr, t: SqlType, what: string): Expr {
    if (sameType(e.type, t)) return e;
    if (e.k === 'param' && e.type.id === 'unknown') {
      this.env.paramTypes[e.idx] = t;
      return { ...e, type: t };
    }
    if (e.type.id === 'unknown' || (e.k === 'const' && e.value === null)) return this.fold({ k: 'cast', arg: e, type: t });
    if (t.id === 'bool' && e.type.id !== 'bool') {
      throw new SqlError(SqlState.datatypeMismatch, `${what} must be type boolean, not type ${displayType(e.type)}`);
    }
    if (!castExists(e.type, t)) {
      throw new SqlError(SqlState.datatypeMismatch, `${what}: cannot convert ${displayType(e.type)} to ${displayType(t)}`);
    }
    return this.fold({ k: 'cast', arg: e, type: t });
  }

  /** Constant folding of casts and pure functions over constants. */
  fold(e: Expr): Expr {
    if (e.k === 'cast' && e.arg.k === 'const') {
      return { k: 'const', value: castValue(e.arg.value, e.arg.type, e.type, 'explicit'), type: e.type };
    }
    if (e.k === 'fn') return foldConstants(e);
    return e;
  }

  bindExpr(node: any, ctx: ExprCtx): Expr {
    const key = Object.keys(node)[0]!;
    const n = node[key];
    switch (key) {
      case 'A_Const': return bindConst(n);
      case 'ColumnRef': {
        const fields = n.fields.map((f: any) => f.String?.sval ?? '*');
        if (fields.includes('*')) throw new SqlError(SqlState.syntaxError, 'row expansion via "*" is not supported here', { position: n.location + 1 });
        return this.resolveColumn(fields, ctx, n.location);
      }
      case 'ParamRef': {
        const idx = n.number - 1;
        const t = this.env.paramTypes[idx];
        return { k: 'param', idx, type: t ?? T.unknown };
      }
      case 'TypeCast': {
        // ::regclass, ::regtype, ... resolve names against the catalog (host/functions/catalog-fns.ts).
        const castName: string = n.typeName.names?.at(-1)?.String?.sval ?? '';
        if (isRegType(castName) && !n.typeName.arrayBounds) return bindRegCast(castName, this.bindExpr(n.arg, ctx), this.env.catalog, this.env.searchPath, n.location + 1);
        const t = resolveTypeName(n.typeName);
        let arg = n.arg;
        // interval '90' day: the unit qualifies a bare number.
        if (t.id === 'interval' && arg.A_Const?.sval && n.typeName.typmods) {
          const unit = intervalUnit(n.typeName.typmods[0]?.A_Const?.ival?.ival);
          const s: string = arg.A_Const.sval.sval;
          if (unit && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(s)) arg = { A_Const: { sval: { sval: `${s} ${unit}` }, location: arg.A_Const.location } };
        }
        const e = this.bindExpr(arg, ctx);
        if (e.k === 'param' && e.type.id === 'unknown') { this.env.paramTypes[e.idx] = t; return { ...e, type: t }; }
        if (!castExists(e.type, t)) throw new SqlError(SqlState.cannotCoerce, `cannot cast type ${displayType(e.type)} to ${displayType(t)}`, { position: n.location + 1 });
        try {
          return this.fold({ k: 'cast', arg: e, type: t });
        } catch (err) {
          if (err instanceof SqlError && err.position === undefined && arg.A_Const) err.position = arg.A_Const.location + 1;
          throw err;
        }
      }
      case 'A_Expr': return this.bindAExpr(n, ctx);
      case 'BoolExpr': {
        const args = n.args.map((a: any) => this.coerceTo(this.bindExpr(a, ctx), BOOL, `argument of ${n.boolop === 'AND_EXPR' ? 'AND' : n.boolop === 'OR_EXPR' ? 'OR' : 'NOT'}`));
        if (n.boolop === 'AND_EXPR') return and(args);
        if (n.boolop === 'OR_EXPR') return { k: 'or', args, type: BOOL };
        return { k: 'not', arg: args[0]!, type: BOOL };
      }
      case 'NullTest': {
        const arg = this.bindExpr(n.arg, ctx);
        return { k: 'isnull', arg, neg: n.nulltesttype === 'IS_NOT_NULL', type: BOOL };
      }
      case 'BooleanTest': {
        const arg = this.coerceTo(this.bindExpr(n.arg, ctx), BOOL, 'argument of IS TRUE');
        const t = n.booltesttype as string;
        const isTrue: Expr = { k: 'fn', name: 'coalesce', args: [arg, { k: 'const', value: !t.includes('TRUE'), type: BOOL }], type: BOOL };
        switch (t) {
          case 'IS_TRUE': return { k: 'fn', name: 'coalesce', args: [arg, { k: 'const', value: false, type: BOOL }], type: BOOL };
          case 'IS_NOT_TRUE': return { k: 'not', arg: { k: 'fn', name: 'coalesce', args: [arg, { k: 'const', value: false, type: BOOL }], type: BOOL }, type: BOOL };
          case 'IS_FALSE': return { k: 'not', arg: { k: 'fn', name: 'coalesce', args: [arg, { k: 'const', value: true, type: BOOL }], type: BOOL }, type: BOOL };
          case 'IS_NOT_FALSE': return isTrue;
          case 'IS_UNKNOWN': return { k: 'isnull', arg, neg: false, type: BOOL };
          default: return { k: 'isnull', arg, neg: true, type: BOOL };
        }
      }
      case 'CaseExpr': return this.bindCase(n, ctx);
      case 'CoalesceExpr': {
        const args = n.args.map((a: any) => this.bindExpr(a, ctx));
        return this.unify('coalesce', args, 'COALESCE');
      }
      case 'MinMaxExpr': {
        const args = n.args.map((a: any) => this.bindExpr(a, ctx));
        return this.unify(n.op === 'IS_GREATEST' ? 'greatest' : 'least', args, n.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST');
      }
      case 'FuncCall': return this.bindFuncCall(n, ctx);
      case 'SubLink': return this.bindSubLink(n, ctx);
      case 'SQLValueFunction': return bindSqlValueFunction(n);
      case 'A_Indirection': {
        // a[i] over the array text form; the element is typed unknown and cast where it is used.
        let e = this.bindExpr(n.arg, ctx);
        for (const ind of n.indirection ?? []) {
          const idx = ind.A_Indices;
          if (!idx || idx.is_slice || !idx.uidx) throw unsupported('array slices and field selection');
          e = { k: 'fn', name: 'array_subscript', args: [this.coerceTo(e, T.text, 'subscript'), this.coerceTo(this.bindExpr(idx.uidx, ctx), T.int4, 'array subscript')], type: T.unknown };
        }
        return e;
      }
      case 'RowExpr': throw unsupported('row constructors');
      case 'CollateClause': return this.bindExpr(n.arg, ctx);
      default:
        throw unsupported(`expression ${key}`);
    }
  }

  /** Binds f(args) where every argument must unify to one type (COALESCE, GREATEST, DECODE). */
  unify(fnName: string, args: Expr[], display: string): Expr {
    let t: SqlType = args[0]!.type;
    for (const a of args.slice(1)) {
      const c = commonType(t, a.type);
      if (!c) throw new SqlError(SqlState.datatypeMismatch, `${display} types ${displayType(t)} and ${displayType(a.type)} cannot be matched`);
      t = c;
    }
    if (t.id === 'unknown') t = T.text;
    return { k: 'fn', name: fnName, args: args.map((a) => this.coerceTo(a, t, display)), type: t };
  }

  private bindCase(n: any, ctx: ExprCtx): Expr {
    const subject = n.arg ? this.bindExpr(n.arg, ctx) : null;
    const whens = n.args.map((w: any) => {
      const cw = w.CaseWhen;
      let cond: Expr;
      if (subject) cond = this.compareExprs('eq', subject, this.bindExpr(cw.expr, ctx));
      else cond = this.coerceTo(this.bindExpr(cw.expr, ctx), BOOL, 'argument of CASE/WHEN');
      return { when: cond, then: this.bindExpr(cw.result, ctx) };
    });
    const els = n.defresult ? this.bindExpr(n.defresult, ctx) : null;
    let t: SqlType = whens[0].then.type;
    for (const x of [...whens.map((w: any) => w.then), ...(els ? [els] : [])]) {
      const c = commonType(t, x.type);
      if (!c) throw new SqlError(SqlState.datatypeMismatch, `CASE types ${displayType(t)} and ${displayType(x.type)} cannot be matched`);
      t = c;
    }
    if (t.id === 'unknown') t = T.text;
    return {
      k: 'case',
      whens: whens.map((w: any) => ({ when: w.when, then: this.coerceTo(w.then, t, 'CASE') })),
      else: els ? this.coerceTo(els, t, 'CASE') : null,
      type: t,
    };
  }

  private bindAExpr(n: any, ctx: ExprCtx): Expr {
    const pos = n.location >= 0 ? n.location + 1 : undefined;
    // OPERATOR(pg_catalog.~) names the operator with its schema: the operator is the last element.
    const opName: string = n.name?.at(-1)?.String?.sval ?? '';
    switch (n.kind) {
      case 'AEXPR_OP': {
        if (!n.lexpr) {
          const arg = this.bindExpr(n.rexpr, ctx);
          if (opName === '-') {
            if (arg.k === 'const' && typeof arg.value === 'number') return { ...arg, value: -arg.value };
            if (arg.k === 'const' && typeof arg.value === 'bigint') return { ...arg, value: -arg.value };
            return this.call('neg', [arg], pos);
          }
          if (opName === '+') return arg;
          throw unsupported(`prefix operator ${opName}`);
        }
        const a = this.bindExpr(n.lexpr, ctx);
        const b = this.bindExpr(n.rexpr, ctx);
        return this.binaryOp(opName, a, b, pos);
      }
      case 'AEXPR_IN': {
        const arg = this.bindExpr(n.lexpr, ctx);
        const list: Expr[] = n.rexpr.List.items.map((i: any) => this.bindExpr(i, ctx));
        let t = arg.type;
        for (const x of list) {
          const c = commonType(t, x.type);
          if (!c) throw this.opError('=', arg.type, x.type);
          t = c;
        }
        if (t.id === 'unknown') t = T.text;
        return { k: 'in', arg: this.coerceTo(arg, t, 'IN'), list: list.map((x) => this.coerceTo(x, t, 'IN')), neg: opName === '<>', type: BOOL };
      }
      case 'AEXPR_LIKE': case 'AEXPR_ILIKE': {
        const ci = n.kind === 'AEXPR_ILIKE';
        const neg = opName.startsWith('!');
        const a = this.bindExpr(n.lexpr, ctx);
        let pattern = n.rexpr;
        let escape: Expr | null = null;
        if (pattern.FuncCall && pattern.FuncCall.funcname.at(-1).String.sval === 'like_escape') {
          escape = this.bindExpr(pattern.FuncCall.args[1], ctx);
          pattern = pattern.FuncCall.args[0];
        }
        const p = this.bindExpr(pattern, ctx);
        if (!(isString(a.type) || a.type.id === 'unknown')) throw this.opError(ci ? '~~*' : '~~', a.type, p.type);
        const args = [this.coerceTo(a, T.text, 'LIKE'), this.coerceTo(p, T.text, 'LIKE')];
        if (escape) args.push(this.coerceTo(escape, T.text, 'LIKE'));
        return { k: 'fn', name: (neg ? 'not_' : '') + (ci ? 'ilike' : 'like'), args, type: BOOL };
      }
      case 'AEXPR_SIMILAR': throw unsupported('SIMILAR TO');
      case 'AEXPR_BETWEEN': case 'AEXPR_NOT_BETWEEN': case 'AEXPR_BETWEEN_SYM': case 'AEXPR_NOT_BETWEEN_SYM': {
        const a = this.bindExpr(n.lexpr, ctx);
        const [lo, hi] = n.rexpr.List.items.map((i: any) => this.bindExpr(i, ctx));
        const e = and([this.compareExprs('ge', a, lo, pos), this.compareExprs('le', a, hi, pos)]);
        return n.kind.includes('NOT') ? { k: 'not', arg: e, type: BOOL } : e;
      }
      case 'AEXPR_NULLIF': {
        const a = this.bindExpr(n.lexpr, ctx), b = this.bindExpr(n.rexpr, ctx);
        return this.call('nullif', [a, b], pos);
      }
      case 'AEXPR_DISTINCT': case 'AEXPR_NOT_DISTINCT': {
        const a = this.bindExpr(n.lexpr, ctx), b = this.bindExpr(n.rexpr, ctx);
        const eq = this.compareExprs('eq', a, b, pos);
        // a IS NOT DISTINCT FROM b: equal, or both NULL.
        const same: Expr = {
          k: 'or', type: BOOL, args: [
            { k: 'fn', name: 'coalesce', args: [eq, { k: 'const', value: false, type: BOOL }], type: BOOL },
            and([{ k: 'isnull', arg: a, neg: false, type: BOOL }, { k: 'isnull', arg: b, neg: false, type: BOOL }]),
          ],
        };
        return n.kind === 'AEXPR_DISTINCT' ? { k: 'not', arg: same, type: BOOL } : same;
      }
      case 'AEXPR_OP_ANY': case 'AEXPR_OP_ALL': {
        // x op ANY(array): arrays (catalog columns such as conkey) are PostgreSQL's array text form.
        const a = this.bindExpr(n.lexpr, ctx);
        const arr = this.bindExpr(n.rexpr, ctx);
        const txt = (v: string): Expr => ({ k: 'const', value: v, type: T.text });
        return { k: 'fn', name: 'array_compare', args: [this.coerceTo(a, T.text, opName), this.coerceTo(arr, T.text, opName), txt(opName), txt(n.kind === 'AEXPR_OP_ANY' ? 'any' : 'all')], type: BOOL };
      }
      default: throw unsupported(`operator kind ${n.kind}`);
    }
  }

  binaryOp(op: string, a: Expr, b: Expr, pos?: number): Expr {
    const map: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '=': 'eq', '<>': 'ne', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '||': 'concat_op' };
    const name = map[op];
    if (!name) {
      if (op === '~' || op === '~*' || op === '!~' || op === '!~*') {
        return { k: 'fn', name: 'regex_match', args: [this.coerceTo(a, T.text, op), this.coerceTo(b, T.text, op), { k: 'const', value: op, type: T.text }], type: BOOL };
      }
      if (op === '^') return this.call('power', [a, b], pos);
      throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${displayType(a.type)} ${op} ${displayType(b.type)}`, pos === undefined ? {} : { position: pos });
    }
    // Redshift: unknown literals in arithmetic with a date/timestamp are intervals ('1 day').
    return this.call(name, [a, b], pos, op);
  }

  /** f(args) OVER (PARTITION BY ... ORDER BY ... frame), Redshift's "Window functions". */
  private bindWindowCall(name: string, n: any, ctx: ExprCtx, pos?: number): Expr {
    const where = pos === undefined ? {} : { position: pos };
    if (!ctx.wins) throw new SqlError(SqlState.windowingError, `window functions are not allowed in ${ctx.clause}`, where);
    const over = n.over;
    if (over.name || over.refname) throw unsupported('named windows', pos);
    const inner: ExprCtx = { ...ctx, wins: null };
    const args: Expr[] = (n.args ?? []).map((a: any) => this.bindExpr(a, inner));
    const partition: Expr[] = (over.partitionClause ?? []).map((p: any) => this.bindExpr(p, inner));
    const order: SortKey[] = (over.orderClause ?? []).map((s: any) => {
      const sb = s.SortBy;
      const desc = sb.sortby_dir === 'SORTBY_DESC';
      return { expr: this.bindExpr(sb.node, inner), desc, nullsFirst: sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc };
    });
    const opts: number = over.frameOptions ?? 0;
    const explicit = (opts & 0x1) !== 0;
    const offset = (node: any, what: string): number => {
      const e = node ? this.bindExpr(node, inner) : null;
      if (!e || e.k !== 'const' || typeof e.value !== 'number' || e.value < 0) throw new SqlError(SqlState.invalidParameterValue ?? '22023', `frame ${what} offset must be a non-negative integer constant`, where);
      return e.value;
    };
    let frame: WindowFrame | null = null;
    if (explicit) {
      if ((opts & 0x8) !== 0) throw unsupported('GROUPS frames', pos);
      const mode = (opts & 0x4) !== 0 ? 'rows' : 'range';
      let start: number | null = 0, end: number | null = 0;
      if (opts & 0x20) start = null; else if (opts & 0x200) start = 0; else if (opts & 0x800) start = offset(over.startOffset, 'start'); else if (opts & 0x2000) start = -offset(over.startOffset, 'start');
      if (opts & 0x10) {
        if (opts & 0x100) end = null; else if (opts & 0x400) end = 0; else if (opts & 0x4000) end = offset(over.endOffset, 'end'); else if (opts & 0x1000) end = -offset(over.endOffset, 'end');
      }
      if (mode === 'range' && ((start !== null && start !== 0) || (end !== null && end !== 0))) throw unsupported('RANGE frames with offsets', pos);
      frame = { mode, start, end };
    }
    const argType = (i: number) => args[i]?.type ?? T.int8;
    let type: SqlType;
    let cargs = args;
    switch (name) {
      case 'row_number': case 'rank': case 'dense_rank': type = T.int8; break;
      case 'percent_rank': case 'cume_dist': type = T.float8; break;
      case 'ntile':
        if (args.length !== 1) throw new SqlError(SqlState.undefinedFunction, 'function ntile requires one argument', where);
        cargs = [this.coerceTo(args[0]!, T.int4, 'NTILE')]; type = T.int4; break;
      case 'lag': case 'lead': {
        if (args.length < 1 || args.length > 3) throw new SqlError(SqlState.undefinedFunction, `function ${name} takes 1 to 3 arguments`, where);
        const t = argType(0).id === 'unknown' ? T.text : argType(0);
        cargs = [this.coerceTo(args[0]!, t, name), ...(args[1] ? [this.coerceTo(args[1], T.int4, name)] : []), ...(args[2] ? [this.coerceTo(args[2], t, name)] : [])];
        type = t; break;
      }
      case 'first_value': case 'last_value': case 'nth_value':
        type = argType(0).id === 'unknown' ? T.text : argType(0);
        if (name === 'nth_value') cargs = [args[0]!, this.coerceTo(args[1]!, T.int4, name)];
        break;
      default: {
        if (!isAggregateName(name) && !n.agg_star) throw new SqlError(SqlState.undefinedFunction, `function ${name} is not a window function`, where);
        const fname = n.agg_star || (name === 'count' && args.length === 0) ? 'count_star' : name;
        if (n.agg_distinct) throw unsupported('DISTINCT in window aggregates', pos);
        if (order.length > 0 && !explicit) {
          // Redshift: "If an ORDER BY clause is used for an aggregate function, an explicit frame clause is required."
          throw new SqlError(SqlState.syntaxError, 'Aggregate window functions with an ORDER BY clause require a frame clause', where);
        }
        const r = aggregateResult(fname, fname === 'count_star' ? [] : args, false, (e, t) => this.coerceTo(e, t, name), pos);
        cargs = r.args; type = r.type; name = r.fn;
      }
    }
    if (['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead'].includes(name)) frame = null;
    else if (frame === null && order.length > 0 && ['first_value', 'last_value', 'nth_value'].includes(name)) frame = { mode: 'range', start: null, end: 0 };
    return ctx.wins.add({ fn: name, args: cargs, partition, order, frame, type }, n.funcname.at(-1).String.sval);
  }

  private bindFuncCall(n: any, ctx: ExprCtx): Expr {
    const names: string[] = n.funcname.map((f: any) => f.String.sval);
    let name = names.at(-1)!.toLowerCase();
    const pos = n.location >= 0 ? n.location + 1 : undefined;
    if (n.over) return this.bindWindowCall(name, n, ctx, pos);
    if (n.agg_within_group && name !== 'listagg' && name !== 'percentile_cont' && name !== 'median') throw unsupported(`${name} WITHIN GROUP`, pos);
    if (isAggregateName(name) || n.agg_star || n.agg_distinct) {
      if (!ctx.aggs) {
        throw new SqlError(SqlState.groupingError, `aggregate functions are not allowed in ${ctx.clause}`, pos === undefined ? {} : { position: pos });
      }
      // Arguments are bound in the input scope, without nested aggregates.
      const inner: ExprCtx = { ...ctx, aggs: null, wins: null, clause: 'aggregate function calls' };
      let args: Expr[] = (n.args ?? []).map((a: any) => this.bindExpr(a, inner));
      if (n.agg_star) { name = 'count_star'; args = []; }
      if (name === 'count' && args.length === 0) name = 'count_star';
      const filter = n.agg_filter ? this.coerceTo(this.bindExpr(n.agg_filter, inner), BOOL, 'FILTER') : null;
      const order: SortKey[] | undefined = n.agg_order?.map((s: any) => {
        const desc = s.SortBy.sortby_dir === 'SORTBY_DESC';
        return { expr: this.bindExpr(s.SortBy.node, inner), desc, nullsFirst: s.SortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : s.SortBy.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc };
      });
      const { fn, args: cargs, type } = aggregateResult(name, args, !!n.agg_distinct, (e, t) => this.coerceTo(e, t, name), pos);
      const call: AggCall = { fn, args: cargs, distinct: !!n.agg_distinct, filter, type };
      if (order) call.order = order;
      return ctx.aggs.add(call, names.at(-1)!.toLowerCase() === 'count' ? 'count' : name);
    }
    const special = bindSpecialFunction(name, n, this, ctx, pos);
    if (special) return this.fold(special);
    const args: Expr[] = (n.args ?? []).map((a: any) => this.bindExpr(a, ctx));
    if (!lookupFunction(name)) {
      throw new SqlError(SqlState.undefinedFunction, `function ${name}(${args.map((a) => displayType(a.type)).join(', ')}) does not exist`,
        { ...(pos === undefined ? {} : { position: pos }), hint: 'No function matches the given name and argument types. You might need to add explicit type casts.' });
    }
    return this.call(name, args, pos);
  }
}

// ---------------------------------------------------------------- helpers

export function displayType(t: SqlType): string {
  switch (t.id) {
    case 'int2': return 'smallint';
    case 'int4': return 'integer';
    case 'int8': return 'bigint';
    case 'float4': return 'real';
    case 'float8': return 'double precision';
    case 'bool': return 'boolean';
    case 'varchar': return 'character varying';
    case 'bpchar': return 'character';
    case 'timestamp': return 'timestamp without time zone';
    case 'timestamptz': return 'timestamp with time zone';
    default: return t.id;
  }
}

/**
 * ARRAY(SELECT x ...) as COALESCE((SELECT '{' || LISTAGG(x::text, ',') || '}' ...), '{}'): arrays are their
 * text form here, and the aggregate form lets a correlated ARRAY subquery decorrelate like a scalar one.
 */
function arraySublinkAsAggregate(sl: any): any {
  const sub = sl.subselect.SelectStmt;
  const target = sub.targetList?.[0]?.ResTarget?.val;
  const str = (v: string) => ({ A_Const: { sval: { sval: v }, location: -1 } });
  const cat = (a: any, b: any) => ({ A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '||' } }], lexpr: a, rexpr: b, location: -1 } });
  const asText = { TypeCast: { arg: target, typeName: { names: [{ String: { sval: 'text' } }], typemod: -1, location: -1 }, location: -1 } };
  const agg = { FuncCall: { funcname: [{ String: { sval: 'listagg' } }], args: [asText, str(',')], location: -1 } };
  const select = { ...sub, targetList: [{ ResTarget: { val: cat(cat(str('{'), agg), str('}')), location: -1 } }], sortClause: undefined };
  return { CoalesceExpr: { args: [{ SubLink: { subLinkType: 'EXPR_SUBLINK', subselect: { SelectStmt: select }, location: -1 } }, str('{}')], location: -1 } };
}

/** Whether a select list calls an aggregate outside nested subqueries. */
function hasAggregateCall(node: any): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasAggregateCall);
  if (node.SubLink) return false;
  const f = node.FuncCall;
  if (f && !f.over && (f.agg_star || isAggregateName(f.funcname.at(-1).String.sval.toLowerCase()))) return true;
  return Object.values(node).some(hasAggregateCall);
}

function correlatedUnsupported(): SqlError {
  // Redshift's own wording for correlated subqueries it cannot plan.
  return new SqlError(SqlState.featureNotSupported, 'This type of correlated subquery pattern is not supported yet');
}

function splitAnd(node: any): any[] {
  if (node.BoolExpr?.boolop === 'AND_EXPR') return node.BoolExpr.args.flatMap(splitAnd);
  return [node];
}

function ordinalOf(node: any): number | undefined {
  const c = node?.A_Const;
  if (c && c.ival !== undefined) return c.ival.ival ?? 0;
  return undefined;
}

function bareName(node: any): string | undefined {
  const f = node?.ColumnRef?.fields;
  if (f && f.length === 1 && f[0].String) return f[0].String.sval;
  return undefined;
}

function posOf(node: any): { position?: number } {
  const loc = node?.A_Const?.location ?? node?.ColumnRef?.location;
  return loc !== undefined && loc >= 0 ? { position: loc + 1 } : {};
}

function intervalUnit(mask: number | undefined): string | null {
  switch (mask) {
    case 4: return 'years';
    case 2: return 'months';
    case 8: return 'days';
    case 1024: return 'hours';
    case 2048: return 'minutes';
    case 4096: return 'seconds';
    default: return null;
  }
}

/** Literal constants: integers are int4 (int8/numeric when larger), decimals numeric, strings unknown. */
export function bindConst(n: any): Expr {
  if (n.isnull) return { k: 'const', value: null, type: T.unknown };
  if (n.ival !== undefined) return { k: 'const', value: n.ival.ival ?? 0, type: T.int4 };
  if (n.fval !== undefined) {
    const s: string = n.fval.fval;
    if (/^[-+]?\d+$/.test(s)) {
      const v = BigInt(s);
      if (v <= 0x7fffffffffffffffn && v >= -0x8000000000000000n) return { k: 'const', value: v, type: T.int8 };
      return { k: 'const', value: v, type: T.numeric(Math.min(38, s.replace(/^[-+]/, '').length), 0) };
    }
    if (/[eE]/.test(s)) return { k: 'const', value: Number(s), type: T.float8 };
    const [ip = '', fp = ''] = s.replace(/^[-+]/, '').split('.');
    const scale = fp.length;
    const precision = Math.max(1, ip.replace(/^0+/, '').length + scale);
    const digits = (ip + fp).replace(/^0+(?=\d)/, '') || '0';
    const v = BigInt(digits) * (s.startsWith('-') ? -1n : 1n);
    return { k: 'const', value: v, type: T.numeric(Math.min(38, precision), Math.min(38, scale)) };
  }
  if (n.sval !== undefined) return { k: 'const', value: n.sval.sval ?? '', type: T.unknown };
  if (n.boolval !== undefined) return { k: 'const', value: !!n.boolval.boolval, type: T.bool };
  if (n.bsval !== undefined) throw unsupported('bit string literals');
  return { k: 'const', value: n.ival?.ival ?? 0, type: T.int4 };
}

function bindSqlValueFunction(n: any): Expr {
  switch (n.op) {
    case 'SVFOP_CURRENT_DATE': return { k: 'fn', name: 'current_date', args: [], type: T.date };
    case 'SVFOP_CURRENT_TIMESTAMP': case 'SVFOP_CURRENT_TIMESTAMP_N': case 'SVFOP_LOCALTIMESTAMP': case 'SVFOP_LOCALTIMESTAMP_N':
      return { k: 'fn', name: 'now', args: [], type: n.op.startsWith('SVFOP_LOCAL') ? T.timestamp : T.timestamptz };
    case 'SVFOP_CURRENT_TIME': case 'SVFOP_CURRENT_TIME_N': case 'SVFOP_LOCALTIME': case 'SVFOP_LOCALTIME_N':
      return { k: 'fn', name: 'current_time', args: [], type: T.time };
    case 'SVFOP_CURRENT_USER': case 'SVFOP_USER': case 'SVFOP_SESSION_USER': case 'SVFOP_CURRENT_ROLE':
      return { k: 'fn', name: 'current_user', args: [], type: T.name };
    case 'SVFOP_CURRENT_SCHEMA': return { k: 'fn', name: 'current_schema', args: [], type: T.name };
    case 'SVFOP_CURRENT_CATALOG': return { k: 'fn', name: 'current_database', args: [], type: T.name };
    default: throw unsupported(n.op);
  }
}

export type { ExprCtx };
export { isNumeric, substitute, conjuncts };
