// The message a slice worker receives for a parallel COPY, and what it sends back: the worker pulls units
// (a source or a byte range of one) from a shared counter, parses and types their rows and encodes them
// into chunks in the shared memory (host/load/copy-worker.ts); only chunk descriptors and error records
// come back to the leader (host/load/copy-parallel.ts).
import type { CopyOptions } from '../front/copy-unload.js';
import type { LoadErrorRow } from '../load/load-errors.js';
import type { SinkStyle } from '../load/slice-chunk-sink.js';
import type { SourceLocator } from '../load/sources.js';
import type { ChunkDesc } from '../storage/chunk.js';
import type { SqlType } from '../types/sql-type.js';

/** Rows of one source whose first byte lies in [start, end); a unit with `whole` reads the whole source. */
export interface CopyUnit {
  source: SourceLocator;
  name: string;
  start: number;
  end: number;
  whole: boolean;
  /** GZIP/BZIP2/ZSTD (or a gzip file named .gz): inflated whole, always one unit. */
  compressed: boolean;
}

/** Layout of CopyTask.state (an Int32Array over a SharedArrayBuffer). */
export const CopyState = {
  /** Next unit to take (Atomics.add). */
  next: 0,
  /** Bad rows found so far by all workers. */
  errors: 1,
  /** Set when the COPY fails (more bad rows than MAXERROR, or a worker's error): take no more units. */
  stop: 2,
  /** Number of words. */
  size: 3,
} as const;

/** Per worker in CopyTask.progress: bytes parsed, rows typed. */
export const PROGRESS_SLOTS = 2;

export interface CopyTask {
  kind: 'copy';
  /** This worker's index (its progress slot, its EVEN round-robin start). */
  worker: number;
  units: CopyUnit[];
  /** Bytes read and parsed at a time (rows in flight stay a few MB per worker, not a whole file). */
  blockBytes: number;
  /** CopyState words, shared by all workers of the COPY. */
  state: Int32Array;
  /** PROGRESS_SLOTS numbers per worker, read by the leader for progress reports. */
  progress: Float64Array;
  /** The target table as plain data (names, types, NOT NULL). */
  table: { name: string; oid: number; columns: { name: string; type: SqlType; notNull: boolean }[] };
  columns: string[] | null;
  options: CopyOptions;
  style: SinkStyle;
  distkey: number;
  slices: number;
  who: { user: string; session: number; query: number; starttime: bigint };
  /** Shared cancel word (0 running, 1 cancelled, 2 timed out). */
  cancel: Int32Array;
}

/** One unit's outcome: physical lines it spans (for the next unit's line numbers) and its bad rows. */
export interface CopyUnitResult {
  unit: number;
  lines: number;
  /** Bad rows, line numbers counted from the unit's first line (the leader adds the lines before it). */
  errors: LoadErrorRow[];
  /** False when the worker stopped inside the unit (more bad rows than MAXERROR in that worker, or a failure): its lines are unknown. */
  complete: boolean;
}

export interface CopyTaskResult {
  /** Chunks encoded per slice (owned by the leader's chunk store once returned). */
  chunks: ChunkDesc[][];
  rows: number;
  units: CopyUnitResult[];
  /** A failure that is not a bad row (I/O, decompression, out of memory, cancel). */
  error?: Record<string, unknown>;
}
