// MERGE INTO t USING s ON ... WHEN MATCHED THEN UPDATE/DELETE WHEN NOT MATCHED THEN INSERT, as
// Redshift documents it (r_MERGE): one query, source LEFT JOIN a stand-in of the target carrying
// row identities; matched rows are updated or deleted in place, unmatched source rows appended.
import { type Batch, gatherBatch, vectorFromValues } from '../batch/vector.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import { appendRows } from '../storage/table-data.js';
import type { ExecuteOptions, StatementResult } from './api.js';
import { applySets, multipleMatches, selectTargetRows, setItems, targetTable } from './dml-join.js';
import { defaultValue } from './dml.js';
import { applyChanges, conformColumn, TargetView } from './row-identity.js';
import type { Session } from './session.js';

export async function executeMerge(s: Session, n: any, _st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  if (n.withClause) throw unsupported('WITH in MERGE');
  if (n.returningList) throw unsupported('MERGE ... RETURNING');
  const def = targetTable(s, n.relation);
  const src = n.sourceRelation;
  // Redshift: "source_table can't be a view or a subquery".
  if (!src?.RangeVar) throw new SqlError(SqlState.featureNotSupported, 'MERGE source must be a table, not a subquery');
  const srcRel = s.engine.catalog.find(src.RangeVar.relname, src.RangeVar.schemaname, s.searchPath());
  if (srcRel && srcRel.kind !== 'table') throw new SqlError(SqlState.featureNotSupported, `MERGE source "${srcRel.name}" must be a table, not a view`);
  const clauses: any[] = (n.mergeWhenClauses ?? []).map((c: any) => c.MergeWhenClause);
  const matched = clauses.filter((c) => c.matchKind === 'MERGE_WHEN_MATCHED');
  const notMatched = clauses.filter((c) => c.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_TARGET');
  if (clauses.some((c) => c.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE')) throw unsupported('WHEN NOT MATCHED BY SOURCE');
  if (matched.length !== 1 || notMatched.length !== 1) throw new SqlError(SqlState.syntaxError, 'MERGE requires exactly one WHEN MATCHED clause and one WHEN NOT MATCHED clause');
  const m = matched[0]!;
  const nm = notMatched[0]!;
  if (m.condition || nm.condition) throw unsupported('conditions on MERGE WHEN clauses');
  if (m.commandType !== 'CMD_UPDATE' && m.commandType !== 'CMD_DELETE') throw new SqlError(SqlState.syntaxError, 'WHEN MATCHED allows only UPDATE or DELETE');
  if (nm.commandType !== 'CMD_INSERT') throw new SqlError(SqlState.syntaxError, 'WHEN NOT MATCHED allows only INSERT');

  const view = new TargetView(s, def);
  const alias = n.relation.alias?.aliasname ?? def.name;
  const paramTypes = [...(options.paramTypes ?? [])];
  const ncols = def.columns.length;
  const upd = m.commandType === 'CMD_UPDATE' ? setItems(def, m.targetList, paramTypes) : { items: [], sets: [] };
  // INSERT target columns (all, in order, when none are listed) and their value expressions.
  const insCols: number[] = nm.targetList?.length
    ? nm.targetList.map((t: any) => {
      const ci = def.columns.findIndex((c) => c.name === t.ResTarget.name);
      if (ci < 0) throw new SqlError(SqlState.undefinedColumn, `column "${t.ResTarget.name}" of relation "${def.name}" does not exist`, { position: t.ResTarget.location + 1 });
      return ci;
    })
    : def.columns.map((_, i) => i);
  if (new Set(insCols).size !== insCols.length) throw new SqlError(SqlState.duplicateColumn, 'column specified more than once');
  const values: any[] = nm.values ?? [];
  if (values.length > insCols.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns');
  if (values.length < insCols.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions');
  const insIsDefault = values.map((v) => !!v.SetToDefault);
  values.forEach((v, i) => { if (v.ParamRef && paramTypes[v.ParamRef.number - 1] === undefined) paramTypes[v.ParamRef.number - 1] = def.columns[insCols[i]!]!.type; });
  const insItems = values.map((v) => (v.SetToDefault ? { A_Const: { isnull: true } } : v));

  const colRef = (a: string, c: string) => ({ ColumnRef: { fields: [{ String: { sval: a } }, { String: { sval: c } }] } });
  const items = [...def.columns.map((c) => colRef(alias, c.name)), ...upd.items, ...insItems];
  const { batch, ids } = await selectTargetRows(s, view, alias, [], null, items, params, options, signal, paramTypes,
    (targetItem) => [{ JoinExpr: { jointype: 'JOIN_LEFT', larg: src, rarg: targetItem, quals: n.joinCondition } }]);

  const matchedRows: number[] = [];
  const unmatchedRows: number[] = [];
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    if (id < 0) { unmatchedRows.push(i); return; }
    // Redshift: a target row matched by more than one source row is an error.
    if (seen.has(id)) throw multipleMatches();
    seen.add(id);
    matchedRows.push(i);
  });

  let data = s.dataOf(def);
  if (matchedRows.length) {
    if (m.commandType === 'CMD_DELETE') data = applyChanges(s, def, new Set(matchedRows.map((i) => ids[i]!)), new Map());
    else data = applyChanges(s, def, new Set(), applySets(s, def, batch, ids, upd.sets, 1, true, matchedRows));
    s.writeData(def, data);
  }
  if (unmatchedRows.length) {
    const k = unmatchedRows.length;
    const g = gatherBatch(batch, unmatchedRows, k);
    const base = 1 + ncols + upd.items.length;
    const columns = def.columns.map((col, ci) => {
      const j = insCols.indexOf(ci);
      if (j >= 0 && !insIsDefault[j]) return conformColumn(def, ci, g.columns[base + j]!, k);
      return conformColumn(def, ci, vectorFromValues(col.type, Array.from({ length: k }, () => defaultValue(s, def, ci))), k);
    });
    const rows: Batch = { columns, length: k };
    s.writeData(def, appendRows(def, s.dataOf(def), rows, s.engine.store));
  }
  return { command: 'MERGE', rowCount: matchedRows.length + unmatchedRows.length, fields: null, rows: [] };
}
