// The contract between the engine and its front doors: the library API (host/index.ts) and the
// PostgreSQL wire server (host/wire/). A Session runs SQL text and returns results whose values
// are in wasmshift's internal representation (below); each door converts them for its users.
import type { SqlType } from '../types/sql-type.js';

/**
 * Internal value of a result cell, by type id:
 * bool: boolean · int2/int4/oid: number · int8: bigint · float4/float8: number ·
 * numeric: bigint, the value times 10^scale (scale from the field's type) ·
 * bpchar/varchar/text/name: string · date: number, days since 1970-01-01 ·
 * timestamp/timestamptz: bigint, microseconds since 1970-01-01 00:00 UTC ·
 * time: bigint, microseconds since midnight · interval: Interval · bytea: Uint8Array ·
 * null: SQL NULL.
 */
export type InternalValue = unknown;

/** One output column of a statement. */
export interface Field {
  name: string;
  type: SqlType;
  /** pg_class oid of the source table and attnum, when the column comes straight from one (else 0). */
  tableOid: number;
  columnNumber: number;
}

/** What one statement returned. */
export interface StatementResult {
  /** The command tag verb: 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE TABLE', 'SET', 'BEGIN', ... */
  command: string;
  /** Rows returned or affected (for the CommandComplete tag). */
  rowCount: number;
  /** Columns, or null when the statement returns no rows (DDL, DML without RETURNING, SET). */
  fields: Field[] | null;
  /** Rows in internal representation; empty when fields is null. */
  rows: InternalValue[][];
  /** Notices raised while it ran (e.g. "table t does not exist, skipping"). */
  notices?: { code: string; message: string }[];
}

/** What Parse + Describe needs to know about a statement without running it. */
export interface StatementDescription {
  /** Types of $1..$n, inferred where the client gave none. */
  paramTypes: SqlType[];
  /** Columns it will return, or null when it returns none. */
  fields: Field[] | null;
}

export interface ExecuteOptions {
  /** Types of $1..$n that the client declared (missing or unknown ones are inferred). */
  paramTypes?: (SqlType | undefined)[];
  /** Aborts a running statement: it fails with 57014 "canceling statement due to user request". */
  signal?: AbortSignal;
}

/** Transaction status as ReadyForQuery reports it: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

export interface SessionApi {
  /** Runs every statement in `sql` (one or several separated by `;`), returning one result each. Params bind $1..$n (text strings or JS values). */
  execute(sql: string, params?: readonly unknown[], options?: ExecuteOptions): Promise<StatementResult[]>;
  /** Describes a single statement: parameter types (inferred when not given) and output columns. */
  describe(sql: string, paramTypes?: (SqlType | undefined)[]): Promise<StatementDescription>;
  /** Current value of a setting (SHOW), e.g. 'search_path', 'DateStyle', 'statement_timeout'. */
  getSetting(name: string): string | undefined;
  setSetting(name: string, value: string): void;
  readonly transactionStatus: TransactionStatus;
  /** The user this session runs as. */
  readonly user: string;
  close(): Promise<void>;
}
