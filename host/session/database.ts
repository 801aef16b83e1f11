// The engine shared by all sessions of one process: the committed catalog and table data, the
// commit sequence that transactions check their snapshots against, the slice count and the
// executor that runs fragments on slices.
import { PlanCache, type PreparedSelect } from './plan-cache.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Catalog, type TableDef } from '../catalog/catalog.js';
import { inlineExecutor, type SliceExecutor } from '../cluster/runner.js';
import { initParser } from '../front/parse.js';
import { distinctFromSample, type PlannerStats } from '../plan/cardinality.js';
import { CHUNK_ROWS, chunksOf, emptyTableData, type TableData } from '../storage/table-data.js';
import type { KernelContext } from '../exec/kernel-filter.js';
import { instantiateKernels, loadKernelModules } from '../wasm/kernels.js';
import { ChunkStore } from '../storage/chunk-store.js';
import { MAX_MEMORY_BYTES } from '../wasm/memory.js';
import { WorkerExecutor } from '../cluster/pool.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { S3Options } from '../load/s3-client.js';
import { DurableStore, exitOnFatal, type DurableOptions } from '../storage/durable/durable-store.js';
import { checkBackgroundNice, lowerBackgroundThreads } from '../cluster/thread-priority.js';

export interface EngineOptions {
  /** Number of slices (default: one per core). */
  slices?: number;
  /** Run slice fragments in worker threads (default: true). */
  workers?: boolean;
  /** Bytes of shared memory to reserve for table data and kernel scratch (default and maximum 4 GiB). */
  memoryBytes?: number;
  /**
   * Bytes of table chunks read from the data directory to keep in memory; beyond it, the least
   * recently used unpinned chunks are evicted and read again from their block files when needed
   * (default: half of memoryBytes; only chunks stored in a data directory can be evicted).
   */
  memoryLimit?: number;
  /** Data directory: committed state is kept there and survives restarts (omitted: in memory only). */
  data?: string;
  /** Durable store settings (tests inject file-system failures here). */
  storage?: DurableOptions;
  /** The S3-compatible object store COPY and UNLOAD reach for s3:// locations (endpoint, region, keys). */
  s3?: S3Options;
  /**
   * Nice value (0 to 19) for the threads this process already has besides the main thread: V8's
   * background compiler and GC threads, which the leader and every slice share. With it, on a
   * machine with few cores, queries' threads run before that background work (ADR 0036). Linux
   * only; once per process; default 0 (unchanged). The server sets 10.
   */
  backgroundNice?: number;
}

/** The commit that last changed a table's data or definition. */
export interface CommitRecord { seq: number; xid: number; pid: number }

/** A statement's view of the catalog: its transaction's copy (see Engine.catalog). */
export interface CatalogScope { readonly scopedCatalog: Catalog | undefined }

const catalogScope = new AsyncLocalStorage<CatalogScope>();

/** Share of the reserved shared memory that chunks read from a data directory may take by default. */
export const DEFAULT_MEMORY_LIMIT_SHARE = 0.5;

/** Chunks per slice the distinct-count sample reads rows from. */
const SAMPLE_CHUNKS = 8;

export class Engine {
  private committed = new Catalog();
  private committedTables = new Map<number, TableData>();
  /**
   * Committed data by table oid. A commit publishes a new map (publishTables) rather than changing
   * this one, so a transaction's snapshot is this map as it was when the transaction began.
   */
  get tables(): ReadonlyMap<number, TableData> { return this.committedTables; }

  /** Makes `next` the committed table versions (Transaction.commit). */
  publishTables(next: Map<number, TableData>): void { this.committedTables = next; }
  /** Sequence number of the latest commit (a transaction's snapshot is the value when it began). */
  commitSeq = 0;
  /** The latest commit of each table's data or definition, by oid (for serializable isolation). */
  readonly lastCommit = new Map<number, CommitRecord>();
  private nextXid = 1;
  readonly slices: number;
  executor: SliceExecutor = inlineExecutor;
  /** Queries seen, for STL_QUERY. */
  readonly queryLog: { query: number; user: string; pid: number; text: string; start: bigint; end: bigint; aborted: boolean }[] = [];
  private nextQueryId = 1;
  private nextPid = 1000;
  closed = false;
  readonly store: ChunkStore;
  /** Sessions, with the table versions their open transactions read or wrote (their chunks must survive a sweep). */
  readonly sessions = new Set<{ pendingData(): Iterable<TableData> }>();
  /** Statements running now; chunks are swept only when none is. */
  active = 0;
  private pool: WorkerExecutor | null = null;
  /** Bound and planned SELECTs, reused when a statement runs again over the same catalog and table versions. */
  readonly plans = new PlanCache<PreparedSelect>();
  /** The leader thread's own kernel instance, for fragments that run inline. */
  readonly kernels: KernelContext;
  /** The data directory's store, when the engine has one. */
  durable: DurableStore | null = null;
  private shutDown = false;
  /** Object store settings for s3:// in COPY and UNLOAD. */
  readonly s3: S3Options | undefined;

  /**
   * The catalog as the running statement sees it: inside a statement of a session (see
   * withCatalogScope), its transaction's copy, with that transaction's uncommitted DDL; elsewhere
   * the committed catalog. Every layer reads names through this one property.
   */
  get catalog(): Catalog { return catalogScope.getStore()?.scopedCatalog ?? this.committed; }

  /** The committed catalog, whatever statement is running. */
  get committedCatalog(): Catalog { return this.committed; }

  /** Makes a transaction's catalog the committed one (Transaction.commit). */
  publishCatalog(next: Catalog): void { this.committed = next; }

  /** Runs `f` with `scope`'s catalog as Engine.catalog, through all its awaits. */
  withCatalogScope<R>(scope: CatalogScope, f: () => R): R { return catalogScope.run(scope, f); }

  /** The scope of the running statement, if any. */
  currentScope(): CatalogScope | undefined { return catalogScope.getStore(); }

  newXid(): number { return this.nextXid++; }

  private constructor(options: EngineOptions) {
    this.slices = Math.max(1, Math.min(64, options.slices ?? availableParallelism()));
    this.s3 = options.s3;
    this.store = new ChunkStore(createMemory(options.memoryBytes));
    this.store.memoryLimit = options.memoryLimit ?? Math.floor(this.store.memory.buffer.byteLength * DEFAULT_MEMORY_LIMIT_SHARE);
    const k = instantiateKernels(loadKernelModules().simd, this.store.memory);
    const a = this.store.allocator;
    this.kernels = { k, memory: this.store.memory, selA: a.alloc(CHUNK_ROWS * 4), selB: a.alloc(CHUNK_ROWS * 4), capacity: CHUNK_ROWS };
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    if (options.backgroundNice !== undefined) checkBackgroundNice(options.backgroundNice);
    await initParser();
    const e = new Engine(options);
    if (options.data !== undefined) {
      // A failed commit stops the engine for good (PostgreSQL PANICs on a failed fsync).
      const onFatal = options.storage?.onFatal;
      const store = DurableStore.open(resolve(options.data), e.slices, {
        ...options.storage,
        onFatal: (err) => { e.closed = true; (onFatal ?? exitOnFatal)(err); },
      });
      e.durable = store;
      try {
        e.committedTables = store.load(e.committed, e.store, e.slices);
        e.commit();
      } catch (err) {
        store.close();
        throw err;
      }
    }
    if (options.backgroundNice !== undefined) lowerBackgroundThreads(options.backgroundNice);
    if (options.workers !== false) {
      e.pool = await WorkerExecutor.start(e.store.memory, e.slices);
      e.executor = e.pool;
    }
    return e;
  }

  /** Frees chunks that no committed table version, snapshot or uncommitted version references. */
  sweep(): void {
    if (this.active > 0) return;
    const reachable: import('../storage/chunk.js').ChunkDesc[] = [];
    for (const d of this.tables.values()) for (const c of chunksOf(d)) reachable.push(c);
    for (const s of this.sessions) for (const d of s.pendingData()) for (const c of chunksOf(d)) reachable.push(c);
    this.store.sweep(reachable);
  }

  /**
   * Makes the committed state (catalog and `tables`) durable before a statement reports success.
   * Called after every statement; a no-op without a data directory or when nothing changed.
   */
  commit(): void {
    this.durable?.commit(this.committed, this.tables, this.store, this.slices);
  }

  newQueryId(): number { return this.nextQueryId++; }
  newPid(): number { return this.nextPid++; }

  dataOf(def: TableDef): TableData {
    return this.committedTables.get(def.oid) ?? emptyTableData(def, this.slices);
  }

  /** Planner statistics over a view of table data (a session's snapshot plus its own writes). */
  stats(view: (def: TableDef) => TableData): PlannerStats {
    return { rows: (t) => view(t).rows, style: (t) => view(t).style, ndv: (t, c) => this.ndv(view(t), c), range: (t, c) => this.range(view(t), c) };
  }

  private readonly ndvCache = new WeakMap<TableData, Map<number, number>>();

  /**
   * Distinct values of a column, estimated from a sample of about 20K rows spread over the slices
   * (the sample's distinct and once-seen values scaled to the table: distinctFromSample).
   */
  ndv(data: TableData, col: number): number | undefined {
    if (data.rows === 0) return undefined;
    let cache = this.ndvCache.get(data);
    if (!cache) { cache = new Map(); this.ndvCache.set(data, cache); }
    const hit = cache.get(col);
    if (hit !== undefined) return hit;
    const seen = new Map<unknown, number>();
    let sampled = 0;
    const perSlice = Math.ceil(20000 / data.slices.length);
    for (const chunks of data.slices) {
      // Rows spread over the slice: up to SAMPLE_CHUNKS chunks evenly spaced, every k-th row of
      // each, so values stored in runs (lineitem's order keys) do not look like a few repeated ones.
      const picked = Math.min(chunks.length, SAMPLE_CHUNKS);
      const perChunk = Math.ceil(perSlice / Math.max(1, picked));
      for (let p = 0; p < picked; p++) {
        const c = chunks[Math.floor((p * chunks.length) / picked)]!;
        const v = this.store.decode(c, [col]).columns[0]!;
        const stride = Math.max(1, Math.floor(v.length / perChunk));
        for (let i = 0; i < v.length && i / stride < perChunk; i += stride) {
          const x = typeof v.data[i] === 'string' ? (v.data[i] as string).trimEnd() : v.data[i];
          seen.set(x, (seen.get(x) ?? 0) + 1);
          sampled++;
        }
      }
    }
    let once = 0;
    for (const k of seen.values()) if (k === 1) once++;
    const est = distinctFromSample(sampled, seen.size, once, data.rows);
    cache.set(col, est);
    return est;
  }

  /** Smallest and largest value of a numeric or date column over its chunks' zone maps, as numbers. */
  range(data: TableData, col: number): { min: number; max: number } | undefined {
    let cache = this.rangeCache.get(data);
    if (!cache) { cache = new Map(); this.rangeCache.set(data, cache); }
    if (cache.has(col)) return cache.get(col);
    const r = this.zoneRange(data, col);
    cache.set(col, r);
    return r;
  }

  private readonly rangeCache = new WeakMap<TableData, Map<number, { min: number; max: number } | undefined>>();

  private zoneRange(data: TableData, col: number): { min: number; max: number } | undefined {
    let min = Infinity, max = -Infinity;
    for (const chunks of data.slices) for (const c of chunks) {
      const z = c.zones?.[col];
      if (!z) return undefined;
      if (z.min === null || z.max === null) continue;
      if (typeof z.min === 'string' || typeof z.max === 'string') return undefined;
      min = Math.min(min, Number(z.min));
      max = Math.max(max, Number(z.max));
    }
    return min <= max ? { min, max } : undefined;
  }

  async close(): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    try {
      if (this.durable && !this.durable.failed) this.commit();
    } finally {
      this.closed = true;
      this.durable?.close();
      await this.pool?.close();
    }
  }
}

function createMemory(bytes: number | undefined): WebAssembly.Memory {
  return createSharedMemory(Math.min(MAX_MEMORY_BYTES, bytes ?? MAX_MEMORY_BYTES));
}
import { createSharedMemory } from '../wasm/memory.js';

