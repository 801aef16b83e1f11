// The slt runner's adapter for DuckDB: checks the runner and every record that DuckDB and Redshift
// agree on. Redshift-only table attributes are stripped from DDL; values print in PostgreSQL text form.

import { Oracle } from '../differential/duckdb.js';
import type { SltCell, SltEngine, SltRows } from './runner.js';

/**
 * Removes the Redshift physical-design clauses DuckDB does not parse (CREATE TABLE, "Compression
 * encodings", "Distribution styles", "Working with sort keys"): DISTSTYLE, DISTKEY, SORTKEY, ENCODE, BACKUP.
 */
export function stripRedshiftDdl(sql: string): string {
  return sql
    .replace(/\bDISTSTYLE\s+(EVEN|KEY|ALL|AUTO)\b/gi, '')
    .replace(/\bDISTKEY\s*\(\s*\w+\s*\)/gi, '')
    .replace(/\b(COMPOUND\s+|INTERLEAVED\s+)?SORTKEY\s*(AUTO\b|\([^)]*\))/gi, '')
    .replace(/\bDISTKEY\b/gi, '')
    .replace(/\bSORTKEY\b/gi, '')
    .replace(/\bENCODE\s+\w+/gi, '')
    .replace(/\bBACKUP\s+(YES|NO)\b/gi, '');
}

/** A DuckDB type's value printed as PostgreSQL's text output would print it. */
function pgText(type: string, json: unknown, text: string | null): SltCell {
  if (json === null || json === undefined || text === null) return null;
  if (type === 'BOOLEAN') return json === true ? 't' : 'f';
  if (type === 'DOUBLE' || type === 'FLOAT') return String(json);
  return text;
}

/** Opens a fresh in-memory DuckDB as an SltEngine named 'duckdb' (slices are ignored). */
export async function openDuckdbEngine(_slices: number): Promise<SltEngine> {
  const db = await Oracle.create(1);
  return {
    name: 'duckdb',
    async run(sql: string): Promise<SltRows> {
      const r = await db.query(stripRedshiftDdl(sql));
      return { rows: r.rows.map((row, i) => row.map((v, k) => pgText(r.types[k]!, v, r.text[i]![k]!))) };
    },
    async close(): Promise<void> {
      db.close();
    },
  };
}
