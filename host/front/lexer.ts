// SQL tokenizer of the front-end: the first step on the data path, before statement splitting, the
// Redshift rewrites and the COPY/UNLOAD parser. It follows PostgreSQL's lexical rules
// (PostgreSQL docs, "Lexical Structure" §4.1) closely enough to find statement boundaries and
// keywords; the real grammar still runs in libpg-query afterwards.

/** What a token is. Comments and whitespace produce no tokens. */
export type TokenKind =
  | 'word'    // keyword or unquoted identifier (value: lower-cased)
  | 'ident'   // "quoted identifier" or U&"..." (value: the name, quotes undone)
  | 'string'  // '...', E'...', B'...', X'...', N'...', U&'...', $$...$$, $tag$...$tag$ (value: the contents)
  | 'number'  // 42, 3.14, .5, 1e10 (value: the text)
  | 'param'   // $1 (value: the digits)
  | 'op'      // operator characters: + - * / < > = ~ ! @ # % ^ & | ` ? and '::'
  | 'punct';  // ( ) [ ] , ; : .

export interface Token {
  kind: TokenKind;
  /** Decoded value (see TokenKind). */
  value: string;
  /** 0-based UTF-16 offsets of the token in the text given to `tokenize`: [start, end). */
  start: number;
  end: number;
  /** For strings: the prefix letter ('e', 'b', 'x', 'n', 'u&') or '$' for dollar quotes; '' for plain '...'. */
  prefix?: string;
  /** A quoted string, identifier or block comment (an 'op' token '/*') that runs to the end of the text. */
  unterminated?: boolean;
}

const OP_CHARS = '+-*/<>=~!@#%^&|`?';

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isSpace(c: number): boolean { return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11; }

/**
 * Splits `sql` into tokens. Never throws: an unterminated quote or comment yields a token (or
 * nothing, for a comment) flagged `unterminated`, and libpg-query reports the error with its wording.
 */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    // -- comment to end of line
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10 && sql.charCodeAt(i) !== 13) i++;
      continue;
    }
    // /* nested */ comment (PostgreSQL nests them, unlike the SQL standard)
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const end = skipBlockComment(sql, i);
      if (end < 0) {
        // unterminated: keep it as a token so the statement's text reaches libpg-query, which reports it
        out.push({ kind: 'op', value: '/*', start: i, end: n, unterminated: true });
        i = n;
      } else {
        i = end;
      }
      continue;
    }
    const start = i;
    // prefixed strings: E'..', B'..', X'..', N'..', U&'..' / U&".."
    if (isIdentStart(c)) {
      const lc = c | 0x20;
      const next = sql.charCodeAt(i + 1);
      if (next === 39 && (lc === 101 || lc === 98 || lc === 120 || lc === 110)) {
        const prefix = String.fromCharCode(lc);
        const t = readQuoted(sql, i + 1, 39, lc === 101);
        out.push({ kind: 'string', value: t.value, start, end: t.end, prefix, ...(t.unterminated ? { unterminated: true } : {}) });
        i = t.end;
        continue;
      }
      if (lc === 117 && next === 38 && (sql.charCodeAt(i + 2) === 39 || sql.charCodeAt(i + 2) === 34)) {
        const q = sql.charCodeAt(i + 2);
        const t = readQuoted(sql, i + 2, q, false);
        out.push({ kind: q === 39 ? 'string' : 'ident', value: t.value, start, end: t.end, prefix: 'u&', ...(t.unterminated ? { unterminated: true } : {}) });
        i = t.end;
        continue;
      }
      i++;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      out.push({ kind: 'word', value: sql.slice(start, i).toLowerCase(), start, end: i });
      continue;
    }
    if (c === 39) { // 'string'
      const t = readQuoted(sql, i, 39, false);
      out.push({ kind: 'string', value: t.value, start, end: t.end, prefix: '', ...(t.unterminated ? { unterminated: true } : {}) });
      i = t.end;
      continue;
    }
    if (c === 34) { // "identifier"
      const t = readQuoted(sql, i, 34, false);
      out.push({ kind: 'ident', value: t.value, start, end: t.end, ...(t.unterminated ? { unterminated: true } : {}) });
      i = t.end;
      continue;
    }
    if (c === 36) { // $1 or $tag$...$tag$
      if (isDigit(sql.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        out.push({ kind: 'param', value: sql.slice(start + 1, i), start, end: i });
        continue;
      }
      let j = i + 1;
      if (j < n && isIdentStart(sql.charCodeAt(j))) {
        j++;
        while (j < n && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      }
      if (sql.charCodeAt(j) === 36) {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        if (close < 0) {
          out.push({ kind: 'string', value: sql.slice(j + 1), start, end: n, prefix: '$', unterminated: true });
          i = n;
        } else {
          out.push({ kind: 'string', value: sql.slice(j + 1, close), start, end: close + tag.length, prefix: '$' });
          i = close + tag.length;
        }
        continue;
      }
      out.push({ kind: 'op', value: '$', start, end: i + 1 });
      i++;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      if (sql.charCodeAt(i) === 46 && sql.charCodeAt(i + 1) !== 46) {
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
      const e = sql.charCodeAt(i) | 0x20;
      if (e === 101) {
        let j = i + 1;
        const s = sql.charCodeAt(j);
        if (s === 43 || s === 45) j++;
        if (isDigit(sql.charCodeAt(j))) {
          i = j;
          while (i < n && isDigit(sql.charCodeAt(i))) i++;
        }
      }
      out.push({ kind: 'number', value: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === 58 && sql.charCodeAt(i + 1) === 58) {
      out.push({ kind: 'op', value: '::', start, end: i + 2 });
      i += 2;
      continue;
    }
    if ('()[],;:.'.includes(sql[i]!)) {
      out.push({ kind: 'punct', value: sql[i]!, start, end: i + 1 });
      i++;
      continue;
    }
    if (OP_CHARS.includes(sql[i]!)) {
      i++;
      while (i < n && OP_CHARS.includes(sql[i]!)) {
        // a comment start ends the operator (PostgreSQL lexer rule)
        if ((sql[i] === '-' && sql[i + 1] === '-') || (sql[i] === '/' && sql[i + 1] === '*')) break;
        i++;
      }
      out.push({ kind: 'op', value: sql.slice(start, i), start, end: i });
      continue;
    }
    // anything else (e.g. a stray backslash): one-character operator token; the grammar rejects it
    out.push({ kind: 'op', value: sql[i]!, start, end: i + 1 });
    i++;
  }
  return out;
}

/** Returns the offset just past the block comment that starts at `i`, or -1 when it never ends. */
function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  const n = sql.length;
  while (i < n) {
    if (sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) { depth++; i += 2; continue; }
    if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) {
      depth--; i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  return -1;
}

/** Reads a quoted run starting at the opening quote `q` at `i`; doubled quotes escape; `backslash` enables E'' escapes. */
function readQuoted(sql: string, i: number, q: number, backslash: boolean): { value: string; end: number; unterminated: boolean } {
  let j = i + 1;
  let value = '';
  const n = sql.length;
  while (j < n) {
    const c = sql.charCodeAt(j);
    if (backslash && c === 92) {
      const d = sql[j + 1];
      if (d === undefined) { j++; break; }
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (d in simple) { value += simple[d]; j += 2; continue; }
      if (d >= '0' && d <= '7') {
        let k = j + 1; let code = 0;
        while (k < j + 4 && sql[k]! >= '0' && sql[k]! <= '7') { code = code * 8 + (sql.charCodeAt(k) - 48); k++; }
        value += String.fromCharCode(code & 0xff); j = k; continue;
      }
      if (d === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(sql.slice(j + 2, j + 4));
        if (m) { value += String.fromCharCode(parseInt(m[0], 16)); j += 2 + m[0].length; continue; }
      }
      if (d === 'u' || d === 'U') {
        const len = d === 'u' ? 4 : 8;
        const hex = sql.slice(j + 2, j + 2 + len);
        if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
          value += String.fromCodePoint(parseInt(hex, 16)); j += 2 + len; continue;
        }
      }
      value += d; j += 2; continue;
    }
    if (c === q) {
      if (sql.charCodeAt(j + 1) === q) { value += sql[j]; j += 2; continue; }
      return { value, end: j + 1, unterminated: false };
    }
    value += sql[j];
    j++;
  }
  return { value, end: n, unterminated: true };
}

/** True when the token is the unquoted word `w` (lower-case). */
export function isWord(t: Token | undefined, w: string): boolean {
  return t !== undefined && t.kind === 'word' && t.value === w;
}

/** True when the token is the punctuation or operator `p`. */
export function isPunct(t: Token | undefined, p: string): boolean {
  return t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.value === p;
}
