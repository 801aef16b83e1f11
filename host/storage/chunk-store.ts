// Where table chunks live: the process's shared WASM memory and its page allocator. Encodes
// batches into chunks, views chunks as batches, and frees chunks no table version reaches any
// more (a mark-and-sweep run between statements).
import type { Batch } from '../batch/vector.js';
import { createSharedMemory, PageAllocator } from '../wasm/memory.js';
import { decodeColumn, encodeChunk, type ChunkDesc } from './chunk.js';
import { ZoneStats } from './zone-prune.js';

export class ChunkStore {
  readonly allocator: PageAllocator;
  private readonly live = new Set<number>();
  /** Chunks scans considered and skipped by zone maps, since the store was made. */
  readonly zoneStats = new ZoneStats();

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
    return { columns: cols.map((c) => decodeColumn(d, c, this.memory)), length: d.rows };
  }

  decodeAll(d: ChunkDesc): Batch { return this.decode(d, d.types.map((_, i) => i)); }

  /** Frees every chunk not in `reachable`. Call only when no statement is running. */
  sweep(reachable: Iterable<ChunkDesc>): number {
    const keep = new Set<number>();
    for (const d of reachable) keep.add(d.base);
    let freed = 0;
    for (const base of this.live) {
      if (keep.has(base)) continue;
      this.allocator.free(base);
      this.live.delete(base);
      freed++;
    }
    return freed;
  }

  get chunkCount(): number { return this.live.size; }
}

/** Decodes chunks in a worker, which has the memory but not the store. */
export function decodeChunk(d: ChunkDesc, cols: number[], memory: WebAssembly.Memory): Batch {
  return { columns: cols.map((c) => decodeColumn(d, c, memory)), length: d.rows };
}
