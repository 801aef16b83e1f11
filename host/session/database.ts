// The engine shared by all sessions of one process: the catalog, the committed table data, the
// slice count and the executor that runs fragments on slices.
import { Catalog, type TableDef } from '../catalog/catalog.js';
import { inlineExecutor, type SliceExecutor } from '../cluster/runner.js';
import { initParser } from '../front/parse.js';
import type { PlannerStats } from '../plan/lower.js';
import { emptyTableData, type TableData } from '../storage/table-data.js';
import { availableParallelism } from 'node:os';

export interface EngineOptions {
  /** Number of slices (default: one per core). */
  slices?: number;
  /** Run slice fragments in worker threads (default: true when slices > 1). */
  workers?: boolean;
}

export class Engine {
  readonly catalog = new Catalog();
  /** Committed data by table oid. */
  readonly tables = new Map<number, TableData>();
  readonly slices: number;
  executor: SliceExecutor = inlineExecutor;
  /** Queries seen, for STL_QUERY. */
  readonly queryLog: { query: number; user: string; text: string; start: bigint; end: bigint; aborted: boolean }[] = [];
  private nextQueryId = 1;
  private nextPid = 1000;
  closed = false;

  private constructor(options: EngineOptions) {
    this.slices = Math.max(1, Math.min(64, options.slices ?? availableParallelism()));
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    await initParser();
    return new Engine(options);
  }

  newQueryId(): number { return this.nextQueryId++; }
  newPid(): number { return this.nextPid++; }

  dataOf(def: TableDef): TableData {
    let d = this.tables.get(def.oid);
    if (!d) { d = emptyTableData(def, this.slices); this.tables.set(def.oid, d); }
    return d;
  }

  /** Planner statistics over a view of table data (a session's snapshot plus its own writes). */
  stats(view: (def: TableDef) => TableData): PlannerStats {
    return { rows: (t) => view(t).rows, style: (t) => view(t).style };
  }

  async close(): Promise<void> { this.closed = true; }
}
