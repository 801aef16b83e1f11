// `npm run bench:load -- [--sf 1] [--runs 1] [--json] [--slices n]`: COPY of TPC-H lineitem (.tbl text) into
// wasmshift through the library, in memory and into a data directory (durable commit included), beside
// DuckDB native's `COPY lineitem FROM ... (DELIMITER '|')` with one thread per core, in the same run. Each
// engine and run is a child process of its own, so its peak RSS is its own and wasmshift runs on Node's
// default heap. Prints seconds, rows/s, MB/s, the ratio to DuckDB, peak RSS and the data directory's size
// beside the .tbl file's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { open } from '../../host/index.js';
import { generateTpch } from '../tpch/generate.js';
import { duckdbDdl, redshiftDdl } from '../tpch/schema.js';

const USAGE = `usage: npm run bench:load -- [--sf 1] [--runs 1] [--slices n] [--json]
  --sf      TPC-H scale factor of lineitem (default 1: about 6M rows, 0.75 GB); generated once into the
            cache folder bench:tpch uses (<tmpdir>/wasmshift-tpch-bench/sf<SF>)
  --runs    runs per engine, interleaved; medians are reported (default 1)
  --slices  wasmshift slices (default: one per core); DuckDB gets one thread per core
  --json    print the results as JSON`;

type EngineKey = 'wasmshift-memory' | 'wasmshift-data-dir' | 'duckdb';
const ENGINES: readonly EngineKey[] = ['wasmshift-memory', 'wasmshift-data-dir', 'duckdb'];

interface ChildResult { engine: EngineKey; rows: number; ms: number; peakRssMb: number; dataDirBytes?: number }

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' }, runs: { type: 'string', default: '1' }, slices: { type: 'string' },
    json: { type: 'boolean', default: false }, child: { type: 'string' }, file: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) { console.log(USAGE); process.exit(0); }
function fail(msg: string): never { console.error(`bench:load: ${msg}\n${USAGE}`); process.exit(2); }

if (values.child) {
  const r = await runChild(values.child as EngineKey, values.file!, values.slices ? Number(values.slices) : undefined);
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

const SF = Number(values.sf);
if (!(SF > 0)) fail(`--sf must be a positive number, not ${values.sf}`);
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) fail(`--runs must be a positive integer, not ${values.runs}`);
if (values.slices !== undefined && !(Number(values.slices) >= 1)) fail(`--slices must be a positive integer, not ${values.slices}`);

const file = lineitemFile(SF);
const tblBytes = statSync(file).size;
const results: Record<EngineKey, ChildResult[]> = { 'wasmshift-memory': [], 'wasmshift-data-dir': [], duckdb: [] };
for (let run = 0; run < RUNS; run++) {
  for (const engine of ENGINES) {
    progress(`run ${run + 1}/${RUNS}: ${engine} ...`);
    const args = [fileURLToPath(import.meta.url), '--child', engine, '--file', file, ...(values.slices ? ['--slices', values.slices] : [])];
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) fail(`${engine} failed (exit ${child.status})`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildResult;
    results[engine].push(r);
    progress(`  ${(r.ms / 1000).toFixed(2)} s, ${r.rows} rows, peak RSS ${r.peakRssMb} MB`);
  }
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const duckMs = median(results.duckdb.map((r) => r.ms));
const summary = ENGINES.map((engine) => {
  const rs = results[engine];
  const ms = median(rs.map((r) => r.ms));
  return {
    engine, rows: rs[0]!.rows, seconds: ms / 1000, rowsPerSec: rs[0]!.rows / (ms / 1000), mbPerSec: tblBytes / 1e6 / (ms / 1000),
    ratioToDuckdb: ms / duckMs, peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)), runsMs: rs.map((r) => Math.round(r.ms)),
    ...(rs[0]!.dataDirBytes !== undefined ? { dataDirBytes: rs[0]!.dataDirBytes } : {}),
  };
});
const report = { sf: SF, file, tblBytes, cores: availableParallelism(), loadavg: loadavg().map((x) => Number(x.toFixed(2))), runs: RUNS, engines: summary };
if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const rows = [['engine', 'seconds', 'rows/s', 'MB/s', 'x DuckDB', 'peak RSS MB', 'runs (ms)']];
  for (const s of summary) rows.push([s.engine, s.seconds.toFixed(2), Math.round(s.rowsPerSec).toLocaleString('en-US'), s.mbPerSec.toFixed(1), s.ratioToDuckdb.toFixed(2), String(s.peakRssMb), s.runsMs.join(' ')]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`COPY lineitem SF ${SF}: ${summary[0]!.rows.toLocaleString('en-US')} rows, ${(tblBytes / 1e6).toFixed(1)} MB of text; ${report.cores} cores, load average ${report.loadavg.join(' ')}`);
  for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  '));
  const dd = summary.find((s) => s.dataDirBytes !== undefined);
  if (dd) console.log(`data directory ${(dd.dataDirBytes! / 1e6).toFixed(1)} MB beside ${(tblBytes / 1e6).toFixed(1)} MB of .tbl text (${(dd.dataDirBytes! / tblBytes).toFixed(2)}x)`);
}

function progress(msg: string): void { process.stderr.write(`${msg}\n`); }

/** lineitem.tbl for SF, generated once (all tables, like bench:tpch) into the shared cache folder. */
function lineitemFile(sf: number): string {
  const dir = join(tmpdir(), 'wasmshift-tpch-bench', `sf${sf}`);
  if (!existsSync(join(dir, '.complete'))) {
    progress(`generating TPC-H SF ${sf} into ${dir} ...`);
    const partial = `${dir}.partial-${process.pid}`;
    generateTpch({ sf, outDir: partial });
    writeFileSync(join(partial, '.complete'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    renameSync(partial, dir);
  }
  return join(dir, 'lineitem.tbl');
}

function dirBytes(d: string): number {
  let n = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(d, e.name)) : statSync(join(d, e.name)).size;
  return n;
}

/** One engine's COPY in this (child) process. */
async function runChild(engine: EngineKey, path: string, slices: number | undefined): Promise<ChildResult> {
  const ddl = (list: string[]): string => list.find((s) => /TABLE lineitem\b/.test(s))!;
  const peak = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
  if (engine === 'duckdb') {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
    const conn = await instance.connect();
    await conn.run(ddl(duckdbDdl()));
    const t0 = performance.now();
    await conn.run(`COPY lineitem FROM '${path}' (DELIMITER '|', HEADER false, QUOTE '')`);
    const ms = performance.now() - t0;
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM lineitem')).getRows()[0]![0]);
    conn.closeSync(); instance.closeSync();
    return { engine, rows, ms, peakRssMb: peak() };
  }
  const dataDir = engine === 'wasmshift-data-dir' ? mkdtempSync(join(tmpdir(), 'wasmshift-bench-load-')) : undefined;
  try {
    const db = await open({ ...(dataDir ? { data: dataDir } : {}), ...(slices ? { slices } : {}) });
    await db.query(ddl(redshiftDdl()));
    const t0 = performance.now();
    // copyFrom returns after the durable commit when the engine has a data directory.
    const r = await db.copyFrom('lineitem', path, { sql: "DELIMITER '|'" });
    const ms = performance.now() - t0;
    await db.close();
    return { engine, rows: r.rows, ms, peakRssMb: peak(), ...(dataDir ? { dataDirBytes: dirBytes(dataDir) } : {}) };
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
