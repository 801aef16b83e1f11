// Scan filters on dictionary-coded strings, before and after 'words' steps: the median time of a
// string WHERE evaluated row by row (host/exec/eval.ts, what every string conjunct did before) and
// once per dictionary word (host/exec/kernel-filter.ts), over the chunks of a 1M-row table, and the
// same queries end to end in wasmshift and DuckDB in the same run (ratio).
// Run: npm run bench:encode-filter [-- --rows 1000000]
import { DuckDBInstance } from '@duckdb/node-api';
import type { Batch } from '../../host/batch/vector.js';
import { evalPredicate, type EvalContext } from '../../host/exec/eval.js';
import { planKernelFilter, runKernelFilter } from '../../host/exec/kernel-filter.js';
import type { Expr } from '../../host/plan/expr.js';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { T } from '../../host/types/sql-type.js';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] ?? 1_000_000) || 1_000_000;
const RUNS = 7;
const CITIES = ['Berlin', 'Paris', 'Sao Paulo', 'Zurich', 'New York', 'Oslo', 'Lima', 'Tokyo', 'Cairo', 'Delhi', 'Quito', 'Rome'];

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; }
function time(f: () => unknown): number {
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) { const t0 = performance.now(); f(); ms.push(performance.now() - t0); }
  return median(ms);
}
async function timeAsync(f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) { const t0 = performance.now(); await f(); ms.push(performance.now() - t0); }
  return median(ms);
}

const engine = await Engine.create({ workers: false, slices: 1 });
const s = new Session(engine);
await s.execute('create table t (id int, city varchar(20) encode bytedict)');
const duck = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
await duck.run('create table t (id int, city varchar)');
for (let at = 0; at < rows; at += 50_000) {
  const values = Array.from({ length: Math.min(50_000, rows - at) }, (_, j) => `(${at + j}, ${(at + j) % 29 === 0 ? 'null' : `'${CITIES[((at + j) * 7) % CITIES.length]}'`})`).join(',');
  await s.execute(`insert into t values ${values}`);
  await duck.run(`insert into t values ${values}`);
}
const def = engine.catalog.find('t', 'public', [])!;
if (def.kind !== 'table') throw new Error('no table');
const batches: Batch[] = engine.tables.get(def.oid)!.slices.flat().map((c) => engine.store.decodeAll(c));
const ev: EvalContext = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: 0n, user: 'u', schema: 'public', database: 'd' } };
const city: Expr = { k: 'col', idx: 1, type: T.varcharN(20) };
const c = (v: string): Expr => ({ k: 'const', value: v, type: T.varcharN(20) });
const CASES: [string, Expr][] = [
  ["city = 'Paris'", { k: 'fn', name: 'eq', args: [city, c('Paris')], type: T.bool }],
  ["city LIKE '%o%'", { k: 'fn', name: 'like', args: [city, c('%o%')], type: T.bool }],
  ["city IN ('Lima', 'Rome', 'Oslo')", { k: 'in', arg: city, list: [c('Lima'), c('Rome'), c('Oslo')], neg: false, type: T.bool }],
];
console.log(`${rows} rows in ${batches.length} chunks, string column dictionary-coded; medians of ${RUNS} runs (ms)\n`);
console.log('| WHERE | row by row | per dictionary word | speed-up | wasmshift query | DuckDB query | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const [what, e] of CASES) {
  const plan = planKernelFilter(e);
  let a = 0, b = 0;
  const rowMs = time(() => { a = 0; for (const x of batches) a += evalPredicate(e, x, ev).count; });
  const dictMs = time(() => { b = 0; for (const x of batches) b += runKernelFilter(plan, x, engine.kernels!, ev)!.length; });
  if (a !== b) throw new Error(`${what}: ${a} rows row by row, ${b} per word`);
  const sql = `select count(*) from t where ${what}`;
  const ours = await timeAsync(() => s.execute(sql));
  const theirs = await timeAsync(() => duck.runAndReadAll(sql));
  const n1 = String((await s.execute(sql)).at(-1)!.rows[0]![0]), n2 = String((await duck.runAndReadAll(sql)).getRows()[0]![0]);
  if (n1 !== n2) throw new Error(`${what}: ${n1} != DuckDB ${n2}`);
  console.log(`| ${what} | ${rowMs.toFixed(1)} | ${dictMs.toFixed(1)} | ${(rowMs / dictMs).toFixed(1)}x | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(ours / theirs).toFixed(1)}x |`);
}
await engine.close();
duck.closeSync();
