// bench:wire's server process: opens an in-memory wasmshift engine and serves it with the wire server
// (host/wire/server.ts, as host/cli/serve.ts does), answering the benchmark's IPC questions about its memory,
// its sessions and its connections, so the load generator never shares an event loop with the server.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { open } from '../../host/index.js';
import { createWireServer } from '../../host/wire/server.js';

/** Messages the parent sends over the IPC channel. */
export type ChildRequest = { op: 'stats'; id: number; resetLoop?: boolean } | { op: 'stop'; id: number };

/** What the child answers to `stats` (and sends once, with `ready`, after listening). */
export interface ChildStats {
  /** Resident set size of this process, bytes. */
  rss: number;
  heapUsed: number;
  /** Authenticated clients the wire server holds. */
  connections: number;
  /** Open sockets, including clients still in startup. */
  sockets: number;
  /** Engine sessions open beyond the ones that existed before the server started. */
  sessions: number;
  /** Event-loop delay since the last `stats` with `resetLoop`, ms: how long a ready socket may wait to be served. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ChildMessage =
  | { op: 'ready'; port: number; slices: number; stats: ChildStats }
  | { op: 'stats'; id: number; stats: ChildStats }
  | { op: 'stopped'; id: number };

async function main(): Promise<void> {
  const send = (m: ChildMessage): void => { process.send!(m); };
  const slices = process.env.BENCH_WIRE_SLICES ? Number(process.env.BENCH_WIRE_SLICES) : undefined;
  const startupTimeoutMs = Number(process.env.BENCH_WIRE_STARTUP_TIMEOUT_MS ?? '5000');
  const maxMessageBytes = Number(process.env.BENCH_WIRE_MAX_MESSAGE_BYTES ?? String(16 * 1024 * 1024));
  const db = await open(slices !== undefined ? { slices } : {});
  const baseSessions = db.internals.sessions.size;
  const server = createWireServer({
    sessions: (req) => db.session({ user: req.user, database: req.database, processId: req.processId }),
    maxConnections: Number(process.env.BENCH_WIRE_MAX_CONNECTIONS ?? '200'),
    maxMessageBytes,
    startupTimeoutMs,
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const stats = (resetLoop = false): ChildStats => {
    const loopDelayP99Ms = loop.percentile(99) / 1e6;
    const loopDelayMaxMs = loop.max / 1e6;
    if (resetLoop) loop.reset();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const s = server.stats;
    return {
      rss: m.rss, heapUsed: m.heapUsed, connections: s.connections, sockets: s.sockets,
      sessions: db.internals.sessions.size - baseSessions, loopDelayP99Ms, loopDelayMaxMs,
    };
  };
  const addr = await server.listen(Number(process.env.BENCH_WIRE_PORT ?? '0'), '127.0.0.1');
  process.on('message', (raw: ChildRequest) => {
    if (raw.op === 'stats') send({ op: 'stats', id: raw.id, stats: stats(raw.resetLoop === true) });
    else if (raw.op === 'stop') {
      void (async () => {
        await server.close();
        await db.close();
        send({ op: 'stopped', id: raw.id });
        process.disconnect();
      })();
    }
  });
  send({ op: 'ready', port: addr.port, slices: db.slices, stats: stats() });
}

main().catch((e: unknown) => {
  console.error('bench:wire server failed:', e);
  process.exit(1);
});
