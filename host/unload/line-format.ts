// UNLOAD's row-per-line formats (Redshift "UNLOAD" parameters): pipe-delimited TEXT (DELIMITER, NULL AS,
// ADDQUOTES, ESCAPE), CSV (fields with the delimiter, a quote, a line break, or an empty string are quoted,
// quotes doubled) and JSON (one object per row). Each formats a row of internal values into one line, for
// host/unload/unload.ts to gather into files; COPY with the matching options reads them back.
import type { UnloadOptions } from '../front/copy-unload.js';
import type { Field } from '../session/api.js';
import { unloadText } from './value-text.js';

/** Turns rows into lines (each ending in a newline). */
export interface LineFormat {
  /** The HEADER line, or null when the format has none. */
  header(): string | null;
  line(row: readonly unknown[]): string;
}

export function lineFormat(o: UnloadOptions, fields: readonly Field[]): LineFormat {
  if (o.format === 'JSON') return jsonFormat(fields);
  if (o.format === 'CSV') return csvFormat(o, fields);
  return textFormat(o, fields);
}

function textFormat(o: UnloadOptions, fields: readonly Field[]): LineFormat {
  const delim = o.delimiter ?? '|';
  const nullAs = o.nullAs ?? '';
  const quote = !!o.addQuotes;
  // ESCAPE: a backslash before each line feed, carriage return, delimiter, backslash and (with ADDQUOTES) quote.
  const special = new Set(['\n', '\r', '\\', delim, ...(quote ? ['"'] : [])]);
  const escape = (s: string): string => {
    let out = '';
    for (const ch of s) out += special.has(ch) ? '\\' + ch : ch;
    return out;
  };
  const field = (v: unknown, f: Field): string => {
    if (v === null || v === undefined) return nullAs;
    let s = unloadText(v, f.type);
    if (o.escape) s = escape(s);
    return quote ? `"${s}"` : s;
  };
  return {
    header: () => (o.header ? fields.map((f) => (quote ? `"${f.name}"` : f.name)).join(delim) + '\n' : null),
    line: (row) => row.map((v, i) => field(v, fields[i]!)).join(delim) + '\n',
  };
}

function csvFormat(o: UnloadOptions, fields: readonly Field[]): LineFormat {
  const delim = o.delimiter ?? ',';
  const nullAs = o.nullAs ?? '';
  const quoted = (s: string): string => {
    // An empty string is quoted so that it reads back as '' and not as NULL; so is a value equal to NULL AS.
    if (s === '' || s === nullAs || s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
      return '"' + s.replace(/"/g, '""') + '"';
    }
    return s;
  };
  return {
    header: () => (o.header ? fields.map((f) => quoted(f.name)).join(delim) + '\n' : null),
    line: (row) => row.map((v, i) => (v === null || v === undefined ? nullAs : quoted(unloadText(v, fields[i]!.type)))).join(delim) + '\n',
  };
}

const JSON_NUMBERS = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'oid']);

function jsonFormat(fields: readonly Field[]): LineFormat {
  const keys = fields.map((f) => JSON.stringify(f.name));
  const value = (v: unknown, f: Field): string => {
    if (v === null || v === undefined) return 'null';
    if (f.type.id === 'bool') return v ? 'true' : 'false';
    const s = unloadText(v, f.type);
    // Numbers keep their exact digits (BIGINT and DECIMAL beyond a double's precision); NaN/Infinity are not JSON numbers.
    if (JSON_NUMBERS.has(f.type.id) && /^-?\d/.test(s)) return s;
    return JSON.stringify(s);
  };
  return {
    header: () => null,
    line: (row) => '{' + row.map((v, i) => `${keys[i]}:${value(v, fields[i]!)}`).join(',') + '}\n',
  };
}
