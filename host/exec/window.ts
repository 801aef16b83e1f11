// Window functions over a batch holding whole partitions: rows are ordered by (partition keys,
// window ORDER BY), then each call is computed per partition: ranking (ROW_NUMBER, RANK,
// DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE), offsets (LAG, LEAD, FIRST/LAST/NTH_VALUE) and
// aggregates over ROWS/RANGE frames, as Redshift's "Window functions" pages define them.
import { type Batch, type Vector, valueAt, vectorFromValues } from '../batch/vector.js';
import { divRound } from '../functions/arith.js';
import { compareValues } from '../functions/compare.js';
import type { PNode, PWindowCall } from '../plan/physical.js';
import type { EvalContext } from './eval.js';
import { evalExpr } from './eval.js';
import { keyFunction } from './keys.js';
import { sortIndices } from './operators.js';

/** Appends one column per window call to a batch that holds whole partitions. */
export function computeWindows(b: Batch, calls: PWindowCall[], ctx: EvalContext): Batch {
  const cols = calls.map((c) => computeCall(b, c, ctx));
  return { columns: [...b.columns, ...cols], length: b.length };
}

function computeCall(b: Batch, c: PWindowCall, ctx: EvalContext): Vector {
  const n = b.length;
  const keys = [...c.partition.map((e) => ({ expr: e, desc: false, nullsFirst: false })), ...c.order];
  const idx = keys.length ? sortIndices(b, keys, ctx) : Int32Array.from({ length: n }, (_, i) => i);
  const part = c.partition.length ? keyFunction(c.partition.map((e) => evalExpr(e, b, ctx)), true) : () => 0;
  const ordVecs = c.order.map((o) => evalExpr(o.expr, b, ctx));
  const args = c.args.map((e) => evalExpr(e, b, ctx));
  const out = new Array<unknown>(n).fill(null);
  const peer = (x: number, y: number) => ordVecs.every((v) => {
    const vx = valueAt(v, x), vy = valueAt(v, y);
    return vx === null || vy === null ? vx === vy : compareValues(vx, vy, v.type) === 0;
  });
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const k = part(idx[start]!);
    while (end < n && part(idx[end]!) === k) end++;
    computePartition(c, idx.subarray(start, end), args, peer, out);
    start = end;
  }
  return vectorFromValues(c.type, out);
}

function computePartition(c: PWindowCall, rows: Int32Array, args: Vector[], peer: (x: number, y: number) => boolean, out: unknown[]): void {
  const m = rows.length;
  const arg = (i: number, a = 0) => valueAt(args[a]!, rows[i]!);
  // Peer groups: rows equal on the window ORDER BY.
  const groupStart = new Int32Array(m), groupEnd = new Int32Array(m);
  for (let i = 0; i < m;) {
    let j = i + 1;
    while (j < m && peer(rows[i]!, rows[j]!)) j++;
    for (let x = i; x < j; x++) { groupStart[x] = i; groupEnd[x] = j - 1; }
    i = j;
  }
  switch (c.fn) {
    case 'row_number': for (let i = 0; i < m; i++) out[rows[i]!] = BigInt(i + 1); return;
    case 'rank': for (let i = 0; i < m; i++) out[rows[i]!] = BigInt(groupStart[i]! + 1); return;
    case 'dense_rank': { let r = 0; for (let i = 0; i < m; i++) { if (groupStart[i] === i) r++; out[rows[i]!] = BigInt(r); } return; }
    case 'percent_rank': for (let i = 0; i < m; i++) out[rows[i]!] = m > 1 ? groupStart[i]! / (m - 1) : 0; return;
    case 'cume_dist': for (let i = 0; i < m; i++) out[rows[i]!] = (groupEnd[i]! + 1) / m; return;
    case 'ntile': {
      for (let i = 0; i < m; i++) {
        const buckets = Number(arg(i) ?? 1);
        const per = Math.floor(m / buckets), extra = m % buckets;
        const bigRows = extra * (per + 1);
        out[rows[i]!] = i < bigRows ? Math.floor(i / (per + 1)) + 1 : extra + Math.floor((i - bigRows) / Math.max(1, per)) + 1;
      }
      return;
    }
    case 'lag': case 'lead': {
      for (let i = 0; i < m; i++) {
        const off = args[1] ? Number(arg(i, 1) ?? 1) : 1;
        const j = c.fn === 'lag' ? i - off : i + off;
        out[rows[i]!] = j >= 0 && j < m ? arg(j) : args[2] ? arg(i, 2) : null;
      }
      return;
    }
  }
  // Frame-based functions.
  const frameOf = (i: number): [number, number] => {
    const f = c.frame;
    if (!f) return [0, m - 1];
    if (f.mode === 'range') return [f.start === null ? 0 : groupStart[i]!, f.end === null ? m - 1 : groupEnd[i]!];
    const lo = f.start === null ? 0 : i - f.start;
    const hi = f.end === null ? m - 1 : i + f.end;
    return [Math.max(0, lo), Math.min(m - 1, hi)];
  };
  switch (c.fn) {
    case 'first_value': for (let i = 0; i < m; i++) { const [lo, hi] = frameOf(i); out[rows[i]!] = lo <= hi ? arg(lo) : null; } return;
    case 'last_value': for (let i = 0; i < m; i++) { const [lo, hi] = frameOf(i); out[rows[i]!] = lo <= hi ? arg(hi) : null; } return;
    case 'nth_value': for (let i = 0; i < m; i++) { const [lo, hi] = frameOf(i); const k = Number(arg(i, 1)); out[rows[i]!] = lo + k - 1 <= hi ? arg(lo + k - 1) : null; } return;
  }
  // Aggregates: prefix sums for count/sum/avg, a scan for min/max.
  const isFloat = c.type.id === 'float8' || c.type.id === 'float4';
  const vals = new Array<unknown>(m);
  for (let i = 0; i < m; i++) vals[i] = c.fn === 'count_star' ? 1 : args[0] ? arg(i) : null;
  if (c.fn === 'min' || c.fn === 'max' || c.fn === 'bool_and' || c.fn === 'bool_or' || c.fn === 'any_value') {
    const sign = c.fn === 'min' ? -1 : 1;
    for (let i = 0; i < m; i++) {
      const [lo, hi] = frameOf(i);
      let best: unknown = null;
      for (let j = lo; j <= hi; j++) {
        const v = vals[j];
        if (v === null) continue;
        if (c.fn === 'bool_and') best = best === null ? v : (best as boolean) && (v as boolean);
        else if (c.fn === 'bool_or') best = best === null ? v : (best as boolean) || (v as boolean);
        else if (best === null || compareValues(v, best, c.type) * sign > 0) best = v;
      }
      out[rows[i]!] = best;
    }
    return;
  }
  const cnt = new Float64Array(m + 1);
  const sum: (number | bigint)[] = new Array(m + 1);
  sum[0] = isFloat ? 0 : 0n;
  for (let i = 0; i < m; i++) {
    const v = vals[i];
    cnt[i + 1] = cnt[i]! + (v === null ? 0 : 1);
    sum[i + 1] = v === null || c.fn === 'count' || c.fn === 'count_star' ? sum[i]! : isFloat ? (sum[i] as number) + Number(v) : (sum[i] as bigint) + BigInt(v as bigint | number);
  }
  for (let i = 0; i < m; i++) {
    const [lo, hi] = frameOf(i);
    const k = lo <= hi ? cnt[hi + 1]! - cnt[lo]! : 0;
    if (c.fn === 'count' || c.fn === 'count_star') { out[rows[i]!] = BigInt(k); continue; }
    if (k === 0) { out[rows[i]!] = null; continue; }
    const s = isFloat ? (sum[hi + 1] as number) - (sum[lo] as number) : (sum[hi + 1] as bigint) - (sum[lo] as bigint);
    if (c.fn === 'sum') out[rows[i]!] = s;
    else if (c.fn === 'avg') out[rows[i]!] = isFloat ? (s as number) / k : c.type.id === 'int8' ? (s as bigint) / BigInt(k) : divRound(s as bigint, BigInt(k));
    else out[rows[i]!] = null;
  }
}

export type { PNode };
