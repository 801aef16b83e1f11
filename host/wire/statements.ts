// Prepared statements and portals of one connection (PostgreSQL docs, "Extended Query"): Parse creates a
// statement, Bind a portal over it, Execute drains the portal possibly in several steps (PortalSuspended).
import { SqlError, SqlState } from '../common/errors.js';
import type { Field, StatementResult } from '../session/api.js';
import type { SqlType } from '../types/sql-type.js';

export interface PreparedStatement {
  name: string;
  sql: string;
  /** Parameter types after inference (what ParameterDescription reports and binary params decode by). */
  paramTypes: SqlType[];
  /** Output columns, or null for statements that return no rows. */
  fields: Field[] | null;
  /** The query string holds no statement: Execute answers EmptyQueryResponse. */
  empty: boolean;
}

export interface Portal {
  name: string;
  statement: PreparedStatement;
  params: unknown[];
  /** One format code per output column. */
  formats: number[];
  /** Set by the first Execute; later Executes continue from `cursor`. */
  result: StatementResult | null;
  cursor: number;
  done: boolean;
}

/** The named and unnamed ('') statements and portals of a connection. */
export class StatementRegistry {
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();

  /** Stores a statement; a named one must not exist yet (42P05), the unnamed one is replaced. */
  addStatement(s: PreparedStatement): void {
    if (s.name !== '' && this.statements.has(s.name)) {
      throw new SqlError(SqlState.duplicatePreparedStatement, `prepared statement "${s.name}" already exists`);
    }
    this.statements.set(s.name, s);
  }

  statement(name: string): PreparedStatement {
    const s = this.statements.get(name);
    if (!s) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${name}" does not exist`);
    return s;
  }

  /** Stores a portal; a named one must not exist yet (42P03), the unnamed one is replaced. */
  addPortal(p: Portal): void {
    if (p.name !== '' && this.portals.has(p.name)) {
      throw new SqlError(SqlState.duplicateCursor, `portal "${p.name}" already exists`);
    }
    this.portals.set(p.name, p);
  }

  portal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new SqlError(SqlState.invalidCursorName, `portal "${name}" does not exist`);
    return p;
  }

  /** Close: closing what does not exist is not an error. Closing a statement closes its portals too. */
  closeStatement(name: string): void {
    const s = this.statements.get(name);
    if (!s) return;
    this.statements.delete(name);
    for (const [k, p] of this.portals) if (p.statement === s) this.portals.delete(k);
  }
  closePortal(name: string): void { this.portals.delete(name); }

  /** Portals live until the end of their transaction: dropped when a Sync or Query finds the session idle. */
  dropPortals(): void { this.portals.clear(); }
  /** A simple Query destroys the unnamed statement. */
  dropUnnamedStatement(): void { this.closeStatement(''); }
  get portalCount(): number { return this.portals.size; }
}
