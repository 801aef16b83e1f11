// The benchmarked kernel workloads, shared by the bench driver (main.ts) and its piscina worker (worker.ts): each
// case processes rows [start, end) of one morsel, so the same code runs in one call, on one worker or on N.

import type { KernelExports } from '../../host/wasm/kernels.js';
import type { MemoryViews } from '../../host/wasm/memory.js';

/** Byte offsets and parameters of one case's buffers (plain numbers, so it structured-clones to workers). */
export type Ctx = Record<string, number>;

/** Processes morsel number `m` = rows [start, end); `slot` indexes per-task scratch (hash tables, join state). */
export type MorselFn = (k: KernelExports, c: Ctx, start: number, end: number, slot: number, m: number, v: MemoryViews) => void;

export const CASES: Record<string, MorselFn> = {
  /** col > k on int32; local row indices of passing rows at sel[start..], their count in counts[m]. */
  filter_i32: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.filter_cmp_i32(4, c.col! + 4 * s, 0, e - s, c.k!, 0, 0, c.sel! + 4 * s); },
  filter_i64: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.filter_cmp_i64(4, c.col! + 8 * s, 0, e - s, BigInt(c.k!), 0, 0, c.sel! + 4 * s); },
  filter_f64: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.filter_cmp_f64(4, c.col! + 8 * s, 0, e - s, c.k!, 0, 0, c.sel! + 4 * s); },
  /** out[i] = col[gsel[i]] for a global selection vector. */
  gather_32: (k, c, s, e) => { k.gather_32(c.col!, c.gsel! + 4 * s, e - s, c.out! + 4 * s); },
  /** A join's run-time filter (descriptor at filt) on an int8 key column; passing rows at sel[start..], count in counts[m]. */
  filter_runtime_bloom: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.filter_runtime_i64(c.col! + 8 * s, 0, e - s, c.filt!, 0, 0, c.sel! + 4 * s); },
  filter_runtime_bitmap: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.filter_runtime_i64(c.col! + 8 * s, 0, e - s, c.filt!, 0, 0, c.sel! + 4 * s); },
  arith_add_i32: (k, c, s, e, _slot, m, v) => { v.i32[c.counts! / 4 + m] = k.arith_add_i32(c.a! + 4 * s, c.b! + 4 * s, c.out! + 4 * s, 0, e - s); },
  arith_mul_f64: (k, c, s, e) => { k.arith_mul_f64(c.a! + 8 * s, c.b! + 8 * s, c.out! + 8 * s, e - s); },
  hash_rows: (k, c, s, e) => { k.hash_rows(c.keys! + 8 * s, 1, e - s, c.out! + 8 * s); },
  /** group_ids into the slot's own table, then agg_sum_i64 of a value column into the slot's i128 accumulators. */
  group_agg: (k, c, s, e, slot) => {
    const t = c.slotBytes! * slot;
    const done = k.group_ids(c.keys! + 8 * s, 1, c.hashes! + 8 * s, e - s, c.table! + t, c.cap!, c.gkeys! + t, c.ghashes! + t,
      c.state! + t, c.maxGroups!, c.gids! + 4 * s);
    if (done !== e - s) throw new Error('group table full in the benchmark');
    k.agg_sum_i64(c.gids! + 4 * s, c.vals! + 8 * s, 0, e - s, c.acc! + t);
  },
  join_build: (k, c) => { k.join_build(c.bkeys!, 1, c.bhashes!, c.bn!, c.heads!, c.cap!, c.next!); },
  /** Probes one morsel against the shared build table; pairs at outP/outB[start..], count in counts[m]. */
  join_probe: (k, c, s, e, slot, m, v) => {
    const st = c.state! + 8 * slot;
    v.i32[st / 4] = 0; v.i32[st / 4 + 1] = 0;
    v.i32[c.counts! / 4 + m] = k.join_probe(c.pkeys! + 8 * s, 1, c.phashes! + 8 * s, e - s, c.bkeys!, c.bhashes!, c.heads!, c.cap!,
      c.next!, st, c.outP! + 4 * s, c.outB! + 4 * s, e - s, 0, 0);
  },
  sort_rows: (k, c, s, e) => { k.sort_rows(c.keys!, 1, c.idx! + 4 * s, e - s, c.tmp! + 4 * s); },
  /** Memory bandwidth reference: a read-only sum of an int32 column, one partial per morsel. */
  noop: () => {},
  sum_i32: (k, c, s, e, _slot, m, v) => { v.i64[c.out! / 8 + m] = k.sum_i32_sel(c.col! + 4 * s, 0, 0, e - s); },
};

/** One task: run case `name` over rows [0, n) in morsels of `morsel` rows, claimed through the i32 at `counter`. */
export interface BenchTask { name: string; build: 'simd' | 'scalar' | 'js'; ctx: Ctx; n: number; morsel: number; counter: number; slot: number }

/** Pulls morsels from the shared counter until none is left; returns how many this thread ran. */
export function runMorsels(k: KernelExports, task: BenchTask, v: MemoryViews): number {
  const fn = CASES[task.name]!;
  let morsels = 0;
  for (;;) {
    const start = Atomics.add(v.i32, task.counter / 4, task.morsel);
    if (start >= task.n) break;
    fn(k, task.ctx, start, Math.min(task.n, start + task.morsel), task.slot, start / task.morsel, v);
    morsels++;
  }
  return morsels;
}
