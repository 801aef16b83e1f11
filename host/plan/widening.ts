// Casts that widen a column's type without changing how its values compare: int2 -> int4 -> int8 and
// numeric(p, s) -> numeric(p', s) with p' >= p. The binder puts them on the column side of a comparison
// with a constant of the wider type (`smallint_col <= 40`, `decimal_col < 5`); the zone maps
// (host/storage/zone-prune.ts) and the scan's filter kernels (host/exec/kernel-filter.ts) test such a
// comparison on the stored values, with the constant in the column's own representation.
import type { Expr } from './expr.js';
import type { SqlType } from '../types/sql-type.js';

type Column = Extract<Expr, { k: 'col' }>;

const INT_RANK: Record<string, number> = { int2: 1, int4: 2, int8: 3 };

/** Whether every value of type `from` is a value of `to` with the same representation's order. */
function widens(from: SqlType, to: SqlType): boolean {
  const a = INT_RANK[from.id], b = INT_RANK[to.id];
  if (a !== undefined && b !== undefined) return a <= b;
  if (from.id !== 'numeric' || to.id !== 'numeric') return false;
  // Same scale, so the scaled integers are the same numbers; a precision at least as wide keeps every value.
  return from.scale !== undefined && from.scale === to.scale && from.precision !== undefined && to.precision !== undefined && to.precision >= from.precision;
}

/** The column `e` reads when `e` is the column or a widening cast of it; null otherwise. */
export function widenedColumn(e: Expr): Column | null {
  if (e.k === 'col') return e;
  return e.k === 'cast' && e.arg.k === 'col' && widens(e.arg.type, e.type) ? e.arg : null;
}

/**
 * An integer constant as a value of a 16- or 32-bit column's representation (a JS number), or
 * undefined when it has no such form (a bigint past 32 bits; a kernel or zone test then is not used).
 */
export function int32Constant(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n) return Number(v);
  return undefined;
}
