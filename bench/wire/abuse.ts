// bench:wire's abuse phase: raw sockets that misbehave against a PostgreSQL-protocol server (a malformed message,
// an oversized length word, a client that vanishes mid-query, a slowloris startup) and what the server did about
// each: an ErrorResponse with its SQLSTATE, a dropped connection, or nothing (a failure).
import { connect, type Socket } from 'node:net';

/** What happened to one abusive connection. */
export interface AbuseOutcome {
  name: string;
  /** SQLSTATE of the ErrorResponse the server sent, if any. */
  sqlstate: string | null;
  /** The server closed the connection. */
  closed: boolean;
  /** Milliseconds from the abuse until the close (or until we gave up). */
  ms: number;
  /** Milliseconds from the abuse until the ErrorResponse, when one came. */
  errorMs?: number;
  /** This outcome is what the robustness rule allows (08P01 and/or a close, or, for the vanishing client, no crash). */
  ok: boolean;
}

function startupPacket(user: string, database: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
  const b = Buffer.alloc(8 + body.length);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(196608, 4);
  body.copy(b, 8);
  return b;
}

function message(type: string, body: Buffer, lengthWord?: number): Buffer {
  const b = Buffer.alloc(5 + body.length);
  b.write(type, 0, 'latin1');
  b.writeInt32BE(lengthWord ?? body.length + 4, 1);
  body.copy(b, 5);
  return b;
}

/** A socket that parses backend messages: waits for a type, records ErrorResponse SQLSTATEs and the close. */
class RawClient {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  sqlstate: string | null = null;
  errorAt = 0;
  closed = false;
  closedAt = 0;
  private waiters: (() => void)[] = [];
  private seen: string[] = [];

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.parse(); });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => { this.closed = true; this.closedAt = performance.now(); this.wake(); });
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  private parse(): void {
    while (this.buf.length >= 5) {
      const len = this.buf.readInt32BE(1);
      if (this.buf.length < 1 + len) break;
      const type = String.fromCharCode(this.buf[0]!);
      const body = this.buf.subarray(5, 1 + len);
      if (type === 'E') {
        for (let i = 0; i < body.length && body[i] !== 0;) {
          const field = String.fromCharCode(body[i]!);
          const end = body.indexOf(0, i + 1);
          if (field === 'C' && this.sqlstate === null) { this.sqlstate = body.toString('utf8', i + 1, end); this.errorAt = performance.now(); }
          i = end + 1;
        }
      }
      this.seen.push(type);
      this.buf = this.buf.subarray(1 + len);
    }
    this.wake();
  }

  async opened(): Promise<void> {
    if (this.socket.connecting) await new Promise<void>((res, rej) => { this.socket.once('connect', res); this.socket.once('error', rej); });
  }

  /** Waits until a message of `type` arrives or the connection closes, at most `ms`. */
  async waitFor(type: string | null, ms: number): Promise<boolean> {
    const until = performance.now() + ms;
    for (;;) {
      if (type !== null && this.seen.includes(type)) return true;
      if (this.closed) return false;
      const left = until - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((res) => { const t = setTimeout(res, left); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
  }

  async login(user: string, database: string): Promise<void> {
    await this.opened();
    this.socket.write(startupPacket(user, database));
    if (!(await this.waitFor('Z', 10_000))) throw new Error(`abuse client could not log in (${this.sqlstate ?? 'no error'})`);
  }
}

/** Sends a message whose length word is below the 4-byte minimum, after a normal login. */
async function malformed(port: number, user: string, db: string, waitMs: number): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.login(user, db);
  const t0 = performance.now();
  c.socket.write(message('Q', Buffer.alloc(0), 2));
  await c.waitFor(null, waitMs);
  c.socket.destroy();
  return { name: 'malformed length word (2)', sqlstate: c.sqlstate, ...(c.errorAt ? { errorMs: c.errorAt - t0 } : {}), closed: c.closed, ms: (c.closedAt || performance.now()) - t0, ok: c.closed && (c.sqlstate === null || c.sqlstate === '08P01') };
}

/** Sends an unknown message type, after a normal login. */
async function unknownType(port: number, user: string, db: string, waitMs: number): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.login(user, db);
  const t0 = performance.now();
  c.socket.write(message('\u0001', Buffer.from('junk')));
  await c.waitFor(null, waitMs);
  c.socket.destroy();
  return { name: 'unknown message type 0x01', sqlstate: c.sqlstate, ...(c.errorAt ? { errorMs: c.errorAt - t0 } : {}), closed: c.closed, ms: (c.closedAt || performance.now()) - t0, ok: c.closed && (c.sqlstate === null || c.sqlstate === '08P01') };
}

/** Announces a 2 GiB query message (and sends a little of it), after a normal login. */
async function oversized(port: number, user: string, db: string, waitMs: number): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.login(user, db);
  const t0 = performance.now();
  c.socket.write(message('Q', Buffer.from('SELECT 1'), 0x7ffffff0));
  await c.waitFor(null, waitMs);
  c.socket.destroy();
  return { name: 'oversized length (2 GiB)', sqlstate: c.sqlstate, ...(c.errorAt ? { errorMs: c.errorAt - t0 } : {}), closed: c.closed, ms: (c.closedAt || performance.now()) - t0, ok: c.closed && (c.sqlstate === null || c.sqlstate === '08P01') };
}

/** Announces a 2 GiB startup packet before any login. */
async function oversizedStartup(port: number, waitMs: number): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.opened();
  const t0 = performance.now();
  const b = Buffer.alloc(8);
  b.writeInt32BE(0x7ffffff0, 0);
  b.writeInt32BE(196608, 4);
  c.socket.write(b);
  await c.waitFor(null, waitMs);
  c.socket.destroy();
  return { name: 'oversized startup packet', sqlstate: c.sqlstate, ...(c.errorAt ? { errorMs: c.errorAt - t0 } : {}), closed: c.closed, ms: (c.closedAt || performance.now()) - t0, ok: c.closed && (c.sqlstate === null || c.sqlstate === '08P01') };
}

/** Starts a heavy query and resets the socket without reading the answer. */
async function vanish(port: number, user: string, db: string): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.login(user, db);
  const t0 = performance.now();
  const sql = 'SELECT count(*) FROM bench_orders a JOIN bench_orders b ON a.amount = b.amount';
  c.socket.write(message('Q', Buffer.from(`${sql}\0`, 'utf8')));
  await new Promise((r) => setTimeout(r, 50));
  c.socket.resetAndDestroy();
  return { name: 'vanishes mid-query (RST)', sqlstate: null, closed: true, ms: performance.now() - t0, ok: true };
}

/** Sends the startup packet one byte per second and never finishes it; the server must drop it. */
async function slowloris(port: number, giveUpMs: number): Promise<AbuseOutcome> {
  const c = new RawClient(port);
  await c.opened();
  const t0 = performance.now();
  const pkt = startupPacket('slow', 'dev');
  let i = 0;
  const timer = setInterval(() => { if (!c.closed && i < pkt.length - 1) c.socket.write(pkt.subarray(i, ++i)); }, 1000);
  await c.waitFor(null, giveUpMs);
  clearInterval(timer);
  const closed = c.closed;
  c.socket.destroy();
  return { name: 'slowloris startup (1 byte/s)', sqlstate: c.sqlstate, closed, ms: (c.closedAt || performance.now()) - t0, ok: closed };
}

/**
 * Runs every abuse case at once against host:port; `waitMs` is how long each may stay open before it counts as not
 * handled (the slowloris included).
 */
export async function runAbuse(port: number, user: string, db: string, waitMs: number): Promise<AbuseOutcome[]> {
  const guard = async (name: string, f: () => Promise<AbuseOutcome>): Promise<AbuseOutcome> => {
    try { return await f(); } catch (e) { return { name: `${name}: ${e instanceof Error ? e.message : String(e)}`, sqlstate: null, closed: false, ms: 0, ok: false }; }
  };
  return Promise.all([
    guard('malformed', () => malformed(port, user, db, waitMs)),
    guard('unknown type', () => unknownType(port, user, db, waitMs)),
    guard('oversized', () => oversized(port, user, db, waitMs)),
    guard('oversized startup', () => oversizedStartup(port, waitMs)),
    guard('vanish', () => vanish(port, user, db)),
    guard('slowloris', () => slowloris(port, waitMs)),
  ]);
}
