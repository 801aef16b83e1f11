// The scalar function catalog: for each SQL function or operator name, how the binder resolves
// argument types (which casts to insert, what it returns) and how the executor computes it over
// vectors. Operators are functions too ('add', 'eq', 'concat', 'like', ...).
import type { Vector } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import { formatType, isInteger, isNumeric, isString, T, type SqlType } from '../types/sql-type.js';
import { arith, negate, POW10, divRound, type ArithOp } from './arith.js';
import { commonType, numericResult, numRank } from './coerce.js';
import { compare, trimEnd, type CmpOp } from './compare.js';
import { mapRows, mapStrict } from './vec.js';
import { likeMatcher } from './like.js';
import { addMonths, civilFromDays } from '../types/datetime.js';

/** What resolution decided: cast each argument to `args[i]`, the result has type `ret`. */
export interface Resolved { args: SqlType[]; ret: SqlType }

/** Evaluation context a function may need (the statement's start time for GETDATE, ...). */
export interface FnContext {
  now: bigint; user: string; schema: string; database: string;
  /** The calling session, for catalog functions (host/functions/catalog-fns.ts sessionHandle); plain data so it crosses to workers. */
  session?: number;
}

export interface FunctionDef {
  /** Returns null when the argument types do not fit. */
  resolve(argTypes: SqlType[]): Resolved | null;
  eval(args: Vector[], n: number, ret: SqlType, ctx: FnContext): Vector;
  /** Volatile functions are not constant-folded (RANDOM, GETDATE is stable per statement). */
  volatile?: boolean;
}

const registry = new Map<string, FunctionDef>();

export function register(names: string | string[], def: FunctionDef): void {
  for (const n of Array.isArray(names) ? names : [names]) registry.set(n, def);
}

export function lookupFunction(name: string): FunctionDef | undefined { return registry.get(name); }

/**
 * Whether a volatile function (RANDOM) is called anywhere in `x`: an expression, a list of them, or
 * any object holding them (a plan node's own fields). Such an expression may give another value on
 * each evaluation, so it is never evaluated once for many rows or shared between uses.
 */
export function callsVolatile(x: unknown): boolean {
  if (Array.isArray(x)) return x.some(callsVolatile);
  if (x === null || typeof x !== 'object') return false;
  const o = x as { k?: unknown; name?: unknown };
  if (o.k === 'fn' && typeof o.name === 'string' && registry.get(o.name)?.volatile) return true;
  return Object.values(o).some(callsVolatile);
}

/** Resolves `name(args)` or throws 42883 as PostgreSQL words it. */
export function resolveFunction(name: string, argTypes: SqlType[], position?: number, display = name): Resolved {
  const def = registry.get(name);
  const r = def?.resolve(argTypes);
  if (!def || !r) {
    const sig = argTypes.map((t) => formatType(t)).join(', ');
    const opNames: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', mod: '%', eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=', concat: '||' };
    if (opNames[name] && argTypes.length === 2) {
      throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${formatType(argTypes[0]!)} ${opNames[name]} ${formatType(argTypes[1]!)}`,
        { ...(position !== undefined ? { position } : {}), hint: 'No operator matches the given name and argument type(s). You might need to add explicit type casts.' });
    }
    throw new SqlError(SqlState.undefinedFunction, `function ${display}(${sig}) does not exist`,
      { ...(position !== undefined ? { position } : {}), hint: 'No function matches the given name and argument types. You might need to add explicit type casts.' });
  }
  return r;
}

// ---- resolution helpers ----

function numericOperand(t: SqlType): boolean { return isNumeric(t) || t.id === 'unknown'; }

function unknownAs(t: SqlType, other: SqlType): SqlType {
  if (t.id !== 'unknown') return t;
  return other.id === 'unknown' ? T.numeric(18, 6) : other;
}

function arithResolve(op: ArithOp) {
  return (ts: SqlType[]): Resolved | null => {
    if (ts.length !== 2) return null;
    let [a, b] = ts as [SqlType, SqlType];
    if (!numericOperand(a) || !numericOperand(b)) return null;
    a = unknownAs(a, b); b = unknownAs(b, a);
    if (a.id === 'float8' || b.id === 'float8' || a.id === 'float4' || b.id === 'float4') {
      const t = a.id === 'float4' && b.id === 'float4' ? T.float4 : T.float8;
      return { args: [t, t], ret: t };
    }
    if (a.id === 'numeric' || b.id === 'numeric') {
      const r = numericResult(op, a, b);
      const ca = a.id === 'numeric' ? a : numericOf(a), cb = b.id === 'numeric' ? b : numericOf(b);
      return { args: [ca, cb], ret: r };
    }
    const t = numRank(a) >= numRank(b) ? a : b;
    const widened = t.id === 'int2' && (a.id !== 'int2' || b.id !== 'int2') ? T.int4 : t;
    return { args: [widened, widened], ret: widened };
  };
}

function numericOf(t: SqlType): SqlType {
  switch (t.id) {
    case 'int2': return T.numeric(5, 0);
    case 'int4': return T.numeric(10, 0);
    case 'int8': return T.numeric(19, 0);
    default: return t;
  }
}

const INTERVAL = T.interval;

for (const op of ['add', 'sub', 'mul', 'div', 'mod'] as ArithOp[]) {
  const numeric = arithResolve(op);
  register(op, {
    resolve(ts) {
      const r = numeric(ts);
      if (r) return r;
      if (ts.length !== 2) return null;
      return temporalArith(op, ts[0]!, ts[1]!);
    },
    eval(args, n, ret) {
      const [a, b] = args as [Vector, Vector];
      if (isNumeric(ret) && isNumeric(a.type) && isNumeric(b.type)) return arith(op, a, b, n, ret);
      return temporalEval(op, a, b, n, ret);
    },
  });
}

register('neg', {
  resolve(ts) { return ts.length === 1 && (numericOperand(ts[0]!) || ts[0]!.id === 'interval') ? { args: [unknownAs(ts[0]!, T.numeric(18, 6))], ret: unknownAs(ts[0]!, T.numeric(18, 6)) } : null; },
  eval(args, n) {
    if (args[0]!.type.id === 'interval') return mapStrict(args, n, INTERVAL, (v: any) => ({ months: -v.months, days: -v.days, micros: -v.micros }));
    return negate(args[0]!, n);
  },
});

// ---- date and time arithmetic (PostgreSQL's operators) ----
const MICROS_PER_DAY = 86400000000n;

function temporalArith(op: ArithOp, a: SqlType, b: SqlType): Resolved | null {
  const A = a.id, B = b.id;
  if (op === 'add') {
    if (A === 'date' && isInteger(b)) return { args: [a, T.int4], ret: T.date };
    if (isInteger(a) && B === 'date') return { args: [T.int4, b], ret: T.date };
    if (A === 'date' && (B === 'interval' || B === 'unknown')) return { args: [a, INTERVAL], ret: T.timestamp };
    if ((A === 'interval' || A === 'unknown') && B === 'date') return { args: [INTERVAL, b], ret: T.timestamp };
    if ((A === 'timestamp' || A === 'timestamptz') && (B === 'interval' || B === 'unknown')) return { args: [a, INTERVAL], ret: a };
    if ((A === 'interval' || A === 'unknown') && (B === 'timestamp' || B === 'timestamptz')) return { args: [INTERVAL, b], ret: b };
    if (A === 'interval' && B === 'interval') return { args: [a, b], ret: INTERVAL };
    if (A === 'date' && B === 'time') return { args: [a, b], ret: T.timestamp };
  }
  if (op === 'sub') {
    if (A === 'date' && isInteger(b)) return { args: [a, T.int4], ret: T.date };
    if (A === 'date' && B === 'date') return { args: [a, b], ret: T.int4 };
    if (A === 'date' && (B === 'interval' || B === 'unknown')) return { args: [a, INTERVAL], ret: T.timestamp };
    if ((A === 'timestamp' || A === 'timestamptz') && (B === 'interval' || B === 'unknown')) return { args: [a, INTERVAL], ret: a };
    if ((A === 'timestamp' || A === 'timestamptz' || A === 'date') && (B === 'timestamp' || B === 'timestamptz' || B === 'date')) {
      const t = A === 'timestamptz' || B === 'timestamptz' ? T.timestamptz : T.timestamp;
      return { args: [t, t], ret: INTERVAL };
    }
    if (A === 'interval' && B === 'interval') return { args: [a, b], ret: INTERVAL };
  }
  if ((op === 'mul' || op === 'div') && A === 'interval' && numericOperand(b)) return { args: [a, T.float8], ret: INTERVAL };
  if (op === 'mul' && numericOperand(a) && B === 'interval') return { args: [T.float8, b], ret: INTERVAL };
  return null;
}

interface IntervalV { months: number; days: number; micros: number }

/** Adds an interval to a timestamp in microseconds, PostgreSQL's way (months, then days, then time). */
export function addInterval(ts: bigint, iv: IntervalV, sign: 1 | -1): bigint {
  let t = ts;
  if (iv.months !== 0) t = addMonths(t, sign * iv.months);
  if (iv.days !== 0) t += BigInt(sign * iv.days) * MICROS_PER_DAY;
  if (iv.micros !== 0) t += BigInt(sign * iv.micros);
  return t;
}

/** [year, month, day] of a day number (a tuple view of civilFromDays for compact call sites). */
export function civil(days: number): [number, number, number] {
  const c = civilFromDays(days);
  return [c.year, c.month, c.day];
}

function temporalEval(op: ArithOp, a: Vector, b: Vector, n: number, ret: SqlType): Vector {
  const A = a.type.id, B = b.type.id;
  if (ret.id === 'date') {
    if (A === 'date') return mapStrict([a, b], n, ret, (d: number, k: number) => op === 'add' ? d + k : d - k);
    return mapStrict([a, b], n, ret, (k: number, d: number) => d + k);
  }
  if (A === 'date' && B === 'date') return mapStrict([a, b], n, ret, (x: number, y: number) => x - y);
  if (ret.id === 'interval' && A === 'interval' && B === 'interval') {
    const s = op === 'add' ? 1 : -1;
    return mapStrict([a, b], n, ret, (x: IntervalV, y: IntervalV) => ({ months: x.months + s * y.months, days: x.days + s * y.days, micros: x.micros + s * y.micros }));
  }
  if (ret.id === 'interval' && (op === 'mul' || op === 'div')) {
    const ivFirst = A === 'interval';
    return mapStrict([a, b], n, ret, (x: any, y: any) => {
      const iv: IntervalV = ivFirst ? x : y;
      const f: number = ivFirst ? y : x;
      const k = op === 'mul' ? f : 1 / f;
      if (op === 'div' && f === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
      const monthsF = iv.months * k;
      const months = Math.trunc(monthsF);
      const daysF = iv.days * k + (monthsF - months) * 30;
      const days = Math.trunc(daysF);
      const micros = Math.round(iv.micros * k + (daysF - days) * 86400e6);
      return { months, days, micros };
    });
  }
  if (ret.id === 'interval') {
    // timestamp - timestamp: PostgreSQL gives days and a time part, no months.
    return mapStrict([a, b], n, ret, (x: bigint, y: bigint) => {
      const diff = x - y;
      const days = diff / MICROS_PER_DAY;
      return { months: 0, days: Number(days), micros: Number(diff - days * MICROS_PER_DAY) };
    });
  }
  // timestamp +- interval (date operands were cast to timestamp by the binder unless date + interval)
  const toTs = (v: unknown, t: string): bigint => t === 'date' ? BigInt(v as number) * MICROS_PER_DAY : (v as bigint);
  if (A === 'interval') return mapStrict([a, b], n, ret, (iv: IntervalV, t: unknown) => addInterval(toTs(t, B), iv, 1));
  if (B === 'time') return mapStrict([a, b], n, ret, (d: number, t: bigint) => BigInt(d) * MICROS_PER_DAY + t);
  return mapStrict([a, b], n, ret, (t: unknown, iv: IntervalV) => addInterval(toTs(t, A), iv, op === 'add' ? 1 : -1));
}

// ---- comparison ----
for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as CmpOp[]) {
  register(op, {
    resolve(ts) {
      if (ts.length !== 2) return null;
      const c0 = commonType(ts[0]!, ts[1]!);
      if (!c0) return null;
      const c = c0.id === 'unknown' ? T.text : c0;
      if (c.id === 'bpchar' && ((ts[0]!.id !== 'bpchar' && ts[0]!.id !== 'unknown') || (ts[1]!.id !== 'bpchar' && ts[1]!.id !== 'unknown'))) return { args: [T.text, T.text], ret: T.bool };
      return { args: [c, c], ret: T.bool };
    },
    eval(args, n) { return compare(op, args[0]!, args[1]!, n); },
  });
}

// ---- strings ----
function anyToText(ts: SqlType[]): SqlType[] { return ts.map(() => T.text); }
const str = (t: SqlType) => isString(t) || t.id === 'unknown';

register('concat_op', {
  resolve(ts) {
    if (ts.length !== 2) return null;
    if (!str(ts[0]!) && !str(ts[1]!)) return null;
    return { args: anyToText(ts), ret: { id: 'varchar', length: -1 } };
  },
  eval(args, n, ret) {
    // bpchar operands lose trailing blanks when concatenated, as in PostgreSQL.
    const ta = args[0]!.type.id === 'bpchar', tb = args[1]!.type.id === 'bpchar';
    return mapStrict(args, n, ret, (a: string, b: string) => (ta ? trimEnd(a) : a) + (tb ? trimEnd(b) : b));
  },
});

register('concat', {
  resolve(ts) { return ts.length >= 1 ? { args: anyToText(ts), ret: { id: 'varchar', length: -1 } } : null; },
  // Redshift's CONCAT takes two arguments and is NULL when either is NULL (unlike PostgreSQL's).
  eval(args, n, ret) { return mapStrict(args, n, ret, (...v: string[]) => v.join('')); },
});

function strFn(names: string | string[], argc: number | [number, number], ret: SqlType, argTypes: (i: number) => SqlType, f: (...v: any[]) => unknown): void {
  register(names, {
    resolve(ts) {
      const [lo, hi] = typeof argc === 'number' ? [argc, argc] : argc;
      if (ts.length < lo || ts.length > hi) return null;
      const args = ts.map((_, i) => argTypes(i));
      for (let i = 0; i < ts.length; i++) if (isString(args[i]!) && !str(ts[i]!) && !isNumeric(ts[i]!) && !['date', 'timestamp', 'timestamptz', 'bool'].includes(ts[i]!.id)) return null;
      for (let i = 0; i < ts.length; i++) if (isInteger(args[i]!) && !(isInteger(ts[i]!) || ts[i]!.id === 'unknown' || ts[i]!.id === 'numeric')) return null;
      return { args, ret };
    },
    eval(args, n, r) { return mapStrict(args, n, r, f); },
  });
}

const VC: SqlType = { id: 'varchar', length: -1 };
const txt = () => T.text;
const txtInt = (...ints: number[]) => (i: number) => (ints.includes(i) ? T.int4 : T.text);

// LEN counts trailing blanks of VARCHAR but not of CHAR (Redshift "LEN function").
register(['length', 'len', 'char_length', 'character_length'], {
  resolve: (ts) => (ts.length === 1 && (str(ts[0]!) || isNumeric(ts[0]!) || ts[0]!.id === 'date') ? { args: [ts[0]!.id === 'bpchar' ? ts[0]! : T.text], ret: T.int4 } : null),
  eval: (args, n, ret) => { const ch = args[0]!.type.id === 'bpchar'; return mapStrict(args, n, ret, (s: string) => [...(ch ? trimEnd(s) : s)].length); },
});
strFn('octet_length', 1, T.int4, txt, (s: string) => Buffer.byteLength(s, 'utf8'));
strFn('lower', 1, VC, txt, (s: string) => s.toLowerCase());
strFn('upper', 1, VC, txt, (s: string) => s.toUpperCase());
strFn('initcap', 1, VC, txt, (s: string) => s.toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()));
strFn('reverse', 1, VC, txt, (s: string) => [...s].reverse().join(''));
strFn(['repeat', 'replicate'], 2, VC, txtInt(1), (s: string, k: number) => (k > 0 ? s.repeat(k) : ''));
strFn(['substring', 'substr'], [2, 3], VC, txtInt(1, 2), (s: string, start: number, len?: number) => {
  const chars = [...s];
  if (len !== undefined && len < 0) throw new SqlError(SqlState.invalidParameterValue, 'negative substring length not allowed');
  const from = start - 1;
  const to = len === undefined ? chars.length : from + len;
  return chars.slice(Math.max(0, from), Math.max(0, to)).join('');
});
strFn('left', 2, VC, txtInt(1), (s: string, k: number) => { const c = [...s]; return (k >= 0 ? c.slice(0, k) : c.slice(0, Math.max(0, c.length + k))).join(''); });
strFn('right', 2, VC, txtInt(1), (s: string, k: number) => { const c = [...s]; return (k >= 0 ? c.slice(Math.max(0, c.length - k)) : c.slice(-k)).join(''); });
function trimChars(s: string, chars: string, lead: boolean, trail: boolean): string {
  const set = new Set([...chars]);
  const c = [...s];
  let a = 0, b = c.length;
  if (lead) while (a < b && set.has(c[a]!)) a++;
  if (trail) while (b > a && set.has(c[b - 1]!)) b--;
  return c.slice(a, b).join('');
}
strFn(['btrim', 'trim'], [1, 2], VC, txt, (s: string, chars = ' ') => trimChars(s, chars, true, true));
strFn('ltrim', [1, 2], VC, txt, (s: string, chars = ' ') => trimChars(s, chars, true, false));
strFn('rtrim', [1, 2], VC, txt, (s: string, chars = ' ') => trimChars(s, chars, false, true));
strFn('replace', 3, VC, txt, (s: string, from: string, to: string) => (from === '' ? s : s.split(from).join(to)));
strFn('translate', 3, VC, txt, (s: string, from: string, to: string) => {
  const f = [...from], t = [...to];
  return [...s].map((ch) => { const i = f.indexOf(ch); return i < 0 ? ch : i < t.length ? t[i]! : ''; }).join('');
});
strFn(['strpos', 'position'], 2, T.int4, txt, (s: string, sub: string) => { const i = s.indexOf(sub); return i < 0 ? 0 : [...s.slice(0, i)].length + 1; });
strFn('charindex', 2, T.int4, txt, (sub: string, s: string) => { const i = s.indexOf(sub); return i < 0 ? 0 : [...s.slice(0, i)].length + 1; });
function pad(s: string, len: number, fill: string, left: boolean): string {
  const c = [...s];
  if (len <= 0) return '';
  if (c.length >= len) return c.slice(0, len).join('');
  if (fill === '') return s;
  const f = [...fill];
  const padChars: string[] = [];
  for (let i = 0; padChars.length < len - c.length; i++) padChars.push(f[i % f.length]!);
  return left ? padChars.join('') + s : s + padChars.join('');
}
strFn('lpad', [2, 3], VC, txtInt(1), (s: string, len: number, fill = ' ') => pad(s, len, fill, true));
strFn('rpad', [2, 3], VC, txtInt(1), (s: string, len: number, fill = ' ') => pad(s, len, fill, false));
strFn('split_part', 3, VC, txtInt(2), (s: string, delim: string, k: number) => {
  if (k <= 0) throw new SqlError(SqlState.invalidParameterValue, 'field position must be greater than zero');
  const parts = delim === '' ? [s] : s.split(delim);
  return parts[k - 1] ?? '';
});
strFn('md5', 1, VC, txt, (s: string) => md5(s));
strFn('ascii', 1, T.int4, txt, (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!));
strFn('chr', 1, VC, () => T.int4, (k: number) => String.fromCodePoint(k));
strFn('quote_ident', 1, VC, txt, (s: string) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`));
strFn('quote_literal', 1, VC, txt, (s: string) => `'${s.replace(/'/g, "''")}'`);

import { createHash } from 'node:crypto';
function md5(s: string): string { return createHash('md5').update(s, 'utf8').digest('hex'); }

register(['like', 'ilike', 'not_like', 'not_ilike'], {
  resolve(ts) {
    if (ts.length < 2 || ts.length > 3 || !str(ts[0]!) || !str(ts[1]!)) return null;
    return { args: ts.map(() => T.text), ret: T.bool };
  },
  eval() { throw new Error('like is evaluated by name'); },
});

export function evalLike(args: Vector[], n: number, ci: boolean, neg: boolean): Vector {
  // The pattern is nearly always the same for every row: reuse the last matcher before the cache.
  const cache = new Map<string, (s: string) => boolean>();
  let lastP: string | undefined, lastEsc: string | undefined, last: ((s: string) => boolean) | undefined;
  return mapStrict(args, n, T.bool, (s: string, p: string, esc?: string) => {
    if (p !== lastP || esc !== lastEsc || !last) {
      const key = p + '\u0000' + (esc ?? '\\');
      last = cache.get(key);
      if (!last) { last = likeMatcher(p, ci, esc ?? '\\'); cache.set(key, last); }
      lastP = p; lastEsc = esc;
    }
    return last(s) !== neg;
  });
}

// ---- conditionals and math ----
register(['nullif'], {
  resolve(ts) { if (ts.length !== 2) return null; const c = commonType(ts[0]!, ts[1]!); return c ? { args: [c, c], ret: c } : null; },
  eval(args, n, ret) {
    const eq = compare('eq', args[0]!, args[1]!, n);
    return mapRows([args[0]!, eq], n, ret, (v: unknown, e: boolean | null) => (e === true ? null : v));
  },
});

function mathFn(names: string | string[], argc: number, f: (...x: number[]) => number, check?: (...x: number[]) => void): void {
  register(names, {
    resolve(ts) { return ts.length === argc && ts.every(numericOperand) ? { args: ts.map(() => T.float8), ret: T.float8 } : null; },
    eval(args, n, ret) { return mapStrict(args, n, ret, (...x: number[]) => { check?.(...x); return f(...x); }); },
  });
}
const negLog = (x: number) => { if (x === 0) throw new SqlError('2201E', 'cannot take logarithm of zero'); if (x < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number'); };
mathFn('sqrt', 1, Math.sqrt, (x) => { if (x < 0) throw new SqlError('2201F', 'cannot take square root of a negative number'); });
mathFn('cbrt', 1, Math.cbrt);
mathFn(['ln', 'dlog1'], 1, Math.log, negLog);
mathFn(['log', 'dlog10'], 1, Math.log10, negLog);
mathFn(['exp', 'dexp'], 1, Math.exp);
mathFn(['power', 'pow'], 2, Math.pow);
mathFn('sin', 1, Math.sin); mathFn('cos', 1, Math.cos); mathFn('tan', 1, Math.tan);
mathFn('asin', 1, Math.asin); mathFn('acos', 1, Math.acos); mathFn('atan', 1, Math.atan); mathFn('atan2', 2, Math.atan2);
mathFn('degrees', 1, (x) => (x * 180) / Math.PI); mathFn('radians', 1, (x) => (x * Math.PI) / 180);
register('pi', { resolve: (ts) => (ts.length === 0 ? { args: [], ret: T.float8 } : null), eval: (_a, n, ret) => mapRows([], n, ret, () => Math.PI) });
register('random', { volatile: true, resolve: (ts) => (ts.length === 0 ? { args: [], ret: T.float8 } : null), eval: (_a, n, ret) => mapRows([], n, ret, () => Math.random()) });

/** Functions that keep the argument's type: ABS, CEIL, FLOOR, ROUND, TRUNC, SIGN. */
function sameTypeFn(name: string | string[], f: (v: unknown, t: SqlType, k?: number) => unknown, retOf: (t: SqlType, k: unknown) => SqlType = (t) => t, maxArgs = 1): void {
  register(name, {
    resolve(ts) {
      if (ts.length < 1 || ts.length > maxArgs || !numericOperand(ts[0]!)) return null;
      const t = ts[0]!.id === 'unknown' ? T.numeric(18, 6) : ts[0]!.id === 'int2' ? T.int4 : ts[0]!;
      return { args: ts.length === 2 ? [t, T.int4] : [t], ret: retOf(t, undefined) };
    },
    eval(args, n, ret) { return mapStrict(args, n, ret, (v: unknown, k?: number) => f(v, args[0]!.type, k)); },
  });
}
sameTypeFn('abs', (v, t) => (t.id === 'numeric' || t.id === 'int8' ? ((v as bigint) < 0n ? -(v as bigint) : v) : Math.abs(v as number)));
sameTypeFn('sign', (v, t) => (typeof v === 'bigint' ? (t.id === 'numeric' ? BigInt(v > 0n ? 1 : v < 0n ? -1 : 0) * POW10[t.scale ?? 0]! : BigInt(v > 0n ? 1 : v < 0n ? -1 : 0)) : Math.sign(v as number)));
function numericRound(v: bigint, scale: number, digits: number, mode: 'round' | 'trunc' | 'ceil' | 'floor'): bigint {
  if (digits >= scale) return v;
  const unit = POW10[scale - digits]!;
  let q: bigint;
  switch (mode) {
    case 'round': q = divRound(v, unit); break;
    case 'trunc': q = v / unit; break;
    case 'ceil': q = v / unit + (v % unit > 0n ? 1n : 0n); break;
    case 'floor': q = v / unit - (v % unit < 0n ? 1n : 0n); break;
  }
  return q * unit;
}
for (const [name, mode] of [['ceil', 'ceil'], ['ceiling', 'ceil'], ['floor', 'floor']] as const) {
  sameTypeFn(name, (v, t) => (t.id === 'numeric' ? numericRound(v as bigint, t.scale ?? 0, 0, mode) : typeof v === 'bigint' ? v : mode === 'ceil' ? Math.ceil(v as number) : Math.floor(v as number)));
}
for (const [name, mode] of [['round', 'round'], ['trunc', 'trunc']] as const) {
  register(name, {
    resolve(ts) {
      if (ts.length < 1 || ts.length > 2 || !numericOperand(ts[0]!)) return null;
      if (ts.length === 2 && !(isInteger(ts[1]!) || ts[1]!.id === 'unknown')) return null;
      const t = ts[0]!.id === 'unknown' ? T.numeric(18, 6) : ts[0]!.id === 'int2' ? T.int4 : ts[0]!;
      return { args: ts.length === 2 ? [t, T.int4] : [t], ret: t };
    },
    eval(args, n, ret) {
      const t = args[0]!.type;
      return mapStrict(args, n, ret, (v: unknown, k = 0) => {
        if (t.id === 'numeric') return numericRound(v as bigint, t.scale ?? 0, k, mode);
        if (typeof v === 'bigint') return v;
        const x = v as number;
        const m = 10 ** k;
        if (mode === 'trunc') return Math.trunc(x * m) / m;
        // PostgreSQL rounds float8 half to even (rint); numeric half away from zero.
        if (t.id === 'float8' || t.id === 'float4') { const y = x * m; const r = Math.round(y); return (Math.abs(y % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) / m; }
        return Math.round(x * m) / m;
      });
    },
  });
}
