// `npm run bench:kernels`: rows/s and GB/s of the hot kernels as a plain JS loop, WASM scalar and SIMD on the main
// thread, and SIMD through piscina on 1 and N workers pulling morsels from an atomic counter in shared memory, next
// to the machine's memory bandwidth measured in the same run. Each result is checked against the JS reference
// before its time is printed. `--quick` runs small sizes; `--reps N` sets the timed repetitions (default 5);
// `--only a,b` runs only those cases (plus the filter and bandwidth lines).

import { availableParallelism, loadavg } from 'node:os';
import { Piscina } from 'piscina';
import { createSharedMemory, PageAllocator, views } from '../../host/wasm/memory.js';
import { loadKernelModules, instantiateKernels, jsKernels, type KernelExports } from '../../host/wasm/kernels.js';
import { runMorsels, type BenchTask, type Ctx } from './cases.js';
import { buildRuntimeFilter, writeDescriptor } from '../../host/exec/runtime-filter.js';
import { T } from '../../host/types/sql-type.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const REPS = Math.max(5, repsArg >= 0 ? Number(args[repsArg + 1]) : 5);
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? args[onlyArg + 1]!.split(',') : null;
const N = availableParallelism();
const scale = (full: number): number => (quick ? Math.max(4096, Math.floor(full / 50)) : full);

const memory = createSharedMemory();
const pages = PageAllocator.init(memory);
const v = views(memory);
const mods = loadKernelModules();
const K: Record<'js' | 'scalar' | 'simd', KernelExports> = {
  js: jsKernels(memory), scalar: instantiateKernels(mods.scalar, memory), simd: instantiateKernels(mods.simd, memory),
};
const counter = pages.alloc(64);

let seed = 42;
function rand(): number {
  let t = (seed += 0x6D2B79F5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const alloc = (bytes: number): number => pages.alloc(bytes + 64);

/** FNV-style checksum of u32 words [from, to). */
function ck(from: number, to: number, h = 0x811C9DC5): number {
  const u32 = v.u32;
  for (let i = from; i < to; i++) h = Math.imul(h ^ u32[i]!, 16777619);
  return h >>> 0;
}

interface Case {
  name: string; label: string; n: number; bytesPerRow: number; morsel: number; parallel: boolean; ctx: Ctx;
  prepare?: (slots: number) => void; digest: () => string;
}

/** Checksum of a filter's per-morsel outputs, as global row numbers. */
function selDigest(c: Ctx, n: number, morsel: number): string {
  let h = 0x811C9DC5, total = 0;
  for (let m = 0, s = 0; s < n; m++, s += morsel) {
    const cnt = v.i32[c.counts! / 4 + m]!;
    for (let j = 0; j < cnt; j++) h = Math.imul(h ^ (v.i32[c.sel! / 4 + s + j]! + s), 16777619);
    total += cnt;
  }
  return `${total}:${h >>> 0}`;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  const MORSEL = 1 << 18;

  const nf = scale(50_000_000);
  const col32 = alloc(4 * nf), sel = alloc(4 * nf), counts = alloc(4 * (nf / 1024 + 64));
  for (let i = 0; i < nf; i++) v.i32[col32 / 4 + i] = Math.floor(rand() * 1e6);
  const fc: Ctx = { col: col32, sel, counts, k: 500000 };
  cases.push({ name: 'filter_i32', label: 'filter_cmp_i32 > k (50% pass)', n: nf, bytesPerRow: 4 + 2, morsel: MORSEL, parallel: true, ctx: fc,
    digest: () => selDigest(fc, nf, MORSEL) });

  const n64 = scale(25_000_000);
  const col64 = alloc(8 * n64), colf = alloc(8 * n64);
  for (let i = 0; i < n64; i++) { const x = Math.floor(rand() * 1e6); v.i64[col64 / 8 + i] = BigInt(x); v.f64[colf / 8 + i] = x; }
  const c64: Ctx = { col: col64, sel, counts, k: 500000 }, cf: Ctx = { col: colf, sel, counts, k: 500000 };
  cases.push({ name: 'filter_i64', label: 'filter_cmp_i64 > k (50% pass)', n: n64, bytesPerRow: 8 + 2, morsel: MORSEL, parallel: true, ctx: c64, digest: () => selDigest(c64, n64, MORSEL) });
  cases.push({ name: 'filter_f64', label: 'filter_cmp_f64 > k (50% pass)', n: n64, bytesPerRow: 8 + 2, morsel: MORSEL, parallel: true, ctx: cf, digest: () => selDigest(cf, n64, MORSEL) });

  // a global selection vector (every other row, as a 50% filter leaves) for the gather
  const ng = Math.floor(nf / 2);
  const gsel = alloc(4 * ng), gout = alloc(4 * ng);
  for (let i = 0, r = 0; i < ng; i++) { r += 1 + (rand() < 0.5 ? 0 : 1); v.i32[gsel / 4 + i] = Math.min(r, nf - 1); }
  const gc: Ctx = { col: col32, gsel, out: gout };
  cases.push({ name: 'gather_32', label: 'gather_32 (sorted 50% selection)', n: ng, bytesPerRow: 12, morsel: MORSEL, parallel: true, ctx: gc, digest: () => String(ck(gout / 4, gout / 4 + ng)) });

  // run-time filters on a sorted int8 key column shaped like lineitem's l_orderkey (1-7 rows per key, keys up to
  // 4.5M): 10K build keys get a bloom, 40K (about 110 values per key) a bitmap; TPC-H Q21's lineitem scans (--quick's
  // smaller key range gets bitmaps for both)
  const nr = scale(4_000_000);
  const rcol = alloc(8 * nr);
  for (let i = 0, key = 0; i < nr;) { key += 1 + Math.floor(rand() * 8); const run = 1 + Math.floor(rand() * 7); for (let j = 0; j < run && i < nr; j++) v.i64[rcol / 8 + i++] = BigInt(key); }
  const maxKey = Number(v.i64[rcol / 8 + nr - 1]!);
  for (const [name, keys] of [['filter_runtime_bloom', 10_000], ['filter_runtime_bitmap', 40_000]] as const) {
    const build = new BigInt64Array(keys);
    for (let i = 0; i < keys; i++) build[i] = BigInt(Math.floor(rand() * maxKey));
    const f = buildRuntimeFilter([{ type: T.int8, length: keys, data: build, valid: null }], 'number');
    if (f.kind !== 'number') throw new Error('a number filter was expected');
    const rc: Ctx = { col: rcol, sel, counts, filt: writeDescriptor(f, memory, pages) };
    cases.push({ name, label: `filter_runtime_i64 ${f.bloom ? 'bloom' : 'bitmap'} (${keys} keys over 0..${maxKey}, sorted)`, n: nr, bytesPerRow: 8 + 4, morsel: MORSEL, parallel: true, ctx: rc, digest: () => selDigest(rc, nr, MORSEL) });
  }

  const na = scale(10_000_000);
  const a32 = alloc(4 * na), b32 = alloc(4 * na), o32 = alloc(4 * na), af = alloc(8 * na), bf = alloc(8 * na), of = alloc(8 * na);
  for (let i = 0; i < na; i++) {
    v.i32[a32 / 4 + i] = Math.floor(rand() * 2e9) - 1e9; v.i32[b32 / 4 + i] = Math.floor(rand() * 2e9) - 1e9;
    v.f64[af / 8 + i] = rand() * 1e6; v.f64[bf / 8 + i] = rand();
  }
  const ac: Ctx = { a: a32, b: b32, out: o32, counts }, mc: Ctx = { a: af, b: bf, out: of };
  cases.push({ name: 'arith_add_i32', label: 'arith_add_i32 (overflow checked)', n: na, bytesPerRow: 12, morsel: MORSEL, parallel: true, ctx: ac,
    digest: () => { let s = ''; for (let m = 0; m * MORSEL < na; m++) s += v.i32[counts / 4 + m]! > 0 ? 'x' : '.'; return `${s}:${ck(o32 / 4, o32 / 4 + na)}`; } });
  cases.push({ name: 'arith_mul_f64', label: 'arith_mul_f64', n: na, bytesPerRow: 24, morsel: MORSEL, parallel: true, ctx: mc, digest: () => String(ck(of / 4, of / 4 + 2 * na)) });

  const nh = scale(4_000_000);
  const keys = alloc(8 * nh), hashes = alloc(8 * nh), vals = alloc(8 * nh), gids = alloc(4 * nh);
  const groups = 1000;
  for (let i = 0; i < nh; i++) { v.i64[keys / 8 + i] = BigInt(Math.floor(rand() * groups) * 7919); v.i64[vals / 8 + i] = BigInt(Math.floor(rand() * 1e9)); }
  const hc: Ctx = { keys, out: hashes };
  cases.push({ name: 'hash_rows', label: 'hash_rows (1 word)', n: nh, bytesPerRow: 16, morsel: MORSEL, parallel: true, ctx: hc, digest: () => String(ck(hashes / 4, hashes / 4 + 2 * nh)) });

  const cap = 4096, slotBytes = 64 * 1024 + 16 * cap + 8 * cap + 16 * cap;
  const slots = Math.max(1, N);
  const gbase = alloc(slotBytes * slots);
  const gcx: Ctx = {
    keys, hashes, vals, gids, cap, maxGroups: cap >> 1, slotBytes,
    table: gbase, gkeys: gbase + 16 * cap, ghashes: gbase + 24 * cap, state: gbase + 32 * cap, acc: gbase + 32 * cap + 64,
  };
  cases.push({
    name: 'group_agg', label: 'group_ids + agg_sum_i64 (1000 groups)', n: nh, bytesPerRow: 32, morsel: 1 << 16, parallel: true, ctx: gcx,
    prepare: (nslots) => {
      K.simd.hash_rows(keys, 1, nh, hashes);
      for (let s = 0; s < nslots; s++) {
        const t = slotBytes * s;
        v.i32.fill(-1, (gcx.table! + t) / 4, (gcx.table! + t) / 4 + cap);
        v.i32[(gcx.state! + t) / 4] = 0;
        v.u8.fill(0, gcx.acc! + t, gcx.acc! + t + 16 * (cap >> 1));
      }
    },
    digest: () => {
      const sums = new Map<bigint, bigint>();
      for (let s = 0; s < slots; s++) {
        const t = slotBytes * s;
        const ng2 = v.i32[(gcx.state! + t) / 4]!;
        for (let g = 0; g < ng2; g++) {
          const key = v.i64[(gcx.gkeys! + t) / 8 + g]!;
          const lo = BigInt.asUintN(64, v.i64[(gcx.acc! + t) / 8 + 2 * g]!), hi = v.i64[(gcx.acc! + t) / 8 + 2 * g + 1]!;
          sums.set(key, (sums.get(key) ?? 0n) + (hi << 64n) + lo);
        }
      }
      let h = 0n;
      for (const [key, sum] of sums) h ^= BigInt.asUintN(64, key * 0x9E3779B97F4A7C15n + sum);
      return `${sums.size}:${h}`;
    },
  });

  const bn = scale(1_000_000), pn = scale(4_000_000), jcap = 1 << Math.ceil(Math.log2(bn * 2));
  const bkeys = alloc(8 * bn), bhashes = alloc(8 * bn), heads = alloc(4 * jcap), next = alloc(4 * bn);
  const pkeys = alloc(8 * pn), phashes = alloc(8 * pn), outP = alloc(4 * pn), outB = alloc(4 * pn), jstate = alloc(8 * slots);
  for (let i = 0; i < bn; i++) v.i64[bkeys / 8 + i] = BigInt(i * 2);
  for (let i = 0; i < pn; i++) v.i64[pkeys / 8 + i] = BigInt(Math.floor(rand() * bn * 2));
  K.simd.hash_rows(bkeys, 1, bn, bhashes);
  K.simd.hash_rows(pkeys, 1, pn, phashes);
  const jc: Ctx = { bkeys, bhashes, bn, heads, cap: jcap, next, pkeys, phashes, outP, outB, state: jstate, counts };
  cases.push({
    name: 'join_build', label: 'join_build (unique keys)', n: bn, bytesPerRow: 20, morsel: bn, parallel: false, ctx: jc,
    prepare: () => { v.i32.fill(-1, heads / 4, heads / 4 + jcap); },
    digest: () => `${ck(heads / 4, heads / 4 + jcap)}:${ck(next / 4, next / 4 + bn)}`,
  });
  cases.push({
    name: 'join_probe', label: 'join_probe (50% match, 1 word)', n: pn, bytesPerRow: 24, morsel: 1 << 16, parallel: true, ctx: jc,
    prepare: () => { v.i32.fill(-1, heads / 4, heads / 4 + jcap); K.simd.join_build(bkeys, 1, bhashes, bn, heads, jcap, next); },
    digest: () => {
      let h = 0x811C9DC5, total = 0;
      for (let m = 0, s = 0; s < pn; m++, s += 1 << 16) {
        const c = v.i32[counts / 4 + m]!;
        for (let j = 0; j < c; j++) h = Math.imul(Math.imul(h ^ (v.i32[outP / 4 + s + j]! + s), 16777619) ^ v.i32[outB / 4 + s + j]!, 16777619);
        total += c;
      }
      return `${total}:${h >>> 0}`;
    },
  });

  const ns = scale(1_000_000);
  const skeys = alloc(8 * ns), idx = alloc(4 * ns), tmp = alloc(4 * ns + 8192);
  for (let i = 0; i < ns; i++) v.u64[skeys / 8 + i] = BigInt(Math.floor(rand() * 2 ** 32)) << 20n;
  const sc: Ctx = { keys: skeys, idx, tmp };
  cases.push({
    name: 'sort_rows', label: 'sort_rows (1 word, random)', n: ns, bytesPerRow: 12, morsel: ns, parallel: false, ctx: sc,
    prepare: () => { for (let i = 0; i < ns; i++) v.i32[idx / 4 + i] = i; },
    digest: () => String(ck(idx / 4, idx / 4 + ns)),
  });

  const sums = alloc(8 * (nf / 1024 + 64));
  const bw: Ctx = { col: col32, out: sums };
  cases.push({
    name: 'sum_i32', label: 'bandwidth: sum of int32 column', n: nf, bytesPerRow: 4, morsel: MORSEL, parallel: true, ctx: bw,
    digest: () => { let s = 0n; for (let m = 0; m * MORSEL < nf; m++) s += v.i64[sums / 8 + m]!; return String(s); },
  });
  return cases;
}

type Mode = 'js' | 'scalar' | 'simd' | 'w1' | 'wN';
const MODES: Mode[] = ['js', 'scalar', 'simd', 'w1', 'wN'];

async function timeOnce(c: Case, mode: Mode, pool1: Piscina, poolN: Piscina): Promise<number> {
  const workers = mode === 'w1' ? 1 : mode === 'wN' ? N : 0;
  c.prepare?.(Math.max(1, workers));
  v.i32[counter / 4] = 0;
  const task = (slot: number, build: 'js' | 'scalar' | 'simd'): BenchTask => ({ name: c.name, build, ctx: c.ctx, n: c.n, morsel: c.morsel, counter, slot });
  const t0 = performance.now();
  if (workers === 0) runMorsels(K[mode as 'js' | 'scalar' | 'simd'], task(0, mode as 'js' | 'scalar' | 'simd'), v);
  else {
    const pool = workers === 1 ? pool1 : poolN;
    await Promise.all(Array.from({ length: workers }, (_, s) => pool.run(task(s, 'simd'))));
  }
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cases = buildCases().filter((c) => ONLY === null || ONLY.includes(c.name) || c.name === 'filter_i32' || c.name === 'sum_i32');
  const filename = new URL('./worker.js', import.meta.url).href;
  const workerData = { memory, simd: mods.simd, scalar: mods.scalar };
  const pool1 = new Piscina({ filename, minThreads: 1, maxThreads: 1, idleTimeout: Infinity, workerData });
  const poolN = new Piscina({ filename, minThreads: N, maxThreads: N, idleTimeout: Infinity, workerData });
  await Promise.all([pool1.run({ name: 'noop', n: 0, morsel: 1, counter: counter + 4, slot: 0, ctx: {}, build: 'simd' }),
    ...Array.from({ length: N }, () => poolN.run({ name: 'noop', n: 0, morsel: 1, counter: counter + 4, slot: 0, ctx: {}, build: 'simd' }))]);

  const rows: { c: Case; cells: Record<Mode, string>; ms: Partial<Record<Mode, number>> }[] = [];
  let failed = false;
  for (const c of cases) {
    const cells = {} as Record<Mode, string>;
    const ms: Partial<Record<Mode, number>> = {};
    let reference = '';
    for (const mode of MODES) {
      if (mode === 'wN' && !c.parallel) { cells[mode] = '-'; continue; }
      const times: number[] = [];
      const reps = mode === 'js' && c.n * c.bytesPerRow > 4e8 ? 5 : REPS;
      await timeOnce(c, mode, pool1, poolN); // warm-up (tier-up, page commit)
      for (let r = 0; r < reps; r++) times.push(await timeOnce(c, mode, pool1, poolN));
      const d = c.digest();
      if (mode === 'js') reference = d;
      else if (d !== reference) { cells[mode] = 'MISMATCH'; failed = true; process.stderr.write(`${c.name} ${mode}: ${d} != js ${reference}\n`); continue; }
      const t = median(times);
      ms[mode] = t;
      cells[mode] = `${t.toFixed(1)} ms · ${(c.n / t / 1e3).toFixed(0)} M/s · ${(c.n * c.bytesPerRow / t / 1e6).toFixed(1)} GB/s`;
      process.stderr.write(`  ${c.name} ${mode}: ${cells[mode]}\n`);
    }
    rows.push({ c, cells, ms });
  }
  await Promise.all([pool1.destroy(), poolN.destroy()]);

  // memory copy bandwidth on the main thread (read + write bytes)
  const copyBytes = quick ? 8 << 20 : 256 << 20;
  const src = pages.alloc(copyBytes), dst = pages.alloc(copyBytes);
  v.u8.fill(1, src, src + copyBytes);
  const ct: number[] = [];
  for (let r = 0; r < REPS + 1; r++) { const t = performance.now(); v.u8.copyWithin(dst, src, src + copyBytes); ct.push(performance.now() - t); }
  const copyGBs = (2 * copyBytes) / median(ct.slice(1)) / 1e6;

  const filter = rows.find((r) => r.c.name === 'filter_i32')!;
  const sum = rows.find((r) => r.c.name === 'sum_i32')!;
  const gbs = (r: typeof filter, m: Mode): string => (r.ms[m] ? (r.c.n * r.c.bytesPerRow / r.ms[m]! / 1e6).toFixed(1) : '-');
  console.log(`SIMD filter over ${(filter.c.n / 1e6).toFixed(1)}M int32 rows on one worker: ${filter.ms.w1 ? (filter.c.n / filter.ms.w1 / 1e6).toFixed(2) : '-'} billion rows/s` +
    ` (${N} workers: ${filter.ms.wN ? (filter.c.n / filter.ms.wN / 1e6).toFixed(2) : '-'} billion rows/s)`);
  console.log(`memory bandwidth: copy ${copyGBs.toFixed(1)} GB/s (main thread, read+write); read-only int32 sum ${gbs(sum, 'simd')} GB/s (1 thread), ${gbs(sum, 'wN')} GB/s (${N} workers)`);
  console.log(`node ${process.version}, ${N} cores, load average ${loadavg()[0]!.toFixed(1)} at the end, median of ${REPS} runs${quick ? ', --quick sizes' : ''}; cell = median time · rows/s · GB/s of bytes touched; workers include piscina dispatch`);
  const header = ['kernel', 'rows', 'JS loop (main)', 'WASM scalar (main)', 'WASM SIMD (main)', 'SIMD 1 worker', `SIMD ${N} workers`];
  const table = rows.map((r) => [r.c.label, r.c.n >= 1e6 ? `${(r.c.n / 1e6).toFixed(1)}M` : `${(r.c.n / 1e3).toFixed(0)}K`, ...MODES.map((m) => r.cells[m])]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cols: string[]): string => `| ${cols.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const t of table) console.log(line(t));
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failed) { console.error('some kernel results differ from the JS reference'); process.exitCode = 1; }
}

await main();
