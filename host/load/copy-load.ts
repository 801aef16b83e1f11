// Runs one COPY FROM over local sources: lists the files (file, directory, key prefix, glob, MANIFEST),
// decompresses and decodes each, parses it by format, types the rows with MAXERROR accounting, and
// appends everything to the table at once (all or nothing). Called by host/session/copy-local.ts, the
// library's copyFrom and the `load` command. Files are parsed on the leader; parsing them on the slice
// workers (a file or byte range each) is the next step.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import type { Session } from '../session/session.js';
import { defaultValue } from '../session/dml.js';
import { appendRows } from '../storage/table-data.js';
import { decodeUtf8, decompress } from './decode.js';
import { manifestFiles } from './manifest.js';
import { parquetRecords } from './parquet.js';
import { inputParser } from './parse-input.js';
import { RowBuilder, type LoadIdentity } from './row-builder.js';

/** One input of a load: a file, or bytes handed over by a client. */
export interface LoadSource {
  name: string;
  /** Size in bytes when known (for progress). */
  size?: number;
  read(): Promise<Buffer> | Buffer;
}

/** Progress of a load, reported after each source and every `progressRows` rows. */
export interface LoadProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  /** Undefined when a source's size is unknown (a stream). */
  bytesTotal: number | undefined;
  rows: number;
  errors: number;
  elapsedMs: number;
}

export interface LoadRequest {
  session: Session;
  table: TableDef;
  columns: string[] | null;
  options: CopyOptions;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadResult { rows: number; errors: number }

/** The local sources a COPY names: a file, a directory, a key prefix, a glob (`*`, `?`), or a MANIFEST's entries. */
export function localSources(src: string, manifest = false): LoadSource[] {
  if (/^s3:\/\//i.test(src)) throw unsupported('COPY from S3');
  const files = manifest ? manifestFiles(src) : listFiles(src);
  return files.map((f) => ({ name: f, size: statSync(f).size, read: () => readFileSync(f) }));
}

function listFiles(src: string): string[] {
  if (/[*?]/.test(basename(src))) {
    const dir = dirname(src);
    const re = new RegExp(`^${basename(src).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const names = safeReaddir(dir).filter((n) => re.test(n)).sort().map((n) => join(dir, n)).filter(isFile);
    if (names.length === 0) throw notFound(src);
    return names;
  }
  let st;
  try { st = statSync(src); } catch {
    // A key prefix: every file in the directory whose name starts with the last component (Redshift's S3 prefix rule).
    const dir = src.replace(/[^/]*$/, '') || '.';
    const prefix = src.slice(dir.length);
    const names = safeReaddir(dir).filter((n) => n.startsWith(prefix)).sort().map((n) => join(dir, n)).filter(isFile);
    if (names.length === 0) throw notFound(src);
    return names;
  }
  if (st.isDirectory()) return safeReaddir(src).sort().map((n) => join(src, n)).filter(isFile);
  return [src];
}

function safeReaddir(d: string): string[] { try { return readdirSync(d); } catch { return []; } }
function isFile(p: string): boolean { try { return statSync(p).isFile(); } catch { return false; } }
function notFound(src: string): SqlError { return new SqlError(SqlState.ioError, `could not open file "${src}" for reading: No such file or directory`); }

/** Loads `sources` into the table atomically; returns the rows loaded and the bad rows skipped. */
export async function loadSources(req: LoadRequest, sources: Iterable<LoadSource> | AsyncIterable<LoadSource>): Promise<LoadResult> {
  const { session: s, table: rel, options: o } = req;
  const engine = s.engine;
  const who: LoadIdentity = {
    engine, user: s.user, session: s.pid,
    // The id the session's query log gives this statement when it ends.
    query: (engine as unknown as { nextQueryId?: number }).nextQueryId ?? 0,
    starttime: BigInt(Date.now()) * 1000n,
  };
  const builder = new RowBuilder(rel, req.columns, o, who, (ci) => defaultValue(s, rel, ci));
  const parse = o.format === 'PARQUET' ? null : inputParser(o, builder.targetNames);
  let restParse: typeof parse = null;
  const list: LoadSource[] = [];
  for await (const src of sources as AsyncIterable<LoadSource>) list.push(src);
  const known = list.every((x) => x.size !== undefined);
  const bytesTotal = known ? list.reduce((n, x) => n + x.size!, 0) : undefined;
  const t0 = Date.now();
  let bytesDone = 0, filesDone = 0;
  for (const src of list) {
    if (req.signal?.aborted) throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
    const raw = await src.read();
    if (parse) {
      const buf = decompress(raw, o.compression, src.name);
      // A JS string holds at most 512 Mi characters: a bigger text or CSV file is parsed in
      // line-aligned pieces (the header is skipped in the first piece only).
      const pieces = buf.length > PIECE_BYTES && (o.format === 'TEXT' || o.format === 'CSV') ? splitLines(buf, PIECE_BYTES) : [buf];
      pieces.forEach((piece, k) => {
        const { text, invalidLines } = decodeUtf8(piece, o.acceptInvChars);
        const p = k === 0 ? parse : (restParse ??= inputParser({ ...o, ignoreHeader: 0 }, builder.targetNames));
        builder.add(p(text), src.name, invalidLines, k === 0 ? (o.ignoreHeader ?? 0) : 0);
      });
    } else {
      // Parquet compresses inside the file (per page); COPY's GZIP/BZIP2/ZSTD do not apply.
      builder.add(await parquetRecords(raw, builder.targetNames.length), src.name);
    }
    bytesDone += src.size ?? raw.length;
    filesDone++;
    req.onProgress?.({ file: src.name, filesDone, filesTotal: list.length, bytesDone, bytesTotal, rows: builder.rowCount, errors: builder.errors.length, elapsedMs: Date.now() - t0 });
  }
  const batch = builder.finish();
  s.writeData(rel, appendRows(rel, s.dataOf(rel), batch, engine.store));
  return { rows: batch.length, errors: builder.errors.length };
}

/** Files over this size are parsed in pieces (well under V8's 512 Mi-character string limit). */
const PIECE_BYTES = 256 * 1024 * 1024;

/** Splits a buffer after newlines into pieces of at most about `max` bytes. */
function splitLines(buf: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < buf.length) {
    if (buf.length - start <= max) { out.push(buf.subarray(start)); break; }
    let cut = buf.lastIndexOf(10, start + max);
    if (cut < start) cut = buf.indexOf(10, start + max);
    if (cut < 0) { out.push(buf.subarray(start)); break; }
    out.push(buf.subarray(start, cut + 1));
    start = cut + 1;
  }
  return out;
}
