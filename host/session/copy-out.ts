// COPY ... TO STDOUT (psql \copy out, psycopg2 copy_expert, pg-copy-streams): runs the table or
// query and streams its rows to the client in PostgreSQL's text or CSV COPY format.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import { formatText } from '../types/text-format.js';
import type { ExecuteOptions, StatementResult } from './api.js';
import type { Session } from './session.js';

interface CopyOutHooks { copyToClient(spec: { format: 'text' | 'csv' | 'binary'; columnCount: number }): { write(chunk: Uint8Array): Promise<void>; end(): Promise<void> } }

/** Escapes a value for the text format: backslash, newline, carriage return, tab and the delimiter. */
function textField(s: string, delim: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === delim) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

function csvField(s: string, delim: string, quote: string, force: boolean): string {
  if (force || s === '' || s.includes(delim) || s.includes(quote) || s.includes('\n') || s.includes('\r')) {
    return quote + s.split(quote).join(quote + quote) + quote;
  }
  return s;
}

export async function copyToStdout(s: Session, st: ParsedStatement, options: ExecuteOptions, signal: AbortSignal, hooks: CopyOutHooks | undefined): Promise<StatementResult> {
  const c = st.copy!;
  if (!hooks) throw unsupported('COPY TO STDOUT outside the wire protocol');
  if (c.destination !== 'stdout') throw unsupported(`COPY TO '${c.destination}' (use UNLOAD)`);
  const o = c.options;
  const csv = o.format === 'CSV';
  if (o.format !== 'TEXT' && !csv) throw unsupported(`COPY TO STDOUT FORMAT ${o.format}`);
  let sql: string;
  if (c.query) sql = c.query.text;
  else {
    const rel = s.engine.catalog.get(c.table!.name, c.table!.schema, s.searchPath());
    const cols = c.columns ?? (rel.kind === 'table' ? rel.columns.map((x) => x.name) : rel.columns.map((x) => x.name));
    sql = `SELECT ${cols.map((x) => `"${x.replace(/"/g, '""')}"`).join(', ')} FROM ${c.table!.schema ? `"${c.table!.schema}".` : ''}"${c.table!.name}"`;
  }
  const [res] = await s.execute(sql, [], { ...options, signal });
  if (!res || !res.fields) throw new SqlError(SqlState.syntaxError, 'COPY query must return rows');
  const delim = o.delimiter ?? (csv ? ',' : '\t');
  const nullAs = o.nullAs ?? (csv ? '' : '\\N');
  const quote = o.quote ?? '"';
  const sink = hooks.copyToClient({ format: csv ? 'csv' : 'text', columnCount: res.fields.length });
  const enc = new TextEncoder();
  const fields = res.fields;
  if (csv && o.header) await sink.write(enc.encode(fields.map((f) => csvField(f.name, delim, quote, false)).join(delim) + '\n'));
  let buf = '';
  for (const row of res.rows) {
    const parts = row.map((v, i) => {
      if (v === null || v === undefined) return nullAs;
      const t = fields[i]!.type;
      const text = t.id === 'bool' ? (v ? 't' : 'f') : formatText(v, t);
      return csv ? csvField(text, delim, quote, false) : textField(text, delim);
    });
    buf += parts.join(delim) + '\n';
    if (buf.length > 65536) { await sink.write(enc.encode(buf)); buf = ''; }
  }
  if (buf) await sink.write(enc.encode(buf));
  await sink.end();
  return { command: 'COPY', rowCount: res.rows.length, fields: null, rows: [] };
}
