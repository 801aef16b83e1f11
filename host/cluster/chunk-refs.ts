// Chunk descriptors by reference (leader side of a slice task, host/cluster/pool.ts): each chunk
// descriptor and each column descriptor gets a number; a task names its chunks by number and
// carries the descriptors themselves only until every worker has had them. The workers keep what
// they were sent (host/cluster/worker-chunks.ts), so a repeated scan of a table costs a few typed
// arrays per task instead of a structured clone of every chunk's descriptor and zone maps.
import type { ChunkDesc, ColumnDesc } from '../storage/chunk.js';
import type { ChunkDefs, ChunkStatic, TableRefs } from './slice-task.js';

/**
 * Numbers of descriptor objects, never reused (a worker may hold a number for as long as it
 * likes: the object it names does not change). A chunk's rows, types and zone maps never change;
 * its residency does (host/storage/chunk-store.ts sets `base` and replaces `cols` entries as
 * columns are read back or evicted), so `base` goes with every task and a column is named by its
 * column descriptor, a new object whenever the column is read back.
 */
const numbers = new WeakMap<object, number>();
let lastNumber = 0;

function numberOf(o: object): number {
  let n = numbers.get(o);
  if (n === undefined) { n = ++lastNumber; numbers.set(o, n); }
  return n;
}

/** One table of a task: the chunks its scans need and the columns they read. */
export interface TableScan { chunks: readonly ChunkDesc[]; cols: readonly number[] }

/** What a task carries of its tables, and the descriptors sent with it (known to its worker once it answers). */
export interface EncodedTables { tables: Record<number, TableRefs>; defs?: ChunkDefs; sent: object[] }

/**
 * Which descriptors some worker holds. A task names those by number only: tasks go to whichever
 * worker is free, and one that lacks a descriptor answers `missing` and gets its task again with
 * every descriptor (host/cluster/pool.ts). With one task per slice, a worker soon holds the chunks of
 * the slices it runs, so misses are rare after a table's first scans.
 */
export class ChunkRefs {
  /** Descriptor objects sent in a task that a worker answered (so it held them then). */
  private readonly held = new WeakSet<object>();

  /**
   * The wire form of a task's tables. With `everything`, every descriptor goes with the task (the
   * answer to a worker that lacked one: it has not run this table's slice yet, was replaced, or
   * dropped its cache).
   */
  encode(scans: ReadonlyMap<number, TableScan>, everything = false): EncodedTables {
    const tables: Record<number, TableRefs> = {};
    const chunkDefs: [number, ChunkStatic][] = [];
    const colDefs: [number, ColumnDesc][] = [];
    const sent: object[] = [];
    for (const [table, { chunks, cols }] of scans) {
      const ids = new Int32Array(chunks.length);
      const bases = new Float64Array(chunks.length);
      const colIds = new Int32Array(chunks.length * cols.length);
      for (let i = 0; i < chunks.length; i++) {
        const d = chunks[i]!;
        ids[i] = numberOf(d);
        bases[i] = d.base;
        if (everything || !this.held.has(d)) {
          chunkDefs.push([ids[i]!, { rows: d.rows, types: d.types, ...(d.zones ? { zones: d.zones } : {}) }]);
          sent.push(d);
        }
        for (let j = 0; j < cols.length; j++) {
          const col = d.cols[cols[j]!];
          if (col === undefined) continue;
          const n = numberOf(col);
          colIds[i * cols.length + j] = n;
          if (everything || !this.held.has(col)) { colDefs.push([n, col]); sent.push(col); }
        }
      }
      tables[table] = { cols: [...cols], chunks: ids, bases, colIds };
    }
    const defs = chunkDefs.length || colDefs.length ? { chunks: chunkDefs, cols: colDefs } : undefined;
    return { tables, ...(defs ? { defs } : {}), sent };
  }

  /** Records that a worker answered a task that carried `sent`: it holds those descriptors now. */
  received(sent: readonly object[]): void {
    for (const o of sent) this.held.add(o);
  }
}
