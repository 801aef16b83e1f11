// The inputs of a COPY: what `FROM '<src>'` names (a file, a directory, a key prefix, a glob, a MANIFEST's
// entries) listed as LoadSource objects that read byte ranges, plus in-memory sources for bytes a client
// hands over (COPY FROM STDIN, copyFrom with a stream). First step of the load path (host/load/copy-load.ts);
// the local file system is one implementation, and a slice worker reopens a source from its locator.
import { open as openFile, readFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { manifestFiles } from './manifest.js';

/**
 * One input of a load. Contract: `read(start, end)` resolves with bytes [start, end) of the source, clamped to
 * its size (`read()` reads it all); it may be called many times, from any thread that reopened the source
 * with `openLocator`, and in any order. `size` is known for files and objects, unknown for client streams.
 */
export interface LoadSource {
  /** Name shown in errors and STL_LOAD_ERRORS.filename: a path or a URL. */
  readonly name: string;
  /** Size in bytes when known (progress, and splitting a file into ranges). */
  readonly size?: number;
  read(start?: number, end?: number): Promise<Buffer>;
  /** Plain data a slice worker reopens the source from (sources without one are read on the leader). */
  readonly locator?: SourceLocator;
}

/** What a worker needs to reopen a source; one variant per storage kind. */
export type SourceLocator = { kind: 'file'; path: string; size: number };

/** The sources a COPY names: `src` is a file, a directory, a key prefix, a glob (`*`, `?`), or a MANIFEST file. */
export async function listSources(src: string, manifest = false): Promise<LoadSource[]> {
  if (/^s3:\/\//i.test(src)) throw unsupported('COPY from S3');
  const files = manifest ? manifestFiles(src) : listFiles(src);
  return files.map((path) => fileSource(path, statSync(path).size));
}

/** Reopens a source from its locator (in a slice worker). */
export function openLocator(loc: SourceLocator): LoadSource {
  switch (loc.kind) {
    case 'file': return fileSource(loc.path, loc.size);
  }
}

/** A local file of known size. */
export function fileSource(path: string, size: number): LoadSource {
  return {
    name: path, size, locator: { kind: 'file', path, size },
    async read(start = 0, end = size) {
      end = Math.min(end, size);
      if (start === 0 && end === size) return readFile(path);
      const out = Buffer.allocUnsafe(Math.max(0, end - start));
      const fh = await openFile(path, 'r');
      try {
        let got = 0;
        while (got < out.length) {
          const { bytesRead } = await fh.read(out, got, out.length - got, start + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === out.length ? out : out.subarray(0, got);
      } finally {
        await fh.close();
      }
    },
  };
}

/** Bytes already in memory (COPY FROM STDIN, copyFrom with a Buffer). */
export function bytesSource(name: string, bytes: Buffer): LoadSource {
  return { name, size: bytes.length, read: async (start = 0, end = bytes.length) => bytes.subarray(start, Math.min(end, bytes.length)) };
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
