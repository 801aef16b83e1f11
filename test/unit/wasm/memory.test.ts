// The shared kernel memory: page allocator (runs, reuse, alignment, out of memory, two threads at once), arenas and
// cached views.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createSharedMemory, PageAllocator, Arena, views, PAGE_BYTES } from '../../../host/wasm/memory.js';
import { SqlError } from '../../../host/common/errors.js';

test('createSharedMemory reserves a shared memory of the requested size', () => {
  const m = createSharedMemory(3 * PAGE_BYTES + 1);
  assert.ok(m.buffer instanceof SharedArrayBuffer);
  assert.equal(m.buffer.byteLength, 4 * PAGE_BYTES);
});

test('PageAllocator: page runs never overlap, are reused after free, and 0 is never returned', () => {
  const m = createSharedMemory(64 * PAGE_BYTES);
  const a = PageAllocator.init(m);
  assert.equal(a.bytesInUse(), PAGE_BYTES);
  const p1 = a.alloc(10), p2 = a.alloc(PAGE_BYTES + 1), p3 = a.alloc(3 * PAGE_BYTES);
  for (const p of [p1, p2, p3]) { assert.ok(p > 0); assert.equal(p % PAGE_BYTES, 0); }
  assert.equal(p2, p1 + PAGE_BYTES);
  assert.equal(p3, p2 + 2 * PAGE_BYTES);
  assert.equal(a.bytesInUse(), 7 * PAGE_BYTES);
  a.free(p2);
  assert.equal(a.bytesInUse(), 5 * PAGE_BYTES);
  assert.equal(a.alloc(PAGE_BYTES), p2, 'first fit reuses the freed run');
  assert.equal(a.alloc(2 * PAGE_BYTES), p3 + 3 * PAGE_BYTES, 'a 2-page run does not fit in the 1-page hole');
  const b = PageAllocator.attach(m);
  assert.equal(b.bytesInUse(), a.bytesInUse());
  b.free(p1);
  assert.equal(a.alloc(1), p1, 'state is shared between attached handles');
  assert.throws(() => a.free(p1 + 5), SqlError);
  const big = a.alloc(PAGE_BYTES, 8 * PAGE_BYTES);
  assert.equal(big % (8 * PAGE_BYTES), 0);
});

test('PageAllocator: out of memory is SQLSTATE 53200, and freeing makes room again', () => {
  const m = createSharedMemory(8 * PAGE_BYTES);
  const a = PageAllocator.init(m);
  const all = a.alloc(7 * PAGE_BYTES);
  assert.throws(() => a.alloc(1), (e: unknown) => e instanceof SqlError && e.code === '53200' && e.message === 'out of memory');
  a.free(all);
  assert.equal(a.alloc(7 * PAGE_BYTES), all);
});

test('PageAllocator: two threads allocating at once never share a page', async () => {
  const m = createSharedMemory(256 * PAGE_BYTES);
  const a = PageAllocator.init(m);
  const url = new URL('../../../host/wasm/memory.js', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(url)}).then(({ PageAllocator }) => {
      const a = PageAllocator.attach(workerData.memory);
      const u32 = new Uint32Array(workerData.memory.buffer);
      let bad = 0;
      for (let i = 0; i < 2000; i++) {
        const pages = 1 + (i % 3);
        const p = a.alloc(pages * 65536);
        const tag = workerData.id * 1000000 + i;
        for (let q = 0; q < pages; q++) u32[(p + q * 65536) / 4] = tag;
        for (let q = 0; q < pages; q++) if (u32[(p + q * 65536) / 4] !== tag) bad++;
        a.free(p);
      }
      parentPort.postMessage(bad);
    });`;
  const run = (id: number) => new Promise<number>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { memory: m, id } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  const bad = await Promise.all([run(1), run(2), run(3)]);
  assert.deepEqual(bad, [0, 0, 0]);
  assert.equal(a.bytesInUse(), PAGE_BYTES);
});

test('Arena: aligned bump allocation over chunks, big requests, reset returns every page', () => {
  const m = createSharedMemory(64 * PAGE_BYTES);
  const pages = PageAllocator.init(m);
  const arena = new Arena(pages, 2 * PAGE_BYTES);
  const x = arena.alloc(3, 1), y = arena.alloc(10, 64), z = arena.alloc(8, 8);
  assert.equal(y % 64, 0);
  assert.ok(y >= x + 3 && z >= y + 10);
  const big = arena.alloc(5 * PAGE_BYTES);
  assert.ok(big % 64 === 0);
  const after = arena.alloc(100);
  assert.ok(after > 0);
  assert.ok(pages.bytesInUse() >= 8 * PAGE_BYTES);
  assert.equal(arena.bytesAllocated, 3 + 10 + 8 + 5 * PAGE_BYTES + 100);
  arena.reset();
  assert.equal(pages.bytesInUse(), PAGE_BYTES);
  assert.throws(() => arena.alloc(8, 3), SqlError);
});

test('views are cached and refreshed after a grow', () => {
  const m = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
  const v1 = views(m);
  assert.equal(views(m), v1);
  m.grow(1);
  const v2 = views(m);
  assert.notEqual(v2, v1);
  assert.equal(v2.u8.length, 2 * PAGE_BYTES);
  assert.equal(v2.f64.length, 2 * PAGE_BYTES / 8);
});
