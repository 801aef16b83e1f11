// In-memory table data: per slice, a list of column batches. Values are immutable: a write makes
// a new TableData, so a reader keeps the version it started with (snapshot) and a transaction
// publishes its versions at COMMIT. Rows are placed on slices by the table's distribution.
import { type Batch, concatBatches, gatherBatch, sliceBatch, valueAt } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import type { ChunkDesc } from './chunk.js';
import type { ChunkStore } from './chunk-store.js';
import { sliceOf } from './dist-hash.js';
import { inSortedRun } from './sort-region.js';

export const CHUNK_ROWS = 65536;

/** Tables with DISTSTYLE AUTO stay ALL while they have at most this many rows (then EVEN). */
export const AUTO_ALL_MAX_ROWS = 100_000;

export interface TableData {
  /** Chunks per slice; an ALL table keeps its one replica in slices[0]. */
  readonly slices: readonly (readonly ChunkDesc[])[];
  readonly rows: number;
  /** Round-robin cursor for EVEN distribution. */
  readonly evenNext: number;
  readonly style: 'KEY' | 'EVEN' | 'ALL';
}

export function emptyTableData(def: TableDef, slices: number): TableData {
  return { slices: Array.from({ length: slices }, () => []), rows: 0, evenNext: 0, style: effectiveStyle(def, 0) };
}

/**
 * The placement of a table's rows once it holds `rows` rows. AUTO is ALL while small and EVEN past
 * AUTO_ALL_MAX_ROWS; a table already spread EVEN (`current`, when it has rows) stays EVEN when
 * deletes bring it back under the limit: its rows sit on every slice, and only slice 0 is read of an
 * ALL table.
 */
export function effectiveStyle(def: TableDef, rows: number, current?: TableData['style']): 'KEY' | 'EVEN' | 'ALL' {
  if (def.diststyle === 'KEY' && def.distkey >= 0) return 'KEY';
  if (def.diststyle === 'ALL') return 'ALL';
  if (def.diststyle === 'EVEN') return 'EVEN';
  if (current === 'EVEN') return 'EVEN';
  return rows <= AUTO_ALL_MAX_ROWS ? 'ALL' : 'EVEN';
}

/** Appends rows (a batch in table column order), distributing them over slices. */
export function appendRows(def: TableDef, data: TableData, batch: Batch, store: ChunkStore): TableData {
  if (batch.length === 0) return data;
  const n = data.slices.length;
  const rows = data.rows + batch.length;
  let style = effectiveStyle(def, rows, data.rows > 0 ? data.style : undefined);
  // AUTO switching from ALL to EVEN: spread the existing replica and the new rows together (spreading
  // the replica alone would make an ALL table again, which this append would switch again).
  if (style !== data.style && data.style === 'ALL') {
    const types = def.columns.map((c) => c.type);
    const all = concatBatches(types, [...data.slices[0]!.map((c) => store.decodeAll(c)), batch]);
    const fresh: TableData = { slices: Array.from({ length: n }, () => [] as ChunkDesc[]), rows: 0, evenNext: 0, style };
    return appendRows(def, fresh, all, store);
  }
  const slices = data.slices.map((s) => [...s]);
  let evenNext = data.evenNext;
  if (style === 'ALL') {
    pushChunks(slices[0]!, batch, store);
  } else if (style === 'EVEN') {
    const per: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < batch.length; i++) { per[evenNext]!.push(i); evenNext = (evenNext + 1) % n; }
    per.forEach((sel, s) => { if (sel.length) pushChunks(slices[s]!, gatherBatch(batch, sel, sel.length), store); });
  } else {
    const key = batch.columns[def.distkey]!;
    const per: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < batch.length; i++) per[sliceOf(valueAt(key, i), n)]!.push(i);
    per.forEach((sel, s) => { if (sel.length) pushChunks(slices[s]!, gatherBatch(batch, sel, sel.length), store); });
  }
  return { slices, rows, evenNext, style };
}

function pushChunks(chunks: ChunkDesc[], batch: Batch, store: ChunkStore): void {
  // Fill a small last chunk up before starting a new one (the old chunk is swept later); the last
  // chunk of a sorted region stays as it is, new rows start the unsorted region (sort-region.ts).
  let start = 0;
  const last = chunks[chunks.length - 1];
  if (last && last.rows < CHUNK_ROWS && !inSortedRun(last)) {
    const take = Math.min(CHUNK_ROWS - last.rows, batch.length);
    const old = store.decodeAll(last);
    chunks[chunks.length - 1] = store.encode(concatBatches(last.types, [old, sliceBatch(batch, 0, take)]));
    start = take;
  }
  for (; start < batch.length; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, batch.length - start);
    chunks.push(store.encode(sliceBatch(batch, start, count)));
  }
}

/** Replaces the rows of every slice by a transformation of its chunks (DELETE / UPDATE). */
export function rewriteSlices(data: TableData, f: (chunk: Batch) => Batch | null, store: ChunkStore): TableData {
  let rows = 0;
  const slices = data.slices.map((chunks) => {
    const out: ChunkDesc[] = [];
    for (const c of chunks) {
      const before = store.decodeAll(c);
      const r = f(before);
      if (r === before) { out.push(c); rows += c.rows; continue; }
      if (r && r.length) { out.push(store.encode(r)); rows += r.length; }
    }
    return out;
  });
  return { ...data, slices, rows };
}

/** Every chunk a table version references (for the store's sweep). */
export function* chunksOf(data: TableData): Generator<ChunkDesc> {
  for (const s of data.slices) yield* s;
}
