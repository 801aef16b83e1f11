// Delimited COPY input: Redshift's pipe-delimited text format (with ESCAPE and REMOVEQUOTES) and CSV
// (QUOTE, DELIMITER; quoted fields may span lines). Splits decoded text into LoadRecords with their
// starting line numbers. Redshift "COPY parameter reference" > "Data format parameters".
import { LoadErrorCode, LoadRowError } from './load-errors.js';
import type { LoadRecord } from './record.js';

/** The text format quotes nothing: one shared empty list stands for all-false (read as `quoted[i] ?? false`). */
const NOT_QUOTED: boolean[] = [];

const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * The text format: one row per line, fields split by `delim`. With `escape`, a backslash escapes the next
 * character (so an escaped delimiter or newline is data) and a whole-field `\N` is NULL.
 */
export function splitText(text: string, delim: string, escape: boolean, removeQuotes = false): LoadRecord[] {
  const out: LoadRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const start = i;
    const fields: (string | null)[] = [];
    if (!escape && !removeQuotes) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const raw = text.slice(i, end > i && text[end - 1] === '\r' ? end - 1 : end);
      i = end + 1; line++;
      const parts = raw.split(delim);
      out.push({ line: startLine, raw, fields: parts, quoted: NOT_QUOTED });
      continue;
    }
    let cur = '';
    let isNull = false;
    let inQ = false;
    // A field with an escape sequence is data even when it then reads like NULL AS (`\\N` is the text \N).
    let escaped = false;
    const quoted: boolean[] = [];
    for (;;) {
      if (i >= n) break;
      const ch = text[i]!;
      // REMOVEQUOTES: a field's surrounding double quotes go, and delimiters between them are data.
      if (removeQuotes && ch === '"' && (inQ || cur === '')) { inQ = !inQ; i++; continue; }
      if (inQ && ch !== '\\') { if (ch === '\n') line++; cur += ch; i++; continue; }
      if (escape && ch === '\\' && i + 1 < n) {
        const nx = text[i + 1]!;
        i += 2;
        if (nx === '\n') { line++; cur += '\n'; continue; }
        if (nx === 'N' && cur === '' && (i >= n || text[i] === '\n' || text[i] === '\r' || text.startsWith(delim, i))) { isNull = true; continue; }
        cur += ESC[nx] ?? nx;
        escaped = true;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) { i += ch === '\r' ? 2 : 1; line++; break; }
      if (text.startsWith(delim, i)) { fields.push(isNull ? null : cur); quoted.push(escaped); cur = ''; isNull = false; escaped = false; i += delim.length; continue; }
      cur += ch; i++;
    }
    fields.push(isNull ? null : cur);
    quoted.push(escaped);
    const raw = text.slice(start, i).replace(/\r?\n$/, '');
    out.push({ line: startLine, raw, fields, quoted });
  }
  return out;
}

/** RFC 4180 CSV with a configurable quote and delimiter; a doubled quote inside quotes is one quote. */
export function splitCsv(text: string, delim: string, quote: string): LoadRecord[] {
  const out: LoadRecord[] = [];
  let fields: string[] = [], quoted: boolean[] = [];
  let cur = '', inQ = false, wasQ = false;
  let line = 1, startLine = 1, start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i]!;
    if (inQ) {
      if (ch === quote) { if (text[i + 1] === quote) { cur += quote; i++; } else inQ = false; }
      else { if (ch === '\n') line++; cur += ch; }
      continue;
    }
    if (ch === quote && cur === '' && !wasQ) { inQ = true; wasQ = true; continue; }
    if (text.startsWith(delim, i)) { fields.push(cur); quoted.push(wasQ); cur = ''; wasQ = false; i += delim.length - 1; continue; }
    if (ch === '\n' || ch === '\r') {
      const rawEnd = i;
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(cur); quoted.push(wasQ);
      out.push({ line: startLine, raw: text.slice(start, rawEnd), fields, quoted });
      line++;
      fields = []; quoted = []; cur = ''; wasQ = false; startLine = line; start = i + 1;
      continue;
    }
    cur += ch;
  }
  if (inQ) {
    // An unterminated quote swallows the rest of the file: that is one bad row (Redshift reports it
    // as a missing closing quote at the row where it started).
    out.push({ line: startLine, raw: text.slice(start, start + 1024), fields: [], quoted: [],
      error: new LoadRowError(LoadErrorCode.delimiterNotFound, 'Missing closing quote') });
    return out;
  }
  if (cur !== '' || fields.length || wasQ) { fields.push(cur); quoted.push(wasQ); out.push({ line: startLine, raw: text.slice(start), fields, quoted }); }
  return out;
}
