// Where table chunks live: the process's shared WASM memory and its page allocator. Encodes
// batches into chunks, views chunks as batches, and frees chunks no table version reaches any
// more (a mark-and-sweep run between statements). Chunks whose blocks are in a data directory
// are "backed": they may be evicted from memory (least recently used first, down to
// `memoryLimit` bytes) and each column is read back from its block file when a scan or a statement
// reads it (docs/adr/0012-chunk-residency.md, 0021-per-column-residency.md).
import { unshareBatch, type Batch } from '../batch/vector.js';
import { createSharedMemory, PageAllocator } from '../wasm/memory.js';
import { carryRuns, decodeColumn, encodeChunk, type ChunkDesc, type ColumnDesc, type ScanChunk } from './chunk.js';
import { ZoneStats } from './zone-prune.js';
import { columnBytes } from './block-info.js';

/**
 * Where a backed chunk's columns are read back from (the durable store provides it): one block file
 * per column, each read on its own, so a statement loads only the columns it reads.
 */
export interface ColumnSource {
  /** Size of each column's block file: the estimate of its resident bytes before it is read. */
  readonly blockBytes: readonly number[];
  /** Reads column `c` into a new allocation of the store's memory. */
  load(c: number): { desc: ColumnDesc; base: number };
}

interface Backing {
  source: ColumnSource;
  /**
   * Per column, the allocation holding it when it was read on its own (-1: not in memory); null
   * while the chunk is resident as the one allocation it was encoded into (`d.base`).
   */
  columns: number[] | null;
  /** Bytes the chunk's resident columns take. */
  bytes: number;
  /** Scans running over it now (pinned chunks are never evicted). */
  pins: number;
  /** Last use, for least-recently-used eviction. */
  used: number;
  resident: boolean;
}

/** Chunk residency counters (tests and SVV views read them). */
export interface ResidencyStats { loads: number; evictions: number; residentBytes: number; peakResidentBytes: number }

export class ChunkStore {
  readonly allocator: PageAllocator;
  private readonly live = new Set<number>();
  /** Chunks scans considered and skipped by zone maps, since the store was made. */
  readonly zoneStats = new ZoneStats();
  /** Bytes of backed chunks kept in memory between statements and between scan windows. */
  memoryLimit = Number.POSITIVE_INFINITY;
  private readonly backed = new Map<ChunkDesc, Backing>();
  /** Backed chunks a running statement decoded: kept until no statement runs. */
  private readonly held = new Set<ChunkDesc>();
  private clock = 0;
  readonly residency: ResidencyStats = { loads: 0, evictions: 0, residentBytes: 0, peakResidentBytes: 0 };

  constructor(readonly memory: WebAssembly.Memory = createSharedMemory()) {
    this.allocator = PageAllocator.init(memory);
  }

  encode(b: Batch): ChunkDesc {
    const d = encodeChunk(b, this.memory, this.allocator);
    this.live.add(d.base);
    return d;
  }

  /** Takes ownership of a chunk a slice worker encoded (a parallel COPY), so a sweep frees it when unreachable. */
  adopt(d: ChunkDesc): void { this.live.add(d.base); }

  decode(d: ChunkDesc, cols: number[]): Batch {
    this.hold(d, cols);
    return { columns: cols.map((c) => decodeColumn(d, c, this.memory)), length: d.rows };
  }

  /**
   * A chunk's columns for a scan in this thread. A backed chunk is copied out of shared memory
   * (so the chunk may be evicted while operators still hold the batch); others are viewed in place.
   */
  scanBatch(d: ChunkDesc, cols: number[]): Batch {
    if (!this.backed.has(d)) return this.decode(d, cols);
    this.pin([d], cols);
    try {
      const views = { columns: cols.map((c) => decodeColumn(d, c, this.memory)), length: d.rows };
      const copy = unshareBatch(views);
      copy.columns.forEach((v, i) => carryRuns(views.columns[i]!, v));
      return copy;
    } finally {
      this.unpin([d]);
    }
  }

  /**
   * Chunks for a scan in this thread that decodes late (host/exec/chunk-scan.ts): each is pinned
   * while the scan works on it (columns `cols`, default all); a backed chunk may be evicted after,
   * so it is marked not stable.
   */
  *scanChunks(chunks: Iterable<ChunkDesc>, cols?: readonly number[]): Generator<ScanChunk> {
    for (const d of chunks) {
      if (!this.backed.has(d)) { this.hold(d); yield { desc: d, memory: this.memory, stable: true }; continue; }
      this.pin([d], cols);
      try { yield { desc: d, memory: this.memory, stable: false }; } finally { this.unpin([d]); }
    }
  }

  /** Whether a chunk has block files to be read back from (so it may be evicted). */
  isBacked(d: ChunkDesc): boolean { return this.backed.has(d); }

  /**
   * A chunk of `rows` rows whose columns are in block files and not in memory yet: `zones` come
   * from the manifest (so zone maps skip it without reading it), `source` reads a column when a
   * statement needs it. Until then the descriptor has `base` -1 and no entry in `cols` for the column.
   */
  coldChunk(types: ChunkDesc['types'], rows: number, zones: ChunkDesc['zones'], source: ColumnSource): ChunkDesc {
    const d: ChunkDesc = { base: -1, rows, types, cols: new Array<ColumnDesc>(types.length), ...(zones ? { zones } : {}) };
    this.backed.set(d, { source, columns: types.map(() => -1), bytes: 0, pins: 0, used: 0, resident: false });
    return d;
  }

  /** Marks a resident chunk as backed by block files (after a commit wrote them): it may be evicted. */
  back(d: ChunkDesc, source: ColumnSource): void {
    if (this.backed.has(d) || d.base < 0) return;
    const bytes = chunkBytes(d, this.memory);
    this.backed.set(d, { source, columns: null, bytes, pins: 0, used: ++this.clock, resident: true });
    this.addResident(bytes);
  }

  /** Whether a chunk's columns `cols` (default: all) are in memory now. */
  isResident(d: ChunkDesc, cols?: readonly number[]): boolean {
    if (d.base < 0) return false;
    const b = this.backed.get(d);
    if (!b || b.columns === null) return true;
    const columns = b.columns;
    return (cols ?? d.types.map((_, i) => i)).every((c) => columns[c]! >= 0);
  }

  /**
   * Bytes a chunk takes with columns `cols` (default: all) resident: for a backed column not in
   * memory, its block file's size (for chunk lists split into windows).
   */
  sizeOf(d: ChunkDesc, cols?: readonly number[]): number {
    const b = this.backed.get(d);
    if (!b || b.columns === null) return b ? b.bytes : chunkBytes(d, this.memory);
    let n = 0;
    for (const c of cols ?? d.types.map((_, i) => i)) n += b.columns[c]! >= 0 ? columnBytes(d, c, this.memory) : b.source.blockBytes[c]!;
    return n;
  }

  /** Reads the missing columns `cols` (default: all) of a backed chunk into memory; the descriptor is updated in place. */
  private ensure(d: ChunkDesc, cols?: readonly number[]): Backing | undefined {
    const b = this.backed.get(d);
    if (!b) return undefined;
    b.used = ++this.clock;
    const columns = b.columns;
    if (columns === null) return b;
    let loaded = false;
    for (const c of cols ?? d.types.map((_, i) => i)) {
      if (columns[c]! >= 0) continue;
      const { desc, base } = b.source.load(c);
      columns[c] = base;
      d.cols[c] = desc;
      // base marks the chunk as (partly) resident; the column allocations are freed one by one
      if (d.base < 0) d.base = base;
      const bytes = columnBytes(d, c, this.memory);
      b.bytes += bytes;
      this.addResident(bytes);
      loaded = true;
    }
    if (loaded && !b.resident) { b.resident = true; this.residency.loads++; }
    return b;
  }

  private addResident(bytes: number): void {
    this.residency.residentBytes += bytes;
    this.residency.peakResidentBytes = Math.max(this.residency.peakResidentBytes, this.residency.residentBytes);
  }

  /** Makes a chunk's columns `cols` (default: all) resident and keeps them so until no statement runs (decoded views stay valid). */
  hold(d: ChunkDesc, cols?: readonly number[]): void {
    if (this.ensure(d, cols)) this.held.add(d);
  }

  /** Makes the columns `cols` (default: all) of chunks resident for a scan and keeps them so until `unpin`. */
  pin(chunks: readonly ChunkDesc[], cols?: readonly number[]): void {
    for (const d of chunks) { const b = this.ensure(d, cols); if (b) b.pins++; }
  }

  /** Ends a scan's pin; evicts least recently used unpinned chunks over the limit. */
  unpin(chunks: readonly ChunkDesc[]): void {
    for (const d of chunks) { const b = this.backed.get(d); if (b && b.pins > 0) b.pins--; }
    this.trim();
  }

  /** Evicts unpinned, unheld backed chunks, least recently used first, until the limit holds. */
  trim(): void {
    if (this.residency.residentBytes <= this.memoryLimit) return;
    const victims = [...this.backed].filter(([d, b]) => b.resident && b.pins === 0 && !this.held.has(d)).sort((x, y) => x[1].used - y[1].used);
    for (const [d, b] of victims) {
      if (this.residency.residentBytes <= this.memoryLimit) break;
      this.release(d, b);
      this.residency.evictions++;
    }
  }

  /** Frees a backed chunk's resident columns; it is read back from its blocks when needed again. */
  private release(d: ChunkDesc, b: Backing): void {
    if (b.columns === null) {
      this.allocator.free(d.base);
      this.live.delete(d.base);
    } else {
      for (const base of b.columns) if (base >= 0) this.allocator.free(base);
    }
    d.base = -1;
    d.cols = new Array<ColumnDesc>(d.types.length);
    b.columns = d.types.map(() => -1);
    b.resident = false;
    this.residency.residentBytes -= b.bytes;
    b.bytes = 0;
  }

  decodeAll(d: ChunkDesc): Batch { return this.decode(d, d.types.map((_, i) => i)); }

  /**
   * Frees every chunk not in `reachable`, then evicts backed chunks over the limit. Call only when
   * no statement is running.
   */
  sweep(reachable: Iterable<ChunkDesc>): number {
    const keep = new Set<number>();
    const keepDesc = new Set<ChunkDesc>();
    for (const d of reachable) { keep.add(d.base); keepDesc.add(d); }
    for (const [d, b] of this.backed) {
      if (keepDesc.has(d)) continue;
      // a chunk resident as one allocation is freed below with the other unreachable allocations
      if (b.columns !== null) this.release(d, b); else this.residency.residentBytes -= b.bytes;
      this.backed.delete(d);
    }
    this.held.clear();
    let freed = 0;
    for (const base of this.live) {
      if (keep.has(base)) continue;
      this.allocator.free(base);
      this.live.delete(base);
      freed++;
    }
    this.trim();
    return freed;
  }

  get chunkCount(): number { return this.live.size; }
}

/** Bytes a resident chunk's columns take (values, offsets, dictionaries, validity). */
export function chunkBytes(d: ChunkDesc, memory: WebAssembly.Memory): number {
  let n = 0;
  for (let c = 0; c < d.cols.length; c++) n += columnBytes(d, c, memory);
  return n;
}

/** Decodes chunks in a worker, which has the memory but not the store. */
export function decodeChunk(d: ChunkDesc, cols: number[], memory: WebAssembly.Memory): Batch {
  return { columns: cols.map((c) => decodeColumn(d, c, memory)), length: d.rows };
}
