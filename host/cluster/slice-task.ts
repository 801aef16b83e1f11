// The message a slice worker receives for one fragment on one slice, and what it sends back.
import type { Batch } from '../batch/vector.js';
import type { EvalContext } from '../exec/eval.js';
import type { PNode } from '../plan/physical.js';
import type { ChunkDesc } from '../storage/chunk.js';

export interface SliceTask {
  kind: 'run' | 'ping';
  fragment: PNode;
  slice: number;
  slices: number;
  /** Chunks of every table the fragment scans, for this slice. */
  tables: Record<number, readonly ChunkDesc[]>;
  /** Rows exchanges delivered to this slice, by exchange id. */
  inputs: Record<number, Batch[]>;
  eval: EvalContext;
  /** Shared cancel word (0 running, 1 cancelled, 2 timed out). */
  cancel: Int32Array;
  /** Morsel-driven scan: take chunks of `tables[table]` by Atomics.add on `counter` instead of a slice's own. */
  morsels?: { table: number; counter: Int32Array };
}

export interface SliceTaskResult {
  batch?: Batch;
  error?: Record<string, unknown>;
}
