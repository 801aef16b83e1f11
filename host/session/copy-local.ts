// COPY ... FROM a local file (or text handed over by COPY FROM STDIN): Redshift's pipe-delimited
// text format and CSV, with IGNOREHEADER, NULL AS, EMPTYASNULL, BLANKSASNULL, GZIP. The load is
// atomic: rows are parsed and typed first, and the table changes only if every row is good.
import { readFileSync, statSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { vectorFromValues, type Batch } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { castValue } from '../functions/cast.js';
import type { CopyOptions } from '../front/copy-unload.js';
import type { ParsedStatement } from '../front/parse.js';
import { appendRows } from '../storage/table-data.js';
import { T } from '../types/sql-type.js';
import type { StatementResult } from './api.js';
import type { Session } from './session.js';
import { defaultValue } from './dml.js';

/** The COPY hooks the wire server passes (host/wire/copy.ts), as far as COPY FROM STDIN needs them. */
interface CopyInHooks { copyFromClient(spec: { format: 'text' | 'csv' | 'binary'; columnCount: number }): AsyncIterable<Uint8Array> }

export async function executeCopy(s: Session, st: ParsedStatement, signal: AbortSignal, copy?: CopyInHooks): Promise<StatementResult> {
  const c = st.copy!;
  if (c.direction !== 'from') throw unsupported('COPY ... TO outside the wire protocol');
  if (!c.table) throw new SqlError(SqlState.syntaxError, 'COPY FROM needs a table');
  const rel = s.engine.catalog.get(c.table.name, c.table.schema, s.searchPath());
  if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot copy to view "${rel.name}"`);
  const src = c.source ?? '';
  if (src === 'stdin') {
    if (!copy) throw unsupported('COPY FROM STDIN outside the wire protocol');
    return copyFromStdin(s, rel, c.columns, c.options, copy);
  }
  if (/^s3:\/\//i.test(src)) throw unsupported('COPY from S3');
  const files = listFiles(src);
  let loaded = 0;
  let data = s.dataOf(rel);
  for (const f of files) {
    if (signal.aborted) throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
    let buf = readFileSync(f);
    if (c.options.compression === 'GZIP' || (!c.options.compression && f.endsWith('.gz'))) buf = gunzipSync(buf);
    else if (c.options.compression) throw unsupported(`COPY ${c.options.compression}`);
    const batch = parseText(rel, c.columns, buf.toString('utf8'), c.options, f, (ci) => defaultValue(s, rel, ci));
    data = appendRows(rel, data, batch, s.engine.store);
    loaded += batch.length;
  }
  s.writeData(rel, data);
  return { command: 'COPY', rowCount: loaded, fields: null, rows: [] };
}

/**
 * COPY ... FROM STDIN (psql \copy, psycopg2 copy_expert, postgres.js writable): the client's CopyData
 * stream in PostgreSQL's text format (tab-delimited, \N for NULL, backslash escapes; PostgreSQL "COPY")
 * or CSV. Redshift has no FROM STDIN; PostgreSQL's defaults are what these clients send.
 */
async function copyFromStdin(s: Session, rel: TableDef, columns: string[] | null, options: CopyOptions, copy: CopyInHooks): Promise<StatementResult> {
  const csv = options.format === 'CSV';
  const o: CopyOptions = csv ? options : { ...options, delimiter: options.delimiter ?? '\t', escape: options.escape ?? '\\', nullAs: options.nullAs ?? '\\N' };
  const parts: Buffer[] = [];
  for await (const chunk of copy.copyFromClient({ format: csv ? 'csv' : 'text', columnCount: columns?.length ?? rel.columns.length })) parts.push(Buffer.from(chunk));
  // The end-of-data marker `\.` of the text format, when a client sends it.
  const text = Buffer.concat(parts).toString('utf8').replace(/(^|\n)\\\.\r?\n?$/, '$1');
  const batch = parseText(rel, columns, text, o, 'stdin', (ci) => defaultValue(s, rel, ci));
  s.writeData(rel, appendRows(rel, s.dataOf(rel), batch, s.engine.store));
  return { command: 'COPY', rowCount: batch.length, fields: null, rows: [] };
}

function listFiles(src: string): string[] {
  let st;
  try { st = statSync(src); } catch {
    // A key prefix: every file in the directory whose name starts with the last component.
    const dir = src.replace(/[^/]*$/, '') || '.';
    const prefix = src.slice(dir.length);
    let names: string[] = [];
    try { names = readdirSync(dir).filter((n) => n.startsWith(prefix)).sort(); } catch { /* none */ }
    if (names.length === 0) throw new SqlError(SqlState.ioError, `could not open file "${src}" for reading: No such file or directory`);
    return names.map((n) => join(dir, n));
  }
  if (st.isDirectory()) return readdirSync(src).sort().map((n) => join(src, n)).filter((p) => statSync(p).isFile());
  return [src];
}

/** Parses delimited text into a batch in table column order (missing columns get NULL). */
/** `defaults(ci)` gives the DEFAULT (or next IDENTITY) value of a column the load does not name. */
export function parseText(def: TableDef, columns: string[] | null, text: string, o: CopyOptions, fileName = 'stdin', defaults?: (ci: number) => unknown): Batch {
  const target = columns ? columns.map((n) => {
    const i = def.columns.findIndex((c) => c.name === n);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${n}" of relation "${def.name}" does not exist`);
    return i;
  }) : def.columns.map((_, i) => i);
  const csv = o.format === 'CSV';
  if (o.format !== 'TEXT' && !csv) throw unsupported(`COPY FORMAT ${o.format}`);
  const delim = o.delimiter ?? (csv ? ',' : '|');
  const nullAs = o.nullAs ?? (csv ? '' : '\\N');
  const records = csv ? splitCsv(text, delim, o.quote ?? '"') : splitTextFormat(text, delim, !!o.escape);
  const skip = o.ignoreHeader ?? 0;
  const values: unknown[][] = def.columns.map(() => []);
  let line = 0;
  for (const rec of records) {
    line++;
    if (line <= skip) continue;
    if (rec.fields.length === 1 && rec.fields[0] === '' && !rec.quoted[0]) continue;
    let fields = rec.fields;
    // dbgen's .tbl rows end with the delimiter: one empty trailing field is not a column.
    if (fields.length === target.length + 1 && fields[fields.length - 1] === '' && !rec.quoted[fields.length - 1]) fields = fields.slice(0, -1);
    if (fields.length > target.length) throw loadError(fileName, line, `Extra column(s) found`, def, undefined);
    if (fields.length < target.length) {
      if (!o.fillRecord) throw loadError(fileName, line, `Delimiter not found`, def, undefined);
      fields = [...fields, ...new Array(target.length - fields.length).fill(null)];
    }
    const row = new Array<unknown>(def.columns.length).fill(null);
    fields.forEach((f, i) => {
      const ci = target[i]!;
      const col = def.columns[ci]!;
      if (f === null || (!rec.quoted[i] && f === nullAs) || (o.emptyAsNull && f === '') || (o.blanksAsNull && f.trim() === '' && f !== '')) { row[ci] = null; return; }
      if (f === '' && !csv && (col.type.id !== 'varchar' && col.type.id !== 'bpchar' && col.type.id !== 'text')) { row[ci] = null; return; }
      let v = f;
      if (o.truncateColumns && (col.type.id === 'varchar' || col.type.id === 'bpchar')) {
        try { row[ci] = castValue(v, T.unknown, col.type, 'explicit'); return; } catch (e) { throw loadError(fileName, line, (e as Error).message, def, col.name); }
      }
      if (o.removeQuotes && v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      try { row[ci] = castValue(v, T.unknown, col.type, 'assign'); } catch (e) { throw loadError(fileName, line, (e as Error).message, def, col.name, (e as SqlError).code); }
    });
    for (let ci = 0; ci < def.columns.length; ci++) {
      const col = def.columns[ci]!;
      if (!target.includes(ci)) {
        if (defaults) row[ci] = defaults(ci);
        else if (col.identity) { row[ci] = col.type.id === 'int8' ? col.identity.next : Number(col.identity.next); col.identity.next += col.identity.step; }
      }
      if (row[ci] === null && col.notNull) throw loadError(fileName, line, `Missing data for not-null field`, def, col.name, SqlState.notNullViolation);
      values[ci]!.push(row[ci]);
    }
  }
  const n = values[0]?.length ?? 0;
  return { columns: def.columns.map((c, i) => vectorFromValues(c.type, values[i]!)), length: n };
}

function loadError(file: string, line: number, reason: string, def: TableDef, col: string | undefined, code: string = SqlState.invalidTextRepresentation): SqlError {
  return new SqlError(code, `Load into table '${def.name}' failed: ${reason}`, { detail: `file: ${file}, line: ${line}${col ? `, column: ${col}` : ''}` });
}

interface Rec { fields: (string | null)[]; quoted: boolean[] }

/** Redshift's text format: one row per line, fields split by the delimiter, backslash escapes when ESCAPE. */
function splitTextFormat(text: string, delim: string, escape: boolean): Rec[] {
  const out: Rec[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) {
    if (!escape) {
      // dbgen's .tbl lines end with the delimiter: a trailing empty field is dropped.
      const parts = l.split(delim);
      out.push({ fields: parts, quoted: parts.map(() => false) });
      continue;
    }
    const fields: (string | null)[] = [];
    let cur = '';
    let isNull = false;
    const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };
    for (let i = 0; i < l.length; i++) {
      const ch = l[i]!;
      if (ch === '\\' && i + 1 < l.length) {
        const nx = l[++i]!;
        // An unescaped whole-field \N is NULL (PostgreSQL's text format default NULL string).
        if (nx === 'N' && cur === '' && (i + 1 === l.length || l.startsWith(delim, i + 1))) { isNull = true; continue; }
        cur += ESC[nx] ?? nx;
        continue;
      }
      if (l.startsWith(delim, i)) { fields.push(isNull ? null : cur); cur = ''; isNull = false; i += delim.length - 1; continue; }
      cur += ch;
    }
    fields.push(isNull ? null : cur);
    out.push({ fields, quoted: fields.map(() => false) });
  }
  return out;
}

/** RFC 4180-style CSV with a configurable quote; quoted fields may span lines. */
function splitCsv(text: string, delim: string, quote: string): Rec[] {
  const out: Rec[] = [];
  let fields: string[] = [], quoted: boolean[] = [];
  let cur = '', inQ = false, wasQ = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQ) {
      if (ch === quote) { if (text[i + 1] === quote) { cur += quote; i++; } else inQ = false; }
      else cur += ch;
      continue;
    }
    if (ch === quote && cur === '') { inQ = true; wasQ = true; continue; }
    if (text.startsWith(delim, i)) { fields.push(cur); quoted.push(wasQ); cur = ''; wasQ = false; i += delim.length - 1; continue; }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(cur); quoted.push(wasQ);
      out.push({ fields, quoted });
      fields = []; quoted = []; cur = ''; wasQ = false;
      continue;
    }
    cur += ch;
  }
  if (inQ) throw new SqlError(SqlState.invalidTextRepresentation, 'unterminated CSV quoted field');
  if (cur !== '' || fields.length) { fields.push(cur); quoted.push(wasQ); out.push({ fields, quoted }); }
  return out;
}
