// Calendar arithmetic on the proleptic Gregorian calendar that PostgreSQL and Redshift use, over
// wasmshift's internal values (date = days since 1970-01-01, timestamp = bigint microseconds since
// 1970-01-01 00:00 UTC). Used by text formats, casts and the DATE_TRUNC/EXTRACT/DATEADD/DATEDIFF
// functions. Years are astronomical here: year 0 is 1 BC, year -1 is 2 BC (PostgreSQL docs
// "Date/Time Types" §8.5 and "History of Units" B.6).
import { SqlError, SqlState } from '../common/errors.js';

/** Sentinels PostgreSQL uses for infinite dates and timestamps (DATEVAL_NOBEGIN/NOEND, DT_NOBEGIN/NOEND). */
export const DATE_NEG_INFINITY = -2147483648;
export const DATE_POS_INFINITY = 2147483647;
export const TIMESTAMP_NEG_INFINITY = -9223372036854775808n;
export const TIMESTAMP_POS_INFINITY = 9223372036854775807n;

function isInfinite(v: number | bigint): boolean {
  return v === TIMESTAMP_NEG_INFINITY || v === TIMESTAMP_POS_INFINITY || v === DATE_NEG_INFINITY || v === DATE_POS_INFINITY;
}

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_MINUTE = 60_000_000n;
export const MICROS_PER_HOUR = 3_600_000_000n;
export const MICROS_PER_DAY = 86_400_000_000n;

export interface CivilDate { year: number; month: number; day: number }
export interface DateTimeParts extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  /** 0..999999 */
  micro: number;
}

function floorDiv(a: number, b: number): number { return Math.floor(a / b); }
function bigFloorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
function bigMod(a: bigint, b: bigint): bigint { return a - bigFloorDiv(a, b) * b; }

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year; no range check). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date `days` days after 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day of week, 0 = Sunday .. 6 = Saturday (EXTRACT(dow)). */
export function dayOfWeek(days: number): number {
  return ((days % 7) + 7 + 4) % 7; // 1970-01-01 was a Thursday
}

/** Splits a timestamp (microseconds since the epoch) into calendar fields. */
export function microsToParts(micros: bigint): DateTimeParts {
  const days = bigFloorDiv(micros, MICROS_PER_DAY);
  let rest = Number(micros - days * MICROS_PER_DAY);
  const d = civilFromDays(Number(days));
  const micro = rest % 1_000_000; rest = (rest - micro) / 1_000_000;
  const second = rest % 60; rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return { year: d.year, month: d.month, day: d.day, hour, minute, second, micro };
}

/** Microseconds since the epoch of calendar fields (fields beyond their range carry over). */
export function partsToMicros(p: DateTimeParts): bigint {
  const days = BigInt(daysFromCivil(p.year, p.month, p.day));
  const tod = ((p.hour * 60 + p.minute) * 60 + p.second) * 1_000_000 + p.micro;
  return days * MICROS_PER_DAY + BigInt(tod);
}

/** Microseconds since midnight of a time of day. */
export function timeToMicros(hour: number, minute: number, second: number, micro = 0): bigint {
  return BigInt(((hour * 60 + minute) * 60 + second) * 1_000_000 + micro);
}

/** Days part of a timestamp (its date). */
export function microsToDays(micros: bigint): number {
  return Number(bigFloorDiv(micros, MICROS_PER_DAY));
}
export function daysToMicros(days: number): bigint {
  return BigInt(days) * MICROS_PER_DAY;
}

function addMonthsToCivil(d: CivilDate, n: number): CivilDate {
  const total = d.year * 12 + (d.month - 1) + n;
  const year = floorDiv(total, 12);
  const month = total - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/**
 * Adds `n` months, clamping the day to the last of the resulting month, as PostgreSQL's
 * `+ interval 'n months'` and Redshift's DATEADD(month) do ('2008-01-31' + 1 month = '2008-02-29').
 * A number is a date (days), a bigint a timestamp (microseconds).
 */
export function addMonths(v: number, n: number): number;
export function addMonths(v: bigint, n: number): bigint;
export function addMonths(v: number | bigint, n: number): number | bigint {
  if (isInfinite(v)) return v; // infinity stays infinity, as in PostgreSQL
  if (typeof v === 'number') {
    const d = addMonthsToCivil(civilFromDays(v), n);
    return daysFromCivil(d.year, d.month, d.day);
  }
  const days = bigFloorDiv(v, MICROS_PER_DAY);
  const tod = v - days * MICROS_PER_DAY;
  return BigInt(addMonths(Number(days), n)) * MICROS_PER_DAY + tod;
}

/**
 * Redshift's ADD_MONTHS: like addMonths, except that the last day of a month maps to the last day
 * of the resulting month (Redshift SQL reference "ADD_MONTHS function").
 */
export function addMonthsLastDay(v: bigint, n: number): bigint {
  const p = microsToParts(v);
  const r = addMonthsToCivil(p, n);
  if (p.day === daysInMonth(p.year, p.month)) r.day = daysInMonth(r.year, r.month);
  return partsToMicros({ ...p, ...r });
}

/** Canonical date part names (Redshift "Date parts for date or timestamp functions"). */
export type DatePart =
  | 'millennium' | 'century' | 'decade' | 'year' | 'quarter' | 'month' | 'week' | 'day' | 'dow' | 'doy'
  | 'isodow' | 'isoyear' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond' | 'epoch'
  | 'timezone' | 'timezone_hour' | 'timezone_minute' | 'julian';

const PART_ALIASES: Record<string, DatePart> = {};
for (const [part, names] of Object.entries({
  millennium: 'millennium millennia millenniums mil mils',
  century: 'century centuries c cent cents',
  decade: 'decade decades dec decs',
  year: 'year years y yr yrs',
  quarter: 'quarter quarters qtr qtrs',
  month: 'month months mon mons',
  week: 'week weeks w',
  day: 'day days d',
  dow: 'dow dayofweek dw weekday',
  doy: 'doy dayofyear dy yearday',
  isodow: 'isodow',
  isoyear: 'isoyear',
  hour: 'hour hours h hr hrs',
  minute: 'minute minutes m min mins',
  second: 'second seconds s sec secs',
  millisecond: 'millisecond milliseconds ms msec msecs msecond mseconds millisec millisecs millisecon',
  microsecond: 'microsecond microseconds microsec microsecs usecond useconds us usec usecs',
  epoch: 'epoch',
  timezone: 'timezone',
  timezone_hour: 'timezone_hour',
  timezone_minute: 'timezone_minute',
  julian: 'julian',
})) {
  for (const n of names.split(' ')) PART_ALIASES[n] = part as DatePart;
}

/** The canonical date part for a name or abbreviation (case-insensitive), or 22023 as PostgreSQL reports it. */
export function normalizeDatePart(name: string, type = 'timestamp without time zone'): DatePart {
  const p = PART_ALIASES[name.trim().toLowerCase()];
  if (!p) throw new SqlError(SqlState.invalidParameterValue, `unit "${name}" not recognized for type ${type}`);
  return p;
}

function unsupportedUnit(unit: string, type = 'timestamp without time zone'): SqlError {
  return new SqlError(SqlState.featureNotSupported, `unit "${unit}" not supported for type ${type}`);
}

/** ISO 8601 week-numbering year and week of a date (weeks start on Monday; week 1 holds January 4th). */
export function isoWeek(days: number): { isoYear: number; week: number } {
  const isodow = (dayOfWeek(days) + 6) % 7; // 0 = Monday
  const thursday = days - isodow + 3;
  const isoYear = civilFromDays(thursday).year;
  const jan1 = daysFromCivil(isoYear, 1, 1);
  return { isoYear, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** C-style truncating division used by PostgreSQL's century/millennium formulas. */
function tdiv(a: number, b: number): number { return Math.trunc(a / b); }

/**
 * DATE_TRUNC(unit, timestamp) as PostgreSQL computes it (timestamp_trunc): week truncates to the
 * ISO Monday; decade/century/millennium follow PostgreSQL (century 21 starts at 2001-01-01).
 */
export function dateTrunc(unit: string, micros: bigint): bigint {
  const part = normalizeDatePart(unit);
  if (isInfinite(micros)) return micros;
  switch (part) {
    case 'microsecond': return micros;
    case 'millisecond': return bigFloorDiv(micros, 1000n) * 1000n;
    case 'second': return bigFloorDiv(micros, MICROS_PER_SECOND) * MICROS_PER_SECOND;
    case 'minute': return bigFloorDiv(micros, MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
    case 'hour': return bigFloorDiv(micros, MICROS_PER_HOUR) * MICROS_PER_HOUR;
    case 'day': return bigFloorDiv(micros, MICROS_PER_DAY) * MICROS_PER_DAY;
    case 'week': {
      const days = microsToDays(micros);
      return daysToMicros(days - (dayOfWeek(days) + 6) % 7);
    }
    default: break;
  }
  const p = microsToParts(micros);
  let y = p.year;
  let m = p.month;
  switch (part) {
    case 'month': break;
    case 'quarter': m = Math.floor((m - 1) / 3) * 3 + 1; break;
    case 'year': m = 1; break;
    case 'decade': m = 1; y = y > 0 ? tdiv(y, 10) * 10 : -tdiv(8 - (y - 1), 10) * 10; break;
    case 'century': m = 1; y = y > 0 ? tdiv(y + 99, 100) * 100 - 99 : -tdiv(99 - (y - 1), 100) * 100 + 1; break;
    case 'millennium': m = 1; y = y > 0 ? tdiv(y + 999, 1000) * 1000 - 999 : -tdiv(999 - (y - 1), 1000) * 1000 + 1; break;
    default: throw unsupportedUnit(unit);
  }
  return daysToMicros(daysFromCivil(y, m, 1));
}

/**
 * DATE_PART / EXTRACT(field FROM timestamp) with PostgreSQL's values: second includes its fraction,
 * millisecond and microsecond include the seconds (date_part('ms', '...:03.189717') = 3189.717),
 * year is negative for BC, epoch is seconds since 1970-01-01 (fractional).
 */
export function extract(field: string, micros: bigint): number {
  const part = normalizeDatePart(field);
  if (part === 'epoch') return Number(micros) / 1e6;
  const p = microsToParts(micros);
  const y = p.year;
  const days = microsToDays(micros);
  switch (part) {
    case 'millennium': return y > 0 ? tdiv(y + 999, 1000) : -tdiv(999 - (y - 1), 1000);
    case 'century': return y > 0 ? tdiv(y + 99, 100) : -tdiv(99 - (y - 1), 100);
    case 'decade': return y >= 0 ? tdiv(y, 10) : -tdiv(8 - (y - 1), 10);
    case 'year': return y > 0 ? y : y - 1;
    case 'quarter': return Math.floor((p.month - 1) / 3) + 1;
    case 'month': return p.month;
    case 'week': return isoWeek(days).week;
    case 'day': return p.day;
    case 'dow': return dayOfWeek(days);
    case 'isodow': return dayOfWeek(days) === 0 ? 7 : dayOfWeek(days);
    case 'isoyear': { const iy = isoWeek(days).isoYear; return iy > 0 ? iy : iy - 1; }
    case 'doy': return days - daysFromCivil(y, 1, 1) + 1;
    case 'hour': return p.hour;
    case 'minute': return p.minute;
    case 'second': return p.second + p.micro / 1e6;
    case 'millisecond': return p.second * 1000 + p.micro / 1000;
    case 'microsecond': return p.second * 1_000_000 + p.micro;
    case 'julian': return days + 2440588 + Number(bigMod(micros, MICROS_PER_DAY)) / 86_400e6;
    case 'timezone': case 'timezone_hour': case 'timezone_minute': return 0;
    default: throw unsupportedUnit(field);
  }
}

/**
 * Redshift's EXTRACT(part FROM ts) for the sub-minute parts: an integer for that part only
 * (Redshift "Date parts ...", "Variations in results with seconds, milliseconds, and microseconds":
 * second excludes ms/us, millisecond excludes seconds and us, microsecond excludes seconds and ms).
 * Other parts are as `extract`.
 */
export function extractInteger(field: string, micros: bigint): number {
  const part = normalizeDatePart(field);
  const p = microsToParts(micros);
  if (part === 'second') return p.second;
  if (part === 'millisecond') return Math.floor(p.micro / 1000);
  if (part === 'microsecond') return p.micro % 1000;
  if (part === 'epoch') return Math.floor(Number(bigFloorDiv(micros, MICROS_PER_SECOND)));
  return extract(field, micros);
}

/** Number of `part` boundaries in the calendar (as an ordinal), used by DATEDIFF. */
function ordinal(part: DatePart, micros: bigint): bigint {
  switch (part) {
    case 'microsecond': return micros;
    case 'millisecond': return bigFloorDiv(micros, 1000n);
    case 'second': return bigFloorDiv(micros, MICROS_PER_SECOND);
    case 'minute': return bigFloorDiv(micros, MICROS_PER_MINUTE);
    case 'hour': return bigFloorDiv(micros, MICROS_PER_HOUR);
    case 'day': return bigFloorDiv(micros, MICROS_PER_DAY);
    // weeks start on Monday, as DATE_TRUNC('week') does; 1970-01-05 was a Monday
    case 'week': return BigInt(Math.floor((microsToDays(micros) - 4) / 7));
    default: break;
  }
  const p = microsToParts(micros);
  switch (part) {
    case 'month': return BigInt(p.year * 12 + p.month - 1);
    case 'quarter': return BigInt(p.year * 4 + Math.floor((p.month - 1) / 3));
    case 'year': return BigInt(p.year);
    case 'decade': return BigInt(floorDiv(p.year, 10));
    case 'century': return BigInt(floorDiv(p.year - 1, 100));
    case 'millennium': return BigInt(floorDiv(p.year - 1, 1000));
    default: throw unsupportedUnit(part);
  }
}

/**
 * DATEDIFF(part, a, b) as Redshift counts it: the number of `part` boundaries crossed going from a
 * to b (datediff(year, '2008-12-31', '2009-01-01') = 1), negative when b is before a.
 */
export function datediff(part: string, a: bigint, b: bigint): bigint {
  const p = normalizeDatePart(part);
  return ordinal(p, b) - ordinal(p, a);
}

/** DATEADD(part, n, ts): calendar parts add months (clamping the day), fixed parts add microseconds. */
export function dateadd(part: string, n: number, micros: bigint): bigint {
  const p = normalizeDatePart(part);
  if (isInfinite(micros)) return micros;
  switch (p) {
    case 'millennium': return addMonths(micros, n * 12000);
    case 'century': return addMonths(micros, n * 1200);
    case 'decade': return addMonths(micros, n * 120);
    case 'year': return addMonths(micros, n * 12);
    case 'quarter': return addMonths(micros, n * 3);
    case 'month': return addMonths(micros, n);
    case 'week': return micros + BigInt(n) * 7n * MICROS_PER_DAY;
    case 'day': return micros + BigInt(n) * MICROS_PER_DAY;
    case 'hour': return micros + BigInt(n) * MICROS_PER_HOUR;
    case 'minute': return micros + BigInt(n) * MICROS_PER_MINUTE;
    case 'second': return micros + BigInt(n) * MICROS_PER_SECOND;
    case 'millisecond': return micros + BigInt(n) * 1000n;
    case 'microsecond': return micros + BigInt(n);
    default: throw unsupportedUnit(part);
  }
}

/** Lowest and highest timestamps PostgreSQL accepts: 4713-11-24 BC and 294276-12-31 23:59:59.999999. */
export const MIN_TIMESTAMP = BigInt(daysFromCivil(-4713, 11, 24)) * MICROS_PER_DAY;
export const MAX_TIMESTAMP = BigInt(daysFromCivil(294277, 1, 1)) * MICROS_PER_DAY - 1n;
/** Lowest and highest dates PostgreSQL accepts: 4713-11-24 BC and 5874897-12-31. */
export const MIN_DATE = daysFromCivil(-4713, 11, 24);
export const MAX_DATE = daysFromCivil(5874897, 12, 31);

/** Time zone abbreviations of PostgreSQL's default set, as seconds east of UTC (a common subset). */
export const TZ_ABBREVIATIONS: Readonly<Record<string, number>> = {
  utc: 0, gmt: 0, z: 0, zulu: 0, ut: 0, est: -5 * 3600, edt: -4 * 3600, cst: -6 * 3600, cdt: -5 * 3600,
  mst: -7 * 3600, mdt: -6 * 3600, pst: -8 * 3600, pdt: -7 * 3600, akst: -9 * 3600, akdt: -8 * 3600,
  hst: -10 * 3600, cet: 3600, cest: 7200, eet: 7200, eest: 3 * 3600, wet: 0, west: 3600, bst: 3600,
  msk: 3 * 3600, jst: 9 * 3600, kst: 9 * 3600, aest: 10 * 3600, aedt: 11 * 3600, nzst: 12 * 3600, nzdt: 13 * 3600,
};

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();
const DATE_LIMIT_MS = 8.64e15;

/**
 * Seconds east of UTC of IANA zone `zone` (e.g. 'America/New_York') at the UTC instant `ms`
 * (milliseconds since the epoch), from the platform's time zone database; undefined for an unknown zone.
 */
export function zoneOffsetAt(zone: string, ms: number): number | undefined {
  let fmt = zoneFormats.get(zone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
      });
    } catch {
      fmt = null;
    }
    zoneFormats.set(zone, fmt);
  }
  if (fmt === null) return undefined;
  const at = Math.max(-DATE_LIMIT_MS, Math.min(DATE_LIMIT_MS, Math.floor(ms / 1000) * 1000));
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(at))) parts[p.type] = p.value;
  let y = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') y = 1 - y;
  const local = daysFromCivil(y, Number(parts.month), Number(parts.day)) * 86_400_000
    + ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000;
  return Math.round((local - at) / 1000);
}

/**
 * Seconds east of UTC of a session time zone at UTC instant `utcMicros`: an abbreviation ('UTC',
 * 'PST'), or an IANA name ('America/New_York'). Unknown zones are 22023, worded as PostgreSQL does.
 */
export function timeZoneOffset(zone: string, utcMicros: bigint): number {
  const abbr = TZ_ABBREVIATIONS[zone.trim().toLowerCase()];
  if (abbr !== undefined) return abbr;
  const off = zoneOffsetAt(zone.trim(), Number(bigFloorDiv(utcMicros, 1000n)));
  if (off === undefined) throw new SqlError(SqlState.invalidParameterValue, `time zone "${zone}" not recognized`);
  return off;
}

/**
 * The UTC instant of a wall-clock time (`localMicros`, as if UTC) in `zone`. As PostgreSQL does
 * ("Handling of Invalid or Ambiguous Timestamps", appendix B.2): a time skipped by a jump forward
 * takes the offset from before the transition, an ambiguous time the offset from after it.
 */
export function localToUtc(zone: string, localMicros: bigint): bigint {
  const before = timeZoneOffset(zone, localMicros - MICROS_PER_DAY);
  const after = timeZoneOffset(zone, localMicros + MICROS_PER_DAY);
  const utcWith = (off: number): bigint => localMicros - BigInt(off) * MICROS_PER_SECOND;
  if (before === after) return utcWith(before);
  // valid with the later offset: an ordinary or ambiguous time; otherwise it lies in a gap (or only the earlier offset fits)
  return timeZoneOffset(zone, utcWith(after)) === after ? utcWith(after) : utcWith(before);
}
