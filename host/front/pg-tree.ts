// libpg-query as the front-end uses it: PostgreSQL's grammar on one (rewritten) statement, its
// errors turned into SqlError 42601 with string positions, and the tree's UTF-8 byte locations
// turned into offsets of the text the user wrote.
import { parseSync } from 'libpg-query';
import { SqlError, SqlState } from '../common/errors.js';

/**
 * Parses `text` with PostgreSQL's grammar; `toOriginal` (identity when absent) maps an offset in
 * `text` to the offset the caller wants (the original statement's). Returns RawStmt.stmt of each statement, locations mapped.
 * Errors are 42601 with a 1-based position after `toOriginal`.
 */
export function parsePg(text: string, toOriginal?: (i: number) => number): Record<string, unknown>[] {
  let result;
  try {
    result = parseSync(text);
  } catch (e) {
    const err = fromLibpgQuery(e, text);
    if (err.position !== undefined && toOriginal) err.position = toOriginal(err.position - 1) + 1;
    throw err;
  }
  const stmts = (result.stmts ?? []).map((s) => s.stmt as Record<string, unknown>);
  const nonAscii = /[^\x00-\x7f]/.test(text);
  if (nonAscii || toOriginal) {
    const bytes = nonAscii ? byteToUtf16(text) : null;
    const map = toOriginal ?? ((i: number): number => i);
    convertLocations(stmts, (b) => map(bytes ? bytes[Math.min(b, bytes.length - 1)]! : b));
  }
  return stmts;
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
export function convertLocations(node: unknown, map: (byteOffset: number) => number): void {
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

