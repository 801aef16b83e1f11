// One transaction of a session (a BEGIN ... COMMIT block, or a single statement outside one): the
// snapshot it reads (the committed table versions and catalog as of its first statement), the
// table versions and catalog changes it made, and the tables it read. COMMIT checks it against the
// commits made since its snapshot (serializable isolation, Redshift's error 1023) and publishes it
// into the engine in one synchronous step; the durable store then writes one manifest for it.
import type { Catalog, Relation, TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import { emptyTableData, type TableData } from '../storage/table-data.js';
import type { CommitRecord, Engine } from './database.js';

export class Transaction {
  readonly xid: number;
  /** Commits up to this sequence number are visible to the transaction. */
  readonly snapshotSeq: number;
  /** The committed catalog when the transaction began, and the transaction's own copy once it does DDL. */
  private readonly baseCatalog: Catalog;
  private ownCatalog: Catalog | null = null;
  private readonly baseVersion: number;
  /** The committed table versions when the transaction began (the engine never changes this map). */
  private readonly snapshot: ReadonlyMap<number, TableData>;
  /** Empty versions of tables the snapshot has no entry for, made once so reads agree. */
  private readonly empty = new Map<number, TableData>();
  private readonly writes = new Map<number, TableData>();
  private readonly dropped = new Set<number>();
  private readonly reads = new Set<number>();

  /** `implicit`: a single statement run outside a transaction block. */
  constructor(private readonly engine: Engine, readonly pid: number, readonly implicit: boolean) {
    this.xid = engine.newXid();
    this.snapshotSeq = engine.commitSeq;
    this.baseCatalog = engine.committedCatalog;
    this.baseVersion = this.baseCatalog.version;
    this.snapshot = engine.tables;
  }

  /** The catalog the transaction sees: the committed one of its snapshot, or its own copy. */
  get catalog(): Catalog { return this.ownCatalog ?? this.baseCatalog; }

  /** Gives the transaction its own copy of the catalog; called before a statement that may change it. */
  prepareCatalogChange(): void { this.ownCatalog ??= this.baseCatalog.copy(); }

  /** The version of a table this transaction sees: its own write, else the snapshot's. */
  dataOf(def: TableDef): TableData {
    this.reads.add(def.oid);
    const own = this.writes.get(def.oid);
    if (own) return own;
    const d = this.snapshot.get(def.oid) ?? this.empty.get(def.oid);
    if (d) return d;
    const fresh = emptyTableData(def, this.engine.slices);
    this.empty.set(def.oid, fresh);
    return fresh;
  }

  /**
   * Records a new version of a table. Fails at once with 1023 when another transaction committed
   * the table after this one's snapshot: this transaction could never commit.
   */
  writeData(def: TableDef, data: TableData): void {
    this.checkUnchanged(def.oid);
    this.writes.set(def.oid, data);
    this.dropped.delete(def.oid);
  }

  /** Records that a table's data goes away with the table (DROP TABLE). */
  dropData(def: TableDef): void {
    this.checkUnchanged(def.oid);
    this.writes.delete(def.oid);
    this.dropped.add(def.oid);
  }

  /** Every table version the transaction may still read (their chunks must survive a sweep). */
  *liveData(): Generator<TableData> {
    yield* this.snapshot.values();
    yield* this.writes.values();
    yield* this.empty.values();
  }

  /** Whether the transaction changed anything (data or catalog). */
  get changed(): boolean {
    return this.writes.size > 0 || this.dropped.size > 0 || this.catalogChanged;
  }

  private get catalogChanged(): boolean { return this.ownCatalog !== null && this.ownCatalog.version !== this.baseVersion; }

  /**
   * Publishes the transaction: its catalog changes and table versions become the committed state,
   * all at once. Throws 1023 (and publishes nothing) when a table it read or wrote, or a relation
   * it changed, was committed by another transaction after this one's snapshot. A transaction
   * that changed nothing always commits.
   */
  commit(): void {
    if (!this.changed) return;
    const e = this.engine;
    const touched = new Set<number>([...this.reads, ...this.writes.keys(), ...this.dropped]);
    let nextCatalog: Catalog | null = null;
    let ddl: number[] = [];
    if (this.catalogChanged) {
      ddl = changedRelations(this.baseCatalog, this.catalog);
      for (const oid of ddl) touched.add(oid);
      nextCatalog = this.mergeCatalog();
    }
    for (const oid of touched) this.checkUnchanged(oid);
    const record: CommitRecord = { seq: e.commitSeq + 1, xid: this.xid, pid: this.pid };
    e.commitSeq = record.seq;
    if (nextCatalog) e.publishCatalog(nextCatalog);
    const cat = e.committedCatalog;
    const tables = new Map(e.tables);
    for (const oid of ddl) {
      e.lastCommit.set(oid, record);
      if (!cat.byOid(oid)) tables.delete(oid);
    }
    for (const oid of this.dropped) {
      e.lastCommit.set(oid, record);
      if (!cat.byOid(oid)) tables.delete(oid);
    }
    for (const [oid, d] of this.writes) {
      e.lastCommit.set(oid, record);
      if (cat.byOid(oid)?.kind === 'table') tables.set(oid, d);
    }
    e.publishTables(tables);
  }

  /**
   * The catalog to publish: this transaction's copy when nothing else changed the catalog since
   * the snapshot; otherwise the committed catalog with this transaction's changes applied, when
   * the two touched different relations (else 1023).
   */
  private mergeCatalog(): Catalog {
    const committed = this.engine.committedCatalog;
    if (committed === this.baseCatalog) return this.catalog;
    const theirs = new Set(changedRelations(this.baseCatalog, committed));
    const mine = changedRelations(this.baseCatalog, this.catalog);
    for (const oid of mine) if (theirs.has(oid)) throw this.conflict(oid, this.engine.lastCommit.get(oid));
    const next = committed.copy();
    const own = byOid(this.catalog);
    const current = byOid(next);
    for (const oid of mine) {
      const was = current.get(oid);
      const now = own.get(oid);
      if (was && now) next.replace(was, now);
      else if (was) next.remove(was);
      else if (now) next.add(now);
    }
    mergeMap(this.baseCatalog.schemas, this.catalog.schemas, next.schemas);
    mergeMap(this.baseCatalog.users, this.catalog.users, next.users);
    next.version = Math.max(next.version, this.catalog.version) + 1;
    return next;
  }

  private checkUnchanged(oid: number): void {
    const c = this.engine.lastCommit.get(oid);
    if (c && c.seq > this.snapshotSeq && c.xid !== this.xid) throw this.conflict(oid, c);
  }

  /**
   * Redshift's serializable isolation error: SQLSTATE XX000, message "1023", and the detail naming
   * the table and the transactions forming the cycle (Redshift "Serializable isolation",
   * "Troubleshooting serializable isolation errors").
   */
  private conflict(oid: number, other: CommitRecord | undefined): SqlError {
    const xids = other ? `${other.xid}, ${this.xid}` : `${this.xid}`;
    return new SqlError(SqlState.internalError, '1023', {
      detail: `Serializable isolation violation on table - ${oid}, transactions forming the cycle are: ${xids} (pid:${this.pid})`,
      hint: 'Retry the transaction.',
    });
  }
}

/** Whether an error is the serializable isolation error (1023). */
export function isSerializationFailure(e: unknown): boolean {
  return e instanceof SqlError && e.code === SqlState.internalError && e.message === '1023';
}

function byOid(cat: Catalog): Map<number, Relation> {
  const m = new Map<number, Relation>();
  for (const r of cat.relationsList()) m.set(r.oid, r);
  return m;
}

/** Oids of relations added, removed or replaced between two catalogs. */
function changedRelations(from: Catalog, to: Catalog): number[] {
  const a = byOid(from);
  const b = byOid(to);
  const out: number[] = [];
  for (const [oid, r] of a) if (b.get(oid) !== r) out.push(oid);
  for (const oid of b.keys()) if (!a.has(oid)) out.push(oid);
  return out;
}

/** Applies the entries added, changed or removed between `from` and `to` onto `target`. */
function mergeMap<V>(from: ReadonlyMap<string, V>, to: ReadonlyMap<string, V>, target: Map<string, V>): void {
  for (const k of from.keys()) if (!to.has(k)) target.delete(k);
  for (const [k, v] of to) if (from.get(k) !== v) target.set(k, v);
}
