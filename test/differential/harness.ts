// The differential harness: the same data loaded into a candidate engine (wasmshift with N slices)
// and the oracle (DuckDB); each query's results compared with compare.ts, all failures collected.

import assert from 'node:assert/strict';
import type { SessionApi } from '../../host/session/api.js';
import { compareResults, fromDuckdb, fromWasmshift, hasTopLevelOrderBy, type CanonResult } from './compare.js';
import { Oracle } from './duckdb.js';
import { openWasmshift } from './wasmshift.js';

/** An engine the harness can load and query. */
export interface DiffEngine {
  readonly name: string;
  /** Which SQL text of a query pair this engine runs. */
  readonly dialect: 'redshift' | 'duckdb';
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<CanonResult>;
  close(): Promise<void>;
}

/** Per-statement time limit given to the engine as an AbortSignal (DIFF_QUERY_TIMEOUT_MS, default 120 s). */
const QUERY_TIMEOUT_MS = Number(process.env.DIFF_QUERY_TIMEOUT_MS ?? 120_000);

/** wasmshift with `slices` slices, through Session.execute (internal values, exact numerics). */
export async function wasmshiftDiffEngine(slices: number, workers?: boolean): Promise<DiffEngine & { explain(sql: string): Promise<string> }> {
  const db = await openWasmshift(slices, workers);
  const session: SessionApi = db.session();
  const last = async (sql: string) => {
    // a statement that runs too long is cancelled (57014) and reported as that query's failure
    const rs = await session.execute(sql, [], { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    const r = rs[rs.length - 1];
    if (!r) throw new Error(`no result for: ${sql}`);
    return r;
  };
  return {
    name: `wasmshift/${slices} slice(s)${workers === false ? ', no workers' : ''}`,
    dialect: 'redshift',
    async exec(sql) { await session.execute(sql, [], { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) }); },
    async query(sql) { return fromWasmshift(await last(sql)); },
    /** The plan's text, one line per row of EXPLAIN. */
    async explain(sql) { return (await last(`explain ${sql}`)).rows.map((r) => String(r[0])).join('\n'); },
    async close() { await session.close(); await db.close(); },
  };
}

/**
 * Opens wasmshift at `slices` slices (fragments on the slice workers unless `workers` is false), runs
 * `setup`, then `use`; closes the engine also when either throws.
 */
export async function withLoadedWasmshift<T>(
  { slices, workers }: { slices: number; workers?: boolean },
  setup: readonly string[],
  use: (engine: Awaited<ReturnType<typeof wasmshiftDiffEngine>>) => Promise<T>,
): Promise<T> {
  const engine = await wasmshiftDiffEngine(slices, workers);
  try {
    for (const sql of setup) await engine.exec(sql);
    return await use(engine);
  } finally {
    await engine.close();
  }
}

/** DuckDB in memory with `threads` threads. */
export async function duckdbDiffEngine(threads?: number): Promise<DiffEngine> {
  const o = await Oracle.create(threads);
  return {
    name: `duckdb${threads ? `/${threads} thread(s)` : ''}`,
    dialect: 'duckdb',
    async exec(sql) { await o.run(sql); },
    async query(sql) { return fromDuckdb(await o.query(sql)); },
    async close() { o.close(); },
  };
}

export interface QueryPair {
  name: string;
  /** Redshift SQL (wasmshift's side). */
  sql: string;
  /** DuckDB SQL, when it differs. */
  duckdb?: string;
  /** Compare in order (default: when the Redshift text ends in a top-level ORDER BY). */
  ordered?: boolean;
}

/** A query pair, with DuckDB's spelling only when it differs from the Redshift text. */
export const pair = (name: string, sql: string, duckdb?: string): QueryPair => (duckdb ? { name, sql, duckdb } : { name, sql });

/** Redshift's AVG of integers is an integer truncated toward zero ("AVG function"); DuckDB's is a double, so its side sums and divides with `//`. */
export const intAvg = (x: string): string => `(sum(${x}) // count(${x}))`;

export interface DiffFailure { name: string; sql: string; message: string }

/** Runs every query on both engines; returns the failures (a query error on either side is one). */
export async function runPairs(candidate: DiffEngine, oracle: DiffEngine, queries: readonly QueryPair[]): Promise<DiffFailure[]> {
  const failures: DiffFailure[] = [];
  const textFor = (e: DiffEngine, q: QueryPair): string => (e.dialect === 'duckdb' ? q.duckdb ?? q.sql : q.sql);
  for (const q of queries) {
    let want: CanonResult;
    let got: CanonResult;
    try {
      want = await oracle.query(textFor(oracle, q));
    } catch (e) {
      failures.push({ name: q.name, sql: textFor(oracle, q), message: `${oracle.name} failed: ${(e as Error).message}` });
      continue;
    }
    try {
      got = await candidate.query(textFor(candidate, q));
    } catch (e) {
      const code = (e as { code?: string }).code;
      failures.push({ name: q.name, sql: textFor(candidate, q), message: `${candidate.name} failed: ${code ?? ''} ${(e as Error).message}` });
      continue;
    }
    const diff = compareResults(got, want, { ordered: q.ordered ?? hasTopLevelOrderBy(q.sql) });
    if (diff) failures.push({ name: q.name, sql: textFor(candidate, q), message: `${candidate.name} vs ${oracle.name}: ${diff}` });
  }
  return failures;
}

/**
 * Asserts that every query answers on `candidate` as on `oracle`; the message lists each that
 * differs (`noun` names the queries in it: joins, aggregations).
 */
export async function assertSameAnswers(candidate: DiffEngine, oracle: DiffEngine, queries: readonly QueryPair[], noun = 'queries'): Promise<void> {
  const failures = await runPairs(candidate, oracle, queries);
  assert.equal(failures.length, 0, `${failures.length} of ${queries.length} ${noun} differ:\n\n${formatDiffFailures(failures)}`);
}

/** The SQLSTATE a statement fails with on `engine` (null when it succeeds). */
export async function errorCode(engine: DiffEngine, sql: string): Promise<string | null> {
  try { await engine.query(sql); return null; } catch (e) { return (e as { code?: string }).code ?? 'no code'; }
}

/** Failures as one readable report. */
export function formatDiffFailures(failures: DiffFailure[]): string {
  return failures.map((f) => `[${f.name}]\n${f.sql}\n${f.message}`).join('\n\n');
}

/**
 * Runs `setup` on wasmshift at `slices` slices and on DuckDB (the same statements, or each engine's
 * own), then every query on both, and returns the failures (empty when every answer matched);
 * closes both engines.
 */
export async function diffAgainstDuckdb(setup: readonly string[] | { wasmshift: readonly string[]; duckdb: readonly string[] }, queries: readonly QueryPair[], slices: number): Promise<DiffFailure[]> {
  const own = 'wasmshift' in setup ? setup : { wasmshift: setup, duckdb: setup };
  const engines: DiffEngine[] = [];
  try {
    const candidate = await wasmshiftDiffEngine(slices);
    engines.push(candidate);
    const oracle = await duckdbDiffEngine(1);
    engines.push(oracle);
    for (const sql of own.wasmshift) await candidate.exec(sql);
    for (const sql of own.duckdb) await oracle.exec(sql);
    return await runPairs(candidate, oracle, queries);
  } finally {
    for (const e of engines) await e.close();
  }
}
