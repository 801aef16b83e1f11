// String predicates on UTF-8 bytes: a scan conjunct on one string column (LIKE / NOT LIKE with
// literal text and %, = and <> with a constant, [NOT] IN a list of constants, each optionally over
// substring(col, from, for) or a CHAR column cast to text) compiled to a test on a row's bytes in
// the chunk (host/storage/chunk.ts Utf8Column), so the scan filter never makes a JS string of a row
// it drops. host/exec/kernel-filter.ts runs it (a LIKE of literal pieces on the whole value by the
// str_like_pieces WASM kernel); anything it does not recognise is evaluated on decoded strings as before.
import type { Expr } from '../plan/expr.js';
import type { SqlType } from '../types/sql-type.js';
import type { Utf8Column } from '../storage/chunk.js';
import { literalLikePieces, type LiteralLikePattern } from '../functions/like.js';

/**
 * A compiled conjunct. A row passes when it is not NULL and `match` of its bytes differs from
 * `negate` (every recognised form is strict: NULL in, NULL out, so NOT keeps NULL rows out too).
 */
export interface BytePredicate {
  /** Whether the operand of row bytes u8[s, e) satisfies the positive form. */
  match: (u8: Uint8Array, s: number, e: number) => boolean;
  negate: boolean;
  /** Bytes every matching row contains: rows are found by one search over the whole column first. */
  needle: Uint8Array | null;
  /**
   * The same test as `match` when it is "the first `len` bytes are one of `keys`" (a short prefix
   * IN a list, TPC-H Q22's substring(c_phone, 1, 2)): each key packed little-endian in an int32,
   * tested without a call per row.
   */
  prefix?: { len: number; keys: Int32Array;
    /** For len <= 2: 1 at every packed key, over all packed values. */
    table: Uint8Array | null };
  /**
   * The same test as `match` when it is a LIKE of literal text and % on the whole value: its pieces (the first,
   * the middle ones, the last; docs/kernel-abi.md str_like_pieces) for the WASM kernel, which the filter runs
   * instead of `match` row by row.
   */
  pieces?: { bytes: Uint8Array; lens: Int32Array; trim: boolean };
}

const encoder = new TextEncoder();
const SPACE = 32;

function isStr(t: SqlType): boolean { return t.id === 'text' || t.id === 'varchar' || t.id === 'bpchar'; }

/** How a row's bytes become the operand's bytes: CHAR padding dropped, then a substring taken (code points from..to). */
interface Operand { col: number; trim: boolean; from: number; to: number }

/**
 * The operand when `e` is the column, a cast of it to unbounded text (a CHAR's padding is dropped,
 * PostgreSQL rtrim1 / host/functions/cast.ts), or substring(..., const, const) of one.
 */
function operandOf(e: Expr): Operand | null {
  if (e.k === 'col') return isStr(e.type) ? { col: e.idx, trim: false, from: 0, to: Infinity } : null;
  if (e.k === 'cast') {
    const inner = operandOf(e.arg);
    if (!inner || inner.from !== 0 || inner.to !== Infinity) return null;
    const unbounded = e.type.length === undefined || e.type.length < 0;
    if (!unbounded || !isStr(e.type)) return null;
    // bpchar -> bpchar keeps the padding; bpchar -> text/varchar drops it.
    return { ...inner, trim: inner.trim || (e.arg.type.id === 'bpchar' && e.type.id !== 'bpchar') };
  }
  if (e.k === 'fn' && (e.name === 'substring' || e.name === 'substr') && (e.args.length === 2 || e.args.length === 3)) {
    const inner = operandOf(e.args[0]!);
    const start = intConst(e.args[1]!);
    const len = e.args.length === 3 ? intConst(e.args[2]!) : Infinity;
    if (!inner || inner.from !== 0 || inner.to !== Infinity || start === null || len === null || len < 0) return null;
    // As host/functions/registry.ts substring: code points [start - 1, start - 1 + len), clipped at 0.
    const from = start - 1;
    return { ...inner, from: Math.max(0, from), to: Math.max(0, from + len) };
  }
  return null;
}

function intConst(e: Expr): number | null {
  return e.k === 'const' && typeof e.value === 'number' && Number.isInteger(e.value) ? e.value : null;
}

function strConst(e: Expr): string | null {
  return e.k === 'const' && typeof e.value === 'string' ? e.value : null;
}

/** The end of the code point that starts at byte i (UTF-8 continuation bytes are 10xxxxxx). */
function nextChar(u8: Uint8Array, i: number, e: number): number {
  i++;
  while (i < e && (u8[i]! & 0xc0) === 0x80) i++;
  return i;
}

/** Wraps a test on the operand's bytes into a test on the row's bytes. */
function onOperand(op: Operand, test: (u8: Uint8Array, s: number, e: number) => boolean): BytePredicate['match'] {
  const { trim, from, to } = op;
  const sub = from !== 0 || to !== Infinity;
  if (!trim && !sub) return test;
  return (u8, s, e) => {
    if (trim) while (e > s && u8[e - 1] === SPACE) e--;
    if (sub) {
      let i = s, k = 0;
      while (i < e && k < from) { i = nextChar(u8, i, e); k++; }
      const ss = i;
      while (i < e && k < to) { i = nextChar(u8, i, e); k++; }
      s = ss; e = i;
    }
    return test(u8, s, e);
  };
}

function bytesEqual(u8: Uint8Array, s: number, p: Uint8Array): boolean {
  for (let j = 0; j < p.length; j++) if (u8[s + j] !== p[j]) return false;
  return true;
}

/** Leftmost occurrence of p in u8[s, e), or -1. */
function indexIn(u8: Uint8Array, p: Uint8Array, s: number, e: number): number {
  const last = e - p.length;
  if (p.length === 0) return s <= e ? s : -1;
  const p0 = p[0]!;
  for (let i = s; i <= last; i++) if (u8[i] === p0 && bytesEqual(u8, i, p)) return i;
  return -1;
}

/** Trailing blanks are not significant when strings compare (host/functions/compare.ts compareValues). */
function trimmedBytes(s: string): Uint8Array {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === SPACE) e--;
  return encoder.encode(s.slice(0, e));
}

/** Whether the trimmed operand u8[s, e) equals one of `list` (trimmed constants). */
function equalsAny(list: Uint8Array[]): (u8: Uint8Array, s: number, e: number) => boolean {
  return (u8, s, e) => {
    while (e > s && u8[e - 1] === SPACE) e--;
    const n = e - s;
    for (const c of list) if (c.length === n && bytesEqual(u8, s, c)) return true;
    return false;
  };
}

/**
 * A LIKE pattern of literal text and % (host/functions/like.ts literalLikePieces) as a byte test: the
 * first piece anchored at the start, the last at the end, the middle ones found leftmost in order, as
 * likeMatcher does on strings; UTF-8 is self-synchronising, so byte matches are character matches.
 */
function likeBytes(lit: LiteralLikePattern): { test: (u8: Uint8Array, s: number, e: number) => boolean; needle: Uint8Array | null } {
  if (lit.exact) {
    const whole = encoder.encode(lit.first);
    return { test: (u8, s, e) => e - s === whole.length && bytesEqual(u8, s, whole), needle: null };
  }
  const first = encoder.encode(lit.first), last = encoder.encode(lit.last);
  const middle = lit.middle.map((p) => encoder.encode(p));
  const fixed = first.length + last.length;
  const needle = middle.length ? middle.reduce((a, b) => (b.length > a.length ? b : a)) : null;
  return {
    needle,
    test: (u8, s, e) => {
      if (e - s < fixed || !bytesEqual(u8, s, first) || !bytesEqual(u8, e - last.length, last)) return false;
      let at = s + first.length;
      const end = e - last.length;
      for (const m of middle) {
        const i = indexIn(u8, m, at, end);
        if (i < 0) return false;
        at = i + m.length;
      }
      return true;
    },
  };
}

function likePieces(list: string[], trim: boolean): NonNullable<BytePredicate['pieces']> {
  const parts = list.map((x) => encoder.encode(x));
  const bytes = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const b of parts) { bytes.set(b, at); at += b.length; }
  return { bytes, lens: Int32Array.from(parts, (b) => b.length), trim };
}

/** Compiles a conjunct reading one string column to a byte test, or null when it is not a recognised form. */
export function compileBytePredicate(e: Expr): BytePredicate | null {
  if (e.k === 'not') {
    const inner = compileBytePredicate(e.arg);
    return inner ? { ...inner, negate: !inner.negate } : null;
  }
  if (e.k === 'fn' && (e.name === 'like' || e.name === 'not_like') && (e.args.length === 2 || e.args.length === 3)) {
    const op = operandOf(e.args[0]!);
    const pattern = strConst(e.args[1]!);
    const escape = e.args.length === 3 ? strConst(e.args[2]!) : '\\';
    if (!op || pattern === null || escape === null) return null;
    // '_' counts characters and escapes quote: those patterns go through the string matcher.
    const lit = literalLikePieces(pattern, false, escape);
    if (lit === null) return null;
    const { test, needle } = likeBytes(lit);
    const pieces = !lit.exact && op.from === 0 && op.to === Infinity ? likePieces([lit.first, ...lit.middle, lit.last], op.trim) : null;
    return { match: onOperand(op, test), negate: e.name === 'not_like', needle, ...(pieces ? { pieces } : {}) };
  }
  if (e.k === 'fn' && (e.name === 'eq' || e.name === 'ne') && e.args.length === 2) {
    let [a, b] = e.args as [Expr, Expr];
    if (a.k === 'const') [a, b] = [b, a];
    const op = operandOf(a);
    const k = strConst(b);
    if (!op || k === null) return null;
    const prefix = prefixKeys(op, [trimmedBytes(k)]);
    return { match: onOperand(op, equalsAny([trimmedBytes(k)])), negate: e.name === 'ne', needle: null, ...(prefix ? { prefix } : {}) };
  }
  if (e.k === 'in') {
    const op = operandOf(e.arg);
    const list = e.list.map(strConst);
    // A NULL in the list makes a miss NULL rather than false: left to the general evaluator.
    if (!op || list.length === 0 || list.some((x) => x === null)) return null;
    const keys = list.map((x) => trimmedBytes(x!));
    const prefix = prefixKeys(op, keys);
    return { match: onOperand(op, equalsAny(keys)), negate: e.neg, needle: null, ...(prefix ? { prefix } : {}) };
  }
  return null;
}

/**
 * The packed keys when the operand is the first k <= 4 characters of the row (substring(col, 1, k),
 * CHAR padding dropped or not) and every constant is k ASCII bytes not ending in a blank: then the
 * operand equals a constant exactly when the row's first k bytes are its bytes (ASCII bytes are
 * whole characters, and a last byte that is not a blank survives the trimming of the row and of the
 * operand). Null when another form applies.
 */
function prefixKeys(op: Operand, keys: Uint8Array[]): BytePredicate['prefix'] | null {
  const len = op.to;
  if (op.from !== 0 || !(len >= 1 && len <= 4)) return null;
  const packed = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.length !== len || k[len - 1] === SPACE) return null;
    let v = 0;
    for (let j = 0; j < len; j++) {
      if (k[j]! >= 0x80) return null;
      v |= k[j]! << (8 * j);
    }
    packed[i] = v;
  }
  const table = len <= 2 ? new Uint8Array(len === 1 ? 256 : 65536) : null;
  if (table) for (const v of packed) table[v] = 1;
  return { len, keys: packed, table };
}

/** runBytePredicate for a `prefix` test: the first len bytes of each row packed and looked up. */
function runPrefix(p: NonNullable<BytePredicate['prefix']>, negate: boolean, col: Utf8Column, inSel: Int32Array | null, nSel: number, out: Int32Array): number {
  const { u8, offsets: offs, valid } = col;
  const base = col.bytes;
  const n = inSel ? nSel : col.rows;
  // one or two bytes: a table over every packed value; longer: the (short) list
  const { len, keys, table } = p;
  const nk = keys.length;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const r = inSel ? inSel[j]! : j;
    if (valid !== null && ((valid[r >> 3]! >> (r & 7)) & 1) === 0) continue;
    const s = base + offs[r]!;
    let m = false;
    if (base + offs[r + 1]! - s >= len) {
      let v = u8[s]!;
      if (len > 1) v |= u8[s + 1]! << 8;
      if (table) m = table[v] === 1;
      else {
        if (len > 2) v |= u8[s + 2]! << 16;
        if (len > 3) v |= u8[s + 3]! << 24;
        for (let i = 0; i < nk; i++) if (keys[i] === v) { m = true; break; }
      }
    }
    if (m !== negate) out[count++] = r;
  }
  return count;
}

/**
 * Rows whose bytes contain `needle`, found by searching the column's whole byte area at once
 * (Buffer.indexOf) rather than row by row; a hit that crosses into the next row does not count.
 */
function rowsContaining(col: Utf8Column, needle: Uint8Array): Uint8Array {
  const hits = new Uint8Array(col.rows);
  const offs = col.offsets;
  const total = offs[col.rows]! - offs[0]!;
  const area = Buffer.from(col.u8.buffer, col.u8.byteOffset + col.bytes + offs[0]!, total);
  const base = offs[0]!;
  let r = 0;
  let pos = area.indexOf(needle, 0);
  while (pos >= 0) {
    const at = pos + base;
    while (offs[r + 1]! <= at) r++;
    if (at + needle.length <= offs[r + 1]!) {
      hits[r] = 1;
      pos = area.indexOf(needle, offs[r + 1]! - base);
    } else pos = area.indexOf(needle, pos + 1);
  }
  return hits;
}

/**
 * Rows (of inSel[0..nSel), or all rows when inSel is null) passing a compiled predicate, written to
 * `out`; returns how many.
 */
export function runBytePredicate(p: BytePredicate, col: Utf8Column, inSel: Int32Array | null, nSel: number, out: Int32Array): number {
  if (p.prefix) return runPrefix(p.prefix, p.negate, col, inSel, nSel, out);
  const { u8, offsets: offs, valid } = col;
  const base = col.bytes;
  const n = inSel ? nSel : col.rows;
  // One search over the whole area pays off unless few rows are still candidates.
  const hits = p.needle && n * 8 > col.rows ? rowsContaining(col, p.needle) : null;
  const match = p.match, negate = p.negate;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const r = inSel ? inSel[j]! : j;
    if (valid !== null && ((valid[r >> 3]! >> (r & 7)) & 1) === 0) continue;
    const m = hits !== null && hits[r] === 0 ? false : match(u8, base + offs[r]!, base + offs[r + 1]!);
    if (m !== negate) out[count++] = r;
  }
  return count;
}
