// DuckDB as the correctness oracle (@duckdb/node-api, in-process): runs SQL and returns each result
// column's DuckDB type name with its values in JSON form (decimals and bigints as exact strings).

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface OracleResult {
  columns: string[];
  /** DuckDB type names, e.g. 'INTEGER', 'DECIMAL(15,2)', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP'. */
  types: string[];
  /** Values as getRowsJson gives them: numbers, exact strings for BIGINT/HUGEINT/DECIMAL, 'YYYY-MM-DD' dates, booleans, null. */
  rows: unknown[][];
  /** The same values as DuckDB prints them (String of each value), null for NULL. */
  text: (string | null)[][];
}

/** One in-memory DuckDB database with one connection, NULLs ordered as Redshift orders them. */
export class Oracle {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async create(threads?: number): Promise<Oracle> {
    const options: Record<string, string> = {};
    if (threads !== undefined) options.threads = String(threads);
    const instance = await DuckDBInstance.create(':memory:', options);
    const conn = await instance.connect();
    // PostgreSQL's and Redshift's default: NULLs sort as the largest value ("ORDER BY clause").
    await conn.run("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
    return new Oracle(instance, conn);
  }

  /** Runs one or more statements; returns the last one's result. */
  async query(sql: string): Promise<OracleResult> {
    const reader = await this.conn.runAndReadAll(sql);
    const columns = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const rows = reader.getRowsJson() as unknown[][];
    const text = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
    return { columns, types, rows, text };
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
