// Figures and layout for `npm run bench:tpch`: medians, sums and geometric means over the queries every engine
// answered, and the aligned text table printed at the end of a run (the JSON form is the same data).

export type EngineKey = 'wasmshift' | 'duckdb' | 'duckdb-wasm';
export const ENGINE_KEYS: readonly EngineKey[] = ['wasmshift', 'duckdb', 'duckdb-wasm'];

/** What happened to one engine on one query. */
export interface EngineRun {
  /** ok: checked and timed; wrong: answered differently from DuckDB native; error: failed; timeout: cancelled;
   * hang: neither answered nor cancelled well past the limit; skipped: not run. */
  status: 'ok' | 'wrong' | 'error' | 'timeout' | 'hang' | 'skipped';
  /** Median of the timed runs, ms (status ok only). */
  medianMs?: number;
  /** Timed runs asked for (--reps); runsMs may hold fewer when the query is slow. */
  reps?: number;
  /** Every timed run, ms. */
  runsMs?: number[];
  /** The check run (untimed for the table, but its duration is kept: it includes first-run costs). */
  firstMs?: number;
  /** Why it is not ok. */
  detail?: string;
}

export interface QueryReport {
  id: number;
  /** Rows DuckDB native returned. */
  rows: number;
  engines: Partial<Record<EngineKey, EngineRun>>;
  /** Cores other processes kept busy on average while this query was timed (Linux only). */
  othersCores?: number;
}

export interface Summary {
  /** Query ids every engine that ran answered correctly: the set the sums and geometric means cover. */
  common: number[];
  sumMs: Partial<Record<EngineKey, number>>;
  geomeanMs: Partial<Record<EngineKey, number>>;
  /** Largest wasmshift ÷ DuckDB native time over the common set, and the query it belongs to. */
  worstVsDuckdb?: { id: number; ratio: number };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/** Sums and geometric means over the queries that all engines present answered correctly. */
export function summarize(queries: readonly QueryReport[], engines: readonly EngineKey[]): Summary {
  const common = queries.filter((q) => engines.every((e) => q.engines[e]?.status === 'ok')).map((q) => q.id);
  const pick = (e: EngineKey) => queries.filter((q) => common.includes(q.id)).map((q) => q.engines[e]!.medianMs!);
  const s: Summary = { common, sumMs: {}, geomeanMs: {} };
  if (common.length === 0) return s;
  for (const e of engines) {
    const xs = pick(e);
    s.sumMs[e] = xs.reduce((a, x) => a + x, 0);
    s.geomeanMs[e] = geomean(xs);
  }
  if (engines.includes('wasmshift') && engines.includes('duckdb')) {
    for (const q of queries) {
      if (!common.includes(q.id)) continue;
      const ratio = q.engines.wasmshift!.medianMs! / q.engines.duckdb!.medianMs!;
      if (!s.worstVsDuckdb || ratio > s.worstVsDuckdb.ratio) s.worstVsDuckdb = { id: q.id, ratio };
    }
  }
  return s;
}

/** Milliseconds as printed: 3 significant digits, at least one decimal below 100. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function fmtRatio(r: number | undefined): string {
  return r === undefined || !Number.isFinite(r) ? '' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

/** A cell for one engine: its median, or its status in capitals. */
function cell(r: EngineRun | undefined): string {
  if (!r || r.status === 'skipped') return '-';
  if (r.status !== 'ok') return r.status.toUpperCase();
  return `${fmtMs(r.medianMs)}${r.reps !== undefined && r.runsMs && r.runsMs.length < r.reps ? '*' : ''}`;
}

function ratio(a: EngineRun | undefined, b: EngineRun | undefined): number | undefined {
  return a?.status === 'ok' && b?.status === 'ok' ? a.medianMs! / b.medianMs! : undefined;
}

/** Right-aligns every column but the first. */
export function alignTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return rows.map((r) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd()).join('\n');
}

/**
 * The per-query table: medians in ms, then wasmshift ÷ DuckDB native and wasmshift ÷ DuckDB-WASM (below 1 means
 * wasmshift is faster), the cores other processes used meanwhile, then the sum and geometric mean rows over the
 * common queries.
 */
export function queryTable(queries: readonly QueryReport[], engines: readonly EngineKey[], s: Summary): string {
  const has = (e: EngineKey) => engines.includes(e);
  const head = ['query', 'rows', 'wasmshift ms'];
  if (has('duckdb')) head.push('duckdb ms');
  if (has('duckdb-wasm')) head.push('duckdb-wasm ms');
  if (has('duckdb')) head.push('ours/duckdb');
  if (has('duckdb-wasm')) head.push('ours/wasm');
  head.push('others');
  const rows = [head];
  for (const q of queries) {
    const r = [`Q${String(q.id).padStart(2, '0')}`, String(q.rows), cell(q.engines.wasmshift)];
    if (has('duckdb')) r.push(cell(q.engines.duckdb));
    if (has('duckdb-wasm')) r.push(cell(q.engines['duckdb-wasm']));
    if (has('duckdb')) r.push(fmtRatio(ratio(q.engines.wasmshift, q.engines.duckdb)));
    if (has('duckdb-wasm')) r.push(fmtRatio(ratio(q.engines.wasmshift, q.engines['duckdb-wasm'])));
    r.push(q.othersCores === undefined ? '' : q.othersCores.toFixed(2));
    rows.push(r);
  }
  const agg = (label: string, m: Partial<Record<EngineKey, number>>) => {
    const r = [label, '', fmtMs(m.wasmshift)];
    if (has('duckdb')) r.push(fmtMs(m.duckdb));
    if (has('duckdb-wasm')) r.push(fmtMs(m['duckdb-wasm']));
    if (has('duckdb')) r.push(fmtRatio(m.wasmshift !== undefined && m.duckdb ? m.wasmshift / m.duckdb : undefined));
    if (has('duckdb-wasm')) r.push(fmtRatio(m.wasmshift !== undefined && m['duckdb-wasm'] ? m.wasmshift / m['duckdb-wasm'] : undefined));
    r.push('');
    rows.push(r);
  };
  const n = `${s.common.length}/${queries.length}`;
  agg(`sum (${n})`, s.sumMs);
  agg(`geomean (${n})`, s.geomeanMs);
  return alignTable(rows);
}
