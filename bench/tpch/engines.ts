// The three engines `npm run bench:tpch` compares, behind one interface: wasmshift (the library, Redshift DDL
// and COPY), DuckDB native (@duckdb/node-api) and DuckDB-WASM (the Node blocking build, when installed).

import { availableParallelism } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { open, type Database } from '../../host/index.js';
import type { SessionApi } from '../../host/session/api.js';
import { fromDuckdb, fromWasmshift, type CanonResult, type Cell } from '../../test/differential/compare.js';
import { duckdbCopy, duckdbDdl, redshiftCopy, redshiftDdl } from './schema.js';
import { TPCH_TABLES } from './generate.js';
import { splitTbl } from './split.js';

/** One engine under benchmark. `run` is what gets timed: execute and materialize the rows as JS values. */
export interface BenchEngine {
  readonly key: 'wasmshift' | 'duckdb' | 'duckdb-wasm';
  /** Which text of a TPC-H query pair it runs. */
  readonly dialect: 'redshift' | 'duckdb';
  /** e.g. "wasmshift 0.1.0, 2 slices" or "DuckDB v1.5.5, 2 threads". */
  readonly description: string;
  /** Creates the 8 tables and loads the .tbl files of `dir`; resolves when the data is queryable. */
  load(dir: string): Promise<void>;
  /** Runs one query; resolves to its row count once every row is a JS value. */
  run(sql: string): Promise<number>;
  close(): Promise<void>;
}

export interface WasmshiftOptions {
  slices: number;
  /** Default per-statement limit (the statement is cancelled with 57014 past it). */
  timeoutMs: number;
  version: string;
  /** Files larger than this are split before COPY (0: never). */
  splitBytes: number;
  /** Nice value for the process's background threads, as the server sets it (EngineOptions.backgroundNice). */
  backgroundNice: number;
}

/** How long past its statement limit a wasmshift statement may stay unanswered before it counts as hung. */
const HANG_GRACE_MS = 15_000;

export class WasmshiftEngine implements BenchEngine {
  readonly key = 'wasmshift' as const;
  readonly dialect = 'redshift' as const;
  private constructor(private readonly db: Database, private readonly session: SessionApi, private readonly opts: WasmshiftOptions) {}

  static async create(opts: WasmshiftOptions): Promise<WasmshiftEngine> {
    const db = await open({ slices: opts.slices, backgroundNice: opts.backgroundNice });
    return new WasmshiftEngine(db, db.session(), opts);
  }

  get description(): string { return `wasmshift ${this.opts.version}, ${this.db.slices} slice(s), V8 background threads at nice ${this.opts.backgroundNice}`; }

  /** Called with a line per table loaded. */
  onProgress?: (line: string) => void;

  /** Tables loaded from split parts in the last load (name -> part count). */
  readonly split: Record<string, number> = {};

  /**
   * The load a Redshift user writes: CREATE TABLE ... DISTKEY/SORTKEY/ENCODE, then one COPY per table. A file over
   * `opts.splitBytes` is first split into parts under <dir>/split-<MiB> and loaded by one COPY over its key prefix.
   */
  async load(dir: string): Promise<void> {
    for (const s of redshiftDdl()) await this.exec(s);
    const copies = redshiftCopy(dir);
    const splitDir = join(dir, `split-${this.opts.splitBytes / 2 ** 20}`);
    for (const t of TPCH_TABLES) {
      const file = join(dir, `${t}.tbl`);
      let sql = copies.find((c) => c.startsWith(`COPY ${t} `))!;
      if (this.opts.splitBytes > 0 && statSync(file).size > this.opts.splitBytes) {
        this.split[t] = splitTbl(file, splitDir, this.opts.splitBytes).length;
        sql = redshiftCopy(splitDir).find((c) => c.startsWith(`COPY ${t} `))!;
      }
      try {
        const t0 = performance.now();
        await this.exec(sql);
        this.onProgress?.(`  ${t}: ${((performance.now() - t0) / 1000).toFixed(1)} s, process peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
      } catch (e) {
        (e as Error).message = `${sql}: ${(e as Error).message}`;
        throw e;
      }
    }
  }

  private async exec(sql: string, timeoutMs = this.opts.timeoutMs) {
    // A watchdog past the statement limit: if the engine neither answers nor honours the cancel, the benchmark
    // reports the query as hung (code HANG) and goes on instead of waiting forever.
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer and no cancel ${(timeoutMs + HANG_GRACE_MS) / 1000} s after the start`), { code: 'HANG' })),
        timeoutMs + HANG_GRACE_MS);
    });
    let rs;
    try {
      rs = await Promise.race([this.session.execute(sql, [], { signal: AbortSignal.timeout(timeoutMs) }), watchdog]);
    } finally {
      clearTimeout(timer);
    }
    const r = rs[rs.length - 1];
    if (!r) throw new Error(`no result for: ${sql}`);
    return r;
  }

  async run(sql: string, timeoutMs?: number): Promise<number> { return (await this.exec(sql, timeoutMs)).rows.length; }

  /** Canonical rows of a query, for the check against DuckDB. */
  async check(sql: string, timeoutMs?: number): Promise<CanonResult> { return fromWasmshift(await this.exec(sql, timeoutMs)); }

  async close(): Promise<void> { await this.session.close(); await this.db.close(); }
}

export class DuckdbNativeEngine implements BenchEngine {
  readonly key = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection,
    private readonly threads: number, private readonly version: string) {}

  static async create(threads = availableParallelism()): Promise<DuckdbNativeEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await instance.connect();
    // Redshift orders NULLs as the largest value ("ORDER BY clause"); the oracle must agree
    await conn.run("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
    const v = (await conn.runAndReadAll('select version()')).getRows()[0]![0];
    return new DuckdbNativeEngine(instance, conn, threads, String(v));
  }

  get description(): string { return `DuckDB ${this.version} native (@duckdb/node-api), ${this.threads} thread(s)`; }

  async load(dir: string): Promise<void> {
    for (const s of [...duckdbDdl(), ...duckdbCopy(dir)]) await this.conn.run(s);
  }

  async run(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRows().length;
  }

  /** Canonical rows plus the DuckDB type of each column (the oracle side of every check). */
  async check(sql: string): Promise<{ canon: CanonResult; types: string[] }> {
    const r = await this.conn.runAndReadAll(sql);
    const types = r.columnTypes().map((t) => t.toString());
    return { canon: fromDuckdb({ columns: r.columnNames(), types, rows: r.getRowsJson() as unknown[][], text: [] }), types };
  }

  /** Every value of a query as text (the form the DuckDB-WASM check compares). */
  async textRows(sql: string, types: string[]): Promise<CanonResult> {
    const r = await this.conn.runAndReadAll(asText(sql));
    return { rows: r.getRows().map((row) => row.map((v, k) => textCell(v === null ? null : String(v), types[k]))) };
  }

  async close(): Promise<void> { this.conn.closeSync(); this.instance.closeSync(); }
}

/** A query wrapped so every column comes back as VARCHAR (both DuckDBs print values the same way). */
function asText(sql: string): string { return `select columns(*)::varchar from (${sql})`; }

/** Text of a DuckDB value as a cell: DOUBLE columns as floats (summation order differs with threads), the rest exact text. */
function textCell(v: string | null, type: string | undefined): Cell {
  if (v === null) return null;
  return type === 'DOUBLE' || type === 'FLOAT' ? { t: 'f', v: Number(v) } : { t: 's', v };
}

/** The slice of @duckdb/duckdb-wasm's blocking Node API used here (its own typings pull in apache-arrow 17). */
interface WasmBindings {
  instantiate(progress: (p: unknown) => void): Promise<unknown>;
  open(config: Record<string, unknown>): void;
  connect(): WasmConnection;
  registerFileURL(name: string, url: string, proto: number, directIO: boolean): void;
  getVersion(): string;
  reset(): void;
}
interface WasmConnection {
  query(sql: string): { numRows: number; toArray(): { toArray(): unknown[] }[] };
  close(): void;
}
interface WasmModule {
  createDuckDB(bundles: unknown, logger: unknown, runtime: unknown): Promise<WasmBindings>;
  VoidLogger: new () => unknown;
  NODE_RUNTIME: unknown;
  DuckDBDataProtocol: { NODE_FS: number };
  getPlatformFeatures(): Promise<{ wasmExceptions: boolean }>;
}

export class DuckdbWasmEngine implements BenchEngine {
  readonly key = 'duckdb-wasm' as const;
  readonly dialect = 'duckdb' as const;
  private constructor(private readonly db: WasmBindings, private readonly conn: WasmConnection, private readonly version: string,
    private readonly bundle: string, private readonly mod: WasmModule) {}

  /** Loads the package's Node blocking build; throws with the reason when it is missing or does not start. */
  static async create(): Promise<DuckdbWasmEngine> {
    const require = createRequire(import.meta.url);
    let mod: WasmModule;
    let pkg: { version: string };
    try {
      mod = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as WasmModule;
      // package.json is not in the package's exports: read it beside dist/
      const main = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
      pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
    } catch (e) {
      throw new Error(`@duckdb/duckdb-wasm is not installed (${(e as Error).message.split('\n')[0]})`);
    }
    const file = (f: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${f}`);
    // the Node bundles are MVP and EH (WebAssembly exceptions); neither has threads or SIMD
    const bundles = {
      mvp: { mainModule: file('duckdb-mvp.wasm'), mainWorker: file('duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: file('duckdb-eh.wasm'), mainWorker: file('duckdb-node-eh.worker.cjs') },
    };
    const db = await mod.createDuckDB(bundles, new mod.VoidLogger(), mod.NODE_RUNTIME);
    await db.instantiate(() => {});
    db.open({});
    const conn = db.connect();
    conn.query("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
    const bundle = (await mod.getPlatformFeatures()).wasmExceptions ? 'eh' : 'mvp';
    return new DuckdbWasmEngine(db, conn, `${db.getVersion()} (@duckdb/duckdb-wasm ${pkg.version})`, bundle, mod);
  }

  get description(): string { return `DuckDB-WASM ${this.version}, Node blocking API, ${this.bundle} bundle, 1 thread, no SIMD`; }

  async load(dir: string): Promise<void> {
    for (const t of TPCH_TABLES) {
      this.db.registerFileURL(`${t}.tbl`, `${dir}/${t}.tbl`, this.mod.DuckDBDataProtocol.NODE_FS, true);
    }
    // duckdbCopy('') names each file by its registered name, '<table>.tbl'
    for (const s of [...duckdbDdl(), ...duckdbCopy('')]) this.conn.query(s);
  }

  async run(sql: string): Promise<number> {
    const t = this.conn.query(sql);
    // the rows as JS values, like the other two engines return them
    let n = 0;
    for (const row of t.toArray()) { row.toArray(); n++; }
    return n;
  }

  /** Every value as text, compared with DuckDB native's text of the same query. */
  async textRows(sql: string, types: string[]): Promise<CanonResult> {
    const t = this.conn.query(asText(sql));
    return { rows: t.toArray().map((row) => row.toArray().map((v, k) => textCell(v === null ? null : String(v), types[k]))) };
  }

  async close(): Promise<void> { this.conn.close(); this.db.reset(); }
}
