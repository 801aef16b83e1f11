// Text output of SQL values: internal representation (host/session/api.ts) -> the text Redshift
// prints, used by the wire protocol's text format, COPY/UNLOAD writers and casts to varchar.
// Follows PostgreSQL's output functions with DateStyle ISO, IntervalStyle postgres and
// extra_float_digits = 0 (Redshift's defaults; PostgreSQL docs "Date/Time Output" §8.5.2,
// "Interval Output" §8.5.5, "Floating-Point Types" §8.1.3).
import { internal } from '../common/errors.js';
import type { Interval, SqlType } from './sql-type.js';
import {
  civilFromDays, DATE_NEG_INFINITY, DATE_POS_INFINITY, microsToParts, timeZoneOffset, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY,
} from './datetime.js';

export { DATE_NEG_INFINITY, DATE_POS_INFINITY, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from './datetime.js';

/** '00'..'99': two-digit fields without padStart on the hot path (COPY/UNLOAD and result rows). */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad(n: number, width: number): string {
  if (width === 2 && n < 100) return TWO_DIGITS[n]!;
  if (width === 4 && n >= 1000 && n < 10000) return String(n);
  return String(n).padStart(width, '0');
}

/**
 * C printf `%.{p}g` as glibc prints it: `p` significant digits rounded half to even on exact ties
 * (JavaScript's toExponential rounds them away from zero), trailing zeros dropped, exponent form
 * outside 1e-4 .. 1e{p}.
 */
export function formatFloatG(v: number, p: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  // fast path: JavaScript's shortest form already has at most p significant digits in %g's fixed range
  if (a >= 1e-4 && a < 10 ** p) {
    const short = String(a);
    if (!short.includes('e')) {
      const sig = short.replace('.', '').replace(/^0+/, '').length;
      if (sig <= p) return v < 0 ? `-${short}` : short;
    }
  }
  let [m, es] = a.toExponential(p - 1).split('e') as [string, string];
  // an exact tie (the double's decimal expansion is ...d5000...) rounds to the even digit
  // (cheap screen first: only a value whose next digits round to 5, 0, 0 can be a tie)
  if (a.toExponential(p + 2).replace('.', '').slice(p, p + 3) === '500') {
    const [lm, le] = a.toExponential(Math.min(100, p + 30)).split('e') as [string, string];
    const longDigits = lm.replace('.', '');
    if (/^50*$/.test(longDigits.slice(p)) && Number(longDigits[p - 1]) % 2 === 0) {
      m = longDigits[0]! + (p > 1 ? '.' + longDigits.slice(1, p) : '');
      es = le;
    }
  }
  const e = Number(es);
  const digits = m.replace('.', '');
  const trimZeros = (x: string): string => (x.includes('.') ? x.replace(/0+$/, '').replace(/\.$/, '') : x);
  let out: string;
  if (e < -4 || e >= p) {
    const ae = Math.abs(e);
    out = `${trimZeros(digits[0]! + (p > 1 ? '.' + digits.slice(1) : ''))}e${e < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  } else if (e >= 0) {
    out = trimZeros(`${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`);
  } else {
    out = trimZeros(`0.${'0'.repeat(-e - 1)}${digits}`);
  }
  return v < 0 ? `-${out}` : out;
}

/** A scaled integer (value * 10^scale) as a decimal with exactly `scale` fraction digits. */
export function formatNumeric(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** A date (days since 1970-01-01): YYYY-MM-DD, with ' BC' for years before 1. */
export function formatDate(days: number): string {
  if (days === DATE_NEG_INFINITY) return '-infinity';
  if (days === DATE_POS_INFINITY) return 'infinity';
  const d = civilFromDays(days);
  return `${pad(d.year > 0 ? d.year : 1 - d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}${d.year > 0 ? '' : ' BC'}`;
}

/** HH:MM:SS with the fraction of the second trimmed of trailing zeros (PostgreSQL's AppendSeconds). */
function formatClock(hour: number, minute: number, second: number, micro: number): string {
  let s = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  if (micro !== 0) s += '.' + pad(micro, 6).replace(/0+$/, '');
  return s;
}

/** A timestamp (microseconds since 1970-01-01): 'YYYY-MM-DD HH:MM:SS[.ffffff][ BC]'; `tz` appends a zone such as '+00'. */
export function formatTimestamp(micros: bigint, tz = ''): string {
  if (micros === TIMESTAMP_NEG_INFINITY) return '-infinity';
  if (micros === TIMESTAMP_POS_INFINITY) return 'infinity';
  const p = microsToParts(micros);
  const y = p.year > 0 ? p.year : 1 - p.year;
  return `${pad(y, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)} ${formatClock(p.hour, p.minute, p.second, p.micro)}${tz}${p.year > 0 ? '' : ' BC'}`;
}

/** A time of day (microseconds since midnight, 0 .. 24:00:00). */
export function formatTime(micros: bigint | number): string {
  let v = Number(micros);
  const micro = v % 1_000_000; v = (v - micro) / 1_000_000;
  const second = v % 60; v = (v - second) / 60;
  const minute = v % 60;
  return formatClock((v - minute) / 60, minute, second, micro);
}

/** A UTC offset in seconds east of Greenwich as PostgreSQL prints it: '+00', '-05', '+05:30'. */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  let a = Math.abs(seconds);
  const h = Math.floor(a / 3600); a -= h * 3600;
  const m = Math.floor(a / 60); const s = a - m * 60;
  return `${sign}${pad(h, 2)}${m || s ? ':' + pad(m, 2) : ''}${s ? ':' + pad(s, 2) : ''}`;
}

/** An interval in IntervalStyle postgres: '1 year 2 mons 3 days 04:05:06', '-1 days +02:00:00', '00:00:00'. */
export function formatInterval(iv: Interval): string {
  const parts: string[] = [];
  let isBefore = false;
  const add = (value: number, unit: string): void => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
    isBefore = value < 0;
  };
  const years = Math.trunc(iv.months / 12);
  add(years, 'year');
  add(iv.months - years * 12, 'mon');
  add(iv.days, 'day');
  const t = iv.micros;
  if (parts.length === 0 || t !== 0) {
    const neg = t < 0;
    let a = Math.abs(t);
    const micro = a % 1_000_000; a = (a - micro) / 1_000_000;
    const second = a % 60; a = (a - second) / 60;
    const minute = a % 60;
    const hour = (a - minute) / 60;
    parts.push(`${neg ? '-' : isBefore ? '+' : ''}${formatClock(hour, minute, second, micro)}`);
  }
  return parts.join(' ');
}

/** bytea in hex output format: '\x0aff'. */
export function formatBytea(b: Uint8Array): string {
  return '\\x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** A timestamptz shown in time zone `zone` (the session's TimeZone): local time plus its offset, e.g. '-04'. */
export function formatTimestampTz(micros: bigint, zone = 'UTC'): string {
  if (micros === TIMESTAMP_NEG_INFINITY || micros === TIMESTAMP_POS_INFINITY) return formatTimestamp(micros);
  const off = timeZoneOffset(zone, micros);
  return formatTimestamp(micros + BigInt(off) * 1_000_000n, formatOffset(off));
}

/** Session settings that change how values print. */
export interface FormatOptions {
  /** TimeZone for timestamptz (default UTC, which prints '+00'). */
  timeZone?: string;
}

/**
 * The text form of a non-NULL value of type `type` (value in internal representation), as
 * Redshift prints it. NULL has no text form: callers send NULL as such.
 */
export function formatText(value: unknown, type: SqlType, options?: FormatOptions): string {
  if (value === null || value === undefined) throw internal('formatText called with NULL');
  switch (type.id) {
    case 'bool': return value ? 't' : 'f';
    case 'int2': case 'int4': case 'int8': case 'oid': return String(value);
    case 'numeric': return formatNumeric(typeof value === 'bigint' ? value : BigInt(value as number), type.scale ?? 0);
    case 'float8': return formatFloatG(value as number, 15);
    case 'float4': return formatFloatG(value as number, 6);
    case 'date': return formatDate(value as number);
    case 'timestamp': return formatTimestamp(value as bigint);
    case 'timestamptz':
      return options?.timeZone === undefined ? formatTimestamp(value as bigint, '+00') : formatTimestampTz(value as bigint, options.timeZone);
    case 'time': return formatTime(value as bigint);
    case 'timetz': return formatTime(value as bigint) + '+00';
    case 'interval': return formatInterval(value as Interval);
    case 'bytea': return formatBytea(value as Uint8Array);
    case 'bpchar': {
      const s = String(value);
      return type.length !== undefined && type.length > s.length ? s.padEnd(type.length, ' ') : s;
    }
    default: return String(value);
  }
}
