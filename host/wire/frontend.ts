// Parsers of the messages a client sends (PostgreSQL docs, "Message Formats"): the second stage of the wire data
// path, after host/wire/reader.ts framed them. Pure functions from a body to a typed object; malformed bodies
// throw SqlError 08P01 with PostgreSQL's wording.
import { SqlError, SqlState } from '../common/errors.js';
import { BodyReader } from './body-reader.js';
import { CANCEL_REQUEST_CODE, GSSENC_REQUEST_CODE, SSL_REQUEST_CODE } from './protocol.js';

export type StartupPacket =
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; processId: number; secretKey: Buffer }
  /** A StartupMessage. `params` is only parsed for protocol major version 3. */
  | { kind: 'startup'; major: number; minor: number; params: Map<string, string> };

/** Parses the body of a startup-phase packet (everything after its length word). */
export function parseStartupPacket(body: Buffer): StartupPacket {
  const r = new BodyReader(body);
  const code = r.int32();
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST_CODE) {
    const processId = r.int32();
    const secretKey = Buffer.from(r.rest());
    if (secretKey.length < 4) throw new SqlError(SqlState.protocolViolation, 'invalid length of startup packet', { severity: 'FATAL' });
    return { kind: 'cancel', processId, secretKey };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  const params = new Map<string, string>();
  if (major !== 3) return { kind: 'startup', major, minor, params };
  for (;;) {
    if (r.remaining === 0) {
      // PostgreSQL ProcessStartupPacket: the packet must end with an empty name.
      throw new SqlError(SqlState.protocolViolation, 'invalid startup packet layout: expected terminator as last byte', { severity: 'FATAL' });
    }
    const name = r.cstring();
    if (name === '') break;
    const value = r.cstring();
    params.set(name, value);
  }
  if (r.remaining !== 0) {
    throw new SqlError(SqlState.protocolViolation, 'invalid startup packet layout: expected terminator as last byte', { severity: 'FATAL' });
  }
  return { kind: 'startup', major, minor, params };
}

export interface ParseMessage { name: string; query: string; paramTypeOids: number[] }
export interface BindMessage {
  portal: string;
  statement: string;
  paramFormats: number[];
  /** Raw parameter values; null is SQL NULL (length -1). */
  params: (Buffer | null)[];
  resultFormats: number[];
}
export interface DescribeMessage { target: 'S' | 'P'; name: string }
export interface CloseMessage { target: 'S' | 'P'; name: string }
export interface ExecuteMessage { portal: string; maxRows: number }

function count(r: BodyReader): number {
  const n = r.int16();
  if (n < 0) throw new SqlError(SqlState.protocolViolation, 'invalid message format');
  return n;
}

export function parseParse(body: Buffer): ParseMessage {
  const r = new BodyReader(body);
  const name = r.cstring();
  const query = r.cstring();
  const n = count(r);
  const paramTypeOids: number[] = [];
  for (let i = 0; i < n; i++) paramTypeOids.push(r.uint32());
  r.end();
  return { name, query, paramTypeOids };
}

export function parseBind(body: Buffer): BindMessage {
  const r = new BodyReader(body);
  const portal = r.cstring();
  const statement = r.cstring();
  const nf = count(r);
  const paramFormats: number[] = [];
  for (let i = 0; i < nf; i++) paramFormats.push(formatCode(r.int16()));
  const np = count(r);
  const params: (Buffer | null)[] = [];
  for (let i = 0; i < np; i++) {
    const len = r.int32();
    if (len === -1) params.push(null);
    else if (len < -1) throw new SqlError(SqlState.protocolViolation, 'invalid message format');
    else params.push(r.bytes(len));
  }
  const nr = count(r);
  const resultFormats: number[] = [];
  for (let i = 0; i < nr; i++) resultFormats.push(formatCode(r.int16()));
  r.end();
  return { portal, statement, paramFormats, params, resultFormats };
}

/** A format code must be 0 (text) or 1 (binary); otherwise PostgreSQL's "unsupported format code: %d". */
function formatCode(code: number): number {
  if (code !== 0 && code !== 1) throw new SqlError(SqlState.protocolViolation, `unsupported format code: ${code}`);
  return code;
}

function target(r: BodyReader, what: 'DESCRIBE' | 'CLOSE'): 'S' | 'P' {
  const t = r.byte();
  if (t === 0x53) return 'S';
  if (t === 0x50) return 'P';
  throw new SqlError(SqlState.protocolViolation, `invalid ${what} message subtype ${t}`);
}

export function parseDescribe(body: Buffer): DescribeMessage {
  const r = new BodyReader(body);
  const t = target(r, 'DESCRIBE');
  const name = r.cstring();
  r.end();
  return { target: t, name };
}

export function parseClose(body: Buffer): CloseMessage {
  const r = new BodyReader(body);
  const t = target(r, 'CLOSE');
  const name = r.cstring();
  r.end();
  return { target: t, name };
}

export function parseExecute(body: Buffer): ExecuteMessage {
  const r = new BodyReader(body);
  const portal = r.cstring();
  const maxRows = r.int32();
  r.end();
  return { portal, maxRows: maxRows < 0 ? 0 : maxRows };
}

/** Query ('Q') and CopyFail ('f') carry one string. */
export function parseString(body: Buffer): string {
  const r = new BodyReader(body);
  const s = r.cstring();
  r.end();
  return s;
}

/** PasswordMessage: the cleartext or MD5-hashed password. */
export function parsePassword(body: Buffer): string { return parseString(body); }

/** SASLInitialResponse: mechanism name and the client-first-message (-1 length: none). */
export function parseSaslInitial(body: Buffer): { mechanism: string; data: Buffer | null } {
  const r = new BodyReader(body);
  const mechanism = r.cstring();
  const len = r.int32();
  const data = len < 0 ? null : Buffer.from(r.bytes(len));
  r.end();
  return { mechanism, data };
}
