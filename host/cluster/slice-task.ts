// The message a slice worker receives for one fragment on one slice, and what it sends back.
import type { Batch } from '../batch/vector.js';
import type { EvalContext } from '../exec/eval.js';
import type { PNode } from '../plan/physical.js';
import type { ChunkDesc } from '../storage/chunk.js';
import type { Expr } from '../plan/expr.js';
import type { SharedBatch } from './exchange-buffer.js';
import type { RuntimeFilter } from '../exec/runtime-filter.js';

export interface SliceTask {
  kind: 'run' | 'ping';
  fragment: PNode;
  slice: number;
  slices: number;
  /** Chunks of every table the fragment scans, for this slice. */
  tables: Record<number, readonly ChunkDesc[]>;
  /** Rows exchanges delivered to this slice, by exchange id (in the shared memory, or copies). */
  inputs: Record<number, (Batch | SharedBatch)[]>;
  eval: EvalContext;
  /** Shared cancel word (0 running, 1 cancelled, 2 timed out). */
  cancel: Int32Array;
  /** Morsel-driven scan: take chunks of `tables[table]` by Atomics.add on `counter` instead of a slice's own. */
  morsels?: { table: number; counter: Int32Array };
  /** The output feeds a hash exchange on these keys: split it by destination slice here, not on the leader. */
  route?: { keys: Expr[] };
  /** Run-time filters the leader built for the fragment's scans (host/cluster/runner.ts buildRemoteFilters), by id. */
  runtimeFilters?: [number, RuntimeFilter][];
  /** Set to 1 by the worker once its result is ready: the leader's watchdog for results lost between threads. */
  done?: Int32Array;
  /** Test hook: the worker sets `done` and then does not answer for a minute (how a lost result looks). */
  testLoseResult?: boolean;
}

export interface SliceTaskResult {
  /** The output rows: one part, or one per destination slice when the task had `route`. */
  parts?: (Batch | SharedBatch)[];
  error?: Record<string, unknown>;
}
