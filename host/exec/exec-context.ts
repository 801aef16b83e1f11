// Builds the ExecContext a fragment runs with on one site (a slice, or the leader): the one place that
// makes one, on the leader (host/cluster/runner.ts, pool.ts) and in slice workers (slice-worker.ts).
import type { Batch } from '../batch/vector.js';
import type { EvalContext } from './eval.js';
import type { KernelContext } from './kernel-filter.js';
import type { ExecContext } from './operators.js';
import type { RuntimeFilter } from './runtime-filter.js';

/** What a site's context is made of; optional parts are absent where the site lacks them. */
export interface ExecContextParts {
  eval: EvalContext;
  slice: number;
  slices: number;
  scan: ExecContext['scan'];
  scanChunks?: ExecContext['scanChunks'];
  recv(exchange: number): Batch[];
  checkCancel(): void;
  kernels?: KernelContext;
  /** Filters published before the fragment starts (copied: the fragment's joins add their own). */
  runtimeFilters?: Iterable<readonly [number, RuntimeFilter]>;
}

/**
 * A context with every field set, in one order (undefined where a part is absent; always its own
 * run-time filter map): the operators read it on every batch, and objects of one role built with
 * different property sets or orders get different V8 hidden classes, which turns those reads
 * polymorphic and deoptimizes the operators' optimized code each time a new one comes along.
 */
export function newExecContext(p: ExecContextParts): ExecContext {
  return {
    params: p.eval.params,
    planValues: p.eval.planValues,
    planSets: p.eval.planSets,
    fn: p.eval.fn,
    slice: p.slice,
    slices: p.slices,
    scan: p.scan,
    scanChunks: p.scanChunks,
    recv: p.recv,
    checkCancel: p.checkCancel,
    kernels: p.kernels,
    runtimeFilters: new Map(p.runtimeFilters ?? []),
  };
}
