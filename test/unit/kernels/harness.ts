// Test harness for the kernels: one shared memory, the SIMD, scalar and plain-JS implementations side by side,
// seeded random columns with nulls and extremes, and helpers that copy typed arrays in and out of the memory.

import assert from 'node:assert/strict';
import { createSharedMemory, PageAllocator, Arena, views } from '../../../host/wasm/memory.js';
import { loadKernelModules, instantiateKernels, jsKernels, type KernelExports } from '../../../host/wasm/kernels.js';

export const LENGTHS = [0, 1, 7, 8, 9, 15, 16, 17, 2047, 2048, 2049];

export type Kind = 'u8' | 'i16' | 'i32' | 'i64' | 'u64' | 'f32' | 'f64';
export type Impl = { name: string; k: KernelExports };

export class Harness {
  readonly memory = createSharedMemory(256 << 20);
  readonly pages = PageAllocator.init(this.memory);
  readonly arena = new Arena(this.pages);
  readonly impls: Impl[];
  private seed = 12345;

  constructor() {
    const mods = loadKernelModules();
    this.impls = [
      { name: 'js', k: jsKernels(this.memory) },
      { name: 'simd', k: instantiateKernels(mods.simd, this.memory) },
      { name: 'scalar', k: instantiateKernels(mods.scalar, this.memory) },
    ];
  }

  get v() { return views(this.memory); }

  /** Deterministic uniform in [0, 1). */
  rand(): number {
    let t = (this.seed += 0x6D2B79F5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.rand() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.rand() * xs.length)]!; }

  /** Copies values into fresh 64-byte-aligned memory (with 64 bytes of slack) and returns the byte offset. */
  put(kind: Kind, values: ArrayLike<number | bigint>): number {
    const size = kind === 'u8' ? 1 : kind === 'i16' ? 2 : kind === 'i32' || kind === 'f32' ? 4 : 8;
    const p = this.arena.alloc(values.length * size + 64);
    const view = this.v[kind] as unknown as { set(a: ArrayLike<number | bigint>, o: number): void };
    view.set(values, p / size);
    return p;
  }
  alloc(bytes: number): number {
    const p = this.arena.alloc(bytes + 64);
    this.v.u8.fill(0, p, p + bytes + 64);
    return p;
  }
  read(kind: Kind, ptr: number, n: number): (number | bigint)[] {
    const size = kind === 'u8' ? 1 : kind === 'i16' ? 2 : kind === 'i32' || kind === 'f32' ? 4 : 8;
    return Array.from((this.v[kind] as unknown as { subarray(a: number, b: number): ArrayLike<number | bigint> }).subarray(ptr / size, ptr / size + n));
  }

  /** A random validity bitmap of n bits (about nullRate nulls); returns [ptr, bits]. */
  validity(n: number, nullRate = 0.2): [number, boolean[]] {
    const bits = Array.from({ length: n }, () => this.rand() >= nullRate);
    const bytes = new Uint8Array(Math.ceil(n / 8) + 8);
    bits.forEach((b, i) => { if (b) bytes[i >>> 3]! |= 1 << (i & 7); });
    return [this.put('u8', bytes), bits];
  }
  /** A random ascending subset of [0, n). */
  subset(n: number, keep = 0.5): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (this.rand() < keep) out.push(i);
    return out;
  }

  /** Random column values of a kind, with extremes mixed in. */
  values(kind: Kind, n: number, small = false): (number | bigint)[] {
    const ext: Record<string, (number | bigint)[]> = {
      i16: [-32768, 32767, 0, -1, 1],
      i32: [-2147483648, 2147483647, 0, -1, 1],
      i64: [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n],
      f32: [NaN, -0, 0, Infinity, -Infinity, 1.5, -1.5, 3.4028234663852886e38],
      f64: [NaN, -0, 0, Infinity, -Infinity, 0.5, -0.5, 2.5, 1.7976931348623157e308, 5e-324],
    };
    const out: (number | bigint)[] = [];
    for (let i = 0; i < n; i++) {
      if (kind !== 'u8' && kind !== 'u64' && this.rand() < 0.1) { out.push(this.pick(ext[kind]!)); continue; }
      switch (kind) {
        case 'u8': out.push(this.int(0, 3) === 0 ? 0 : 1); break;
        case 'i16': out.push(small ? this.int(-20, 20) : this.int(-32768, 32767)); break;
        case 'i32': out.push(small ? this.int(-20, 20) : this.int(-2147483648, 2147483647)); break;
        case 'i64': case 'u64': out.push(small ? BigInt(this.int(-20, 20)) : BigInt.asIntN(64, (BigInt(this.int(0, 2 ** 31)) << 33n) ^ BigInt(this.int(0, 2 ** 31)))); break;
        case 'f32': out.push(Math.fround(small ? this.int(-20, 20) / 2 : (this.rand() - 0.5) * 1e6)); break;
        case 'f64': out.push(small ? this.int(-20, 20) / 2 : (this.rand() - 0.5) * 1e12); break;
      }
    }
    return out;
  }

  /** Runs `run` once per implementation and asserts every result deep-equals the JS reference's. */
  agree<T>(what: string, run: (k: KernelExports, impl: string) => T): T {
    const results = this.impls.map((i) => ({ name: i.name, r: run(i.k, i.name) }));
    for (const { name, r } of results.slice(1)) assert.deepStrictEqual(r, results[0]!.r, `${what}: ${name} differs from js`);
    return results[0]!.r;
  }

  /** Frees the scratch taken since the last reset. */
  reset(): void { this.arena.reset(); }
}
