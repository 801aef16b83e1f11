// Binary send/receive formats of the types wasmshift has (PostgreSQL's *send/*recv functions): result cells asked
// for in binary (format code 1) are encoded here from internal values (host/session/api.ts), and Bind parameters
// sent in binary are decoded here into internal values before they reach the session.
import { SqlError } from '../common/errors.js';
import type { Interval, SqlType } from '../types/sql-type.js';
import { BufferWriter } from './buffer-writer.js';

/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's date epoch. */
export const PG_EPOCH_DAYS = 10957;
/** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
export const PG_EPOCH_MICROS = 946684800000000n;

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;

/** SQLSTATE 22P03, PostgreSQL's "invalid_binary_representation". */
function badBinary(index: number): SqlError {
  return new SqlError('22P03', `incorrect binary data format in bind parameter ${index + 1}`);
}

/** The decimal text of a numeric internal value: a bigint scaled by 10^scale, or a decimal string/number. */
export function numericToString(value: unknown, scale: number): string {
  if (typeof value === 'bigint') {
    if (scale <= 0) return value.toString();
    const neg = value < 0n;
    const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
    const s = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    return neg ? `-${s}` : s;
  }
  return String(value);
}

/** Appends PostgreSQL's numeric_send layout (ndigits, weight, sign, dscale, base-10000 digits) for a decimal string. */
export function writeNumeric(w: BufferWriter, text: string): void {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    // NaN (and anything unparsable) is sent as NaN.
    w.int16(0).int16(0).uint16(NUMERIC_NAN).int16(0);
    return;
  }
  const neg = m[1] === '-';
  const intPart = m[2] === '' ? '0' : m[2]!;
  const frac = m[3] ?? '';
  const dscale = frac.length;
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = frac.padEnd(Math.ceil(frac.length / 4) * 4, '0');
  const digits: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) digits.push(Number(intPadded.slice(i, i + 4)));
  let weight = digits.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) digits.push(Number(fracPadded.slice(i, i + 4)));
  let first = 0;
  while (first < digits.length && digits[first] === 0) { first++; weight--; }
  let last = digits.length;
  while (last > first && digits[last - 1] === 0) last--;
  const kept = digits.slice(first, last);
  if (kept.length === 0) weight = 0;
  w.int16(kept.length).int16(weight).uint16(kept.length === 0 || !neg ? NUMERIC_POS : NUMERIC_NEG).int16(dscale);
  for (const d of kept) w.int16(d);
}

/** numeric_send's layout straight from a scaled bigint (value * 10^scale), without a decimal string in between. */
export function writeNumericScaled(w: BufferWriter, v: bigint, scale: number): void {
  const neg = v < 0n;
  const ds = (neg ? -v : v).toString();
  const intLen = ds.length - scale;
  const top = Math.floor((intLen - 1) / 4);
  const bottom = Math.floor(-scale / 4);
  const groups: number[] = [];
  for (let g = top; g >= bottom; g--) {
    let val = 0;
    for (let e = 4 * g + 3; e >= 4 * g; e--) {
      const p = intLen - 1 - e;
      val = val * 10 + (p >= 0 && p < ds.length ? ds.charCodeAt(p) - 48 : 0);
    }
    groups.push(val);
  }
  let first = 0;
  let weight = top;
  while (first < groups.length && groups[first] === 0) { first++; weight--; }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const n = last - first;
  w.int16(n).int16(n === 0 ? 0 : weight).uint16(n === 0 || !neg ? NUMERIC_POS : NUMERIC_NEG).int16(Math.max(0, scale));
  for (let i = first; i < last; i++) w.int16(groups[i]!);
}

/** Reads numeric_send's layout back into a decimal string ('NaN' for NaN). */
export function readNumeric(b: Buffer): string {
  if (b.length < 8) throw new RangeError('numeric too short');
  const n = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (b.length !== 8 + 2 * n || n < 0 || dscale < 0) throw new RangeError('bad numeric');
  if (sign === NUMERIC_NAN) return 'NaN';
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw new RangeError('bad numeric sign');
  const d = (j: number): number => (j >= 0 && j < n ? b.readInt16BE(8 + 2 * j) : 0);
  let int = '';
  for (let e = weight; e >= 0; e--) int += String(d(weight - e)).padStart(4, '0');
  int = int.replace(/^0+/, '') || '0';
  let frac = '';
  const groups = Math.ceil(dscale / 4);
  for (let e = -1; e >= -groups; e--) frac += String(d(weight - e)).padStart(4, '0');
  frac = frac.slice(0, dscale);
  const s = frac.length > 0 ? `${int}.${frac}` : int;
  return sign === NUMERIC_NEG && /[1-9]/.test(s) ? `-${s}` : s;
}

// Infinite dates and timestamps keep PostgreSQL's sentinels (INT32/INT64 min and max) in both epochs.
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
/** Days since 1970 -> days since 2000 (date_send). */
export function dateToPg(days: number): number { return days === INT32_MIN || days === INT32_MAX ? days : days - PG_EPOCH_DAYS; }
export function dateFromPg(days: number): number { return days === INT32_MIN || days === INT32_MAX ? days : days + PG_EPOCH_DAYS; }
/** Microseconds since 1970 -> microseconds since 2000 (timestamp_send). */
export function timestampToPg(us: bigint): bigint { return us === INT64_MIN || us === INT64_MAX ? us : us - PG_EPOCH_MICROS; }
export function timestampFromPg(us: bigint): bigint { return us === INT64_MIN || us === INT64_MAX ? us : us + PG_EPOCH_MICROS; }

function toBigInt(v: unknown): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
}

/**
 * Appends one binary cell (int32 length + bytes) for a non-null internal value of `type`.
 * Types without a binary form here are sent as their UTF-8 text, which is what *send does for text-like types.
 */
export function writeBinaryCell(w: BufferWriter, value: unknown, type: SqlType, textOf: (v: unknown, t: SqlType) => string): void {
  const at = w.reserveInt32();
  const start = w.length;
  switch (type.id) {
    case 'bool': w.byte(value ? 1 : 0); break;
    case 'int2': w.int16(Number(value)); break;
    case 'int4': w.int32(Number(value)); break;
    case 'oid': w.uint32(Number(value)); break;
    case 'int8': w.int64(toBigInt(value)); break;
    case 'float4': w.float32(Number(value)); break;
    case 'float8': w.float64(Number(value)); break;
    case 'numeric':
      if (typeof value === 'bigint' && (type.scale ?? 0) >= 0) writeNumericScaled(w, value, type.scale ?? 0);
      else writeNumeric(w, numericToString(value, type.scale ?? 0));
      break;
    case 'date': w.int32(dateToPg(Number(value))); break;
    case 'time': w.int64(toBigInt(value)); break;
    case 'timetz': w.int64(toBigInt(value)).int32(0); break;
    case 'timestamp': case 'timestamptz': w.int64(timestampToPg(toBigInt(value))); break;
    case 'interval': {
      const iv = value as Interval;
      w.int64(BigInt(Math.trunc(iv.micros))).int32(iv.days).int32(iv.months);
      break;
    }
    case 'bytea': w.bytes(value as Uint8Array); break;
    case 'bpchar': case 'varchar': case 'text': case 'name': w.utf8(String(value)); break;
    default: w.utf8(textOf(value, type)); break;
  }
  w.patchInt32(at, w.length - start);
}

/** The binary encoding of one value, as a standalone buffer (tests, COPY BINARY). */
export function encodeBinary(value: unknown, type: SqlType, textOf: (v: unknown, t: SqlType) => string = (v) => String(v)): Buffer {
  const w = new BufferWriter(64);
  writeBinaryCell(w, value, type, textOf);
  return w.take().subarray(4);
}

/**
 * Decodes a binary Bind parameter into the internal value of `type` (host/session/api.ts). Numeric comes back as
 * its decimal string, which the session parses by the parameter's type like any text parameter. A length that
 * does not fit the type is 22P03, as in PostgreSQL.
 */
export function decodeBinaryParam(b: Buffer, type: SqlType | undefined, index: number): unknown {
  const id = type?.id ?? 'unknown';
  const want = (n: number): void => { if (b.length !== n) throw badBinary(index); };
  switch (id) {
    case 'bool': want(1); return b[0] !== 0;
    case 'int2': want(2); return b.readInt16BE(0);
    case 'int4': want(4); return b.readInt32BE(0);
    case 'oid': want(4); return b.readUInt32BE(0);
    case 'int8': want(8); return b.readBigInt64BE(0);
    case 'float4': want(4); return b.readFloatBE(0);
    case 'float8': want(8); return b.readDoubleBE(0);
    case 'numeric':
      try { return readNumeric(b); } catch { throw badBinary(index); }
    case 'date': want(4); return dateFromPg(b.readInt32BE(0));
    case 'time': want(8); return b.readBigInt64BE(0);
    case 'timestamp': case 'timestamptz': want(8); return timestampFromPg(b.readBigInt64BE(0));
    case 'interval': {
      want(16);
      const iv: Interval = { micros: Number(b.readBigInt64BE(0)), days: b.readInt32BE(8), months: b.readInt32BE(12) };
      return iv;
    }
    case 'bytea': return new Uint8Array(b);
    case 'timetz':
      throw new SqlError('0A000', `binary format for parameter ${index + 1} of type time with time zone is not supported`);
    default: {
      const s = b.toString('utf8');
      if (s.includes('\u0000')) throw badBinary(index);
      return s;
    }
  }
}
