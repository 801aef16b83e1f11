// The library's `db.copyFrom(table, stream, options)`: loads a byte stream (a file ReadStream, a fetch
// body, a Buffer) into a table with COPY's formats and options, reporting progress; atomic like COPY.
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Session } from '../session/session.js';
import { loadSources, type LoadProgress, type LoadResult } from './copy-load.js';
import { bytesSource, listSources, type LoadSource } from './sources.js';
import { copyOptions, type CopyOptionsInput } from './copy-options.js';
import { isS3Url, s3Client } from './s3-client.js';
import { s3Sources } from './s3-source.js';

export interface CopyFromOptions extends CopyOptionsInput {
  /** Target columns in input order (default: all, in table order). */
  columns?: string[];
  /** Stream size in bytes, when known, for the progress ETA. */
  size?: number;
  /** Called as bytes arrive and after parsing. */
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

/** Resolves `schema.table` or `table` on the session's search path. */
export function targetTable(s: Session, name: string): TableDef {
  const dot = name.indexOf('.');
  const rel = dot < 0 ? s.engine.catalog.get(name, undefined, s.searchPath()) : s.engine.catalog.get(name.slice(dot + 1), name.slice(0, dot), s.searchPath());
  if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot copy to view "${rel.name}"`);
  return rel;
}

/** Loads `input` (bytes, an async iterable of chunks, or a local path/dir/prefix/glob/manifest) into `table`. */
export async function copyFrom(s: Session, table: string, input: Uint8Array | AsyncIterable<Uint8Array> | string, options: CopyFromOptions = {}): Promise<LoadResult> {
  const { columns, size, onProgress, signal, ...rest } = options;
  const o = copyOptions(rest);
  let sources: LoadSource[];
  let release = () => {};
  if (typeof input === 'string' && isS3Url(input)) {
    // s3://bucket/prefix (or a manifest there) through the engine's S3 configuration.
    const client = s3Client(s.engine.s3, {}, o.region);
    release = () => client.destroy();
    sources = await s3Sources(client, input, o.manifest);
  } else if (typeof input === 'string') sources = await listSources(input, o.manifest);
  else if (input instanceof Uint8Array) sources = [bytesSource('stream', Buffer.from(input.buffer, input.byteOffset, input.length))];
  else {
    const t0 = Date.now();
    // A stream is read once, on the first read; ranges are views of what arrived.
    let whole: Promise<Buffer> | undefined;
    const readAll = async (): Promise<Buffer> => {
      const parts: Buffer[] = [];
      let got = 0;
      for await (const chunk of input) {
        if (signal?.aborted) throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
        parts.push(Buffer.from(chunk)); got += chunk.length;
        onProgress?.({ file: 'stream', filesDone: 0, filesTotal: 1, bytesDone: got, bytesTotal: size, rows: 0, errors: 0, elapsedMs: Date.now() - t0 });
      }
      return Buffer.concat(parts);
    };
    sources = [{
      name: 'stream', ...(size !== undefined ? { size } : {}),
      read: async (start = 0, end = Infinity) => (await (whole ??= readAll())).subarray(start, end),
    }];
  }
  // One statement of the session: its transaction (the block's, or its own that commits now), durable
  // before success is reported, then the chunk sweep; a concurrent commit to the table gives 1023.
  try {
    return await s.runAsStatement(() => loadSources({ session: s, table: targetTable(s, table), columns: columns ?? null, options: o, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) }, sources));
  } finally {
    release();
  }
}
