// A slice worker thread: attaches to the engine's shared memory, instantiates and warms the WASM
// kernels once, then runs plan fragments for one slice per task (host/exec operators), reading
// table chunks in place, and parallel COPY tasks (host/load/copy-worker.ts).
import { workerData } from 'node:worker_threads';
import { SqlError, SqlState } from '../common/errors.js';
import { concatBatches, emptyBatch, unshareBatch, type Batch } from '../batch/vector.js';
import type { SqlType } from '../types/sql-type.js';
import { fromShared, isShared, toShared, type SharedBatch } from './exchange-buffer.js';
import { HashPartitioner } from './hash-partitioner.js';
import { mapIterable, pullMorsels } from './morsel-pull.js';
import { collect, execute } from '../exec/operators.js';
import { newExecContext } from '../exec/exec-context.js';
import '../functions/index.js';
import { decodeChunk } from '../storage/chunk-store.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { WorkerChunks } from './worker-chunks.js';
import { Arena, PageAllocator } from '../wasm/memory.js';
import { instantiateKernels, loadKernelModules, warmKernels } from '../wasm/kernels.js';
import type { SliceTask, SliceTaskResult } from './slice-task.js';
import type { CopyTask, CopyTaskResult } from './copy-task.js';
import { runCopyTask } from '../load/copy-worker.js';
import type { KernelContext } from '../exec/kernel-filter.js';
import { CHUNK_ROWS } from '../storage/table-data.js';
import { registerSliceThread } from './thread-priority.js';

const memory: WebAssembly.Memory = workerData.memory;
registerSliceThread(workerData.threadIds);
const allocator = PageAllocator.attach(memory);
const kernels = instantiateKernels(loadKernelModules().simd, memory);
{
  const arena = new Arena(allocator);
  try { warmKernels(kernels, arena); } finally { arena.reset(); }
}
// Selection scratch for scan filters, kept for the worker's life (chunks hold at most CHUNK_ROWS rows).
const capacity = CHUNK_ROWS;
const kernelContext: KernelContext = { k: kernels, memory, selA: allocator.alloc(capacity * 4), selB: allocator.alloc(capacity * 4), capacity };
/** The chunk descriptors the leader sent this worker, by number (host/cluster/chunk-refs.ts). */
const heldChunks = new WorkerChunks();

export default function run(task: SliceTask | CopyTask): SliceTaskResult | 'pong' | Promise<CopyTaskResult> {
  if (task.kind === 'ping') return 'pong';
  if (task.kind === 'copy') return runCopyTask(task, memory, allocator);
  heldChunks.absorb(task.defs);
  const tables = heldChunks.resolve(task.tables);
  // not `done`: the leader sends the task again, and the watchdog waits on that answer
  if (tables === null) return { missing: true };
  // a morsel task the leader withdrew (every morsel was taken before this worker started it)
  const claims = task.morsels?.claims;
  if (claims && Atomics.compareExchange(claims, task.slice, 0, 1) !== 0) return { parts: [] };
  const result = runFragment(task, tables);
  if (task.done) Atomics.store(task.done, 0, 1);
  if (task.testLoseResult) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  return result;
}

/** Runs one plan fragment on one slice; errors come back as a serialized SqlError. */
function runFragment(task: SliceTask, tables: Record<number, readonly ChunkDesc[]>): SliceTaskResult {
  try {
    const cancel = task.cancel;
    const ctx = newExecContext({
      eval: task.eval,
      slice: Math.max(0, task.slice),
      slices: task.slices,
      scan: (table, _slice, cols) => {
        const m = task.morsels;
        const chunks = m && m.table === table ? pullMorsels(tables[table] ?? [], m.counter) : tables[table] ?? [];
        return mapIterable(chunks, (c) => decodeChunk(c, cols, memory));
      },
      // The pool keeps a task's chunks pinned until it ends, so batches may view them.
      scanChunks: (table) => {
        const m = task.morsels;
        const chunks = m && m.table === table ? pullMorsels(tables[table] ?? [], m.counter) : tables[table] ?? [];
        return mapIterable(chunks, (desc) => ({ desc, memory, stable: true }));
      },
      recv: (id) => (task.inputs[id] ?? []).map((b) => (isShared(b) ? fromShared(b, memory) : b)),
      checkCancel: () => {
        const v = Atomics.load(cancel, 0);
        if (v !== 0) throw new SqlError(SqlState.queryCanceled, v === 2 ? 'canceling statement due to statement timeout' : 'canceling statement due to user request');
      },
      kernels: kernelContext,
      runtimeFilters: task.runtimeFilters,
    });
    if (!task.route) return { parts: [exportPieces([collect(task.fragment, ctx)], task.fragment.types)] };
    // Rows are routed batch by batch as the fragment makes them, so workers that pull morsels of
    // one scan also share its routing (host/cluster/hash-partitioner.ts).
    const router = new HashPartitioner(task.route.keys, task.slices, ctx);
    for (const b of execute(task.fragment, ctx)) router.add(b);
    return { parts: router.pieces().map((pieces) => exportPieces(pieces, task.fragment.types)) };
  } catch (e) {
    return { error: SqlError.fromUnknown(e).toJSON() };
  }
}

/**
 * An output batch for the leader, given as pieces to concatenate: its fixed-width buffers copied
 * into the shared memory (only a descriptor is posted), or an unshared copy when the memory has no
 * room (ADR 0008).
 */
function exportPieces(pieces: readonly Batch[], types: readonly SqlType[]): Batch | SharedBatch {
  const rows = pieces.filter((b) => b.length > 0);
  if (rows.length === 0) return emptyBatch(types);
  return toShared(rows, allocator, memory) ?? unshareBatch(concatBatches(types, rows));
}
