// A session: one connection's settings, transaction and prepared state. It runs SQL text
// statement by statement: front-end parse, then SELECT/DML through the planner and the slices,
// and DDL, SET/SHOW and transaction control directly, each statement inside a transaction (its
// own, or the open BEGIN block's). Both the library and the wire server use it.
import { type Batch, batchToRows } from '../batch/vector.js';
import { Binder } from '../bind/binder.js';
import type { Relation, TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { castValue } from '../functions/cast.js';
import { parseStatements, type ParsedStatement } from '../front/parse.js';
import { colsOf } from '../plan/logical.js';
import { explainStatement } from '../plan/explain.js';
import type { RunEnv } from '../cluster/runner.js';
import type { TableData } from '../storage/table-data.js';
import { T, type SqlType } from '../types/sql-type.js';
import type { ExecuteOptions, Field, SessionApi, StatementDescription, StatementResult, TransactionStatus } from './api.js';
import type { Engine } from './database.js';
import { planQuery, runQuery } from './query.js';
import { executeDdl } from './ddl.js';
import { executeDml, inferWhereParams } from './dml.js';
import { executeMerge } from './merge.js';
import { explainJoinDml } from './dml-join.js';
import { executeAlterTable, executeRedshiftAlter } from './alter.js';
import { executeVacuum } from './maintenance.js';
import { executeCopy } from './copy-local.js';
import { copyToStdout } from './copy-out.js';
import { executeUnload } from '../unload/unload.js';
import { SqlCursors } from './cursors.js';
import { systemRelation, VIEW_PARSER } from '../catalog/system-views.js';
import { sessionHandle } from '../functions/catalog-fns.js';
import { isSerializationFailure, Transaction } from './transaction.js';
import type { Catalog } from '../catalog/catalog.js';
import { pruneChunks, scanTest } from '../storage/zone-prune.js';
import { declaredTypesKey, type PlanInputs } from './plan-cache.js';

// pg_depend reads the relations a view's SQL names.
VIEW_PARSER.parse = (sql) => parseStatements(sql)[0];

const DEFAULT_SETTINGS: Record<string, string> = {
  search_path: '$user, public',
  datestyle: 'ISO, MDY',
  timezone: 'UTC',
  statement_timeout: '0',
  client_encoding: 'UTF8',
  server_encoding: 'UTF8',
  server_version: '8.0.2',
  server_version_num: '80002',
  integer_datetimes: 'on',
  standard_conforming_strings: 'on',
  application_name: '',
  extra_float_digits: '0',
  intervalstyle: 'postgres',
  is_superuser: 'on',
  max_identifier_length: '127',
  query_group: 'default',
  enable_result_cache_for_session: 'on',
  transaction_isolation: 'serializable',
  default_transaction_isolation: 'serializable',
  analyze_threshold_percent: '10',
  wlm_query_slot_count: '1',
  describe_field_name_in_uppercase: 'off',
  lc_messages: 'C',
  lc_monetary: 'C',
  lc_numeric: 'C',
  lc_time: 'C',
};

/** Names as SHOW prints them. */
const DISPLAY_NAMES: Record<string, string> = { datestyle: 'DateStyle', timezone: 'TimeZone', intervalstyle: 'IntervalStyle' };

/** How many times a statement outside a transaction block is rerun after losing a write conflict. */
const AUTOCOMMIT_RETRIES = 50;

export class Session implements SessionApi {
  private readonly settings = new Map<string, string>(Object.entries(DEFAULT_SETTINGS));
  private status: TransactionStatus = 'I';
  /**
   * The open transaction: the BEGIN block's from its first statement on (Redshift takes the
   * snapshot there), or the running statement's own outside a block; null between them.
   */
  private txn: Transaction | null = null;
  readonly pid: number;
  readonly secretKey = Math.floor(Math.random() * 0x7fffffff);
  private running: AbortController | null = null;
  /** The statement running now (pg_stat_activity, STV_INFLIGHT), or null between statements. */
  statement: { query: number; text: string; start: bigint } | null = null;
  private readonly sqlCursors = new SqlCursors();

  constructor(readonly engine: Engine, readonly user: string = 'dev', readonly database = 'dev', pid?: number) {
    this.pid = pid ?? engine.newPid();
    engine.sessions.add(this);
  }

  /** Table versions this session's open transaction reads or wrote (kept alive by the chunk sweep). */
  pendingData(): Iterable<TableData> { return this.txn ? this.txn.liveData() : []; }

  /** The open transaction's catalog (Engine.catalog inside this session's statements). */
  get scopedCatalog(): Catalog | undefined { return this.txn?.catalog; }

  get transactionStatus(): TransactionStatus { return this.status; }
  getSetting(name: string): string | undefined { return this.settings.get(name.toLowerCase()); }
  setSetting(name: string, value: string): void { this.settings.set(name.toLowerCase(), value); }
  async close(): Promise<void> {
    this.txn = null;
    this.status = 'I';
    // Redshift drops a session's temporary tables when the session ends (CREATE TABLE, TEMPORARY).
    if (!this.engine.closed && this.engine.committedCatalog.schemas.has(this.tempSchema)) {
      await this.execute(`DROP SCHEMA "${this.tempSchema}" CASCADE`);
    }
    this.engine.sessions.delete(this);
  }

  /**
   * The schema of this session's temporary tables: made by its first CREATE TEMP TABLE, searched
   * before every other schema while it exists, dropped with its tables when the session closes
   * (Redshift "CREATE TABLE": TEMPORARY; PostgreSQL's pg_temp_N, also reachable as pg_temp).
   */
  get tempSchema(): string { return `pg_temp_${this.pid}`; }

  /**
   * Cancels the running statement, if any (CancelRequest, pg_cancel_backend, CANCEL): it fails with
   * `reason`, by default 57014 "canceling statement due to user request". False when none runs.
   */
  cancel(reason?: SqlError): boolean {
    if (!this.running || this.running.signal.aborted) return false;
    this.running.abort(reason);
    return true;
  }

  searchPath(): string[] {
    const raw = this.settings.get('search_path') ?? 'public';
    const temp = this.tempSchema;
    const list = raw.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean).map((s) => (s === '$user' ? this.user : s === 'pg_temp' ? temp : s));
    const schemas = this.engine.catalog.schemas;
    const path = ['pg_catalog', ...list.filter((s) => schemas.has(s))];
    // The temporary schema comes first unless the path names it (as pg_temp) somewhere else.
    if (schemas.has(temp) && !path.includes(temp)) path.unshift(temp);
    return path;
  }

  /** Where CREATE puts an object whose name has no schema: the first schema of the path that is not pg_catalog or temporary. */
  currentSchema(): string { return this.searchPath().find((s) => s !== 'pg_catalog' && s !== this.tempSchema) ?? 'public'; }

  /** The data a statement of this session sees: its transaction's own writes, else its snapshot. */
  dataOf(def: TableDef): TableData {
    const txn = this.openTransaction();
    return txn ? txn.dataOf(def) : this.engine.dataOf(def);
  }

  /** The running statement's transaction, or the open block's (begun now if nothing ran in it yet). */
  private openTransaction(): Transaction | null {
    if (!this.txn && this.status === 'T') this.txn = new Transaction(this.engine, this.pid, false);
    return this.txn;
  }

  /**
   * Records a new version of a table's data, published when the transaction commits (at COMMIT,
   * or at the end of a statement outside a block). Called outside any statement (the library's
   * copyFrom), the write commits at once.
   */
  writeData(def: TableDef, data: TableData): void {
    const txn = this.openTransaction();
    if (txn) { txn.writeData(def, data); return; }
    const own = new Transaction(this.engine, this.pid, true);
    own.writeData(def, data);
    own.commit();
  }

  /** Records that a dropped table's data goes away when the transaction commits. */
  dropData(def: TableDef): void { this.openTransaction()?.dropData(def); }

  /** A binder for this session's statements; `onSystemRead` hears of each system relation it binds. */
  newBinder(paramTypes: (SqlType | undefined)[], onSystemRead?: () => void, onRelation?: (rel: Relation) => void): Binder {
    return new Binder({
      ...(onRelation ? { onRelation } : {}),
      catalog: this.engine.catalog,
      searchPath: this.searchPath(),
      paramTypes,
      parseSelect: (sql) => {
        const [st] = parseStatements(sql);
        const ast = st?.ast;
        if (!ast?.SelectStmt) throw new SqlError(SqlState.internalError, 'view definition is not a SELECT');
        return ast.SelectStmt;
      },
      systemRelation: (schema, name, b) => {
        const r = systemRelation(this, schema, name, b);
        if (r) onSystemRead?.();
        return r;
      },
    });
  }

  runEnv(params: readonly unknown[], signal: AbortSignal): RunEnv {
    // Workers watch this word: 1 = cancelled by the user, 2 = statement timeout.
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const onAbort = () => Atomics.store(cancelFlag, 0, (signal.reason as SqlError | undefined)?.message?.includes('timeout') ? 2 : 1);
    if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });
    const now = BigInt(Date.now()) * 1000n;
    const byOid = (oid: number) => {
      const def = this.engine.catalog.byOid(oid);
      if (!def || def.kind !== 'table') throw new SqlError(SqlState.undefinedTable, `relation with OID ${oid} does not exist`);
      return this.dataOf(def);
    };
    return {
      slices: this.engine.slices,
      eval: { params, planValues: new Map(), planSets: new Map(), fn: { now, user: this.user, schema: this.currentSchema(), database: this.database, session: sessionHandle(this) } },
      scan: (table, slice, cols, _replica, filter) => pruneChunks(byOid(table).slices[slice] ?? [], scanTest(filter, cols), this.engine.store.zoneStats).map((c) => this.engine.store.scanBatch(c, cols)),
      scanChunks: (table, slice, cols, _replica, filter) => this.engine.store.scanChunks(pruneChunks(byOid(table).slices[slice] ?? [], scanTest(filter, cols), this.engine.store.zoneStats), cols),
      chunks: (table, slice) => byOid(table).slices[slice] ?? [],
      cancelFlag,
      zoneStats: this.engine.store.zoneStats,
      store: this.engine.store,
      kernels: this.engine.kernels,
      checkCancel: () => {
        if (signal.aborted) {
          const reason = signal.reason;
          throw reason instanceof SqlError ? reason : new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
        }
      },
    };
  }

  /** The tail of this session's statement queue: one connection runs one statement at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  async execute(sql: string, params: readonly unknown[] = [], options: ExecuteOptions = {}): Promise<StatementResult[]> {
    // A statement that runs others (EXECUTE, COPY (query) TO STDOUT) runs them now, in its transaction.
    if (this.engine.currentScope() === this) return this.executeNow(sql, params, options);
    // Calls made without awaiting the previous one (Promise.all over db.query) run in turn.
    const run = this.queue.then(() => this.executeNow(sql, params, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs a library call that reads and writes tables outside SQL text (db.copyFrom) as one statement
   * of this session: queued behind its other statements, inside the open block's transaction or,
   * outside a block, a transaction of its own that commits when `f` succeeds (XX000 1023 when a
   * commit made since its snapshot conflicts), durable before it returns.
   */
  async runAsStatement<R>(f: () => Promise<R>): Promise<R> {
    const run = this.queue.then(async () => {
      if (this.engine.closed) throw new SqlError(SqlState.adminShutdown, 'terminating connection due to administrator command');
      if (this.status === 'E') throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
      this.engine.active++;
      try {
        let r: R;
        if (this.status !== 'I' || this.txn) {
          this.txn ??= new Transaction(this.engine, this.pid, false);
          r = await this.engine.withCatalogScope(this, f);
        } else {
          this.txn = new Transaction(this.engine, this.pid, true);
          try {
            r = await this.engine.withCatalogScope(this, f);
            this.txn.commit();
          } finally {
            this.txn = null;
          }
        }
        this.engine.commit();
        return r;
      } catch (e) {
        if (!this.engine.durable?.failed) this.engine.commit();
        if (this.status === 'T') this.status = 'E';
        throw e;
      } finally {
        this.engine.active--;
        this.engine.sweep();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async executeNow(sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<StatementResult[]> {
    if (this.engine.closed) throw new SqlError(SqlState.adminShutdown, 'terminating connection due to administrator command');
    let statements: ParsedStatement[];
    try { statements = parseStatements(sql); } catch (e) { if (this.status === 'T') this.status = 'E'; throw e; }
    const results: StatementResult[] = [];
    for (const st of statements) {
      try {
        results.push(await this.executeOne(st, params, options));
      } catch (e) {
        // The statements before the failing one did run: the wire server still reports them.
        if (e && typeof e === 'object') (e as { results?: StatementResult[] }).results = results;
        throw e;
      }
    }
    return results;
  }

  async executeOne(st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions): Promise<StatementResult> {
    const ast = st.ast;
    const isTxnControl = ast?.TransactionStmt !== undefined;
    if (this.status === 'E' && !(isTxnControl && ['TRANS_STMT_ROLLBACK', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK_TO'].includes(ast.TransactionStmt.kind))) {
      throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const controller = new AbortController();
    // A statement that runs others (EXECUTE) is current again once they end.
    const outer = { running: this.running, statement: this.statement };
    this.running = controller;
    const start = BigInt(Date.now()) * 1000n;
    const logged = st.kind === 'pg' && !isTxnControl;
    if (logged) this.statement = { query: this.engine.newQueryId(), text: st.text.slice(0, 4000), start };
    let aborted = false;
    const onAbort = () => controller.abort(options.signal?.reason);
    // a signal aborted before the statement began (it was queued behind another) stops it at once
    if (options.signal?.aborted) onAbort(); else options.signal?.addEventListener('abort', onAbort);
    const timeoutMs = parseDuration(this.settings.get('statement_timeout') ?? '0');
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new SqlError(SqlState.queryCanceled, 'canceling statement due to statement timeout')), timeoutMs) : null;
    this.engine.active++;
    try {
      const r = isTxnControl ? await this.dispatch(st, params, options, controller.signal) : await this.inTransaction(st, params, options, controller.signal);
      // Durable before success is reported (a no-op in memory or when nothing committed changed).
      this.engine.commit();
      return r;
    } catch (e) {
      // Whatever a failed statement committed (nothing, today) is durable before the error is reported.
      if (!this.engine.durable?.failed) this.engine.commit();
      if (this.status === 'T') this.status = 'E';
      let err = SqlError.fromUnknown(e);
      aborted = err.code === SqlState.queryCanceled;
      // A cancel that names its message (CANCEL pid 'message') reports it, whichever layer stopped first.
      const reason: unknown = controller.signal.reason;
      if (aborted && reason instanceof SqlError && reason.code === SqlState.queryCanceled) err = reason;
      if (err.position !== undefined && st.offset > 0) err.position += st.offset;
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.engine.active--;
      this.engine.sweep();
      if (logged && this.statement) {
        this.engine.queryLog.push({ ...this.statement, user: this.user, pid: this.pid, end: BigInt(Date.now()) * 1000n, aborted });
        if (this.engine.queryLog.length > 10000) this.engine.queryLog.shift();
      }
      this.running = outer.running;
      this.statement = outer.statement;
    }
  }

  /**
   * Runs a statement inside the open block's transaction (begun at the block's first statement),
   * or, outside a block, inside a transaction of its own that commits when it succeeds. A
   * statement outside a block that loses a write conflict (1023) is rerun on the newer data, as
   * Redshift's waiting for the other writer's lock would have it see; COPY is not rerun (its
   * input may be a stream already read).
   */
  private async inTransaction(st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
    if (this.status !== 'I' || this.txn) {
      this.txn ??= new Transaction(this.engine, this.pid, false);
      if (mayChangeCatalog(st)) this.txn.prepareCatalogChange();
      const r = await this.engine.withCatalogScope(this, () => this.dispatch(st, params, options, signal));
      // Redshift "TRUNCATE": TRUNCATE commits the transaction in which it is run (with the truncation, in one commit).
      if (this.status === 'T' && st.kind === 'pg' && st.ast?.TruncateStmt) this.endTransaction(true);
      return r;
    }
    for (let attempt = 0; ; attempt++) {
      this.txn = new Transaction(this.engine, this.pid, true);
      if (mayChangeCatalog(st)) this.txn.prepareCatalogChange();
      try {
        const r = await this.engine.withCatalogScope(this, () => this.dispatch(st, params, options, signal));
        this.txn.commit();
        return r;
      } catch (e) {
        if (!isSerializationFailure(e) || st.kind !== 'pg' || attempt >= AUTOCOMMIT_RETRIES || signal.aborted) throw e;
      } finally {
        this.txn = null;
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Ends the open block: commits it (1023 when it conflicts with a commit made since its snapshot;
   * then nothing is published) or rolls it back. Either way the session is idle afterwards.
   */
  private endTransaction(commit: boolean): void {
    const txn = this.txn;
    this.txn = null;
    this.status = 'I';
    this.sqlCursors.endTransaction();
    if (commit) txn?.commit();
  }

  /**
   * Redshift's `CANCEL process_id ['message']`: stops the statement the session with that pid is
   * running, which fails with the message (Redshift SQL reference "CANCEL"). Users other than
   * superusers cancel only their own user's statements.
   */
  private cancelCommand(pid: number, message: string | undefined): StatementResult {
    const target = [...this.engine.sessions].find((x): x is Session => x instanceof Session && x.pid === pid);
    if (!target) throw new SqlError(SqlState.invalidParameterValue, `Session ${pid} does not exist`);
    if (target.user !== this.user && !this.engine.catalog.users.get(this.user)?.superuser) {
      throw new SqlError(SqlState.insufficientPrivilege, `permission denied to cancel a query of user "${target.user}"`);
    }
    const query = target.statement?.query;
    const text = message ?? (query !== undefined ? `Query (${query}) cancelled on user's request` : 'canceling statement due to user request');
    if (!target.cancel(new SqlError(SqlState.queryCanceled, text))) throw new SqlError(SqlState.invalidParameterValue, `Session ${pid} is not running a query`);
    return { command: 'CANCEL', rowCount: 0, fields: null, rows: [] };
  }

  private async dispatch(st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
    if (st.kind === 'copy' && st.copy?.direction === 'to') return copyToStdout(this, st, options, signal, (options as { copy?: Parameters<typeof copyToStdout>[4] }).copy);
    if (st.kind === 'redshift' && ['append', 'alter_distribution', 'alter_sortkey'].includes(st.statement?.type ?? '')) return executeRedshiftAlter(this, st);
    if (st.kind === 'redshift' && st.statement?.type === 'cancel') return this.cancelCommand(st.statement.pid, st.statement.message);
    if (st.kind === 'redshift') throw unsupported(st.tag || 'this Redshift statement');
    if (st.kind === 'copy') return executeCopy(this, st, signal, (options as { copy?: Parameters<typeof executeCopy>[3] }).copy);
    if (st.kind === 'unload') return executeUnload(this, st, signal);
    const ast = st.ast;
    const key = Object.keys(ast)[0]!;
    const node = ast[key];
    switch (key) {
      case 'SelectStmt': {
        if (node.intoClause) return executeDdl(this, { CreateTableAsStmt: { query: { SelectStmt: { ...node, intoClause: undefined } }, into: node.intoClause, objtype: 'OBJECT_TABLE' } }, st, params, options, signal);
        return this.runSelect(st, node, params, options, signal);
      }
      case 'ExplainStmt': return this.explain(st, node, params, options);
      case 'DeclareCursorStmt': return this.sqlCursors.declare(this, st, node, options, signal);
      case 'FetchStmt': return this.sqlCursors.fetch(node);
      case 'ClosePortalStmt': return this.sqlCursors.close(node);
      case 'PrepareStmt': return this.sqlCursors.prepare(st, node);
      case 'ExecuteStmt': return this.sqlCursors.execute(this, node, options);
      case 'DeallocateStmt': return this.sqlCursors.deallocate(node);
      case 'TransactionStmt': return this.transaction(node);
      case 'VariableSetStmt': return this.set(node);
      case 'VariableShowStmt': return this.show(node);
      case 'InsertStmt': case 'DeleteStmt': case 'UpdateStmt': case 'TruncateStmt':
        return executeDml(this, key, node, st, params, options, signal);
      case 'MergeStmt': return executeMerge(this, node, st, params, options, signal);
      case 'AlterTableStmt': return executeAlterTable(this, node, st);
      case 'VacuumStmt': return executeVacuum(this, node, st);
      default:
        return executeDdl(this, ast, st, params, options, signal);
    }
  }

  /** Binds and plans a SELECT, converting parameters to their (inferred) types. */
  prepareSelect(st: ParsedStatement, node: any, params: readonly unknown[], options: ExecuteOptions) {
    const catalog = this.engine.catalog;
    const inputs: PlanInputs = { catalog, catalogVersion: catalog.version, context: `${this.user}\0${this.searchPath().join(',')}\0${declaredTypesKey(options.paramTypes)}` };
    const dataOf = (d: TableDef) => this.dataOf(d);
    let p = this.engine.plans.get(node, inputs, dataOf);
    if (!p) {
      const paramTypes = [...(options.paramTypes ?? [])];
      let systemRead = false;
      const binder = this.newBinder(paramTypes, () => { systemRead = true; });
      const bound = binder.bindQuery(node);
      const reads = new Map<TableDef, TableData>();
      const planned = planQuery(bound, this.engine.stats((d) => { const data = this.dataOf(d); reads.set(d, data); return data; }), this.engine.slices);
      const visible = colsOf(bound.root).filter((c) => !c.hidden);
      const fields: Field[] = visible.map((c) => ({ name: c.name, type: c.type.id === 'unknown' ? T.text : c.type, tableOid: c.tableOid ?? 0, columnNumber: c.attnum ?? 0 }));
      p = { planned, fields, paramTypes };
      if (!systemRead) this.engine.plans.put(node, inputs, reads, p);
    }
    // Callers may annotate the fields and infer more parameter types: theirs are copies.
    return { planned: p.planned, fields: p.fields.map((f) => ({ ...f })), params: convertParams(params, p.paramTypes), paramTypes: [...p.paramTypes] };
  }

  async runSelect(st: ParsedStatement, node: any, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
    const p = this.prepareSelect(st, node, params, options);
    const out = await runQuery(p.planned, this.runEnv(p.params, signal), this.engine.executor);
    return { command: 'SELECT', rowCount: out.length, fields: p.fields, rows: batchToRows(out) };
  }

  /** Runs a SELECT AST and returns its batch (INSERT ... SELECT, CTAS). */
  async selectBatch(st: ParsedStatement, node: any, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<{ batch: Batch; fields: Field[] }> {
    const p = this.prepareSelect(st, node, params, options);
    const batch = await runQuery(p.planned, this.runEnv(p.params, signal), this.engine.executor);
    return { batch, fields: p.fields };
  }

  private explain(st: ParsedStatement, node: any, params: readonly unknown[], options: ExecuteOptions): StatementResult {
    let q = node.query;
    if (q.InsertStmt) {
      const sel = q.InsertStmt.selectStmt?.SelectStmt;
      if (!sel || sel.valuesLists) {
        const rows = sel?.valuesLists?.length ?? 1;
        return { command: 'EXPLAIN', rowCount: 1, fields: [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }], rows: [[`XN Result  (cost=0.00..0.01 rows=${rows} width=0)`]] };
      }
      q = { SelectStmt: sel };
    } else if (q.DeleteStmt?.usingClause?.length || q.UpdateStmt?.fromClause?.length) {
      return explainJoinDml(this, q.DeleteStmt ?? q.UpdateStmt, !!q.DeleteStmt, options);
    } else if (q.DeleteStmt || q.UpdateStmt) {
      const d = q.DeleteStmt ?? q.UpdateStmt;
      q = { SelectStmt: { targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }], fromClause: [{ RangeVar: d.relation }], whereClause: d.whereClause, op: 'SETOP_NONE' } };
    }
    if (!q.SelectStmt) throw unsupported('EXPLAIN of this statement');
    const p = this.prepareSelect(st, q.SelectStmt, params, options);
    const lines = explainStatement(p.planned.root, p.planned.initPlans.map((ip) => ip.plan));
    return { command: 'EXPLAIN', rowCount: lines.length, fields: [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }], rows: lines.map((l) => [l]) };
  }

  private transaction(node: any): StatementResult {
    const notices: { code: string; message: string }[] = [];
    switch (node.kind) {
      case 'TRANS_STMT_BEGIN': case 'TRANS_STMT_START':
        if (this.status !== 'I') notices.push({ code: '25001', message: 'there is already a transaction in progress' });
        else this.status = 'T';
        return { command: node.kind === 'TRANS_STMT_START' ? 'START TRANSACTION' : 'BEGIN', rowCount: 0, fields: null, rows: [], notices };
      case 'TRANS_STMT_COMMIT': {
        const failed = this.status === 'E';
        if (this.status === 'I') notices.push({ code: '25P01', message: 'there is no transaction in progress' });
        this.endTransaction(!failed);
        return { command: failed ? 'ROLLBACK' : 'COMMIT', rowCount: 0, fields: null, rows: [], notices };
      }
      case 'TRANS_STMT_ROLLBACK':
        if (this.status === 'I') notices.push({ code: '25P01', message: 'there is no transaction in progress' });
        this.endTransaction(false);
        return { command: 'ROLLBACK', rowCount: 0, fields: null, rows: [], notices };
      default:
        throw unsupported(`transaction statement ${node.kind}`);
    }
  }

  private set(node: any): StatementResult {
    const name = String(node.name ?? '').toLowerCase();
    if (node.kind === 'VAR_RESET_ALL') { this.settings.clear(); for (const [k, v] of Object.entries(DEFAULT_SETTINGS)) this.settings.set(k, v); return { command: 'RESET', rowCount: 0, fields: null, rows: [] }; }
    if (node.kind === 'VAR_SET_MULTI') return { command: 'SET', rowCount: 0, fields: null, rows: [] };
    if (node.kind === 'VAR_RESET' || node.kind === 'VAR_SET_DEFAULT') {
      const d = DEFAULT_SETTINGS[name];
      if (d === undefined) this.settings.delete(name); else this.settings.set(name, d);
      return { command: node.kind === 'VAR_RESET' ? 'RESET' : 'SET', rowCount: 0, fields: null, rows: [] };
    }
    const args: string[] = (node.args ?? []).map((a: any) => {
      const c = a.A_Const ?? a.TypeCast?.arg?.A_Const;
      if (!c) return '';
      if (c.sval) return c.sval.sval;
      if (c.ival !== undefined) return String(c.ival.ival ?? 0);
      if (c.fval) return c.fval.fval;
      if (c.boolval !== undefined) return c.boolval.boolval ? 'on' : 'off';
      return '';
    });
    let value = args.join(', ');
    if (name === 'timezone' && !['utc', 'gmt', 'z', '0', 'utc0'].includes(value.toLowerCase())) {
      // Sessions run in UTC; other zones are accepted but not applied yet.
    }
    if (name === 'statement_timeout' && !/^\d+(ms|s|min)?$/.test(value)) throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "statement_timeout": "${value}"`);
    if (name === 'datestyle' && value === '') value = 'ISO, MDY';
    this.settings.set(name, value);
    return { command: 'SET', rowCount: 0, fields: null, rows: [] };
  }

  private show(node: any): StatementResult {
    const name = String(node.name).toLowerCase();
    if (name === 'all') {
      const rows = [...this.settings.entries()].sort().map(([k, v]) => [DISPLAY_NAMES[k] ?? k, v]);
      return { command: 'SHOW', rowCount: rows.length, fields: [{ name: 'name', type: T.text, tableOid: 0, columnNumber: 0 }, { name: 'setting', type: T.text, tableOid: 0, columnNumber: 0 }], rows };
    }
    const v = this.settings.get(name);
    if (v === undefined) throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${node.name}"`);
    return { command: 'SHOW', rowCount: 1, fields: [{ name: DISPLAY_NAMES[name] ?? name, type: T.text, tableOid: 0, columnNumber: 0 }], rows: [[v]] };
  }

  async describe(sql: string, paramTypes: (SqlType | undefined)[] = []): Promise<StatementDescription> {
    try {
      // Names resolve as the statement will see them: with the open block's own DDL.
      return await this.engine.withCatalogScope(this, () => this.describeInner(sql, paramTypes));
    } catch (e) {
      // A failed Parse inside a transaction block fails the block, as in PostgreSQL.
      if (this.status === 'T') this.status = 'E';
      throw e;
    }
  }

  private async describeInner(sql: string, paramTypes: (SqlType | undefined)[]): Promise<StatementDescription> {
    const statements = parseStatements(sql);
    if (statements.length === 0) return { paramTypes: [], fields: null };
    if (statements.length > 1) throw new SqlError(SqlState.syntaxError, 'cannot insert multiple commands into a prepared statement');
    const st = statements[0]!;
    const types = [...paramTypes];
    const ast = st.ast;
    if (st.kind === 'pg' && ast?.SelectStmt && !ast.SelectStmt.intoClause) {
      const p = this.prepareSelect(st, ast.SelectStmt, [], { paramTypes: types });
      return { paramTypes: fillUnknown(p.paramTypes, countParams(st.text)), fields: p.fields };
    }
    if (st.kind === 'pg' && ast?.ExplainStmt) return { paramTypes: fillUnknown(types, countParams(st.text)), fields: [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }] };
    if (st.kind === 'pg' && ast?.VariableShowStmt) return { paramTypes: [], fields: [{ name: String(ast.VariableShowStmt.name), type: T.text, tableOid: 0, columnNumber: 0 }] };
    if (st.kind === 'pg' && (ast?.UpdateStmt || ast?.DeleteStmt)) {
      const inferred = inferWhereParams(this, ast, types);
      return { paramTypes: fillUnknown(inferred, countParams(st.text)), fields: null };
    }
    if (st.kind === 'pg' && ast?.InsertStmt) {
      const inferred = inferDmlParams(this, ast, types);
      return { paramTypes: fillUnknown(inferred, countParams(st.text)), fields: null };
    }
    return { paramTypes: fillUnknown(types, countParams(st.text)), fields: null };
  }
}

/** Statements that only read the catalog (identity counters aside): they run on the committed one without a copy. */
const CATALOG_READERS = new Set([
  'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TruncateStmt', 'ExplainStmt',
  'VariableSetStmt', 'VariableShowStmt', 'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'PrepareStmt', 'DeallocateStmt',
]);

/** Whether a statement may change the catalog, so that its transaction needs its own copy first. */
function mayChangeCatalog(st: ParsedStatement): boolean {
  if (st.kind === 'copy' || st.kind === 'unload') return false;
  if (st.kind !== 'pg') return true;
  const key = Object.keys(st.ast ?? {})[0] ?? '';
  if (key === 'SelectStmt') return !!st.ast.SelectStmt.intoClause;
  return !CATALOG_READERS.has(key);
}

function fillUnknown(types: (SqlType | undefined)[], count: number): SqlType[] {
  const out: SqlType[] = [];
  for (let i = 0; i < Math.max(types.length, count); i++) out.push(types[i] ?? T.text);
  return out;
}

/** The highest $n in a statement's text (outside quotes is good enough for describe). */
function countParams(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

function inferDmlParams(s: Session, ast: any, types: (SqlType | undefined)[]): (SqlType | undefined)[] {
  const ins = ast.InsertStmt;
  if (!ins) return types;
  try {
    const def = s.engine.catalog.get(ins.relation.relname, ins.relation.schemaname, s.searchPath());
    if (def.kind !== 'table') return types;
    const cols: number[] = ins.cols ? ins.cols.map((c: any) => def.columns.findIndex((d) => d.name === c.ResTarget.name)) : def.columns.map((_, i) => i);
    const rows = ins.selectStmt?.SelectStmt?.valuesLists ?? [];
    const out = [...types];
    for (const r of rows) r.List.items.forEach((it: any, i: number) => {
      const p = it.ParamRef ?? it.TypeCast?.arg?.ParamRef;
      if (p && out[p.number - 1] === undefined && cols[i] !== undefined && cols[i]! >= 0) out[p.number - 1] = def.columns[cols[i]!]!.type;
    });
    return out;
  } catch { return types; }
}

/** Parameter values to internal values of their types: text is parsed, JS values converted. */
export function convertParams(params: readonly unknown[], types: (SqlType | undefined)[]): unknown[] {
  return params.map((v, i) => {
    if (v === null || v === undefined) return null;
    const t = types[i] ?? T.text;
    return jsToInternal(v, t);
  });
}

export function jsToInternal(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return castValue(v, T.unknown, t, 'explicit');
  if (v instanceof Date) {
    const micros = BigInt(v.getTime()) * 1000n;
    if (t.id === 'date') return Math.floor(v.getTime() / 86400000);
    if (t.id === 'timestamp' || t.id === 'timestamptz') return micros;
    return castValue(v.toISOString(), T.unknown, t, 'explicit');
  }
  if (v instanceof Uint8Array) return t.id === 'bytea' ? v : castValue(Buffer.from(v).toString('utf8'), T.unknown, t, 'explicit');
  if (typeof v === 'boolean') return t.id === 'bool' ? v : castValue(v ? 'true' : 'false', T.unknown, t, 'explicit');
  if (typeof v === 'number' || typeof v === 'bigint') {
    switch (t.id) {
      case 'int2': case 'int4': case 'int8': case 'numeric': case 'float4': case 'float8': case 'oid':
        if (typeof v === 'number' && !Number.isInteger(v) && (t.id === 'numeric')) return castValue(String(v), T.unknown, t, 'explicit');
        return castValue(v, typeof v === 'bigint' ? T.int8 : Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? T.int4 : T.int8) : T.float8, t, 'explicit');
      default: return castValue(String(v), T.unknown, t, 'explicit');
    }
  }
  return castValue(String(v), T.unknown, t, 'explicit');
}

function parseDuration(v: string): number {
  const m = /^(\d+)\s*(ms|s|min)?$/.exec(v.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'min' ? n * 60000 : n;
}
