// UNLOAD ... MANIFEST [VERBOSE]: the JSON manifest Redshift writes at `<prefix>manifest` (Redshift "UNLOAD",
// MANIFEST): `entries` with each file's `url` (and `meta.content_length`, plus `meta.record_count` when
// VERBOSE or for PARQUET, which Spectrum needs); VERBOSE adds the `schema` of the columns, a total `meta`
// and the `author`. COPY ... MANIFEST reads it back (it needs only `url`).
import type { Field } from '../session/api.js';
import type { SqlType } from '../types/sql-type.js';

export interface WrittenFile { url: string; bytes: number; rows: number }

/** Redshift's name of a type in a verbose manifest, with its length, precision and scale. */
function manifestType(t: SqlType): Record<string, unknown> {
  switch (t.id) {
    case 'int2': return { base: 'smallint' };
    case 'int4': return { base: 'integer' };
    case 'int8': return { base: 'bigint' };
    case 'float4': return { base: 'real' };
    case 'float8': return { base: 'double precision' };
    case 'bool': return { base: 'boolean' };
    case 'numeric': return { base: 'numeric', precision: t.precision ?? 18, scale: t.scale ?? 0 };
    case 'bpchar': return { base: 'character', byte_length: t.length !== undefined && t.length > 0 ? t.length : 1 };
    case 'varchar': case 'text': case 'name': return { base: 'character varying', byte_length: t.length !== undefined && t.length > 0 ? t.length : 256 };
    case 'date': return { base: 'date' };
    case 'timestamp': return { base: 'timestamp without time zone' };
    case 'timestamptz': return { base: 'timestamp with time zone' };
    case 'time': return { base: 'time without time zone' };
    case 'timetz': return { base: 'time with time zone' };
    default: return { base: t.id };
  }
}

/** The manifest's JSON text. */
export function manifestJson(files: readonly WrittenFile[], fields: readonly Field[], verbose: boolean, parquet: boolean): string {
  const entries = files.map((f) => (verbose || parquet
    ? { url: f.url, meta: { content_length: f.bytes, record_count: f.rows } }
    : { url: f.url }));
  if (!verbose) return JSON.stringify({ entries }, null, 2) + '\n';
  const doc = {
    entries,
    schema: { elements: fields.map((f) => ({ name: f.name, type: manifestType(f.type) })) },
    meta: { content_length: files.reduce((n, f) => n + f.bytes, 0), record_count: files.reduce((n, f) => n + f.rows, 0) },
    author: { name: 'Amazon Redshift', version: '1.0.0' },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
