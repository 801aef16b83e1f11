// `npm run bench:wire -- [--clients 64] [--seconds 60] [--port 0]`: issue 3's robustness benchmark. Starts a wasmshift
// wire server in a child process, loads tables over the wire, runs N concurrent `pg` clients on a checked query mix,
// then an abuse phase (malformed, oversized, vanishing and slowloris clients) while the clients keep running; does
// the same against a throwaway PostgreSQL cluster when one is installed, and prints both side by side.
// Exits non-zero on any unexpected error, wrong answer, abuse case not handled, or session/connection left behind.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAbuse } from './abuse.js';
import { findPostgresBin, startPostgres, type PostgresPeer } from './postgres-peer.js';
import { quantile, renderReport, type ServerReport } from './report.js';
import type { ChildMessage, ChildRequest, ChildStats } from './server-child.js';
import { expected, loadTables, runClients, type Expected, type RunResult } from './workload.js';

const USAGE = `usage: npm run bench:wire -- [--clients 64] [--seconds 60] [--port 0] [--abuse-seconds 15] [--slices n]
       [--no-postgres] [--json file]
  --clients        concurrent pg connections (default 64)
  --seconds        length of the main run (default 60)
  --port           wasmshift server port (default 0: a free one); PostgreSQL always gets a free one
  --abuse-seconds  length of the abuse phase, during which the clients keep running (default 15)
  --slices         wasmshift slices (default: the engine's choice)
  --no-postgres    skip the PostgreSQL peer even when a postgres binary is installed
  --json           also write the figures to this file`;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '64' }, seconds: { type: 'string', default: '60' }, port: { type: 'string', default: '0' },
    'abuse-seconds': { type: 'string', default: '15' }, slices: { type: 'string' }, 'no-postgres': { type: 'boolean', default: false },
    json: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) { console.log(USAGE); process.exit(0); }
const int = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) { console.error(`bench:wire: --${name} must be an integer >= ${min}\n${USAGE}`); process.exit(2); }
  return n;
};
const clients = int('clients', values.clients, 1);
const seconds = int('seconds', values.seconds, 1);
const abuseSeconds = int('abuse-seconds', values['abuse-seconds'], 8);
const port = int('port', values.port, 0);
const STARTUP_TIMEOUT_S = 5;
const SEED = 20261124;

const log = (m: string): void => { process.stderr.write(`[bench:wire] ${m}\n`); };

/** A free loopback port (for the PostgreSQL peer). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
  });
}

/** The wasmshift server process and its IPC questions. */
class WasmshiftChild {
  private next = 1;
  private pending = new Map<number, (m: ChildMessage) => void>();
  private constructor(readonly proc: ChildProcess, readonly port: number, readonly slices: number) {
    proc.on('message', (m: ChildMessage) => {
      if ((m.op === 'stats' || m.op === 'stopped') && this.pending.has(m.id)) { this.pending.get(m.id)!(m); this.pending.delete(m.id); }
    });
  }

  static start(): Promise<WasmshiftChild> {
    const proc = fork(fileURLToPath(new URL('./server-child.js', import.meta.url)), [], {
      execArgv: ['--expose-gc'],
      env: {
        ...process.env, BENCH_WIRE_PORT: String(port), BENCH_WIRE_STARTUP_TIMEOUT_MS: String(STARTUP_TIMEOUT_S * 1000),
        BENCH_WIRE_MAX_CONNECTIONS: String(clients + 32), ...(values.slices ? { BENCH_WIRE_SLICES: values.slices } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((res, rej) => {
      proc.once('exit', (code) => rej(new Error(`wasmshift server exited early (${code})`)));
      proc.once('message', (m: ChildMessage) => { if (m.op === 'ready') res(new WasmshiftChild(proc, m.port, m.slices)); });
    });
  }

  private ask(op: 'stats' | 'stop', resetLoop = false): Promise<ChildMessage> {
    const id = this.next++;
    return new Promise((res, rej) => {
      if (this.proc.exitCode !== null) { rej(new Error(`wasmshift server died (exit ${this.proc.exitCode})`)); return; }
      this.pending.set(id, res);
      this.proc.send((op === 'stats' ? { op, id, resetLoop } : { op, id }) satisfies ChildRequest);
    });
  }

  /** The server's figures; `resetLoop` starts a new event-loop delay window after reading this one. */
  async stats(resetLoop = false): Promise<ChildStats> { const m = await this.ask('stats', resetLoop); return (m as { stats: ChildStats }).stats; }
  get alive(): boolean { return this.proc.exitCode === null && this.proc.signalCode === null; }
  async stop(): Promise<void> { await this.ask('stop'); await new Promise((r) => (this.proc.exitCode !== null ? r(null) : this.proc.once('exit', r))); }
}

/** Load, run, abuse, check: the same steps against either server. */
async function measure(label: string, target: {
  port: number; user: string; database: string; version: string; rss: () => Promise<number>; heap?: () => Promise<number>; loop?: () => Promise<[number, number]>;
  leftover?: () => Promise<{ sessions: number; connections: number; sockets: number }>; alive: () => boolean;
}, exp: Expected): Promise<ServerReport> {
  const failures: string[] = [];
  const admin = new pg.Client({ host: '127.0.0.1', port: target.port, user: target.user, database: target.database });
  await admin.connect();
  const t0 = performance.now();
  await loadTables(admin);
  log(`${label}: loaded the tables in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await admin.end();
  const rssLoaded = await target.rss();
  const heapLoaded = await target.heap?.();

  await target.loop?.(); // resets the event-loop histogram
  log(`${label}: ${clients} clients for ${seconds} s`);
  const main = await runClients({
    port: target.port, user: target.user, database: target.database, clients, seconds, seed: SEED, exp,
    onTick: (n) => log(`${label}: ${n} queries`),
  });
  const rssAfter = await target.rss();
  const loopMain = await target.loop?.();

  log(`${label}: abuse phase, ${abuseSeconds} s with ${clients} clients running`);
  const abuseClients = runClients({ port: target.port, user: target.user, database: target.database, clients, seconds: abuseSeconds, seed: SEED + 1, exp });
  await new Promise((r) => setTimeout(r, 1000));
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  benchLoop.enable();
  const outcomes = await runAbuse(target.port, target.user, target.database, (abuseSeconds - 2) * 1000);
  benchLoop.disable();
  log(`${label}: the load generator's own event-loop delay while the abuse cases ran: max ${(benchLoop.max / 1e6).toFixed(0)} ms`);
  const abuse = { clients: await abuseClients, outcomes };
  const loopAbuse = await target.loop?.();

  for (const [phase, r] of [['main run', main], ['abuse phase', abuse.clients]] as [string, RunResult][]) {
    for (const [k, e] of r.errors) if (!e.expected) failures.push(`${phase}: ${k} x${e.count}: ${e.sample}`);
  }
  for (const o of outcomes) if (!o.ok) failures.push(`abuse case not handled: ${o.name}`);
  if (!target.alive()) failures.push('the server process died');

  // Every insert that succeeded must be there, once: concurrency must not lose or duplicate rows.
  const check = new pg.Client({ host: '127.0.0.1', port: target.port, user: target.user, database: target.database });
  await check.connect();
  const got = Number((await check.query('SELECT count(*) AS n FROM bench_scratch')).rows[0].n);
  const want = main.inserted + abuse.clients.inserted;
  if (got !== want) failures.push(`bench_scratch holds ${got} rows, ${want} inserts succeeded`);
  await check.end();

  let leftover: ServerReport['leftover'] = null;
  if (target.leftover) {
    const deadline = performance.now() + 10_000;
    do {
      leftover = await target.leftover();
      if (leftover.sessions === 0 && leftover.connections === 0 && leftover.sockets === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (performance.now() < deadline);
    if (leftover.sessions || leftover.connections || leftover.sockets) {
      failures.push(`after every client left the server still holds ${leftover.sessions} sessions, ${leftover.connections} connections, ${leftover.sockets} sockets`);
    }
  }
  const rssIdle = await target.rss();
  const heapIdle = await target.heap?.();
  return {
    label, version: target.version, main, abuse, rssLoadedBytes: rssLoaded, rssAfterBytes: rssAfter, rssIdleBytes: rssIdle,
    ...(heapLoaded !== undefined ? { heapLoadedBytes: heapLoaded } : {}), ...(heapIdle !== undefined ? { heapIdleBytes: heapIdle } : {}),
    ...(loopMain && loopAbuse ? { loopDelay: { main: loopMain, abuse: loopAbuse } } : {}),
    leftover, failures,
  };
}

async function main(): Promise<number> {
  const load0 = loadavg();
  const exp = expected();
  const reports: ServerReport[] = [];

  const child = await WasmshiftChild.start();
  log(`wasmshift listening on 127.0.0.1:${child.port} (${child.slices} slices)`);
  try {
    reports.push(await measure('wasmshift', {
      port: child.port, user: 'dev', database: 'dev', version: `wasmshift (${child.slices} slices)`,
      rss: async () => (await child.stats()).rss,
      heap: async () => (await child.stats()).heapUsed,
      loop: async () => { const s = await child.stats(true); return [s.loopDelayP99Ms, s.loopDelayMaxMs]; },
      leftover: async () => { const s = await child.stats(); return { sessions: s.sessions, connections: s.connections, sockets: s.sockets }; },
      alive: () => child.alive,
    }, exp));
  } finally {
    if (child.alive) await child.stop();
  }

  const bin = values['no-postgres'] ? null : findPostgresBin();
  if (bin) {
    let peer: PostgresPeer | null = null;
    try {
      peer = startPostgres(bin, await freePort(), clients + 32, STARTUP_TIMEOUT_S);
      log(`${peer.version} listening on 127.0.0.1:${peer.port}`);
      const p = peer;
      reports.push(await measure('postgres', {
        port: p.port, user: p.user, database: 'postgres', version: p.version, rss: async () => p.rss(), alive: () => true,
        leftover: async () => {
          // Client backends other than the one asking, as pg_stat_activity lists them.
          const c = new pg.Client({ host: '127.0.0.1', port: p.port, user: p.user, database: 'postgres' });
          await c.connect();
          try {
            const n = Number((await c.query("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")).rows[0].n);
            return { sessions: n, connections: n, sockets: 0 };
          } finally { await c.end(); }
        },
      }, exp));
    } finally {
      peer?.stop();
    }
  } else {
    log(values['no-postgres'] ? 'PostgreSQL peer skipped (--no-postgres)' : 'no postgres binary found: wasmshift only');
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench:wire: ${clients} clients, ${seconds} s run + ${abuseSeconds} s abuse phase; ${availableParallelism()} x ${cpu}; Node ${process.version}`);
  console.log(`load average at start ${load0.map((v) => v.toFixed(1)).join(' ')}, at end ${loadavg().map((v) => v.toFixed(1)).join(' ')} (other work on the machine skews the figures)\n`);
  console.log(renderReport(reports, clients));
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(reports.map((r) => ({
      ...r,
      main: {
        seconds: r.main.seconds, completed: r.main.completed, queriesPerSecond: r.main.completed / r.main.seconds,
        latencyMs: Object.fromEntries([...r.main.latencies].map(([k, l]) => [k, { n: l.length, p50: quantile(l, 0.5), p95: quantile(l, 0.95), p99: quantile(l, 0.99) }])),
        errors: Object.fromEntries(r.main.errors),
      },
      abuse: r.abuse && {
        latencyMs: (() => { const l = [...r.abuse.clients.latencies.values()].flat(); return { p50: quantile(l, 0.5), p99: quantile(l, 0.99), max: quantile(l, 1) }; })(),
        outcomes: r.abuse.outcomes, completed: r.abuse.clients.completed, seconds: r.abuse.clients.seconds, errors: Object.fromEntries(r.abuse.clients.errors) },
    })), null, 1));
  }
  const failed = reports.flatMap((r) => r.failures.map((f) => `${r.label}: ${f}`));
  // Only wasmshift's failures fail the run: the peer is for comparison.
  const ours = reports[0]!.failures.length;
  if (failed.length) console.log(`\n${failed.length} failure(s)`);
  return ours === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => { console.error('bench:wire failed:', e); process.exit(1); });
