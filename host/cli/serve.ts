// `wasmshift serve`: opens the engine on a data directory and runs the PostgreSQL wire server over it
// (host/wire/server.ts), with pino JSON logs on stderr and a clean shutdown on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { S3Options } from '../load/s3-client.js';
import type { SessionApi } from '../session/api.js';
import { MemoryUserStore, type UserStore } from '../wire/auth.js';
import type { WireLogger } from '../wire/logger.js';
import { createWireServer, type SessionRequest } from '../wire/server.js';
import { intFlag, UsageError } from './usage.js';

export const SERVE_HELP = `Usage: wasmshift serve [options]

Run the PostgreSQL wire server. Clients connect as to an Amazon Redshift cluster (psql, JDBC, psycopg2, dbt).

Options:
  --data <dir>               Data directory (default: ./data under the working directory)
  --port <port>              TCP port (default: 5439; 0 picks a free one)
  --host <addr>              Address to listen on (default: 127.0.0.1)
  --auth <trust|password>    trust: any user gets in (default); password: SCRAM-SHA-256, or MD5 for md5 secrets
  --user <name>              With --auth password: a user to create in the in-memory user store
  --password-file <file>     With --user: file holding that user's password (or set WASMSHIFT_PASSWORD)
  --slices <n>               Slices (worker threads) of the engine (default: the engine's choice)
  --memory-limit <MiB>       Table data read from --data kept in memory; more is evicted and re-read (default: half the shared memory)
  --background-nice <n>      Nice value for V8's background compiler and GC threads, 0 to 19 (default: 10; Linux only)
  --max-connections <n>      Clients at once (default: 100); one more gets "sorry, too many clients already"
  --max-message-bytes <n>    Largest protocol message accepted (default: 67108864)
  --startup-timeout-ms <n>   Time allowed from connect to login (default: 10000)
  --log-level <level>        trace, debug, info (default), warn, error, silent
  --s3-endpoint <url>        S3-compatible endpoint for COPY/UNLOAD s3:// (or AWS_ENDPOINT_URL_S3)
  --s3-region <region>       Region for s3:// (or AWS_REGION; a statement's REGION wins)
  --s3-virtual-host          Virtual-hosted bucket URLs instead of path style (path style is the default with an endpoint)
                             Keys: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or the statement's own
  -h, --help                 Show this help
`;

/** The part of host/index.ts the server needs. */
interface EngineDatabase {
  session(who?: string | { user: string; database?: string; processId?: number }): SessionApi | Promise<SessionApi>;
  close(): Promise<void>;
  /** Login roles from the catalog (CREATE USER ... PASSWORD), when the engine provides them. */
  users?: UserStore;
}
/** Nice value the server gives V8's background threads unless --background-nice says otherwise. */
const DEFAULT_BACKGROUND_NICE = 10;

interface EngineModule { open(options?: { data?: string; slices?: number; memoryLimit?: number; s3?: S3Options; backgroundNice?: number }): Promise<EngineDatabase> }

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function serveCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, auth: { type: 'string' },
        user: { type: 'string' }, 'password-file': { type: 'string' }, slices: { type: 'string' }, 'memory-limit': { type: 'string' }, 'background-nice': { type: 'string' },
        'max-connections': { type: 'string' }, 'max-message-bytes': { type: 'string' },
        'startup-timeout-ms': { type: 'string' }, 'log-level': { type: 'string' },
        's3-endpoint': { type: 'string' }, 's3-region': { type: 'string' }, 's3-virtual-host': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n\n${SERVE_HELP}`);
  }
  if (values.help) { process.stdout.write(SERVE_HELP); return 0; }

  const port = intFlag('port', values.port, 5439, 0, 65535);
  const host = values.host ?? '127.0.0.1';
  const auth = values.auth ?? 'trust';
  if (auth !== 'trust' && auth !== 'password') throw new UsageError(`--auth must be trust or password, got "${auth}"`);
  const dataDir = resolve(values.data ?? 'data');
  const slices = values.slices === undefined ? undefined : intFlag('slices', values.slices, 1, 1, 1024);
  const memoryLimitMiB = values['memory-limit'] === undefined ? undefined : intFlag('memory-limit', values['memory-limit'] as string, 1, 1, 4096);
  // A server owns its process, so its background threads yield to queries by default (ADR 0036).
  const backgroundNice = intFlag('background-nice', values['background-nice'] as string | undefined, DEFAULT_BACKGROUND_NICE, 0, 19);
  const maxConnections = intFlag('max-connections', values['max-connections'], 100, 1, 100_000);
  const maxMessageBytes = intFlag('max-message-bytes', values['max-message-bytes'], 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const startupTimeoutMs = intFlag('startup-timeout-ms', values['startup-timeout-ms'], 10_000, 100, 3_600_000);
  const level = values['log-level'] ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level)) throw new UsageError(`--log-level: unknown level "${level}"`);

  const log = pino({ level, base: { name: 'wasmshift' } }, pino.destination(2));

  let users: UserStore | undefined;
  if (values.user !== undefined) {
    const password = values['password-file'] !== undefined
      ? readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '')
      : process.env.WASMSHIFT_PASSWORD;
    if (auth === 'password' && !password) throw new UsageError('--user needs --password-file or WASMSHIFT_PASSWORD with --auth password');
    users = new MemoryUserStore({ [values.user]: password });
  }

  const engine = (await import('../index.js')) as unknown as EngineModule;
  // The SDK reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN itself; endpoint and region
  // come from the flags or AWS_ENDPOINT_URL_S3 / AWS_REGION (host/load/s3-client.ts).
  const s3: S3Options = {
    ...(values['s3-endpoint'] !== undefined ? { endpoint: values['s3-endpoint'] } : {}),
    ...(values['s3-region'] !== undefined ? { region: values['s3-region'] } : {}),
    ...(values['s3-virtual-host'] ? { forcePathStyle: false } : {}),
  };
  const db = await engine.open({ data: dataDir, s3, backgroundNice, ...(slices !== undefined ? { slices } : {}), ...(memoryLimitMiB !== undefined ? { memoryLimit: memoryLimitMiB * 1048576 } : {}) });
  users ??= db.users;
  if (auth === 'password' && !users) {
    await db.close();
    throw new UsageError('--auth password needs --user (with --password-file) until the catalog provides users');
  }
  if (auth === 'trust' && !isLoopback(host)) {
    log.warn({ host }, 'listening beyond loopback with --auth trust: anyone who can reach this port has full access');
  }

  const server = createWireServer({
    sessions: (req: SessionRequest) => db.session({ user: req.user, database: req.database, processId: req.processId }),
    auth,
    ...(users ? { users } : {}),
    maxConnections,
    maxMessageBytes,
    startupTimeoutMs,
    logger: log as unknown as WireLogger,
  });
  let address;
  try {
    address = await server.listen(port, host);
  } catch (e) {
    await db.close();
    throw e;
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const user = values.user ?? 'dev';
  process.stdout.write(
    `wasmshift listening on ${shownHost}:${address.port} (data: ${dataDir}, auth: ${auth})\n`
    + `  psql "host=${address.address} port=${address.port} dbname=dev user=${user} sslmode=disable"\n`
    + `  jdbc:redshift://${shownHost}:${address.port}/dev?ssl=false\n`,
  );
  log.info({ event: 'listening', host: address.address, port: address.port, dataDir, auth, maxConnections });

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) { log.warn({ signal }, 'second signal: exiting now'); process.exit(1); }
      stopping = true;
      log.info({ event: 'shutdown', signal });
      void (async () => {
        let code = 0;
        try { await server.close(); } catch (e) { code = 1; log.error({ err: String(e) }, 'closing the server failed'); }
        try { await db.close(); } catch (e) { code = 1; log.error({ err: String(e) }, 'closing the database failed'); }
        log.flush();
        done(code);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
