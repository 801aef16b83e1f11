// Checks an UNLOAD's options before anything runs (Redshift "UNLOAD" parameters and their usage notes):
// combinations Redshift refuses (PARQUET with text options, CSV with ADDQUOTES/ESCAPE/FIXEDWIDTH,
// CLEANPATH with ALLOWOVERWRITE), MAXFILESIZE between 5 MB and 6.2 GB, and what wasmshift does not do
// yet (0A000): FIXEDWIDTH, PARTITION BY, client-side ENCRYPTED, BZIP2 output.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { Authorization, UnloadOptions } from '../front/copy-unload.js';

/** Redshift's MAXFILESIZE bounds and default (6.2 GB). */
export const MIN_FILE_SIZE = 5 * 1024 * 1024;
export const MAX_FILE_SIZE = Math.round(6.2 * 1024 * 1024 * 1024);

function incompatible(a: string, b: string): SqlError {
  return new SqlError(SqlState.syntaxError, `${a} cannot be used with ${b}`);
}

export function checkUnloadOptions(o: UnloadOptions, auth: Authorization): void {
  if (o.format === 'PARQUET' || o.format === 'JSON') {
    const text: [boolean, string][] = [
      [o.delimiter !== undefined, 'DELIMITER'], [o.fixedwidthSpec !== undefined, 'FIXEDWIDTH'], [!!o.addQuotes, 'ADDQUOTES'],
      [!!o.escape, 'ESCAPE'], [o.nullAs !== undefined, 'NULL AS'], [!!o.header, 'HEADER'],
    ];
    for (const [given, name] of text) if (given) throw incompatible(o.format, name);
    if (o.format === 'PARQUET' && o.compression) throw incompatible('PARQUET', o.compression);
  }
  if (o.format === 'CSV') {
    if (o.addQuotes) throw incompatible('CSV', 'ADDQUOTES');
    if (o.escape) throw incompatible('CSV', 'ESCAPE');
    if (o.fixedwidthSpec !== undefined) throw incompatible('CSV', 'FIXEDWIDTH');
  }
  if (o.rowGroupSize !== undefined && o.format !== 'PARQUET') throw new SqlError(SqlState.syntaxError, 'ROWGROUPSIZE can be used only with PARQUET');
  if (o.cleanPath && o.allowOverwrite) throw incompatible('CLEANPATH', 'ALLOWOVERWRITE');
  if (o.maxFileSize !== undefined && (o.maxFileSize < MIN_FILE_SIZE || o.maxFileSize > MAX_FILE_SIZE)) {
    throw new SqlError(SqlState.invalidParameterValue, 'MAXFILESIZE must be between 5 MB and 6.2 GB');
  }
  if (o.delimiter !== undefined && (o.delimiter === '\n' || o.delimiter === '\r' || o.delimiter === '"' || o.delimiter === '\\')) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid DELIMITER ${JSON.stringify(o.delimiter)}`);
  }
  if (o.fixedwidthSpec !== undefined) throw unsupported('UNLOAD ... FIXEDWIDTH');
  if (o.partitionBy) throw unsupported('UNLOAD ... PARTITION BY');
  if (o.compression === 'BZIP2') throw unsupported('UNLOAD ... BZIP2 (no BZIP2 encoder is installed; use GZIP or ZSTD)');
  // Server-side encryption (ENCRYPTED AUTO, KMS_KEY_ID) is the object store's business; client-side
  // encryption with a MASTER_SYMMETRIC_KEY would change the bytes, which is not done here.
  if (o.encrypted && auth.masterSymmetricKey !== undefined) throw unsupported('UNLOAD ... ENCRYPTED with MASTER_SYMMETRIC_KEY');
}
