// The plain text format of COPY (no ESCAPE, no REMOVEQUOTES, a one-byte delimiter) typed straight from a
// block's UTF-8 bytes into column vectors: integers, dates and numerics (as scaled int64 words) are parsed
// from the bytes, strings are sliced once, and no per-row field list, row array or BigInt is made. A row it
// cannot type with certainty (an unusual or bad field, a wrong field count, a NULL in a NOT NULL column)
// goes through RowBuilder exactly as before, in its place, so values, errors and STL_LOAD_ERRORS rows are
// the same. Sits in the slice worker between record-cuts.ts (blocks) and slice-chunk-sink.ts (chunks).
import { isUtf8 } from 'node:buffer';
import { bitmapBytes, vectorFromValues, type Batch, type Vector } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import type { CopyOptions } from '../front/copy-unload.js';
import { daysFromCivil, daysInMonth } from '../types/datetime.js';
import type { SqlType } from '../types/sql-type.js';
import { decodeUtf8 } from './decode.js';
import { LoadRowError } from './load-errors.js';
import type { InputParser } from './parse-input.js';
import type { LoadRecord } from './record.js';
import type { RowBuilder } from './row-builder.js';

/** Rows per batch the typer hands on. */
const BATCH_ROWS = 16384;
const LF = 0x0a, CR = 0x0d, MINUS = 0x2d, DOT = 0x2e, ZERO = 0x30;
const TWO_32 = 4294967296;
/** Decimal digits whose value (times 10^scale) is always exact in a double. */
const EXACT_DIGITS = 15;
/** Strings up to this many bytes are looked up in their column's StringIntern before one is made. */
const INTERN_MAX_BYTES = 32;
const INTERN_SLOTS = 1024;
/** After this many lookups a column whose values mostly miss (high cardinality) stops interning. */
const INTERN_TRIAL = 8192;
const NO_INVALID_LINES: ReadonlySet<number> = new Set();
const NOT_QUOTED: boolean[] = [];

/**
 * How a column's fields are typed: a byte parser for the common types, else `generic` (the field as a
 * string through RowBuilder.fieldValue, the same rules as the record path).
 */
type ColumnKind = 'int2' | 'int4' | 'int8' | 'numeric' | 'date' | 'varchar' | 'bpchar' | 'generic';

/** Buffer's own slicers: the string of bytes [a, b) without toString's argument checks. */
interface ByteSlicer { utf8Slice(a: number, b: number): string; latin1Slice(a: number, b: number): string }

/**
 * The strings recently made for a low-cardinality column (flags, modes, names), found by the FNV-1a hash of
 * their bytes in a direct-mapped table, so a repeated value is neither sliced again nor padded again: fewer
 * strings to collect, and one string per distinct value for the chunk dictionary's Map to hash.
 */
class StringIntern {
  private readonly keys: (Uint8Array | undefined)[] = new Array(INTERN_SLOTS);
  private readonly values: string[] = new Array(INTERN_SLOTS);
  private slot = 0;
  lookups = 0;
  misses = 0;

  /** The string remembered for bytes [a, b), or undefined (then `remember` files the new one in the same slot). */
  find(buf: Uint8Array, a: number, b: number): string | undefined {
    let h = 0x811c9dc5;
    for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
    this.slot = slot;
    this.lookups++;
    const k = this.keys[slot];
    if (k !== undefined && k.length === b - a) {
      let i = 0;
      while (i < k.length && k[i] === buf[a + i]) i++;
      if (i === k.length) return this.values[slot];
    }
    this.misses++;
    return undefined;
  }

  remember(buf: Uint8Array, a: number, b: number, value: string): void {
    this.keys[this.slot] = buf.slice(a, b);
    this.values[this.slot] = value;
  }

  /** Mostly misses after a trial: the column has too many distinct values to gain from it. */
  get useless(): boolean { return this.lookups >= INTERN_TRIAL && this.misses * 4 > this.lookups; }
}

/** Growing storage of one column for the current batch. */
interface ColumnSlot {
  kind: ColumnKind;
  type: SqlType;
  /** VARCHAR(n) bytes, CHAR(n) characters; -1 without a length. */
  length: number;
  /** NUMERIC: 10^scale and 10^precision (precision at most 18). */
  scale: number;
  pow: number;
  limit: number;
  notNull: boolean;
  i16: Int16Array;
  i32: Int32Array;
  /** int8/numeric values as little-endian (low, high) 32-bit words, viewed as a BigInt64Array when sealed. */
  words: Int32Array;
  strings: string[];
  /** varchar/bpchar: repeated short values reuse one string (null once it stops paying). */
  intern: StringIntern | null;
  values: unknown[];
  valid: Uint8Array;
  /** Some row of the batch was written NULL (the bitmap is kept only when one of them stays). */
  hasNull: boolean;
}

/** Whether a COPY's rows can go through TextTyper: the plain text format with every column given. */
export function textTyperEligible(o: CopyOptions, builder: RowBuilder): boolean {
  if (o.format !== 'TEXT' || o.escape || o.removeQuotes) return false;
  const delim = Buffer.from(o.delimiter ?? '|');
  if (delim.length !== 1 || delim[0]! >= 0x80 || delim[0] === LF || delim[0] === CR) return false;
  return builder.givesAllColumns;
}

/** A VARCHAR field's text. */
function utf8Text(buf: Buffer, a: number, b: number): string {
  return (buf as unknown as ByteSlicer).utf8Slice(a, b);
}

/** A CHAR(length) field blank-padded to its length, or undefined for non-ASCII bytes (the record path counts characters). */
function paddedAscii(buf: Buffer, a: number, b: number, length: number): string | undefined {
  for (let i = a; i < b; i++) if (buf[i]! >= 0x80) return undefined;
  const raw = (buf as unknown as ByteSlicer).latin1Slice(a, b);
  return length > b - a ? raw.padEnd(length) : raw;
}

export class TextTyper {
  private readonly cols: ColumnSlot[];
  private readonly delim: number;
  private readonly nullBytes: Buffer;
  private rows = 0;
  private readonly ready: Batch[] = [];
  /** Per row: where each field ends (the delimiter or line end), up to width + 1 fields. */
  private readonly ends: Int32Array;

  constructor(private readonly def: TableDef, private readonly o: CopyOptions, private readonly builder: RowBuilder, private readonly parse: InputParser) {
    this.delim = Buffer.from(o.delimiter ?? '|')[0]!;
    this.nullBytes = Buffer.from(builder.nullText);
    this.ends = new Int32Array(def.columns.length + 2);
    const charRules = !!(o.emptyAsNull || o.blanksAsNull || o.trimBlanks);
    this.cols = def.columns.map((c) => this.slot(c.type, !!c.notNull, charRules));
  }

  private slot(t: SqlType, notNull: boolean, charRules: boolean): ColumnSlot {
    let kind: ColumnKind = 'generic';
    switch (t.id) {
      case 'int2': case 'int4': case 'int8': kind = t.id; break;
      // NUMERIC(p, s) with p <= 18 is always an int64 (host/batch/vector.ts); wider ones may need a bigint[].
      case 'numeric': kind = (t.precision ?? 18) <= 18 ? 'numeric' : 'generic'; break;
      case 'date': kind = this.o.dateFormat ? 'generic' : 'date'; break;
      case 'varchar': case 'text': kind = charRules ? 'generic' : 'varchar'; break;
      case 'bpchar': kind = charRules ? 'generic' : 'bpchar'; break;
    }
    const precision = t.id === 'numeric' && t.precision !== undefined ? t.precision : 18;
    const scale = t.id === 'numeric' && t.precision !== undefined ? (t.scale ?? 0) : 0;
    const s: ColumnSlot = {
      kind, type: t, length: t.id === 'text' ? -1 : (t.length ?? -1), scale, pow: 10 ** scale, limit: 10 ** precision, notNull,
      i16: new Int16Array(0), i32: new Int32Array(0), words: new Int32Array(0), strings: [], values: [],
      intern: kind === 'varchar' || kind === 'bpchar' ? new StringIntern() : null, valid: new Uint8Array(0), hasNull: false,
    };
    this.fresh(s);
    return s;
  }

  /** New storage for the next batch (the sealed one's arrays now belong to its vectors). */
  private fresh(s: ColumnSlot): void {
    s.valid = new Uint8Array(bitmapBytes(BATCH_ROWS)).fill(0xff);
    s.hasNull = false;
    switch (s.kind) {
      case 'int2': s.i16 = new Int16Array(BATCH_ROWS); break;
      case 'int4': case 'date': s.i32 = new Int32Array(BATCH_ROWS); break;
      case 'int8': case 'numeric': s.words = new Int32Array(BATCH_ROWS * 2); break;
      case 'varchar': case 'bpchar': s.strings = new Array<string>(BATCH_ROWS); break;
      default: s.values = new Array<unknown>(BATCH_ROWS); break;
    }
  }

  /**
   * Types the rows of `bytes` (whole rows of file `fileName`); the first `skip` lines are a header; lines
   * count from the block's start, `lineBase` lines of the unit come before it (for bad rows' line numbers).
   * Throws as RowBuilder.add does past MAXERROR.
   */
  add(bytes: Uint8Array, fileName: string, skip: number, lineBase: number): void {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (!isUtf8(buf)) {
      // Some line is not UTF-8: the whole block takes the record path, which finds and reports (or replaces) it.
      const { text, invalidLines } = decodeUtf8(buf, this.o.acceptInvChars);
      this.viaRecords(this.parse(text), fileName, invalidLines, skip, lineBase);
      return;
    }
    const n = buf.length;
    let line = 0;
    for (let start = 0; start < n;) {
      let nl = buf.indexOf(LF, start);
      if (nl < 0) nl = n;
      line++;
      const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
      if (line > skip && end > start && !this.typeRow(buf, start, end)) {
        const raw = buf.toString('utf8', start, end);
        const rec: LoadRecord = { line, raw, fields: raw.split(String.fromCharCode(this.delim)), quoted: NOT_QUOTED };
        this.viaRecords([rec], fileName, NO_INVALID_LINES, skip, lineBase);
      }
      start = nl + 1;
    }
  }

  /** Rows the typer could not type, through RowBuilder in their place: the typed rows before them are sealed first. */
  private viaRecords(records: LoadRecord[], fileName: string, invalid: ReadonlySet<number>, skip: number, lineBase: number): void {
    this.seal();
    try {
      this.builder.add(records, fileName, invalid as Set<number>, skip, lineBase);
    } finally {
      if (this.builder.rowCount > 0) this.ready.push(this.builder.take());
    }
  }

  /** Types one row [start, end) of `buf` into row `this.rows`; false (nothing kept) when the record path must take it. */
  private typeRow(buf: Buffer, start: number, end: number): boolean {
    const width = this.cols.length;
    const ends = this.ends;
    const d = this.delim;
    let fields = 0;
    for (let i = start; i < end; i++) {
      if (buf[i] === d) {
        if (fields > width) return false;
        ends[fields++] = i;
      }
    }
    if (fields > width) return false;
    ends[fields++] = end;
    // dbgen's .tbl rows end with the delimiter: one empty trailing field is not a column.
    if (fields === width + 1 && ends[width - 1]! + 1 === end) fields = width;
    if (fields !== width) return false;
    const r = this.rows;
    let at = start;
    for (let c = 0; c < width; c++) {
      const e = ends[c]!;
      if (!this.typeField(this.cols[c]!, c, buf, at, e, r)) return false;
      at = e + 1;
    }
    if (++this.rows === BATCH_ROWS) this.seal();
    return true;
  }

  private typeField(s: ColumnSlot, c: number, buf: Buffer, a: number, b: number, r: number): boolean {
    const nb = this.nullBytes;
    if (b - a === nb.length && (nb.length === 0 || buf.compare(nb, 0, nb.length, a, b) === 0)) return this.setNull(s, r);
    switch (s.kind) {
      case 'int2': case 'int4': {
        if (a === b) return this.setNull(s, r);
        const v = smallInt(buf, a, b);
        if (v === undefined || (s.kind === 'int2' && (v < -32768 || v > 32767))) break;
        if (s.kind === 'int2') s.i16[r] = v; else s.i32[r] = v;
        return this.setValid(s, r);
      }
      case 'int8': case 'numeric': {
        if (a === b) return this.setNull(s, r);
        const v = s.kind === 'int8' ? exactInt(buf, a, b) : scaledDecimal(buf, a, b, s.scale, s.pow);
        if (v === undefined || (s.kind === 'numeric' && (v >= s.limit || v <= -s.limit))) break;
        const hi = Math.floor(v / TWO_32);
        s.words[2 * r] = v - hi * TWO_32;
        s.words[2 * r + 1] = hi;
        return this.setValid(s, r);
      }
      case 'date': {
        if (a === b) return this.setNull(s, r);
        const v = isoDate(buf, a, b);
        if (v === undefined) break;
        s.i32[r] = v;
        return this.setValid(s, r);
      }
      case 'varchar':
        // VARCHAR(n) counts bytes (Redshift "Character types"); a longer value takes the cast's rule (error or TRUNCATECOLUMNS).
        if (s.length >= 0 && b - a > s.length) break;
        if (this.putString(s, buf, a, b, r, utf8Text)) return true;
        break;
      case 'bpchar':
        // CHAR(n) holds its value blank-padded to n characters (castString); ASCII only, so bytes are characters.
        if (s.length >= 0 && b - a > s.length) break;
        if (this.putString(s, buf, a, b, r, paddedAscii)) return true;
        break;
      default: break;
    }
    return this.generic(s, c, buf.toString('utf8', a, b), r);
  }

  /**
   * Row r's string for bytes [a, b): the one the column made before for them when it interns them,
   * else `make`'s (then remembered); false, nothing stored, when `make` leaves the field to the record path.
   */
  private putString(s: ColumnSlot, buf: Buffer, a: number, b: number, r: number, make: (buf: Buffer, a: number, b: number, length: number) => string | undefined): boolean {
    const known = this.interned(s, buf, a, b);
    if (known !== undefined) { s.strings[r] = known; return this.setValid(s, r); }
    const text = make(buf, a, b, s.length);
    if (text === undefined) return false;
    if (s.intern !== null && b - a <= INTERN_MAX_BYTES) s.intern.remember(buf, a, b, text);
    s.strings[r] = text;
    return this.setValid(s, r);
  }

  /** The string a column made before for these bytes, when it interns them. */
  private interned(s: ColumnSlot, buf: Uint8Array, a: number, b: number): string | undefined {
    const intern = s.intern;
    if (intern === null || b - a > INTERN_MAX_BYTES) return undefined;
    const hit = intern.find(buf, a, b);
    if (hit === undefined && intern.useless) s.intern = null;
    return hit;
  }

  /** A field through RowBuilder's own rules; false when it is a bad field (the record path reports it). */
  private generic(s: ColumnSlot, c: number, text: string, r: number): boolean {
    let v: unknown;
    try { v = this.builder.fieldValue(text, c); } catch (e) {
      if (e instanceof LoadRowError) return false;
      throw e;
    }
    if (v === null) return this.setNull(s, r);
    switch (s.kind) {
      case 'int2': s.i16[r] = v as number; break;
      case 'int4': case 'date': s.i32[r] = v as number; break;
      case 'int8': case 'numeric': {
        const x = v as bigint;
        s.words[2 * r] = Number(BigInt.asIntN(32, x));
        s.words[2 * r + 1] = Number(BigInt.asIntN(32, x >> 32n));
        break;
      }
      case 'varchar': case 'bpchar': s.strings[r] = v as string; break;
      default: s.values[r] = v; break;
    }
    return this.setValid(s, r);
  }

  private setNull(s: ColumnSlot, r: number): boolean {
    if (s.notNull) return false;
    s.valid[r >> 3]! &= ~(1 << (r & 7));
    s.hasNull = true;
    switch (s.kind) {
      case 'varchar': case 'bpchar': s.strings[r] = ''; break;
      case 'generic': s.values[r] = null; break;
      case 'int2': s.i16[r] = 0; break;
      case 'int4': case 'date': s.i32[r] = 0; break;
      default: s.words[2 * r] = 0; s.words[2 * r + 1] = 0; break;
    }
    return true;
  }

  private setValid(s: ColumnSlot, r: number): boolean {
    if (s.hasNull) s.valid[r >> 3]! |= 1 << (r & 7);
    return true;
  }

  /** The typed rows so far become a batch (in `ready`). */
  private seal(): void {
    const n = this.rows;
    if (n === 0) return;
    this.ready.push({ columns: this.cols.map((s) => this.vectorOf(s, n)), length: n });
    this.rows = 0;
    for (const s of this.cols) this.fresh(s);
  }

  private vectorOf(s: ColumnSlot, n: number): Vector {
    if (s.kind === 'generic') return vectorFromValues(s.type, s.values.slice(0, n).map((v, i) => (validAt(s, i) ? v : null)));
    let valid: Uint8Array | null = null;
    if (s.hasNull) {
      for (let i = 0; i < n; i++) if (!validAt(s, i)) { valid = s.valid.subarray(0, bitmapBytes(n)); break; }
    }
    let data: Vector['data'];
    switch (s.kind) {
      case 'int2': data = s.i16.subarray(0, n); break;
      case 'int4': case 'date': data = s.i32.subarray(0, n); break;
      case 'int8': case 'numeric': data = new BigInt64Array(s.words.buffer, 0, n); break;
      default: data = n === BATCH_ROWS ? s.strings : s.strings.slice(0, n); break;
    }
    return { type: s.type, length: n, data, valid };
  }

  /** The batches typed so far (all rows when `all`, else only full batches and record-path rows), in input order. */
  take(all: boolean): Batch[] {
    if (all) this.seal();
    return this.ready.splice(0);
  }
}

function validAt(s: ColumnSlot, i: number): boolean { return ((s.valid[i >> 3]! >> (i & 7)) & 1) === 1; }

/** `-?\d{1,9}` as a number, else undefined (longer, signed with '+', blanks: the cast decides). */
function smallInt(buf: Buffer, a: number, b: number): number | undefined {
  const neg = buf[a] === MINUS;
  let i = neg ? a + 1 : a;
  if (i === b || b - i > 9) return undefined;
  let v = 0;
  for (; i < b; i++) {
    const x = buf[i]! - ZERO;
    if (x < 0 || x > 9) return undefined;
    v = v * 10 + x;
  }
  return neg ? -v : v;
}

/** `-?\d{1,15}` as an exact number, else undefined. */
function exactInt(buf: Buffer, a: number, b: number): number | undefined {
  const neg = buf[a] === MINUS;
  let i = neg ? a + 1 : a;
  if (i === b || b - i > EXACT_DIGITS) return undefined;
  let v = 0;
  for (; i < b; i++) {
    const x = buf[i]! - ZERO;
    if (x < 0 || x > 9) return undefined;
    v = v * 10 + x;
  }
  return neg ? -v : v;
}

/**
 * `-?\d+(\.\d*)?` times 10^scale when exact: at most `scale` fraction digits (more would round) and at
 * most 15 digits in all, else undefined (the cast then rounds, or reports the field).
 */
function scaledDecimal(buf: Buffer, a: number, b: number, scale: number, pow: number): number | undefined {
  const neg = buf[a] === MINUS;
  let i = neg ? a + 1 : a;
  let intPart = 0, digits = 0;
  for (; i < b; i++) {
    const x = buf[i]! - ZERO;
    if (x < 0 || x > 9) break;
    intPart = intPart * 10 + x;
    digits++;
  }
  if (digits === 0) return undefined;
  let frac = 0, fracDigits = 0;
  if (i < b) {
    if (buf[i] !== DOT) return undefined;
    for (i++; i < b; i++) {
      const x = buf[i]! - ZERO;
      if (x < 0 || x > 9) return undefined;
      frac = frac * 10 + x;
      fracDigits++;
    }
  }
  if (fracDigits > scale || digits + scale > EXACT_DIGITS) return undefined;
  const v = intPart * pow + frac * 10 ** (scale - fracDigits);
  return neg ? -v : v;
}

/** `YYYY-MM-DD` (year 1 to 9999, a real day) as days since 1970-01-01, else undefined. */
function isoDate(buf: Buffer, a: number, b: number): number | undefined {
  if (b - a !== 10 || buf[a + 4] !== MINUS || buf[a + 7] !== MINUS) return undefined;
  const y = digitsAt(buf, a, 4), m = digitsAt(buf, a + 5, 2), d = digitsAt(buf, a + 8, 2);
  if (y <= 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

/** The number `count` decimal digits at `at` spell, or -1. */
function digitsAt(buf: Buffer, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const x = buf[i]! - ZERO;
    if (x < 0 || x > 9) return -1;
    v = v * 10 + x;
  }
  return v;
}
