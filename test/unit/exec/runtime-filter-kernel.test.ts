// The filter_runtime_* kernels (kernels/filter/runtime.ts) through RuntimeFilterProbe.testInPlace, in both WASM
// builds and the JS reference, against the host's own test (passingRows in host/exec/runtime-filter.ts) on the same
// key vector: the same rows, bit for bit, for int2/int4/int8 key columns with and without NULLs, bitmap and bloom
// filters, keys beyond 32 and 53 bits and at the ends of int8, filters whose range stops just inside or reaches
// +-2^53 (the int8 kernels skip their per-row 2^53 test inside), an empty build side, every row or an input
// selection (empty, full, sparse), chunk lengths around the kernels' 8- and 16-row steps, and the trial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectorFromValues, bitmapBytes, type Vector } from '../../../host/batch/vector.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import { buildRuntimeFilter, passingRows, RuntimeFilterProbe, type KeyColumnAt, type RuntimeFilter } from '../../../host/exec/runtime-filter.js';
import type { KernelContext, KernelSelection } from '../../../host/exec/kernel-filter.js';
import { createSharedMemory, PageAllocator } from '../../../host/wasm/memory.js';
import { instantiateKernels, jsKernels, loadKernelModules } from '../../../host/wasm/kernels.js';

const CAPACITY = 70_000;
const memory = createSharedMemory(64 << 20);
const pages = PageAllocator.init(memory);
const mods = loadKernelModules();
const builds: [string, KernelContext['k']][] = [
  ['simd', instantiateKernels(mods.simd, memory)],
  ['scalar', instantiateKernels(mods.scalar, memory)],
  ['js', jsKernels(memory)],
];
const selA = pages.alloc(CAPACITY * 4), selB = pages.alloc(CAPACITY * 4);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** Copies a key vector's values and validity into shared memory, as a chunk's fixed-width column. */
function toMemory(v: Vector, type: SqlType): { key: KeyColumnAt; free: () => void } {
  const data = v.data as unknown as ArrayBufferView;
  const values = pages.alloc(Math.max(8, data.byteLength));
  new Uint8Array(memory.buffer, values, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  let valid = 0;
  if (v.valid) { valid = pages.alloc(bitmapBytes(v.length)); new Uint8Array(memory.buffer, valid, bitmapBytes(v.length)).set(v.valid.subarray(0, bitmapBytes(v.length))); }
  const phys = type.id === 'int2' ? 'i16' : type.id === 'int4' ? 'i32' : 'i64';
  return { key: { values, valid, phys }, free: () => { pages.free(values); if (valid) pages.free(valid); } };
}

/** The rows the kernel keeps of `rows` (null: every row), read back from shared memory. */
function kernelRows(k: KernelContext['k'], f: RuntimeFilter, key: KeyColumnAt, n: number, rows: Int32Array | null): number[] {
  const kc: KernelContext = { k, memory, selA, selB, capacity: CAPACITY };
  let s: KernelSelection = { at: 0, count: n };
  if (rows) { new Int32Array(memory.buffer, selA, rows.length).set(rows); s = { at: selA, count: rows.length }; }
  const probe = new RuntimeFilterProbe(f, 0);
  try {
    const out = probe.testInPlace(kc, key, n, s);
    if (out.at === 0) return Array.from({ length: out.count }, (_, i) => i);
    return [...new Int32Array(memory.buffer, out.at, out.count)];
  } finally {
    probe.release();
  }
}

/** The host's rows: passingRows over the whole vector, restricted to `rows`. */
function hostRows(f: RuntimeFilter, v: Vector, rows: Int32Array | null): number[] {
  const pass = [...passingRows(f, v)];
  if (!rows) return pass;
  const keep = new Set(pass);
  return [...rows].filter((r) => keep.has(r));
}

/** Selections to test a column of n rows under: every row, none, all listed, a sparse ascending subset. */
function selections(n: number, r: () => number): (Int32Array | null)[] {
  const sparse = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter(() => r() < 0.3));
  return [null, new Int32Array(0), Int32Array.from({ length: n }, (_, i) => i), sparse];
}

function check(label: string, f: RuntimeFilter, type: SqlType, values: (number | bigint | null)[]): void {
  const r = rng(values.length + 17);
  const v = vectorFromValues(type, values);
  const { key, free } = toMemory(v, type);
  try {
    for (const rows of selections(values.length, r)) {
      const want = hostRows(f, v, rows);
      for (const [name, k] of builds) {
        assert.deepEqual(kernelRows(k, f, key, values.length, rows), want, `${label} ${type.id} ${name} rows ${rows ? rows.length : 'all'}`);
      }
    }
  } finally {
    free();
  }
}

const int8 = (xs: (number | bigint | null)[]) => xs.map((x) => (x === null ? null : BigInt(x)));

test('bitmap filters: int2, int4 and int8 key columns, with NULLs, every chunk length around the kernel steps', () => {
  const r = rng(1);
  const build = Array.from({ length: 400 }, (_, i) => (i % 40 === 0 ? null : Math.floor(r() * 20_000) - 3000));
  const f = buildRuntimeFilter([vectorFromValues(T.int4, build)], 'number');
  assert.ok(f.kind === 'number' && f.bitmap !== null);
  for (const n of [1, 7, 8, 15, 16, 17, 33, 1000, 65_537]) {
    const probe = Array.from({ length: n }, (_, i) => (i % 13 === 5 ? null : Math.floor(r() * 26_000) - 5000));
    check(`bitmap n=${n}`, f, T.int4, probe);
    check(`bitmap n=${n}`, f, T.int8, int8(probe));
    const notNull = probe.map((x) => x ?? 0);
    check(`bitmap no NULLs n=${n}`, f, T.int4, notNull);
    if (n <= 1000) check(`bitmap n=${n}`, f, T.int2, probe.map((x) => (x === null ? null : Math.max(-32768, Math.min(32767, x)))));
  }
});

test('bloom filters: keys beyond 32 and 53 bits, negative keys and the ends of int8 give the host\'s answer', () => {
  const r = rng(2);
  const build: bigint[] = [];
  for (let i = 0; i < 3000; i++) build.push(BigInt(Math.floor(r() * 1e6)) * 1_000_000_007n - 5_000_000_000_000n);
  // beyond 2^53: the host tests these as (rounded) doubles, the kernel must agree
  for (let i = 0; i < 200; i++) build.push((1n << 60n) + BigInt(Math.floor(r() * 1e9)) * 4097n, -(1n << 58n) - BigInt(i) * 77n);
  build.push(0x7fffffffffffffffn, -0x8000000000000000n, 12345n);
  const f = buildRuntimeFilter([vectorFromValues(T.int8, build)], 'number');
  assert.ok(f.kind === 'number' && f.bloom !== null);
  const probe: (bigint | null)[] = [];
  for (let i = 0; i < 20_000; i++) {
    const pick = r();
    probe.push(i % 29 === 0 ? null : pick < 0.3 ? build[Math.floor(r() * build.length)]! : pick < 0.4 ? build[Math.floor(r() * build.length)]! + 1n
      : pick < 0.5 ? BigInt(Math.floor(r() * 4e9)) - 2_000_000_000n : BigInt(Math.floor(r() * 1e6)) * 1_000_000_007n - 5_000_000_000_000n + 3n);
  }
  probe.push(0x7fffffffffffffffn, -0x8000000000000000n, 0x7ffffffffffffff0n);
  check('bloom', f, T.int8, probe);
  // an int4 column probing an int8 build side: 32-bit keys hashed as their 64-bit words
  const small = buildRuntimeFilter([vectorFromValues(T.int8, Array.from({ length: 2000 }, () => BigInt(Math.floor(r() * 4e9) - 2e9)))], 'number');
  assert.ok(small.kind === 'number' && small.bloom !== null);
  check('bloom int4', small, T.int4, Array.from({ length: 5000 }, (_, i) => (i % 31 === 0 ? null : Math.floor(r() * 4e9) - 2e9)));
});

test('a blocked bloom keeps every build key and few others: dense, strided and clustered int8 keys', () => {
  const r = rng(3);
  // keys the size of TPC-H orderkeys (a bloom, not a bitmap: 20 000 keys spread over 60 000 000 values), keys on a
  // stride of 2^20 (their low bits all equal) and a run of consecutive keys: each must spread over the bloom's words
  const shapes: [string, bigint[]][] = [
    ['random', Array.from({ length: 20_000 }, () => BigInt(Math.floor(r() * 60_000_000)))],
    ['strided', Array.from({ length: 40_000 }, (_, i) => BigInt(i) << 20n)],
    ['consecutive', Array.from({ length: 40_000 }, (_, i) => 3_000_000_000n + BigInt(i) * 600n)],
  ];
  for (const [label, build] of shapes) {
    const f = buildRuntimeFilter([vectorFromValues(T.int8, build)], 'number');
    assert.ok(f.kind === 'number' && f.bloom !== null, `${label}: a bloom`);
    const keys = new Set(build);
    const lo = build.reduce((a, b) => (a < b ? a : b)), hi = build.reduce((a, b) => (a > b ? a : b));
    const probe: bigint[] = [...build];
    const others: bigint[] = [];
    while (others.length < 60_000) {
      const x = lo + BigInt(Math.floor(r() * Number(hi - lo)));
      if (!keys.has(x)) others.push(x);
    }
    probe.push(...others);
    const passed = new Set(passingRows(f, vectorFromValues(T.int8, probe)));
    for (let i = 0; i < build.length; i++) assert.ok(passed.has(i), `${label}: build key ${build[i]} passes`);
    const falsePositives = passed.size - build.length;
    // 16 bits and three bits per key in one 64-bit word: about 1% of other keys pass; 3% means the hash is broken
    assert.ok(falsePositives < others.length * 0.03, `${label}: ${falsePositives} of ${others.length} other keys passed`);
    check(`bloom ${label}`, f, T.int8, probe.slice(35_000, 45_000));
  }
});

test('a bitmap over keys beyond 2^53 and an empty build side', () => {
  const base = 1n << 55n;
  // dense around 2^55: doubles there are 8 apart, so the bitmap holds rounded keys
  const build = Array.from({ length: 500 }, (_, i) => base + BigInt(i * 64));
  const f = buildRuntimeFilter([vectorFromValues(T.int8, build)], 'number');
  assert.ok(f.kind === 'number' && f.bitmap !== null);
  check('bitmap beyond 2^53', f, T.int8, Array.from({ length: 3000 }, (_, i) => (i % 11 === 0 ? null : base + BigInt(i * 13 - 1000))));
  const none = buildRuntimeFilter([vectorFromValues(T.int4, [null, null])], 'number');
  check('empty build side', none, T.int4, [0, 1, -1, null, 2 ** 31 - 1]);
  check('empty build side', none, T.int8, int8([0, 1, -1, null, 2 ** 53]));
});

test('int8 keys at and beyond 2^53 against filters whose range stops just inside or reaches 2^53', () => {
  const two53 = 1n << 53n;
  // just inside: every build key is exact as a double, so the kernel tests int8 keys without the per-row 2^53 check;
  // reaching 2^53 (and -2^53): it keeps the check, and 2^53 + 1 passes as the host's rounded double does
  const edges = [two53 - 5n, two53 - 1n, two53, two53 + 1n, two53 + 2n, two53 + 8n, -two53 + 1n, -two53, -two53 - 1n, -two53 - 2n,
    0x7fffffffffffffffn, -0x8000000000000000n, 0n, 12n];
  for (const [label, build] of [
    ['bitmap inside', Array.from({ length: 300 }, (_, i) => two53 - 1n - BigInt(i * 3))],
    ['bitmap at 2^53', Array.from({ length: 300 }, (_, i) => two53 - BigInt(i * 3))],
    ['bitmap at -2^53', Array.from({ length: 300 }, (_, i) => -two53 + BigInt(i * 3))],
    ['bloom inside', Array.from({ length: 3000 }, (_, i) => (i % 2 ? two53 - 1n - BigInt(i) * 1_000_003n : -two53 + 1n + BigInt(i) * 999_983n))],
  ] as [string, bigint[]][]) {
    const f = buildRuntimeFilter([vectorFromValues(T.int8, build)], 'number');
    const probe: (bigint | null)[] = [...edges, ...build.slice(0, 50), ...build.slice(0, 50).map((x) => x + 1n)];
    for (let i = 0; i < 40; i++) probe.push(i % 7 === 0 ? null : (i % 2 ? two53 : -two53) + BigInt(i - 20));
    check(label, f, T.int8, probe);
  }
});

test('testInPlace counts toward the trial, returns the input selection when every row passes, and frees its memory', () => {
  const before = pages.bytesInUse();
  const k = builds[0]![1];
  const kc: KernelContext = { k, memory, selA, selB, capacity: CAPACITY };
  const all = vectorFromValues(T.int4, Array.from({ length: 70_000 }, (_, i) => i % 1000));
  const { key, free } = toMemory(all, T.int4);
  try {
    const wide = new RuntimeFilterProbe(buildRuntimeFilter([vectorFromValues(T.int4, Array.from({ length: 1000 }, (_, i) => i))], 'number'), 0);
    const s = { at: 0, count: 70_000 };
    assert.equal(wide.testInPlace(kc, key, 70_000, s), s, 'every row passed: the same selection');
    assert.equal(wide.active, false, 'a filter that keeps every row stops after its trial');
    wide.release();
    const narrow = new RuntimeFilterProbe(buildRuntimeFilter([vectorFromValues(T.int4, [1, 2, 3])], 'number'), 0);
    const out = narrow.testInPlace(kc, key, 70_000, s);
    assert.equal(out.count, 210);
    assert.equal(out.at, selA, 'written to the buffer the input selection is not in');
    assert.equal(narrow.testInPlace(kc, key, 70_000, out), out, 'tested again, every row passes: the same selection');
    const fewer = new RuntimeFilterProbe(buildRuntimeFilter([vectorFromValues(T.int4, [2])], 'number'), 0);
    const again = fewer.testInPlace(kc, key, 70_000, out);
    assert.deepEqual([again.at, again.count], [selB, 70], 'narrowed from selA into selB');
    fewer.release();
    assert.equal(narrow.active, true);
    narrow.release();
  } finally {
    free();
  }
  assert.equal(pages.bytesInUse(), before, 'the descriptors were freed');
});
