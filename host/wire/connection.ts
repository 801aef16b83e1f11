// One client connection of the PostgreSQL wire server: the state machine from startup packet through
// authentication to simple and extended queries and COPY (PostgreSQL docs, "Message Flow"). It pulls frames
// from host/wire/reader.ts, runs SQL on its SessionApi and writes backend messages (host/wire/messages.ts).
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SqlError, SqlState } from '../common/errors.js';
import type { SessionApi, StatementResult } from '../session/api.js';
import { TypeOid, type SqlType, type TypeId } from '../types/sql-type.js';
import { authMethodFor, ScramExchange, verifyMd5, type UserStore } from './auth.js';
import { BufferWriter } from './buffer-writer.js';
import { commandTag } from './command-tag.js';
import type { CopyHooks, CopySink, CopyStreamSpec, WireExecuteOptions } from './copy.js';
import {
  parseBind, parseClose, parseDescribe, parseExecute, parseParse, parsePassword, parseSaslInitial, parseStartupPacket,
  parseString,
} from './frontend.js';
import { changedSettings, reportedSettings } from './identity.js';
import type { WireLogger } from './logger.js';
import * as msg from './messages.js';
import { MessageReader, type Frame } from './reader.js';
import { bindParams, resultFormats, writeDataRow } from './row-encoder.js';
import { applyStartupParams, wantsReplication } from './startup-params.js';
import { StatementRegistry, type Portal, type PreparedStatement } from './statements.js';

/** Who a new session is for; the server's SessionFactory receives it after authentication. */
export interface SessionRequest {
  user: string;
  database: string;
  /** The BackendKeyData process id: what pg_backend_pid() should return in this session. */
  processId: number;
  applicationName?: string;
  remoteAddress?: string;
}

export type SessionFactory = (req: SessionRequest) => Promise<SessionApi> | SessionApi;

/** What a connection needs from its server. */
export interface ConnectionHost {
  sessions: SessionFactory;
  auth: 'trust' | 'password';
  users: UserStore;
  maxMessageBytes: number;
  logger: WireLogger;
  /** Reserves a slot for a client that sent a StartupMessage; false when max connections are in use. */
  admit(conn: Connection): boolean;
  /** Forgets the connection (its slot and its cancel key). */
  release(conn: Connection): void;
  /** Cancels the statement running on the connection with that process id, if the key matches. */
  cancel(processId: number, secretKey: Buffer): void;
}

/** Bytes of outgoing messages buffered before they are written mid-result. */
const FLUSH_BYTES = 256 * 1024;
/** Pause reading from the socket when this much unprocessed input is buffered (pipelined COPY data). */
const PAUSE_BYTES = 8 * 1024 * 1024;

const OID_TO_TYPE = new Map<number, SqlType>(
  (Object.entries(TypeOid) as [TypeId, number][]).filter(([id]) => id !== 'unknown').map(([id, oid]) => [oid, { id } as SqlType]),
);

/** The SqlType a Parse message declared for a parameter; 0, unknown (705) and types we lack are left to inference. */
export function declaredParamType(oid: number): SqlType | undefined { return OID_TO_TYPE.get(oid); }

/** Fails with 08P01 "invalid frontend message type N", PostgreSQL's answer to a type byte it does not know. */
function invalidMessageType(type: string): SqlError {
  return new SqlError(SqlState.protocolViolation, `invalid frontend message type ${type.charCodeAt(0)}`, { severity: 'FATAL' });
}

/** Removes quoted literals from SQL before it is logged: they may hold passwords or personal data. */
function redact(sql: string): string {
  const s = sql.replace(/'(?:[^']|'')*'/g, "'?'").replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

export class Connection {
  readonly processId: number;
  readonly secretKey: Buffer;
  private readonly reader: MessageReader;
  private readonly out = new BufferWriter(64 * 1024);
  private readonly log: WireLogger;
  private session: SessionApi | null = null;
  private readonly registry = new StatementRegistry();
  private reported = new Map<string, string>();
  private closed = false;
  private paused = false;
  private wake: (() => void) | null = null;
  private running: AbortController | null = null;
  private skipToSync = false;
  private admitted = false;
  private readonly connectedAt = performance.now();
  private user = '';

  constructor(private readonly socket: Socket, private readonly host: ConnectionHost, processId: number) {
    this.processId = processId;
    this.secretKey = randomBytes(4);
    this.reader = new MessageReader({ maxMessageBytes: host.maxMessageBytes });
    this.log = host.logger.child({ pid: processId });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      if (this.reader.buffered > PAUSE_BYTES && !this.paused) { this.paused = true; socket.pause(); }
      this.notify();
    });
    const gone = (): void => {
      if (this.closed) return;
      this.closed = true;
      this.running?.abort();
      this.notify();
    };
    socket.on('end', gone);
    socket.on('close', gone);
    socket.on('error', (e) => { this.log.debug({ err: e.message }, 'socket error'); gone(); });
  }

  /** True once the client passed startup and authentication. */
  get ready(): boolean { return this.session !== null; }

  /** Aborts the running statement if `key` is this connection's secret (CancelRequest). */
  cancel(key: Buffer): boolean {
    if (key.length !== this.secretKey.length || !key.equals(this.secretKey)) return false;
    if (this.running) { this.running.abort(); return true; }
    return false;
  }

  /** Ends the connection from the server side (shutdown): FATAL 57P01 to the client, then close. */
  async terminate(): Promise<void> {
    this.running?.abort();
    if (!this.closed) {
      msg.errorResponse(this.out, new SqlError(SqlState.adminShutdown, 'terminating connection due to administrator command', { severity: 'FATAL' }));
      await this.flush();
    }
    this.closed = true;
    this.notify();
    this.socket.end();
  }

  private notify(): void { const w = this.wake; this.wake = null; w?.(); }

  /** The next frame, or null when the client is gone. Throws 08P01 for impossible lengths. */
  private async nextFrame(): Promise<Frame | null> {
    for (;;) {
      const f = this.reader.next();
      if (f) {
        if (this.paused && this.reader.buffered < PAUSE_BYTES / 2) { this.paused = false; this.socket.resume(); }
        return f;
      }
      if (this.closed) return null;
      if (this.paused) { this.paused = false; this.socket.resume(); }
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  /** Writes buffered messages; waits while the socket's buffer is full. */
  private async flush(): Promise<void> {
    if (this.out.length === 0 || this.socket.destroyed) { if (this.out.length) this.out.take(); return; }
    const ok = this.socket.write(this.out.take());
    if (!ok && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => { this.socket.off('drain', done); this.socket.off('close', done); resolve(); };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }

  /** Runs the connection to its end; never throws. */
  async run(): Promise<void> {
    try {
      if (await this.startup()) {
        for (;;) {
          const f = await this.nextFrame();
          if (!f || this.closed) break;
          if (!(await this.dispatch(f))) break;
        }
      }
    } catch (e) {
      const err = SqlError.fromUnknown(e);
      if (err.severity !== 'FATAL') err.severity = 'FATAL';
      this.log.info({ event: 'fatal', sqlstate: err.code, error: err.message });
      if (!this.closed) { msg.errorResponse(this.out, err); await this.flush().catch(() => undefined); }
    } finally {
      await this.cleanup();
    }
  }

  private async cleanup(): Promise<void> {
    this.closed = true;
    if (this.admitted) this.host.release(this);
    const session = this.session;
    this.session = null;
    if (session) {
      await session.close().catch((e: unknown) => this.log.warn({ err: String(e) }, 'session close failed'));
      this.log.info({ event: 'disconnect', user: this.user, ms: Math.round(performance.now() - this.connectedAt) });
    }
    if (!this.socket.destroyed) this.socket.end();
  }

  // ---- startup and authentication ----

  /** Handles SSL/GSS negotiation, cancel requests, the StartupMessage and authentication. True when ready. */
  private async startup(): Promise<boolean> {
    for (;;) {
      const f = await this.nextFrame();
      if (!f) return false;
      const pkt = parseStartupPacket(f.body);
      if (pkt.kind === 'ssl' || pkt.kind === 'gssenc') {
        // No TLS/GSSAPI encryption yet: 'N' tells the client to continue in plaintext (PostgreSQL docs, "SSL Session Encryption").
        if (this.reader.buffered > 0) throw new SqlError(SqlState.protocolViolation, 'received unencrypted data after SSL request', { severity: 'FATAL' });
        this.socket.write('N');
        continue;
      }
      if (pkt.kind === 'cancel') {
        // A cancel connection carries nothing else and gets no answer (PostgreSQL docs, "Canceling Requests in Progress").
        this.host.cancel(pkt.processId, pkt.secretKey);
        this.closed = true;
        return false;
      }
      if (pkt.major !== 3) {
        throw new SqlError(SqlState.featureNotSupported, `unsupported frontend protocol ${pkt.major}.${pkt.minor}: server supports 3.0 to 3.0`, { severity: 'FATAL' });
      }
      this.reader.startupDone();
      const unknownOptions = [...pkt.params.keys()].filter((k) => k.startsWith('_pq_.'));
      if (pkt.minor > 0 || unknownOptions.length > 0) {
        // A newer 3.x minor or protocol options: answer with the version we speak (PostgreSQL docs, NegotiateProtocolVersion).
        msg.negotiateProtocolVersion(this.out, 0, unknownOptions);
      }
      if (wantsReplication(pkt.params.get('replication'))) {
        throw new SqlError(SqlState.featureNotSupported, 'replication connections are not supported', { severity: 'FATAL' });
      }
      if (!this.host.admit(this)) {
        throw new SqlError(SqlState.tooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' });
      }
      this.admitted = true;
      const user = pkt.params.get('user');
      if (!user) {
        throw new SqlError(SqlState.invalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet', { severity: 'FATAL' });
      }
      this.user = user;
      const database = pkt.params.get('database') || user;
      if (!(await this.authenticate(user))) return false;
      msg.authenticationOk(this.out);
      const appName = pkt.params.get('application_name');
      this.session = await this.host.sessions({
        user, database, processId: this.processId,
        ...(appName !== undefined ? { applicationName: appName } : {}),
        ...(this.socket.remoteAddress !== undefined ? { remoteAddress: this.socket.remoteAddress } : {}),
      });
      applyStartupParams(this.session, pkt.params, (key, why) => this.log.debug({ key, why }, 'startup parameter ignored'));
      this.reported = reportedSettings(this.session);
      for (const [k, v] of this.reported) msg.parameterStatus(this.out, k, v);
      msg.backendKeyData(this.out, this.processId, this.secretKey);
      msg.readyForQuery(this.out, this.session.transactionStatus);
      await this.flush();
      this.log.info({ event: 'connect', user, database, application_name: appName ?? '', remote: this.socket.remoteAddress ?? '' });
      return true;
    }
  }

  /** Reads the next message of an authentication exchange; null when the client hung up (psql does, to prompt). */
  private async authMessage(): Promise<Buffer | null> {
    await this.flush();
    const f = await this.nextFrame();
    if (!f) return null;
    if (f.type !== 'p') {
      throw new SqlError(SqlState.protocolViolation, `expected password response, got message type ${f.type.charCodeAt(0)}`, { severity: 'FATAL' });
    }
    return f.body;
  }

  /** Runs the password exchange the user's stored secret allows; true when it succeeded. Throws 28P01 otherwise. */
  private async authenticate(user: string): Promise<boolean> {
    if (this.host.auth === 'trust') return true;
    const record = await this.host.users.lookup(user);
    if (authMethodFor(record) === 'md5') {
      const salt = randomBytes(4);
      msg.authenticationMd5Password(this.out, salt);
      const body = await this.authMessage();
      if (!body) return false;
      verifyMd5(user, record, salt, parsePassword(body));
      return true;
    }
    msg.authenticationSasl(this.out, ['SCRAM-SHA-256']);
    const first = await this.authMessage();
    if (!first) return false;
    const init = parseSaslInitial(first);
    if (init.mechanism !== 'SCRAM-SHA-256') {
      throw new SqlError(SqlState.protocolViolation, 'client selected an invalid SASL authentication mechanism', { severity: 'FATAL' });
    }
    if (!init.data) throw new SqlError(SqlState.protocolViolation, 'malformed SCRAM message', { severity: 'FATAL', detail: 'The message is empty.' });
    const scram = new ScramExchange(user, record);
    msg.authenticationSaslContinue(this.out, scram.start(init.data.toString('utf8')));
    const final = await this.authMessage();
    if (!final) return false;
    msg.authenticationSaslFinal(this.out, scram.finish(final.toString('utf8')));
    return true;
  }

  // ---- after startup ----

  /** Handles one message; false when the connection should end. */
  private async dispatch(f: Frame): Promise<boolean> {
    const t = f.type;
    if (this.skipToSync && t !== 'S' && t !== 'X') return true; // after an extended-protocol error: discard until Sync
    switch (t) {
      case 'Q': await this.simpleQuery(parseString(f.body)); return !this.closed;
      case 'P': case 'B': case 'D': case 'E': case 'C':
        try {
          await this.extended(t, f.body);
        } catch (e) {
          const err = SqlError.fromUnknown(e);
          this.sendError(err);
          if (err.severity !== 'ERROR') return false;
          this.skipToSync = true;
          // PostgreSQL sends an error at once: a client that sent Flush (not Sync) after
          // Parse/Describe waits for it (postgres.js does), and later messages are skipped.
          await this.flush();
        }
        if (this.out.length > FLUSH_BYTES) await this.flush();
        return true;
      case 'S':
        this.skipToSync = false;
        await this.ready_();
        return true;
      case 'H': await this.flush(); return true;
      case 'X': return false;
      case 'd': case 'c': case 'f': return true; // COPY messages outside COPY are ignored, as PostgreSQL does
      case 'F':
        this.sendError(new SqlError(SqlState.featureNotSupported, 'function call protocol messages are not supported'));
        await this.ready_();
        return true;
      default:
        throw invalidMessageType(t);
    }
  }

  private sendError(err: SqlError): void {
    msg.errorResponse(this.out, err);
  }

  /** ParameterStatus for settings a statement changed, then ReadyForQuery with the session's status. */
  private async ready_(): Promise<void> {
    const s = this.session!;
    const now = reportedSettings(s);
    for (const [k, v] of changedSettings(this.reported, now)) msg.parameterStatus(this.out, k, v);
    this.reported = now;
    if (s.transactionStatus === 'I') this.registry.dropPortals();
    msg.readyForQuery(this.out, s.transactionStatus);
    await this.flush();
  }

  /** Runs SQL on the session with a cancel signal and the COPY hooks; logs one line per statement. */
  private async execute(sql: string, params: unknown[], paramTypes: SqlType[] | undefined): Promise<StatementResult[]> {
    const ac = new AbortController();
    this.running = ac;
    const t0 = performance.now();
    const options: WireExecuteOptions = { signal: ac.signal, copy: this.copyHooks() };
    if (paramTypes) options.paramTypes = paramTypes;
    try {
      const results = await this.session!.execute(sql, params, options);
      for (const r of results) {
        this.log.info({ event: 'statement', command: r.command, rows: r.rowCount, ms: +(performance.now() - t0).toFixed(3) });
      }
      return results;
    } catch (e) {
      const err = SqlError.fromUnknown(e);
      this.log.info({ event: 'statement', sqlstate: err.code, error: err.message, ms: +(performance.now() - t0).toFixed(3), sql: redact(sql) });
      throw e;
    } finally {
      this.running = null;
    }
  }

  /** Notices of a result as NoticeResponse messages. */
  private notices(r: StatementResult): void {
    for (const n of r.notices ?? []) msg.noticeResponse(this.out, n);
  }

  /** Sends rows [from, to) of a result as DataRows, flushing as the buffer fills. */
  private async rows(r: StatementResult, formats: number[], from: number, to: number): Promise<void> {
    const fields = r.fields!;
    for (let i = from; i < to; i++) {
      writeDataRow(this.out, r.rows[i] as unknown[], fields, formats);
      if (this.out.length > FLUSH_BYTES) {
        await this.flush();
        if (this.closed) return;
      }
    }
  }

  // ---- simple query ----

  private async simpleQuery(sql: string): Promise<void> {
    this.registry.dropUnnamedStatement();
    if (sql.trim() === '') {
      msg.emptyQueryResponse(this.out);
      await this.ready_();
      return;
    }
    let results: StatementResult[] = [];
    let error: SqlError | null = null;
    try {
      results = await this.execute(sql, [], undefined);
    } catch (e) {
      error = SqlError.fromUnknown(e);
      // A session may attach the results of the statements that completed before the failing one.
      const partial = (e as { results?: unknown }).results;
      if (Array.isArray(partial)) results = partial as StatementResult[];
    }
    for (const r of results) {
      this.notices(r);
      if (r.fields) {
        const formats = new Array<number>(r.fields.length).fill(0);
        msg.rowDescription(this.out, r.fields, formats);
        await this.rows(r, formats, 0, r.rows.length);
      }
      msg.commandComplete(this.out, commandTag(r));
    }
    if (error) {
      this.sendError(error);
      if (error.severity !== 'ERROR') { await this.flush(); this.closed = true; return; }
    } else if (results.length === 0) {
      msg.emptyQueryResponse(this.out);
    }
    await this.ready_();
  }

  // ---- extended query ----

  private async extended(t: string, body: Buffer): Promise<void> {
    switch (t) {
      case 'P': {
        const m = parseParse(body);
        const declared = m.paramTypeOids.map(declaredParamType);
        let stmt: PreparedStatement;
        if (m.query.trim() === '') {
          stmt = { name: m.name, sql: m.query, paramTypes: [], fields: null, empty: true };
        } else {
          const d = await this.session!.describe(m.query, declared);
          stmt = { name: m.name, sql: m.query, paramTypes: d.paramTypes, fields: d.fields, empty: false };
        }
        this.registry.addStatement(stmt);
        msg.parseComplete(this.out);
        return;
      }
      case 'B': {
        const m = parseBind(body);
        const stmt = this.registry.statement(m.statement);
        const params = bindParams(m.params, m.paramFormats, stmt.paramTypes, m.statement);
        const formats = stmt.fields ? resultFormats(m.resultFormats, stmt.fields.length) : [];
        this.registry.addPortal({ name: m.portal, statement: stmt, params, formats, result: null, cursor: 0, done: false });
        msg.bindComplete(this.out);
        return;
      }
      case 'D': {
        const m = parseDescribe(body);
        if (m.target === 'S') {
          const stmt = this.registry.statement(m.name);
          msg.parameterDescription(this.out, stmt.paramTypes.map((p) => TypeOid[p.id] ?? 0));
          if (stmt.fields) msg.rowDescription(this.out, stmt.fields, []);
          else msg.noData(this.out);
        } else {
          const p = this.registry.portal(m.name);
          const fields = p.result?.fields ?? p.statement.fields;
          if (fields) msg.rowDescription(this.out, fields, p.formats);
          else msg.noData(this.out);
        }
        return;
      }
      case 'E': {
        const m = parseExecute(body);
        await this.executePortal(this.registry.portal(m.portal), m.maxRows);
        return;
      }
      case 'C': {
        const m = parseClose(body);
        if (m.target === 'S') this.registry.closeStatement(m.name);
        else this.registry.closePortal(m.name);
        msg.closeComplete(this.out);
        return;
      }
    }
  }

  /** Execute: runs the portal's statement on first use, then sends up to maxRows rows (0: all). */
  private async executePortal(p: Portal, maxRows: number): Promise<void> {
    if (p.statement.empty) { msg.emptyQueryResponse(this.out); return; }
    if (!p.result) {
      const results = await this.execute(p.statement.sql, p.params, p.statement.paramTypes);
      if (results.length === 0) { p.done = true; msg.emptyQueryResponse(this.out); return; }
      for (const r of results) this.notices(r);
      p.result = results[results.length - 1]!;
    }
    const r = p.result;
    if (!r.fields) { p.done = true; msg.commandComplete(this.out, commandTag(r)); return; }
    const from = p.cursor;
    const to = maxRows > 0 ? Math.min(r.rows.length, from + maxRows) : r.rows.length;
    await this.rows(r, p.formats.length === r.fields.length ? p.formats : new Array<number>(r.fields.length).fill(0), from, to);
    p.cursor = to;
    // Like PostgreSQL's executor, a fetch that filled maxRows suspends without looking further.
    if (maxRows > 0 && to - from === maxRows) { msg.portalSuspended(this.out); return; }
    p.done = true;
    msg.commandComplete(this.out, commandTag(r, r.command.toUpperCase() === 'SELECT' ? to - from : r.rowCount));
  }

  // ---- COPY ----

  private copyHooks(): CopyHooks {
    return {
      copyFromClient: (spec) => this.copyIn(spec),
      copyToClient: (spec) => this.copyOut(spec),
    };
  }

  private async *copyIn(spec: CopyStreamSpec): AsyncGenerator<Uint8Array> {
    msg.copyInResponse(this.out, spec.format === 'binary' ? 1 : 0, spec.columnCount);
    await this.flush();
    for (;;) {
      const f = await this.nextFrame();
      if (!f) throw new SqlError(SqlState.connectionException, 'unexpected EOF on client connection during COPY', { severity: 'FATAL' });
      switch (f.type) {
        case 'd': yield f.body; break;
        case 'c': return;
        case 'f': throw new SqlError(SqlState.queryCanceled, `COPY from stdin failed: ${parseString(f.body)}`);
        case 'H': case 'S': break; // ignored during copy-in (PostgreSQL docs, "COPY Operations")
        default:
          throw new SqlError(SqlState.protocolViolation, `unexpected message type 0x${f.type.charCodeAt(0).toString(16).padStart(2, '0')} during COPY from stdin`);
      }
    }
  }

  private copyOut(spec: CopyStreamSpec): CopySink {
    msg.copyOutResponse(this.out, spec.format === 'binary' ? 1 : 0, spec.columnCount);
    return {
      write: async (chunk) => {
        if (this.closed) throw new SqlError(SqlState.connectionException, 'connection to client lost');
        msg.copyData(this.out, chunk);
        if (this.out.length > FLUSH_BYTES) await this.flush();
      },
      end: async () => { msg.copyDone(this.out); },
    };
  }
}
