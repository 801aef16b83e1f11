// Morsel-driven scans (host/cluster/pool.ts runMorsels): the chunks of one scan window handed out
// one at a time, through a shared atomic counter, to whichever thread asks next: the slice workers
// (host/cluster/slice-worker.ts) and the leader, which takes a bounded share itself.
import type { ChunkDesc } from '../storage/chunk.js';

/**
 * Takes the next chunk of `chunks` (Atomics.add on `counter`) until none is left, or, once the
 * chunks taken hold `maxRows` rows or more, stops taking (the others' threads take the rest).
 */
export function* pullMorsels(chunks: readonly ChunkDesc[], counter: Int32Array, maxRows = Infinity): Generator<ChunkDesc> {
  let rows = 0;
  while (rows < maxRows) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= chunks.length) return;
    rows += chunks[i]!.rows;
    yield chunks[i]!;
  }
}

/** The items of `xs` through `f`, lazily (a scan's chunks as batches or chunk views as they are pulled). */
export function* mapIterable<A, B>(xs: Iterable<A>, f: (x: A) => B): Generator<B> { for (const x of xs) yield f(x); }
