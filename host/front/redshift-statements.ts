// Redshift-only statements that PostgreSQL's grammar has no form for, parsed by the front-end
// into typed objects for the session: ALTER TABLE ... ALTER DISTSTYLE/DISTKEY/SORTKEY/ENCODE,
// ALTER TABLE ... ALTER COLUMN c ENCODE x, ALTER TABLE ... APPEND FROM, CANCEL, and the SHOW family
// used by drivers' metadata APIs (Redshift SQL reference "ALTER TABLE", "ALTER TABLE APPEND", "CANCEL",
// "SHOW TABLE", "SHOW VIEW", "SHOW DATABASES", "SHOW SCHEMAS", "SHOW TABLES", "SHOW COLUMNS").
import { isWord, type Token } from './lexer.js';
import { Cursor, nameList, qualifiedName, type QualifiedName } from './cursor.js';
import type { DistStyle, SortKey } from './redshift.js';

export type RedshiftStatement =
  | { type: 'alter_distribution'; table: QualifiedName; diststyle?: DistStyle; distkey?: string }
  | { type: 'alter_sortkey'; table: QualifiedName; sortkey: SortKey | { kind: 'NONE'; columns: [] } }
  | { type: 'alter_encode_auto'; table: QualifiedName }
  | { type: 'alter_column_encode'; table: QualifiedName; columns: { name: string; encode: string }[] }
  | { type: 'append'; table: QualifiedName; source: QualifiedName; mode?: 'IGNOREEXTRA' | 'FILLTARGET' }
  | { type: 'show_table' | 'show_view'; name: QualifiedName }
  | { type: 'show_databases'; like?: string; limit?: number }
  | { type: 'show_schemas'; database: string; like?: string; limit?: number }
  | { type: 'show_tables'; database: string; schema: string; like?: string; limit?: number }
  | { type: 'show_columns'; database: string; schema: string; table: string; like?: string; limit?: number }
  | { type: 'cancel'; pid: number; message?: string };

/** The command tag each statement reports. */
export function redshiftStatementTag(s: RedshiftStatement): string {
  if (s.type === 'cancel') return 'CANCEL';
  return s.type.startsWith('show') ? 'SHOW' : 'ALTER TABLE';
}

const SHOW_OBJECTS = new Set(['table', 'view', 'databases', 'schemas', 'tables', 'columns']);

/** True when the statement is one `parseRedshiftStatement` handles (decided from its first tokens). */
export function isRedshiftStatement(tokens: Token[]): boolean {
  if (isWord(tokens[0], 'cancel')) return true;
  if (isWord(tokens[0], 'show')) {
    const w = tokens[1]?.kind === 'word' ? tokens[1].value : '';
    return w === 'databases' || (SHOW_OBJECTS.has(w) && tokens.length > 2);
  }
  if (!isWord(tokens[0], 'alter') || !isWord(tokens[1], 'table')) return false;
  // ALTER TABLE name [. name] then ALTER {DISTSTYLE|DISTKEY|SORTKEY|COMPOUND|INTERLEAVED|ENCODE|COLUMN c ENCODE} or APPEND
  let i = 2;
  while (i < tokens.length && !(isWord(tokens[i], 'alter') || isWord(tokens[i], 'append'))) i++;
  if (isWord(tokens[i], 'append')) return isWord(tokens[i + 1], 'from');
  const w = tokens[i + 1]?.kind === 'word' ? tokens[i + 1]!.value : '';
  if (['diststyle', 'distkey', 'sortkey', 'compound', 'interleaved', 'encode'].includes(w)) return true;
  if (w === 'column') return isWord(tokens[i + 3], 'encode');
  return false;
}

function likeLimit(c: Cursor): { like?: string; limit?: number } {
  const out: { like?: string; limit?: number } = {};
  if (c.word('like')) out.like = c.string();
  if (c.word('limit')) out.limit = c.integer();
  return out;
}

/** Parses one statement for which isRedshiftStatement is true (`tokens` relative to `text`). */
export function parseRedshiftStatement(text: string, tokens: Token[]): RedshiftStatement {
  const c = new Cursor(text, tokens);
  let s: RedshiftStatement;
  if (c.word('show')) s = parseShow(c);
  else if (c.word('cancel')) s = parseCancel(c);
  else s = parseAlter(c);
  if (!c.atEnd()) throw c.error();
  return s;
}

/** `CANCEL process_id ['message']` (Redshift "CANCEL"). */
function parseCancel(c: Cursor): RedshiftStatement {
  const pid = c.integer();
  if (c.peek()?.kind === 'string') return { type: 'cancel', pid, message: c.string() };
  return { type: 'cancel', pid };
}

function parseShow(c: Cursor): RedshiftStatement {
  if (c.word('table')) return { type: 'show_table', name: qualifiedName(c) };
  if (c.word('view')) return { type: 'show_view', name: qualifiedName(c) };
  if (c.word('databases')) return { type: 'show_databases', ...likeLimit(c) };
  if (c.word('schemas')) {
    c.expectWord('from');
    c.expectWord('database');
    return { type: 'show_schemas', database: c.name().value, ...likeLimit(c) };
  }
  if (c.word('tables')) {
    c.expectWord('from');
    c.expectWord('schema');
    const database = c.name().value;
    c.expectPunct('.');
    return { type: 'show_tables', database, schema: c.name().value, ...likeLimit(c) };
  }
  c.expectWord('columns');
  c.expectWord('from');
  c.expectWord('table');
  const database = c.name().value;
  c.expectPunct('.');
  const schema = c.name().value;
  c.expectPunct('.');
  return { type: 'show_columns', database, schema, table: c.name().value, ...likeLimit(c) };
}

function distStyle(c: Cursor): DistStyle {
  const t = c.peek();
  const v = t?.kind === 'word' ? t.value.toUpperCase() : '';
  if (v !== 'AUTO' && v !== 'EVEN' && v !== 'KEY' && v !== 'ALL') throw c.error(t);
  c.next();
  return v;
}

function parseAlter(c: Cursor): RedshiftStatement {
  c.expectWord('alter');
  c.expectWord('table');
  const table = qualifiedName(c);
  if (c.word('append')) {
    c.expectWord('from');
    const source = qualifiedName(c);
    if (c.word('ignoreextra')) return { type: 'append', table, source, mode: 'IGNOREEXTRA' };
    if (c.word('filltarget')) return { type: 'append', table, source, mode: 'FILLTARGET' };
    return { type: 'append', table, source };
  }
  c.expectWord('alter');
  if (c.word('diststyle')) {
    const diststyle = distStyle(c);
    if (diststyle === 'KEY' && c.word('distkey')) return { type: 'alter_distribution', table, diststyle, distkey: c.name().value };
    return { type: 'alter_distribution', table, diststyle };
  }
  if (c.word('distkey')) return { type: 'alter_distribution', table, distkey: c.name().value };
  if (c.word('encode')) {
    c.expectWord('auto');
    return { type: 'alter_encode_auto', table };
  }
  if (isWord(c.peek(), 'column')) {
    const columns: { name: string; encode: string }[] = [];
    do {
      if (columns.length > 0) c.expectWord('alter');
      c.expectWord('column');
      const name = c.name().value;
      c.expectWord('encode');
      columns.push({ name, encode: c.name().value });
    } while (c.punct(','));
    return { type: 'alter_column_encode', table, columns };
  }
  let kind: 'COMPOUND' | 'INTERLEAVED' = 'COMPOUND';
  if (c.word('interleaved')) kind = 'INTERLEAVED';
  else c.word('compound');
  c.expectWord('sortkey');
  if (c.word('auto')) return { type: 'alter_sortkey', table, sortkey: { kind: 'AUTO', columns: [] } };
  if (c.word('none')) return { type: 'alter_sortkey', table, sortkey: { kind: 'NONE', columns: [] } };
  return { type: 'alter_sortkey', table, sortkey: { kind, columns: nameList(c) } };
}
