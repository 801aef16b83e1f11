// The PostgreSQL wire server: a net.Server that accepts clients, enforces connection limits and a startup
// deadline, keeps the registry that CancelRequest looks up, and runs one host/wire/connection.ts per socket.
import { randomInt } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { MemoryUserStore, type UserStore } from './auth.js';
import { Connection, type ConnectionHost, type SessionFactory } from './connection.js';
import { silentLogger, type WireLogger } from './logger.js';

export type { SessionFactory, SessionRequest } from './connection.js';

export interface WireServerOptions {
  /** Creates the session of an authenticated client (e.g. `(req) => db.session(req)`). */
  sessions: SessionFactory;
  /** 'trust' (default): any user gets in. 'password': SCRAM-SHA-256, or MD5 for users stored with an md5 secret. */
  auth?: 'trust' | 'password';
  /** Users and passwords for `auth: 'password'` (default: an empty MemoryUserStore). */
  users?: UserStore;
  /** Clients allowed at once after their startup packet (default 100); one more gets 53300. */
  maxConnections?: number;
  /** Largest message body accepted (default 64 MiB); a longer length word is 08P01 and the connection closes. */
  maxMessageBytes?: number;
  /** Time a client has from connect to finishing authentication (default 10 s), against slowloris. */
  startupTimeoutMs?: number;
  logger?: WireLogger;
}

export interface WireServerStats { connections: number; sockets: number }

/** A PostgreSQL protocol v3 server over a session factory. */
export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Connection>();
  private readonly byPid = new Map<number, Connection>();
  private readonly admitted = new Set<Connection>();
  private readonly host: ConnectionHost;
  private readonly maxConnections: number;
  private readonly startupTimeoutMs: number;
  private readonly logger: WireLogger;
  private closing = false;

  constructor(opts: WireServerOptions) {
    this.maxConnections = opts.maxConnections ?? 100;
    this.startupTimeoutMs = opts.startupTimeoutMs ?? 10_000;
    this.logger = opts.logger ?? silentLogger;
    const admitted = this.admitted;
    const max = this.maxConnections;
    const byPid = this.byPid;
    this.host = {
      sessions: opts.sessions,
      auth: opts.auth ?? 'trust',
      users: opts.users ?? new MemoryUserStore(),
      maxMessageBytes: opts.maxMessageBytes ?? 64 * 1024 * 1024,
      logger: this.logger,
      admit(conn) {
        if (admitted.size >= max) return false;
        admitted.add(conn);
        return true;
      },
      release(conn) { admitted.delete(conn); },
      cancel(processId, secretKey) { byPid.get(processId)?.cancel(secretKey); },
    };
    this.server = createServer((socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    // Beyond twice the limit we do not even read a startup packet: a flood must not exhaust file descriptors.
    if (this.closing || this.sockets.size >= this.maxConnections * 2 + 16) { socket.destroy(); return; }
    this.sockets.add(socket);
    let pid: number;
    do pid = randomInt(1, 0x7fffffff); while (this.byPid.has(pid));
    const conn = new Connection(socket, this.host, pid);
    this.connections.add(conn);
    this.byPid.set(pid, conn);
    const timer = setTimeout(() => {
      if (!conn.ready) { this.logger.info({ event: 'startup-timeout', remote: socket.remoteAddress ?? '' }); socket.destroy(); }
    }, this.startupTimeoutMs);
    timer.unref();
    socket.on('close', () => { this.sockets.delete(socket); clearTimeout(timer); });
    void conn.run().finally(() => {
      clearTimeout(timer);
      this.connections.delete(conn);
      this.byPid.delete(pid);
      this.admitted.delete(conn);
    });
  }

  /** Starts listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  get address(): AddressInfo | null { return this.server.address() as AddressInfo | null; }
  get stats(): WireServerStats { return { connections: this.admitted.size, sockets: this.sockets.size }; }

  /** Stops accepting, tells every client the server is shutting down (57P01), ends their sessions. */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections].map((c) => c.terminate().catch(() => undefined)));
    const deadline = Date.now() + 5000;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

export function createWireServer(opts: WireServerOptions): WireServer { return new WireServer(opts); }
