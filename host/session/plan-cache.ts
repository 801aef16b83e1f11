// The plans of recently run SELECTs, so a statement run again (a dashboard's query, a dbt test, a
// client's catalog probe, a benchmark's repetition) skips binding and planning: between the front
// end's parse (itself cached by text, host/front/parse.ts) and the run on the slices.
import type { Catalog, TableDef } from '../catalog/catalog.js';
import type { TableData } from '../storage/table-data.js';
import type { SqlType } from '../types/sql-type.js';
import type { PlannedQuery } from './query.js';
import type { Field } from './api.js';

/** A bound and planned SELECT: the plans, its result columns, and the types of $1..$n as bound. */
export interface PreparedSelect {
  planned: PlannedQuery;
  fields: Field[];
  paramTypes: (SqlType | undefined)[];
}

/**
 * What a plan was made from, besides its statement's syntax tree: a cached plan is reused only when
 * all of it is the same object or value again.
 */
export interface PlanInputs {
  /** The catalog the statement was bound against (a transaction's own copy after its DDL) and its version. */
  catalog: Catalog;
  catalogVersion: number;
  /** The resolved search path, the session user and the types the client declared for $1..$n. */
  context: string;
}

interface Entry<P> {
  inputs: PlanInputs;
  /** Every table version the planner's statistics read (row counts, distribution, distinct values, ranges). */
  reads: ReadonlyMap<TableDef, TableData>;
  prepared: P;
}

/** Plans kept per statement tree: the few most recent variants of each (other search paths, snapshots). */
const VARIANTS = 4;

/**
 * A cache of prepared SELECTs keyed by the statement's syntax tree (the parse cache hands out one
 * frozen tree per text). A prepared plan is shared by every run that hits it, so it is frozen when
 * stored: nothing that runs a plan may change it. Statements that read system relations are never
 * stored (their rows are made while binding).
 */
export class PlanCache<P extends object> {
  private readonly byTree = new WeakMap<object, Entry<P>[]>();
  hits = 0;
  misses = 0;

  /**
   * The plan stored for `tree` under the same inputs whose table versions are still the ones
   * `dataOf` returns; undefined when there is none.
   */
  get(tree: object, inputs: PlanInputs, dataOf: (def: TableDef) => TableData): P | undefined {
    const entries = this.byTree.get(tree);
    const hit = entries?.find((e) => sameInputs(e.inputs, inputs) && [...e.reads].every(([def, data]) => dataOf(def) === data));
    if (hit) this.hits++; else this.misses++;
    return hit?.prepared;
  }

  /** Stores a plan (frozen from here on) with the table versions its planning read. */
  put(tree: object, inputs: PlanInputs, reads: ReadonlyMap<TableDef, TableData>, prepared: P): void {
    freezePlan(prepared);
    const entries = this.byTree.get(tree) ?? [];
    entries.unshift({ inputs, reads, prepared });
    if (entries.length > VARIANTS) entries.length = VARIANTS;
    this.byTree.set(tree, entries);
  }
}

function sameInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.catalog === b.catalog && a.catalogVersion === b.catalogVersion && a.context === b.context;
}

/** The cache key part for parameter types the client declared. */
export function declaredTypesKey(types: readonly (SqlType | undefined)[] | undefined): string {
  return types?.length ? JSON.stringify(types) : '';
}

/**
 * Freezes a plan's own objects. Table and catalog definitions it points to are the catalog's (never
 * changed in place, host/catalog/catalog.ts) and typed arrays cannot be frozen: both are left as they are.
 */
function freezePlan(v: unknown, seen = new Set<object>()): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v) || seen.has(v) || ArrayBuffer.isView(v)) return;
  if (v instanceof Map || v instanceof Set || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return;
  seen.add(v);
  for (const [k, x] of Object.entries(v)) if (k !== 'table' && k !== 'def') freezePlan(x, seen);
  Object.freeze(v);
}
