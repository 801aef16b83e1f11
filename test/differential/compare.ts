// Result comparison for the differential and TPC-H suites: turns wasmshift's internal values and
// DuckDB's values into canonical cells, orders rows when the query does not, and reports differences.

import type { StatementResult } from '../../host/session/api.js';
import type { SqlType } from '../../host/types/sql-type.js';
import type { OracleResult } from './duckdb.js';

/**
 * A canonical cell: an exact number (integers and decimals, as a normalized decimal string plus the
 * scale it came with), a float, or text (strings without trailing blanks, booleans, dates, timestamps).
 */
export type Cell =
  | null
  | { t: 'x'; v: string; scale: number }
  | { t: 'f'; v: number }
  | { t: 's'; v: string };

export interface CanonResult {
  rows: Cell[][];
}

/** Drops trailing fractional zeros: '12.300' -> '12.3', '-0.00' -> '0'. */
export function normDecimal(s: string): string {
  let v = s.trim();
  let neg = false;
  if (v.startsWith('-')) { neg = true; v = v.slice(1); } else if (v.startsWith('+')) v = v.slice(1);
  let [int, frac = ''] = v.split('.');
  int = int!.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int!;
  return neg && out !== '0' ? `-${out}` : out;
}

/** A scaled integer (numeric's internal form) as a decimal string with `scale` digits. */
export function scaledToDecimal(v: bigint, scale: number): string {
  if (scale === 0) return v.toString();
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function exact(s: string, scale = 0): Cell { return { t: 'x', v: normDecimal(s), scale }; }

/** Days since 1970-01-01 as YYYY-MM-DD. */
export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Microseconds since 1970-01-01 UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]' without trailing fractional zeros. */
export function microsToIso(us: bigint): string {
  let sec = us / 1_000_000n;
  let sub = us % 1_000_000n;
  if (sub < 0n) { sub += 1_000_000n; sec -= 1n; }
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return normTimestamp(sub ? `${base}.${String(sub).padStart(6, '0')}` : base);
}

function normTimestamp(s: string): string {
  const t = s.replace('T', ' ');
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}

/** One wasmshift internal value of a given type as a canonical cell (host/session/api.ts lists the forms). */
export function cellFromInternal(v: unknown, type: SqlType): Cell {
  if (v === null || v === undefined) return null;
  switch (type.id) {
    case 'bool': return { t: 's', v: v ? 'true' : 'false' };
    case 'int2': case 'int4': case 'int8': case 'oid': return exact(String(v));
    case 'numeric': {
      const scale = type.scale ?? 0;
      if (typeof v === 'bigint') return exact(scaledToDecimal(v, scale), scale);
      return exact(String(v), scale);
    }
    case 'float4': case 'float8': return { t: 'f', v: Number(v) };
    case 'date': return { t: 's', v: typeof v === 'number' ? dayToIso(v) : String(v) };
    case 'timestamp': case 'timestamptz': return { t: 's', v: typeof v === 'bigint' ? microsToIso(v) : String(v) };
    case 'bpchar': case 'varchar': case 'text': case 'name': return { t: 's', v: String(v).replace(/ +$/, '') };
    default: return { t: 's', v: typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v) };
  }
}

/** A wasmshift statement result as canonical rows. */
export function fromWasmshift(r: StatementResult): CanonResult {
  const fields = r.fields ?? [];
  return { rows: r.rows.map((row) => row.map((v, k) => cellFromInternal(v, fields[k]!.type))) };
}

/** One DuckDB value (getRowsJson form) of a DuckDB type as a canonical cell. */
export function cellFromDuckdb(v: unknown, type: string): Cell {
  if (v === null || v === undefined) return null;
  if (type === 'BOOLEAN') return { t: 's', v: v ? 'true' : 'false' };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) return exact(String(v));
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (dec) return exact(String(v), Number(dec[2]));
  if (type === 'DOUBLE' || type === 'FLOAT') return { t: 'f', v: Number(v) };
  if (type === 'DATE') return { t: 's', v: String(v) };
  if (type.startsWith('TIMESTAMP')) return { t: 's', v: normTimestamp(String(v)) };
  if (type === 'VARCHAR') return { t: 's', v: String(v).replace(/ +$/, '') };
  return { t: 's', v: typeof v === 'object' ? JSON.stringify(v) : String(v) };
}

/** A DuckDB result as canonical rows. */
export function fromDuckdb(r: OracleResult): CanonResult {
  return { rows: r.rows.map((row) => row.map((v, k) => cellFromDuckdb(v, r.types[k]!))) };
}

/** Relative tolerance for doubles: |a - b| <= 1e-9 * max(|a|, |b|) (or both within 1e-12 of zero). */
export const FLOAT_REL_TOL = 1e-9;

/**
 * Whether two cells agree: exact numbers exactly; floats within FLOAT_REL_TOL; an exact number against a
 * float within one unit of the exact side's last digit (10^-scale), for aggregates where Redshift returns
 * DECIMAL(38,s) or BIGINT (AVG, "AVG function") and DuckDB a DOUBLE; text exactly.
 */
export function cellsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  if (a.t === 'x' && b.t === 'x') return a.v === b.v;
  if (a.t === 's' || b.t === 's') return a.t === b.t && a.v === b.v;
  const x = a.t === 'f' ? a.v : Number(a.v);
  const y = b.t === 'f' ? b.v : Number(b.v);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  const diff = Math.abs(x - y);
  if (diff <= FLOAT_REL_TOL * Math.max(Math.abs(x), Math.abs(y)) || diff < 1e-12) return true;
  const ex = a.t === 'x' ? a : b.t === 'x' ? b : undefined;
  return ex !== undefined && diff <= 10 ** -ex.scale * (1 + 1e-9);
}

function cellText(c: Cell): string {
  if (c === null) return 'NULL';
  return c.t === 'f' ? String(c.v) : c.v;
}

/**
 * Sort key of a cell. Only consistency matters (both sides sort with the same keys), not numeric order:
 * numbers in a column holding floats are keyed by their value rounded to 9 significant digits, so values
 * equal within the tolerance get the same key.
 */
function cellKey(c: Cell, floaty: boolean): string {
  if (c === null) return '\u0000';
  if (c.t === 's') return `s${c.v}`;
  if (floaty || c.t === 'f') return `n${Number((c.t === 'f' ? c.v : Number(c.v)).toPrecision(9))}`;
  return `x${c.v}`;
}

function sortRows(rows: Cell[][], floaty: boolean[]): Cell[][] {
  const keyed = rows.map((r) => ({ r, k: r.map((c, i) => cellKey(c, floaty[i] ?? false)).join('\u0001') }));
  keyed.sort((p, q) => (p.k < q.k ? -1 : p.k > q.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

export interface CompareOptions {
  /** The query has an ORDER BY that fixes the order of every row: compare in order. Otherwise rows are sorted first. */
  ordered?: boolean;
  /** How many differing rows to show (default 5). */
  show?: number;
}

/** Compares `got` (wasmshift) with `want` (oracle); returns null when equal, else a readable diff. */
export function compareResults(got: CanonResult, want: CanonResult, opts: CompareOptions = {}): string | null {
  const width = Math.max(got.rows[0]?.length ?? 0, want.rows[0]?.length ?? 0);
  if (got.rows.length && want.rows.length && got.rows[0]!.length !== want.rows[0]!.length) {
    return `column count differs: got ${got.rows[0]!.length}, want ${want.rows[0]!.length}`;
  }
  const floaty: boolean[] = [];
  for (let k = 0; k < width; k++) {
    floaty.push([...got.rows, ...want.rows].some((r) => r[k] !== null && r[k]!.t === 'f'));
  }
  const g = opts.ordered ? got.rows : sortRows(got.rows, floaty);
  const w = opts.ordered ? want.rows : sortRows(want.rows, floaty);
  const diffs: string[] = [];
  const show = opts.show ?? 5;
  const n = Math.max(g.length, w.length);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const gr = g[i];
    const wr = w[i];
    if (gr && wr && gr.every((c, k) => cellsEqual(c, wr[k]!))) continue;
    count++;
    if (diffs.length < show) {
      diffs.push(`row ${i}:\n  got  ${gr ? gr.map(cellText).join(' | ') : '(none)'}\n  want ${wr ? wr.map(cellText).join(' | ') : '(none)'}`);
    }
  }
  if (count === 0) return null;
  return `${count} row(s) differ (got ${g.length} rows, want ${w.length})${opts.ordered ? ', in order' : ', order ignored'}\n${diffs.join('\n')}`;
}

/** Whether a SQL text's outermost query has an ORDER BY (a trailing ORDER BY outside parentheses). */
export function hasTopLevelOrderBy(sql: string): boolean {
  let depth = 0;
  const s = sql.replace(/'(?:[^']|'')*'/g, "''").toLowerCase();
  let found = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && s.startsWith('order by', i)) found = true;
  }
  return found;
}
