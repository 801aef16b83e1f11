// Exchange batches in the shared memory: a slice worker copies the fixed-width columns and validity
// bitmaps of an exchange's rows into pages of the shared memory's page allocator and posts only a
// descriptor (offsets and types); the leader and the consuming slices view those pages in place.
// String and other JS-array columns travel in the descriptor by structured clone, as before
// (ADR 0008). Pages live until the statement ends: the runner frees them (host/cluster/runner.ts).
import type { Batch, Vector, VectorData } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { SqlType } from '../types/sql-type.js';
import type { PageAllocator } from '../wasm/memory.js';

type TypedKind = 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

/** One column of a shared batch: typed data at a byte offset of the memory, or a JS array (cloned). */
interface SharedVector {
  type: SqlType;
  length: number;
  data: { at: number; kind: TypedKind } | VectorData;
  /** Byte offset of the validity bitmap in the memory, a cloned bitmap, or null (no NULLs). */
  valid: number | Uint8Array | null;
}

/** What crosses threads for one batch: numbers and JS arrays only, never a view of the shared memory. */
export interface SharedBatch {
  readonly shared: true;
  /** The page run holding the batch's fixed-width buffers (0: none), freed when the statement ends. */
  readonly ptr: number;
  readonly length: number;
  readonly columns: SharedVector[];
}

function kindOf(d: unknown): TypedKind | null {
  if (d instanceof Uint8Array) return 'u8';
  if (d instanceof Int16Array) return 'i16';
  if (d instanceof Int32Array) return 'i32';
  if (d instanceof BigInt64Array) return 'i64';
  if (d instanceof Float32Array) return 'f32';
  if (d instanceof Float64Array) return 'f64';
  return null;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Copies a batch's fixed-width buffers into one page run of the shared memory and returns its
 * descriptor, or null when the memory has no room (the caller then posts a copy instead).
 */
export function toShared(b: Batch, pages: PageAllocator, memory: WebAssembly.Memory): SharedBatch | null {
  let bytes = 0;
  for (const c of b.columns) {
    const d = c.data as unknown as ArrayBufferView;
    if (kindOf(d) !== null) bytes += align8(d.byteLength);
    if (c.valid !== null) bytes += align8(c.valid.byteLength);
  }
  let ptr = 0;
  if (bytes > 0) {
    try {
      ptr = pages.alloc(bytes);
    } catch (e) {
      if (e instanceof SqlError && e.code === SqlState.outOfMemory) return null;
      throw e;
    }
  }
  const u8 = new Uint8Array(memory.buffer);
  let at = ptr;
  const put = (view: ArrayBufferView): number => {
    const start = at;
    u8.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), start);
    at += align8(view.byteLength);
    return start;
  };
  const columns = b.columns.map((c): SharedVector => {
    const kind = kindOf(c.data);
    const data = kind !== null ? { at: put(c.data as unknown as ArrayBufferView), kind } : c.data;
    const valid = c.valid !== null ? put(c.valid) : null;
    return { type: c.type, length: c.length, data, valid };
  });
  return { shared: true, ptr, length: b.length, columns };
}

/** A batch whose typed arrays view the descriptor's pages (valid until the statement ends). */
export function fromShared(s: SharedBatch, memory: WebAssembly.Memory): Batch {
  const buf = memory.buffer;
  const columns = s.columns.map((c): Vector => {
    const n = c.length;
    let data: VectorData;
    const d = c.data as { at?: number; kind?: TypedKind };
    if (typeof d.at === 'number' && d.kind !== undefined && !Array.isArray(c.data)) {
      switch (d.kind) {
        case 'u8': data = new Uint8Array(buf, d.at, n); break;
        case 'i16': data = new Int16Array(buf, d.at, n); break;
        case 'i32': data = new Int32Array(buf, d.at, n); break;
        case 'i64': data = new BigInt64Array(buf, d.at, n); break;
        case 'f32': data = new Float32Array(buf, d.at, n); break;
        case 'f64': data = new Float64Array(buf, d.at, n); break;
      }
    } else data = c.data as VectorData;
    const valid = typeof c.valid === 'number' ? new Uint8Array(buf, c.valid, (n + 7) >> 3) : c.valid;
    return { type: c.type, length: n, data, valid };
  });
  return { columns, length: s.length };
}

export function isShared(x: Batch | SharedBatch): x is SharedBatch {
  return (x as SharedBatch).shared === true;
}
