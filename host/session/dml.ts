// DML: INSERT (VALUES, SELECT, DEFAULT, IDENTITY columns), DELETE and UPDATE over one table, and
// TRUNCATE. Rows are conformed to the column types with assignment casts (22001 on overlong
// strings) and NOT NULL is checked (23502) before anything is written.
import { type Batch, type Vector, batchFromRows, gatherBatch, valueAt, vectorFromValues } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { evalExpr, evalPredicate } from '../exec/eval.js';
import { castVector } from '../functions/cast.js';
import type { ParsedStatement } from '../front/parse.js';
import type { Expr } from '../plan/expr.js';
import { appendRows, rewriteSlices } from '../storage/table-data.js';
import { sameType } from '../types/sql-type.js';
import type { ExecuteOptions, StatementResult } from './api.js';
import type { Session } from './session.js';
import { convertParams } from './session.js';
import { Scope } from '../bind/scope.js';
import { parseStatements } from '../front/parse.js';
import { mapChildren } from '../plan/expr.js';
import { deleteUsing, updateFrom } from './dml-join.js';

export async function executeDml(s: Session, key: string, n: any, st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  switch (key) {
    case 'InsertStmt': return insert(s, n, st, params, options, signal);
    case 'DeleteStmt': return n.usingClause?.length ? deleteUsing(s, n, st, params, options, signal) : deleteRows(s, n, params, options);
    case 'UpdateStmt': return n.fromClause?.length ? updateFrom(s, n, st, params, options, signal) : update(s, n, params, options);
    case 'TruncateStmt': {
      for (const rv of n.relations) {
        const def = tableOf(s, rv.RangeVar);
        s.writeData(def, rewriteSlices(s.dataOf(def), () => null, s.engine.store));
      }
      return { command: 'TRUNCATE TABLE', rowCount: 0, fields: null, rows: [] };
    }
    default: throw unsupported(key);
  }
}

function tableOf(s: Session, rv: any): TableDef {
  const rel = s.engine.catalog.get(rv.relname, rv.schemaname, s.searchPath(), rv.location + 1);
  if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot change view "${rel.name}"`);
  return rel;
}

async function insert(s: Session, n: any, st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  if (n.returningList) throw unsupported('INSERT ... RETURNING');
  if (n.onConflictClause) throw unsupported('INSERT ... ON CONFLICT');
  const def = tableOf(s, n.relation);
  const target: number[] = n.cols
    ? n.cols.map((c: any) => {
      const i = def.columns.findIndex((d) => d.name === c.ResTarget.name);
      if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${c.ResTarget.name}" of relation "${def.name}" does not exist`, { position: c.ResTarget.location + 1 });
      return i;
    })
    : def.columns.map((_, i) => i);
  if (new Set(target).size !== target.length) throw new SqlError(SqlState.duplicateColumn, 'column specified more than once');
  const sel = n.selectStmt?.SelectStmt;
  let rows: Batch;
  if (!sel) {
    rows = { columns: [], length: 1 }; // INSERT ... DEFAULT VALUES
    target.length = 0;
  } else if (sel.valuesLists && !sel.sortClause && !sel.limitCount) {
    rows = bindInsertValues(s, def, target, sel.valuesLists, params, options);
  } else {
    const out = await s.selectBatch(st, sel, params, options, signal);
    if (out.fields.length > target.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns');
    if (out.fields.length < target.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions');
    rows = out.batch;
  }
  const full = conformRows(s, def, target, rows);
  s.writeData(def, appendRows(def, s.dataOf(def), full, s.engine.store));
  return { command: 'INSERT', rowCount: full.length, fields: null, rows: [] };
}

/** VALUES rows of an INSERT, with DEFAULT items, typed by their target columns. */
function bindInsertValues(s: Session, def: TableDef, target: number[], lists: any[], params: readonly unknown[], options: ExecuteOptions): Batch {
  const paramTypes = [...(options.paramTypes ?? [])];
  const binder = s.newBinder(paramTypes);
  const scope = new Scope(null);
  const DEFAULT = Symbol('default');
  const exprRows: (Expr | typeof DEFAULT)[][] = lists.map((l: any) => {
    const items = l.List.items;
    if (items.length > target.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns', { position: (items[target.length]?.A_Const?.location ?? -1) + 1 || undefined } as never);
    if (items.length < target.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions');
    return items.map((it: any, i: number) => {
      if (it.SetToDefault) return DEFAULT;
      const e = binder.bindExpr(it, { scope, aggs: null, from: null, clause: 'VALUES', ctes: null });
      const col = def.columns[target[i]!]!;
      if (e.k === 'param' && e.type.id === 'unknown') { paramTypes[e.idx] = col.type; return { ...e, type: col.type }; }
      return e;
    });
  });
  const values = convertParams(params, paramTypes);
  const ctx = { params: values, planValues: new Map(), planSets: new Map(), fn: { now: BigInt(Date.now()) * 1000n, user: s.user, schema: s.currentSchema(), database: s.database } };
  const one: Batch = { columns: [], length: 1 };
  const out: unknown[][] = exprRows.map((r) => r.map((e, i) => {
    if (e === DEFAULT) return DEFAULT_MARK;
    const col = def.columns[target[i]!]!;
    let v = evalExpr(e, one, ctx);
    if (!sameType(v.type, col.type)) v = castVector(v, col.type, 1, 'assign');
    return valueAt(v, 0);
  }));
  return batchFromRowsWithDefaults(def, target, out);
}

const DEFAULT_MARK = { default: true };

function batchFromRowsWithDefaults(def: TableDef, target: number[], rows: unknown[][]): Batch {
  const cols: Vector[] = target.map((t, i) => {
    const vals = rows.map((r) => r[i]);
    if (vals.some((v) => v === DEFAULT_MARK)) return { type: def.columns[t]!.type, length: rows.length, data: vals as unknown[], valid: null } as Vector;
    return vectorFromValues(def.columns[t]!.type, vals);
  });
  return { columns: cols, length: rows.length };
}

/** Builds full table rows from the target columns' values, filling defaults and identities. */
function conformRows(s: Session, def: TableDef, target: number[], rows: Batch): Batch {
  const n = rows.length;
  const columns: Vector[] = def.columns.map((col, ci) => {
    const ti = target.indexOf(ci);
    let given: unknown[] | null = null;
    if (ti >= 0) {
      let v = rows.columns[ti]!;
      const marks = Array.isArray(v.data) && (v.data as unknown[]).some((x) => x === DEFAULT_MARK);
      if (!marks) {
        if (!sameType(v.type, col.type)) v = castVector(v, col.type, n, 'assign');
        else if ((col.type.id === 'varchar' || col.type.id === 'bpchar') && col.type.length !== undefined) v = castVector({ ...v, type: { id: 'text' } }, col.type, n, 'assign');
        checkNotNull(def, ci, v);
        return v;
      }
      given = v.data as unknown[];
    }
    const vals = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      if (given && given[i] !== DEFAULT_MARK) { vals[i] = given[i]; continue; }
      vals[i] = defaultValue(s, def, ci);
    }
    const v = vectorFromValues(col.type, vals);
    checkNotNull(def, ci, v);
    return v;
  });
  return { columns, length: n };
}

export function defaultValue(s: Session, def: TableDef, ci: number): unknown {
  const col = def.columns[ci]!;
  if (col.identity) {
    const v = col.identity.next;
    col.identity.next += col.identity.step;
    return col.type.id === 'int8' ? v : Number(v);
  }
  if (!col.defaultSql) return null;
  const binder = s.newBinder([]);
  const ast = parseExpr(col.defaultSql);
  let e = binder.bindExpr(ast, { scope: new Scope(null), aggs: null, from: null, clause: 'DEFAULT', ctes: null });
  if (!sameType(e.type, col.type)) e = binder.coerceTo(e, col.type, 'DEFAULT');
  const ctx = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: BigInt(Date.now()) * 1000n, user: s.user, schema: s.currentSchema(), database: s.database } };
  return valueAt(castVector(evalExpr(e, { columns: [], length: 1 }, ctx), col.type, 1, 'assign'), 0);
}

function parseExpr(sql: string): any {
  const [st] = parseStatements(`SELECT ${sql}`);
  return st!.ast.SelectStmt.targetList[0].ResTarget.val;
}

function checkNotNull(def: TableDef, ci: number, v: Vector): void {
  const col = def.columns[ci]!;
  if (!col.notNull || v.valid === null) return;
  for (let i = 0; i < v.length; i++) {
    if (valueAt(v, i) === null) throw new SqlError(SqlState.notNullViolation, `null value in column "${col.name}" violates not-null constraint`, { table: def.name, column: col.name });
  }
}

/** Binds a predicate/expressions over the table's columns (batch column i = table column i). */
function tableScope(s: Session, def: TableDef, alias: string, paramTypes: (import('../types/sql-type.js').SqlType | undefined)[]) {
  const binder = s.newBinder(paramTypes);
  const scope = new Scope(null);
  binder.getTable(def, alias, undefined, scope);
  const ids = scope.rels[0]!.cols.map((c) => c.id);
  const phys = (e: Expr): Expr => {
    if (e.k === 'ref') return { k: 'col', idx: ids.indexOf(e.id), type: e.type };
    return mapChildren(e, phys);
  };
  return { binder, scope, phys };
}


function deleteRows(s: Session, n: any, params: readonly unknown[], options: ExecuteOptions): StatementResult {
  if (n.usingClause) throw unsupported('DELETE ... USING');
  if (n.returningList) throw unsupported('DELETE ... RETURNING');
  const def = tableOf(s, n.relation);
  const paramTypes = [...(options.paramTypes ?? [])];
  const { binder, scope, phys } = tableScope(s, def, n.relation.alias?.aliasname ?? def.name, paramTypes);
  const pred = n.whereClause ? phys(binder.coerceTo(binder.bindExpr(n.whereClause, { scope, aggs: null, from: null, clause: 'WHERE', ctes: null }), { id: 'bool' }, 'argument of WHERE')) : null;
  if (binder.initPlans.length) throw unsupported('subqueries in DELETE ... WHERE');
  const ctx = { params: convertParams(params, paramTypes), planValues: new Map(), planSets: new Map(), fn: { now: BigInt(Date.now()) * 1000n, user: s.user, schema: s.currentSchema(), database: s.database } };
  let deleted = 0;
  const data = rewriteSlices(s.dataOf(def), (chunk) => {
    if (!pred) { deleted += chunk.length; return null; }
    const { sel, count } = evalPredicate(pred, chunk, ctx);
    if (count === 0) return chunk;
    deleted += count;
    const keep: number[] = [];
    let j = 0;
    for (let i = 0; i < chunk.length; i++) { if (j < count && sel[j] === i) { j++; continue; } keep.push(i); }
    return gatherBatch(chunk, keep, keep.length);
  }, s.engine.store);
  s.writeData(def, data);
  return { command: 'DELETE', rowCount: deleted, fields: null, rows: [] };
}

function update(s: Session, n: any, params: readonly unknown[], options: ExecuteOptions): StatementResult {
  if (n.fromClause?.length) throw unsupported('UPDATE ... FROM');
  if (n.returningList) throw unsupported('UPDATE ... RETURNING');
  const def = tableOf(s, n.relation);
  const paramTypes = [...(options.paramTypes ?? [])];
  const { binder, scope, phys } = tableScope(s, def, n.relation.alias?.aliasname ?? def.name, paramTypes);
  const ectx = { scope, aggs: null, from: null, clause: 'UPDATE', ctes: null };
  const pred = n.whereClause ? phys(binder.coerceTo(binder.bindExpr(n.whereClause, { ...ectx, clause: 'WHERE' }), { id: 'bool' }, 'argument of WHERE')) : null;
  const sets: { col: number; expr: Expr }[] = n.targetList.map((t: any) => {
    const rt = t.ResTarget;
    const ci = def.columns.findIndex((c) => c.name === rt.name);
    if (ci < 0) throw new SqlError(SqlState.undefinedColumn, `column "${rt.name}" of relation "${def.name}" does not exist`, { position: rt.location + 1 });
    if (rt.val.SetToDefault) return { col: ci, expr: { k: 'const', value: null, type: def.columns[ci]!.type } as Expr };
    let e = binder.bindExpr(rt.val, ectx);
    if (e.k === 'param' && e.type.id === 'unknown') { paramTypes[e.idx] = def.columns[ci]!.type; e = { ...e, type: def.columns[ci]!.type }; }
    return { col: ci, expr: phys(e) };
  });
  if (binder.initPlans.length) throw unsupported('subqueries in UPDATE');
  const ctx = { params: convertParams(params, paramTypes), planValues: new Map(), planSets: new Map(), fn: { now: BigInt(Date.now()) * 1000n, user: s.user, schema: s.currentSchema(), database: s.database } };
  let updated = 0;
  const changedKey = sets.some((x) => x.col === def.distkey);
  const moved: Batch[] = [];
  let data = rewriteSlices(s.dataOf(def), (chunk) => {
    let sel: Int32Array | number[] = [];
    let count: number;
    if (pred) ({ sel, count } = evalPredicate(pred, chunk, ctx));
    else { count = chunk.length; sel = Int32Array.from({ length: count }, (_, i) => i); }
    if (count === 0) return chunk;
    updated += count;
    const picked = gatherBatch(chunk, sel, count);
    const newCols = [...picked.columns];
    for (const x of sets) {
      let v = evalExpr(x.expr, picked, ctx);
      const col = def.columns[x.col]!;
      if (!sameType(v.type, col.type)) v = castVector(v, col.type, count, 'assign');
      checkNotNull(def, x.col, v);
      newCols[x.col] = v;
    }
    const changed: Batch = { columns: newCols, length: count };
    const keep: number[] = [];
    let j = 0;
    for (let i = 0; i < chunk.length; i++) { if (j < count && sel[j] === i) { j++; continue; } keep.push(i); }
    if (changedKey) { moved.push(changed); return gatherBatch(chunk, keep, keep.length); }
    // Updated rows stay on their slice: rebuild the chunk in the original order.
    const out: Batch = { columns: chunk.columns.map((c, ci) => mergeColumn(c, changed.columns[ci]!, sel as ArrayLike<number>, count)), length: chunk.length };
    return out;
  }, s.engine.store);
  for (const m of moved) data = appendRows(def, data, m, s.engine.store);
  s.writeData(def, data);
  return { command: 'UPDATE', rowCount: updated, fields: null, rows: [] };
}

function mergeColumn(orig: Vector, changed: Vector, sel: ArrayLike<number>, count: number): Vector {
  const vals: unknown[] = new Array(orig.length);
  for (let i = 0; i < orig.length; i++) vals[i] = valueAt(orig, i);
  for (let j = 0; j < count; j++) vals[sel[j]!] = valueAt(changed, j);
  return vectorFromValues(orig.type, vals);
}


/** Binds an UPDATE/DELETE without running it, to learn the types of its parameters (Describe). */
export function inferWhereParams(s: Session, ast: any, types: (import('../types/sql-type.js').SqlType | undefined)[]): (import('../types/sql-type.js').SqlType | undefined)[] {
  const n = ast.UpdateStmt ?? ast.DeleteStmt;
  const paramTypes = [...types];
  try {
    const def = tableOf(s, n.relation);
    const { binder, scope } = tableScope(s, def, n.relation.alias?.aliasname ?? def.name, paramTypes);
    const ectx = { scope, aggs: null, from: null, clause: 'WHERE', ctes: null };
    if (n.whereClause) binder.coerceTo(binder.bindExpr(n.whereClause, ectx), { id: 'bool' }, 'argument of WHERE');
    for (const t of n.targetList ?? []) {
      const rt = t.ResTarget;
      const col = def.columns.find((c) => c.name === rt.name);
      if (!col || rt.val.SetToDefault) continue;
      const e = binder.bindExpr(rt.val, ectx);
      if (e.k === 'param' && e.type.id === 'unknown') paramTypes[e.idx] = col.type;
      else if (e.type.id === 'unknown') binder.coerceTo(e, col.type, 'SET');
    }
  } catch { /* Describe reports what it could infer; Execute reports the error. */ }
  return paramTypes;
}
