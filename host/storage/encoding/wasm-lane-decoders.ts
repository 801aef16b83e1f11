// The block-read path's lane decoders on the encode_* WASM kernels (kernels/encode/): the payload is
// copied into scratch pages of the shared memory, decoded there, and the lanes copied out. Same
// results as jsLaneDecoders (test/unit/kernels/encode.test.ts).
import { instantiateKernels, loadKernelModules } from '../../wasm/kernels.js';
import type { KernelExports } from '../../wasm/kernel-exports.js';
import type { PageAllocator } from '../../wasm/memory.js';
import type { LaneDecoders } from './lane-decoders.js';

const SIGNED: Record<number, 'i16' | 'i32' | 'i64'> = { 2: 'i16', 4: 'i32', 8: 'i64' };
const BITS: Record<number, 8 | 16 | 32 | 64> = { 1: 8, 2: 16, 4: 32, 8: 64 };
const align8 = (n: number) => (n + 7) & ~7;

/**
 * Decoders that run the encode_* kernels: each call takes one scratch allocation from `pages`,
 * copies the inputs in (8-byte aligned, with 8 bytes of slack after each, which the AZ64 kernel's
 * 8-byte loads need), runs the kernel into it and copies the lanes out.
 */
export function kernelLaneDecoders(k: KernelExports, memory: WebAssembly.Memory, pages: PageAllocator): LaneDecoders {
  /** Runs a kernel on copies of `inputs` and copies its lanes into `out`; false when the kernel refuses the payload. */
  const run = (inputs: Uint8Array[], out: Uint8Array, call: (ptrs: number[], out: number) => number): boolean => {
    const sizes = inputs.map((b) => align8(b.length + 8));
    const total = sizes.reduce((n, s) => n + s, 0) + align8(out.length + 8);
    const base = pages.alloc(total, 64);
    try {
      const u8 = new Uint8Array(memory.buffer);
      const ptrs: number[] = [];
      let at = base;
      inputs.forEach((b, i) => { u8.set(b, at); u8.fill(0, at + b.length, at + sizes[i]!); ptrs.push(at); at += sizes[i]!; });
      if (call(ptrs, at) !== 1) return false;
      out.set(u8.subarray(at, at + out.length));
      return true;
    } finally { pages.free(base); }
  };
  return {
    undelta: (src, width, deltaWidth, rows, out) => {
      const t = SIGNED[width];
      if (!t) return false;
      return run([src], out, ([s], o) => k[`encode_undelta_${t}`](s!, src.length, deltaWidth, rows, o));
    },
    widen: (small, narrow, rows, excRows, excValues, width, out) => {
      const t = SIGNED[width];
      if (!t) return false;
      return run([small, excRows, excValues], out, ([s, r, v], o) => k[`encode_widen_${t}`](s!, narrow, rows, r!, excRows.length >> 2, v!, o));
    },
    unpackAz64: (src, width, rows, out) => {
      const t = SIGNED[width];
      if (!t) return false;
      return run([src], out, ([s], o) => k[`encode_unpack_az64_${t}`](s!, src.length, rows, o));
    },
    expandRuns: (values, lengths, width, rows, out) => {
      const b = BITS[width];
      if (!b) return false;
      return run([values, lengths], out, ([v, l], o) => k[`encode_expand_rle_${b}`](v!, l!, lengths.length >> 2, rows, o));
    },
    gatherDict: (dict, nDict, codes, width, out) => {
      const b = BITS[width];
      if (!b) return false;
      return run([dict, codes], out, ([d, c], o) => k[`encode_gather_dict_${b}`](d!, nDict, c!, codes.length, o));
    },
  };
}

const byMemory = new WeakMap<WebAssembly.Memory, LaneDecoders>();

/** Kernel-backed decoders for a shared memory and its allocator (one kernel instance per memory). */
export function laneDecodersFor(memory: WebAssembly.Memory, pages: PageAllocator): LaneDecoders {
  let d = byMemory.get(memory);
  if (!d) { d = kernelLaneDecoders(instantiateKernels(loadKernelModules().simd, memory), memory, pages); byMemory.set(memory, d); }
  return d;
}
