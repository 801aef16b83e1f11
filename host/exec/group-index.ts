// Dense group ids for hash aggregation (host/exec/hash-agg.ts): each GROUP BY column's values get
// dense per-column codes (fixed-width columns through an open-addressing table over their 32-bit
// words, other types through a Map of their equality keys), and the codes of several columns are
// combined pairwise through the same kind of table, so no per-row key string or BigInt is built;
// a string column in dictionary form is coded per distinct word, its rows through their word codes.
// Keys that are all fixed-width integers are numbered in WebAssembly instead, by a KeyTable (ADR 0028).
import { type Dictionary, type Vector, gatherVector } from '../batch/vector.js';
import { wordsOf } from '../functions/i64-words.js';
import { trimEnd } from '../functions/compare.js';
import { isString, physicalOf } from '../types/sql-type.js';
import { keyFunction, NULL_KEY } from './keys.js';
import type { KeyTable } from './key-table.js';
import { keepShape } from '../common/keep-shape.js';

/** Slots a table starts with once it hashes; it doubles whenever it is half full. */
const FIRST_SLOTS = 1024;

/** Codes per side below which a pair's id is cached in a dense SMALL_CODES^2 array (GroupIndex). */
const SMALL_CODES = 64;

/** Combinations of dictionary words below which GroupIndex ids whole rows by their words (assignByWords). */
const MAX_COMBOS = 4096;

/** Widest range of 32-bit key values a column codes through a direct array (4 MiB of codes). */
const DIRECT_SPAN = 1 << 20;

/** Ordered runs a table follows before it falls back to hashing. */
const MAX_RUNS = 16;

/**
 * Dense ids 0, 1, 2, ... in first-seen order for pairs of int32 words. While the pairs arrive as a
 * few runs in increasing order (a signed, then b unsigned), each run is merged against the earlier
 * ones instead of hashed: a cursor per earlier run (whose ids hold its pairs in increasing order)
 * only moves forward, so a pair is found there or known new in a step or two of sequential reads.
 * A column stored in key order (lineitem by l_orderkey, loaded from a few parts whose keys
 * interleave) so groups as a merge would. Past MAX_RUNS runs the open-addressing table is built
 * from the pairs kept by id, and hashing goes on from there.
 */
export class PairTable {
  size = 0;
  /** Each id's pair in ordered mode: a at 2*id, b at 2*id + 1 (the table is built from it). */
  private byId: Int32Array;
  /** Whether the pairs so far came in ordered runs (no table built yet). */
  private ordered = true;
  /** The pair looked up last in ordered mode, and its id (-1: none yet). */
  private lastA = 0;
  private lastB = 0;
  private lastId = -1;
  /** The id that began the current ordered run. */
  private runStart = 0;
  /** Earlier ordered runs: first id, end id (exclusive) and merge cursor, three numbers each. */
  private runs: number[] = [];
  /** The open-addressing table once hashing: each slot's pair and id (-1 = empty). */
  private ka: Int32Array = new Int32Array(0);
  private kb: Int32Array = new Int32Array(0);
  private ids: Int32Array = new Int32Array(0);
  private mask = 0;
  constructor(capacity = 64) {
    this.byId = new Int32Array(2 * Math.max(16, capacity));
  }
  /** The id of (a, b), a new one (= the previous size) when the pair was not seen before. */
  idOf(a: number, b: number): number {
    if (this.ordered) {
      if (this.lastId >= 0) {
        if (a === this.lastA && b === this.lastB) return this.lastId;
        if (pairBefore(a, b, this.lastA, this.lastB)) {
          if (this.runs.length < 3 * MAX_RUNS) this.startRun();
          else this.startHashing();
        }
      }
      if (this.ordered) {
        const id = this.runs.length ? this.mergedId(a, b) : this.append(a, b);
        this.lastA = a; this.lastB = b; this.lastId = id;
        return id;
      }
    }
    let slot = hashPair(a, b) & this.mask;
    const ids = this.ids, ka = this.ka, kb = this.kb;
    for (;;) {
      const id = ids[slot]!;
      if (id === -1) break;
      if (ka[slot] === a && kb[slot] === b) return id;
      slot = (slot + 1) & this.mask;
    }
    ka[slot] = a; kb[slot] = b; ids[slot] = this.size;
    const id = this.size++;
    if (this.size * 2 > this.mask) this.grow();
    return id;
  }
  /** Closes the current ordered run and rewinds every run's cursor for the next one. */
  private startRun(): void {
    const r = this.runs;
    r.push(this.runStart, this.size, this.runStart);
    for (let k = 0; k < r.length; k += 3) r[k + 2] = r[k]!;
    this.runStart = this.size;
  }
  /** Ordered mode past the first run: (a, b)'s id in an earlier run, else a new id. */
  private mergedId(a: number, b: number): number {
    const r = this.runs, byId = this.byId;
    for (let k = 0; k < r.length; k += 3) {
      const end = r[k + 1]!;
      let c = r[k + 2]!;
      if (c === end) continue;
      if (pairBefore(byId[2 * end - 2]!, byId[2 * end - 1]!, a, b)) { r[k + 2] = end; continue; }
      while (pairBefore(byId[2 * c]!, byId[2 * c + 1]!, a, b)) c++;
      r[k + 2] = c;
      if (byId[2 * c] === a && byId[2 * c + 1] === b) return c;
    }
    return this.append(a, b);
  }
  private append(a: number, b: number): number {
    const id = this.size++;
    if (2 * id + 2 > this.byId.length) {
      const next = new Int32Array(this.byId.length * 2);
      next.set(this.byId);
      this.byId = next;
    }
    this.byId[2 * id] = a;
    this.byId[2 * id + 1] = b;
    return id;
  }
  /** Leaves ordered mode: the table gets every pair so far, and the pairs by id are no longer kept. */
  private startHashing(): void {
    this.ordered = false;
    let cap = FIRST_SLOTS;
    while (cap < this.size * 4) cap *= 2;
    this.allocate(cap);
    const byId = this.byId;
    for (let id = 0; id < this.size; id++) this.place(byId[2 * id]!, byId[2 * id + 1]!, id);
    this.byId = new Int32Array(0);
    this.runs = [];
  }
  private allocate(cap: number): void {
    this.mask = cap - 1;
    this.ka = new Int32Array(cap);
    this.kb = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
  }
  /** Puts a pair known to be absent into the table. */
  private place(a: number, b: number, id: number): void {
    let slot = hashPair(a, b) & this.mask;
    while (this.ids[slot] !== -1) slot = (slot + 1) & this.mask;
    this.ka[slot] = a; this.kb[slot] = b; this.ids[slot] = id;
  }
  private grow(): void {
    const { ka, kb, ids } = this;
    this.allocate((this.mask + 1) * 2);
    for (let s = 0; s < ids.length; s++) if (ids[s] !== -1) this.place(ka[s]!, kb[s]!, ids[s]!);
  }
}

/** Whether (a1, b1) orders before (a2, b2): by a signed, then by b unsigned. */
function pairBefore(a1: number, b1: number, a2: number, b2: number): boolean {
  return a1 < a2 || (a1 === a2 && b1 >>> 0 < b2 >>> 0);
}

/** A 32-bit hash of a pair of words (multiplicative, high bits folded into the slot bits). */
function hashPair(a: number, b: number): number {
  const h = Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * Dense codes for one key column across batches; NULLs form one code of their own (GROUP BY puts
 * NULLs in one group). Equal SQL values get equal codes: 32-bit columns (int2/int4/date) and 64-bit
 * ones (int8/numeric/timestamp: every batch of a column has the same scale) compare by their words;
 * other types (strings, floats, bool, ...) by keys.ts's equality keys.
 */
export class ColumnCoder {
  size = 0;
  private words: PairTable | null = null;
  private map: Map<unknown, number> | null = null;
  /**
   * Codes of values with trailing blanks (CHAR columns), by the value as it came: trimming makes a new string
   * per row, whose hash the Map would compute again, where the padded string repeats as one object (a
   * joined-in nation name) and keeps its hash.
   */
  private padded: Map<string, number> | null = null;
  private nullCode = -1;
  /** Fixed at the first batch from the column's type, so every batch of the column codes alike. */
  private mode: 'i32' | 'i64' | 'key' | null = null;
  /** i64 mode: values past int64 (a bigint[] batch), by value. */
  private wide: Map<bigint, number> | null = null;
  private readonly one = new BigInt64Array(1);
  code(v: Vector, n: number, out: Int32Array): void {
    const valid = v.valid;
    if (this.mode === null) {
      const p = physicalOf(v.type);
      this.mode = p === 'i32' || p === 'i16' ? 'i32' : p === 'i64' ? 'i64' : 'key';
    }
    // A string column in dictionary form is never decoded: its data is read only past this point.
    if (v.dictionary !== undefined) { this.codeDictionary((this.map ??= new Map()), v.dictionary, valid, n, out); return; }
    const d = v.data;
    if (this.mode === 'i32') {
      const a = d as Int32Array | Int16Array;
      if (this.directOn && this.codeDirect(a, valid, n, out)) return;
      const t = (this.words ??= new PairTable());
      // Runs of one value (a column stored in key order, as lineitem by l_orderkey) skip the lookup.
      let last = 0, lastCode = -1;
      for (let i = 0; i < n; i++) {
        if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.nullId(); lastCode = -1; continue; }
        const x = a[i]!;
        if (x === last && lastCode >= 0) { out[i] = lastCode; continue; }
        last = x;
        lastCode = out[i] = this.fresh(t.idOf(x, 0));
      }
      return;
    }
    if (this.mode === 'i64') {
      const t = (this.words ??= new PairTable());
      if (d instanceof BigInt64Array) {
        const w = wordsOf(d);
        let lastLo = 0, lastHi = 0, lastCode = -1;
        for (let i = 0; i < n; i++) {
          if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.nullId(); lastCode = -1; continue; }
          const lo = w[2 * i]!, hi = w[2 * i + 1]!;
          if (lo === lastLo && hi === lastHi && lastCode >= 0) { out[i] = lastCode; continue; }
          lastLo = lo; lastHi = hi;
          lastCode = out[i] = this.fresh(t.idOf(hi, lo));
        }
        return;
      }
      // A batch holding values past int64 (bigint[]): those in range code by their words as above.
      const a = d as ArrayLike<bigint>, one = this.one, w1 = wordsOf(one);
      for (let i = 0; i < n; i++) {
        if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.nullId(); continue; }
        const x = BigInt(a[i]!);
        if (x === BigInt.asIntN(64, x)) { one[0] = x; out[i] = this.fresh(t.idOf(w1[1]!, w1[0]!)); continue; }
        const wide = (this.wide ??= new Map());
        let c = wide.get(x);
        if (c === undefined) { c = this.size++; wide.set(x, c); }
        out[i] = c;
      }
      return;
    }
    const m = (this.map ??= new Map());
    if (isString(v.type) && Array.isArray(d)) {
      // Strings compare without trailing blanks (keys.ts); runs of one value skip the lookup.
      const a = d as string[];
      let last: string | null = null, lastCode = -1;
      for (let i = 0; i < n; i++) {
        if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.keyCode(m, NULL_KEY); continue; }
        const x = a[i]!;
        if (x === last) { out[i] = lastCode; continue; }
        last = x;
        lastCode = out[i] = x.charCodeAt(x.length - 1) === 32 ? this.paddedCode(m, x) : this.keyCode(m, x);
      }
      return;
    }
    const keyOf = keyFunction([v], true);
    for (let i = 0; i < n; i++) {
      const k = keyOf(i);
      let c = m.get(k);
      if (c === undefined) { c = this.size++; m.set(k, c); }
      out[i] = c;
    }
  }
  /**
   * i32 mode while the values seen span few enough integers (customer keys 1..150,000): each value's
   * code at value - directBase (-1: not seen), one array read per row where the table would probe
   * three arrays and translate its id. Off for good once a batch would spread it too far.
   */
  private direct: Int32Array | null = null;
  private directBase = 0;
  private directOn = true;
  private rowsSeen = 0;
  private codeDirect(a: Int32Array | Int16Array, valid: Uint8Array | null, n: number, out: Int32Array): boolean {
    let min = 2147483647, max = -2147483648;
    for (let i = 0; i < n; i++) {
      if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const x = a[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.rowsSeen += n;
    let direct = this.direct;
    if (min <= max) {
      const base = direct === null ? min : Math.min(min, this.directBase);
      const top = direct === null ? max : Math.max(max, this.directBase + direct.length - 1);
      const span = top - base + 1;
      if (span > DIRECT_SPAN || span > Math.max(4096, 16 * this.rowsSeen)) { this.leaveDirect(); return false; }
      if (direct === null || span > direct.length) {
        const grown = new Int32Array(span).fill(-1);
        if (direct !== null) grown.set(direct, this.directBase - base);
        this.direct = direct = grown;
        this.directBase = base;
      }
    }
    const base = this.directBase;
    for (let i = 0; i < n; i++) {
      if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.nullId(); continue; }
      const slot = a[i]! - base;
      let c = direct![slot]!;
      if (c < 0) c = direct![slot] = this.size++;
      out[i] = c;
    }
    return true;
  }
  /** Moves the values coded so far into the pair table (their codes kept) and codes by the table from now on. */
  private leaveDirect(): void {
    this.directOn = false;
    const direct = this.direct;
    this.direct = null;
    if (direct === null) return;
    const t = (this.words ??= new PairTable());
    for (let s = 0; s < direct.length; s++) {
      const c = direct[s]!;
      if (c < 0) continue;
      const id = t.idOf(this.directBase + s, 0);
      if (id >= this.codeOfId.length) {
        const next = new Int32Array(Math.max(this.codeOfId.length * 2, id + 1));
        next.set(this.codeOfId);
        this.codeOfId = next;
      }
      this.codeOfId[id] = c;
    }
    this.translated = t.size;
  }
  /** Per words list of the dictionaries seen: each word's code, -1 until a row holds it. */
  private wordCodes: WeakMap<readonly string[], Int32Array> | null = null;
  /**
   * Codes a string column in dictionary form: each word is looked up once per words list (by its
   * equality key, as the string path does, so coded and plain batches of one column agree), each
   * row through the word's code.
   */
  private codeDictionary(m: Map<unknown, number>, dict: Dictionary, valid: Uint8Array | null, n: number, out: Int32Array): void {
    const { codes, words } = dict;
    const cache = (this.wordCodes ??= new WeakMap());
    let byWord = cache.get(words);
    if (byWord === undefined) { byWord = new Int32Array(words.length).fill(-1); cache.set(words, byWord); }
    for (let i = 0; i < n; i++) {
      if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { out[i] = this.keyCode(m, NULL_KEY); continue; }
      const w = codes[i]!;
      let c = byWord[w]!;
      if (c < 0) {
        const x = words[w]!;
        c = byWord[w] = this.keyCode(m, x.charCodeAt(x.length - 1) === 32 ? trimEnd(x) : x);
      }
      out[i] = c;
    }
  }
  /** The code of a string with trailing blanks: that of the string without them. */
  private paddedCode(m: Map<unknown, number>, x: string): number {
    const padded = (this.padded ??= new Map());
    let c = padded.get(x);
    if (c === undefined) {
      c = this.keyCode(m, trimEnd(x));
      padded.set(x, c);
    }
    return c;
  }

  private keyCode(m: Map<unknown, number>, k: unknown): number {
    let c = m.get(k);
    if (c === undefined) { c = this.size++; m.set(k, c); }
    return c;
  }
  /** This column's code for each table id (NULL's code shares the code space with the table's ids). */
  private codeOfId: Int32Array = new Int32Array(64);
  /** Table ids translated so far: the table hands out ids in order, so a new one equals this. */
  private translated = 0;
  private fresh(id: number): number {
    if (id === this.translated) {
      if (id >= this.codeOfId.length) {
        const next = new Int32Array(this.codeOfId.length * 2);
        next.set(this.codeOfId);
        this.codeOfId = next;
      }
      this.codeOfId[id] = this.size++;
      this.translated++;
    }
    return this.codeOfId[id]!;
  }
  private nullId(): number {
    if (this.nullCode === -1) this.nullCode = this.size++;
    return this.nullCode;
  }
}

/** Group ids over the GROUP BY columns of every batch of one aggregation, in first-seen order. */
export class GroupIndex {
  private readonly coders: ColumnCoder[];
  private readonly pairs: PairTable[];
  private codes: Int32Array = new Int32Array(0);
  /** Per pair table, a cache of its ids by a * SMALL_CODES + b while both sides have few codes. */
  private readonly dense: (Int32Array | undefined)[] = [];
  /**
   * The WebAssembly table numbering the keys while it takes every batch (null: the JS coders number them).
   * `keyTable`, when given, must be empty and typed as the keys; the index owns it from here (see `free`).
   */
  table: KeyTable | null;
  /**
   * Set when the index left its table (a batch it could not take): the key vectors of the groups the table
   * had numbered, in id order, which keep their ids in the JS coders (HashAggregation keeps them as keys).
   */
  replayed: Vector[] | null = null;
  constructor(keyCount: number, keyTable: KeyTable | null = null) {
    this.coders = Array.from({ length: keyCount }, () => new ColumnCoder());
    this.pairs = Array.from({ length: Math.max(0, keyCount - 1) }, () => new PairTable());
    this.table = keyTable;
  }
  /** Groups seen so far; ids are 0 .. count-1. */
  get count(): number {
    if (this.table !== null) return this.table.count;
    return this.pairs.length ? this.pairs[this.pairs.length - 1]!.size : this.coders[0]!.size;
  }
  /** Writes each row's group id to gids[0..n); a row whose id is >= the count before the call started a group. */
  assign(keys: Vector[], n: number, gids: Int32Array): void {
    if (this.table !== null) {
      if (this.table.assignVectors(keys, n, gids)) return;
      this.leaveTable();
    }
    if (keys.length > 1 && this.assignByWords(keys, n, gids)) return;
    this.assignRows(keys, n, gids);
  }
  /**
   * Moves numbering to the JS coders for good: the table's groups are numbered again in id order (each one new,
   * so each keeps its id) and their key vectors kept in `replayed`.
   */
  private leaveTable(): void {
    const t = this.table!;
    const keys = t.keyVectors(), ng = t.count;
    t.free();
    this.table = null;
    if (ng === 0) return;
    this.assignRows(keys, ng, new Int32Array(ng));
    this.replayed = keys;
  }
  /** Gives the table's shared memory back (idempotent; the index numbers nothing more through it). */
  free(): void {
    this.table?.free();
  }
  /** The words lists of the last all-dictionary batch, and its group id per combination of words (-1: unknown). */
  private comboWords: readonly (readonly string[])[] = [];
  private comboIds: Int32Array = new Int32Array(0);
  /**
   * Keys that are all dictionary codes without NULLs, whose words lists combine into at most
   * MAX_COMBOS combinations (TPC-H Q1's two flags), take their ids from a table indexed by the row's
   * combination of word codes: one pass over the rows instead of one per column plus the pairing.
   * A combination not seen yet gets its id from the row path, through its first row in the batch,
   * so ids stay in first-seen order. False (nothing done) when the keys do not qualify.
   */
  private assignByWords(keys: Vector[], n: number, gids: Int32Array): boolean {
    let combos = 1;
    for (const k of keys) {
      if (k.dictionary === undefined || k.valid !== null) return false;
      combos *= k.dictionary.words.length;
      if (combos > MAX_COMBOS) return false;
    }
    const same = this.comboWords.length === keys.length && keys.every((k, c) => k.dictionary!.words === this.comboWords[c]);
    if (!same) {
      this.comboWords = keys.map((k) => k.dictionary!.words);
      if (this.comboIds.length < combos) this.comboIds = new Int32Array(Math.max(combos, 64));
      this.comboIds.fill(-1);
    }
    const table = this.comboIds;
    const codes = keys.map((k) => k.dictionary!.codes);
    const sizes = keys.map((k) => k.dictionary!.words.length);
    // gids[i] takes the row's combination first; combinations without an id collect their first row.
    const c0 = codes[0]!;
    for (let i = 0; i < n; i++) gids[i] = c0[i]!;
    for (let c = 1; c < codes.length; c++) {
      const cc = codes[c]!, size = sizes[c]!;
      for (let i = 0; i < n; i++) gids[i] = gids[i]! * size + cc[i]!;
    }
    let firstRows: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const combo = gids[i]!;
      if (table[combo] === -1) { table[combo] = -2; (firstRows ??= []).push(i); }
    }
    if (firstRows !== null) {
      // New combinations through the row path, in row order: ids are handed out as rows would have.
      const sel = Int32Array.from(firstRows);
      const ids = new Int32Array(sel.length);
      this.assignRows(keys.map((k) => gatherVector(k, sel, sel.length)), sel.length, ids);
      for (let j = 0; j < sel.length; j++) table[gids[sel[j]!]!] = ids[j]!;
    }
    for (let i = 0; i < n; i++) gids[i] = table[gids[i]!]!;
    return true;
  }
  private assignRows(keys: Vector[], n: number, gids: Int32Array): void {
    this.coders[0]!.code(keys[0]!, n, gids);
    if (keys.length === 1) return;
    if (this.codes.length < n) this.codes = new Int32Array(n);
    const codes = this.codes;
    for (let c = 1; c < keys.length; c++) {
      const sizeA = c === 1 ? this.coders[0]!.size : this.pairs[c - 2]!.size;
      this.coders[c]!.code(keys[c]!, n, codes);
      const t = this.pairs[c - 1]!;
      if (sizeA <= SMALL_CODES && this.coders[c]!.size <= SMALL_CODES) {
        // Both sides have few codes (flags, statuses, dictionary words): a dense array indexed by the
        // pair caches the table's ids, so a row costs one array read instead of a table probe.
        const dense = (this.dense[c - 1] ??= new Int32Array(SMALL_CODES * SMALL_CODES).fill(-1));
        for (let i = 0; i < n; i++) {
          const slot = gids[i]! * SMALL_CODES + codes[i]!;
          let id = dense[slot]!;
          if (id < 0) id = dense[slot] = t.idOf(gids[i]!, codes[i]!);
          gids[i] = id;
        }
        continue;
      }
      let lastA = -1, lastB = -1, lastId = -1;
      for (let i = 0; i < n; i++) {
        const a = gids[i]!, b = codes[i]!;
        if (a === lastA && b === lastB) { gids[i] = lastId; continue; }
        lastA = a; lastB = b;
        lastId = gids[i] = t.idOf(a, b);
      }
    }
  }
}

// An idle pair table keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new PairTable(0));
