// Test harness of the wire suites: opens the real engine (host/index.ts, loaded by computed path so these tests
// compile before it exists), serves it on a free loopback port, and a raw protocol client for byte-level tests.
import { connect, type Socket } from 'node:net';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { SessionApi } from '../../host/session/api.js';
import { createWireServer, type SessionRequest, type WireServer, type WireServerOptions } from '../../host/wire/server.js';

interface EngineDatabase {
  session(who?: string | { user: string; database?: string; processId?: number }): SessionApi | Promise<SessionApi>;
  close(): Promise<void>;
}
interface EngineModule { open(options?: { data?: string; slices?: number }): Promise<EngineDatabase> }

async function loadEngine(): Promise<EngineModule> {
  const url = new URL('../../host/index.js', import.meta.url).href;
  const m = (await import(url)) as EngineModule;
  if (typeof m.open !== 'function') throw new Error('host/index.js does not export open()');
  return m;
}

export interface TestServer {
  server: WireServer;
  port: number;
  close(): Promise<void>;
}

/** An in-memory engine behind a wire server on 127.0.0.1:<free port>. */
export async function startServer(opts: Partial<WireServerOptions> = {}): Promise<TestServer> {
  const engine = await loadEngine();
  const db = await engine.open({ slices: 2 });
  const server = createWireServer({
    // as host/cli/serve.ts: the session's pid is the BackendKeyData process id (pg_backend_pid(), pg_stat_activity.pid)
    sessions: (req: SessionRequest) => db.session({ user: req.user, database: req.database, processId: req.processId }),
    ...opts,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    server, port,
    async close() { await server.close(); await db.close(); },
  };
}

/** A decoded backend message (pg-protocol's shape: name plus fields). */
export type BackendMessage = Record<string, unknown> & { name: string };

/** A byte-level protocol client: sends raw frontend bytes, reads raw bytes or decoded backend messages. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  ended = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('close', () => { this.ended = true; this.wake(); });
    socket.on('error', () => { this.ended = true; this.wake(); });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void { const w = this.waiter; this.waiter = null; w?.(); }
  private async waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.ended) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the server');
      await new Promise<void>((resolve) => { this.waiter = resolve; setTimeout(resolve, left).unref(); });
    }
  }

  send(b: Buffer): void { this.socket.write(b); }

  /** The next `n` raw bytes (SSLRequest's one-byte answer). */
  async readRaw(n: number, timeoutMs = 5000): Promise<Buffer> {
    await this.waitFor(() => this.buf.length >= n, timeoutMs);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The next backend message, decoded by pg-protocol. */
  async message(timeoutMs = 5000): Promise<BackendMessage> {
    await this.waitFor(() => this.buf.length >= 5 && this.buf.length >= 1 + this.buf.readInt32BE(1), timeoutMs);
    const len = 1 + this.buf.readInt32BE(1);
    const frame = this.buf.subarray(0, len);
    this.buf = this.buf.subarray(len);
    let out: BackendMessage | undefined;
    new Parser().parse(Buffer.from(frame), (m) => { out = m as unknown as BackendMessage; });
    if (!out) throw new Error('undecodable message');
    return out;
  }

  /** Messages up to and including the first one named `name`. */
  async until(name: string, timeoutMs = 5000): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.message(timeoutMs);
      out.push(m);
      if (m.name === name) return out;
    }
  }

  /** Resolves when the server closed the connection. */
  async closed(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.ended, timeoutMs).catch((e: Error) => { if (!this.ended) throw e; });
  }

  end(): void { this.socket.destroy(); }
}
