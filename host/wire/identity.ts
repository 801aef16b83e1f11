// The server identity a client sees in ParameterStatus messages: Redshift's (server_version 8.0.2, UTF8, ISO
// dates, UTC), so Redshift-aware drivers behave as they do against a cluster (research: ecosystem.md §3). The
// connection sends these after authentication and again whenever the session changes one of them (SET).
import type { SessionApi } from '../session/api.js';

/**
 * Settings reported by ParameterStatus, with the value sent when the session has none. PostgreSQL reports its
 * GUC_REPORT settings; Redshift adds max_numeric_precision, max_varchar_size and datashare_enabled. We never send
 * server_protocol_version or show_discovery: Redshift drivers then stay on the plain PostgreSQL protocol.
 */
export const REPORTED_DEFAULTS: ReadonlyArray<readonly [string, string]> = [
  ['application_name', ''],
  ['client_encoding', 'UTF8'],
  ['DateStyle', 'ISO, MDY'],
  ['integer_datetimes', 'on'],
  ['IntervalStyle', 'postgres'],
  ['is_superuser', 'on'],
  ['server_encoding', 'UTF8'],
  ['server_version', '8.0.2'],
  ['session_authorization', ''],
  ['standard_conforming_strings', 'on'],
  ['TimeZone', 'UTC'],
  ['max_numeric_precision', '38'],
  ['max_varchar_size', '65535'],
  ['datashare_enabled', 'off'],
];

/** Settings sent only when the session defines them (Redshift's build number, which the engine owns). */
const OPTIONAL = ['padb_version'];

/** The ParameterStatus values for a session right now. Encodings are always UTF8: the server converts nothing. */
export function reportedSettings(session: SessionApi): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, fallback] of REPORTED_DEFAULTS) {
    let v: string | undefined;
    if (name === 'client_encoding' || name === 'server_encoding' || name === 'integer_datetimes') v = fallback;
    else if (name === 'session_authorization') v = session.getSetting(name) ?? session.user;
    else v = session.getSetting(name) ?? fallback;
    out.set(name, v);
  }
  for (const name of OPTIONAL) {
    const v = session.getSetting(name);
    if (v !== undefined) out.set(name, v);
  }
  return out;
}

/** Entries of `next` whose value differs from `prev` (what a SET made worth reporting). */
export function changedSettings(prev: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of next) if (prev.get(k) !== v) out.push([k, v]);
  return out;
}
