// bench:wire's PostgreSQL peer: finds a postgres binary, makes a throwaway cluster under the OS temp dir (initdb,
// pg_ctl on a free loopback port, as an unprivileged user when run as root), reports its memory, and removes it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throwaway PostgreSQL cluster. */
export interface PostgresPeer {
  port: number;
  user: string;
  version: string;
  /** Summed RSS of the postmaster and its children (backends, checkpointer, ...), bytes; 0 when /proc is absent. */
  rss(): number;
  /** Stops the cluster (immediate mode) and deletes its directory. */
  stop(): void;
}

/** The bin directory of an installed PostgreSQL server (PATH first, then /usr/lib/postgresql/<v>/bin), or null. */
export function findPostgresBin(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  const candidates: string[] = [];
  if (onPath) {
    let real = onPath;
    try { real = execFileSync('readlink', ['-f', onPath], { encoding: 'utf8' }).trim(); } catch { /* keep the PATH one */ }
    candidates.push(real.replace(/\/postgres$/, ''));
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(join(root, v, 'bin'));
  }
  for (const dir of candidates) if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  return null;
}

/** The uid/gid to run PostgreSQL as: ourselves unless we are root (postgres refuses root), then `postgres` or `nobody`. */
function runAs(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (r.status === 0 && g.status === 0) return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to run PostgreSQL');
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch { /* the process ended meanwhile */ }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
}

/**
 * Starts a throwaway cluster on `port` (loopback only, trust auth, fsync off: a benchmark peer, not a durable
 * store) with room for `maxConnections` clients; `authTimeoutS` bounds a client's startup, as the wasmshift
 * server's startup timeout does.
 */
export function startPostgres(bin: string, port: number, maxConnections: number, authTimeoutS: number): PostgresPeer {
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'wasmshift-bench-pg-'));
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const user = 'bench';
  const opts = { encoding: 'utf8' as const, ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(join(bin, cmd), args, opts);
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  try {
    run('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const settings = [
      `-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", `-c max_connections=${maxConnections}`,
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', `-c authentication_timeout=${authTimeoutS}s`,
      '-c shared_buffers=256MB',
    ].join(' ');
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', settings, '-w', '-t', '60', 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const pidFile = join(data, 'postmaster.pid');
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const version = run('postgres', ['--version']).trim();
  return {
    port, user, version,
    rss: () => (existsSync('/proc') ? descendants(postmaster).reduce((s, p) => s + rssOf(p), 0) : 0),
    stop: () => {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}
