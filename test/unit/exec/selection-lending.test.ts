// Selections lent instead of copied (host/exec/kernel-filter.ts selectionView, identityRows; host/exec/eval.ts
// evalPredicate's `into` buffer): the rows must equal a freshly allocated answer, a too-small buffer is never
// written past, and the copy selectionRows hands out is the caller's own (writing it changes no later answer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectorFromValues, type Batch } from '../../../host/batch/vector.js';
import { evalPredicate, type EvalContext } from '../../../host/exec/eval.js';
import { identityRows, planKernelFilter, runKernelSteps, selectionRows, selectionView, type KernelContext } from '../../../host/exec/kernel-filter.js';
import type { Expr } from '../../../host/plan/expr.js';
import { ChunkStore } from '../../../host/storage/chunk-store.js';
import { createSharedMemory } from '../../../host/wasm/memory.js';
import { instantiateKernels, loadKernelModules } from '../../../host/wasm/kernels.js';
import { T } from '../../../host/types/sql-type.js';

const store = new ChunkStore(createSharedMemory(64 * 1024 * 1024));
const k = instantiateKernels(loadKernelModules().simd, store.memory);
const CAP = 8192;
const kc: KernelContext = { k, memory: store.memory, selA: store.allocator.alloc(CAP * 4), selB: store.allocator.alloc(CAP * 4), capacity: CAP };
const ev: EvalContext = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: 0n, user: 'u', schema: 'public', database: 'd' } };

const x0: Expr = { k: 'col', idx: 0, type: T.int4 };
const lt = (v: number): Expr => ({ k: 'fn', name: 'lt', args: [x0, { k: 'const', value: v, type: T.int4 }], type: T.bool });
function batchOf(n: number): Batch {
  const x = Array.from({ length: n }, (_, i) => (i % 11 === 3 ? null : (i * 37) % 100));
  return store.decodeAll(store.encode({ columns: [vectorFromValues(T.int4, x)], length: n }));
}
const expected = (b: Batch, limit: number): number[] =>
  Array.from({ length: b.length }, (_, i) => i).filter((i) => { const v = (b.columns[0]!.data as Int32Array)[i]!; const valid = b.columns[0]!.valid; return (!valid || ((valid[i >> 3]! >> (i & 7)) & 1) === 1) && v < limit; });

test('evalPredicate into a caller buffer selects the rows a fresh array does, and ignores a buffer too small', () => {
  for (const n of [0, 1, 10, 1000, 5000]) {
    const b = batchOf(n);
    const want = expected(b, 40);
    const into = new Int32Array(n + 7).fill(-5);
    const got = evalPredicate(lt(40), b, ev, into);
    assert.equal(got.sel, into, `n ${n}: the buffer is used`);
    assert.deepEqual(Array.from(got.sel.subarray(0, got.count)), want, `n ${n}`);
    if (n === 0) continue;
    const small = new Int32Array(n - 1).fill(-5);
    const fresh = evalPredicate(lt(40), b, ev, small);
    assert.notEqual(fresh.sel, small);
    assert.ok(small.every((v) => v === -5), `n ${n}: a too-small buffer is left alone`);
    assert.deepEqual(Array.from(fresh.sel.subarray(0, fresh.count)), want);
  }
});

test('identityRows is 0..n-1 after growing and shrinking; selectionRows copies it', () => {
  for (const n of [5, 3000, 17, 9000, 0]) assert.deepEqual(Array.from(identityRows(n)), Array.from({ length: n }, (_, i) => i), `n ${n}`);
  const mine = selectionRows(kc, { at: 0, count: 10 });
  mine.fill(99);
  assert.deepEqual(Array.from(identityRows(10)), Array.from({ length: 10 }, (_, i) => i), 'writing the copy leaves the shared identity');
});

test('a kernel selection viewed in place equals its copy until the next filter, which the copy outlives', () => {
  const b = batchOf(6000);
  const first = runKernelSteps(planKernelFilter(lt(30)), b, kc, ev)!;
  const view = selectionView(kc, first), copy = selectionRows(kc, first);
  assert.equal(view.buffer, kc.memory.buffer, 'a view of shared memory, not a copy');
  assert.deepEqual(Array.from(view), expected(b, 30));
  assert.deepEqual(Array.from(copy), expected(b, 30));
  // The next filter of this thread reuses the buffers: the copy keeps the first answer.
  runKernelSteps(planKernelFilter(lt(70)), b, kc, ev);
  runKernelSteps(planKernelFilter(lt(70)), b, kc, ev);
  assert.deepEqual(Array.from(copy), expected(b, 30));
});
