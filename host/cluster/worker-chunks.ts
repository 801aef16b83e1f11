// A slice worker's copy of the chunk descriptors the leader sent it (host/cluster/chunk-refs.ts),
// by number: a task names its chunks and columns by number and the worker rebuilds its tables
// from what it holds. The same chunk gives the same descriptor object task after task while its
// residency is unchanged, so what is cached per column descriptor (dictionary words) lasts too.
import type { ChunkDesc, ColumnDesc } from '../storage/chunk.js';
import type { ChunkDefs, ChunkStatic, TableRefs } from './slice-task.js';

/**
 * Past this many chunks (or 16 columns each), or this many bytes of RUNLENGTH run ends (shared
 * buffers that a held column descriptor keeps alive after the leader dropped its chunk), the cache
 * starts over; the leader resends what a task then lacks.
 */
const MAX_CHUNKS = 50_000;
const MAX_RUN_BYTES = 128 << 20;

export class WorkerChunks {
  private readonly statics = new Map<number, ChunkStatic>();
  private readonly columns = new Map<number, ColumnDesc>();
  /** The descriptor last built for a chunk number, with the column numbers it was built from. */
  private readonly built = new Map<number, { desc: ChunkDesc; colIds: Int32Array }>();
  /** Bytes of run ends the held column descriptors reference. */
  private runBytes = 0;

  /** Keeps the descriptors a task carried. */
  absorb(defs: ChunkDefs | undefined): void {
    if (!defs) return;
    let runBytes = 0;
    for (const [, c] of defs.cols) runBytes += c.runs?.byteLength ?? 0;
    if (this.statics.size + defs.chunks.length > MAX_CHUNKS || this.columns.size + defs.cols.length > 16 * MAX_CHUNKS || this.runBytes + runBytes > MAX_RUN_BYTES) this.clear();
    for (const [n, s] of defs.chunks) this.statics.set(n, s);
    for (const [n, c] of defs.cols) if (!this.columns.has(n)) { this.columns.set(n, c); this.runBytes += c.runs?.byteLength ?? 0; }
  }

  /**
   * A task's tables as chunk descriptors (each with the columns the task reads), or null when a
   * number is not held here: the task is then sent again with every descriptor.
   */
  resolve(tables: Record<number, TableRefs>): Record<number, readonly ChunkDesc[]> | null {
    const out: Record<number, readonly ChunkDesc[]> = {};
    for (const key of Object.keys(tables)) {
      const t = tables[Number(key)]!;
      const width = t.cols.length;
      const list: ChunkDesc[] = new Array(t.chunks.length);
      for (let i = 0; i < t.chunks.length; i++) {
        const d = this.chunk(t.chunks[i]!, t.bases[i]!, t.cols, t.colIds.subarray(i * width, (i + 1) * width));
        if (d === null) return null;
        list[i] = d;
      }
      out[Number(key)] = list;
    }
    return out;
  }

  private chunk(n: number, base: number, cols: readonly number[], colIds: Int32Array): ChunkDesc | null {
    const prior = this.built.get(n);
    if (prior && prior.desc.base === base && sameIds(prior.colIds, colIds)) return prior.desc;
    const s = this.statics.get(n);
    if (!s) return null;
    const kept = new Array<ColumnDesc>(s.types.length);
    for (let j = 0; j < cols.length; j++) {
      const id = colIds[j]!;
      if (id === 0) continue;
      const col = this.columns.get(id);
      if (!col) return null;
      kept[cols[j]!] = col;
    }
    const desc: ChunkDesc = { base, rows: s.rows, types: s.types, cols: kept, ...(s.zones ? { zones: s.zones } : {}) };
    this.built.set(n, { desc, colIds: colIds.slice() });
    return desc;
  }

  private clear(): void { this.statics.clear(); this.columns.clear(); this.built.clear(); this.runBytes = 0; }

  /** Chunks held and bytes of run ends referenced (tests). */
  get size(): { chunks: number; runBytes: number } { return { chunks: this.statics.size, runBytes: this.runBytes }; }
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
