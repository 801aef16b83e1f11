// COPY ... FROM a local file, directory, key prefix, glob or MANIFEST, or text handed over by COPY FROM
// STDIN: routes the statement to the loader in host/load (formats, options, MAXERROR, STL_LOAD_ERRORS).
// The load is atomic: the table changes only when the whole COPY succeeds.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import type { ParsedStatement } from '../front/parse.js';
import { loadSources } from '../load/copy-load.js';
import { isS3Url, s3Client } from '../load/s3-client.js';
import { s3Sources } from '../load/s3-source.js';
import { bytesSource, listSources } from '../load/sources.js';
import type { StatementResult } from './api.js';
import type { Session } from './session.js';

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
    // psql \copy, psycopg2 copy_expert, postgres.js writable send PostgreSQL's text format (tab-delimited,
    // \N for NULL, backslash escapes; PostgreSQL "COPY") or CSV: Redshift has no FROM STDIN.
    const csv = c.options.format === 'CSV';
    const o: CopyOptions = csv ? c.options : { ...c.options, delimiter: c.options.delimiter ?? '\t', escape: c.options.escape ?? '\\', nullAs: c.options.nullAs ?? '\\N' };
    const parts: Buffer[] = [];
    for await (const chunk of copy.copyFromClient({ format: csv ? 'csv' : 'text', columnCount: c.columns?.length ?? rel.columns.length })) parts.push(Buffer.from(chunk));
    // The end-of-data marker `\.` of the text format, when a client sends it.
    const text = Buffer.concat(parts).toString('latin1').replace(/(^|\n)\\\.\r?\n?$/, '$1');
    const r = await loadSources({ session: s, table: rel, columns: c.columns, options: o, signal }, [bytesSource('stdin', Buffer.from(text, 'latin1'))]);
    return { command: 'COPY', rowCount: r.rows, fields: null, rows: [] };
  }
  if (isS3Url(src)) {
    const client = s3Client(s.engine.s3, c.authorization, c.options.region);
    try {
      const r = await loadSources({ session: s, table: rel, columns: c.columns, options: c.options, signal }, await s3Sources(client, src, c.options.manifest));
      return { command: 'COPY', rowCount: r.rows, fields: null, rows: [] };
    } finally { client.destroy(); }
  }
  const r = await loadSources({ session: s, table: rel, columns: c.columns, options: c.options, signal }, await listSources(src, c.options.manifest));
  return { command: 'COPY', rowCount: r.rows, fields: null, rows: [] };
}
