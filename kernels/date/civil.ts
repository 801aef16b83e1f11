// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01, the date representation of
// host/types): Howard Hinnant's civil_from_days / days_from_civil, exact for every i32 day number.

/** Year (astronomical: 1 BC is 0), month 1-12 and day 1-31 of a day number, packed as y * 512 + m * 32 + d. */
// @ts-ignore: decorator
@inline export function civil(days: i32): i64 {
  const z = <i64>days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 512 + m * 32 + d;
}

// @ts-ignore: decorator
@inline export function civilYear(c: i64): i64 { return c >> 9; }
// @ts-ignore: decorator
@inline export function civilMonth(c: i64): i32 { return <i32>((c >> 5) & 15); }
// @ts-ignore: decorator
@inline export function civilDay(c: i64): i32 { return <i32>(c & 31); }

/** Day number of year y (astronomical), month m (1-12), day d. */
// @ts-ignore: decorator
@inline export function daysFromCivil(y: i64, m: i32, d: i32): i64 {
  y -= m <= 2 ? 1 : 0;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * <i64>(m > 2 ? m - 3 : m + 9) + 2) / 5 + <i64>d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Day of the week, 0 = Sunday (1970-01-01 was a Thursday). */
// @ts-ignore: decorator
@inline export function dayOfWeek(days: i64): i32 {
  const r = <i32>((days + 4) % 7);
  return r < 0 ? r + 7 : r;
}

/** Days in month m of year y. */
// @ts-ignore: decorator
@inline export function monthDays(y: i64, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** floor(x / d) for d > 0. */
// @ts-ignore: decorator
@inline export function floorDiv(x: i64, d: i64): i64 {
  const q = x / d;
  return q * d > x ? q - 1 : q;
}
