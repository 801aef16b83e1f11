// COPY options given outside a COPY statement (the library's copyFrom, the `load` command): Redshift's
// option text ("CSV IGNOREHEADER 1 DATEFORMAT 'auto'") parsed by the front-end's COPY parser, or an
// object of CopyOptions fields.
import { SqlError, SqlState } from '../common/errors.js';
import { parseCopy, type CopyOptions } from '../front/copy-unload.js';
import { tokenize } from '../front/lexer.js';

/** Parses Redshift COPY parameters as they follow `COPY t FROM 'src'` in a statement. */
export function copyOptionsFromText(text: string): CopyOptions {
  const sql = `COPY t FROM 'source' ${text}`;
  try {
    return parseCopy(sql, tokenize(sql)).options;
  } catch (e) {
    if (e instanceof SqlError) throw new SqlError(e.code, `invalid COPY options "${text}": ${e.message}`);
    throw e;
  }
}

/** COPY options as an object: `{ format: 'CSV', ignoreHeader: 1 }`, or `{ sql: "CSV IGNOREHEADER 1" }`. */
export type CopyOptionsInput = Partial<CopyOptions> & { sql?: string };

export function copyOptions(input: CopyOptionsInput = {}): CopyOptions {
  const { sql, ...rest } = input;
  const base = sql ? copyOptionsFromText(sql) : { format: 'TEXT' as const };
  const o: CopyOptions = { ...base, ...rest };
  if (typeof o.format === 'string') o.format = o.format.toUpperCase() as CopyOptions['format'];
  if (o.compression) o.compression = o.compression.toUpperCase() as CopyOptions['compression'];
  if (o.maxError !== undefined && (!Number.isInteger(o.maxError) || o.maxError < 0)) throw new SqlError(SqlState.invalidParameterValue, 'MAXERROR must be a non-negative integer');
  return o;
}
