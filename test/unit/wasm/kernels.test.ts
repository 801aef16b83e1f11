// Kernel modules: the exports match KernelExports, modules load once, instances in two threads share one memory,
// and warmKernels runs every hot kernel without leaking arena pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { loadKernelModules, instantiateKernels, warmKernels, jsKernels, KERNEL_NAMES } from '../../../host/wasm/kernels.js';
import { createSharedMemory, PageAllocator, Arena, views } from '../../../host/wasm/memory.js';

test('both builds export exactly the KernelExports names, and the JS reference implements them all', () => {
  const mods = loadKernelModules();
  assert.equal(loadKernelModules(), mods, 'compiled once');
  for (const mod of [mods.simd, mods.scalar]) {
    const names = WebAssembly.Module.exports(mod).filter((e) => e.kind === 'function').map((e) => e.name).sort();
    assert.deepEqual(names, [...KERNEL_NAMES].sort());
    const imports = WebAssembly.Module.imports(mod);
    assert.deepEqual(imports.map((i) => `${i.module}.${i.name}:${i.kind}`), ['env.memory:memory']);
  }
  const js = jsKernels(createSharedMemory(1 << 20)) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const wasm = instantiateKernels(mods.simd, createSharedMemory(1 << 20)) as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of KERNEL_NAMES) {
    assert.equal(typeof js[name], 'function', name);
    // same arity (a defaulted trailing parameter does not count in a JS function's length)
    const optional = name === 'dec_rescale_up_i64' ? 1 : 0;
    assert.equal(js[name]!.length + optional, wasm[name]!.length, `${name} arity`);
  }
});

test('a worker instance filters a column the main thread wrote, into the same memory', async () => {
  const memory = createSharedMemory(16 << 20);
  const pages = PageAllocator.init(memory);
  const n = 100000;
  const col = pages.alloc(4 * n), sel = pages.alloc(4 * n);
  const v = views(memory);
  for (let i = 0; i < n; i++) v.i32[col / 4 + i] = i % 10;
  const url = new URL('../../../host/wasm/kernels.js', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(url)}).then(({ instantiateKernels }) => {
      const k = instantiateKernels(workerData.module, workerData.memory);
      parentPort.postMessage(k.filter_cmp_i32(0, workerData.col, 0, workerData.n, 3, 0, 0, workerData.sel));
    });`;
  const count = await new Promise<number>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { module: loadKernelModules().simd, memory, col, sel, n } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(count, n / 10);
  assert.deepEqual(Array.from(v.i32.subarray(sel / 4, sel / 4 + 3)), [3, 13, 23]);
});

test('warmKernels runs on an arena and its pages come back on reset', () => {
  const memory = createSharedMemory(64 << 20);
  const pages = PageAllocator.init(memory);
  const arena = new Arena(pages);
  const k = instantiateKernels(loadKernelModules().simd, memory);
  warmKernels(k, arena, 4);
  arena.reset();
  assert.equal(pages.bytesInUse(), 65536);
});

test('kernels work on buffers above 2 GiB (i32 offsets >= 2^31 pass through unchanged)', () => {
  const memory = createSharedMemory(2 ** 31 + (4 << 20));
  const pages = PageAllocator.init(memory);
  const low = pages.alloc(2 ** 31 - 65536); // pages 1 .. 32767, never touched so never committed
  const n = 1000;
  const col = pages.alloc(4 * n), sel = pages.alloc(4 * n), keys = pages.alloc(8 * n), out = pages.alloc(8 * n);
  assert.ok(col >= 2 ** 31 && sel >= 2 ** 31, `${col} is above 2 GiB`);
  const v = views(memory);
  for (let i = 0; i < n; i++) v.i32[col / 4 + i] = i % 7;
  for (const k of [instantiateKernels(loadKernelModules().simd, memory), instantiateKernels(loadKernelModules().scalar, memory), jsKernels(memory)]) {
    assert.equal(k.filter_cmp_i32(0, col, 0, n, 3, 0, 0, sel), 143);
    assert.deepEqual(Array.from(v.i32.subarray(sel / 4, sel / 4 + 2)), [3, 10]);
    k.key_put_i32(col, n, keys, 1, 0);
    k.hash_rows(keys, 1, n, out);
    assert.equal(v.u64[out / 8 + 3], v.u64[out / 8 + 10]);
  }
  pages.free(low);
});
