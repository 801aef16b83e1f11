// The front-end's entry point: SQL text -> one ParsedStatement per statement, the input of bind/.
// It splits the text, routes COPY, UNLOAD and Redshift-only statements (ALTER TABLE ... ALTER
// DISTKEY, SHOW TABLE, ...) to their own parsers, rewrites Redshift-only syntax
// (redshift.ts) and hands the rest to libpg-query (PostgreSQL's own grammar compiled to WASM).
// AST `location` fields are 0-based UTF-16 offsets into the statement's `text`; error positions are
// 1-based character positions into the full query string (PostgreSQL ErrorResponse field P).
import { loadModule } from 'libpg-query';
import { SqlError, SqlState } from '../common/errors.js';
import { parseCopy, parseUnload, type CopyStatement, type UnloadStatement } from './copy-unload.js';
import { isWord, tokenize, type Token } from './lexer.js';
import { emptyAttributes, rewriteRedshift, type RedshiftAttributes } from './redshift.js';
import { splitTokens } from './split.js';
import { applyFuncCallMarks, applyPivot, applyQualify, applyTop, markHashTempTables } from './ast-fixups.js';
import { statementKind } from './command-tag.js';
import { parsePg } from './pg-tree.js';
import { isRedshiftStatement, parseRedshiftStatement, redshiftStatementTag, type RedshiftStatement } from './redshift-statements.js';

export type { CopyStatement, UnloadStatement } from './copy-unload.js';
export type { RedshiftAttributes } from './redshift.js';
export type { RedshiftStatement } from './redshift-statements.js';
export { statementKind } from './command-tag.js';

export interface ParsedStatement {
  /** 'redshift': a Redshift-only statement with no PostgreSQL form (ALTER TABLE ... ALTER DISTKEY, SHOW TABLE, ...). */
  kind: 'pg' | 'copy' | 'unload' | 'redshift';
  /**
   * libpg-query's RawStmt.stmt, e.g. `{ SelectStmt: {...} }` (kind 'pg' only). Redshift additions:
   * SELECT TOP n is the SelectStmt's limitCount; a QUALIFY condition is `SelectStmt.qualifyClause`
   * (an expression node like whereClause); CONVERT(type, x) is a TypeCast; LISTAGG(DISTINCT ..) has
   * agg_distinct; a window function with IGNORE NULLS / RESPECT NULLS has `ignore_nulls` true / false;
   * a FROM item followed by PIVOT/UNPIVOT has `pivot` on its RangeVar/RangeSubselect (ast-fixups.ts).
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

/** How many statement texts keep their parse, and the longest text kept. */
const PARSE_CACHE_TEXTS = 256;
const PARSE_CACHE_MAX_LENGTH = 64 * 1024;

/** The parses of recent texts, most recently used last. Parsing depends on the text alone. */
const parsedTexts = new Map<string, readonly ParsedStatement[]>();

/**
 * Parses every statement of `sql`. Throws SqlError 42601 with a position into `sql`. A text parsed
 * before returns the same statements again (clients repeat their queries): the statements and their
 * ASTs are frozen, so nothing downstream can change what a later caller gets.
 */
export function parseStatements(sql: string): ParsedStatement[] {
  const hit = parsedTexts.get(sql);
  if (hit) {
    parsedTexts.delete(sql);
    parsedTexts.set(sql, hit);
    return [...hit];
  }
  const out = parseText(sql);
  if (sql.length <= PARSE_CACHE_MAX_LENGTH) {
    for (const st of out) deepFreeze(st);
    parsedTexts.set(sql, out);
    if (parsedTexts.size > PARSE_CACHE_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value!);
  }
  return [...out];
}

/** Forgets every cached parse (tests compare a cached parse with a cold one). */
export function clearParseCache(): void { parsedTexts.clear(); }

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

function parseText(sql: string): ParsedStatement[] {
  if (!ready) throw new SqlError(SqlState.internalError, 'internal error: initParser() must complete before parseStatements()');
  const out: ParsedStatement[] = [];
  for (const st of splitTokens(sql)) {
    const tokens = st.offset === 0 ? st.tokens : st.tokens.map((t) => ({ ...t, start: t.start - st.offset, end: t.end - st.offset }));
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
  const stmts = parsePg(rw.text, rw.sameLength ? undefined : rw.toOriginal);
  if (stmts.length !== 1) throw new SqlError(SqlState.syntaxError, 'syntax error at end of input', { position: text.length + 1 });
  const ast = stmts[0]!;
  if (rw.attributes.top.length > 0) applyTop(ast, rw.attributes, text);
  if (rw.attributes.qualify) applyQualify(ast, rw.attributes.qualify, text);
  if (rw.attributes.convert || rw.attributes.listaggDistinct || rw.attributes.nullTreatment) applyFuncCallMarks(ast, rw.attributes);
  if (rw.attributes.hashTempTables) markHashTempTables(ast);
  if (rw.attributes.pivot) applyPivot(ast, rw.attributes.pivot, text);
  return { kind: 'pg', ast, text, offset, redshift: rw.attributes, tag: statementKind(ast) };
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
