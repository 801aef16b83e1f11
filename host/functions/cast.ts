// CAST between SQL types over vectors: numeric widening/narrowing with range checks, numeric
// rescaling, text in/out through host/types text formats, date/timestamp conversions.
import type { Vector } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import { formatText } from '../types/text-format.js';
import { parseText } from '../types/text-parse.js';
import { formatType, isString, sameType, type SqlType } from '../types/sql-type.js';
import { divRound, POW10, rescale } from './arith.js';
import { EXACT_MAX, exactAt, setExact, wordsOf } from './i64-words.js';
import { mapStrict, ok, overflow } from './vec.js';

/** explicit: CAST/::; assign: INSERT/UPDATE into a column; implicit: operator/argument coercion. */
export type CastMode = 'explicit' | 'assign' | 'implicit';

const MICROS_PER_DAY = 86400000000n;
const INT_RANGE: Record<string, [number, number, string]> = {
  int2: [-32768, 32767, 'smallint'],
  int4: [-2147483648, 2147483647, 'integer'],
};

/** PostgreSQL's rint(): round half to even, as float-to-integer casts do. */
function rint(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

function numericOverflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow');
}

function checkPrecision(v: bigint, t: SqlType): bigint {
  const p = Math.min(t.precision ?? 38, 38);
  const lim = POW10[p]!;
  if (v >= lim || v <= -lim) throw numericOverflow();
  return v;
}

/** Converts one non-null internal value. */
export function castValue(v: unknown, from: SqlType, to: SqlType, mode: CastMode = 'explicit'): unknown {
  if (v === null || v === undefined) return null;
  const f = from.id, t = to.id;
  if (f === 'unknown' || isString(from)) {
    if (isString(to)) return castString(v as string, from, to, mode);
    if (t === 'bool') return parseText((v as string), to);
    return parseText(v as string, to);
  }
  if (isString(to)) {
    let s: string;
    if (f === 'bool') s = v ? 'true' : 'false';
    else s = formatText(v, from);
    return castString(s, { id: 'text' }, to, mode);
  }
  switch (t) {
    case 'int2': case 'int4': {
      const [min, max, name] = INT_RANGE[t]!;
      let n: number;
      if (f === 'numeric') n = Number(divRound(v as bigint, POW10[from.scale ?? 0]!));
      else if (f === 'int8') n = Number(v as bigint);
      else if (f === 'float4' || f === 'float8') { if (!Number.isFinite(v as number)) throw overflow(name); n = rint(v as number); }
      else if (f === 'bool') n = v ? 1 : 0;
      else n = v as number;
      if (n < min || n > max) throw overflow(name);
      return n;
    }
    case 'oid': {
      // oid is an unsigned 32-bit number in PostgreSQL; integers convert when in range.
      const n = Number(v as number | bigint);
      if (!(f === 'int2' || f === 'int4' || f === 'int8' || f === 'oid') || n < -2147483648 || n > 4294967295) throw cannotCast(from, to);
      return n;
    }
    case 'int8': {
      let n: bigint;
      if (f === 'numeric') n = divRound(v as bigint, POW10[from.scale ?? 0]!);
      else if (f === 'float4' || f === 'float8') {
        if (!Number.isFinite(v as number) || Math.abs(v as number) >= 9.223372036854776e18) throw overflow('bigint');
        n = BigInt(rint(v as number));
      } else if (f === 'bool') n = v ? 1n : 0n;
      else n = BigInt(v as number | bigint);
      if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) throw overflow('bigint');
      return n;
    }
    case 'numeric': {
      const s = to.scale ?? 0;
      let n: bigint;
      if (f === 'numeric') n = rescale(v as bigint, from.scale ?? 0, s);
      else if (f === 'int2' || f === 'int4' || f === 'int8') n = BigInt(v as number | bigint) * POW10[s]!;
      else if (f === 'float4' || f === 'float8') {
        const x = v as number;
        if (!Number.isFinite(x)) throw new SqlError(SqlState.featureNotSupported, `cannot convert ${x} to numeric`);
        n = parseText(x.toPrecision(17).includes('e') ? x.toString() : x.toPrecision(15), to) as bigint;
        return checkPrecision(n, to);
      } else if (f === 'bool') n = (v ? 1n : 0n) * POW10[s]!;
      else throw cannotCast(from, to);
      return checkPrecision(n, to);
    }
    case 'float4': case 'float8': {
      let x: number;
      if (f === 'numeric') x = Number(v as bigint) / Number(POW10[from.scale ?? 0]!);
      else if (f === 'int8') x = Number(v as bigint);
      else if (f === 'bool') x = v ? 1 : 0;
      else x = v as number;
      if (t === 'float4') x = Math.fround(x);
      return x;
    }
    case 'bool': {
      if (f === 'int2' || f === 'int4') return (v as number) !== 0;
      if (f === 'int8') return (v as bigint) !== 0n;
      throw cannotCast(from, to);
    }
    case 'date': {
      if (f === 'timestamp' || f === 'timestamptz') {
        const m = v as bigint;
        const d = m / MICROS_PER_DAY - (m % MICROS_PER_DAY < 0n ? 1n : 0n);
        return Number(d);
      }
      throw cannotCast(from, to);
    }
    case 'timestamp': case 'timestamptz': {
      if (f === 'date') return BigInt(v as number) * MICROS_PER_DAY;
      if (f === 'timestamp' || f === 'timestamptz') return v;
      throw cannotCast(from, to);
    }
    case 'time': {
      if (f === 'timestamp' || f === 'timestamptz') {
        const m = (v as bigint) % MICROS_PER_DAY;
        return m < 0n ? m + MICROS_PER_DAY : m;
      }
      throw cannotCast(from, to);
    }
    default:
      throw cannotCast(from, to);
  }
}

/**
 * Whether castString returns every value of `from` unchanged as `to`: to CHAR without a length (no
 * padding, nothing cut; how the binder compares a CHAR(n) column with a literal), to VARCHAR or TEXT
 * without a length from anything but CHAR (whose padding those drop), and to VARCHAR(m) from
 * VARCHAR(n), n <= m (its values already fit: VARCHAR counts bytes in both).
 */
function keepsEveryString(from: SqlType, to: SqlType): boolean {
  const len = to.length ?? -1;
  if (to.id === 'bpchar') return len < 0;
  if (from.id === 'bpchar') return false;
  if (len < 0) return true;
  return to.id === 'varchar' && from.id === 'varchar' && from.length !== undefined && from.length >= 0 && from.length <= len;
}

function castString(s: string, from: SqlType, to: SqlType, mode: CastMode): string {
  const len = to.length ?? -1;
  // CHAR's padding is not part of the value: casting to VARCHAR/TEXT drops it (PostgreSQL rtrim1).
  if (from.id === 'bpchar' && to.id !== 'bpchar') s = s.replace(/ +$/, '');
  if (to.id === 'bpchar') {
    if (len < 0) return s;
    const n = len;
    if ([...s].length > n) {
      const trimmed = s.replace(/ +$/, '');
      if (mode === 'assign' && [...trimmed].length > n) throw tooLong(to);
      s = [...s].slice(0, n).join('');
    }
    const chars = [...s].length;
    return chars < n ? s + ' '.repeat(n - chars) : s;
  }
  if (len >= 0 && to.id === 'varchar') {
    // Redshift VARCHAR(n) counts bytes, not characters.
    const bytes = Buffer.byteLength(s, 'utf8');
    if (bytes > len) {
      const trimmed = s.replace(/ +$/, '');
      if (mode === 'assign' && Buffer.byteLength(trimmed, 'utf8') > len) throw tooLong(to);
      let out = '';
      let used = 0;
      for (const ch of s) {
        const b = Buffer.byteLength(ch, 'utf8');
        if (used + b > len) break;
        out += ch;
        used += b;
      }
      return out;
    }
  }
  void from;
  return s;
}

function tooLong(to: SqlType): SqlError {
  return new SqlError(SqlState.stringDataRightTruncation, `value too long for type ${formatType(to)}`);
}

export function cannotCast(from: SqlType, to: SqlType): SqlError {
  return new SqlError(SqlState.cannotCoerce, `cannot cast type ${formatType(from)} to ${formatType(to)}`);
}

/** Whether an explicit cast between the two types exists. */
export function castExists(from: SqlType, to: SqlType): boolean {
  if (from.id === to.id || from.id === 'unknown' || isString(from) || isString(to)) return true;
  const num = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);
  if (num.has(from.id) && num.has(to.id)) return true;
  if (to.id === 'bool' && (from.id === 'int2' || from.id === 'int4' || from.id === 'int8')) return true;
  if ((from.id === 'bool') && (to.id === 'int4' || to.id === 'int8' || to.id === 'int2' || to.id === 'numeric' || to.id === 'float8')) return true;
  const temporal = new Set(['date', 'timestamp', 'timestamptz']);
  if (temporal.has(from.id) && temporal.has(to.id)) return true;
  if (to.id === 'time' && (from.id === 'timestamp' || from.id === 'timestamptz')) return true;
  const ints = new Set(['int2', 'int4', 'int8']);
  if ((from.id === 'oid' && ints.has(to.id)) || (to.id === 'oid' && ints.has(from.id))) return true;
  return false;
}

/**
 * numeric to numeric of an equal or larger scale (TPC-H Q22's c_acctbal compared with an AVG, Q11's SUM
 * with SUM * 0.0001) on exact doubles: each value times 10^(scale difference), written as words with no
 * BigInt per row. Null when a non-NULL value or its result leaves the exact range or the target
 * precision, or the scale shrinks: the caller then takes castValue's path, which rounds or raises 22003.
 */
function rescaleExact(d: BigInt64Array, valid: Uint8Array | null, n: number, fromScale: number, to: SqlType): BigInt64Array | null {
  const up = (to.scale ?? 0) - fromScale;
  if (up < 0 || up > 15) return null;
  const mult = 10 ** up;
  const p = Math.min(to.precision ?? 38, 38);
  const lim = p <= 15 ? 10 ** p - 1 : EXACT_MAX;
  const w = wordsOf(d);
  const out = new BigInt64Array(n);
  const ow = wordsOf(out);
  for (let i = 0; i < n; i++) {
    const r = exactAt(w, i) * mult;
    // NaN (past 2^53) fails both tests
    if (r <= lim && r >= -lim) { setExact(ow, i, r); continue; }
    if (ok(valid, i)) return null;
  }
  return out;
}

/** Casts a vector; returns it unchanged when the types are the same. */
export function castVector(v: Vector, to: SqlType, n: number, mode: CastMode = 'explicit'): Vector {
  if (sameType(v.type, to)) return v;
  const f = v.type.id;
  if (f === to.id && f !== 'numeric' && f !== 'varchar' && f !== 'bpchar') return { ...v, type: to };
  if (isString(v.type) && isString(to) && keepsEveryString(v.type, to)) return { ...v, type: to };
  // Fast paths for the widening casts joins and arithmetic use most.
  if ((f === 'int4' || f === 'int2') && (to.id === 'int8')) {
    const out = new BigInt64Array(n);
    const x = v.data as Int32Array;
    for (let i = 0; i < n; i++) out[i] = BigInt(x[i]!);
    return { type: to, length: n, data: out, valid: v.valid };
  }
  if ((f === 'int4' || f === 'int2' || f === 'float4') && to.id === 'float8') {
    return { type: to, length: n, data: Float64Array.from(v.data as Int32Array), valid: v.valid };
  }
  if ((f === 'int4' || f === 'int2') && to.id === 'int4') return { type: to, length: n, data: Int32Array.from(v.data as Int16Array), valid: v.valid };
  // numeric(p, s) to numeric(p', s), p' >= p: the same scaled integers (e.g. sum(...)::numeric in a HAVING)
  if (f === 'numeric' && to.id === 'numeric' && v.type.scale !== undefined && v.type.scale === to.scale &&
    v.type.precision !== undefined && to.precision !== undefined && to.precision >= v.type.precision) return { ...v, type: to };
  if (f === 'numeric' && to.id === 'numeric' && v.data instanceof BigInt64Array) {
    const out = rescaleExact(v.data, v.valid, n, v.type.scale ?? 0, to);
    if (out) return { type: to, length: n, data: out, valid: v.valid };
  }
  if (f === 'numeric' && to.id === 'float8') {
    const out = new Float64Array(n);
    const x = v.data as ArrayLike<bigint>;
    const div = Number(POW10[v.type.scale ?? 0]!);
    for (let i = 0; i < n; i++) out[i] = Number(x[i]!) / div;
    return { type: to, length: n, data: out, valid: v.valid };
  }
  return mapStrict([v], n, to, (x: unknown) => castValue(v.type.id === 'bool' ? x : x, v.type, to, mode));
}
