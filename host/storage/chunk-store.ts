// Where table chunks live: the process's shared WASM memory and its page allocator. Encodes
// batches into chunks, views chunks as batches, and frees chunks no table version reaches any
// more (a mark-and-sweep run between statements). Chunks whose blocks are in a data directory
// are "backed": they may be evicted from memory (least recently used first, down to
// `memoryLimit` bytes) and are read back from their block files when a scan or a statement needs
// them (docs/adr/0012-chunk-residency.md).
import { unshareBatch, type Batch } from '../batch/vector.js';
import { createSharedMemory, PageAllocator } from '../wasm/memory.js';
import { carryRuns, decodeColumn, encodeChunk, type ChunkDesc, type ScanChunk } from './chunk.js';
import { ZoneStats } from './zone-prune.js';
import { columnBytes } from './block-info.js';

/** Reads a backed chunk's columns from its block files (the durable store provides it). */
export type ChunkLoader = () => Batch;

interface Backing {
  load: ChunkLoader;
  /** Bytes the chunk takes when resident (estimated from its block files while it is not). */
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
    this.hold(d);
    return { columns: cols.map((c) => decodeColumn(d, c, this.memory)), length: d.rows };
  }

  /**
   * A chunk's columns for a scan in this thread. A backed chunk is copied out of shared memory
   * (so the chunk may be evicted while operators still hold the batch); others are viewed in place.
   */
  scanBatch(d: ChunkDesc, cols: number[]): Batch {
    if (!this.backed.has(d)) return this.decode(d, cols);
    this.pin([d]);
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
   * while the scan works on it; a backed chunk may be evicted after, so it is marked not stable.
   */
  *scanChunks(chunks: Iterable<ChunkDesc>): Generator<ScanChunk> {
    for (const d of chunks) {
      if (!this.backed.has(d)) { this.hold(d); yield { desc: d, memory: this.memory, stable: true }; continue; }
      this.pin([d]);
      try { yield { desc: d, memory: this.memory, stable: false }; } finally { this.unpin([d]); }
    }
  }

  /** Whether a chunk has block files to be read back from (so it may be evicted). */
  isBacked(d: ChunkDesc): boolean { return this.backed.has(d); }

  /**
   * A chunk of `rows` rows whose columns are in block files and not in memory yet: `zones` come
   * from the manifest (so zone maps skip it without reading it), `load` reads it when needed.
   */
  coldChunk(types: ChunkDesc['types'], rows: number, zones: ChunkDesc['zones'], bytes: number, load: ChunkLoader): ChunkDesc {
    const d: ChunkDesc = { base: -1, rows, types, cols: [], ...(zones ? { zones } : {}) };
    this.backed.set(d, { load, bytes, pins: 0, used: 0, resident: false });
    return d;
  }

  /** Marks a resident chunk as backed by block files (after a commit wrote them): it may be evicted. */
  back(d: ChunkDesc, load: ChunkLoader): void {
    if (this.backed.has(d) || d.base < 0) return;
    const bytes = chunkBytes(d, this.memory);
    this.backed.set(d, { load, bytes, pins: 0, used: ++this.clock, resident: true });
    this.residency.residentBytes += bytes;
    this.residency.peakResidentBytes = Math.max(this.residency.peakResidentBytes, this.residency.residentBytes);
  }

  /** Whether a chunk's columns are in memory now. */
  isResident(d: ChunkDesc): boolean { return d.base >= 0; }

  /** Bytes a backed chunk takes resident (for chunk lists split into windows), else its size now. */
  sizeOf(d: ChunkDesc): number { return this.backed.get(d)?.bytes ?? chunkBytes(d, this.memory); }

  /** Reads a backed chunk into memory if it is not there; the descriptor is updated in place. */
  private ensure(d: ChunkDesc): Backing | undefined {
    const b = this.backed.get(d);
    if (!b) return undefined;
    b.used = ++this.clock;
    if (b.resident) return b;
    const batch = b.load();
    // the descriptor keeps the zone maps it was made with (from the manifest, or from its first encoding)
    const fresh = encodeChunk(batch, this.memory, this.allocator, false);
    this.live.add(fresh.base);
    d.base = fresh.base;
    d.cols = fresh.cols;
    b.resident = true;
    b.bytes = chunkBytes(d, this.memory);
    this.residency.loads++;
    this.residency.residentBytes += b.bytes;
    this.residency.peakResidentBytes = Math.max(this.residency.peakResidentBytes, this.residency.residentBytes);
    return b;
  }

  /** Makes a chunk resident and keeps it so until no statement runs (decoded views stay valid). */
  hold(d: ChunkDesc): void {
    if (this.ensure(d)) this.held.add(d);
  }

  /** Makes chunks resident for a scan and keeps them so until `unpin`. */
  pin(chunks: readonly ChunkDesc[]): void {
    for (const d of chunks) { const b = this.ensure(d); if (b) b.pins++; }
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
      this.allocator.free(d.base);
      this.live.delete(d.base);
      d.base = -1;
      d.cols = [];
      b.resident = false;
      this.residency.residentBytes -= b.bytes;
      this.residency.evictions++;
    }
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
      if (b.resident) this.residency.residentBytes -= b.bytes;
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
