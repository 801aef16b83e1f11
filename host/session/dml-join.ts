// DELETE ... USING and UPDATE ... FROM: the statement becomes a SELECT of the target's row identity
// (and, for UPDATE, the new values) joined to the other tables, planned and run by the engine like
// any query; the leader then rewrites the matched rows of the target's chunks (row-identity.ts).
import { type Batch, gatherBatch, valueAt, vectorFromValues } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import type { ExecuteOptions, StatementResult } from './api.js';
import { defaultValue } from './dml.js';
import { planQuery, runQuery } from './query.js';
import { explainStatement } from '../plan/explain.js';
import { T, type SqlType } from '../types/sql-type.js';
import { applyChanges, conformColumn, ROWID, TargetView } from './row-identity.js';
import type { Session } from './session.js';
import { convertParams } from './session.js';

export function targetTable(s: Session, rv: any): TableDef {
  const rel = s.engine.catalog.get(rv.relname, rv.schemaname, s.searchPath(), rv.location + 1);
  if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot change view "${rel.name}"`);
  return rel;
}

const colRef = (...names: string[]) => ({ ColumnRef: { fields: names.map((n) => ({ String: { sval: n } })) } });

/**
 * Runs `SELECT <items> FROM <stand-in AS alias>, <from...> WHERE <where>` and returns the batch;
 * column 0 is the target row identity (a JS number).
 */
export async function selectTargetRows(s: Session, view: TargetView, alias: string, from: any[], where: any, items: any[], params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal, paramTypes: (SqlType | undefined)[], joinTarget?: (targetItem: any) => any[]): Promise<{ batch: Batch; ids: number[] }> {
  const select = targetSelect(view, alias, from, where, items, joinTarget);
  const planned = planTargetSelect(s, view, select, paramTypes);
  const batch = await runQuery(planned, view.runEnv(convertParams(params, paramTypes), signal), s.engine.executor);
  const idv = batch.columns[0]!;
  const ids: number[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) { const v = valueAt(idv, i); ids[i] = v === null ? -1 : Number(v); }
  return { batch, ids };
}

/** The SELECT AST of a joined DML statement: the target's identity and `items`, over the stand-in joined to `from`. */
function targetSelect(view: TargetView, alias: string, from: any[], where: any, items: any[], joinTarget?: (targetItem: any) => any[]) {
  const targetItem = { RangeVar: { relname: view.name, inh: true, relpersistence: 'p', alias: { aliasname: alias }, location: -1 } };
  return {
    targetList: [colRef(alias, ROWID), ...items].map((val) => ({ ResTarget: { val } })),
    fromClause: joinTarget ? joinTarget(targetItem) : [targetItem, ...from],
    whereClause: where ?? undefined,
    limitOption: 'LIMIT_OPTION_DEFAULT',
    op: 'SETOP_NONE',
  };
}

function planTargetSelect(s: Session, view: TargetView, select: any, paramTypes: (SqlType | undefined)[]) {
  const bound = view.binder(paramTypes).bindQuery(select);
  return planQuery(bound, view.stats() as never, s.engine.slices);
}

/** EXPLAIN of DELETE ... USING / UPDATE ... FROM: the plan of the join that finds the target rows. */
export function explainJoinDml(s: Session, n: any, isDelete: boolean, options: ExecuteOptions): StatementResult {
  const def = targetTable(s, n.relation);
  const view = new TargetView(s, def);
  const alias = n.relation.alias?.aliasname ?? def.name;
  const paramTypes = [...(options.paramTypes ?? [])];
  const items = isDelete ? [] : setItems(def, n.targetList, paramTypes).items;
  const planned = planTargetSelect(s, view, targetSelect(view, alias, isDelete ? n.usingClause : n.fromClause, n.whereClause, items), paramTypes);
  // The stand-in scans as the target table.
  const lines = explainStatement(planned.root, planned.initPlans.map((ip) => ip.plan)).map((l) => l.split(view.name).join(def.name));
  return { command: 'EXPLAIN', rowCount: lines.length, fields: [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }], rows: lines.map((l) => [l]) };
}

/** DELETE FROM t [AS a] USING u, v WHERE ...: deletes each target row that has a match. */
export async function deleteUsing(s: Session, n: any, _st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  if (n.returningList) throw unsupported('DELETE ... RETURNING');
  const def = targetTable(s, n.relation);
  const view = new TargetView(s, def);
  const alias = n.relation.alias?.aliasname ?? def.name;
  const paramTypes = [...(options.paramTypes ?? [])];
  const { ids } = await selectTargetRows(s, view, alias, n.usingClause, n.whereClause, [], params, options, signal, paramTypes);
  const deleted = new Set(ids);
  if (deleted.size) s.writeData(def, applyChanges(s, def, deleted, new Map()));
  return { command: 'DELETE', rowCount: deleted.size, fields: null, rows: [] };
}

/**
 * UPDATE t [AS a] SET c = e, ... FROM u WHERE ...: a target row matched by several joined rows is
 * updated once from one of them, or fails when error_on_nondeterministic_update is true
 * (Redshift: "error_on_nondeterministic_update" configuration reference).
 */
export async function updateFrom(s: Session, n: any, _st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  if (n.returningList) throw unsupported('UPDATE ... RETURNING');
  const def = targetTable(s, n.relation);
  const view = new TargetView(s, def);
  const alias = n.relation.alias?.aliasname ?? def.name;
  const paramTypes = [...(options.paramTypes ?? [])];
  const { items, sets } = setItems(def, n.targetList, paramTypes);
  const { batch, ids } = await selectTargetRows(s, view, alias, n.fromClause, n.whereClause, [...def.columns.map((c) => colRef(alias, c.name)), ...items], params, options, signal, paramTypes);
  const updated = applySets(s, def, batch, ids, sets, 1, strictUpdate(s));
  if (updated.size) s.writeData(def, applyChanges(s, def, new Set(), updated));
  return { command: 'UPDATE', rowCount: updated.size, fields: null, rows: [] };
}

export function strictUpdate(s: Session): boolean {
  const v = (s.getSetting('error_on_nondeterministic_update') ?? 'false').toLowerCase();
  return v === 'true' || v === 'on' || v === '1';
}

export const multipleMatches = () => new SqlError(SqlState.internalError, 'Found multiple matches to update the same tuple.');

/** SET items as select-list expressions (DEFAULT becomes NULL, filled in later) and their target columns. */
export function setItems(def: TableDef, targetList: any[], paramTypes: (SqlType | undefined)[]): { items: any[]; sets: { col: number; isDefault: boolean }[] } {
  const items: any[] = [];
  const sets: { col: number; isDefault: boolean }[] = [];
  const seen = new Set<number>();
  for (const t of targetList) {
    const rt = t.ResTarget;
    const ci = def.columns.findIndex((c) => c.name === rt.name);
    if (ci < 0) throw new SqlError(SqlState.undefinedColumn, `column "${rt.name}" of relation "${def.name}" does not exist`, { position: rt.location + 1 });
    if (seen.has(ci)) throw new SqlError(SqlState.syntaxError, `multiple assignments to same column "${rt.name}"`);
    seen.add(ci);
    const isDefault = !!rt.val.SetToDefault;
    if (rt.val.ParamRef && paramTypes[rt.val.ParamRef.number - 1] === undefined) paramTypes[rt.val.ParamRef.number - 1] = def.columns[ci]!.type;
    items.push(isDefault ? { A_Const: { isnull: true } } : rt.val);
    sets.push({ col: ci, isDefault });
  }
  return { items, sets };
}

/**
 * Builds the new full rows of the matched target rows: `batch` holds the identity at column 0, the
 * target's columns from `first`, then one column per SET item. Returns new rows by identity.
 */
export function applySets(s: Session, def: TableDef, batch: Batch, ids: number[], sets: { col: number; isDefault: boolean }[], first: number, strict: boolean, rowsOf?: number[]): Map<number, { batch: Batch; row: number }> {
  const pick: number[] = [];
  const seen = new Set<number>();
  const candidates = rowsOf ?? ids.map((_, i) => i);
  for (const i of candidates) {
    const id = ids[i]!;
    if (seen.has(id)) { if (strict) throw multipleMatches(); continue; }
    seen.add(id);
    pick.push(i);
  }
  const out = new Map<number, { batch: Batch; row: number }>();
  if (!pick.length) return out;
  const g = gatherBatch(batch, pick, pick.length);
  const n = pick.length;
  const columns = def.columns.map((_, ci) => {
    const k = sets.findIndex((x) => x.col === ci);
    if (k < 0) return g.columns[first + ci]!;
    if (sets[k]!.isDefault) return conformColumn(def, ci, vectorFromValues(def.columns[ci]!.type, Array.from({ length: n }, () => defaultValue(s, def, ci))), n);
    return conformColumn(def, ci, g.columns[first + def.columns.length + k]!, n);
  });
  const full: Batch = { columns, length: n };
  pick.forEach((i, j) => out.set(ids[i]!, { batch: full, row: j }));
  return out;
}
