// UNLOAD ('select ...') TO 'prefix' (Redshift "UNLOAD"): runs the SELECT through the session, cuts its rows
// into files (PARALLEL ON: one stream per slice, each slice's rows a contiguous run of the result; PARALLEL
// OFF: one stream in result order; a new part at MAXFILESIZE), writes them in TEXT, CSV, JSON or PARQUET,
// compressed when asked, to a local prefix or s3://, then the MANIFEST. Called from host/session/session.ts.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import { isS3Url, s3Client } from '../load/s3-client.js';
import type { Field, StatementResult } from '../session/api.js';
import type { Session } from '../session/session.js';
import { compressFile } from './compress.js';
import { dataFileName, fileSuffix, MANIFEST_NAME } from './file-names.js';
import { lineFormat } from './line-format.js';
import { localSink } from './local-sink.js';
import { s3Sink } from './s3-sink.js';
import { manifestJson, type WrittenFile } from './manifest.js';
import { parquetFile, parquetRowBytes } from './parquet-file.js';
import type { UnloadSink } from './sink.js';
import { checkUnloadOptions, MAX_FILE_SIZE } from './unload-options.js';
import type { UnloadOptions } from '../front/copy-unload.js';

/** Files are built in memory before they are written: no part grows beyond this, whatever MAXFILESIZE says. */
export const PART_CAP_BYTES = 1024 * 1024 * 1024;

type Row = readonly unknown[];

/** The sink for an UNLOAD's destination. */
function sinkFor(s: Session, st: ParsedStatement): UnloadSink {
  const u = st.unload!;
  const dest = u.destination;
  if (dest.trim() === '') throw new SqlError(SqlState.invalidParameterValue, 'UNLOAD destination is empty');
  if (isS3Url(dest)) return s3Sink(s3Client(s.engine.s3, u.authorization, u.options.region), dest);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dest) && !dest.startsWith('file://')) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid UNLOAD destination "${dest}": expected s3://bucket/prefix or a local path`);
  }
  return localSink(dest);
}

/** Rows of one output stream and how its part files are named (per slice, or the one serial stream). */
interface Stream { rows: readonly Row[]; name: (part: number) => string }

/** The output streams: one per slice with PARALLEL ON (each a contiguous run of the result), else one. */
function streams(o: UnloadOptions, rows: readonly Row[], slices: number): Stream[] {
  const suffix = fileSuffix(o);
  if (!o.parallel) return [{ rows, name: (p) => dataFileName(null, p, suffix) }];
  const n = rows.length;
  const out: Stream[] = [];
  for (let k = 0; k < slices; k++) {
    out.push({ rows: rows.slice(Math.floor((k * n) / slices), Math.floor(((k + 1) * n) / slices)), name: (p) => dataFileName(k, p, suffix) });
  }
  return out;
}

/** A finished part before compression: its name, bytes and row count. */
interface Part { name: string; data: Buffer; rows: number }

/** Cuts a stream of a line format into files of at most `limit` bytes (a file holds at least one row; HEADER starts each). */
function* lineParts(stream: Stream, limit: number, header: string | null, line: (r: Row) => string): Generator<Part> {
  const headerBytes = header ? Buffer.from(header, 'utf8') : null;
  let chunks: Buffer[] = headerBytes ? [headerBytes] : [];
  let bytes = headerBytes?.length ?? 0, rows = 0, part = 0;
  let text = '';
  const flushText = (): void => { if (text) { const b = Buffer.from(text, 'utf8'); chunks.push(b); text = ''; } };
  for (const r of stream.rows) {
    const l = line(r);
    const b = Buffer.byteLength(l);
    if (rows > 0 && bytes + b > limit) {
      flushText();
      yield { name: stream.name(part++), data: Buffer.concat(chunks), rows };
      chunks = headerBytes ? [headerBytes] : [];
      bytes = headerBytes?.length ?? 0; rows = 0;
    }
    text += l; bytes += b; rows++;
    if (text.length > 1 << 20) flushText();
  }
  flushText();
  if (rows > 0) yield { name: stream.name(part), data: Buffer.concat(chunks), rows };
}

/** Cuts a stream into Parquet files of at most about `limit` bytes of uncompressed values. */
function* parquetParts(o: UnloadOptions, stream: Stream, limit: number, fields: readonly Field[]): Generator<Part> {
  let start = 0, bytes = 0, part = 0;
  const rows = stream.rows;
  for (let i = 0; i <= rows.length; i++) {
    const b = i < rows.length ? parquetRowBytes(fields, rows[i]!) : 0;
    if (i === rows.length || (i > start && bytes + b > limit)) {
      if (i > start) {
        const mine = rows.slice(start, i);
        yield { name: stream.name(part++), data: parquetFile(fields, mine, rowGroupRows(o, bytes, mine.length)), rows: mine.length };
      }
      start = i; bytes = 0;
    }
    bytes += b;
  }
}

/** Rows per Parquet row group: ROWGROUPSIZE bytes over the average row, else 100000 rows. */
function rowGroupRows(o: UnloadOptions, bytes: number, rows: number): number {
  if (o.rowGroupSize === undefined || rows === 0) return 100000;
  return Math.max(1, Math.floor(o.rowGroupSize / Math.max(1, bytes / rows)));
}

/** Every part of the UNLOAD, in file order. */
function* allParts(o: UnloadOptions, fields: readonly Field[], rows: readonly Row[], slices: number): Generator<Part> {
  const limit = Math.min(o.maxFileSize ?? MAX_FILE_SIZE, PART_CAP_BYTES);
  const fmt = o.format === 'PARQUET' ? null : lineFormat(o, fields);
  const header = fmt?.header() ?? null;
  let any = false;
  for (const st of streams(o, rows, slices)) {
    for (const p of fmt ? lineParts(st, limit, header, fmt.line) : parquetParts(o, st, limit, fields)) { any = true; yield p; }
  }
  // No rows: the delimited formats still write one (empty, or header-only) file; PARQUET writes none.
  if (!any && fmt) yield { name: dataFileName(o.parallel ? 0 : null, 0, fileSuffix(o)), data: Buffer.from(header ?? '', 'utf8'), rows: 0 };
}

export async function executeUnload(s: Session, st: ParsedStatement, signal: AbortSignal): Promise<StatementResult> {
  const u = st.unload!;
  const o = u.options;
  checkUnloadOptions(o, u.authorization);
  const q = st.query!;
  const node = q.ast.SelectStmt;
  if (node.intoClause) throw new SqlError(SqlState.syntaxError, 'UNLOAD query must be a SELECT statement');
  // Redshift refuses LIMIT in the outer SELECT of an UNLOAD (a nested SELECT may have one).
  if (node.limitCount) throw unsupported('LIMIT in the outer SELECT of UNLOAD (use a nested query)');
  const sink = sinkFor(s, st);
  const written: string[] = [];
  try {
    // The query runs first: an error in it leaves the destination as it was.
    const res = await s.runSelect(q, node, [], { signal }, signal);
    const fields = res.fields!;
    const rows = res.rows as Row[];
    const existing = await sink.existing();
    if (existing.length > 0) {
      if (o.cleanPath) await sink.remove(existing);
      else if (!o.allowOverwrite) {
        throw new SqlError(SqlState.internalError, 'Specified unload destination on S3 is not empty. Consider using a different bucket / prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option.', { detail: sink.url('') });
      }
    }
    const files: WrittenFile[] = [];
    for (const part of allParts(o, fields, rows, s.engine.slices)) {
      if (signal.aborted) throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
      const data = await compressFile(part.data, o.format === 'PARQUET' ? undefined : o.compression);
      await sink.put(part.name, data);
      written.push(sink.url(part.name));
      files.push({ url: sink.url(part.name), bytes: data.length, rows: part.rows });
    }
    if (o.manifest) {
      await sink.put(MANIFEST_NAME, Buffer.from(manifestJson(files, fields, !!o.manifestVerbose, o.format === 'PARQUET'), 'utf8'));
      written.push(sink.url(MANIFEST_NAME));
    }
    const n = rows.length;
    return { command: 'UNLOAD', rowCount: n, fields: null, rows: [], notices: [{ code: '00000', message: `UNLOAD completed, ${n} record(s) unloaded successfully.` }] };
  } catch (e) {
    // Nothing half-done stays behind: the files this UNLOAD wrote go (best effort).
    await sink.remove(written).catch(() => undefined);
    throw e;
  } finally {
    sink.close();
  }
}
