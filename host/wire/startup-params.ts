// What the server does with the parameters of a StartupMessage (PostgreSQL docs, "StartupMessage"; research:
// ecosystem.md §3): user/database pick the session, `options` carries `-c name=value` settings, known settings
// go to the session, and the extra keys Redshift drivers send are accepted and ignored.
import { SqlError, SqlState } from '../common/errors.js';
import type { SessionApi } from '../session/api.js';

/** Keys handled by the connection itself, never passed to the session. */
const CONNECTION_KEYS = new Set(['user', 'database', 'options', 'replication', 'client_encoding']);

/** Startup keys that Redshift's JDBC/ODBC/Python drivers send; real PostgreSQL rejects them, Redshift ignores them. */
export const REDSHIFT_DRIVER_KEYS = new Set([
  'client_protocol_version', 'driver_version', 'os_version', 'plugin_name', 'driver_discovery_version', 'idp_type',
  'provider_name', 'compression',
]);

/** Settings that must apply or fail the login (a wrong DateStyle would corrupt what the client parses). */
const STRICT_KEYS = new Set(['datestyle', 'timezone', 'search_path', 'extra_float_digits', 'application_name', 'intervalstyle', 'statement_timeout']);

/**
 * Splits the `options` startup parameter as PostgreSQL's pg_split_opts does (whitespace separates, backslash
 * escapes the next character) and returns the `-c name=value` / `--name=value` settings it holds.
 */
export function parseOptions(options: string): [string, string][] {
  const args: string[] = [];
  let cur = '';
  let have = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i]!;
    if (ch === '\\' && i + 1 < options.length) { cur += options[++i]; have = true; }
    else if (/\s/.test(ch)) { if (have) args.push(cur); cur = ''; have = false; }
    else { cur += ch; have = true; }
  }
  if (have) args.push(cur);
  const out: [string, string][] = [];
  const setting = (s: string): void => {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      throw new SqlError(SqlState.syntaxError, s.length > 0 ? `-c ${s} requires a value` : 'invalid command-line argument for server process', { severity: 'FATAL' });
    }
    out.push([s.slice(0, eq).replace(/-/g, '_'), s.slice(eq + 1)]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') { if (i + 1 >= args.length) setting(''); else setting(args[++i]!); }
    else if (a.startsWith('-c')) setting(a.slice(2));
    else if (a.startsWith('--')) setting(a.slice(2));
    // Other backend switches (-d, -B ...) have no meaning here and are ignored.
  }
  return out;
}

/** True when the `replication` startup key asks for a replication connection. */
export function wantsReplication(value: string | undefined): boolean {
  if (value === undefined) return false;
  return ['true', 'on', 'yes', '1', 'database'].includes(value.toLowerCase());
}

/**
 * Applies startup parameters to a new session. Unknown keys are ignored (reported to `onIgnored`), a bad value
 * of a known setting fails the login with the session's error made FATAL.
 */
export function applyStartupParams(session: SessionApi, params: ReadonlyMap<string, string>, onIgnored: (key: string, why: string) => void): void {
  const settings: [string, string, boolean][] = [];
  for (const [k, v] of params) {
    if (CONNECTION_KEYS.has(k) || k.startsWith('_pq_.')) continue;
    if (REDSHIFT_DRIVER_KEYS.has(k)) { onIgnored(k, 'redshift driver parameter'); continue; }
    settings.push([k, v, STRICT_KEYS.has(k.toLowerCase())]);
  }
  const options = params.get('options');
  if (options !== undefined) for (const [k, v] of parseOptions(options)) settings.push([k, v, true]);
  for (const [k, v, strict] of settings) {
    try {
      session.setSetting(k, v);
    } catch (e) {
      if (!strict) { onIgnored(k, e instanceof Error ? e.message : String(e)); continue; }
      const err = SqlError.fromUnknown(e);
      throw new SqlError(err.code, err.message, { severity: 'FATAL', ...(err.detail !== undefined ? { detail: err.detail } : {}), ...(err.hint !== undefined ? { hint: err.hint } : {}) });
    }
  }
}
