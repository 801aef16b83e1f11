// Password authentication of the wire server (PostgreSQL docs, "SASL Authentication" and "Password
// Authentication"): SCRAM-SHA-256 (RFC 5802/7677) and MD5 exchanges checked against a UserStore. The connection
// runs one of these between the startup packet and AuthenticationOk.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { SqlError, SqlState } from '../common/errors.js';

/** What the server knows about a login role. `password` is cleartext, `md5<hex>` or a `SCRAM-SHA-256$...` secret. */
export interface UserRecord { password?: string }

/** Where logins are checked. The engine's catalog (CREATE USER ... PASSWORD) provides one; MemoryUserStore meanwhile. */
export interface UserStore {
  lookup(user: string): UserRecord | undefined | Promise<UserRecord | undefined>;
}

/** A UserStore held in memory (CLI `--user`/`--password-file`, tests). */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, UserRecord>();
  constructor(entries: Record<string, string | undefined> = {}) {
    for (const [u, p] of Object.entries(entries)) this.users.set(u, p === undefined ? {} : { password: p });
  }
  set(user: string, password: string | undefined): void { this.users.set(user, password === undefined ? {} : { password }); }
  lookup(user: string): UserRecord | undefined { return this.users.get(user); }
}

/** PostgreSQL's message for every failed password login (never says whether the user exists). */
export function passwordFailed(user: string): SqlError {
  return new SqlError(SqlState.invalidPassword, `password authentication failed for user "${user}"`, { severity: 'FATAL' });
}

function malformed(detail: string): SqlError {
  return new SqlError(SqlState.protocolViolation, 'malformed SCRAM message', { severity: 'FATAL', detail });
}

const md5hex = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');

/** The stored MD5 form of a password, as PostgreSQL and Redshift keep it: 'md5' + md5(password || user). */
export function md5Secret(password: string, user: string): string { return `md5${md5hex(password + user)}`; }

/** True when a stored password is in MD5 form (then only MD5 authentication can check it). */
export function isMd5Secret(p: string): boolean { return /^md5[0-9a-f]{32}$/.test(p); }

/** Which exchange a user gets: MD5 when only an MD5 secret is stored, SCRAM-SHA-256 otherwise (unknown users too). */
export function authMethodFor(record: UserRecord | undefined): 'md5' | 'scram-sha-256' {
  return record?.password !== undefined && isMd5Secret(record.password) ? 'md5' : 'scram-sha-256';
}

/**
 * Checks an MD5 PasswordMessage: the client sends 'md5' + md5(md5(password || user) || salt).
 * Throws 28P01 on mismatch or when the user has no password.
 */
export function verifyMd5(user: string, record: UserRecord | undefined, salt: Uint8Array, response: string): void {
  const stored = record?.password;
  if (stored === undefined) throw passwordFailed(user);
  const inner = isMd5Secret(stored) ? stored.slice(3) : md5hex(stored + user);
  const expected = `md5${md5hex(Buffer.concat([Buffer.from(inner), Buffer.from(salt)]))}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(response);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw passwordFailed(user);
}

/** SCRAM keys derived from a password (RFC 5802 §3). */
export interface ScramSecret { iterations: number; salt: Buffer; storedKey: Buffer; serverKey: Buffer }

const hmac = (key: Buffer, data: string | Buffer): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Derives SCRAM-SHA-256 keys; the password is used as given (SASLprep is the identity for ASCII passwords). */
export function scramSecret(password: string, salt: Buffer, iterations = 4096): ScramSecret {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  return { iterations, salt, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** Parses PostgreSQL's stored form `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts). */
export function parseScramSecret(s: string): ScramSecret | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(s);
  if (!m) return undefined;
  return { iterations: Number(m[1]), salt: Buffer.from(m[2]!, 'base64'), storedKey: Buffer.from(m[3]!, 'base64'), serverKey: Buffer.from(m[4]!, 'base64') };
}

/** Formats keys in PostgreSQL's stored form (what CREATE USER could keep instead of cleartext). */
export function formatScramSecret(k: ScramSecret): string {
  return `SCRAM-SHA-256$${k.iterations}:${k.salt.toString('base64')}$${k.storedKey.toString('base64')}:${k.serverKey.toString('base64')}`;
}

/**
 * Keys derived from cleartext passwords, per user and password: PBKDF2 runs once per server process instead of
 * blocking the event loop on every login. PostgreSQL also keeps one salt per role.
 */
const derived = new Map<string, ScramSecret>();
function derivedSecret(user: string, password: string): ScramSecret {
  const key = `${user}\u0000${password}`;
  let k = derived.get(key);
  if (!k) {
    if (derived.size >= 1000) derived.clear();
    k = scramSecret(password, randomBytes(16));
    derived.set(key, k);
  }
  return k;
}

/** A deterministic per-server key, so that a user that does not exist gets a stable fake salt (no user probing). */
const mockKey = randomBytes(32);

/**
 * The server side of one SCRAM-SHA-256 exchange without channel binding. `start` takes the client-first-message
 * and returns the server-first-message; `finish` takes the client-final-message and returns the
 * server-final-message, or throws 28P01 when the proof is wrong (or the user unknown) and 08P01 when malformed.
 */
export class ScramExchange {
  private secret: ScramSecret | undefined;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  constructor(private readonly user: string, private readonly record: UserRecord | undefined) {}

  start(clientFirst: string): string {
    const m = /^([ny])(?:=[^,]*)?,(a=[^,]*)?,(.*)$/.exec(clientFirst);
    if (!m) {
      if (clientFirst.startsWith('p=')) {
        throw new SqlError(SqlState.protocolViolation, 'channel binding is not supported by this server', { severity: 'FATAL' });
      }
      throw malformed('Unexpected GS2 header in client-first-message.');
    }
    this.gs2Header = clientFirst.slice(0, clientFirst.length - m[3]!.length);
    this.clientFirstBare = m[3]!;
    const attrs = this.clientFirstBare.split(',');
    if (attrs[0]?.startsWith('m=')) throw malformed('Mandatory extensions are not supported.');
    const r = attrs.find((a) => a.startsWith('r='));
    if (!r || r.length < 3 || /[^\x21-\x2b\x2d-\x7e]/.test(r.slice(2))) throw malformed('Missing or invalid client nonce.');
    this.nonce = r.slice(2) + randomBytes(18).toString('base64');
    const stored = this.record?.password;
    if (stored !== undefined && !isMd5Secret(stored)) {
      this.secret = parseScramSecret(stored) ?? derivedSecret(this.user, stored);
    } else {
      // Unknown user or no usable password: run the exchange with a fake salt and fail at the end, as PostgreSQL does.
      this.secret = undefined;
    }
    const salt = this.secret?.salt ?? hmac(mockKey, this.user).subarray(0, 16);
    const iterations = this.secret?.iterations ?? 4096;
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`;
    return this.serverFirst;
  }

  finish(clientFinal: string): string {
    const pIdx = clientFinal.lastIndexOf(',p=');
    if (pIdx < 0) throw malformed('Missing proof in client-final-message.');
    const withoutProof = clientFinal.slice(0, pIdx);
    const proof = Buffer.from(clientFinal.slice(pIdx + 3), 'base64');
    const attrs = withoutProof.split(',');
    const c = attrs.find((a) => a.startsWith('c='))?.slice(2);
    const r = attrs.find((a) => a.startsWith('r='))?.slice(2);
    if (c === undefined || Buffer.from(c, 'base64').toString('latin1') !== this.gs2Header) {
      throw malformed('Unexpected channel-binding data in client-final-message.');
    }
    if (r !== this.nonce) throw malformed('Nonce does not match.');
    if (!this.secret || proof.length !== 32) throw passwordFailed(this.user);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.secret.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(sha256(clientKey), this.secret.storedKey)) throw passwordFailed(this.user);
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`;
  }
}
