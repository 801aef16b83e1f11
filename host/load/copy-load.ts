// Runs one COPY FROM over its sources (host/load/sources.ts): decompresses and decodes each, parses it
// by format, types the rows with MAXERROR accounting, and appends everything to the table at once (all or nothing). Called by host/session/copy-local.ts, the
// library's copyFrom and the `load` command. Files are parsed on the leader; parsing them on the slice
// workers (a file or byte range each) is the next step.
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import type { Session } from '../session/session.js';
import { defaultValue } from '../session/dml.js';
import { appendRows } from '../storage/table-data.js';
import { decodeUtf8, decompress } from './decode.js';
import { loadParallel, parallelEligible } from './copy-parallel.js';
import { parquetRecords } from './parquet.js';
import { inputParser } from './parse-input.js';
import { RowBuilder, type LoadIdentity } from './row-builder.js';
import type { LoadSource } from './sources.js';

export type { LoadSource } from './sources.js';

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
  const list: LoadSource[] = [];
  for await (const src of sources as AsyncIterable<LoadSource>) list.push(src);
  if (parallelEligible(req, list)) return loadParallel(req, list);
  const builder = new RowBuilder(rel, req.columns, o, who, (ci) => defaultValue(s, rel, ci));
  const parse = o.format === 'PARQUET' ? null : inputParser(o, builder.targetNames);
  let restParse: typeof parse = null;
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
