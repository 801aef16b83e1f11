// Vectorized expression evaluation: a bound Expr over a Batch gives a Vector; predicates give a
// selection of row indices. Runs in slice workers and on the leader alike.
import { type Batch, type Vector, allValid, bitmapBytes, clearBit, getBit } from '../batch/vector.js';
import { sharedConstantVector } from '../batch/shared-constants.js';
import { evalPerWord } from './per-word.js';
import { internal } from '../common/errors.js';
import { castVector } from '../functions/cast.js';
import { compareValues, trimEnd } from '../functions/compare.js';
import { callsVolatile, evalLike, lookupFunction, type FnContext } from '../functions/index.js';
import { andValid, ok } from '../functions/vec.js';
import type { Expr } from '../plan/expr.js';
import { isString, T } from '../types/sql-type.js';
import { exactAt, wordsOf } from '../functions/i64-words.js';

/** Values computed before the plan runs: parameters and init-plan results. */
export interface EvalContext {
  params: readonly unknown[];
  /** Scalar init plan results by plan id (a single value, or null). */
  planValues: ReadonlyMap<number, unknown>;
  /** IN-subquery sets by plan id: keys are value keys, plus whether the set held a NULL. */
  planSets: ReadonlyMap<number, { keys: Set<unknown>; hasNull: boolean }>;
  fn: FnContext;
}

/** A key for a value so that equal SQL values map to equal JS Set keys. */
export function valueKey(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return v.replace(/ +$/, '');
  if (typeof v === 'number' && Object.is(v, -0)) return 0;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** Each IN set's int64 members below 2^53 (keys `${v}n`) as numbers, made once per set. */
const exactMembers = new WeakMap<Set<unknown>, Set<number>>();
const memberBitmaps = new WeakMap<Set<unknown>, { min: number; bits: Uint8Array } | null>();
/** Integer members spanning at most this many values get a byte table (16 MiB at most). */
const MEMBER_BITMAP_SPAN = 1 << 24;

/**
 * The members of an IN subquery's key set as a byte per value over [min, max], when every member
 * is an integer number (int2/int4 keys are themselves, host/exec/keys.ts valueKey) and the range is
 * narrow; else null. Computed once per set.
 */
function memberBitmapOf(keys: Set<unknown>): { min: number; bits: Uint8Array } | null {
  let out = memberBitmaps.get(keys);
  if (out !== undefined) return out;
  let min = Infinity, max = -Infinity;
  for (const k of keys) {
    if (typeof k !== 'number' || !Number.isInteger(k)) { min = NaN; break; }
    if (k < min) min = k;
    if (k > max) max = k;
  }
  out = null;
  if (min === min && keys.size > 0 && max - min < MEMBER_BITMAP_SPAN) {
    const bits = new Uint8Array(max - min + 1);
    for (const k of keys) bits[(k as number) - min] = 1;
    out = { min, bits };
  }
  memberBitmaps.set(keys, out);
  return out;
}

/**
 * `x [NOT] IN (members)` for int2/int4 rows through a member byte table: writes out[i] and returns
 * the validity (NULL for a NULL row, and for a miss when the members hold a NULL).
 */
function inByteTable(ints: Int32Array | Int16Array, rowValid: Uint8Array | null, n: number, table: { min: number; bits: Uint8Array }, neg: boolean, hasNull: boolean, out: Uint8Array): Uint8Array | null {
  const { min, bits } = table;
  const span = bits.length, hit = neg ? 0 : 1, miss = neg ? 1 : 0;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (rowValid !== null && ((rowValid[i >> 3]! >> (i & 7)) & 1) === 0) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
    const o = ints[i]! - min;
    if (o >= 0 && o < span && bits[o] === 1) out[i] = hit;
    else if (hasNull) { (valid ??= allValid(n)); clearBit(valid, i); }
    else out[i] = miss;
  }
  return valid;
}

/**
 * inByteTable for int8/numeric rows (their 32-bit word pairs): a row within 2^53 is looked up in the
 * table of the exact members; a larger one by its key in the full set, as before.
 */
function inInt64ByteTable(data: BigInt64Array, words: Int32Array, rowValid: Uint8Array | null, n: number, table: { min: number; bits: Uint8Array }, neg: boolean, set: { keys: Set<unknown>; hasNull: boolean }, out: Uint8Array): Uint8Array | null {
  const { min, bits } = table;
  const span = bits.length, hit = neg ? 0 : 1, miss = neg ? 1 : 0;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (rowValid !== null && ((rowValid[i >> 3]! >> (i & 7)) & 1) === 0) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
    const x = exactAt(words, i);
    const o = x - min;
    if (x === x ? o >= 0 && o < span && bits[o] === 1 : set.keys.has(valueKey(data[i]))) out[i] = hit;
    else if (set.hasNull) { (valid ??= allValid(n)); clearBit(valid, i); }
    else out[i] = miss;
  }
  return valid;
}

function exactMembersOf(keys: Set<unknown>): Set<number> {
  let out = exactMembers.get(keys);
  if (out !== undefined) return out;
  out = new Set();
  for (const k of keys) {
    if (typeof k !== 'string' || !/^-?\d+n$/.test(k)) continue;
    const v = BigInt(k.slice(0, -1));
    if (v <= 9007199254740991n && v >= -9007199254740991n) out.add(Number(v));
  }
  exactMembers.set(keys, out);
  return out;
}

/**
 * Vectors of expressions already computed over the current batch, so that an operator evaluating
 * several expressions over one batch computes a shared subexpression once (TPC-H Q1's
 * `l_extendedprice * (1 - l_discount)` appears in two sums). Calls are keyed by their structure;
 * volatile functions (RANDOM) are never shared. `clear()` before each batch.
 */
export class ExprMemo {
  private readonly keys = new WeakMap<Expr, string | null>();
  private readonly vals = new Map<string, Vector>();
  clear(): void { this.vals.clear(); }
  /** The structural key of a call or cast, or null when it must be evaluated every time. */
  keyOf(e: Expr): string | null {
    let k = this.keys.get(e);
    if (k === undefined) {
      k = callsVolatile(e) ? null : JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
      this.keys.set(e, k);
    }
    return k;
  }
  get(k: string): Vector | undefined { return this.vals.get(k); }
  set(k: string, v: Vector): void { this.vals.set(k, v); }
}

export function evalExpr(e: Expr, b: Batch, ctx: EvalContext, memo?: ExprMemo): Vector {
  if (memo !== undefined && (e.k === 'fn' || e.k === 'cast')) {
    const key = memo.keyOf(e);
    if (key !== null) {
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const v = evalNode(e, b, ctx, memo);
      memo.set(key, v);
      return v;
    }
  }
  return evalNode(e, b, ctx, memo);
}

function evalNode(e: Expr, b: Batch, ctx: EvalContext, memo: ExprMemo | undefined): Vector {
  const n = b.length;
  // An expression of one string column in dictionary form runs once per distinct word (per-word.ts).
  if (e.k !== 'col' && e.k !== 'const') {
    const perWord = evalPerWord(e, b, (x, words) => evalNode(x, words, ctx, undefined));
    if (perWord !== null) return perWord;
  }
  switch (e.k) {
    case 'col': {
      const v = b.columns[e.idx];
      if (!v) throw internal(`column ${e.idx} out of range`);
      return v;
    }
    // constants view one filled array per value (host/batch/shared-constants.ts): no array per batch
    case 'const': return sharedConstantVector(e.type, e.value, n);
    case 'param': return sharedConstantVector(e.type, ctx.params[e.idx] ?? null, n);
    case 'plan': return sharedConstantVector(e.type, ctx.planValues.get(e.plan) ?? null, n);
    case 'existsplan': return sharedConstantVector(T.bool, (ctx.planValues.get(e.plan) === true) !== e.neg, n);
    case 'ref': throw internal('unresolved column reference in a physical plan');
    case 'cast': return castVector(evalExpr(e.arg, b, ctx, memo), e.type, n, 'explicit');
    case 'fn': {
      if (e.name === 'like' || e.name === 'ilike' || e.name === 'not_like' || e.name === 'not_ilike') {
        const args = e.args.map((a) => evalExpr(a, b, ctx, memo));
        return evalLike(args, n, e.name.endsWith('ilike'), e.name.startsWith('not_'));
      }
      const def = lookupFunction(e.name);
      if (!def) throw internal(`function ${e.name} missing at run time`);
      if (e.name === 'coalesce') return evalCoalesce(e.args, b, ctx, e);
      const args = e.args.map((a) => evalExpr(a, b, ctx, memo));
      return def.eval(args, n, e.type, ctx.fn);
    }
    case 'and': case 'or': return evalBool(e.k, e.args, b, ctx);
    case 'not': {
      const a = evalExpr(e.arg, b, ctx);
      const out = new Uint8Array(n);
      const d = a.data as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = d[i] ? 0 : 1;
      return { type: T.bool, length: n, data: out, valid: a.valid };
    }
    case 'isnull': {
      const a = evalExpr(e.arg, b, ctx);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (ok(a.valid, i) ? 0 : 1) ^ (e.neg ? 1 : 0);
      return { type: T.bool, length: n, data: out, valid: null };
    }
    case 'case': return evalCase(e, b, ctx);
    case 'in': return evalIn(e, b, ctx);
    case 'inplan': {
      const a = evalExpr(e.arg, b, ctx);
      const set = ctx.planSets.get(e.plan);
      if (!set) throw internal(`IN subquery ${e.plan} was not computed`);
      const out = new Uint8Array(n);
      let valid: Uint8Array | null = null;
      // int8/numeric rows below 2^53 test their words against the members as numbers: no key string per row.
      const words = a.data instanceof BigInt64Array ? wordsOf(a.data) : null;
      const exact = words !== null ? exactMembersOf(set.keys) : null;
      const ints = a.data instanceof Int32Array || a.data instanceof Int16Array ? a.data : null;
      const bitmap = ints !== null ? memberBitmapOf(set.keys) : exact !== null ? memberBitmapOf(exact) : null;
      if (words !== null && bitmap !== null) {
        return { type: T.bool, length: n, data: out, valid: inInt64ByteTable(a.data as BigInt64Array, words, a.valid, n, bitmap, e.neg, set, out) };
      }
      if (ints !== null && bitmap !== null) {
        // int2/int4 rows against integer members of a narrow range: a byte per value, no hashing
        return { type: T.bool, length: n, data: out, valid: inByteTable(ints, a.valid, n, bitmap, e.neg, set.hasNull, out) };
      }
      for (let i = 0; i < n; i++) {
        if (!ok(a.valid, i)) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
        // int2/int4 rows are their own keys (valueKey gives a number itself); an int8 row's value (a
        // BigInt) is read only when its words are not exact.
        const x = words !== null ? exactAt(words, i) : ints !== null ? ints[i]! : NaN;
        if (x === x ? (words !== null ? exact!.has(x) : set.keys.has(x)) : set.keys.has(valueKey(a.type.id === 'bool' ? a.data[i] === 1 : a.data[i]))) out[i] = e.neg ? 0 : 1;
        else if (set.hasNull) { (valid ??= allValid(n)); clearBit(valid, i); }
        else out[i] = e.neg ? 1 : 0;
      }
      return { type: T.bool, length: n, data: out, valid };
    }
  }
}

/** Three-valued AND/OR with short-circuit per batch: later arguments see only undecided rows. */
function evalBool(kind: 'and' | 'or', args: Expr[], b: Batch, ctx: EvalContext): Vector {
  const n = b.length;
  const out = new Uint8Array(n).fill(kind === 'and' ? 1 : 0);
  let nulls: Uint8Array | null = null;
  for (const a of args) {
    const v = evalExpr(a, b, ctx);
    const d = v.data as Uint8Array;
    if (v.valid === null && nulls === null) {
      // no NULL on either side yet: plain two-valued logic, no branch per row
      if (kind === 'and') for (let i = 0; i < n; i++) out[i] = d[i] ? out[i]! : 0;
      else for (let i = 0; i < n; i++) out[i] = d[i] ? 1 : out[i]!;
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (!ok(v.valid, i)) { if ((kind === 'and' && out[i]) || (kind === 'or' && !out[i])) { (nulls ??= new Uint8Array(n))[i] = 1; } continue; }
      if (kind === 'and') { if (!d[i]) { out[i] = 0; if (nulls) nulls[i] = 0; } }
      else if (d[i]) { out[i] = 1; if (nulls) nulls[i] = 0; }
    }
  }
  let valid: Uint8Array | null = null;
  if (nulls) {
    for (let i = 0; i < n; i++) {
      if (nulls[i] && ((kind === 'and' && out[i]) || (kind === 'or' && !out[i]))) { (valid ??= allValid(n)); clearBit(valid, i); }
    }
  }
  return { type: T.bool, length: n, data: out, valid };
}

function evalCoalesce(args: Expr[], b: Batch, ctx: EvalContext, e: Expr): Vector {
  const def = lookupFunction('coalesce')!;
  return def.eval(args.map((a) => evalExpr(a, b, ctx)), b.length, e.type, ctx.fn);
}

function evalCase(e: Extract<Expr, { k: 'case' }>, b: Batch, ctx: EvalContext): Vector {
  const n = b.length;
  const chosen = new Int32Array(n).fill(-1);
  for (let w = 0; w < e.whens.length; w++) {
    const c = evalExpr(e.whens[w]!.when, b, ctx);
    const d = c.data as Uint8Array;
    for (let i = 0; i < n; i++) if (chosen[i] === -1 && d[i] && ok(c.valid, i)) chosen[i] = w;
  }
  const branches = e.whens.map((w) => evalExpr(w.then, b, ctx));
  const els = e.else ? evalExpr(e.else, b, ctx) : null;
  const outData = (branches[0]?.data as unknown as { constructor: new (n: number) => unknown }).constructor;
  const data = (Array.isArray(branches[0]!.data) || branches.some((x) => Array.isArray(x.data)) || (els && Array.isArray(els.data))) ? new Array<unknown>(n) : new (outData as new (n: number) => unknown[])(n);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const src = chosen[i]! >= 0 ? branches[chosen[i]!]! : els;
    if (!src || !ok(src.valid, i)) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
    (data as unknown[])[i] = src.data[i];
  }
  return { type: e.type, length: n, data: data as Vector['data'], valid };
}

function evalIn(e: Extract<Expr, { k: 'in' }>, b: Batch, ctx: EvalContext): Vector {
  const n = b.length;
  const a = evalExpr(e.arg, b, ctx);
  const constList = e.list.every((x) => x.k === 'const');
  const out = new Uint8Array(n);
  let valid: Uint8Array | null = null;
  if (constList) {
    const keys = new Set<unknown>();
    let hasNull = false;
    for (const x of e.list) {
      const v = (x as { value: unknown }).value;
      if (v === null) hasNull = true; else keys.add(valueKey(v));
    }
    // The membership test per row: strings and 32-bit integers look up their value directly (valueKey
    // gives a string its trimmed self and a number itself), other types go through valueKey.
    const d = a.data;
    const isIn: (i: number) => boolean = Array.isArray(d) && isString(a.type)
      ? (i) => { const x = d[i] as string; return keys.has(x.charCodeAt(x.length - 1) === 32 ? trimEnd(x) : x); }
      : d instanceof Int32Array || d instanceof Int16Array ? (i) => keys.has(d[i]!)
        : (i) => keys.has(valueKey(a.type.id === 'bool' ? d[i] === 1 : d[i]));
    const hit = e.neg ? 0 : 1, miss = e.neg ? 1 : 0;
    for (let i = 0; i < n; i++) {
      if (!ok(a.valid, i)) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
      if (isIn(i)) out[i] = hit;
      else if (hasNull) { (valid ??= allValid(n)); clearBit(valid, i); }
      else out[i] = miss;
    }
    return { type: T.bool, length: n, data: out, valid };
  }
  const items = e.list.map((x) => evalExpr(x, b, ctx));
  for (let i = 0; i < n; i++) {
    if (!ok(a.valid, i)) { (valid ??= allValid(n)); clearBit(valid, i); continue; }
    let found = false, sawNull = false;
    for (const it of items) {
      if (!ok(it.valid, i)) { sawNull = true; continue; }
      if (compareValues(a.data[i], it.data[i], a.type) === 0) { found = true; break; }
    }
    if (found) out[i] = e.neg ? 0 : 1;
    else if (sawNull) { (valid ??= allValid(n)); clearBit(valid, i); }
    else out[i] = e.neg ? 1 : 0;
  }
  return { type: T.bool, length: n, data: out, valid };
}

/** Rows where the predicate is true (not false, not NULL), as ascending indices. */
export function evalPredicate(e: Expr, b: Batch, ctx: EvalContext, into?: Int32Array): { sel: Int32Array; count: number } {
  const v = evalExpr(e, b, ctx);
  const n = b.length;
  // A caller's buffer (e.g. a kernel selection buffer in shared memory) spares a short-lived array per batch.
  const sel = into !== undefined && into.length >= n ? into : new Int32Array(n);
  let count = 0;
  const d = v.data as Uint8Array;
  if (v.valid === null) { for (let i = 0; i < n; i++) if (d[i]) sel[count++] = i; }
  else for (let i = 0; i < n; i++) if (d[i] && getBit(v.valid, i)) sel[count++] = i;
  return { sel, count };
}

