// The public library API: `open()` an embedded wasmshift, run SQL with node-postgres-shaped
// results, stream batches, get Apache Arrow tables, prepare statements, and close.
import { tableFromArrays, type Table } from 'apache-arrow';
import { SqlError } from './common/errors.js';
import { formatText } from './types/text-format.js';
import { TypeOid, typeLength, typmodOf, type SqlType } from './types/sql-type.js';
import type { Field, StatementResult } from './session/api.js';
import { Engine, type EngineOptions } from './session/database.js';
import { Session } from './session/session.js';
import { copyFrom, type CopyFromOptions } from './load/copy-from.js';
import type { LoadResult } from './load/copy-load.js';

export { SqlError, SqlState } from './common/errors.js';
export type { SqlType, TypeId } from './types/sql-type.js';
export type { Field, StatementResult, SessionApi, ExecuteOptions, StatementDescription, TransactionStatus } from './session/api.js';
export { Session } from './session/session.js';
export type { CopyFromOptions } from './load/copy-from.js';
export type { LoadProgress, LoadResult } from './load/copy-load.js';

export interface OpenOptions extends EngineOptions {
  /** Data directory: committed tables, views and users survive restarts (docs/storage.md); omitted: in memory. */
  data?: string;
  /** User the default session runs as. */
  user?: string;
}

/** A column of a query result, as node-postgres describes it. */
export interface FieldDef {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text';
}

/** What `query` returns: the shape of node-postgres's QueryResult. */
export interface QueryResult<R = Record<string, unknown>> {
  command: string;
  rowCount: number;
  rows: R[];
  fields: FieldDef[];
}

/** A query with bound parameters, built by the `sql` tag. */
export interface SqlQuery { text: string; values: unknown[] }

/** Tagged template that always binds: sql`select * from t where a = ${x}` sends `$1` and [x]. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1] ?? ''}`;
  return { text, values };
}

/** Converts an internal value to the JS value the library returns (int8 as bigint, numeric as exact string). */
export function toJs(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.id) {
    case 'numeric': case 'interval': case 'time': case 'timetz': return formatText(v, t);
    case 'date': return new Date(Number(v) * 86400000);
    case 'timestamp': case 'timestamptz': return new Date(Number((v as bigint) / 1000n));
    default: return v;
  }
}

function fieldDefs(fields: Field[]): FieldDef[] {
  return fields.map((f) => ({ name: f.name, tableID: f.tableOid, columnID: f.columnNumber, dataTypeID: TypeOid[f.type.id], dataTypeSize: typeLength(f.type), dataTypeModifier: typmodOf(f.type), format: 'text' }));
}

function toResult<R>(r: StatementResult): QueryResult<R> {
  const fields = r.fields ?? [];
  const rows = r.rows.map((row) => {
    const o: Record<string, unknown> = {};
    fields.forEach((f, i) => { o[f.name] = toJs(row[i], f.type); });
    return o as R;
  });
  return { command: r.command, rowCount: r.rowCount, rows, fields: fieldDefs(fields) };
}

export interface PreparedStatement<R = Record<string, unknown>> {
  readonly text: string;
  readonly paramTypes: SqlType[];
  readonly fields: FieldDef[] | null;
  query(params?: unknown[]): Promise<QueryResult<R>>;
}

export class Database {
  private readonly main: Session;
  private constructor(private readonly engine: Engine, user: string) {
    this.main = new Session(engine, user);
  }

  static async open(options: OpenOptions = {}): Promise<Database> {
    const engine = await Engine.create(options);
    return new Database(engine, options.user ?? 'dev');
  }

  /** Slices the engine spreads rows over. */
  get slices(): number { return this.engine.slices; }

  /** Runs SQL (one statement, or several: the last result is returned) with $n parameters. */
  async query<R = Record<string, unknown>>(text: string | SqlQuery, params: unknown[] = []): Promise<QueryResult<R>> {
    const q = typeof text === 'string' ? { text, values: params } : text;
    const results = await this.main.execute(q.text, q.values);
    const last = results[results.length - 1];
    if (!last) return { command: '', rowCount: 0, rows: [], fields: [] };
    return toResult<R>(last);
  }

  /** Runs a query and yields its rows in batches (arrays of row objects). */
  async *stream<R = Record<string, unknown>>(text: string | SqlQuery, params: unknown[] = [], batchRows = 10000): AsyncGenerator<R[]> {
    const r = await this.query<R>(text, params);
    for (let i = 0; i < r.rows.length; i += batchRows) yield r.rows.slice(i, i + batchRows);
  }

  /** Runs a query and returns an Apache Arrow table. */
  async queryArrow(text: string | SqlQuery, params: unknown[] = []): Promise<Table> {
    const q = typeof text === 'string' ? { text, values: params } : text;
    const results = await this.main.execute(q.text, q.values);
    const r = results[results.length - 1]!;
    const fields = r.fields ?? [];
    const arrays: Record<string, unknown> = {};
    fields.forEach((f, c) => {
      const col = r.rows.map((row) => row[c]);
      switch (f.type.id) {
        case 'int2': arrays[f.name] = Int16Array.from(col as number[], (v) => v ?? 0); break;
        case 'int4': arrays[f.name] = Int32Array.from(col as number[], (v) => v ?? 0); break;
        case 'int8': arrays[f.name] = BigInt64Array.from(col as bigint[], (v) => v ?? 0n); break;
        case 'float4': arrays[f.name] = Float32Array.from(col as number[], (v) => v ?? NaN); break;
        case 'float8': arrays[f.name] = Float64Array.from(col as number[], (v) => v ?? NaN); break;
        default: arrays[f.name] = col.map((v) => (v === null ? null : f.type.id === 'bool' ? v : String(toJs(v, f.type) instanceof Date ? (toJs(v, f.type) as Date).toISOString() : toJs(v, f.type))));
      }
    });
    return tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]);
  }

  /** Parses and describes a statement once; run it many times with different parameters. */
  async prepare<R = Record<string, unknown>>(text: string, paramTypes: SqlType[] = []): Promise<PreparedStatement<R>> {
    const d = await this.main.describe(text, paramTypes);
    const main = this.main;
    return {
      text, paramTypes: d.paramTypes, fields: d.fields ? fieldDefs(d.fields) : null,
      async query(params: unknown[] = []) {
        const [r] = await main.execute(text, params, { paramTypes: d.paramTypes });
        return toResult<R>(r!);
      },
    };
  }

  /** COPY from bytes, a stream of chunks, or a local path (file, directory, prefix, glob, manifest) into a table,
   *  with COPY's options as an object or as Redshift text (`{ sql: "CSV IGNOREHEADER 1" }`) and `onProgress`. */
  copyFrom(table: string, input: Uint8Array | AsyncIterable<Uint8Array> | string, options: CopyFromOptions = {}): Promise<LoadResult> {
    return copyFrom(this.main, table, input, options);
  }

  /** A new session with its own settings and transaction (the wire server makes one per connection). */
  session(who: string | { user: string; database?: string; processId?: number } = 'dev'): Session {
    if (typeof who === 'string') return new Session(this.engine, who);
    return new Session(this.engine, who.user, who.database ?? 'dev', who.processId);
  }

  /** Login users and their passwords (CREATE USER ... PASSWORD), for the server's authentication. */
  get users(): { lookup(user: string): { password?: string } | undefined } {
    // The committed catalog of the moment: every commit with DDL publishes a new one.
    return { lookup: (user) => { const u = this.engine.committedCatalog.users.get(user); return u ? (u.password !== undefined ? { password: u.password } : {}) : undefined; } };
  }

  /** The engine behind this database (for the server). */
  get internals(): Engine { return this.engine; }

  /** Stops the slice workers and releases memory. */
  async close(): Promise<void> { await this.engine.close(); }
}

/** Opens an embedded wasmshift database. */
export function open(options: OpenOptions = {}): Promise<Database> { return Database.open(options); }
