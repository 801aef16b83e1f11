// The tables a slice task's fragment scans (leader side, host/cluster/pool.ts): per table, the
// chunks its scans need and the columns they read, which host/cluster/chunk-refs.ts puts in the
// task by reference. A worker reads nothing else of a chunk: pruning by zone maps happens on the
// leader, and run-time filters and fused aggregates look only at the columns their scan reads.
import type { ChunkDesc } from '../storage/chunk.js';
import type { TableScan } from './chunk-refs.js';

/**
 * Gathers, per table, the chunks every scan of it needs and the union of the columns they read. Two scans of
 * one table in a fragment (a self-join) may prune different chunks: the task carries the union,
 * in the table's own order, and each scan still applies its own filter to the rows.
 */
export class TaskTables {
  private readonly byTable = new Map<number, { all: readonly ChunkDesc[]; chunks: Set<ChunkDesc>; cols: Set<number> }>();

  /** Adds a scan of `table` that needs `chunks` (a subsequence of `all`, the table's chunks on the slice) reading `cols`. */
  add(table: number, all: readonly ChunkDesc[], chunks: readonly ChunkDesc[], cols: readonly number[]): void {
    let t = this.byTable.get(table);
    if (!t) { t = { all, chunks: new Set(), cols: new Set() }; this.byTable.set(table, t); }
    for (const c of chunks) t.chunks.add(c);
    for (const c of cols) t.cols.add(c);
  }

  /** Marks `table` as scanned with no chunks on this site (a replica read once, on another slice). */
  addEmpty(table: number): void {
    if (!this.byTable.has(table)) this.byTable.set(table, { all: [], chunks: new Set(), cols: new Set() });
  }

  /** Per table, the chunks needed (in the table's order) and the columns read, ascending. */
  scans(): Map<number, TableScan> {
    const out = new Map<number, TableScan>();
    for (const [table, t] of this.byTable) {
      const cols = [...t.cols].sort((a, b) => a - b);
      const chunks = t.chunks.size === t.all.length ? t.all : t.all.filter((d) => t.chunks.has(d));
      out.set(table, { chunks, cols });
    }
    return out;
  }
}
