// decodeRowsAt (host/storage/chunk.ts): a chunk's fixed-width columns gathered by the gather_* kernels (both WASM
// builds and the JS reference) from a selection in shared memory equal decodeRows' JS gather and the source values:
// every fixed-width type, NULLs or none, empty, sparse, full and unordered selections, odd lengths; a variable-width
// column is left to decodeRows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToRows, vectorFromValues, type Batch, type Vector } from '../../../host/batch/vector.js';
import { decodeRows, decodeRowsAt, encodeChunk } from '../../../host/storage/chunk.js';
import { createSharedMemory, PageAllocator } from '../../../host/wasm/memory.js';
import { instantiateKernels, jsKernels, loadKernelModules } from '../../../host/wasm/kernels.js';
import { T } from '../../../host/types/sql-type.js';

const memory = createSharedMemory(64 << 20);
const pages = PageAllocator.init(memory);
const mods = loadKernelModules();
const builds = [
  ['simd', instantiateKernels(mods.simd, memory)],
  ['scalar', instantiateKernels(mods.scalar, memory)],
  ['js', jsKernels(memory)],
] as const;

const TYPES = [T.bool, T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric(15, 2), T.date, T.timestamp];

function rowsOf(n: number, nulls: boolean): unknown[][] {
  return Array.from({ length: n }, (_, i) => {
    const z = nulls && i % 7 === 3;
    return [z ? null : i % 2 === 0, z ? null : (i * 37) % 32767 - 200, z ? null : i * 1001 - 7, z ? null : BigInt(i) * 10000000019n - 5n,
      z ? null : Math.fround(i / 3), z ? null : i / 7 - 1, z ? null : BigInt(i * 101 - 50), z ? null : 18000 + i, z ? null : BigInt(i) * 86400000000n];
  });
}

const table = (v: Vector): unknown[][] => batchToRows({ columns: [v], length: v.length });

test('decodeRowsAt equals decodeRows and the source rows for every fixed-width type and selection', () => {
  for (const n of [1, 9, 100, 4099]) {
    for (const nulls of [false, true]) {
      const rows = rowsOf(n, nulls);
      const b: Batch = { columns: TYPES.map((t, c) => vectorFromValues(t, rows.map((r) => r[c]))), length: n };
      const d = encodeChunk(b, memory, pages, false);
      const sels = [
        [] as number[],
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1),
        Array.from({ length: Math.min(n, 50) }, (_, i) => (i * 7919) % n),
      ];
      for (const sel of sels) {
        const selAt = pages.alloc(Math.max(4, sel.length * 4)), out = pages.alloc(Math.max(8, sel.length * 8)), bits = pages.alloc(sel.length / 8 + 8);
        new Int32Array(memory.buffer, selAt, sel.length).set(sel);
        for (let c = 0; c < TYPES.length; c++) {
          const want = decodeRows(d, c, memory, sel, sel.length);
          assert.deepEqual(table(want), sel.map((r) => [rows[r]![c] ?? null]), `decodeRows ${TYPES[c]!.id}`);
          for (const [name, k] of builds) {
            const got = decodeRowsAt(d, c, memory, k, selAt, sel.length, out, bits)!;
            const label = `${name} ${TYPES[c]!.id} n=${n} nulls=${nulls} sel=${sel.length}`;
            assert.equal(got.data.constructor, want.data.constructor, label);
            assert.ok(!((got.data as unknown as ArrayBufferView).buffer instanceof SharedArrayBuffer), `${label}: copied out of the shared memory`);
            assert.deepEqual(table(got), table(want), label);
            assert.equal(got.valid === null, want.valid === null, `${label}: a validity bitmap only with NULLs among the rows`);
          }
        }
        pages.free(selAt); pages.free(out); pages.free(bits);
      }
      pages.free(d.base);
    }
  }
});

test('decodeRowsAt leaves dictionary and UTF-8 columns to decodeRows', () => {
  const d = encodeChunk({ columns: [vectorFromValues(T.text, ['a', 'b', 'a']), vectorFromValues(T.text, ['x', 'yy', 'zzz'])], length: 3 }, memory, pages, false);
  const selAt = pages.alloc(16);
  assert.equal(decodeRowsAt(d, 0, memory, builds[0][1], selAt, 1, selAt, selAt), undefined);
  assert.equal(decodeRowsAt(d, 1, memory, builds[0][1], selAt, 1, selAt, selAt), undefined);
  pages.free(selAt); pages.free(d.base);
});
