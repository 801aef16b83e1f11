// Typed COPY rows -> chunks in shared memory, per slice: places each row on its slice by the table's
// distribution (KEY hashes the distkey as host/storage/table-data.ts does, EVEN round-robins, ALL keeps one
// replica on slice 0) and encodes full chunks as rows arrive. Runs inside a slice worker (copy-worker.ts).
import { concatBatches, gatherBatch, sliceBatch, type Batch } from '../batch/vector.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { hashColumn } from '../storage/dist-hash.js';
import { CHUNK_ROWS } from '../storage/table-data.js';
import type { SqlType } from '../types/sql-type.js';

export type SinkStyle = 'KEY' | 'EVEN' | 'ALL';

export class SliceChunkSink {
  /** Encoded chunks per slice. */
  readonly chunks: ChunkDesc[][];
  private readonly pending: Batch[][];
  private readonly pendingRows: number[];
  private evenNext: number;

  constructor(
    private readonly style: SinkStyle,
    private readonly distkey: number,
    private readonly slices: number,
    private readonly types: readonly SqlType[],
    private readonly encode: (b: Batch) => ChunkDesc,
    evenStart = 0,
  ) {
    this.chunks = Array.from({ length: slices }, () => []);
    this.pending = Array.from({ length: slices }, () => []);
    this.pendingRows = new Array<number>(slices).fill(0);
    this.evenNext = evenStart % slices;
  }

  /** Places the rows of `b` (table column order) on their slices; encodes every full chunk. */
  add(b: Batch): void {
    if (b.length === 0) return;
    if (this.style === 'ALL' || this.slices === 1) { this.queue(0, b); return; }
    const n = b.length, slices = this.slices;
    const target = new Uint32Array(n);
    if (this.style === 'KEY') {
      // The DISTKEY hash of the whole column in one typed loop (hashColumn is hashValue per row, as sliceOf uses).
      hashColumn(b.columns[this.distkey]!, n, target);
      for (let i = 0; i < n; i++) target[i] = target[i]! % slices;
    } else {
      for (let i = 0; i < n; i++) { target[i] = this.evenNext; this.evenNext = this.evenNext + 1 === slices ? 0 : this.evenNext + 1; }
    }
    const counts = new Int32Array(slices);
    for (let i = 0; i < n; i++) counts[target[i]!]!++;
    const sel = Array.from(counts, (c) => new Int32Array(c));
    const fill = new Int32Array(slices);
    for (let i = 0; i < n; i++) { const t = target[i]!; sel[t]![fill[t]!++] = i; }
    sel.forEach((rows, s) => { if (rows.length) this.queue(s, gatherBatch(b, rows, rows.length)); });
  }

  private queue(s: number, b: Batch): void {
    this.pending[s]!.push(b);
    this.pendingRows[s]! += b.length;
    if (this.pendingRows[s]! >= CHUNK_ROWS) this.flush(s, false);
  }

  /** Encodes slice `s`'s pending rows: whole chunks only, or everything when `all`. */
  private flush(s: number, all: boolean): void {
    const rows = this.pendingRows[s]!;
    if (rows === 0) return;
    const b = this.pending[s]!.length === 1 ? this.pending[s]![0]! : concatBatches(this.types, this.pending[s]!);
    let at = 0;
    for (; rows - at >= CHUNK_ROWS || (all && at < rows); at += CHUNK_ROWS) {
      this.chunks[s]!.push(this.encode(sliceBatch(b, at, Math.min(CHUNK_ROWS, rows - at))));
    }
    this.pending[s] = at < rows ? [sliceBatch(b, at, rows - at)] : [];
    this.pendingRows[s] = Math.max(0, rows - at);
  }

  /** Encodes what is left (each slice's last, partial chunk) and returns all chunks per slice. */
  finish(): ChunkDesc[][] {
    for (let s = 0; s < this.slices; s++) this.flush(s, true);
    return this.chunks;
  }
}
