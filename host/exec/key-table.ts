// Dense group ids numbered in WebAssembly for GROUP BY keys of fixed-width integers (ADR 0028): the open-addressing
// table and each group's key words live in pages of the shared kernel memory, and kernels/agg/key-table.ts numbers
// the rows. One table per aggregation serves both of its paths: batch vectors (host/exec/group-index.ts copies
// them into the memory) and the fused scan-aggregate's chunk columns, read in place (host/exec/scan-agg.ts).
import type { Vector } from '../batch/vector.js';
import { internal } from '../common/errors.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import type { KernelExports } from '../wasm/kernel-exports.js';
import { PageAllocator, views } from '../wasm/memory.js';

/** The kernels and memory a KeyTable runs on (host/exec/kernel-filter.ts KernelContext has both). */
export interface KeyKernels { k: KernelExports; memory: WebAssembly.Memory }

/** Key columns per table at most: the NULL-bits word has a bit per column (kept well inside 32). */
const MAX_KEY_COLS = 16;

/** Slots a table starts with; it doubles so that groups stay below half of them. */
const FIRST_SLOTS = 1024;

/** The kernel's state: eight i32, then three per closed ordered run (kernels/agg/key-table.ts). */
const STATE_BYTES = 64 + 16 * 12;

/** The kernel's modes (state word 2, kernels/agg/key-table.ts). */
const MODE = { hashed: 0, ordered: 1, wantsTable: 2, direct: 3 } as const;

/** Increasing runs the kernel's ordered mode follows (kernels/agg/key-table.ts MAX_RUNS). */
const MAX_RUNS = 16;

/** Widest range of values one column numbers through a direct array (4 MiB of group ids). */
const DIRECT_SPAN = 1 << 20;

/** The least and greatest value of a call's key rows (NULL rows may count or not: a wider range is safe). */
export interface ValueRange { min: number; max: number }

/** Bytes per table slot (kernels/agg/key-table.ts SLOT). */
const SLOT_BYTES = 16;

/**
 * Whether GROUP BY keys of these types go through a KeyTable: every key an integer the kernel reads as one
 * word (int2, int4, date, int8, timestamp, NUMERIC of at most 18 digits, which always fits int64), where equal
 * SQL values are equal words (a column's batches share one scale).
 */
export function keyTableTakes(types: readonly SqlType[]): boolean {
  if (types.length === 0 || types.length > MAX_KEY_COLS) return false;
  return types.every((t) => {
    switch (t.id) {
      case 'int2': case 'int4': case 'date': case 'int8': case 'timestamp': case 'timestamptz': return true;
      case 'numeric': return t.precision !== undefined && t.precision <= 18;
      default: return false;
    }
  });
}

const allocators = new WeakMap<WebAssembly.Memory, PageAllocator>();
/** The page allocator of the shared kernel memory (its state lives in the memory, any thread may attach). */
export function pageAllocatorOf(memory: WebAssembly.Memory): PageAllocator {
  let a = allocators.get(memory);
  if (a === undefined) { a = PageAllocator.attach(memory); allocators.set(memory, a); }
  return a;
}

/** Byte width of a key type's values in a column (2, 4 or 8). */
const widthOf = (t: SqlType): number => { const p = physicalOf(t); return p === 'i16' ? 2 : p === 'i32' ? 4 : 8; };

/**
 * Group ids 0, 1, 2, ... in first-seen order for tuples of integer keys, NULLs grouped together (GROUP BY treats
 * NULLs as equal: PostgreSQL docs, "GROUP BY Clause"). Its memory comes from the shared memory's page allocator
 * and goes back with `free` (the aggregation calls it when it ends, also on error).
 */
export class KeyTable {
  /** Groups so far. */
  count = 0;
  private readonly pages: PageAllocator;
  private readonly ncols: number;
  /** i64 words per group's key: one per column, plus a NULL-bits word with several columns. */
  private readonly words: number;
  private table = 0;
  private mask = -1;
  private keys = 0;
  /** Groups `keys` has room for. */
  private keyCap = 0;
  /** 16 bytes: i32 groups so far, i32 the NULL key's group (one column), then the column descriptors' scratch. */
  private state = 0;
  /** Scratch for batch vectors copied into the memory (descriptors, values, validity, group ids out). */
  private scratch = 0;
  private scratchBytes = 0;
  constructor(private readonly kc: KeyKernels, readonly types: readonly SqlType[]) {
    this.pages = pageAllocatorOf(kc.memory);
    this.ncols = types.length;
    this.words = this.ncols === 1 ? 1 : this.ncols + 1;
    this.state = this.pages.alloc(STATE_BYTES);
    const i32 = views(kc.memory).i32;
    i32.fill(0, this.state >> 2, (this.state + STATE_BYTES) >> 2);
    i32[(this.state >> 2) + 1] = -1;
    i32[(this.state >> 2) + 5] = -1;
    // One column picks direct or ordered mode at its first rows; several hash from the start.
    this.mode = this.ncols > 1 ? 'hashed' : 'new';
    i32[(this.state >> 2) + 2] = MODE.hashed;
  }
  /**
   * How the kernel numbers: through the hash table; one column in direct mode (an array over the range of its
   * values) or ordered mode (a merge of increasing runs, ADR 0018), each until its values no longer suit it;
   * 'new' before the first rows of one column.
   */
  private mode: 'new' | 'direct' | 'ordered' | 'hashed';
  /** How the kernel numbers now (tests read it). */
  get numbering(): 'new' | 'direct' | 'ordered' | 'hashed' { return this.mode; }
  /** Direct mode's array (an i32 group per value from directBase, -1: none), its span and the rows seen. */
  private direct = 0;
  private directBase = 0;
  private directSpan = 0;
  private rowsSeen = 0;

  /** The group of the NULL key with one key column (-1: none yet). */
  private get nullGroup(): number { return views(this.kc.memory).i32[(this.state >> 2) + 1]!; }

  /**
   * Numbers rows sel[0..n) (an address of i32 row numbers; 0: rows 0..n-1) of the key columns described at
   * `colsAt` (per column three i32: values address, validity address or 0, byte width), writing each row's
   * group id at `outAt`. Addresses are byte offsets into the shared memory.
   */
  assignAt(colsAt: number, selAt: number, n: number, outAt: number, range: ValueRange | null): void {
    if (this.ncols === 1) this.pickMode(range, n);
    let done = 0;
    while (done < n) {
      this.reserve(this.count + n - done);
      const direct = this.mode === 'direct';
      const stop = this.kc.k.key_gids(colsAt, this.ncols, selAt, done, n, direct ? this.direct : this.table,
        direct ? this.directSpan : this.mask, this.keys, this.state, this.limit(), outAt);
      const i32 = views(this.kc.memory).i32;
      this.count = i32[this.state >> 2]!;
      if (stop === n) break;
      // Ordered mode ended: the table is built from every key so far and the rows go on from there.
      if (i32[(this.state >> 2) + 2] !== MODE.wantsTable || stop < done) throw internal(`key_gids stopped at row ${stop} of ${n} with room reserved`);
      this.toHashed();
      done = stop;
    }
  }

  /**
   * One column, before a call over values within `range` (null: unknown): the first call enters direct mode when
   * the range is narrow (DIRECT_SPAN, and at most 16 values per row seen so far, as ColumnCoder.codeDirect does),
   * else ordered mode; direct mode widens its array while that stays so, and otherwise leaves for the hash table.
   */
  private pickMode(range: ValueRange | null, n: number): void {
    if (this.mode === 'ordered' || this.mode === 'hashed') return;
    this.rowsSeen += n;
    const i32 = views(this.kc.memory).i32;
    const lo = range === null ? 0 : this.mode === 'direct' ? Math.min(range.min, this.directBase) : range.min;
    const hi = range === null ? 0 : this.mode === 'direct' ? Math.max(range.max, this.directBase + this.directSpan - 1) : range.max;
    const span = hi - lo + 1;
    const fits = range !== null && lo >= -0x80000000 && hi <= 0x7fffffff && span <= DIRECT_SPAN && span <= Math.max(4096, 16 * this.rowsSeen);
    if (this.mode === 'new') {
      if (!fits) { this.mode = 'ordered'; i32[(this.state >> 2) + 2] = MODE.ordered; return; }
      this.mode = 'direct';
      i32[(this.state >> 2) + 2] = MODE.direct;
    } else if (!fits) { this.leaveDirect(); return; }
    else if (lo === this.directBase && span === this.directSpan) return;
    // A direct array over [lo, hi], keeping the groups of the old one at their values.
    const at = this.pages.alloc(span * 4);
    const v = views(this.kc.memory);
    v.i32.fill(-1, at >> 2, (at >> 2) + span);
    if (this.direct !== 0) {
      v.u8.copyWithin(at + 4 * (this.directBase - lo), this.direct, this.direct + 4 * this.directSpan);
      this.pages.free(this.direct);
    }
    this.direct = at;
    this.directBase = lo;
    this.directSpan = span;
    v.i32[(this.state >> 2) + 6] = lo;
    v.i32[(this.state >> 2) + 7] = lo >> 31;
  }

  /**
   * Direct mode ends (a value too far from the others): when the groups so far, in id order, form at most
   * MAX_RUNS increasing runs (keys stored in order, whose range outgrew the array), ordered mode goes on from
   * those runs, the last one open; otherwise the hash table takes over.
   */
  private leaveDirect(): void {
    const v = views(this.kc.memory);
    if (this.direct !== 0) this.pages.free(this.direct);
    this.direct = 0;
    const ng = this.count, st = this.state >> 2;
    if (v.i32[st + 1]! >= 0) { this.toHashed(); return; }
    // Run starts: ids whose key is below the previous id's (signed high words, then unsigned low words).
    const w = v.i32, u = v.u32, k = this.keys >> 2;
    const starts: number[] = [];
    for (let g = 1; g < ng; g++) {
      const hi = w[k + 2 * g + 1]!, phi = w[k + 2 * g - 1]!;
      if (hi < phi || (hi === phi && u[k + 2 * g]! < u[k + 2 * g - 2]!)) {
        starts.push(g);
        if (starts.length > MAX_RUNS) { this.toHashed(); return; }
      }
    }
    let from = 0;
    starts.forEach((start, r) => {
      const at = st + 16 + 3 * r;
      w[at] = from; w[at + 1] = start; w[at + 2] = from;
      from = start;
    });
    w[st + 3] = starts.length;
    w[st + 4] = from;
    // The last id holds the open run's greatest key: a smaller value starts a run.
    w[st + 5] = ng - 1;
    w[st + 2] = MODE.ordered;
    this.mode = 'ordered';
  }

  /** Numbering through the hash table from here: the next reserve builds it from every key so far. */
  private toHashed(): void {
    this.mode = 'hashed';
    views(this.kc.memory).i32[(this.state >> 2) + 2] = MODE.hashed;
    if (this.direct !== 0) this.pages.free(this.direct);
    this.direct = 0;
  }

  /**
   * Numbers rows 0..n-1 of batch key vectors (one per key column, of the table's types) into gids; false, with
   * nothing done, when a vector is not held as the typed array of its type (the caller numbers it otherwise).
   */
  assignVectors(keys: readonly Vector[], n: number, gids: Int32Array): boolean {
    let bytes = 12 * this.ncols + 4 * n;
    for (let c = 0; c < this.ncols; c++) {
      const v = keys[c]!, t = this.types[c]!, width = widthOf(t);
      if (v.dictionary !== undefined || !ofWidth(v.data, width)) return false;
      bytes += align8(width * n) + (v.valid !== null ? align8(v.valid.length) : 0);
    }
    const at = this.scratchFor(bytes);
    // Descriptors, then each column's values and validity, then the group ids.
    let p = at + align8(12 * this.ncols);
    const descs = at;
    let v8 = views(this.kc.memory);
    for (let c = 0; c < this.ncols; c++) {
      const v = keys[c]!, width = widthOf(this.types[c]!);
      const d = v.data as Int16Array | Int32Array | BigInt64Array;
      const values = p;
      if (width === 2) v8.i16.set(d.subarray(0, n) as Int16Array, values >> 1);
      else if (width === 4) v8.i32.set(d.subarray(0, n) as Int32Array, values >> 2);
      else v8.i64.set(d.subarray(0, n) as BigInt64Array, values >> 3);
      p += align8(width * n);
      let valid = 0;
      if (v.valid !== null) { valid = p; v8.u8.set(v.valid, p); p += align8(v.valid.length); }
      v8.i32[(descs >> 2) + 3 * c] = values;
      v8.i32[(descs >> 2) + 3 * c + 1] = valid;
      v8.i32[(descs >> 2) + 3 * c + 2] = width;
    }
    this.assignAt(descs, 0, n, p, this.ncols === 1 && this.mode !== 'ordered' && this.mode !== 'hashed' ? rangeOf(keys[0]!.data, n) : null);
    v8 = views(this.kc.memory);
    gids.set(v8.i32.subarray(p >> 2, (p >> 2) + n));
    return true;
  }

  /** The key values of groups 0..count-1, one vector per key column (typed as the table's types). */
  keyVectors(): Vector[] {
    const ng = this.count, w = this.words;
    const i32 = views(this.kc.memory).i32;
    const base = this.keys >> 2;
    const nullGroup = this.ncols === 1 ? this.nullGroup : -1;
    return this.types.map((t, c) => {
      const width = widthOf(t);
      let valid: Uint8Array | null = null;
      const markNull = (g: number): void => {
        valid ??= new Uint8Array((ng + 7) >> 3).fill(0xff);
        valid[g >> 3] &= ~(1 << (g & 7));
      };
      if (this.ncols === 1) { if (nullGroup >= 0) markNull(nullGroup); }
      else for (let g = 0; g < ng; g++) if ((i32[base + 2 * (w * g + this.ncols)]! >> c) & 1) markNull(g);
      let data: Int16Array | Int32Array | BigInt64Array;
      if (width === 8 && w === 1) data = views(this.kc.memory).i64.slice(this.keys >> 3, (this.keys >> 3) + ng);
      else if (width === 8) {
        data = new BigInt64Array(ng);
        const out = new Int32Array(data.buffer);
        for (let g = 0, k = base + 2 * c; g < ng; g++, k += 2 * w) { out[2 * g] = i32[k]!; out[2 * g + 1] = i32[k + 1]!; }
      } else {
        data = width === 4 ? new Int32Array(ng) : new Int16Array(ng);
        for (let g = 0, k = base + 2 * c; g < ng; g++, k += 2 * w) data[g] = i32[k]!;
      }
      return { type: t, length: ng, data, valid };
    });
  }

  /** Gives the table's memory back (idempotent). */
  free(): void {
    const p = this.pages;
    if (this.table !== 0) p.free(this.table);
    if (this.keys !== 0) p.free(this.keys);
    if (this.scratch !== 0) p.free(this.scratch);
    if (this.state !== 0) p.free(this.state);
    if (this.direct !== 0) p.free(this.direct);
    this.table = this.keys = this.scratch = this.state = this.direct = 0;
    this.keyCap = 0;
    this.mask = -1;
  }

  /** The kernel's stop: below half the slots, and one group short of `keys`' room (a row's key is built there). */
  private limit(): number { return this.mode === 'hashed' ? Math.min((this.mask + 1) >> 1, this.keyCap - 1) : this.keyCap - 1; }

  /** Room for `groups` groups: the table holds them below half its slots and `keys` one more. */
  private reserve(groups: number): void {
    if (this.state === 0) throw internal('KeyTable used after free');
    if (groups + 1 > this.keyCap) {
      const cap = Math.max(groups + 1, this.keyCap * 2, 64);
      const bytes = cap * this.words * 8;
      const at = this.pages.alloc(bytes);
      if (this.keys !== 0) {
        const u8 = views(this.kc.memory).u8;
        u8.copyWithin(at, this.keys, this.keys + this.count * this.words * 8);
        this.pages.free(this.keys);
      }
      this.keys = at;
      this.keyCap = cap;
    }
    if (this.mode === 'hashed' && groups >= (this.mask + 1) >> 1) {
      let slots = Math.max(FIRST_SLOTS, 2 * (this.mask + 1));
      while (groups >= slots >> 1) slots *= 2;
      const at = this.pages.alloc(slots * SLOT_BYTES);
      this.kc.k.key_rehash(this.keys, this.ncols, this.count, this.ncols === 1 ? this.nullGroup : -1, at, slots - 1);
      if (this.table !== 0) this.pages.free(this.table);
      this.table = at;
      this.mask = slots - 1;
    }
  }

  private scratchFor(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratch !== 0) this.pages.free(this.scratch);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratch = this.pages.alloc(this.scratchBytes);
    }
    return this.scratch;
  }
}

const align8 = (x: number): number => (x + 7) & ~7;

/** Whether a vector's data is the typed array a key column of `width` bytes is held as. */
function ofWidth(d: Vector['data'], width: number): boolean {
  return width === 2 ? d instanceof Int16Array : width === 4 ? d instanceof Int32Array : d instanceof BigInt64Array;
}

/** The range of a key vector's first n values, or null when some value lies outside int32. */
function rangeOf(d: Vector['data'], n: number): ValueRange | null {
  let min = 0x7fffffff, max = -0x80000000;
  if (d instanceof BigInt64Array) {
    // Read as words: a value within int32 has its high word equal to its low word's sign.
    const w = new Int32Array(d.buffer, d.byteOffset, 2 * n);
    for (let i = 0; i < n; i++) {
      const lo = w[2 * i]!;
      if (w[2 * i + 1] !== lo >> 31) return null;
      if (lo < min) min = lo;
      if (lo > max) max = lo;
    }
  } else {
    const a = d as Int32Array | Int16Array;
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return n === 0 ? null : { min, max };
}
