// UNLOAD TO a local path prefix: `/data/out/venue_` writes /data/out/venue_0000_part_00, ...; directories
// are created as needed. A prefix names every file (and everything in directories) whose path starts with
// it, as an S3 key prefix does. Failures are SqlErrors with SQLSTATE 58030.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlError, SqlState } from '../common/errors.js';
import type { UnloadSink } from './sink.js';

function ioError(what: string, e: unknown): SqlError {
  return new SqlError(SqlState.ioError, `${what}: ${(e as Error).message}`);
}

function filesUnder(dir: string, out: string[]): void {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) filesUnder(p, out); else out.push(p);
  }
}

export function localSink(destination: string): UnloadSink {
  let prefix = destination.startsWith('file://') ? fileURLToPath(destination) : destination;
  const slash = prefix.endsWith('/');
  prefix = resolve(prefix) + (slash ? '/' : '');
  const dir = slash ? prefix : dirname(prefix);
  const base = slash ? '' : basename(prefix);
  return {
    url: (name) => prefix + name,
    async existing() {
      let names: string[];
      try { names = readdirSync(dir); } catch { return []; }
      const out: string[] = [];
      for (const n of names.filter((x) => x.startsWith(base)).sort()) {
        const p = join(dir, n);
        try { if (statSync(p).isDirectory()) filesUnder(p, out); else out.push(p); } catch { /* vanished meanwhile */ }
      }
      return out;
    },
    async remove(urls) {
      for (const u of urls) {
        try { rmSync(u, { force: true }); } catch (e) { throw ioError(`could not remove file "${u}"`, e); }
      }
    },
    async put(name, data) {
      const p = prefix + name;
      try {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, data);
      } catch (e) {
        throw ioError(`could not write file "${p}"`, e);
      }
    },
    close() { /* nothing held */ },
  };
}
