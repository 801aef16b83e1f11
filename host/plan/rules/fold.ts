// Rule: constant folding at bind time. A call whose arguments are all constants is computed once
// (errors such as division by zero surface as the statement's error, as in PostgreSQL), and a
// DATE column compared with a TIMESTAMP constant is compared as a DATE, so the predicate can run
// as an int32 filter kernel over the column (TPC-H's `o_orderdate < dateadd(...)`).
import { valueAt } from '../../batch/vector.js';
import { lookupFunction } from '../../functions/index.js';
import { T } from '../../types/sql-type.js';
import type { Expr } from '../expr.js';

const US_DAY = 86400000000n;
/** Functions whose value changes from call to call or needs a session: never folded. */
const VOLATILE = new Set(['random', 'getdate', 'now', 'current_date', 'current_time', 'current_user', 'current_schema', 'current_database', 'version']);
const CMP = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

export function foldConstants(e: Expr): Expr {
  if (e.k !== 'fn') return e;
  if (CMP.has(e.name)) {
    const r = dateVsTimestamp(e);
    if (r) return r;
  }
  if (VOLATILE.has(e.name) || e.name.startsWith('like') || e.name.startsWith('not_') || e.name.includes('ilike')) return e;
  if (!e.args.every((a) => a.k === 'const')) return e;
  const def = lookupFunction(e.name);
  if (!def || def.volatile || e.name === 'coalesce') return e;
  const args = e.args.map((a) => {
    const c = a as Extract<Expr, { k: 'const' }>;
    const v = c.value;
    const data = c.type.id === 'bool' ? Uint8Array.of(v ? 1 : 0) : [v];
    return { type: c.type, length: 1, data: data as unknown as import('../../batch/vector.js').VectorData, valid: v === null ? new Uint8Array(1) : null };
  });
  try {
    const out = def.eval(args, 1, e.type, { now: BigInt(Date.now()) * 1000n, user: '', schema: '', database: '' });
    return { k: 'const', value: valueAt(out, 0), type: e.type };
  } catch {
    return e; // report the error when (and if) the expression is evaluated
  }
}

/** `cast(date_col as timestamp) op timestamp_const` as `date_col op' date_const`. */
function dateVsTimestamp(e: Extract<Expr, { k: 'fn' }>): Expr | null {
  let [a, b] = e.args as [Expr, Expr];
  let op = e.name;
  const flip: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
  if (a.k === 'const' && b.k === 'cast') { [a, b] = [b, a]; op = flip[op]!; }
  if (a.k !== 'cast' || a.arg.type.id !== 'date' || a.type.id !== 'timestamp' || b.k !== 'const' || typeof b.value !== 'bigint') return null;
  const ts = b.value;
  const day = ts / US_DAY - (ts % US_DAY < 0n ? 1n : 0n);
  const exact = day * US_DAY === ts;
  const d = Number(day);
  const bool = { id: 'bool' } as const;
  const mk = (name: string, v: number): Expr => ({ k: 'fn', name, args: [a.arg, { k: 'const', value: v, type: T.date }], type: bool });
  switch (op) {
    case 'lt': return exact ? mk('lt', d) : mk('le', d);
    case 'le': return mk('le', d);
    case 'gt': return mk('gt', d);
    case 'ge': return exact ? mk('ge', d) : mk('gt', d);
    case 'eq': return exact ? mk('eq', d) : null;
    default: return null;
  }
}
