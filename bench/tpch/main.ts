// `npm run bench:tpch -- --sf 1 [--reps 5] [--json] [--queries 1,3,6] [--slices n]`: TPC-H on wasmshift (Redshift
// DDL + COPY through the library) next to DuckDB native and DuckDB-WASM in the same process and the same run.
// Every query's answer is checked against DuckDB native before any time is taken; then each engine runs it once
// to warm up and --reps times in a row (--order blocks, the default) or in rounds taking turns with the others
// (--order rounds), and the medians, ratios, sums, geometric means, load
// times and the process's peak memory are printed as an aligned table (or JSON with --json).

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareResults, hasTopLevelOrderBy } from '../../test/differential/compare.js';
import { cpuSnapshot, foreignCores } from './foreign-load.js';
import { DuckdbNativeEngine, DuckdbWasmEngine, WasmshiftEngine, type BenchEngine } from './engines.js';
import { generateTpch, TPCH_TABLES } from './generate.js';
import { tpchQueries } from './queries.js';
import { ENGINE_KEYS, fmtMs, fmtRatio, median, queryTable, summarize, type EngineKey, type EngineRun, type QueryReport } from './report.js';

const USAGE = `usage: npm run bench:tpch -- [--sf 1] [--reps 5] [--queries 1,3,6] [--slices n] [--json] [--out file.json]
       [--engines wasmshift,duckdb,duckdb-wasm] [--data dir] [--timeout seconds]
  --sf        scale factor (default 1); data is generated once into a cache folder under the OS temp dir
  --reps      timed runs per query and engine after one warm-up (default 5); the median is reported
  --queries   which of the 22 queries (default all)
  --slices    wasmshift slices (default: one per core); DuckDB native always gets one thread per core
  --json      print the results as JSON on stdout (progress goes to stderr)
  --out       also write the JSON to this file
  --engines   which engines to run (wasmshift and duckdb are required: duckdb is the oracle)
  --data      use the .tbl files in this folder instead of the cache
  --timeout   per-statement limit for wasmshift, seconds (default 60): a slower query is reported as TIMEOUT
  --order     blocks (default): each engine runs its warm-up and reps in a row, so work an engine leaves running
              after a query returns (wasmshift's background JIT compilation and GC) is charged to its own next run; rounds: the
              engines take turns in each rep, so drift hits all alike, but that leftover work lands on the next
              engine's run instead
  --split-mib wasmshift COPYs a .tbl file larger than this from parts of this size (one COPY over the key
              prefix, as Redshift users load big tables); 0 loads every file whole (default 256)
  --background-nice  nice value wasmshift gives V8's background compiler and GC threads, as its server does
              (default 10; 0 leaves them at the query threads' priority; Linux only)`;

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' }, reps: { type: 'string', default: '5' }, queries: { type: 'string' },
    slices: { type: 'string' }, json: { type: 'boolean', default: false }, out: { type: 'string' },
    engines: { type: 'string' }, data: { type: 'string' }, timeout: { type: 'string', default: '60' },
    'split-mib': { type: 'string', default: '256' }, 'background-nice': { type: 'string', default: '10' }, order: { type: 'string', default: 'blocks' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) { console.log(USAGE); process.exit(0); }

function fail(msg: string): never { console.error(`bench:tpch: ${msg}\n${USAGE}`); process.exit(2); }

const SF = Number(values.sf);
if (!(SF > 0)) fail(`--sf must be a positive number, not ${values.sf}`);
const REPS = Number(values.reps);
if (!Number.isInteger(REPS) || REPS < 1) fail(`--reps must be a positive integer, not ${values.reps}`);
const CORES = availableParallelism();
const SLICES = values.slices ? Number(values.slices) : CORES;
if (!Number.isInteger(SLICES) || SLICES < 1) fail(`--slices must be a positive integer, not ${values.slices}`);
const TIMEOUT_MS = Number(values.timeout) * 1000;
if (!(TIMEOUT_MS > 0)) fail(`--timeout must be a positive number of seconds, not ${values.timeout}`);
const SPLIT_BYTES = Number(values['split-mib']) * 2 ** 20;
if (!(SPLIT_BYTES >= 0)) fail(`--split-mib must be a number, not ${values['split-mib']}`);
const BACKGROUND_NICE = Number(values['background-nice']);
if (!Number.isInteger(BACKGROUND_NICE) || BACKGROUND_NICE < 0 || BACKGROUND_NICE > 19) fail(`--background-nice must be an integer from 0 to 19, not ${values['background-nice']}`);
const ORDER = values.order;
if (ORDER !== 'rounds' && ORDER !== 'blocks') fail(`--order must be rounds or blocks, not ${ORDER}`);
const QUERY_IDS = values.queries ? values.queries.split(',').map((s) => Number(s.trim())) : tpchQueries(SF).map((q) => q.id);
for (const id of QUERY_IDS) if (!Number.isInteger(id) || id < 1 || id > 22) fail(`TPC-H has queries 1..22, not ${id}`);
const WANTED = (values.engines ? values.engines.split(',').map((s) => s.trim()) : [...ENGINE_KEYS]) as EngineKey[];
for (const e of WANTED) if (!ENGINE_KEYS.includes(e)) fail(`unknown engine ${e} (one of ${ENGINE_KEYS.join(', ')})`);
if (!WANTED.includes('wasmshift') || !WANTED.includes('duckdb')) fail('--engines must include wasmshift and duckdb');

/** A check run slower than this means the engine is warm and its reps are capped so that they fit BUDGET_MS. */
const SLOW_MS = 2_000;
const BUDGET_MS = 20_000;

const JSON_OUT = values.json;
/** Progress and the human-readable report; with --json the report goes to stderr so stdout is pure JSON. */
const say = (s: string) => (JSON_OUT ? process.stderr : process.stdout).write(`${s}\n`);
const progress = (s: string) => process.stderr.write(`${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch { return '?'; }
}

/** The .tbl files for SF, generated once into <tmpdir>/wasmshift-tpch-bench/sf<SF> (a .complete marker says they are whole). */
function dataDir(): { dir: string; generatedMs?: number } {
  if (values.data) {
    const dir = resolve(values.data);
    for (const t of TPCH_TABLES) if (!existsSync(join(dir, `${t}.tbl`))) fail(`${join(dir, `${t}.tbl`)} does not exist`);
    return { dir };
  }
  const dir = join(tmpdir(), 'wasmshift-tpch-bench', `sf${SF}`);
  if (existsSync(join(dir, '.complete'))) return { dir };
  progress(`generating TPC-H SF ${SF} into ${dir} ...`);
  const partial = `${dir}.partial-${process.pid}`;
  const t0 = performance.now();
  generateTpch({ sf: SF, outDir: partial });
  writeFileSync(join(partial, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(partial, dir);
  return { dir, generatedMs: performance.now() - t0 };
}

async function time<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

function errorRun(e: unknown): EngineRun {
  const err = e as { code?: string; message?: string };
  const detail = `${err.code ? `${err.code} ` : ''}${String(err.message ?? e).split('\n')[0]}`;
  return { status: err.code === '57014' ? 'timeout' : err.code === 'HANG' ? 'hang' : 'error', detail };
}

async function main(): Promise<void> {
  const started = new Date();
  const load0 = loadavg();
  const { dir, generatedMs } = dataDir();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown', cores: CORES, memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`, node: process.version,
  };
  progress(`TPC-H SF ${SF}, ${QUERY_IDS.length} queries, ${REPS} reps; ${machine.cpu}, ${CORES} cores; data ${dir}`);

  // Load: wasmshift first, so the peak RSS after its load is its own footprint (plus Node's).
  const engines = new Map<EngineKey, BenchEngine>();
  const loads: Partial<Record<EngineKey, { description: string; loadMs: number; peakRssMiB: number }>> = {};
  const unavailable: Partial<Record<EngineKey, string>> = {};
  const ours = await WasmshiftEngine.create({ slices: SLICES, timeoutMs: Math.max(TIMEOUT_MS, 600_000), version: version(), splitBytes: SPLIT_BYTES, backgroundNice: BACKGROUND_NICE });
  ours.onProgress = progress;
  const native = await DuckdbNativeEngine.create(CORES);
  for (const [key, make] of [['wasmshift', async () => ours], ['duckdb', async () => native], ['duckdb-wasm', () => DuckdbWasmEngine.create()]] as const) {
    if (!WANTED.includes(key)) continue;
    let e: BenchEngine;
    try {
      e = await make();
    } catch (err) {
      unavailable[key] = (err as Error).message;
      progress(`${key}: unavailable: ${unavailable[key]}`);
      continue;
    }
    progress(`loading ${e.description} ...`);
    const { ms } = await time(() => e.load(dir));
    engines.set(key, e);
    loads[key] = { description: e.description, loadMs: ms, peakRssMiB: peakRssMiB() };
    progress(`  loaded in ${(ms / 1000).toFixed(2)} s, process peak RSS ${peakRssMiB()} MiB`);
  }
  const keys = ENGINE_KEYS.filter((k) => engines.has(k));
  const wasm = engines.get('duckdb-wasm') as DuckdbWasmEngine | undefined;

  // Row counts of the 8 tables must agree before any query is compared.
  for (const t of TPCH_TABLES) {
    const want = (await native.check(`select count(*) from ${t}`)).canon;
    const got = await ours.check(`select count(*) from ${t}`);
    const d = compareResults(got, want);
    if (d) throw new Error(`wasmshift loaded a different number of rows into ${t}: ${d}`);
  }

  const reports: QueryReport[] = [];
  const cpuQueries = cpuSnapshot();
  const problems: string[] = [];
  for (const q of tpchQueries(SF).filter((x) => QUERY_IDS.includes(x.id))) {
    const runs: Partial<Record<EngineKey, EngineRun>> = {};
    // 1. the check (untimed): DuckDB native's answer is the reference for wasmshift's and DuckDB-WASM's
    const ref = await time(() => native.check(q.duckdb));
    runs.duckdb = { status: 'ok', firstMs: ref.ms };
    try {
      const got = await time(() => ours.check(q.redshift, TIMEOUT_MS));
      const diff = compareResults(got.value, ref.value.canon, { ordered: hasTopLevelOrderBy(q.redshift) });
      runs.wasmshift = diff ? { status: 'wrong', firstMs: got.ms, detail: diff } : { status: 'ok', firstMs: got.ms };
    } catch (e) {
      runs.wasmshift = errorRun(e);
    }
    if (wasm) {
      try {
        const want = await native.textRows(q.duckdb, ref.value.types);
        const got = await time(() => wasm.textRows(q.duckdb, ref.value.types));
        const diff = compareResults(got.value, want);
        runs['duckdb-wasm'] = diff ? { status: 'wrong', firstMs: got.ms, detail: diff } : { status: 'ok', firstMs: got.ms };
      } catch (e) {
        runs['duckdb-wasm'] = errorRun(e);
      }
    }
    // 2. timing: one warm-up, then REPS runs, per engine in a row (blocks) or taking turns (rounds; see --order).
    // An engine whose check run took over SLOW_MS is warm already and gets only the reps that fit BUDGET_MS.
    const timed = keys.filter((k) => runs[k]?.status === 'ok');
    const plan = new Map<EngineKey, { warm: boolean; reps: number }>();
    for (const k of timed) {
      const first = runs[k]!.firstMs!;
      // past the whole budget the check run itself is the one sample
      plan.set(k, first > BUDGET_MS ? { warm: false, reps: 0 }
        : first > SLOW_MS ? { warm: false, reps: Math.min(REPS, Math.max(1, Math.floor(BUDGET_MS / first))) } : { warm: true, reps: REPS });
      runs[k]!.runsMs = first > BUDGET_MS ? [first] : [];
      runs[k]!.reps = REPS;
    }
    gc?.();
    const cpu0 = cpuSnapshot();
    const runOnce = async (k: EngineKey, rep: number): Promise<void> => {
      const p = plan.get(k)!;
      if ((rep < 0 && !p.warm) || rep >= p.reps) return;
      const e = engines.get(k)!;
      const { ms } = await time(() => (k === 'wasmshift' ? ours.run(q.redshift, TIMEOUT_MS) : e.run(q.duckdb)));
      if (rep >= 0) runs[k]!.runsMs!.push(ms);
    };
    if (ORDER === 'rounds') {
      for (let rep = -1; rep < REPS; rep++) for (const k of timed) await runOnce(k, rep);
    } else {
      for (const k of timed) for (let rep = -1; rep < REPS; rep++) await runOnce(k, rep);
    }
    for (const k of timed) runs[k]!.medianMs = median(runs[k]!.runsMs!);
    const othersCores = foreignCores(cpu0, cpuSnapshot());
    const report: QueryReport = { id: q.id, rows: ref.value.canon.rows.length, engines: runs, ...(othersCores !== undefined ? { othersCores } : {}) };
    reports.push(report);
    for (const k of keys) if (runs[k]?.status !== 'ok') problems.push(`Q${q.id} ${k}: ${runs[k]?.status.toUpperCase()} ${runs[k]?.detail ?? ''}`);
    progress(`Q${String(q.id).padStart(2, '0')} ${keys.map((k) => `${k} ${runs[k]?.status === 'ok' ? `${fmtMs(runs[k]!.medianMs)} ms` : runs[k]?.status.toUpperCase()}`).join(', ')}; peak RSS ${peakRssMiB()} MiB`);
  }

  const summary = summarize(reports, keys);
  const othersDuringQueries = foreignCores(cpuQueries, cpuSnapshot());
  const finished = new Date();
  const result = {
    benchmark: 'tpch', date: started.toISOString(), durationS: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    machine: { ...machine, loadavgStart: load0.map((x) => Math.round(x * 100) / 100), loadavgEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
    config: { sf: SF, reps: REPS, slices: SLICES, duckdbThreads: CORES, queries: QUERY_IDS, dataDir: dir, timeoutS: TIMEOUT_MS / 1000, splitMiB: SPLIT_BYTES / 2 ** 20, order: ORDER, backgroundNice: BACKGROUND_NICE },
    wasmshiftSplitFiles: ours.split,
    generatedMs: generatedMs !== undefined ? Math.round(generatedMs) : undefined,
    engines: loads, unavailable, queries: reports, summary, peakRssMiB: peakRssMiB(),
    othersCoresDuringQueries: othersDuringQueries,
  };

  const sm = summary;
  const lines: string[] = [];
  lines.push(`TPC-H SF ${SF} - ${result.date} - ${machine.cpu}, ${CORES} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`);
  lines.push(`load average at start ${result.machine.loadavgStart.join(' ')}, at end ${result.machine.loadavgEnd.join(' ')}`);
  for (const k of ENGINE_KEYS) {
    if (loads[k]) lines.push(`${k.padEnd(12)} ${loads[k]!.description}; load ${(loads[k]!.loadMs / 1000).toFixed(2)} s`);
    if (k === 'wasmshift' && Object.keys(ours.split).length) {
      lines.push(`             COPY from split parts of at most ${SPLIT_BYTES / 2 ** 20} MiB: ${Object.entries(ours.split).map(([t, n]) => `${t} (${n} files)`).join(', ')}`);
    }
    else if (unavailable[k]) lines.push(`${k.padEnd(12)} not run: ${unavailable[k]}`);
  }
  lines.push(`medians of ${REPS} runs after 1 warm-up, ${ORDER === 'blocks' ? 'each engine\'s in a row' : 'the engines taking turns'}, ms (* fewer runs: the check took over ${SLOW_MS / 1000} s, so only the runs that fit ${BUDGET_MS / 1000} s,`);
  lines.push(`or over ${BUDGET_MS / 1000} s: the check run is the one sample);`);
  lines.push('ratios are wasmshift time / peer time (below 1: wasmshift is faster); others: cores other processes kept busy meanwhile');
  lines.push('');
  lines.push(queryTable(reports, keys, sm));
  lines.push('');
  if (sm.geomeanMs.wasmshift !== undefined) {
    const g = sm.geomeanMs;
    lines.push(`targets (issue 5), over ${sm.common.length} queries:`);
    lines.push(`  geomean at or below DuckDB native: ${fmtMs(g.wasmshift)} vs ${fmtMs(g.duckdb)} ms -> ${g.wasmshift! <= g.duckdb! ? 'met' : 'not met'} (${fmtRatio(g.wasmshift! / g.duckdb!)})`);
    if (sm.worstVsDuckdb) {
      lines.push(`  no query over 2x DuckDB native: worst Q${sm.worstVsDuckdb.id} at ${fmtRatio(sm.worstVsDuckdb.ratio)} -> ${sm.worstVsDuckdb.ratio <= 2 ? 'met' : 'not met'}`);
    }
    if (g['duckdb-wasm'] !== undefined) {
      const x = g['duckdb-wasm']! / g.wasmshift!;
      lines.push(`  3x faster than DuckDB-WASM: geomean DuckDB-WASM / wasmshift = ${fmtRatio(x)} -> ${x >= 3 ? 'met' : 'not met'}`);
    }
  }
  if (problems.length) {
    lines.push(`not timed (${problems.length}):`);
    for (const p of problems) lines.push(`  ${p.split('\n').slice(0, 4).join('\n    ')}`);
  }
  const loadsLine = keys.map((k) => `${k} ${(loads[k]!.loadMs / 1000).toFixed(2)} s`).join(', ');
  lines.push(`load time: ${loadsLine}${generatedMs !== undefined ? `; data generated in ${(generatedMs / 1000).toFixed(1)} s` : ''}`);
  lines.push(`process peak RSS (maxRSS, all engines in one process): after the wasmshift load ${loads.wasmshift!.peakRssMiB} MiB, `
    + `after all loads ${Math.max(...keys.map((k) => loads[k]!.peakRssMiB))} MiB, at the end ${result.peakRssMiB} MiB`);
  if (othersDuringQueries !== undefined) {
    lines.push(`other processes kept ${othersDuringQueries.toFixed(2)} of ${CORES} cores busy on average while queries ran`
      + (othersDuringQueries > 0.1 ? ': the machine was shared, so absolute times are inflated; compare ratios (all engines ran under it)' : ''));
  }
  lines.push(`run took ${result.durationS} s`);
  say(lines.join('\n'));

  const json = JSON.stringify(result, null, 2);
  if (JSON_OUT) process.stdout.write(`${json}\n`);
  if (values.out) writeFileSync(values.out, `${json}\n`);
  for (const e of engines.values()) await e.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
