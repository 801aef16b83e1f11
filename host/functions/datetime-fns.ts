// Date and time functions: DATEADD, DATEDIFF, DATE_PART/EXTRACT, DATE_TRUNC, GETDATE, ADD_MONTHS,
// LAST_DAY, MONTHS_BETWEEN, TO_CHAR, TO_DATE, as Redshift's "Date and time functions" pages define them.
import { SqlError, SqlState } from '../common/errors.js';
import { T, type SqlType } from '../types/sql-type.js';
import { addMonths, civilFromDays, daysFromCivil as daysOf, daysInMonth } from '../types/datetime.js';
import { allocData, bitmapBytes, type Vector } from '../batch/vector.js';
import { civil, register } from './registry.js';
import { mapRows, mapStrict } from './vec.js';

const US_DAY = 86400000000n;

const PART_ALIASES: Record<string, string> = {
  millennium: 'millennium', millennia: 'millennium', mil: 'millennium', mils: 'millennium', millenniums: 'millennium',
  century: 'century', centuries: 'century', c: 'century', cent: 'century', cents: 'century',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year', yy: 'year', yyy: 'year', yyyy: 'year',
  quarter: 'quarter', quarters: 'quarter', qtr: 'quarter', qtrs: 'quarter', q: 'quarter',
  month: 'month', months: 'month', mon: 'month', mons: 'month', mm: 'month',
  week: 'week', weeks: 'week', w: 'week', wk: 'week',
  day: 'day', days: 'day', d: 'day', dd: 'day',
  dayofweek: 'dow', dow: 'dow', dw: 'dow', weekday: 'dow', dayofyear: 'doy', doy: 'doy', dy: 'doy', yd: 'doy',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour', hh: 'hour',
  minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute', mi: 'minute',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second', ss: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond', msecs: 'millisecond', msecond: 'millisecond', msseconds: 'millisecond', millisec: 'millisecond', millisecs: 'millisecond', millisecon: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', microsec: 'microsecond', microsecs: 'microsecond', microsecond_: 'microsecond', usecond: 'microsecond', useconds: 'microsecond', us: 'microsecond', usec: 'microsecond', usecs: 'microsecond',
  epoch: 'epoch', isodow: 'isodow', isoyear: 'isoyear', timezone: 'timezone', timezone_hour: 'timezone_hour', timezone_minute: 'timezone_minute',
};

/** The canonical name of a date part (Redshift's "Date parts for date or timestamp functions"), or null. */
export function normalizeDatePart(word: string): string | null {
  return PART_ALIASES[word.toLowerCase().trim()] ?? null;
}

function split(ts: bigint): { days: number; tod: bigint } {
  let days = ts / US_DAY;
  let tod = ts % US_DAY;
  if (tod < 0n) { tod += US_DAY; days -= 1n; }
  return { days: Number(days), tod };
}

/** ISO 8601 week number and ISO year of a day. */
function isoWeek(days: number): [number, number] {
  const dow = ((days % 7) + 7 + 3) % 7; // Monday = 0 (1970-01-01 was a Thursday)
  const thursday = days - dow + 3;
  const [y] = civil(thursday);
  const jan1 = daysOf(y, 1, 1);
  return [Math.floor((thursday - jan1) / 7) + 1, y];
}

export function datePart(part: string, ts: bigint): number {
  const { days, tod } = split(ts);
  const [y, mo, d] = civil(days);
  const t = Number(tod);
  switch (part) {
    case 'millennium': return y > 0 ? Math.floor((y - 1) / 1000) + 1 : Math.floor(y / 1000) - 1;
    case 'century': return y > 0 ? Math.floor((y - 1) / 100) + 1 : Math.floor(y / 100) - 1;
    case 'decade': return Math.floor(y / 10);
    case 'year': return y;
    case 'isoyear': return isoWeek(days)[1];
    case 'quarter': return Math.floor((mo - 1) / 3) + 1;
    case 'month': return mo;
    case 'week': return isoWeek(days)[0];
    case 'day': return d;
    case 'dow': return ((days % 7) + 7 + 4) % 7;
    case 'isodow': { const w = ((days % 7) + 7 + 4) % 7; return w === 0 ? 7 : w; }
    case 'doy': return days - daysOf(y, 1, 1) + 1;
    case 'hour': return Math.floor(t / 3600e6);
    case 'minute': return Math.floor(t / 60e6) % 60;
    case 'second': return (t % 60e6) / 1e6;
    case 'millisecond': return (t % 60e6) / 1e3;
    case 'microsecond': return t % 60e6;
    case 'epoch': return Number(ts) / 1e6;
    case 'timezone': case 'timezone_hour': case 'timezone_minute': return 0;
    default: throw new SqlError(SqlState.featureNotSupported, `date part "${part}" not supported`);
  }
}

/** DATE_TRUNC: the start of the unit containing ts. */
export function dateTrunc(part: string, ts: bigint): bigint {
  const { days, tod } = split(ts);
  const [y, mo] = civil(days);
  const at = (dd: number) => BigInt(dd) * US_DAY;
  switch (part) {
    case 'millennium': return at(daysOf(Math.floor((y - 1) / 1000) * 1000 + 1, 1, 1));
    case 'century': return at(daysOf(Math.floor((y - 1) / 100) * 100 + 1, 1, 1));
    case 'decade': return at(daysOf(Math.floor(y / 10) * 10, 1, 1));
    case 'year': return at(daysOf(y, 1, 1));
    case 'quarter': return at(daysOf(y, Math.floor((mo - 1) / 3) * 3 + 1, 1));
    case 'month': return at(daysOf(y, mo, 1));
    case 'week': { const dow = ((days % 7) + 7 + 3) % 7; return at(days - dow); }
    case 'day': return at(days);
    case 'hour': return at(days) + (tod / 3600000000n) * 3600000000n;
    case 'minute': return at(days) + (tod / 60000000n) * 60000000n;
    case 'second': return at(days) + (tod / 1000000n) * 1000000n;
    case 'millisecond': return at(days) + (tod / 1000n) * 1000n;
    case 'microsecond': return ts;
    default: throw new SqlError(SqlState.featureNotSupported, `unit "${part}" not supported`);
  }
}

/** DATEADD(part, n, ts). */
export function dateAdd(part: string, n: bigint, ts: bigint): bigint {
  const k = Number(n);
  switch (part) {
    case 'millennium': return addMonths(ts, k * 12000);
    case 'century': return addMonths(ts, k * 1200);
    case 'decade': return addMonths(ts, k * 120);
    case 'year': return addMonths(ts, k * 12);
    case 'quarter': return addMonths(ts, k * 3);
    case 'month': return addMonths(ts, k);
    case 'week': return ts + n * 7n * US_DAY;
    case 'day': case 'doy': case 'dow': return ts + n * US_DAY;
    case 'hour': return ts + n * 3600000000n;
    case 'minute': return ts + n * 60000000n;
    case 'second': return ts + n * 1000000n;
    case 'millisecond': return ts + n * 1000n;
    case 'microsecond': return ts + n;
    default: throw new SqlError(SqlState.featureNotSupported, `dateadd: date part "${part}" not supported`);
  }
}

/** DATEDIFF(part, a, b): how many part boundaries lie between a and b (Redshift counts crossings). */
export function dateDiff(part: string, a: bigint, b: bigint): bigint {
  const fa = split(a), fb = split(b);
  const [ya, ma] = civil(fa.days), [yb, mb] = civil(fb.days);
  const floorDiv = (x: bigint, u: bigint) => (x >= 0n ? x / u : -((-x + u - 1n) / u));
  switch (part) {
    case 'millennium': return BigInt(Math.floor(yb / 1000) - Math.floor(ya / 1000));
    case 'century': return BigInt(Math.floor(yb / 100) - Math.floor(ya / 100));
    case 'decade': return BigInt(Math.floor(yb / 10) - Math.floor(ya / 10));
    case 'year': return BigInt(yb - ya);
    case 'quarter': return BigInt((yb * 4 + Math.floor((mb - 1) / 3)) - (ya * 4 + Math.floor((ma - 1) / 3)));
    case 'month': return BigInt((yb * 12 + mb) - (ya * 12 + ma));
    case 'week': {
      const wa = Math.floor((fa.days + 3) / 7), wb = Math.floor((fb.days + 3) / 7);
      return BigInt(wb - wa);
    }
    case 'day': case 'doy': case 'dow': return BigInt(fb.days - fa.days);
    case 'hour': return floorDiv(b, 3600000000n) - floorDiv(a, 3600000000n);
    case 'minute': return floorDiv(b, 60000000n) - floorDiv(a, 60000000n);
    case 'second': return floorDiv(b, 1000000n) - floorDiv(a, 1000000n);
    case 'millisecond': return floorDiv(b, 1000n) - floorDiv(a, 1000n);
    case 'microsecond': return b - a;
    default: throw new SqlError(SqlState.featureNotSupported, `datediff: date part "${part}" not supported`);
  }
}

function fixed(ret: SqlType) { return () => ({ args: [] as SqlType[], ret }); }
const isTs = (t: SqlType) => t.id === 'timestamp' || t.id === 'timestamptz';

register('dateadd', {
  resolve: (ts) => ({ args: ts, ret: ts[2]! }),
  eval: (args, n, ret) => mapStrict(args, n, ret, (p: string, k: bigint, t: bigint) => (ret.id === 'time' ? ((dateAdd(p, k, t) % US_DAY) + US_DAY) % US_DAY : dateAdd(p, k, t))),
});
register('datediff', {
  resolve: (ts) => ({ args: ts, ret: T.int8 }),
  eval: (args, n, ret) => mapStrict(args, n, ret, (p: string, a: bigint, b: bigint) => dateDiff(p, a, b)),
});
/**
 * DATE_PART of DATE values, from their days (no timestamp per row): the day-level parts straight from
 * the civil date, any other part through datePart of the day's midnight, so both give the same values.
 */
function datePartOfDates(part: Vector, dates: Vector, n: number, ret: SqlType): Vector {
  const out = allocData(ret, n) as Int32Array | Float64Array;
  const p = n > 0 ? (part.data as string[])[0]! : '';
  const days = dates.data as Int32Array;
  const valid = dates.valid === null ? null : dates.valid.slice(0, bitmapBytes(n));
  const asInt = ret.id === 'int4';
  if (p === 'year' && yearsByBoundaries(days, valid, n, out)) return { type: ret, length: n, data: out, valid };
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const d = days[i]!;
    let v: number;
    switch (p) {
      case 'year': v = civilFromDays(d).year; break;
      case 'month': v = civilFromDays(d).month; break;
      case 'day': v = civilFromDays(d).day; break;
      case 'quarter': v = Math.floor((civilFromDays(d).month - 1) / 3) + 1; break;
      default: v = datePart(p, BigInt(d) * US_DAY);
    }
    out[i] = asInt ? Math.trunc(v) : v;
  }
  return { type: ret, length: n, data: out, valid };
}

/** Years a batch of dates may span for yearsByBoundaries (TPC-H's dates span 7). */
const MAX_YEARS_SPANNED = 16;

/**
 * out[i] = the year of days[i] for the valid rows, found among the January firsts between the batch's
 * first and last day instead of a civil date per row; false (nothing written) when the batch spans
 * more than MAX_YEARS_SPANNED years.
 */
function yearsByBoundaries(days: Int32Array, valid: Uint8Array | null, n: number, out: Int32Array | Float64Array): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const d = days[i]!;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (lo > hi) return true;
  const first = civilFromDays(lo).year, last = civilFromDays(hi).year;
  if (last - first >= MAX_YEARS_SPANNED) return false;
  // starts[k] = the day of January 1 of year first + k + 1
  const starts: number[] = [];
  for (let y = first + 1; y <= last; y++) starts.push(daysOf(y, 1, 1));
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const d = days[i]!;
    let k = 0;
    while (k < starts.length && d >= starts[k]!) k++;
    out[i] = first + k;
  }
  return true;
}

register('date_part', {
  resolve: (ts) => ({ args: ts, ret: T.float8 }),
  eval: (args, n, ret) => {
    if (args[1]!.type.id === 'date') return datePartOfDates(args[0]!, args[1]!, n, ret);
    const isTime = args[1]!.type.id === 'time';
    return mapStrict(args, n, ret, (p: string, t: bigint) => {
      if (isTime && !['hour', 'minute', 'second', 'millisecond', 'microsecond', 'epoch'].includes(p)) throw new SqlError(SqlState.invalidParameterValue, `"time" units "${p}" not recognized`);
      const v = datePart(p, t);
      return ret.id === 'int4' ? Math.trunc(v) : v;
    });
  },
});
register('interval_part', {
  resolve: (ts) => ({ args: ts, ret: T.float8 }),
  eval: (args, n, ret) => mapStrict(args, n, ret, (p: string, iv: { months: number; days: number; micros: number }) => {
    let v: number;
    switch (p) {
      case 'year': v = Math.trunc(iv.months / 12); break;
      case 'month': v = iv.months % 12; break;
      case 'day': v = iv.days; break;
      case 'hour': v = Math.trunc(iv.micros / 3600e6); break;
      case 'minute': v = Math.trunc(iv.micros / 60e6) % 60; break;
      case 'second': v = (iv.micros % 60e6) / 1e6; break;
      case 'epoch': v = (iv.months * 30 + iv.days) * 86400 + iv.micros / 1e6; break;
      default: throw new SqlError(SqlState.featureNotSupported, `interval units "${p}" not supported`);
    }
    return ret.id === 'int4' ? Math.trunc(v) : v;
  }),
});
register('date_trunc', {
  resolve: (ts) => ({ args: ts, ret: ts[1]! }),
  eval: (args, n, ret) => mapStrict(args, n, ret, (p: string, t: bigint) => dateTrunc(p, t)),
});
register('getdate', { resolve: fixed(T.timestamp), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => (ctx.now / 1000000n) * 1000000n) });
register('now', { resolve: fixed(T.timestamptz), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => ctx.now) });
register('current_date', { resolve: fixed(T.date), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => split(ctx.now).days) });
register('current_time', { resolve: fixed(T.time), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => split(ctx.now).tod) });

register('add_months', {
  resolve: (ts) => (ts.length === 2 && (isTs(ts[0]!) || ts[0]!.id === 'date' || ts[0]!.id === 'unknown') ? { args: [ts[0]!.id === 'timestamptz' ? T.timestamptz : T.timestamp, T.int4], ret: ts[0]!.id === 'timestamptz' ? T.timestamptz : T.timestamp } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (t: bigint, k: number) => {
    // Redshift: when the date is the last day of its month, the result is the last day of the target month.
    const { days, tod } = split(t);
    const [y, m, d] = civil(days);
    let nd = addMonths(days, k);
    if (d === daysInMonth(y, m)) { const [ny, nm] = civil(nd); nd = daysOf(ny, nm, daysInMonth(ny, nm)); }
    return BigInt(nd) * US_DAY + tod;
  }),
});
register('last_day', {
  resolve: (ts) => (ts.length === 1 && (isTs(ts[0]!) || ts[0]!.id === 'date' || ts[0]!.id === 'unknown') ? { args: [ts[0]!.id === 'date' || ts[0]!.id === 'unknown' ? T.date : ts[0]!], ret: T.date } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (v: number | bigint) => {
    const days = typeof v === 'bigint' ? split(v).days : v;
    const [y, m] = civil(days);
    return daysOf(y, m, daysInMonth(y, m));
  }),
});
register('months_between', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.date, T.date], ret: T.float8 } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (a: number, b: number) => {
    const [y1, m1, d1] = civil(a), [y2, m2, d2] = civil(b);
    const whole = (y1 - y2) * 12 + (m1 - m2);
    const lastA = d1 === daysInMonth(y1, m1), lastB = d2 === daysInMonth(y2, m2);
    if (d1 === d2 || (lastA && lastB)) return whole;
    return whole + (d1 - d2) / 31;
  }),
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** TO_CHAR for timestamps with the common datetime format patterns. */
export function formatDateTime(ts: bigint, fmt: string): string {
  const { days, tod } = split(ts);
  const [y, mo, d] = civil(days);
  const t = Number(tod);
  const hh = Math.floor(t / 3600e6), mi = Math.floor(t / 60e6) % 60, ss = Math.floor(t / 1e6) % 60, us = t % 1e6;
  const p = (v: number, w: number) => String(v).padStart(w, '0');
  const dow = ((days % 7) + 7 + 4) % 7;
  const tokens: [string, () => string][] = [
    ['YYYY', () => p(y, 4)], ['YYY', () => p(y % 1000, 3)], ['YY', () => p(y % 100, 2)], ['Y', () => String(y % 10)],
    ['MONTH', () => MONTHS[mo - 1]!.toUpperCase().padEnd(9)], ['Month', () => MONTHS[mo - 1]!.padEnd(9)], ['month', () => MONTHS[mo - 1]!.toLowerCase().padEnd(9)],
    ['MON', () => MONTHS[mo - 1]!.slice(0, 3).toUpperCase()], ['Mon', () => MONTHS[mo - 1]!.slice(0, 3)], ['mon', () => MONTHS[mo - 1]!.slice(0, 3).toLowerCase()],
    ['MM', () => p(mo, 2)], ['DDD', () => p(days - daysOf(y, 1, 1) + 1, 3)], ['DD', () => p(d, 2)],
    ['DAY', () => DAYS[dow]!.toUpperCase().padEnd(9)], ['Day', () => DAYS[dow]!.padEnd(9)], ['day', () => DAYS[dow]!.toLowerCase().padEnd(9)],
    ['DY', () => DAYS[dow]!.slice(0, 3).toUpperCase()], ['Dy', () => DAYS[dow]!.slice(0, 3)], ['dy', () => DAYS[dow]!.slice(0, 3).toLowerCase()],
    ['HH24', () => p(hh, 2)], ['HH12', () => p(hh % 12 === 0 ? 12 : hh % 12, 2)], ['HH', () => p(hh % 12 === 0 ? 12 : hh % 12, 2)],
    ['MI', () => p(mi, 2)], ['SS', () => p(ss, 2)], ['MS', () => p(Math.floor(us / 1000), 3)], ['US', () => p(us, 6)],
    ['AM', () => (hh < 12 ? 'AM' : 'PM')], ['PM', () => (hh < 12 ? 'AM' : 'PM')], ['am', () => (hh < 12 ? 'am' : 'pm')], ['pm', () => (hh < 12 ? 'am' : 'pm')],
    ['Q', () => String(Math.floor((mo - 1) / 3) + 1)], ['WW', () => p(Math.floor((days - daysOf(y, 1, 1)) / 7) + 1, 2)], ['IW', () => p(isoWeek(days)[0], 2)],
    ['D', () => String(dow + 1)], ['J', () => String(days + 2440588)],
  ];
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    if (fmt[i] === '"') {
      const j = fmt.indexOf('"', i + 1);
      out += fmt.slice(i + 1, j < 0 ? fmt.length : j);
      i = j < 0 ? fmt.length : j + 1;
      continue;
    }
    const tok = tokens.find(([k]) => fmt.startsWith(k, i));
    if (tok) { out += tok[1](); i += tok[0].length; continue; }
    out += fmt[i];
    i++;
  }
  return out;
}

/** Parses a string by a datetime format (TO_DATE / TO_TIMESTAMP), for the common patterns. */
export function parseDateTime(s: string, fmt: string): bigint {
  let y = 1970, mo = 1, d = 1, hh = 0, mi = 0, ss = 0, us = 0, pm: boolean | null = null;
  let i = 0, j = 0;
  const num = (w: number) => {
    while (s[j] === ' ') j++;
    let k = j;
    while (k < s.length && k - j < w && /[0-9]/.test(s[k]!)) k++;
    if (k === j) throw new SqlError(SqlState.invalidDatetimeFormat, `invalid value "${s.slice(j, j + w)}" for "${fmt.slice(i)}"`);
    const v = Number(s.slice(j, k));
    j = k;
    return v;
  };
  while (i < fmt.length) {
    const rest = fmt.slice(i);
    const take = (tok: string) => rest.startsWith(tok) && (i += tok.length, true);
    if (take('YYYY')) y = num(4);
    else if (take('YY')) y = 2000 + num(2);
    else if (take('MM')) mo = num(2);
    else if (take('MONTH') || take('Month') || take('month') || take('MON') || take('Mon') || take('mon')) {
      const word = s.slice(j).match(/^[A-Za-z]+/)?.[0] ?? '';
      const idx = MONTHS.findIndex((m) => m.toLowerCase().startsWith(word.toLowerCase().slice(0, 3)));
      if (idx < 0 || word.length < 3) throw new SqlError(SqlState.invalidDatetimeFormat, `invalid value "${word}" for "MON"`);
      mo = idx + 1; j += word.length;
    } else if (take('DD')) d = num(2);
    else if (take('HH24')) hh = num(2);
    else if (take('HH12') || take('HH')) hh = num(2);
    else if (take('MI')) mi = num(2);
    else if (take('SS')) ss = num(2);
    else if (take('MS')) us = num(3) * 1000;
    else if (take('US')) us = num(6);
    else if (take('AM') || take('PM')) { pm = s.slice(j, j + 2).toUpperCase() === 'PM'; j += 2; }
    else { i++; if (j < s.length && !/[0-9A-Za-z]/.test(s[j]!)) j++; else if (j < s.length && s[j] === rest[0]) j++; }
  }
  if (pm !== null) { if (pm && hh < 12) hh += 12; if (!pm && hh === 12) hh = 0; }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${s}"`);
  return BigInt(daysOf(y, mo, d)) * US_DAY + BigInt(((hh * 60 + mi) * 60 + ss) * 1e6 + us);
}

register('to_char', {
  resolve: (ts) => {
    if (ts.length !== 2) return null;
    const a = ts[0]!;
    if (a.id === 'date' || isTs(a) || a.id === 'unknown') return { args: [a.id === 'timestamptz' ? T.timestamptz : T.timestamp, T.text], ret: { id: 'varchar', length: -1 } };
    if (['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(a.id)) return { args: [T.float8, T.text], ret: { id: 'varchar', length: -1 } };
    return null;
  },
  eval: (args, n, ret) => {
    if (args[0]!.type.id === 'float8') return mapStrict(args, n, ret, (x: number, f: string) => formatNumber(x, f));
    return mapStrict(args, n, ret, (t: bigint, f: string) => formatDateTime(t, f));
  },
});

/** TO_CHAR for numbers: 9, 0, ., D, ',', G, S, FM. */
function formatNumber(x: number, fmt: string): string {
  const fm = fmt.startsWith('FM');
  const f = fm ? fmt.slice(2) : fmt;
  const dot = f.search(/[.D]/);
  const intPart = dot < 0 ? f : f.slice(0, dot);
  const fracPart = dot < 0 ? '' : f.slice(dot + 1);
  const fracDigits = (fracPart.match(/[09]/g) ?? []).length;
  const neg = x < 0;
  const fixedStr = Math.abs(x).toFixed(fracDigits);
  const [ip, fp = ''] = fixedStr.split('.');
  const slots = (intPart.match(/[09]/g) ?? []).length;
  if (ip!.length > slots) return (neg ? '-' : ' ') + '#'.repeat(slots) + (fracDigits ? '.' + '#'.repeat(fracDigits) : '');
  let digits = ip!.padStart(slots, ' ');
  let out = '';
  let k = 0;
  for (const ch of intPart) {
    if (ch === '9' || ch === '0') {
      let c = digits[k++]!;
      if (c === ' ' && ch === '0') c = '0';
      if (c === ' ' && k === slots && ip === '0') c = '0';
      out += c;
    } else if (ch === ',' || ch === 'G') out += /\d/.test(out.trim().slice(-1)) ? ',' : ' ';
    else if (ch !== 'S') out += ch;
  }
  digits = '';
  out = (neg ? '-' : ' ') + out;
  if (fracDigits) out = out.replace(/ (?=\d)/, (m) => m) + '.' + fp;
  out = out.replace(/^(\s*)-?(\s*)/, (_m) => _m);
  if (neg) out = out.replace(/^ *-( *)/, (_m, s: string) => s + '-');
  return fm ? out.trim() : out;
}

register('to_date', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.text], ret: T.date } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (s: string, f: string) => split(parseDateTime(s, f)).days),
});
register('to_timestamp', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.text], ret: T.timestamptz } : ts.length === 1 ? { args: [T.float8], ret: T.timestamptz } : null),
  eval: (args, n, ret) => (args.length === 1 ? mapStrict(args, n, ret, (x: number) => BigInt(Math.round(x * 1e6))) : mapStrict(args, n, ret, (s: string, f: string) => parseDateTime(s, f))),
});

