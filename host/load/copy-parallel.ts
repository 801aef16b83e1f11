// The leader's side of a parallel COPY: cuts the sources into units (a compressed or unsplittable source
// whole, a large text file into byte ranges), runs one copy task per slice worker (host/cluster/copy-task.ts,
// host/load/copy-worker.ts), reports progress from the workers' shared counters, then merges: bad rows get
// their exact file line numbers and go to STL_LOAD_ERRORS in file order, MAXERROR is applied to the total,
// and the workers' chunks become the table's new version, all at once or not at all.
import { concatBatches, gatherBatch, sliceBatch, type Batch } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { CopyState, PROGRESS_SLOTS, type CopyTask, type CopyTaskResult, type CopyUnit } from '../cluster/copy-task.js';
import { WorkerExecutor } from '../cluster/pool.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { ChunkStore } from '../storage/chunk-store.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { appendRows, CHUNK_ROWS, effectiveStyle, type TableData } from '../storage/table-data.js';
import type { LoadProgress, LoadRequest, LoadResult } from './copy-load.js';
import { runCopyTask } from './copy-worker.js';
import { loadFailed, recordLoadError, type LoadErrorRow } from './load-errors.js';
import { rowCutting, splittable } from './record-cuts.js';
import { MAX_MAXERROR } from './row-builder.js';
import type { SinkStyle } from './slice-chunk-sink.js';
import type { LoadSource } from './sources.js';

/**
 * Sizes of the pieces a COPY is cut into: a splittable source into byte ranges of `rangeBytes`, parsed by
 * whichever worker is free; each range read `blockBytes` at a time. Tests make them small to put many
 * range and block boundaries into small files.
 */
export const copyTuning = { rangeBytes: 32 * 1024 * 1024, blockBytes: 256 * 1024 };

/**
 * Whether the workers can run this COPY: every source can be reopened in a worker (files, not client
 * streams), the format is a text one, and no column left out of the column list takes a default or an
 * IDENTITY value (those are computed on the leader).
 */
export function parallelEligible(req: LoadRequest, sources: readonly LoadSource[]): boolean {
  if (req.options.format === 'PARQUET') return false;
  if (!sources.every((s) => s.locator !== undefined)) return false;
  if (req.columns) {
    const given = new Set(req.columns);
    if (req.table.columns.some((c) => !given.has(c.name) && (c.identity || c.defaultSql))) return false;
  }
  return true;
}

/** The units of a COPY in file order, each with the index of its source. */
export function planUnits(sources: readonly LoadSource[], o: LoadRequest['options'], rangeBytes = copyTuning.rangeBytes): { unit: CopyUnit; source: number }[] {
  const split = splittable(rowCutting(o));
  const out: { unit: CopyUnit; source: number }[] = [];
  sources.forEach((s, i) => {
    const size = s.size ?? 0;
    const compressed = o.compression !== undefined || /\.gz$/i.test(s.name);
    const base = { source: s.locator!, name: s.name, compressed };
    if (!split || compressed || size <= rangeBytes) { out.push({ unit: { ...base, start: 0, end: size, whole: true }, source: i }); return; }
    for (let at = 0; at < size; at += rangeBytes) out.push({ unit: { ...base, start: at, end: Math.min(size, at + rangeBytes), whole: false }, source: i });
  });
  return out;
}

/** Loads `sources` with the slice workers (or inline on the leader without a pool); atomic like loadSources. */
export async function loadParallel(req: LoadRequest, sources: readonly LoadSource[]): Promise<LoadResult> {
  const { session: s, table: def, options: o } = req;
  const engine = s.engine;
  const planned = planUnits(sources, o);
  const pool = engine.executor instanceof WorkerExecutor ? engine.executor : null;
  const workers = Math.max(1, Math.min(pool ? pool.threads : 1, planned.length));
  const state = new Int32Array(new SharedArrayBuffer(4 * CopyState.size));
  const progress = new Float64Array(new SharedArrayBuffer(8 * PROGRESS_SLOTS * workers));
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = (): void => { Atomics.store(cancel, 0, (req.signal?.reason as Error | undefined)?.message?.includes('timeout') ? 2 : 1); };
  if (req.signal?.aborted) onAbort(); else req.signal?.addEventListener('abort', onAbort, { once: true });
  const data = s.dataOf(def);
  const style: SinkStyle = def.diststyle === 'KEY' && def.distkey >= 0 ? 'KEY' : def.diststyle === 'ALL' ? 'ALL' : 'EVEN';
  const base: Omit<CopyTask, 'worker'> = {
    kind: 'copy', units: planned.map((p) => p.unit), blockBytes: copyTuning.blockBytes, state, progress, cancel,
    table: { name: def.name, oid: def.oid, columns: def.columns.map((c) => ({ name: c.name, type: c.type, notNull: !!c.notNull })) },
    columns: req.columns, options: o, style, distkey: def.distkey, slices: data.slices.length,
    who: { user: s.user, session: s.pid, query: (engine as unknown as { nextQueryId?: number }).nextQueryId ?? 0, starttime: BigInt(Date.now()) * 1000n },
  };
  const t0 = Date.now();
  const bytesTotal = sources.reduce((n, x) => n + (x.size ?? 0), 0);
  const report = (final: boolean): void => {
    if (!req.onProgress) return;
    let bytesDone = 0, rows = 0;
    for (let w = 0; w < workers; w++) { bytesDone += progress[w * PROGRESS_SLOTS]!; rows += progress[w * PROGRESS_SLOTS + 1]!; }
    const at = planned[Math.min(Math.max(0, Atomics.load(state, CopyState.next) - 1), planned.length - 1)];
    req.onProgress({
      file: at ? at.unit.name : '', filesDone: final ? sources.length : at ? at.source : 0, filesTotal: sources.length,
      bytesDone: final ? bytesTotal : Math.min(bytesDone, bytesTotal), bytesTotal, rows, errors: Atomics.load(state, CopyState.errors), elapsedMs: Date.now() - t0,
    });
  };
  const timer = req.onProgress ? setInterval(() => report(false), 200) : undefined;
  let results: CopyTaskResult[];
  try {
    results = await Promise.all(Array.from({ length: workers }, (_, worker) => {
      const task: CopyTask = { ...base, worker };
      return pool ? pool.runTask<CopyTaskResult>(task) : runCopyTask(task, engine.store.memory, engine.store.allocator);
    }));
  } finally {
    clearInterval(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
  // The workers' chunks belong to the store from here: a failed COPY's are freed by the next sweep.
  for (const r of results) for (const cs of r.chunks) for (const c of cs) engine.store.adopt(c);
  const failure = results.find((r) => r.error);
  if (failure) throw SqlError.fromUnknown(failure.error);
  if (Atomics.load(cancel, 0) !== 0) throw new SqlError(SqlState.queryCanceled, Atomics.load(cancel, 0) === 2 ? 'canceling statement due to statement timeout' : 'canceling statement due to user request');

  const errors = badRowsInFileOrder(results, planned.map((p) => p.source));
  const maxError = o.ignoreAllErrors ? Number.POSITIVE_INFINITY : Math.min(o.maxError ?? 0, MAX_MAXERROR);
  // The workers' shared count, not only the rows placed in file order: a unit abandoned after its first bad
  // row hides the bad rows of the units after it, and those still count against MAXERROR.
  if (errors.length > maxError || Atomics.load(state, CopyState.errors) > maxError) {
    for (const e of errors.slice(0, maxError + 1)) recordLoadError(engine, e);
    throw loadFailed(def.name, errors[0]);
  }
  for (const e of errors) recordLoadError(engine, e);
  const rows = results.reduce((n, r) => n + r.rows, 0);
  const perSlice: ChunkDesc[][] = data.slices.map((_, i) => results.flatMap((r) => r.chunks[i] ?? []));
  s.writeData(def, withChunks(def, data, perSlice, rows, style, engine.store));
  report(true);
  return { rows, errors: errors.length };
}

/**
 * The bad rows of all units in file order, with line numbers counted from the file's first line. A unit's
 * lines are known only when the unit before it in its file was read to the end; a failed COPY may leave
 * one unread, and the bad rows after it (never the first one) are not reported.
 */
function badRowsInFileOrder(results: readonly CopyTaskResult[], sourceOf: readonly number[]): LoadErrorRow[] {
  const byUnit = new Map<number, CopyTaskResult['units'][number]>();
  for (const r of results) for (const u of r.units) byUnit.set(u.unit, u);
  const out: LoadErrorRow[] = [];
  let lineBase = 0, known = true;
  for (let k = 0; k < sourceOf.length; k++) {
    if (k === 0 || sourceOf[k] !== sourceOf[k - 1]) { lineBase = 0; known = true; }
    const u = byUnit.get(k);
    if (!u) { known = false; continue; }
    if (known) for (const e of u.errors) out.push({ ...e, lineNumber: e.lineNumber + lineBase });
    lineBase += u.lines;
    if (!u.complete) known = false;
  }
  return out;
}

/**
 * The table version with the loaded chunks added. The workers placed rows by the table's DISTSTYLE, AUTO as
 * EVEN; when AUTO keeps the table ALL (few rows) or switches it from ALL to EVEN, rows are placed again here.
 */
function withChunks(def: TableDef, data: TableData, perSlice: ChunkDesc[][], rows: number, placed: SinkStyle, store: ChunkStore): TableData {
  if (rows === 0) return data;
  const style = effectiveStyle(def, data.rows + rows, data.rows > 0 ? data.style : undefined);
  const n = data.slices.length;
  if (style !== placed && style === 'ALL') {
    // AUTO with few rows: one replica (at most AUTO_ALL_MAX_ROWS rows, cheap to move).
    const batch = concatBatches(def.columns.map((c) => c.type), perSlice.flat().map((c) => store.decodeAll(c)));
    return appendRows(def, data, batch, store);
  }
  let existing = data.slices;
  if (data.style === 'ALL' && style !== 'ALL' && data.rows > 0) {
    // AUTO growing past its ALL limit: spread the replica round-robin first (as appendRows does).
    const old = concatBatches(def.columns.map((c) => c.type), data.slices[0]!.map((c) => store.decodeAll(c)));
    existing = Array.from({ length: n }, (_, sl) => {
      const sel: number[] = [];
      for (let i = sl; i < old.length; i += n) sel.push(i);
      const mine: Batch = gatherBatch(old, sel, sel.length);
      const out: ChunkDesc[] = [];
      for (let at = 0; at < mine.length; at += CHUNK_ROWS) out.push(store.encode(sliceBatch(mine, at, Math.min(CHUNK_ROWS, mine.length - at))));
      return out;
    });
  }
  const slices = existing.map((cs, i) => [...cs, ...(style === 'ALL' ? (i === 0 ? perSlice.flat() : []) : perSlice[i]!)]);
  return { ...data, slices, rows: data.rows + rows, evenNext: (data.evenNext + rows) % n, style };
}
