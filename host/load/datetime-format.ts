// DATEFORMAT / TIMEFORMAT of COPY: compiles Redshift's datetime format strings (Redshift "DATEFORMAT and
// TIMEFORMAT strings", "Using automatic recognition with DATEFORMAT and TIMEFORMAT") into parsers that
// turn a field into ISO text the cast functions accept. Used by the row builder for date/time columns.
import { SqlError, SqlState } from '../common/errors.js';

/** Rewrites a field to ISO text ('YYYY-MM-DD', 'YYYY-MM-DD HH:MI:SS[.ffffff]') or a number of
 *  microseconds since 1970 (epochsecs/epochmillisecs); throws SqlError 22007 when it does not match. */
export type DatetimeParser = (field: string) => string | bigint;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface Parts { y?: number; m?: number; d?: number; h?: number; mi?: number; s?: number; frac?: string; pm?: boolean }

/** Compiles one format string ('YYYY-MM-DD', 'MM/DD/YYYY HH12:MI:SS AM', 'epochsecs', 'auto'). */
export function compileDatetimeFormat(format: string, kind: 'date' | 'time'): DatetimeParser {
  const f = format.trim();
  const lower = f.toLowerCase();
  if (lower === 'epochsecs' || lower === 'epochmillisecs') {
    const scale = lower === 'epochsecs' ? 1000000n : 1000n;
    return (field) => {
      const v = field.trim();
      if (!/^-?\d+$/.test(v)) throw bad(field, format);
      return BigInt(v) * scale;
    };
  }
  if (lower === 'auto') return autoParser(kind);
  const re = compilePattern(f);
  return (field) => {
    const m = re.exec(field.trim());
    if (!m) throw bad(field, format);
    return toIso(partsOf(m.groups ?? {}), kind, field, format);
  };
}

/** Regex source for a format string; groups named after the parts they fill. */
function compilePattern(f: string): RegExp {
  let src = '^';
  let i = 0;
  const up = f.toUpperCase();
  const tok = (t: string): boolean => { if (up.startsWith(t, i)) { i += t.length; return true; } return false; };
  while (i < f.length) {
    if (tok('YYYY')) src += '(?<y>\\d{4})';
    else if (tok('YY')) src += '(?<yy>\\d{2})';
    else if (tok('MONTH')) src += '(?<mon>[A-Za-z]+)';
    else if (tok('MON')) src += '(?<mon>[A-Za-z]{3})';
    else if (tok('MM')) src += '(?<m>\\d{1,2})';
    else if (tok('DD')) src += '(?<d>\\d{1,2})';
    else if (tok('HH24') || tok('HH12') || tok('HH')) src += '(?<h>\\d{1,2})';
    else if (tok('MI')) src += '(?<mi>\\d{1,2})';
    else if (tok('SS')) { src += '(?<s>\\d{1,2})(?:\\.(?<frac>\\d{1,6}))?'; while (up.startsWith('.S', i) || up[i] === 'S') i++; }
    else if (tok('AM') || tok('PM')) src += '(?<ampm>[AaPp][Mm])';
    else if (/\s/.test(f[i]!)) { src += '\\s+'; i++; while (i < f.length && /\s/.test(f[i]!)) i++; }
    else { src += f[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); i++; }
  }
  return new RegExp(`${src}$`);
}

function partsOf(g: Record<string, string | undefined>): Parts {
  const p: Parts = {};
  if (g.y) p.y = Number(g.y);
  // Two-digit years: 70-99 are 19xx, 00-69 are 20xx (Redshift's YY rule).
  if (g.yy) { const n = Number(g.yy); p.y = n >= 70 ? 1900 + n : 2000 + n; }
  if (g.m) p.m = Number(g.m);
  if (g.mon) { const k = MONTHS.indexOf(g.mon.slice(0, 3).toLowerCase()); if (k >= 0) p.m = k + 1; else p.m = 0; }
  if (g.d) p.d = Number(g.d);
  if (g.h) p.h = Number(g.h);
  if (g.mi) p.mi = Number(g.mi);
  if (g.s) p.s = Number(g.s);
  if (g.frac) p.frac = g.frac;
  if (g.ampm) p.pm = g.ampm.toLowerCase() === 'pm';
  return p;
}

function toIso(p: Parts, kind: 'date' | 'time', field: string, format: string): string {
  const y = p.y ?? 1900, m = p.m ?? 1, d = p.d ?? 1;
  let h = p.h ?? 0;
  if (p.pm !== undefined) { if (h < 1 || h > 12) throw bad(field, format); h = (h % 12) + (p.pm ? 12 : 0); }
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || h > 23 || (p.mi ?? 0) > 59 || (p.s ?? 0) > 59) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${field}"`);
  }
  const date = `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`;
  if (kind === 'date') return date;
  return `${date} ${two(h)}:${two(p.mi ?? 0)}:${two(p.s ?? 0)}${p.frac ? `.${p.frac}` : ''}`;
}

function two(n: number): string { return String(n).padStart(2, '0'); }
function daysIn(y: number, m: number): number { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

function bad(field: string, format: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `value "${field}" does not match format '${format}'`);
}

/** 'auto': the forms Redshift recognizes besides the cast's own (ISO, 'Mon DD YYYY' ...): compact, slashed, dotted, Julian-free. */
const AUTO_DATE = ['YYYYMMDD', 'MM/DD/YYYY', 'MM-DD-YYYY', 'MM.DD.YYYY', 'DD MON YYYY', 'MON DD, YYYY', 'MON DD YYYY', 'YYYY MON DD', 'MM/DD/YY', 'YYYY/MM/DD', 'YYYY.MM.DD'];
const AUTO_TIME = [...AUTO_DATE.map((d) => `${d} HH:MI:SS`), 'YYYYMMDD HH24MISS', 'YYYYMMDDHH24MISS', 'YYYY-MM-DDTHH:MI:SS', 'YYYY-MM-DD HH:MI:SS', 'MM/DD/YYYY HH12:MI:SS AM', 'YYYY-MM-DD HH:MI', ...AUTO_DATE];

function autoParser(kind: 'date' | 'time'): DatetimeParser {
  const parsers = (kind === 'date' ? AUTO_DATE : AUTO_TIME).map((f) => ({ f, re: compilePattern(f) }));
  return (field) => {
    const v = field.trim();
    // ISO forms go to the cast as they are.
    if (/^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}(:?\d{2})?|Z)?$/.test(v)) return v.replace('T', ' ');
    for (const { f, re } of parsers) {
      const m = re.exec(v);
      if (m) return toIso(partsOf(m.groups ?? {}), kind, field, f);
    }
    return v;
  };
}
