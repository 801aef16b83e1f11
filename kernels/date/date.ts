// date_part / date_trunc / add_months over DATE (i32 days since 1970-01-01) and TIMESTAMP (i64 microseconds
// since 1970-01-01) columns: EXTRACT, DATE_PART, DATE_TRUNC, ADD_MONTHS and ::date, as PostgreSQL/Redshift
// define them (datetime functions documentation): BC years have no year 0 (1 BC is -1), dow 0 = Sunday.

import { civil, civilYear, civilMonth, civilDay, daysFromCivil, dayOfWeek, monthDays, floorDiv } from './civil';

const DAY_US: i64 = 86400000000;

// field codes: 0 year, 1 month, 2 day, 3 dow (0 = Sunday), 4 doy (1-366), 5 quarter, 6 isodow (1 = Monday),
// 7 hour, 8 minute, 9 second (whole seconds), 10 week (ISO 8601 week number), 11 isoyear
// @ts-ignore: decorator
@inline function partOfDays(field: i32, days: i64): i32 {
  const c = civil(<i32>days);
  const y = civilYear(c);
  if (field == 0) return <i32>(y <= 0 ? y - 1 : y);
  if (field == 1) return civilMonth(c);
  if (field == 2) return civilDay(c);
  if (field == 3) return dayOfWeek(days);
  if (field == 4) return <i32>(days - daysFromCivil(y, 1, 1)) + 1;
  if (field == 5) return (civilMonth(c) - 1) / 3 + 1;
  if (field == 6) { const w = dayOfWeek(days); return w == 0 ? 7 : w; }
  if (field == 10 || field == 11) {
    // ISO week: the week (Monday start) that holds the year's first Thursday is week 1
    const thursday = days - <i64>((dayOfWeek(days) + 6) % 7) + 3;
    const ty = civilYear(civil(<i32>thursday));
    if (field == 11) return <i32>(ty <= 0 ? ty - 1 : ty);
    return <i32>((thursday - daysFromCivil(ty, 1, 1)) / 7) + 1;
  }
  return 0;
}

/** out_i32[i] = EXTRACT(field FROM days[i]) for DATE values (fields 0-6, 10, 11; time fields give 0). */
export function date_part_i32(field: i32, days: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const d = <i64>load<i32>(days + (<usize>i << 2));
    store<i32>(out + (<usize>i << 2), field >= 7 && field <= 9 ? 0 : partOfDays(field, d));
  }
}

/** out_i32[i] = EXTRACT(field FROM ts[i]) for TIMESTAMP values (microseconds); second is whole seconds. */
export function ts_part_i64(field: i32, ts: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const t = load<i64>(ts + (<usize>i << 3));
    const d = floorDiv(t, DAY_US);
    const us = t - d * DAY_US;
    let r: i32;
    if (field == 7) r = <i32>(us / 3600000000);
    else if (field == 8) r = <i32>((us / 60000000) % 60);
    else if (field == 9) r = <i32>((us / 1000000) % 60);
    else r = partOfDays(field, d);
    store<i32>(out + (<usize>i << 2), r);
  }
}

// trunc field codes: 0 year, 1 quarter, 2 month, 3 week (ISO, Monday), 4 day, 7 hour, 8 minute, 9 second
// @ts-ignore: decorator
@inline function truncDays(field: i32, days: i64): i64 {
  if (field == 3) return days - <i64>((dayOfWeek(days) + 6) % 7);
  if (field >= 4) return days;
  const c = civil(<i32>days);
  const m = civilMonth(c);
  if (field == 0) return daysFromCivil(civilYear(c), 1, 1);
  if (field == 1) return daysFromCivil(civilYear(c), ((m - 1) / 3) * 3 + 1, 1);
  return daysFromCivil(civilYear(c), m, 1);
}

/** out_i32[i] = DATE_TRUNC(field, days[i]) as a DATE (fields 0-4; finer fields copy the value). */
export function date_trunc_i32(field: i32, days: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<i32>(out + (<usize>i << 2), <i32>truncDays(field, <i64>load<i32>(days + (<usize>i << 2))));
  }
}

/** out_i64[i] = DATE_TRUNC(field, ts[i]) for TIMESTAMP values (fields 0-4, 7-9). */
export function ts_trunc_i64(field: i32, ts: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const t = load<i64>(ts + (<usize>i << 3));
    let r: i64;
    if (field == 7) r = floorDiv(t, 3600000000) * 3600000000;
    else if (field == 8) r = floorDiv(t, 60000000) * 60000000;
    else if (field == 9) r = floorDiv(t, 1000000) * 1000000;
    else r = truncDays(field, floorDiv(t, DAY_US)) * DAY_US;
    store<i64>(out + (<usize>i << 3), r);
  }
}

/** out_i32[i] = ts[i]::date (floor of the day). */
export function ts_date_i64(ts: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), <i32>floorDiv(load<i64>(ts + (<usize>i << 3)), DAY_US));
}

/** out_i32[i] = ADD_MONTHS(days[i], months): the same day k months later, clamped to the month's last day (as
 *  date + interval 'k months' in PostgreSQL). */
export function date_add_months_i32(days: usize, months: i32, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const c = civil(load<i32>(days + (<usize>i << 2)));
    const total = civilYear(c) * 12 + <i64>(civilMonth(c) - 1) + <i64>months;
    const y = floorDiv(total, 12);
    const m = <i32>(total - y * 12) + 1;
    let d = civilDay(c);
    const md = monthDays(y, m);
    if (d > md) d = md;
    store<i32>(out + (<usize>i << 2), <i32>daysFromCivil(y, m, d));
  }
}
