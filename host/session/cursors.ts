// SQL-level cursors and prepared statements: DECLARE / FETCH / MOVE / CLOSE and PREPARE / EXECUTE /
// DEALLOCATE (PostgreSQL's pages for each; Redshift supports the same). A cursor's rows are computed
// at DECLARE and handed out by FETCH; cursors without HOLD close at the end of the transaction.
import { SqlError, SqlState } from '../common/errors.js';
import { resolveTypeName } from '../bind/type-names.js';
import { bindConst } from '../bind/binder.js';
import type { ParsedStatement } from '../front/parse.js';
import type { SqlType } from '../types/sql-type.js';
import type { ExecuteOptions, Field, StatementResult } from './api.js';
import type { Session } from './session.js';

interface Cursor { fields: Field[]; rows: unknown[][]; pos: number; hold: boolean }
interface Prepared { sql: string; paramTypes: (SqlType | undefined)[] }

const CURSOR_OPT_HOLD = 0x20;

export class SqlCursors {
  private readonly cursors = new Map<string, Cursor>();
  private readonly prepared = new Map<string, Prepared>();

  /** Closes cursors that do not survive the end of a transaction. */
  endTransaction(): void {
    for (const [name, c] of this.cursors) if (!c.hold) this.cursors.delete(name);
  }

  async declare(s: Session, st: ParsedStatement, n: any, options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
    const hold = ((n.options ?? 0) & CURSOR_OPT_HOLD) !== 0;
    if (!hold && s.transactionStatus === 'I') throw new SqlError(SqlState.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
    if (this.cursors.has(n.portalname)) throw new SqlError(SqlState.duplicateCursor, `cursor "${n.portalname}" already exists`);
    const r = await s.runSelect(st, n.query.SelectStmt, [], options, signal);
    this.cursors.set(n.portalname, { fields: r.fields ?? [], rows: r.rows, pos: 0, hold });
    return { command: 'DECLARE CURSOR', rowCount: 0, fields: null, rows: [] };
  }

  fetch(n: any): StatementResult {
    const c = this.cursors.get(n.portalname);
    if (!c) throw new SqlError(SqlState.invalidCursorName, `cursor "${n.portalname}" does not exist`);
    const count = n.howMany === undefined ? 1 : Number(n.howMany);
    let rows: unknown[][] = [];
    switch (n.direction ?? 'FETCH_FORWARD') {
      case 'FETCH_FORWARD': rows = c.rows.slice(c.pos, c.pos + count); c.pos = Math.min(c.rows.length, c.pos + count); break;
      case 'FETCH_BACKWARD': { const start = Math.max(0, c.pos - count - 1); rows = c.rows.slice(start, Math.max(0, c.pos - 1)).reverse(); c.pos = Math.max(0, c.pos - count); break; }
      case 'FETCH_ABSOLUTE': { const i = count > 0 ? count - 1 : c.rows.length + count; rows = i >= 0 && i < c.rows.length ? [c.rows[i]!] : []; c.pos = Math.max(0, Math.min(c.rows.length, i + 1)); break; }
      case 'FETCH_RELATIVE': { const i = c.pos - 1 + count; rows = i >= 0 && i < c.rows.length ? [c.rows[i]!] : []; c.pos = Math.max(0, Math.min(c.rows.length, i + 1)); break; }
      default: throw new SqlError(SqlState.featureNotSupported, `FETCH ${n.direction} is not supported`);
    }
    if (n.ismove) return { command: 'MOVE', rowCount: rows.length, fields: null, rows: [] };
    return { command: 'FETCH', rowCount: rows.length, fields: c.fields, rows };
  }

  close(n: any): StatementResult {
    if (!n.portalname) this.cursors.clear();
    else if (!this.cursors.delete(n.portalname)) throw new SqlError(SqlState.invalidCursorName, `cursor "${n.portalname}" does not exist`);
    return { command: 'CLOSE CURSOR', rowCount: 0, fields: null, rows: [] };
  }

  prepare(st: ParsedStatement, n: any): StatementResult {
    if (this.prepared.has(n.name)) throw new SqlError(SqlState.duplicatePreparedStatement, `prepared statement "${n.name}" already exists`);
    const m = /\bas\b([\s\S]*)$/i.exec(st.text.slice(st.text.search(/\)\s*as\b|\s+as\b/i)));
    if (!m) throw new SqlError(SqlState.syntaxError, 'PREPARE needs AS followed by a statement');
    const paramTypes = (n.argtypes ?? []).map((t: any) => resolveTypeName(t.TypeName));
    this.prepared.set(n.name, { sql: m[1]!.trim(), paramTypes });
    return { command: 'PREPARE', rowCount: 0, fields: null, rows: [] };
  }

  async execute(s: Session, n: any, options: ExecuteOptions): Promise<StatementResult> {
    const p = this.prepared.get(n.name);
    if (!p) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${n.name}" does not exist`);
    const params = (n.params ?? []).map((x: any) => {
      const c = x.A_Const ?? x.TypeCast?.arg?.A_Const;
      if (!c) throw new SqlError(SqlState.featureNotSupported, 'EXECUTE parameters must be constants');
      const e = bindConst(c);
      return e.k === 'const' && e.value !== null ? (typeof e.value === 'bigint' && e.type.id === 'numeric' ? String(x.A_Const?.fval?.fval ?? e.value) : String(e.value)) : null;
    });
    if (params.length !== p.paramTypes.length) throw new SqlError(SqlState.syntaxError, `wrong number of parameters for prepared statement "${n.name}"`, { detail: `Expected ${p.paramTypes.length} parameters but got ${params.length}.` });
    const [r] = await s.execute(p.sql, params, { ...options, paramTypes: p.paramTypes });
    return r!;
  }

  deallocate(n: any): StatementResult {
    if (n.isall || !n.name) this.prepared.clear();
    else if (!this.prepared.delete(n.name)) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${n.name}" does not exist`);
    return { command: n.isall ? 'DEALLOCATE ALL' : 'DEALLOCATE', rowCount: 0, fields: null, rows: [] };
  }
}
