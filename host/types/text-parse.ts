// Text input of SQL values: a string (a literal, a bind parameter in text format, a COPY field)
// -> wasmshift's internal representation (host/session/api.ts), with PostgreSQL's input rules,
// error wording and SQLSTATEs (PostgreSQL docs "Date/Time Input" §8.5.1 and appendix B, "Numeric
// Types" §8.1, "Character Types" §8.3, "Boolean Type" §8.6). Dates read as DateStyle ISO, MDY.
import { SqlError, SqlState } from '../common/errors.js';
import { DEFAULT_NUMERIC, formatType, type Interval, type SqlType } from './sql-type.js';
import {
  civilFromDays, daysFromCivil, daysInMonth, MAX_DATE, MAX_TIMESTAMP, MICROS_PER_DAY, MIN_DATE, MIN_TIMESTAMP, TZ_ABBREVIATIONS,
  zoneOffsetAt, localToUtc,
} from './datetime.js';
import { DATE_NEG_INFINITY, DATE_POS_INFINITY, TIMESTAMP_NEG_INFINITY, TIMESTAMP_POS_INFINITY } from './datetime.js';

export type InternalValue = unknown;

/** Options of text input that depend on the session. */
export interface ParseOptions {
  /** Current time (microseconds since the epoch) for 'now', 'today', 'yesterday', 'tomorrow'; default: the wall clock. */
  now?: bigint;
  /** The session's TimeZone for timestamptz input without a zone (default UTC). */
  timeZone?: string;
  /**
   * An explicit cast: char/varchar values longer than the length are cut instead of failing
   * (PostgreSQL "Character Types": explicit casts truncate; assignment and input fail with 22001).
   */
  truncate?: boolean;
}

function syntax(typeName: string, text: string, code: string = SqlState.invalidTextRepresentation): SqlError {
  return new SqlError(code, `invalid input syntax for type ${typeName}: "${text}"`);
}

const INT_LIMITS: Record<string, [bigint, bigint, string]> = {
  int2: [-32768n, 32767n, 'smallint'],
  int4: [-2147483648n, 2147483647n, 'integer'],
  int8: [-9223372036854775808n, 9223372036854775807n, 'bigint'],
  oid: [0n, 4294967295n, 'oid'],
};

/** int2/int4/int8/oid: optional sign and decimal digits, blanks around allowed (pg_strtoint). */
export function parseInteger(text: string, id: 'int2' | 'int4' | 'int8' | 'oid'): number | bigint {
  const [lo, hi, name] = INT_LIMITS[id]!;
  // fast path: up to 9 digits, no blanks (COPY fields)
  if (id !== 'int8' && text.length <= 10 && /^-?\d{1,9}$/.test(text)) {
    const n = Number(text);
    if (n >= Number(lo) && n <= Number(hi)) return n + 0;
  }
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) throw syntax(name, text);
  const v = BigInt(s);
  if (v < lo || v > hi) throw new SqlError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type ${name}`);
  return id === 'int8' ? v : Number(v);
}

/** float4/float8, with NaN, Infinity, -Infinity, inf (float8in). */
export function parseFloat8(text: string, id: 'float4' | 'float8' = 'float8'): number {
  const name = id === 'float4' ? 'real' : 'double precision';
  const s = text.trim();
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-infinity' || lower === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) throw syntax(name, text);
  const v = Number(s);
  const r = id === 'float4' ? Math.fround(v) : v;
  const nonZero = /[1-9]/.test(s.replace(/e.*$/i, ''));
  if (!Number.isFinite(r) || (r === 0 && nonZero)) {
    throw new SqlError(SqlState.numericValueOutOfRange, `"${text}" is out of range for type ${name}`);
  }
  return r;
}

/**
 * numeric(p, s) as a scaled bigint (value * 10^s), rounding half away from zero to s digits;
 * `numeric field overflow` (22003) past the precision. NUMERIC without modifiers is Redshift's
 * DECIMAL(18, 0).
 */
export function parseNumeric(text: string, precision?: number, scale?: number): bigint {
  const p = precision ?? DEFAULT_NUMERIC.precision;
  const sc = precision === undefined ? DEFAULT_NUMERIC.scale : (scale ?? 0);
  // fast path: a plain decimal whose scaled value is exact in a double (COPY fields)
  const f = /^(-?)(\d{1,15})(?:\.(\d*))?$/.exec(text);
  if (f && f[2]!.length + sc <= 15) {
    const frac = f[3] ?? '';
    let v = Number(f[2]) * 10 ** sc + (sc > 0 ? Number(frac.length >= sc ? frac.slice(0, sc) : frac.padEnd(sc, '0')) : 0);
    if (frac.length > sc && frac.charCodeAt(sc) >= 53) v += 1;
    if (v < 10 ** p) return BigInt(f[1] === '-' ? -v : v);
  }
  const s = text.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw syntax('numeric', text);
  const neg = m[1] === '-';
  let intDigits = m[2]!;
  let frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 100000) throw new SqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
  // shift the decimal point by the exponent
  if (exp > 0) {
    const take = frac.slice(0, exp).padEnd(exp, '0');
    intDigits += take; frac = frac.slice(exp);
  } else if (exp < 0) {
    const k = -exp;
    const padded = intDigits.padStart(k, '0');
    frac = padded.slice(padded.length - k) + frac; intDigits = padded.slice(0, padded.length - k);
  }
  let v = BigInt((intDigits || '0') + frac.slice(0, sc).padEnd(sc, '0'));
  const next = frac.charCodeAt(sc);
  if (next >= 53 /* '5' */ && next <= 57) v += 1n; // half away from zero (PostgreSQL's round_var)
  const limit = 10n ** BigInt(p);
  if (v >= limit) {
    throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${p}, scale ${sc} must round to an absolute value less than ${p - sc === 0 ? '1' : `10^${p - sc}`}.`,
    });
  }
  return neg ? -v : v;
}

/** boolean: t/true/y/yes/on/1 and f/false/n/no/off/0, any case, unique prefixes, blanks trimmed (boolin). */
export function parseBool(text: string): boolean {
  const s = text.trim().toLowerCase();
  if (s.length > 0) {
    if ('true'.startsWith(s) || 'yes'.startsWith(s) || s === '1') return true;
    if ('false'.startsWith(s) || 'no'.startsWith(s) || s === '0') return false;
    if (s.length >= 2 && 'on'.startsWith(s)) return true;
    if (s.length >= 2 && 'off'.startsWith(s)) return false;
  }
  throw syntax('boolean', text);
}

/** UTF-8 length, the unit of Redshift's CHAR(n)/VARCHAR(n) (Redshift "Character types"). */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` that fits in `n` UTF-8 bytes without splitting a character. */
function cutToBytes(s: string, n: number): string {
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    const b = byteLength(ch);
    if (bytes + b > n) break;
    bytes += b;
    i += ch.length;
  }
  return s.slice(0, i);
}

/**
 * char/varchar length check: a value longer than n bytes is an error (22001) unless the excess is
 * all blanks, which are cut (PostgreSQL bpchar()/varchar(), Redshift counts bytes). CHAR(n) is blank-padded.
 */
export function parseString(text: string, type: SqlType, truncate = false): string {
  const n = type.length;
  let s = text;
  if (type.id === 'name') {
    while (byteLength(s) > 63) s = s.slice(0, -1);
    return s;
  }
  if ((type.id !== 'varchar' && type.id !== 'bpchar') || n === undefined || n < 0) return s;
  const len = byteLength(s);
  if (len > n) {
    const trimmed = s.replace(/ +$/, '');
    if (byteLength(trimmed) > n) {
      if (!truncate) throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type ${formatType(type)}`);
      s = cutToBytes(s, n);
    } else {
      s = trimmed + ' '.repeat(n - byteLength(trimmed));
    }
    if (type.id === 'varchar') return s;
  }
  if (type.id === 'bpchar') {
    const b = byteLength(s);
    if (b < n) s += ' '.repeat(n - b);
  }
  return s;
}

/** bytea in hex ('\x0aff') or escape format ('abc\\000'). */
export function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    const bad = /[^0-9a-fA-F]/.exec(hex);
    // PostgreSQL's hex_decode wording (22023)
    if (bad) throw new SqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${bad[0]}"`);
    if (hex.length % 2 !== 0) throw new SqlError(SqlState.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\\') { out.push(92); i++; continue; }
      const oct = text.slice(i + 1, i + 4);
      if (/^[0-3][0-7]{2}$/.test(oct)) { out.push(parseInt(oct, 8)); i += 3; continue; }
      throw new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type bytea'); // byteain's wording, without the value
    }
    for (const b of Buffer.from(c, 'utf8')) out.push(b);
  }
  return new Uint8Array(out);
}

// ---------------------------------------------------------------------------------------------
// Dates, times, timestamps

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};
const WEEKDAYS = new Set(['sun', 'sunday', 'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday',
  'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday']);

interface DateTimeFields {
  year?: number;
  month?: number;
  day?: number;
  bc: boolean;
  hour?: number;
  minute?: number;
  second?: number;
  micro?: number;
  /** Seconds east of UTC. */
  tz?: number;
  /** The year as written when it had two digits (PostgreSQL does not widen it for BC dates). */
  twoDigitYear?: number;
  /** IANA zone name, resolved once the local time is known. */
  tzName?: string;
  special?: 'infinity' | '-infinity' | 'epoch' | 'now' | 'today' | 'yesterday' | 'tomorrow' | 'allballs';
}

type DtKind = 'date' | 'timestamp' | 'timestamp with time zone' | 'time' | 'time with time zone';

/** Reads a time of day 'HH:MM[:SS[.ffffff]]'; returns false when `s` is not one. */
function readClock(s: string, f: DateTimeFields, _typeName: DtKind, text: string): boolean {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d*))?)?$/.exec(s);
  if (!m) return false;
  f.hour = Number(m[1]); f.minute = Number(m[2]); f.second = m[3] ? Number(m[3]) : 0;
  const frac = m[4] ?? '';
  // round the fraction to microseconds, as PostgreSQL does
  let micro = Number(frac.slice(0, 6).padEnd(6, '0'));
  if (frac.length > 6 && frac.charCodeAt(6) >= 53) micro += 1;
  f.micro = micro;
  if (f.minute > 59 || f.second > 60 || f.hour > 24 || (f.hour === 24 && (f.minute > 0 || f.second > 0 || micro > 0))) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  }
  return true;
}

/** A numeric UTC offset '+05', '-0530', '+05:30', '+05:30:15'; returns undefined when `s` is not one. */
function readOffset(s: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -v : v;
}

/** Splits datetime text into fields the way PostgreSQL's ParseDateTime/DecodeDateTime read them. */
function decodeDateTime(text: string, typeName: DtKind): DateTimeFields {
  const bad = (): SqlError => syntax(typeName, text, SqlState.invalidDatetimeFormat);
  const range = (): SqlError => new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  const f: DateTimeFields = { bc: false };
  let s = text.trim().toLowerCase();
  if (s === '') throw bad();
  const specials = ['infinity', '+infinity', '-infinity', 'epoch', 'now', 'today', 'yesterday', 'tomorrow', 'allballs'];
  if (specials.includes(s)) { f.special = (s === '+infinity' ? 'infinity' : s) as DateTimeFields['special']; return f; }
  // ISO 8601 'T' between date and time
  s = s.replace(/^(\d{4}-\d{1,2}-\d{1,2}|\d{8})t(?=\d)/, '$1 ');
  // a zone glued to the time: 10:00:00+02, 10:00:00z, 10:00:00-05:30
  s = s.replace(/(\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d*)?)?)(z|[+-]\d{1,2}(?::?\d{2}){0,2})(?=\s|$)/g, '$1 $2');
  const fields = s.split(/[\s,]+/).filter((x) => x !== '');
  const pendingNumbers: string[] = [];
  let sawTime = false;
  for (let i = 0; i < fields.length; i++) {
    const t = fields[i]!;
    let m: RegExpExecArray | null;
    if (f.year === undefined && (m = /^(\d{4,})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t))) {
      f.year = Number(m[1]); f.month = Number(m[2]); f.day = Number(m[3]);
    } else if (f.year === undefined && (m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{1,4})$/.exec(t))) {
      // DateStyle MDY: month first
      f.month = Number(m[1]); f.day = Number(m[2]); f.year = twoDigitYear(m[3]!, f);
    } else if (f.year === undefined && (m = /^(\d{1,2})[-/ ]?([a-z]{3,9})[-/ ]?(\d{1,})$/.exec(t)) && MONTHS[m[2]!]) {
      f.day = Number(m[1]); f.month = MONTHS[m[2]!]; f.year = twoDigitYear(m[3]!, f);
    } else if (f.year === undefined && (m = /^(\d{3,})-([a-z]{3,9})-(\d{1,2})$/.exec(t)) && MONTHS[m[2]!]) {
      f.year = Number(m[1]); f.month = MONTHS[m[2]!]; f.day = Number(m[3]);
    } else if (f.year === undefined && (m = /^([a-z]{3,9})-(\d{1,2})-(\d{1,})$/.exec(t)) && MONTHS[m[1]!]) {
      f.month = MONTHS[m[1]!]; f.day = Number(m[2]); f.year = twoDigitYear(m[3]!, f);
    } else if (f.year === undefined && f.month === undefined && (m = /^(\d{4})(\d{2})(\d{2})$/.exec(t))) {
      f.year = Number(m[1]); f.month = Number(m[2]); f.day = Number(m[3]);
    } else if (f.year === undefined && f.month === undefined && i === 0 && fields.length > 1 && (m = /^(\d{2})(\d{2})(\d{2})$/.exec(t))) {
      // YYMMDD followed by a time ('960108 040809')
      f.year = twoDigitYear(m[1]!, f); f.month = Number(m[2]); f.day = Number(m[3]);
    } else if (f.year === undefined && f.month === undefined && (m = /^j(\d+)$/.exec(t))) {
      // Julian day number (PostgreSQL "Date/Time Input", J2451187)
      const c = civilFromDays(Number(m[1]) - 2440588);
      f.year = c.year > 0 ? c.year : 1 - c.year; f.month = c.month; f.day = c.day;
      if (c.year <= 0) f.bc = true;
    } else if (!sawTime && f.year !== undefined && (m = /^(\d{2})(\d{2})(\d{2})(?:\.(\d*))?$/.exec(t))) {
      // concatenated time after a date: '19960108 040809' (HHMMSS)
      if (!readClock(`${m[1]}:${m[2]}:${m[3]}${m[4] !== undefined ? '.' + m[4] : ''}`, f, typeName, text)) throw bad();
      sawTime = true;
    } else if (!sawTime && t.includes(':') && readClock(t, f, typeName, text)) {
      sawTime = true;
    } else if (MONTHS[t] !== undefined && f.month === undefined) {
      f.month = MONTHS[t];
    } else if (WEEKDAYS.has(t)) {
      // day names are accepted and ignored
    } else if (t === 'bc' || t === 'ad') {
      f.bc = t === 'bc';
    } else if ((t === 'am' || t === 'pm') && sawTime) {
      if (f.hour! > 12) throw range();
      if (t === 'pm' && f.hour! < 12) f.hour! += 12;
      if (t === 'am' && f.hour === 12) f.hour = 0;
    } else if (/^\d+$/.test(t)) {
      pendingNumbers.push(t);
    } else if (sawTime && readOffset(t) !== undefined) {
      f.tz = readOffset(t);
    } else if (TZ_ABBREVIATIONS[t] !== undefined) {
      f.tz = TZ_ABBREVIATIONS[t];
    } else if (/^[a-z_]+(\/[a-z_+-]+)+$/.test(t) && zoneOffsetAt(canonicalZone(text, t), 0) !== undefined) {
      f.tzName = canonicalZone(text, t);
    } else if (/^\d+\.\d+$/.test(t) && f.year === undefined) {
      throw bad();
    } else {
      throw bad();
    }
  }
  // loose numbers: with a month name they are day and year ('Jan 8 1999', '8 January 1999')
  if (pendingNumbers.length > 0) {
    if (f.month !== undefined && f.year === undefined && f.day === undefined && pendingNumbers.length === 2) {
      const [a, b] = pendingNumbers as [string, string];
      if (a.length >= 3) { f.year = Number(a); f.day = Number(b); } else { f.day = Number(a); f.year = twoDigitYear(b, f); }
    } else if (f.month !== undefined && f.day !== undefined && f.year === undefined && pendingNumbers.length === 1) {
      f.year = twoDigitYear(pendingNumbers[0]!, f);
    } else if (f.month !== undefined && f.year !== undefined && f.day === undefined && pendingNumbers.length === 1) {
      f.day = Number(pendingNumbers[0]);
    } else {
      throw bad();
    }
  }
  if (f.year !== undefined) {
    if (f.bc) {
      if (f.twoDigitYear !== undefined) f.year = f.twoDigitYear;
      if (f.year === 0) throw range();
      f.year = 1 - f.year;
    } else if (f.year === 0) {
      throw range();
    }
    if (f.month === undefined || f.day === undefined) throw bad();
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month)) throw range();
  } else if (f.month !== undefined || f.day !== undefined) {
    throw bad();
  }
  return f;
}

/** IANA names keep their case ('America/New_York'); the input was lower-cased, so take it from the original text. */
function canonicalZone(original: string, lower: string): string {
  const k = original.toLowerCase().indexOf(lower);
  return k >= 0 ? original.slice(k, k + lower.length) : lower;
}

/** Two-digit years map to 1970..2069 as PostgreSQL does; longer ones are literal. */
function twoDigitYear(s: string, f?: DateTimeFields): number {
  const y = Number(s);
  if (s.length <= 2) {
    if (f) f.twoDigitYear = y;
    return y < 70 ? 2000 + y : 1900 + y;
  }
  return y;
}

/** The session's 'now' (its transaction start, when it passes one), else the wall clock. */
function nowOf(o: ParseOptions | undefined): bigint {
  return o?.now ?? BigInt(Date.now()) * 1000n;
}

/** A date: ISO, MDY with '/', 'YYYYMMDD', 'Mon DD YYYY', 'DD-Mon-YYYY', BC; a time part is ignored. */
/** 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM[:SS[.ffffff]]' (or with 'T'): the ISO forms COPY files carry. */
const ISO_FAST = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** Days of a valid ISO date, or undefined when the fields are out of range (the slow path then reports it). */
function isoDays(m: RegExpExecArray): number | undefined {
  const y = Number(m[1]); const mo = Number(m[2]); const d = Number(m[3]);
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

export function parseDate(text: string, o?: ParseOptions): number {
  const fast = ISO_FAST.exec(text);
  if (fast) {
    const days = isoDays(fast);
    if (days !== undefined) return days;
  }
  const f = decodeDateTime(text, 'date');
  switch (f.special) {
    case 'infinity': return DATE_POS_INFINITY;
    case '-infinity': return DATE_NEG_INFINITY;
    case 'epoch': return 0;
    case 'today': case 'now': return Number(nowOf(o) / MICROS_PER_DAY);
    case 'yesterday': return Number(nowOf(o) / MICROS_PER_DAY) - 1;
    case 'tomorrow': return Number(nowOf(o) / MICROS_PER_DAY) + 1;
    case 'allballs': throw syntax('date', text, SqlState.invalidDatetimeFormat);
    default: break;
  }
  if (f.year === undefined) throw syntax('date', text, SqlState.invalidDatetimeFormat);
  const days = daysFromCivil(f.year, f.month!, f.day!);
  if (days < MIN_DATE || days > MAX_DATE) throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${text}"`);
  return days;
}

/**
 * A timestamp (`withTz` false) or timestamptz (`withTz` true) as microseconds since 1970-01-01 UTC.
 * For timestamptz a missing zone means the session's (`o.timeZone`, default UTC); for timestamp a zone is
 * ignored, as PostgreSQL does.
 */
export function parseTimestamp(text: string, withTz = false, o?: ParseOptions): bigint {
  const typeName: DtKind = withTz ? 'timestamp with time zone' : 'timestamp';
  const fast = ISO_FAST.exec(text);
  if (fast) {
    const days = isoDays(fast);
    const h = Number(fast[4] ?? 0); const mi = Number(fast[5] ?? 0); const sec = Number(fast[6] ?? 0);
    if (days !== undefined && h < 24 && mi < 60 && sec < 60) {
      const micro = fast[7] ? Number(fast[7].padEnd(6, '0')) : 0;
      const v = BigInt(days) * MICROS_PER_DAY + BigInt(((h * 60 + mi) * 60 + sec) * 1_000_000 + micro);
      return withTz && o?.timeZone !== undefined ? localToUtc(o.timeZone, v) : v;
    }
  }
  const f = decodeDateTime(text, typeName);
  switch (f.special) {
    case 'infinity': return TIMESTAMP_POS_INFINITY;
    case '-infinity': return TIMESTAMP_NEG_INFINITY;
    case 'epoch': return 0n;
    case 'now': return nowOf(o);
    case 'today': case 'yesterday': case 'tomorrow': {
      const day = nowOf(o) / MICROS_PER_DAY + (f.special === 'today' ? 0n : f.special === 'yesterday' ? -1n : 1n);
      return day * MICROS_PER_DAY;
    }
    case 'allballs': throw syntax(typeName, text, SqlState.invalidDatetimeFormat);
    default: break;
  }
  if (f.year === undefined) throw syntax(typeName, text, SqlState.invalidDatetimeFormat);
  const days = BigInt(daysFromCivil(f.year, f.month!, f.day!));
  const tod = BigInt((((f.hour ?? 0) * 60 + (f.minute ?? 0)) * 60 + (f.second ?? 0)) * 1_000_000 + (f.micro ?? 0));
  let v = days * MICROS_PER_DAY + tod;
  if (withTz) {
    if (f.tz !== undefined) v -= BigInt(f.tz) * 1_000_000n;
    else if (f.tzName !== undefined) v = localToUtc(f.tzName, v);
    else if (o?.timeZone !== undefined) v = localToUtc(o.timeZone, v);
  }
  if (v < MIN_TIMESTAMP || v > MAX_TIMESTAMP) throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return v;
}

/** A time of day 'HH:MM[:SS[.ffffff]]' [AM|PM] as microseconds since midnight (a date part is ignored). */
export function parseTime(text: string, o?: ParseOptions): bigint {
  const f = decodeDateTime(text, 'time');
  if (f.special === 'allballs') return 0n;
  if (f.special === 'now') return nowOf(o) % MICROS_PER_DAY;
  if (f.special !== undefined || f.hour === undefined) throw syntax('time', text, SqlState.invalidDatetimeFormat);
  return BigInt(((f.hour * 60 + f.minute!) * 60 + f.second!) * 1_000_000 + f.micro!);
}

// ---------------------------------------------------------------------------------------------
// Intervals

const INTERVAL_UNITS: Record<string, [kind: 'months' | 'days' | 'micros', factor: number]> = {};
for (const [names, unit] of [
  ['microsecond microseconds microsecon us usec usecs useconds', ['micros', 1]],
  ['millisecond milliseconds millisecon ms msec msecs mseconds', ['micros', 1000]],
  ['second seconds sec secs s', ['micros', 1_000_000]],
  ['minute minutes min mins m', ['micros', 60_000_000]],
  ['hour hours hr hrs h', ['micros', 3_600_000_000]],
  ['day days d', ['days', 1]],
  ['week weeks w', ['days', 7]],
  ['month months mon mons', ['months', 1]],
  ['year years yr yrs y', ['months', 12]],
  ['decade decades dec decs', ['months', 120]],
  ['century centuries c cent', ['months', 1200]],
  ['millennium millennia millenniums mil mils', ['months', 12000]],
] as const) {
  for (const n of names.split(' ')) INTERVAL_UNITS[n] = [unit[0], unit[1]];
}

/** Adds `value` units to the interval, spilling fractions down as PostgreSQL does (1.5 months = 1 mon 15 days). */
function addUnit(iv: Interval, value: number, kind: 'months' | 'days' | 'micros', factor: number): void {
  if (kind === 'months') {
    const months = value * factor;
    const whole = Math.trunc(months);
    iv.months += whole;
    const fracDays = (months - whole) * 30;
    const wd = Math.trunc(Math.round(fracDays * 1e6) / 1e6);
    iv.days += wd;
    iv.micros += Math.round((fracDays - wd) * 86_400_000_000);
  } else if (kind === 'days') {
    const days = value * factor;
    const whole = Math.trunc(days);
    iv.days += whole;
    iv.micros += Math.round((days - whole) * 86_400_000_000);
  } else {
    iv.micros += Math.round(value * factor);
  }
}

/** ISO 8601 'P1Y2M3DT4H5M6S' / 'P1W' form (PostgreSQL "Interval Input", format with designators). */
function parseIsoInterval(s: string): Interval | undefined {
  const m = /^p(?:(-?[\d.]+)y)?(?:(-?[\d.]+)m)?(?:(-?[\d.]+)w)?(?:(-?[\d.]+)d)?(?:t(?:(-?[\d.]+)h)?(?:(-?[\d.]+)m)?(?:(-?[\d.]+)s)?)?$/.exec(s);
  if (!m || s === 'p' || s.endsWith('t')) return undefined;
  const iv: Interval = { months: 0, days: 0, micros: 0 };
  const units: [number, 'months' | 'days' | 'micros', number][] = [
    [1, 'months', 12], [2, 'months', 1], [3, 'days', 7], [4, 'days', 1], [5, 'micros', 3_600_000_000], [6, 'micros', 60_000_000], [7, 'micros', 1_000_000],
  ];
  for (const [k, kind, factor] of units) {
    if (m[k] !== undefined) {
      const v = Number(m[k]);
      if (!Number.isFinite(v)) return undefined;
      addUnit(iv, v, kind, factor);
    }
  }
  return iv;
}

/** The lowest field of an interval qualifier: `interval '5' day`, `interval '1-2' year to month`. */
export type IntervalField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/**
 * The lowest field of an interval type modifier as libpg-query gives it (INTERVAL_MASK bits of
 * PostgreSQL's datetime.h: MONTH 1<<1, YEAR 1<<2, DAY 1<<3, HOUR 1<<10, MINUTE 1<<11, SECOND 1<<12),
 * or undefined for the full range.
 */
export function intervalFieldFromTypmod(mask: number): IntervalField | undefined {
  if (mask === 0x7fff || mask < 0) return undefined;
  if (mask & (1 << 12)) return 'second';
  if (mask & (1 << 11)) return 'minute';
  if (mask & (1 << 10)) return 'hour';
  if (mask & (1 << 3)) return 'day';
  if (mask & (1 << 1)) return 'month';
  if (mask & (1 << 2)) return 'year';
  return undefined;
}

const FIELD_UNIT: Record<IntervalField, ['months' | 'days' | 'micros', number]> = {
  year: ['months', 12], month: ['months', 1], day: ['days', 1], hour: ['micros', 3_600_000_000],
  minute: ['micros', 60_000_000], second: ['micros', 1_000_000],
};

/** Drops the parts of an interval below `field`, as PostgreSQL's AdjustIntervalForTypmod does. */
function truncateInterval(iv: Interval, field: IntervalField): Interval {
  switch (field) {
    case 'year': return { months: Math.trunc(iv.months / 12) * 12, days: 0, micros: 0 };
    case 'month': return { months: iv.months, days: 0, micros: 0 };
    case 'day': return { months: iv.months, days: iv.days, micros: 0 };
    case 'hour': return { ...iv, micros: Math.trunc(iv.micros / 3_600_000_000) * 3_600_000_000 };
    case 'minute': return { ...iv, micros: Math.trunc(iv.micros / 60_000_000) * 60_000_000 };
    default: return iv;
  }
}

/**
 * An interval: '1 day', '3 months', '1 year 2 mons', '01:02:03', '-90 days', '1 week', '@ 1 hour ago',
 * '1 day -02:00:00', '1 2:03:04' (days then time), ISO 'P1DT2H'. A bare number counts seconds, or
 * `field` units when the type has a qualifier (`interval '90' day`), and parts below `field` are dropped.
 */
export function parseInterval(text: string, field?: IntervalField): Interval {
  const iv = parseIntervalText(text, field);
  return normalizeZero(field ? truncateInterval(iv, field) : iv);
}

function parseIntervalText(text: string, field: IntervalField | undefined): Interval {
  const bad = (): SqlError => syntax('interval', text, SqlState.invalidDatetimeFormat);
  let s = text.trim().toLowerCase();
  if (s === '') throw bad();
  const iso = s.startsWith('p') ? parseIsoInterval(s) : undefined;
  if (iso) return iso;
  if (s.startsWith('@')) s = s.slice(1).trim();
  let ago = false;
  if (s.endsWith(' ago') || s === 'ago') { ago = true; s = s.slice(0, -3).trim(); }
  // '10days' -> '10 days'; '-1day' -> '-1 day'
  s = s.replace(/(\d)([a-z])/g, '$1 $2');
  const toks = s.split(/[\s,]+/).filter((x) => x !== '');
  if (toks.length === 0) throw bad();
  const iv: Interval = { months: 0, days: 0, micros: 0 };
  const seenUnits = new Set<string>();
  let sawTime = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const clock = /^([+-]?)(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?$/.exec(t);
    if (clock) {
      if (sawTime) throw bad();
      sawTime = true;
      const frac = clock[5] ?? '';
      const micro = Number(frac.slice(0, 6).padEnd(6, '0')) + (frac.length > 6 && frac.charCodeAt(6) >= 53 ? 1 : 0);
      if (Number(clock[3]) > 59 || Number(clock[4] ?? 0) > 59) {
        throw new SqlError('22015', `interval field value out of range: "${text}"`);
      }
      const v = ((Number(clock[2]) * 60 + Number(clock[3])) * 60 + Number(clock[4] ?? 0)) * 1_000_000 + micro;
      iv.micros += clock[1] === '-' ? -v : v;
      continue;
    }
    const ym = /^([+-]?)(\d+)-(\d+)$/.exec(t);
    if (ym) {
      // SQL-standard year-month literal: '1-2' is 1 year 2 months
      const months = Number(ym[2]) * 12 + Number(ym[3]);
      iv.months += ym[1] === '-' ? -months : months;
      continue;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) throw bad();
    const value = Number(t);
    const unitTok = toks[i + 1];
    const unit = unitTok !== undefined ? INTERVAL_UNITS[unitTok] : undefined;
    if (unit) {
      // each unit once, as PostgreSQL's DecodeInterval requires ('1 day 1 day' is invalid)
      const key = `${unit[0]}:${unit[1]}`;
      if (seenUnits.has(key)) throw bad();
      seenUnits.add(key);
      addUnit(iv, value, unit[0], unit[1]);
      i++;
    } else if (unitTok !== undefined && /^[+-]?\d+:/.test(unitTok) && i === 0) {
      addUnit(iv, value, 'days', 1); // '1 2:03:04': days, then a time
    } else if (unitTok === undefined || /^[+-]?[\d.:]/.test(unitTok)) {
      const [kind, factor] = FIELD_UNIT[field ?? 'second'];
      addUnit(iv, value, kind, factor); // a bare number is seconds, or the qualifier's unit
    } else {
      throw bad();
    }
  }
  if (!Number.isSafeInteger(iv.micros) || !Number.isSafeInteger(iv.days) || !Number.isSafeInteger(iv.months)
      || Math.abs(iv.months) > 2147483647 || Math.abs(iv.days) > 2147483647) {
    throw new SqlError('22015', `interval field value out of range: "${text}"`);
  }
  if (ago) { iv.months = -iv.months; iv.days = -iv.days; iv.micros = -iv.micros; }
  return iv;
}

/** Replaces -0 by 0 so that equal intervals compare equal with deepStrictEqual. */
function normalizeZero(iv: Interval): Interval {
  return { months: iv.months + 0, days: iv.days + 0, micros: iv.micros + 0 };
}

/**
 * Parses the text form of a value of `type` into its internal representation, with PostgreSQL's
 * input rules and errors (22P02 invalid text, 22003 out of range, 22007/22008 datetime, 22001 too long).
 */
export function parseText(text: string, type: SqlType, o?: ParseOptions): InternalValue {
  switch (type.id) {
    case 'bool': return parseBool(text);
    case 'int2': case 'int4': case 'int8': case 'oid': return parseInteger(text, type.id);
    case 'float4': case 'float8': return parseFloat8(text, type.id);
    case 'numeric': return parseNumeric(text, type.precision, type.scale);
    case 'date': return parseDate(text, o);
    case 'timestamp': return parseTimestamp(text, false, o);
    case 'timestamptz': return parseTimestamp(text, true, o);
    case 'time': return parseTime(text, o);
    case 'timetz': return parseTime(text, o);
    case 'interval': return parseInterval(text);
    case 'bytea': return parseBytea(text);
    case 'varchar': case 'bpchar': case 'text': case 'name': return parseString(text, type, o?.truncate ?? false);
    default: return text;
  }
}
