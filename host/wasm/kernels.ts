// Loading and instantiating the kernel modules (build/kernels/{simd,scalar}.wasm) over the shared memory, warming
// them at worker start, and the plain-JS reference. Used by the leader's inline path and by every slice worker.

import { readFileSync } from 'node:fs';
import { SqlError, SqlState, internal } from '../common/errors.js';
import type { KernelExports } from './kernel-exports.js';
import { KERNEL_NAMES } from './kernel-exports.js';
import type { Arena } from './memory.js';
import { views } from './memory.js';

export type { KernelExports } from './kernel-exports.js';
export { KERNEL_NAMES } from './kernel-exports.js';
export { jsKernels } from './js-kernels.js';

/** The kernel ABI version this host is written against (kernels/init.ts kernels_abi_version). */
export const KERNEL_ABI_VERSION = 1;

/** Both builds of the kernels, compiled once per process; a Module structured-clones to workers (code is shared). */
export interface KernelModules {
  simd: WebAssembly.Module;
  scalar: WebAssembly.Module;
}

let cached: KernelModules | undefined;

/** Directory of the built kernels: this file runs as <root>/dist/host/wasm/kernels.js. */
export function kernelBuildDir(): URL {
  return new URL('../../../build/kernels/', import.meta.url);
}

/** Compiles build/kernels/simd.wasm and scalar.wasm (once; later calls return the same modules). */
export function loadKernelModules(): KernelModules {
  if (cached) return cached;
  const load = (name: string): WebAssembly.Module => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(new URL(name, kernelBuildDir()));
    } catch (e) {
      throw internal(`kernel module ${name} is missing (run "npm run build:kernels"): ${(e as Error).message}`);
    }
    return new WebAssembly.Module(bytes);
  };
  cached = { simd: load('simd.wasm'), scalar: load('scalar.wasm') };
  return cached;
}

/** Instantiates a kernel module over the shared memory and fills its constant tables (idempotent). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  const version = k.kernels_abi_version();
  if (version !== KERNEL_ABI_VERSION) {
    throw new SqlError(SqlState.internalError, `kernel module ABI version ${version} does not match the host's ${KERNEL_ABI_VERSION}`);
  }
  for (const name of KERNEL_NAMES) {
    if (typeof (k as unknown as Record<string, unknown>)[name] !== 'function') throw internal(`kernel module lacks ${name}`);
  }
  k.kernels_init();
  return k;
}

/**
 * Runs each hot kernel `rounds` times on 4096 rows of scratch taken from `arena` (and released by the caller's
 * reset), so V8 tiers the code up before the first real batch: wasm has no on-stack replacement, and a first large
 * call otherwise runs about 2x slower in the baseline tier (research/deps.md section 2).
 */
export function warmKernels(k: KernelExports, arena: Arena, rounds = 64): void {
  const n = 4096;
  const v = views(arena.pages.memory);
  const a = arena.alloc(n * 8), b = arena.alloc(n * 8), out = arena.alloc(n * 16), sel = arena.alloc(n * 4);
  const keys = arena.alloc(n * 16), hashes = arena.alloc(n * 8), table = arena.alloc(2 * n * 4);
  const gkeys = arena.alloc(n * 16), ghashes = arena.alloc(n * 8), state = arena.alloc(8), gids = arena.alloc(n * 4);
  const acc = arena.alloc(n * 16), next = arena.alloc(n * 4), outP = arena.alloc(n * 4), outB = arena.alloc(n * 4);
  const valid = arena.alloc(n / 8), sortTmp = arena.alloc(n * 4 + 8192);
  // agg_program (kernels/agg/program.ts): load an i32 column, add a constant, sum it small and wide, count.
  const prog = arena.alloc(5 * 32), regs = arena.alloc(3 * 1024 * 8);
  const progWords = [1, 0, a, 0, 14, 1, 0, 1, 16 | (1024 << 8), 0, 1, -1, 10, 2, 0, -1, 11, 4, -1, 0];
  for (let i = 0; i < n; i++) { v.i32[(a >>> 2) + i] = (i * 7919) % 1000; v.i32[(b >>> 2) + i] = (i * 104729) % 997 + 1; }
  for (let i = 0; i < progWords.length; i++) v.i64[(prog >>> 3) + i] = BigInt(progWords[i]!);
  v.u8.fill(0xAB, valid, valid + n / 8);
  for (let r = 0; r < rounds; r++) {
    for (let op = 0; op < 6; op++) {
      k.filter_cmp_i32(op, a, r & 1 ? valid : 0, n, 500, 0, 0, sel);
      k.filter_cmp_i64(op, a, 0, n / 2, 500n, 0, 0, sel);
      k.filter_cmp_f64(op, a, 0, n / 2, 0.5, 0, 0, sel);
    }
    const cnt = k.filter_between_i32(a, 0, n, 100, 600, 0, 0, sel);
    k.filter_cmp_i32(4, b, 0, n, 300, sel, cnt, sel);
    k.filter_mask(a, valid, n, 0, 0, sel);
    k.gather_32(a, sel, cnt, out);
    k.gather_64(a, sel, cnt >> 1, out);
    k.gather_bits(valid, sel, cnt, out);
    k.arith_add_i32(a, b, out, 0, n);
    k.arith_mul_i32(a, b, out, 0, n);
    k.arith_add_i64(a, b, out, 0, n / 2);
    k.arith_mul_f64(a, b, out, n / 2);
    k.key_put_i32(a, n, keys, 1, 0);
    k.hash_rows(keys, 1, n, hashes);
    k.hash_i32(a, n, hashes);
    v.i32.fill(-1, table >>> 2, (table >>> 2) + 2 * n);
    v.i32[state >>> 2] = 0;
    k.group_ids(keys, 1, hashes, n, table, 2 * n, gkeys, ghashes, state, n, gids);
    const ng = v.i32[state >>> 2]!;
    v.u8.fill(0, acc, acc + ng * 16);
    k.agg_sum_i32(gids, a, 0, n, acc);
    k.agg_count_star(gids, n, acc);
    k.sum_f64_sel(a, 0, 0, n / 2);
    v.u8.fill(0, acc, acc + 4 * 5 * 8);
    k.agg_program(prog, 5, r & 1 ? sel : 0, r & 1 ? cnt : n, gids, 5, acc, regs);
    v.i32.fill(-1, table >>> 2, (table >>> 2) + 2 * n);
    k.join_build(keys, 1, hashes, n, table, 2 * n, next);
    v.i32[state >>> 2] = 0; v.i32[(state >>> 2) + 1] = 0;
    k.join_probe(keys, 1, hashes, n, keys, hashes, table, 2 * n, next, state, outP, outB, n, 0, 0);
    if (r % 8 === 0) {
      for (let i = 0; i < n; i++) v.i32[(sel >>> 2) + i] = i;
      k.key_norm_i32(a, 0, n, keys, 1, 0, 0, 0);
      k.sort_rows(keys, 1, sel, n, sortTmp);
      k.topn_rows(keys, 1, n, 10, outP);
    }
  }
}
