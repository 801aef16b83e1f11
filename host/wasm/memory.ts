// The shared kernel memory: one WebAssembly.Memory per process that every slice worker's kernels run over, the
// thread-safe page allocator whose state lives inside it, per-task bump arenas, and cached typed-array views.
// Column buffers, selection vectors, hash tables and other scratch all come from here (docs/kernel-abi.md).

import { SqlError, SqlState, internal } from '../common/errors.js';
import { keepShape } from '../common/keep-shape.js';

/** Bytes per WebAssembly page and per allocator page. */
export const PAGE_BYTES = 65536;
/** The largest memory a wasm32 module can address: 65536 pages. */
export const MAX_MEMORY_BYTES = 65536 * PAGE_BYTES;

/**
 * Layout of the control page [0, 64 KiB), which the allocator never hands out (so offset 0 means null):
 * bytes 0-63 unused; 64 lock word; 68 magic; 72 total pages; 76 pages in use; 80 first page that may be free;
 * 0x400-0x4FF the kernels' compaction LUT (written by kernels_init); 0x1000-0x2FFF the used-page bitmap;
 * 0x3000-0x4FFF the run-end bitmap (bit set on the last page of each allocated run).
 */
const LOCK = 16, MAGIC = 17, TOTAL = 18, IN_USE = 19, HINT = 20;
const MAGIC_VALUE = 0x57535041; // "WSPA"
const USED_WORD = 0x1000 >> 2, END_WORD = 0x3000 >> 2;

/**
 * A shared memory reserved up front (initial = maximum, so it never grows and no view is ever stale); the OS commits
 * pages only when they are touched. maxBytes is rounded up to whole pages and capped at 4 GiB.
 */
export function createSharedMemory(maxBytes: number = MAX_MEMORY_BYTES): WebAssembly.Memory {
  const pages = Math.max(2, Math.min(65536, Math.ceil(maxBytes / PAGE_BYTES)));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Typed-array views over the whole memory. Offsets passed to kernels are byte offsets: index = offset / size. */
export interface MemoryViews {
  buffer: ArrayBufferLike;
  u8: Uint8Array;
  i8: Int8Array;
  u16: Uint16Array;
  i16: Int16Array;
  u32: Uint32Array;
  i32: Int32Array;
  i64: BigInt64Array;
  u64: BigUint64Array;
  f32: Float32Array;
  f64: Float64Array;
}

const viewCache = new WeakMap<WebAssembly.Memory, MemoryViews>();

/** Cached views of `memory`, rebuilt when its buffer changed (a grow made by any thread). */
export function views(memory: WebAssembly.Memory): MemoryViews {
  const cached = viewCache.get(memory);
  const buffer = memory.buffer;
  if (cached !== undefined && cached.buffer.byteLength === buffer.byteLength) return cached;
  const v: MemoryViews = {
    buffer, u8: new Uint8Array(buffer), i8: new Int8Array(buffer), u16: new Uint16Array(buffer),
    i16: new Int16Array(buffer), u32: new Uint32Array(buffer), i32: new Int32Array(buffer),
    i64: new BigInt64Array(buffer), u64: new BigUint64Array(buffer), f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
  };
  viewCache.set(memory, v);
  return v;
}

function outOfMemory(bytes: number): SqlError {
  // PostgreSQL's wording (utils/mmgr/mcxt.c): "out of memory" with the request size in the detail.
  return new SqlError(SqlState.outOfMemory, 'out of memory', { detail: `Failed on request of size ${bytes} in the shared kernel memory.` });
}

/**
 * First-fit allocator of 64 KiB pages over a shared memory, usable from every thread at once: its whole state is
 * in the control page, guarded by a lock word (Atomics.compareExchange, Atomics.wait to back off).
 */
export class PageAllocator {
  private readonly i32: Int32Array;

  private constructor(readonly memory: WebAssembly.Memory) {
    this.i32 = new Int32Array(memory.buffer, 0, PAGE_BYTES / 4);
  }

  /** Formats the control page (once, by the thread that created the memory, before any other thread attaches). */
  static init(memory: WebAssembly.Memory): PageAllocator {
    const a = new PageAllocator(memory);
    const total = Math.min(65536, Math.floor(memory.buffer.byteLength / PAGE_BYTES));
    if (total < 2) throw internal('kernel memory needs at least two pages');
    a.i32.fill(0, USED_WORD, END_WORD + 2048);
    a.i32[TOTAL] = total;
    a.i32[IN_USE] = 1;
    a.i32[HINT] = 1;
    a.i32[USED_WORD] = 1; // page 0: the control page
    a.i32[END_WORD] = 1;
    Atomics.store(a.i32, LOCK, 0);
    Atomics.store(a.i32, MAGIC, MAGIC_VALUE);
    return a;
  }

  /** The allocator of a memory formatted by `init` (in any thread: the state is shared). */
  static attach(memory: WebAssembly.Memory): PageAllocator {
    const a = new PageAllocator(memory);
    if (Atomics.load(a.i32, MAGIC) !== MAGIC_VALUE) throw internal('kernel memory was not initialised by PageAllocator.init');
    return a;
  }

  /** Number of pages the allocator manages (page 0 included). */
  get totalPages(): number {
    return this.i32[TOTAL]!;
  }

  private lock(): void {
    const i32 = this.i32;
    while (Atomics.compareExchange(i32, LOCK, 0, 1) !== 0) Atomics.wait(i32, LOCK, 1, 1);
  }

  private unlock(): void {
    Atomics.store(this.i32, LOCK, 0);
    Atomics.notify(this.i32, LOCK, 1);
  }

  private used(p: number): boolean {
    return ((this.i32[USED_WORD + (p >>> 5)]! >>> (p & 31)) & 1) === 1;
  }

  private setBits(base: number, from: number, count: number, on: boolean): void {
    const i32 = this.i32;
    for (let p = from; p < from + count; p++) {
      const w = base + (p >>> 5), bit = 1 << (p & 31);
      i32[w] = on ? i32[w]! | bit : i32[w]! & ~bit;
    }
  }

  /**
   * Byte offset of `bytes` bytes (rounded up to whole pages) aligned to `align` (a power of two; every page is
   * 64 KiB aligned, larger alignments are honoured). Throws SqlError 53200 when no run of free pages is long enough.
   */
  alloc(bytes: number, align = 64): number {
    if (!(bytes > 0) || !Number.isFinite(bytes)) bytes = 1;
    const pages = Math.ceil(bytes / PAGE_BYTES);
    const step = Math.max(1, Math.ceil(align / PAGE_BYTES));
    this.lock();
    try {
      const i32 = this.i32;
      const total = i32[TOTAL]!;
      const hint = i32[HINT]!;
      let run = 0, start = -1;
      for (let p = hint; p < total; p++) {
        if (run === 0 && (p & 31) === 0 && i32[USED_WORD + (p >>> 5)] === -1) { p += 31; continue; }
        if (this.used(p)) { run = 0; continue; }
        if (run === 0) {
          if (p % step !== 0) continue;
          start = p;
        }
        if (++run === pages) break;
      }
      if (run < pages) throw outOfMemory(bytes);
      this.setBits(USED_WORD, start, pages, true);
      this.setBits(END_WORD, start + pages - 1, 1, true);
      i32[IN_USE] = i32[IN_USE]! + pages;
      if (start === hint) {
        let h = start + pages;
        while (h < total && this.used(h)) h++;
        i32[HINT] = h;
      }
      return start * PAGE_BYTES;
    } finally {
      this.unlock();
    }
  }

  /** Returns the run of pages starting at `ptr` (a value `alloc` returned). */
  free(ptr: number): void {
    if (ptr === 0) return;
    const first = ptr / PAGE_BYTES;
    this.lock();
    try {
      const i32 = this.i32;
      if (!Number.isInteger(first) || first < 1 || first >= i32[TOTAL]! || !this.used(first)) {
        throw internal(`free of ${ptr}, which is not an allocated page run`);
      }
      let last = first;
      while (((i32[END_WORD + (last >>> 5)]! >>> (last & 31)) & 1) === 0) last++;
      const pages = last - first + 1;
      this.setBits(USED_WORD, first, pages, false);
      this.setBits(END_WORD, last, 1, false);
      i32[IN_USE] = i32[IN_USE]! - pages;
      if (first < i32[HINT]!) i32[HINT] = first;
    } finally {
      this.unlock();
    }
  }

  /** Bytes currently handed out (the control page included). */
  bytesInUse(): number {
    return Atomics.load(this.i32, IN_USE) * PAGE_BYTES;
  }
}

/**
 * A bump allocator for one task's scratch (selection vectors, hash tables, key rows), owned by one thread. It takes
 * chunks of pages from the PageAllocator and gives them all back on reset().
 */
export class Arena {
  private readonly chunks: number[] = [];
  private cur = 0;
  private end = 0;
  private used = 0;

  /** chunkBytes: the size of each chunk taken from the allocator (bigger requests get a chunk of their own size). */
  constructor(readonly pages: PageAllocator, readonly chunkBytes = 1 << 20) {}

  /** Byte offset of `bytes` bytes aligned to `align` (a power of two, at most 64 KiB); contents are not zeroed. */
  alloc(bytes: number, align = 64): number {
    if (align > PAGE_BYTES || (align & (align - 1)) !== 0) throw internal(`arena alignment ${align} is not a power of two up to 64 KiB`);
    bytes = Math.max(1, Math.ceil(bytes));
    let p = (this.cur + align - 1) & -align;
    if (this.cur === 0 || p + bytes > this.end) {
      const size = Math.max(this.chunkBytes, bytes);
      const chunk = this.pages.alloc(size);
      this.chunks.push(chunk);
      p = chunk;
      this.end = chunk + Math.ceil(size / PAGE_BYTES) * PAGE_BYTES;
    }
    this.cur = p + bytes;
    this.used += bytes;
    return p;
  }

  /** Bytes handed out since the last reset (alignment padding excluded). */
  get bytesAllocated(): number {
    return this.used;
  }

  /** Gives every chunk back to the page allocator; earlier offsets become invalid. */
  reset(): void {
    for (const c of this.chunks) this.pages.free(c);
    this.chunks.length = 0;
    this.cur = this.end = this.used = 0;
  }
}

// An idle arena (it never allocates) keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new Arena(undefined as unknown as PageAllocator));
