// The front-end's entry point: SQL text -> one ParsedStatement per statement, the input of bind/.
// It splits the text, routes COPY, UNLOAD and Redshift-only statements (ALTER TABLE ... ALTER
// DISTKEY, SHOW TABLE, ...) to their own parsers, rewrites Redshift-only syntax
// (redshift.ts) and hands the rest to libpg-query (PostgreSQL's own grammar compiled to WASM).
// AST `location` fields are 0-based UTF-16 offsets into the statement's `text`; error positions are
// 1-based character positions into the full query string (PostgreSQL ErrorResponse field P).
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SqlState } from '../common/errors.js';
import { parseCopy, parseUnload, type CopyStatement, type UnloadStatement } from './copy-unload.js';
import { isWord, tokenize, type Token } from './lexer.js';
import { emptyAttributes, rewriteRedshift, type RedshiftAttributes } from './redshift.js';
import { splitTokens } from './split.js';
import { isRedshiftStatement, parseRedshiftStatement, redshiftStatementTag, type RedshiftStatement } from './redshift-statements.js';

export type { CopyStatement, UnloadStatement } from './copy-unload.js';
export type { RedshiftAttributes } from './redshift.js';
export type { RedshiftStatement } from './redshift-statements.js';

export interface ParsedStatement {
  /** 'redshift': a Redshift-only statement with no PostgreSQL form (ALTER TABLE ... ALTER DISTKEY, SHOW TABLE, ...). */
  kind: 'pg' | 'copy' | 'unload' | 'redshift';
  /**
   * libpg-query's RawStmt.stmt, e.g. `{ SelectStmt: {...} }` (kind 'pg' only). Redshift additions:
   * SELECT TOP n is the SelectStmt's limitCount; a QUALIFY condition is `SelectStmt.qualifyClause`
   * (an expression node like whereClause); CONVERT(type, x) is a TypeCast; LISTAGG(DISTINCT ..) has
   * agg_distinct; a window function with IGNORE NULLS / RESPECT NULLS has `ignore_nulls` true / false.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ast?: any;
  copy?: CopyStatement;
  unload?: UnloadStatement;
  statement?: RedshiftStatement;
  /** The query inside `COPY (query) TO STDOUT` or `UNLOAD ('query')`, parsed. */
  query?: ParsedStatement;
  /** The statement as written (no trailing `;`). */
  text: string;
  /** 0-based offset of `text` in the full query string. */
  offset: number;
  /** What the Redshift rewriter removed (empty for COPY/UNLOAD). */
  redshift: RedshiftAttributes;
  /** The command tag: 'SELECT', 'CREATE TABLE', 'COPY', 'UNLOAD', ... */
  tag: string;
}

let loaded: Promise<void> | null = null;
let ready = false;

/** Loads libpg-query's WASM module; call once (more calls share the first) before parseStatements. */
export function initParser(): Promise<void> {
  loaded ??= loadModule().then(() => { ready = true; });
  return loaded;
}

/** Parses every statement of `sql`. Throws SqlError 42601 with a position into `sql`. */
export function parseStatements(sql: string): ParsedStatement[] {
  if (!ready) throw new SqlError(SqlState.internalError, 'internal error: initParser() must complete before parseStatements()');
  const out: ParsedStatement[] = [];
  for (const st of splitTokens(sql)) {
    const tokens = st.tokens.map((t) => ({ ...t, start: t.start - st.offset, end: t.end - st.offset }));
    const base = st.offset;
    try {
      out.push(withPosition(sql, (i) => base + i, () => parseOne(sql, st.text, tokens, (i) => base + i)));
    } catch (e) {
      throw atEndOfInput(e, sql, st.text.length + base, st.terminator);
    }
  }
  return out;
}

/**
 * PostgreSQL parses the whole string at once, so a statement cut short sees its `;` (syntax error at
 * or near ";") or, for the last one, the end of the full text (trailing blanks included).
 */
function atEndOfInput(e: unknown, sql: string, stmtEnd: number, terminator: number): unknown {
  if (!(e instanceof SqlError) || e.message !== 'syntax error at end of input' || e.position !== codePointPosition(sql, stmtEnd)) return e;
  if (terminator >= 0) {
    const err = new SqlError(SqlState.syntaxError, 'syntax error at or near ";"', { position: codePointPosition(sql, terminator) });
    return err;
  }
  e.position = codePointPosition(sql, sql.length);
  return e;
}

/**
 * Parses text that must hold at most one statement, as the extended protocol's Parse message does:
 * null for an empty query, 42601 "cannot insert multiple commands into a prepared statement" for several.
 */
export function parseSingleStatement(sql: string): ParsedStatement | null {
  const all = parseStatements(sql);
  if (all.length > 1) throw new SqlError(SqlState.syntaxError, 'cannot insert multiple commands into a prepared statement');
  return all[0] ?? null;
}

/** Runs `f`, turning a statement-relative error position (1-based UTF-16) into a full-text character position. */
function withPosition<R>(sql: string, map: (i: number) => number, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof SqlError && e.position !== undefined && !(e as { mapped?: boolean }).mapped) {
      e.position = codePointPosition(sql, map(e.position - 1));
      (e as { mapped?: boolean }).mapped = true;
    }
    throw e;
  }
}

/** 1-based position in code points (PostgreSQL counts characters) of UTF-16 index `i` of `s`. */
function codePointPosition(s: string, i: number): number {
  let pos = 1;
  for (let k = 0; k < i && k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < i) k++;
    pos++;
  }
  return pos;
}

/** `map` turns an index into `text` into an index into `sql` (for the query of UNLOAD, whose quotes were undone). */
function parseOne(sql: string, text: string, tokens: Token[], map: (i: number) => number): ParsedStatement {
  const offset = map(0);
  if (isWord(tokens[0], 'copy')) {
    const copy = parseCopy(text, tokens);
    const st: ParsedStatement = { kind: 'copy', copy, text, offset, redshift: emptyAttributes(), tag: 'COPY' };
    if (copy.query) {
      const q = copy.query;
      const qtokens = tokenize(q.text);
      st.query = withPosition(sql, (i) => map(q.offset + i), () => parseOne(sql, q.text, qtokens, (i) => map(q.offset + i)));
    }
    return st;
  }
  if (isWord(tokens[0], 'unload')) {
    const unload = parseUnload(text, tokens);
    const st: ParsedStatement = { kind: 'unload', unload, text, offset, redshift: emptyAttributes(), tag: 'UNLOAD' };
    const lit = unload.queryLocation;
    const inner = unload.query.trim();
    const lead = unload.query.length - unload.query.trimStart().length;
    const qmap = (i: number): number => map(literalIndex(text, lit, lead + i));
    st.query = withPosition(sql, qmap, () => parseOne(sql, inner, tokenize(inner), qmap));
    if (st.query.kind !== 'pg' || !('SelectStmt' in st.query.ast)) {
      throw new SqlError(SqlState.syntaxError, 'UNLOAD query must be a SELECT statement', { position: lit + 1 });
    }
    return st;
  }
  if (isRedshiftStatement(tokens)) {
    const statement = parseRedshiftStatement(text, tokens);
    return { kind: 'redshift', statement, text, offset, redshift: emptyAttributes(), tag: redshiftStatementTag(statement) };
  }
  const rw = rewriteRedshift(text, tokens);
  let result;
  try {
    result = parseSync(rw.text);
  } catch (e) {
    const err = fromLibpgQuery(e, rw.text);
    if (err.position !== undefined) err.position = rw.toOriginal(err.position - 1) + 1;
    throw err;
  }
  const stmts = result.stmts ?? [];
  if (stmts.length !== 1) throw new SqlError(SqlState.syntaxError, 'syntax error at end of input', { position: text.length + 1 });
  const ast = stmts[0]!.stmt as Record<string, unknown>;
  const nonAscii = /[^\x00-\x7f]/.test(rw.text);
  if (nonAscii || !rw.sameLength) {
    const bytes = nonAscii ? byteToUtf16(rw.text) : null;
    convertLocations(ast, (b) => rw.toOriginal(bytes ? bytes[Math.min(b, bytes.length - 1)]! : b));
  }
  if (rw.attributes.top.length > 0) applyTop(ast, rw.attributes, text);
  if (rw.attributes.qualify) applyQualify(ast, rw.attributes.qualify, text);
  if (rw.attributes.convert || rw.attributes.listaggDistinct || rw.attributes.nullTreatment) applyFuncCallMarks(ast, rw.attributes);
  if (rw.attributes.hashTempTables) markHashTempTables(ast);
  return { kind: 'pg', ast, text, offset, redshift: rw.attributes, tag: statementKind(ast) };
}

/**
 * Parses each QUALIFY condition on its own (as `SELECT <condition>`, through the same Redshift
 * rewrites) and sets it as `qualifyClause` on the SelectStmt whose first target starts at the
 * recorded location; its locations point into the statement text like the rest of the AST.
 */
function applyQualify(ast: unknown, qualify: NonNullable<RedshiftAttributes['qualify']>, text: string): void {
  for (const q of qualify) {
    const rw = rewriteRedshift(q.exprText, tokenize(q.exprText));
    const wrapped = `SELECT ${rw.text}`;
    const toStatement = (i: number): number => q.exprOffset + rw.toOriginal(Math.max(0, i - 7));
    let result;
    try {
      result = parseSync(wrapped);
    } catch (e) {
      const err = fromLibpgQuery(e, wrapped);
      if (err.position !== undefined) err.position = toStatement(err.position - 1) + 1;
      throw err;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const stmt = result.stmts?.[0]?.stmt as any;
    const targets = stmt?.SelectStmt?.targetList;
    if (!Array.isArray(targets) || targets.length !== 1 || stmt.SelectStmt.fromClause) {
      throw new SqlError(SqlState.syntaxError, 'syntax error at or near "QUALIFY"', { position: q.location + 1 });
    }
    const expr = targets[0].ResTarget.val;
    const bytes = /[^\x00-\x7f]/.test(wrapped) ? byteToUtf16(wrapped) : null;
    convertLocations(expr, (b) => toStatement(bytes ? bytes[Math.min(b, bytes.length - 1)]! : b));
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseTypeName(typeText: string, offset: number): any {
  const rw = rewriteRedshift(typeText, tokenize(typeText));
  const prefix = 'SELECT NULL::';
  const wrapped = prefix + rw.text;
  const toStatement = (i: number): number => offset + rw.toOriginal(Math.max(0, i - prefix.length));
  let result;
  try {
    result = parseSync(wrapped);
  } catch (e) {
    const err = fromLibpgQuery(e, wrapped);
    if (err.position !== undefined) err.position = toStatement(err.position - 1) + 1;
    throw err;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tc = (result.stmts?.[0]?.stmt as any)?.SelectStmt?.targetList?.[0]?.ResTarget?.val?.TypeCast;
  if (!tc || (result.stmts?.[0]?.stmt as any).SelectStmt.fromClause) {
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "${typeText}"`, { position: offset + 1 });
  }
  const bytes = /[^\x00-\x7f]/.test(wrapped) ? byteToUtf16(wrapped) : null;
  convertLocations(tc.typeName, (b) => toStatement(bytes ? bytes[Math.min(b, bytes.length - 1)]! : b));
  return tc.typeName;
}

/**
 * Redshift function-call forms recorded by the rewriter, applied to the FuncCall nodes at their
 * locations: CONVERT(type, x) becomes TypeCast(x AS type), LISTAGG(DISTINCT ..) gets agg_distinct,
 * IGNORE/RESPECT NULLS sets `ignore_nulls` on the window function's FuncCall.
 */
function applyFuncCallMarks(ast: unknown, attrs: RedshiftAttributes): void {
  const converts = new Map((attrs.convert ?? []).map((c) => [c.location, c]));
  const distinct = new Set(attrs.listaggDistinct ?? []);
  const nulls = new Map((attrs.nullTreatment ?? []).map((n) => [n.location, n.ignoreNulls]));
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, k) => [k, v]) : Object.entries(node);
    for (const [k, v] of entries) {
      if (v === null || typeof v !== 'object') continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
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
function markHashTempTables(ast: Record<string, unknown>): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const a = ast as any;
  const rels = [a.CreateStmt?.relation, a.CreateTableAsStmt?.into?.rel, a.SelectStmt?.intoClause?.rel];
  for (const r of rels) if (r && typeof r.relname === 'string' && r.relname.startsWith('#')) r.relpersistence = 't';
}

/** The index in `text` of character `k` of the '...' literal whose opening quote is at `lit` ('' counts as one). */
function literalIndex(text: string, lit: number, k: number): number {
  let j = lit + 1;
  if (text[lit] !== "'") j = text.indexOf("'", lit) + 1; // E'...' or other prefixed forms
  for (let n = 0; n < k && j < text.length; n++) {
    if (text[j] === "'" && text[j + 1] === "'") j += 2;
    else j++;
  }
  return j;
}

/** libpg-query's error (0-based character cursor into `text`) as a SqlError with a 1-based UTF-16 position. */
function fromLibpgQuery(e: unknown, text: string): SqlError {
  const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
  const message = err.sqlDetails?.message ?? err.message ?? String(e);
  const cursor = err.sqlDetails?.cursorPosition;
  if (cursor === undefined || cursor < 0) return new SqlError(SqlState.syntaxError, message);
  // the cursor counts characters (code points), as PostgreSQL's does; AST locations count bytes
  let idx = 0;
  for (let n = 0; n < cursor && idx < text.length; n++) idx += text.codePointAt(idx)! >= 0x10000 ? 2 : 1;
  return new SqlError(SqlState.syntaxError, message, { position: idx + 1 });
}

/** Table mapping each UTF-8 byte offset of `s` to the UTF-16 index of the character it belongs to. */
function byteToUtf16(s: string): Int32Array {
  const map = new Int32Array(Buffer.byteLength(s) + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) map[b + k] = i;
    b += len;
    if (cp >= 0x10000) i++;
  }
  map[b] = s.length;
  return map;
}

/** Rewrites every `location` of the AST (a UTF-8 byte offset into the rewritten text) with `map`. */
function convertLocations(node: unknown, map: (byteOffset: number) => number): void {
  if (Array.isArray(node)) { for (const x of node) convertLocations(x, map); return; }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'number') {
      if ((k === 'location' || k.endsWith('_location') || k === 'rexpr_list_start' || k === 'rexpr_list_end') && v >= 0) o[k] = map(v);
    } else if (typeof v === 'object') {
      convertLocations(v, map);
    }
  }
}

/** Turns each recorded SELECT TOP n into LIMIT n on the SELECT whose first target starts where TOP's target list does. */
function applyTop(ast: unknown, attrs: RedshiftAttributes, text: string): void {
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

const TRANSACTION_TAGS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN', TRANS_STMT_START: 'START TRANSACTION', TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK', TRANS_STMT_SAVEPOINT: 'SAVEPOINT', TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK', TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED', TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

const OBJECT_NAMES: Record<string, string> = {
  OBJECT_TABLE: 'TABLE', OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_INDEX: 'INDEX', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_FUNCTION: 'FUNCTION', OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_TYPE: 'TYPE', OBJECT_DATABASE: 'DATABASE', OBJECT_ROLE: 'ROLE', OBJECT_COLUMN: 'TABLE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE', OBJECT_AGGREGATE: 'AGGREGATE', OBJECT_ROUTINE: 'ROUTINE',
  OBJECT_TABCONSTRAINT: 'TABLE', OBJECT_EXTENSION: 'EXTENSION', OBJECT_TRIGGER: 'TRIGGER',
};

/**
 * The command tag PostgreSQL reports for a statement (src/include/tcop/cmdtaglist.h), from the
 * libpg-query node alone, e.g. `{SelectStmt}` -> 'SELECT', `{DropStmt: {removeType: 'OBJECT_VIEW'}}` -> 'DROP VIEW'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function statementKind(ast: any): string {
  const type = Object.keys(ast)[0] ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const n: any = ast[type] ?? {};
  const obj = (k: string | undefined): string => OBJECT_NAMES[k ?? ''] ?? 'TABLE';
  switch (type) {
    case 'SelectStmt': return n.intoClause ? 'SELECT INTO' : 'SELECT';
    case 'InsertStmt': return 'INSERT';
    case 'UpdateStmt': return 'UPDATE';
    case 'DeleteStmt': return 'DELETE';
    case 'MergeStmt': return 'MERGE';
    case 'CreateStmt': return 'CREATE TABLE';
    case 'CreateTableAsStmt': return n.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'ViewStmt': return 'CREATE VIEW';
    case 'IndexStmt': return 'CREATE INDEX';
    case 'CreateSchemaStmt': return 'CREATE SCHEMA';
    case 'CreateSeqStmt': return 'CREATE SEQUENCE';
    case 'CreatedbStmt': return 'CREATE DATABASE';
    case 'DropdbStmt': return 'DROP DATABASE';
    case 'CreateFunctionStmt': return n.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'CreateRoleStmt': return n.stmt_type === 'ROLESTMT_USER' ? 'CREATE USER' : n.stmt_type === 'ROLESTMT_GROUP' ? 'CREATE GROUP' : 'CREATE ROLE';
    case 'AlterRoleStmt': return 'ALTER ROLE';
    case 'DropRoleStmt': return 'DROP ROLE';
    case 'DropStmt': return `DROP ${obj(n.removeType)}`;
    case 'AlterTableStmt': return `ALTER ${obj(n.objtype)}`;
    case 'RenameStmt': return `ALTER ${obj(n.renameType === 'OBJECT_COLUMN' || n.renameType === 'OBJECT_TABCONSTRAINT' ? n.relationType : n.renameType)}`;
    case 'AlterOwnerStmt': return `ALTER ${obj(n.objectType)}`;
    case 'AlterObjectSchemaStmt': return `ALTER ${obj(n.objectType)}`;
    case 'TruncateStmt': return 'TRUNCATE TABLE';
    case 'TransactionStmt': return TRANSACTION_TAGS[n.kind] ?? 'BEGIN';
    case 'VariableSetStmt': return n.kind === 'VAR_RESET' || n.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    case 'VariableShowStmt': return 'SHOW';
    case 'ExplainStmt': return 'EXPLAIN';
    case 'VacuumStmt': return n.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'PrepareStmt': return 'PREPARE';
    case 'ExecuteStmt': return 'EXECUTE';
    case 'DeallocateStmt': return n.isall ? 'DEALLOCATE ALL' : 'DEALLOCATE';
    case 'DeclareCursorStmt': return 'DECLARE CURSOR';
    case 'FetchStmt': return n.ismove ? 'MOVE' : 'FETCH';
    case 'ClosePortalStmt': return n.portalname ? 'CLOSE CURSOR' : 'CLOSE CURSOR ALL';
    case 'GrantStmt': return n.is_grant ? 'GRANT' : 'REVOKE';
    case 'GrantRoleStmt': return n.is_grant ? 'GRANT ROLE' : 'REVOKE ROLE';
    case 'CallStmt': return 'CALL';
    case 'CommentStmt': return 'COMMENT';
    case 'LockStmt': return 'LOCK TABLE';
    case 'RefreshMatViewStmt': return 'REFRESH MATERIALIZED VIEW';
    case 'DiscardStmt': return n.target === 'DISCARD_ALL' ? 'DISCARD ALL' : n.target === 'DISCARD_PLANS' ? 'DISCARD PLANS' : n.target === 'DISCARD_SEQUENCES' ? 'DISCARD SEQUENCES' : 'DISCARD TEMP';
    case 'CheckPointStmt': return 'CHECKPOINT';
    case 'ListenStmt': return 'LISTEN';
    case 'UnlistenStmt': return 'UNLISTEN';
    case 'NotifyStmt': return 'NOTIFY';
    case 'DoStmt': return 'DO';
    case 'CopyStmt': return 'COPY';
    case 'ConstraintsSetStmt': return 'SET CONSTRAINTS';
    case 'CreateExtensionStmt': return 'CREATE EXTENSION';
    case 'CompositeTypeStmt': case 'CreateEnumStmt': case 'CreateRangeStmt': return 'CREATE TYPE';
    case 'AlterDatabaseSetStmt': case 'AlterDatabaseStmt': return 'ALTER DATABASE';
    case 'AlterDefaultPrivilegesStmt': return 'ALTER DEFAULT PRIVILEGES';
    case 'AlterFunctionStmt': return 'ALTER FUNCTION';
    case 'AlterSeqStmt': return 'ALTER SEQUENCE';
    default:
      // e.g. 'CreateTrigStmt' -> 'CREATE TRIG': a readable fallback for statements wasmshift rejects anyway
      return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}
