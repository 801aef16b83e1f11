// Type coercion rules the binder applies to operators, CASE/COALESCE/UNION branches and function
// arguments: PostgreSQL's implicit casts and Redshift's numeric result types.
import { MAX_NUMERIC_PRECISION, T, isString, type SqlType, type TypeId } from '../types/sql-type.js';

/** Rank in the numeric promotion order: int2 < int4 < int8 < numeric < float4 < float8. */
const NUM_RANK: Partial<Record<TypeId, number>> = { int2: 1, int4: 2, int8: 3, numeric: 4, float4: 5, float8: 6 };

export function numRank(t: SqlType): number { return NUM_RANK[t.id] ?? 0; }

/** Precision/scale an integer type has when it meets a numeric. */
export function asNumeric(t: SqlType): SqlType {
  switch (t.id) {
    case 'int2': return T.numeric(5, 0);
    case 'int4': return T.numeric(10, 0);
    case 'int8': return T.numeric(19, 0);
    case 'numeric': return { id: 'numeric', precision: t.precision ?? 18, scale: t.scale ?? 0 };
    default: return T.numeric(38, 6);
  }
}

/** Numeric type wide enough for both (the union of integer digits and scales). */
export function unionNumeric(a: SqlType, b: SqlType): SqlType {
  const na = asNumeric(a), nb = asNumeric(b);
  const scale = Math.max(na.scale!, nb.scale!);
  const intDigits = Math.max(na.precision! - na.scale!, nb.precision! - nb.scale!);
  return T.numeric(Math.min(MAX_NUMERIC_PRECISION, intDigits + scale), scale);
}

/**
 * The type two values are compared or combined as (CASE, COALESCE, UNION, =, <), or null when
 * there is none. `unknown` (an untyped literal) takes the other side's type.
 */
export function commonType(a: SqlType, b: SqlType): SqlType | null {
  // An untyped literal takes the other side's type, without its length (PostgreSQL resolves the
  // literal to the base type, so 'longer' is neither truncated nor padded).
  if (a.id === 'unknown') return b.id === 'unknown' ? T.unknown : unbounded(b);
  if (b.id === 'unknown') return unbounded(a);
  if (a.id === b.id) {
    if (a.id === 'numeric') return unionNumeric(a, b);
    if (a.id === 'varchar' || a.id === 'bpchar') {
      const la = a.length ?? -1, lb = b.length ?? -1;
      return { id: a.id, length: la < 0 || lb < 0 ? -1 : Math.max(la, lb) };
    }
    return a;
  }
  const ra = numRank(a), rb = numRank(b);
  if (ra && rb) {
    if (a.id === 'numeric' || b.id === 'numeric') {
      if (ra > 4 || rb > 4) return T.float8;
      return unionNumeric(a, b);
    }
    return ra > rb ? a : b;
  }
  if (isString(a) && isString(b)) {
    if (a.id === 'text' || b.id === 'text') return T.text;
    return { id: 'varchar', length: -1 };
  }
  const pair = new Set([a.id, b.id]);
  if (pair.has('date') && pair.has('timestamp')) return T.timestamp;
  if (pair.has('date') && pair.has('timestamptz')) return T.timestamptz;
  if (pair.has('timestamp') && pair.has('timestamptz')) return T.timestamptz;
  // PostgreSQL casts int2/int4 to oid implicitly (catalog queries compare oid columns with integers).
  if (pair.has('oid') && (pair.has('int2') || pair.has('int4'))) return T.oid;
  if (pair.has('oid') && pair.has('int8')) return T.int8;
  // A string literal/column against a date or number: PostgreSQL resolves an unknown literal to
  // the other side; a typed string against a date needs an explicit cast, but Redshift accepts
  // varchar vs date comparisons by casting the string, so we do too.
  if (isString(a) && (b.id === 'date' || b.id === 'timestamp' || b.id === 'timestamptz')) return b;
  if (isString(b) && (a.id === 'date' || a.id === 'timestamp' || a.id === 'timestamptz')) return a;
  return null;
}

function unbounded(t: SqlType): SqlType {
  return (t.id === 'varchar' || t.id === 'bpchar') && (t.length ?? -1) >= 0 ? { id: t.id, length: -1 } : t;
}

/** Whether a value of `from` may be implicitly cast to `to` (function argument matching). */
export function implicitlyCastable(from: SqlType, to: SqlType): boolean {
  if (from.id === to.id || from.id === 'unknown') return true;
  const rf = numRank(from), rt = numRank(to);
  if (rf && rt) return rf <= rt || (from.id === 'numeric' && rt >= 4);
  if (isString(from) && isString(to)) return true;
  if (from.id === 'date' && (to.id === 'timestamp' || to.id === 'timestamptz')) return true;
  if (from.id === 'timestamp' && to.id === 'timestamptz') return true;
  if (to.id === 'text' || to.id === 'varchar') return from.id !== 'bool' ? isString(from) : false;
  return false;
}

/** Redshift's result type of a numeric operator (Redshift "Numeric computations" page). */
export function numericResult(op: 'add' | 'sub' | 'mul' | 'div' | 'mod', a: SqlType, b: SqlType): SqlType {
  const na = asNumeric(a), nb = asNumeric(b);
  const p1 = na.precision!, s1 = na.scale!, p2 = nb.precision!, s2 = nb.scale!;
  let p: number, s: number;
  switch (op) {
    case 'add': case 'sub':
      s = Math.max(s1, s2);
      p = Math.max(p1 - s1, p2 - s2) + 1 + s;
      break;
    case 'mul':
      s = s1 + s2;
      p = p1 + p2 + 1;
      break;
    case 'div':
      s = Math.max(4, s1 + p2 - s2 + 1);
      p = p1 - s1 + s2 + s;
      break;
    case 'mod':
      s = Math.max(s1, s2);
      p = Math.min(p1 - s1, p2 - s2) + s;
      break;
  }
  if (s > MAX_NUMERIC_PRECISION) s = MAX_NUMERIC_PRECISION;
  if (p > MAX_NUMERIC_PRECISION) {
    // Redshift keeps precision at 38 and trims the scale for division; for the others it keeps the scale.
    if (op === 'div') s = Math.max(Math.min(s, MAX_NUMERIC_PRECISION - (p - s)), Math.min(s, 6));
    p = MAX_NUMERIC_PRECISION;
  }
  return T.numeric(p, Math.min(s, p));
}
