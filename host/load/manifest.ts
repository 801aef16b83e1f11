// COPY ... MANIFEST: reads Redshift's JSON manifest ({"entries": [{"url": ..., "mandatory": ...}]}) listing
// the files to load (Redshift "Using a manifest to specify data files"); local paths or file:// URLs here.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlError, SqlState, unsupported } from '../common/errors.js';

/** The files a manifest lists, in order; a missing mandatory file fails the COPY, a missing optional one is skipped. */
export function manifestFiles(manifestPath: string): string[] {
  let doc: unknown;
  try { doc = JSON.parse(readFileSync(manifestPath, 'utf8')); } catch (e) {
    throw new SqlError(SqlState.ioError, `could not read manifest "${manifestPath}": ${(e as Error).message}`);
  }
  const entries = (doc as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new SqlError(SqlState.invalidParameterValue, `manifest "${manifestPath}" has no "entries" array`);
  const out: string[] = [];
  for (const e of entries as { url?: unknown; mandatory?: unknown }[]) {
    if (typeof e?.url !== 'string') throw new SqlError(SqlState.invalidParameterValue, `manifest "${manifestPath}": an entry has no "url"`);
    let p = e.url;
    if (/^s3:\/\//i.test(p)) throw unsupported('COPY from S3');
    if (p.startsWith('file://')) p = fileURLToPath(p);
    if (!isAbsolute(p)) p = resolve(dirname(manifestPath), p);
    if (!existsSync(p)) {
      if (e.mandatory === true) throw new SqlError(SqlState.ioError, `Manifest file is not found or is mandatory: "${e.url}"`);
      continue;
    }
    out.push(p);
  }
  return out;
}
