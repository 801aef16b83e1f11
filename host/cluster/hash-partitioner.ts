// Hash-exchange routing: splits a producer's output batches by destination slice as they are
// produced (slice workers and the leader), with the hash that places DISTKEY rows
// (host/storage/dist-hash.ts) computed per key column in typed loops, then one gather per column
// and destination. The consumer side receives the pieces per destination (host/cluster/runner.ts).
import { gatherBatch, type Batch, type Vector } from '../batch/vector.js';
import { evalExpr, type EvalContext } from '../exec/eval.js';
import type { Expr } from '../plan/expr.js';
import { hashColumn } from '../storage/dist-hash.js';
import { keepShape } from '../common/keep-shape.js';

/** Scratch arrays reused from batch to batch (a producer's batches are at most a chunk long, mostly). */
export class RouteScratch {
  hashes = new Uint32Array(0);
  more = new Uint32Array(0);
  dest = new Int32Array(0);
  order = new Int32Array(0);

  /** Grows the arrays to hold n rows. */
  fit(n: number): void {
    if (this.hashes.length >= n) return;
    const cap = Math.max(n, this.hashes.length * 2);
    this.hashes = new Uint32Array(cap); this.more = new Uint32Array(cap);
    this.dest = new Int32Array(cap); this.order = new Int32Array(cap);
  }
}

/**
 * Writes the destination slice of each of the first n rows to scratch.dest and returns the number
 * of rows per destination: hashValue(key) % slices for one key (exactly where a table DISTKEY on
 * that key stores the row), or for several keys the column hashes combined (such exchanges only
 * have to agree with themselves: nothing is stored by several keys).
 */
export function destinations(keys: readonly Vector[], n: number, slices: number, scratch: RouteScratch): Int32Array {
  scratch.fit(n);
  const counts = new Int32Array(slices);
  const dest = scratch.dest;
  if (slices === 1) { dest.fill(0, 0, n); counts[0] = n; return counts; }
  const h = scratch.hashes;
  hashColumn(keys[0]!, n, h);
  for (let k = 1; k < keys.length; k++) {
    const more = scratch.more;
    hashColumn(keys[k]!, n, more);
    for (let i = 0; i < n; i++) h[i] = Math.imul(h[i]! ^ 0x9e3779b9, 0x01000193) ^ more[i]!;
  }
  if ((slices & (slices - 1)) === 0) {
    const mask = slices - 1;
    for (let i = 0; i < n; i++) { const d = h[i]! & mask; dest[i] = d; counts[d]!++; }
  } else {
    // The unsigned remainder in int32 arithmetic: u % s = (2 * ((u >>> 1) % s) + (u & 1)) % s
    // (a Uint32 value past 2^31 would otherwise take the floating-point remainder).
    for (let i = 0; i < n; i++) { const u = h[i]!; const d = ((((u >>> 1) % slices) << 1) + (u & 1)) % slices; dest[i] = d; counts[d]!++; }
  }
  return counts;
}

/**
 * Splits one batch by destination slice (scratch.dest from `destinations`): one batch per slice
 * (index = slice number); when every row goes to one slice that slice gets the batch itself.
 */
export function splitByDestination(b: Batch, counts: Int32Array, scratch: RouteScratch): Batch[] {
  const slices = counts.length, n = b.length;
  const dest = scratch.dest, order = scratch.order;
  // Counting sort: each destination's row numbers, in row order, in one array.
  const next = new Int32Array(slices);
  for (let s = 1; s < slices; s++) next[s] = next[s - 1]! + counts[s - 1]!;
  const starts = next.slice();
  for (let i = 0; i < n; i++) order[next[dest[i]!]!++] = i;
  return Array.from({ length: slices }, (_, s) => gatherBatch(b, order.subarray(starts[s]!, starts[s]! + counts[s]!), counts[s]!));
}

/**
 * Routes a stream of batches for a hash exchange: `add` splits each batch as it comes (so a worker
 * pulling morsels routes what it pulled, and the routing work is shared by the workers that scan),
 * `pieces` returns each destination's batches in arrival order.
 */
export class HashPartitioner {
  private readonly parts: Batch[][];
  private readonly scratch = new RouteScratch();

  constructor(private readonly keys: readonly Expr[], private readonly slices: number, private readonly ctx: EvalContext) {
    this.parts = Array.from({ length: slices }, () => []);
  }

  add(b: Batch): void {
    if (b.length === 0) return;
    if (this.slices === 1) { this.parts[0]!.push(b); return; }
    const keys = this.keys.map((k) => evalExpr(k, b, this.ctx));
    const counts = destinations(keys, b.length, this.slices, this.scratch);
    splitByDestination(b, counts, this.scratch).forEach((p, s) => { if (p.length > 0) this.parts[s]!.push(p); });
  }

  /** Each destination's batches (index = slice number). */
  pieces(): Batch[][] { return this.parts; }
}

// An idle partitioner keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new HashPartitioner([], 1, { params: [], planValues: new Map(), planSets: new Map(), fn: {} as EvalContext['fn'] }));
