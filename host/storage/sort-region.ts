// Sorted and unsorted regions of a slice (Redshift's model of a sorted table): a slice's chunks
// start with a run VACUUM (or a restart from the manifest) marked as sorted by the table's sort
// key, followed by chunks that loads appended (the unsorted region). A run is recognised by chunk
// identity: chunks are immutable, so any DML that replaces a chunk of the run shortens the sorted
// region to the chunks before it, and no code path can claim rows are sorted when they are not.
import type { ChunkDesc } from './chunk.js';

const RUNS = new WeakMap<ChunkDesc, { run: number; index: number; key: string }>();
let nextRun = 1;

/** Marks `chunks` (one slice's chunks, in order) as one run sorted by the table columns `key`. */
export function markSorted(chunks: readonly ChunkDesc[], key: readonly number[]): void {
  const run = nextRun++;
  const k = key.join(',');
  chunks.forEach((c, index) => RUNS.set(c, { run, index, key: k }));
}

/** Whether a chunk belongs to a sorted run (appends never extend such a chunk). */
export function inSortedRun(c: ChunkDesc): boolean { return RUNS.has(c); }

/** How many leading chunks of a slice form its region sorted by `key` (none when the key changed). */
export function sortedChunks(chunks: readonly ChunkDesc[], key: readonly number[]): number {
  const first = chunks[0] && RUNS.get(chunks[0]);
  if (!first || first.index !== 0 || !key.length || first.key !== key.join(',')) return 0;
  let n = 1;
  while (n < chunks.length) {
    const r = RUNS.get(chunks[n]!);
    if (!r || r.run !== first.run || r.index !== n) break;
    n++;
  }
  return n;
}

/** Rows in a slice's region sorted by `key`. */
export function sortedRows(chunks: readonly ChunkDesc[], key: readonly number[]): number {
  const n = sortedChunks(chunks, key);
  let rows = 0;
  for (let i = 0; i < n; i++) rows += chunks[i]!.rows;
  return rows;
}
