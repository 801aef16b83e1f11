// A cursor over one statement's tokens for the front-end's small recursive-descent parsers
// (COPY/UNLOAD, Redshift-only statements): keyword and literal readers that fail with 42601 at the
// offending token, as PostgreSQL's grammar reports syntax errors.
import { SqlError, SqlState } from '../common/errors.js';
import { isPunct, isWord, type Token } from './lexer.js';

/** A qualified table name as written (unquoted parts folded to lower case). */
export interface QualifiedName {
  schema?: string;
  catalog?: string;
  name: string;
  /** 0-based offset of the name in the statement text. */
  location: number;
}

/** Tokens of one statement with a cursor; errors are 42601 with a 1-based position into the statement. */
export class Cursor {
  i = 0;
  constructor(readonly text: string, readonly tokens: Token[]) {}
  peek(k = 0): Token | undefined { return this.tokens[this.i + k]; }
  next(): Token | undefined { return this.tokens[this.i++]; }
  atEnd(): boolean { return this.i >= this.tokens.length; }
  error(t = this.peek()): SqlError {
    if (!t) return new SqlError(SqlState.syntaxError, 'syntax error at end of input', { position: this.text.length + 1 });
    return new SqlError(SqlState.syntaxError, `syntax error at or near "${this.text.slice(t.start, t.end)}"`, { position: t.start + 1 });
  }
  word(w: string): boolean {
    if (isWord(this.peek(), w)) { this.i++; return true; }
    return false;
  }
  expectWord(w: string): void { if (!this.word(w)) throw this.error(); }
  punct(p: string): boolean {
    if (isPunct(this.peek(), p)) { this.i++; return true; }
    return false;
  }
  expectPunct(p: string): void { if (!this.punct(p)) throw this.error(); }
  optAs(): void { this.word('as'); }
  string(): string {
    const t = this.peek();
    if (t?.kind !== 'string') throw this.error(t);
    this.i++;
    return t.value;
  }
  name(): Token {
    const t = this.peek();
    if (t?.kind !== 'word' && t?.kind !== 'ident') throw this.error(t);
    this.i++;
    return t;
  }
  integer(): number {
    const t = this.peek();
    if (t?.kind !== 'number' || !/^\d+$/.test(t.value)) throw this.error(t);
    this.i++;
    return Number(t.value);
  }
  number(): number {
    const t = this.peek();
    if (t?.kind !== 'number') throw this.error(t);
    this.i++;
    return Number(t.value);
  }
  /** A single-character argument such as DELIMITER 'c' (Redshift takes one ASCII character). */
  char(): string {
    const t = this.peek();
    const s = decodeCharEscape(this.string());
    if (s.length !== 1) throw new SqlError(SqlState.syntaxError, `${this.text.slice(t!.start, t!.end)} must be a single one-byte character`, { position: t!.start + 1 });
    return s;
  }
}

export function qualifiedName(c: Cursor): QualifiedName {
  const first = c.name();
  const parts = [first.value];
  while (isPunct(c.peek(), '.')) { c.next(); parts.push(c.name().value); }
  if (parts.length > 3) throw c.error(first);
  const name = parts[parts.length - 1]!;
  const q: QualifiedName = { name, location: first.start };
  if (parts.length >= 2) q.schema = parts[parts.length - 2]!;
  if (parts.length === 3) q.catalog = parts[0]!;
  return q;
}

export function nameList(c: Cursor): string[] {
  c.expectPunct('(');
  const out = [c.name().value];
  while (c.punct(',')) out.push(c.name().value);
  c.expectPunct(')');
  return out;
}

/**
 * A one-character COPY/UNLOAD argument written with a backslash escape: '\t', '\n', '\r', '\\',
 * '\ddd' octal (Redshift "Data format parameters", DELIMITER: "non-printing ASCII characters ...
 * as octal"). Anything else is returned as is.
 */
export function decodeCharEscape(s: string): string {
  if (s.length < 2 || s[0] !== '\\') return s;
  const simple: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\', "'": "'", '0': '\0' };
  if (s.length === 2 && s[1]! in simple) return simple[s[1]!]!;
  if (/^\\[0-7]{3}$/.test(s)) return String.fromCharCode(parseInt(s.slice(1), 8));
  return s;
}
