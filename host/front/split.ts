// Statement splitting: the front-end's first step, cutting a multi-statement query string at the
// `;` that lie outside quotes, dollar quotes and comments (PostgreSQL "Lexical Structure" §4.1).
import { tokenize, type Token } from './lexer.js';

/** One statement of a query string. */
export interface StatementText {
  /** The statement, from its first token to its last (no surrounding blanks, comments or `;`). */
  text: string;
  /** 0-based offset of `text` in the full query string. */
  offset: number;
}

/** A statement with the tokens it is made of (offsets relative to the full string). */
export interface StatementTokens extends StatementText {
  tokens: Token[];
  /** Offset of the `;` that ends the statement, or -1 when it runs to the end of the text. */
  terminator: number;
}

/** Splits `sql` at top-level semicolons; empty statements are dropped. */
export function splitStatements(sql: string): StatementText[] {
  return splitTokens(sql).map(({ text, offset }) => ({ text, offset }));
}

/** Like splitStatements, also returning each statement's tokens (offsets into the full string). */
export function splitTokens(sql: string): StatementTokens[] {
  const tokens = tokenize(sql);
  const out: StatementTokens[] = [];
  let cur: Token[] = [];
  const flush = (terminator: number): void => {
    if (cur.length === 0) return;
    const offset = cur[0]!.start;
    const end = cur[cur.length - 1]!.end;
    out.push({ text: sql.slice(offset, end), offset, tokens: cur, terminator });
    cur = [];
  };
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';') flush(t.start);
    else cur.push(t);
  }
  flush(-1);
  return out;
}
