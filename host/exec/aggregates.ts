// Aggregate accumulators for hash aggregation (host/exec/operators.ts): one per aggregate call,
// holding per-group state in arrays indexed by group id, in single, partial (per slice) and
// final (on the leader, over partial states) modes.
import { type Vector, vectorFromValues } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import { divRound } from '../functions/arith.js';
import { compareValues } from '../functions/compare.js';
import { ok } from '../functions/vec.js';
import type { PAgg } from '../plan/physical.js';
import { T, type SqlType } from '../types/sql-type.js';
import { valueKey } from './eval.js';

/** One aggregate's state over all groups. `args` are the evaluated argument vectors of a batch. */
export interface Accumulator {
  update(gids: Int32Array, args: Vector[], n: number): void;
  /** Output vectors: the final value (single/final), or the partial state columns (partial). */
  finish(ngroups: number): Vector[];
}

function val(v: Vector, i: number): unknown {
  const d = v.data[i];
  return v.type.id === 'bool' ? d === 1 || d === true : d;
}

const I64_MAX = 0x7fffffffffffffffn;

class CountAcc implements Accumulator {
  counts: number[] = [];
  constructor(private readonly star: boolean) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const c = this.counts;
    if (this.star || args[0]!.valid === null) { for (let i = 0; i < n; i++) c[gids[i]!] = (c[gids[i]!] ?? 0) + 1; return; }
    const v = args[0]!;
    for (let i = 0; i < n; i++) if (ok(v.valid, i)) c[gids[i]!] = (c[gids[i]!] ?? 0) + 1;
  }
  finish(ng: number): Vector[] {
    const out = new BigInt64Array(ng);
    for (let g = 0; g < ng; g++) out[g] = BigInt(this.counts[g] ?? 0);
    return [{ type: T.int8, length: ng, data: out, valid: null }];
  }
}

/** SUM of integers/numerics (exact, bigint) or floats; also merges partial counts. */
class SumAcc implements Accumulator {
  sums: (bigint | number | undefined)[] = [];
  constructor(private readonly type: SqlType, private readonly zeroWhenEmpty = false) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const v = args[0]!;
    const s = this.sums;
    const d = v.data as ArrayLike<number | bigint>;
    const isFloat = this.type.id === 'float8' || this.type.id === 'float4';
    for (let i = 0; i < n; i++) {
      if (v.valid !== null && !ok(v.valid, i)) continue;
      const g = gids[i]!;
      const x = d[i]!;
      const cur = s[g];
      if (isFloat) s[g] = (cur === undefined ? 0 : (cur as number)) + (x as number);
      else s[g] = (cur === undefined ? 0n : (cur as bigint)) + (typeof x === 'bigint' ? x : BigInt(x));
    }
  }
  finish(ng: number): Vector[] {
    const vals: unknown[] = new Array(ng);
    for (let g = 0; g < ng; g++) {
      const v = this.sums[g];
      if (v === undefined) { vals[g] = this.zeroWhenEmpty ? 0n : null; continue; }
      if (this.type.id === 'int8' && typeof v === 'bigint' && (v > I64_MAX || v < -I64_MAX - 1n)) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
      if (this.type.id === 'numeric' && typeof v === 'bigint' && (v >= 10n ** 38n || v <= -(10n ** 38n))) throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow');
      vals[g] = v;
    }
    return [vectorFromValues(this.type, vals)];
  }
}

class MinMaxAcc implements Accumulator {
  best: unknown[] = [];
  seen: boolean[] = [];
  constructor(private readonly type: SqlType, private readonly max: boolean) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const v = args[0]!;
    const sign = this.max ? 1 : -1;
    const fastNum = ArrayBuffer.isView(v.data) && this.type.id !== 'float4' && this.type.id !== 'float8' && this.type.id !== 'bool';
    for (let i = 0; i < n; i++) {
      if (v.valid !== null && !ok(v.valid, i)) continue;
      const g = gids[i]!;
      const x = val(v, i);
      if (!this.seen[g]) { this.seen[g] = true; this.best[g] = x; continue; }
      if (fastNum) { if (this.max ? (x as number) > (this.best[g] as number) : (x as number) < (this.best[g] as number)) this.best[g] = x; }
      else if (compareValues(x, this.best[g], this.type) * sign > 0) this.best[g] = x;
    }
  }
  finish(ng: number): Vector[] {
    const vals = new Array<unknown>(ng);
    for (let g = 0; g < ng; g++) vals[g] = this.seen[g] ? this.best[g] : null;
    return [vectorFromValues(this.type, vals)];
  }
}

class AnyValueAcc extends MinMaxAcc {}

/** AVG: single mode computes sum/count; partial mode emits (sum, count). */
class AvgAcc implements Accumulator {
  sum = new SumAcc(T.numeric(38, 0));
  count = new CountAcc(false);
  constructor(private readonly type: SqlType, private readonly partial: boolean, private readonly stateType: SqlType) {
    this.sum = new SumAcc(stateType);
  }
  update(gids: Int32Array, args: Vector[], n: number): void { this.sum.update(gids, args, n); this.count.update(gids, args, n); }
  finish(ng: number): Vector[] {
    const [s] = this.sum.finish(ng);
    const [c] = this.count.finish(ng);
    if (this.partial) return [s!, c!];
    return [avgOf(s!, c!, ng, this.type)];
  }
}

function avgOf(s: Vector, c: Vector, ng: number, type: SqlType): Vector {
  const vals = new Array<unknown>(ng);
  for (let g = 0; g < ng; g++) {
    const cnt = (c.data as BigInt64Array)[g]!;
    if (!ok(s.valid, g) || cnt === 0n) { vals[g] = null; continue; }
    const sum = s.data[g] as bigint | number;
    if (type.id === 'float8' || type.id === 'float4') vals[g] = (sum as number) / Number(cnt);
    else if (type.id === 'int8') vals[g] = (sum as bigint) / cnt; // Redshift: AVG of integers truncates
    else vals[g] = divRound(sum as bigint, cnt);
  }
  return vectorFromValues(type, vals);
}

/** AVG final: sums of partial sums over sums of partial counts. */
class AvgFinalAcc implements Accumulator {
  sum: SumAcc;
  count = new SumAcc(T.int8, true);
  constructor(private readonly type: SqlType, stateType: SqlType) { this.sum = new SumAcc(stateType); }
  update(gids: Int32Array, args: Vector[], n: number): void { this.sum.update(gids, [args[0]!], n); this.count.update(gids, [args[1]!], n); }
  finish(ng: number): Vector[] { return [avgOf(this.sum.finish(ng)[0]!, this.count.finish(ng)[0]!, ng, this.type)]; }
}

class VarAcc implements Accumulator {
  n: number[] = []; s: number[] = []; ss: number[] = [];
  constructor(private readonly fn: string, private readonly mode: 'single' | 'partial' | 'final') {}
  update(gids: Int32Array, args: Vector[], count: number): void {
    if (this.mode === 'final') {
      const [cn, cs, css] = args as [Vector, Vector, Vector];
      for (let i = 0; i < count; i++) {
        const g = gids[i]!;
        this.n[g] = (this.n[g] ?? 0) + Number((cn.data as BigInt64Array)[i]!);
        this.s[g] = (this.s[g] ?? 0) + (cs.data as Float64Array)[i]!;
        this.ss[g] = (this.ss[g] ?? 0) + (css.data as Float64Array)[i]!;
      }
      return;
    }
    const v = args[0]!;
    for (let i = 0; i < count; i++) {
      if (!ok(v.valid, i)) continue;
      const g = gids[i]!, x = (v.data as Float64Array)[i]!;
      this.n[g] = (this.n[g] ?? 0) + 1; this.s[g] = (this.s[g] ?? 0) + x; this.ss[g] = (this.ss[g] ?? 0) + x * x;
    }
  }
  finish(ng: number): Vector[] {
    if (this.mode === 'partial') {
      return [
        { type: T.int8, length: ng, data: BigInt64Array.from({ length: ng }, (_, g) => BigInt(this.n[g] ?? 0)), valid: null },
        { type: T.float8, length: ng, data: Float64Array.from({ length: ng }, (_, g) => this.s[g] ?? 0), valid: null },
        { type: T.float8, length: ng, data: Float64Array.from({ length: ng }, (_, g) => this.ss[g] ?? 0), valid: null },
      ];
    }
    const base = this.fn.replace('_final', '');
    const vals = new Array<unknown>(ng);
    for (let g = 0; g < ng; g++) {
      const n = this.n[g] ?? 0, s = this.s[g] ?? 0, ss = this.ss[g] ?? 0;
      const samp = base.endsWith('samp');
      if (n === 0 || (samp && n === 1)) { vals[g] = null; continue; }
      const v = Math.max(0, (ss - (s * s) / n) / (samp ? n - 1 : n));
      vals[g] = base.startsWith('stddev') ? Math.sqrt(v) : v;
    }
    return [vectorFromValues(T.float8, vals)];
  }
}

class BoolAcc implements Accumulator {
  v: (boolean | undefined)[] = [];
  constructor(private readonly and: boolean) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const a = args[0]!;
    for (let i = 0; i < n; i++) {
      if (!ok(a.valid, i)) continue;
      const g = gids[i]!, x = a.data[i] === 1;
      this.v[g] = this.v[g] === undefined ? x : this.and ? this.v[g]! && x : this.v[g]! || x;
    }
  }
  finish(ng: number): Vector[] { return [vectorFromValues(T.bool, Array.from({ length: ng }, (_, g) => this.v[g] ?? null))]; }
}

/** LISTAGG and MEDIAN collect their values per group. */
class CollectAcc implements Accumulator {
  vals: unknown[][] = [];
  keys: unknown[][][] = [];
  delim: string[] = [];
  constructor(private readonly agg: PAgg, private readonly nOrder: number) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const v = args[0]!;
    for (let i = 0; i < n; i++) {
      if (!ok(v.valid, i)) continue;
      const g = gids[i]!;
      (this.vals[g] ??= []).push(val(v, i));
      if (this.agg.fn === 'listagg') {
        if (this.delim[g] === undefined) this.delim[g] = ok(args[1]!.valid, i) ? (args[1]!.data[i] as string) : '';
        (this.keys[g] ??= []).push(args.slice(2, 2 + this.nOrder).map((o) => (ok(o.valid, i) ? val(o, i) : null)));
      }
    }
  }
  finish(ng: number): Vector[] {
    const out = new Array<unknown>(ng);
    for (let g = 0; g < ng; g++) {
      const vs = this.vals[g];
      if (!vs || vs.length === 0) { out[g] = null; continue; }
      if (this.agg.fn === 'listagg') {
        const idx = vs.map((_, i) => i);
        const order = this.agg.order ?? [];
        if (order.length) {
          const ks = this.keys[g]!;
          idx.sort((a, b) => {
            for (let k = 0; k < order.length; k++) {
              const x = ks[a]![k], y = ks[b]![k];
              const o = order[k]!;
              if (x === null || y === null) { if (x === y) continue; return (x === null) === o.nullsFirst ? -1 : 1; }
              const c = compareValues(x, y, o.expr.type);
              if (c !== 0) return o.desc ? -c : c;
            }
            return a - b;
          });
        }
        const s = idx.map((i) => vs[i] as string).join(this.delim[g] ?? '');
        if (Buffer.byteLength(s) > 65535) throw new SqlError(SqlState.stringDataRightTruncation, 'Result size exceeds LISTAGG limit');
        out[g] = s;
      } else {
        const sorted = [...vs].sort((a, b) => compareValues(a, b, this.agg.args[0]!.type));
        const m = sorted.length;
        if (this.agg.type.id === 'numeric') {
          const a = sorted[(m - 1) >> 1] as bigint, b = sorted[m >> 1] as bigint;
          const sa = this.agg.args[0]!.type.scale ?? 0, st = this.agg.type.scale ?? 0;
          const up = 10n ** BigInt(st - sa);
          out[g] = divRound((a + b) * up, 2n);
        } else out[g] = ((sorted[(m - 1) >> 1] as number) + (sorted[m >> 1] as number)) / 2;
      }
    }
    return [vectorFromValues(this.agg.type, out)];
  }
}

/** Feeds only the first occurrence of each (group, value) to the inner accumulator. */
class DistinctAcc implements Accumulator {
  seen = new Set<string>();
  constructor(private readonly inner: Accumulator) {}
  update(gids: Int32Array, args: Vector[], n: number): void {
    const keep: number[] = [];
    const v = args[0]!;
    for (let i = 0; i < n; i++) {
      if (!ok(v.valid, i)) continue;
      const k = `${gids[i]}\u0001${String(valueKey(val(v, i)))}`;
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      keep.push(i);
    }
    if (keep.length === 0) return;
    const sel = Int32Array.from(keep);
    const g2 = new Int32Array(keep.length);
    for (let j = 0; j < keep.length; j++) g2[j] = gids[keep[j]!]!;
    const picked = args.map((a) => gatherRows(a, sel));
    this.inner.update(g2, picked, keep.length);
  }
  finish(ng: number): Vector[] { return this.inner.finish(ng); }
}

function gatherRows(v: Vector, sel: Int32Array): Vector {
  const vals = Array.from(sel, (i) => (ok(v.valid, i) ? val(v, i) : null));
  return vectorFromValues(v.type, vals);
}

/** The accumulator for an aggregate call in a mode. */
export function makeAccumulator(a: PAgg, mode: 'single' | 'partial' | 'final'): Accumulator {
  let acc: Accumulator;
  switch (a.fn) {
    case 'count_star': acc = new CountAcc(true); break;
    case 'count': acc = new CountAcc(false); break;
    case 'sum_counts': acc = new SumAcc(T.int8, true); break;
    case 'sum': acc = new SumAcc(a.type); break;
    case 'min': acc = new MinMaxAcc(a.type, false); break;
    case 'max': acc = new MinMaxAcc(a.type, true); break;
    case 'any_value': acc = new AnyValueAcc(a.type, false); break;
    case 'avg': {
      const st = a.type.id === 'numeric' ? T.numeric(38, a.type.scale ?? 0) : a.type.id === 'int8' ? T.numeric(38, 0) : T.float8;
      acc = new AvgAcc(a.type, mode === 'partial', st);
      break;
    }
    case 'avg_final': acc = new AvgFinalAcc(a.type, a.args[0]!.type); break;
    case 'stddev_samp': case 'stddev_pop': case 'var_samp': case 'var_pop': acc = new VarAcc(a.fn, mode === 'partial' ? 'partial' : 'single'); break;
    case 'stddev_samp_final': case 'stddev_pop_final': case 'var_samp_final': case 'var_pop_final': acc = new VarAcc(a.fn, 'final'); break;
    case 'bool_and': acc = new BoolAcc(true); break;
    case 'bool_or': acc = new BoolAcc(false); break;
    case 'listagg': case 'median': acc = new CollectAcc(a, a.order?.length ?? 0); break;
    default: throw new SqlError(SqlState.featureNotSupported, `aggregate ${a.fn} is not supported`);
  }
  return a.distinct ? new DistinctAcc(acc) : acc;
}
