// The message a slice worker receives for one fragment on one slice, and what it sends back.
import type { Batch } from '../batch/vector.js';
import type { EvalContext } from '../exec/eval.js';
import type { PNode } from '../plan/physical.js';
import type { ColumnDesc } from '../storage/chunk.js';
import type { ColumnZone } from '../storage/zone-map.js';
import type { SqlType } from '../types/sql-type.js';
import type { Expr } from '../plan/expr.js';
import type { SharedBatch } from './exchange-buffer.js';
import type { RuntimeFilter } from '../exec/runtime-filter.js';

export interface SliceTask {
  kind: 'run' | 'ping';
  fragment: PNode;
  slice: number;
  slices: number;
  /** Chunks of every table the fragment scans, for this slice, by number (host/cluster/chunk-refs.ts). */
  tables: Record<number, TableRefs>;
  /** The descriptors named in `tables` that the worker may not hold yet. */
  defs?: ChunkDefs;
  /** Rows exchanges delivered to this slice, by exchange id (in the shared memory, or copies). */
  inputs: Record<number, (Batch | SharedBatch)[]>;
  eval: EvalContext;
  /** Shared cancel word (0 running, 1 cancelled, 2 timed out). */
  cancel: Int32Array;
  /**
   * Morsel-driven scan: take chunks of `tables[table]` by Atomics.add on `counter` instead of a
   * slice's own. `claims[slice]`: the worker sets it 0 -> 1 before it reads anything; the leader sets
   * it 0 -> 2 to withdraw a task no worker started once every morsel is taken (then it is not run).
   */
  morsels?: { table: number; counter: Int32Array; claims?: Int32Array };
  /** The output feeds a hash exchange on these keys: split it by destination slice here, not on the leader. */
  route?: { keys: Expr[] };
  /** Run-time filters the leader built for the fragment's scans (host/cluster/runner.ts buildRemoteFilters), by id. */
  runtimeFilters?: [number, RuntimeFilter][];
  /** Set to 1 by the worker once its result is ready: the leader's watchdog for results lost between threads. */
  done?: Int32Array;
  /** Test hook: the worker sets `done` and then does not answer for a minute (how a lost result looks). */
  testLoseResult?: boolean;
}

/**
 * One table of a task by reference: chunk numbers, each chunk's `base` now, the columns read and,
 * per chunk and read column (row-major), the number of its column descriptor (0: not in memory).
 */
export interface TableRefs { cols: number[]; chunks: Int32Array; bases: Float64Array; colIds: Int32Array }

/** What never changes of a chunk (its columns' descriptors change with residency). */
export interface ChunkStatic { rows: number; types: SqlType[]; zones?: readonly (ColumnZone | null)[] }

/** Descriptors sent with a task, by number: chunks' fixed parts and column descriptors. */
export interface ChunkDefs { chunks: [number, ChunkStatic][]; cols: [number, ColumnDesc][] }

export interface SliceTaskResult {
  /** Set instead of a result when the task named a descriptor the worker does not hold (send it again with all). */
  missing?: true;
  /** The output rows: one part, or one per destination slice when the task had `route`. */
  parts?: (Batch | SharedBatch)[];
  error?: Record<string, unknown>;
}
