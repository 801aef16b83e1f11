// The hash join's table in WASM: equi-join keys are packed into u64 key rows in the shared memory
// (one word per key column: integers sign-extended, dates, scaled numerics, strings as codes of a
// dictionary built from the inner side; two keys of 32 bits or less share one word), hashed (hash_rows) and chained (join_build), with a bloom
// filter of the hashes (join_bloom_build); outer rows probe it in batches (join_probe,
// join_probe_exists), the bloom ruling out most rows of a selective join before their chains. host/exec/operators.ts runs the join around
// it and falls back to its JS Map when a key type has no word form here.
import { gatherVector, type Vector } from '../batch/vector.js';
import { internal, SqlError, SqlState } from '../common/errors.js';
import { trimEnd } from '../functions/compare.js';
import type { SqlType } from '../types/sql-type.js';
import { Arena, PageAllocator, views } from '../wasm/memory.js';
import type { KernelContext } from './kernel-filter.js';
import { keepShape } from '../common/keep-shape.js';

/** How one key column becomes a key word; both sides of the join use the same form. */
type WordForm = 'int' | 'date' | 'i64' | 'bool' | 'str';

/** Pairs emitted per join_probe call: the size of one output batch of the join. */
export const PROBE_PAIRS = 65536;

/** Bloom filter bits per table row (two bits set per row: about 1.4% false positives). */
const BLOOM_BITS_PER_ROW = 16;
/** The bloom's largest size in u64 words (8 MiB; the kernel's word index takes 20 hash bits). */
const BLOOM_MAX_WORDS = 1 << 20;
/**
 * After this many probe rows, a bloom that let more than BLOOM_KEEP_RATIO of them through is dropped:
 * when most rows match (a foreign key join), testing it costs more than the chains it saves.
 */
const BLOOM_TRIAL_ROWS = 65536;
const BLOOM_KEEP_RATIO = 0.5;

const INT_IDS = new Set(['int2', 'int4', 'int8']);
const I64_SAME_ID = new Set(['time', 'timestamp', 'timestamptz']);
const STR_IDS = new Set(['bpchar', 'varchar', 'text', 'name']);

/**
 * The word form of a key pair, or null when the pair has none (floats, intervals, numerics of
 * different scales...). Equal SQL values must give equal words: integers of any width compare by
 * value (so int4 = int8 works sign-extended), numerics only at one scale, strings by PostgreSQL's
 * bpchar rule (trailing blanks ignored, as host/exec/keys.ts does).
 */
function wordForm(l: SqlType, r: SqlType): WordForm | null {
  if (INT_IDS.has(l.id) && INT_IDS.has(r.id)) return 'int';
  if (l.id === 'date' && r.id === 'date') return 'date';
  if (l.id === 'numeric' && r.id === 'numeric' && (l.scale ?? 0) === (r.scale ?? 0)) return 'i64';
  if (I64_SAME_ID.has(l.id) && l.id === r.id) return 'i64';
  if (l.id === 'bool' && r.id === 'bool') return 'bool';
  if (STR_IDS.has(l.id) && STR_IDS.has(r.id)) return 'str';
  return null;
}

/** Key types whose words fit in 32 bits (dictionary codes for strings): two such keys share one u64 word. */
const NARROW_IDS = new Set(['int2', 'int4', 'date', 'bool', ...STR_IDS]);

/**
 * Whether a two-column key packs into one u64 word per row (first column in the high half): each column
 * is 32 bits wide or less on both sides. One word is a shorter key row and takes the kernels' one-word
 * path, which compares keys without loading the build row's hash (TPC-H Q9's (suppkey, partkey)).
 */
function packsInOneWord(forms: readonly WordForm[], l: readonly SqlType[], r: readonly SqlType[]): boolean {
  return forms.length === 2 && forms.every((f, i) => f !== 'i64' && NARROW_IDS.has(l[i]!.id) && NARROW_IDS.has(r[i]!.id));
}

/** The word forms of all key pairs, or null when one pair has none. */
export function joinWordForms(leftTypes: readonly SqlType[], rightTypes: readonly SqlType[]): WordForm[] | null {
  const forms: WordForm[] = [];
  for (let i = 0; i < leftTypes.length; i++) {
    const f = wordForm(leftTypes[i]!, rightTypes[i]!);
    if (f === null) return null;
    forms.push(f);
  }
  return forms.length > 0 ? forms : null;
}

const allocators = new WeakMap<WebAssembly.Memory, PageAllocator>();
/** The page allocator over a shared memory (attached once per memory and thread). */
export function allocatorOf(memory: WebAssembly.Memory): PageAllocator {
  let a = allocators.get(memory);
  if (a === undefined) { a = PageAllocator.attach(memory); allocators.set(memory, a); }
  return a;
}

const MIN_I64 = -0x8000000000000000n, MAX_I64 = 0x7fffffffffffffffn;

/**
 * Rows whose key can match nothing: a NULL in any key column (SQL equality is never true for
 * NULL) or a numeric beyond 64 bits (the inner side's numerics all fit, or the join fell back).
 * Returns the rows that can match, or null when all can.
 */
function matchableRows(keys: readonly Vector[], n: number): Int32Array | null {
  let bad: Uint8Array | null = null;
  for (const v of keys) {
    if (v.valid !== null) {
      const bits = v.valid;
      for (let i = 0; i < n; i++) if (((bits[i >> 3]! >> (i & 7)) & 1) === 0) (bad ??= new Uint8Array(n))[i] = 1;
    }
    if (Array.isArray(v.data)) {
      const d = v.data as unknown[];
      for (let i = 0; i < n; i++) {
        const x = d[i];
        if (typeof x === 'bigint' && (x < MIN_I64 || x > MAX_I64)) (bad ??= new Uint8Array(n))[i] = 1;
      }
    }
  }
  if (bad === null) return null;
  let count = 0;
  for (let i = 0; i < n; i++) if (bad[i] === 0) count++;
  const rows = new Int32Array(count);
  for (let i = 0, j = 0; i < n; i++) if (bad[i] === 0) rows[j++] = i;
  return rows;
}

/**
 * A built hash table over the inner side's keys. Build and probe scratch come from the shared
 * memory's page allocator; `free` gives it back (the operator calls it in a finally).
 */
/** Whether this thread keeps an idle KernelHashTable (host/common/keep-shape.ts). */
let shapeKept = false;

export class KernelHashTable {
  private readonly build: Arena;
  private readonly scratch: Arena;
  private bkeys = 0;
  private bhashes = 0;
  private heads = 0;
  private next = 0;
  private cap = 1;
  /** Bloom filter of the build hashes (0 once dropped) and its word mask. */
  private bloom = 0;
  private bmask = 0;
  /** Probe rows tested against the bloom so far, and how many it let through. */
  private bloomTested = 0;
  private bloomPassed = 0;
  /** Rows in the table (inner rows whose key can match). */
  private rows = 0;
  /** Table row -> inner row, when rows with NULL keys were left out. */
  private buildRows: Int32Array | null = null;
  /** String key columns: code of each distinct inner value (after trimming trailing blanks). */
  private readonly dicts: (Map<string, number> | null)[];
  /** u64 words per key row: one for a packed two-column key (packsInOneWord), else one per key column. */
  private readonly words: number;

  private constructor(private readonly kc: KernelContext, private readonly forms: WordForm[], private readonly packed: boolean) {
    this.words = packed ? 1 : forms.length;
    const pages = allocatorOf(kc.memory);
    this.build = new Arena(pages);
    this.scratch = new Arena(pages);
    this.dicts = forms.map((f) => (f === 'str' ? new Map<string, number>() : null));
  }

  /**
   * Builds the table over `keys` (the inner side's key vectors, n rows), or returns null when the
   * kernels cannot hold these keys (a key pair without a word form, or the shared memory is full)
   * so the caller uses its JS table.
   */
  static tryBuild(kc: KernelContext, keys: readonly Vector[], outerTypes: readonly SqlType[], n: number): KernelHashTable | null {
    const innerTypes = keys.map((k) => k.type);
    const forms = joinWordForms(outerTypes, innerTypes);
    if (forms === null) return null;
    // an idle table (it never allocates) keeps the class's hidden class alive between queries
    if (!shapeKept) { keepShape(new KernelHashTable(kc, [], false)); shapeKept = true; }
    const t = new KernelHashTable(kc, forms, packsInOneWord(forms, outerTypes, innerTypes));
    try {
      t.fill(keys, n);
      return t;
    } catch (e) {
      t.free();
      if (e instanceof SqlError && e.code === SqlState.outOfMemory) return null;
      throw e;
    }
  }

  private fill(keys: readonly Vector[], n: number): void {
    const rows = matchableRows(keys, n);
    const cols = rows === null ? keys : keys.map((v) => gatherVector(v, rows, rows.length));
    const m = rows === null ? n : rows.length;
    this.buildRows = rows;
    this.rows = m;
    let cap = 16;
    while (cap < m * 2) cap *= 2;
    this.cap = cap;
    const a = this.build;
    const width = this.words;
    this.bkeys = a.alloc(Math.max(1, m) * width * 8);
    this.bhashes = a.alloc(Math.max(1, m) * 8);
    this.heads = a.alloc(cap * 4);
    this.next = a.alloc(Math.max(1, m) * 4);
    this.pack(cols, m, this.bkeys, true);
    const k = this.kc.k;
    k.hash_rows(this.bkeys, width, m, this.bhashes);
    views(this.kc.memory).i32.fill(-1, this.heads >> 2, (this.heads >> 2) + cap);
    k.join_build(this.bkeys, width, this.bhashes, m, this.heads, cap, this.next);
    let words = 1;
    while (words < BLOOM_MAX_WORDS && words * 64 < m * BLOOM_BITS_PER_ROW) words *= 2;
    this.bloom = a.alloc(words * 8);
    this.bmask = words - 1;
    views(this.kc.memory).u8.fill(0, this.bloom, this.bloom + words * 8);
    k.join_bloom_build(this.bhashes, m, this.bloom, this.bmask);
  }

  /** Counts a probe's rows against the bloom and drops it once it has shown it lets most rows through. */
  private bloomSaw(tested: number, passed: number): void {
    if (this.bloom === 0) return;
    this.bloomTested += tested;
    this.bloomPassed += passed;
    if (this.bloomTested >= BLOOM_TRIAL_ROWS && this.bloomPassed > this.bloomTested * BLOOM_KEEP_RATIO) this.bloom = 0;
  }

  /** Writes the n key rows at `keys` from the key vectors (all rows matchable). */
  private pack(cols: readonly Vector[], n: number, keys: number, inner: boolean): void {
    if (this.packed) { this.packPair(cols, n, keys, inner); return; }
    const k = this.kc.k;
    const mem = this.kc.memory;
    const v = views(mem);
    const width = this.forms.length;
    for (let w = 0; w < width; w++) {
      const col = cols[w]!;
      const form = this.forms[w]!;
      let data = col.data as unknown;
      if (form === 'str') data = this.codes(col, n, w, inner);
      else if (form === 'bool') data = Int32Array.from((data as Uint8Array).subarray(0, n));
      else if (Array.isArray(data)) data = BigInt64Array.from((data as bigint[]).slice(0, n));
      const arr = data as Int16Array | Int32Array | BigInt64Array;
      let ptr: number;
      if (arr.buffer === mem.buffer) ptr = arr.byteOffset;
      else {
        ptr = this.scratch.alloc(Math.max(1, n) * arr.BYTES_PER_ELEMENT);
        const src = arr.length === n ? arr : arr.subarray(0, n);
        if (arr instanceof Int16Array) v.i16.set(src as Int16Array, ptr >> 1);
        else if (arr instanceof Int32Array) v.i32.set(src as Int32Array, ptr >> 2);
        else v.i64.set(src as BigInt64Array, ptr >> 3);
      }
      if (arr instanceof Int16Array) k.key_put_i16(ptr, n, keys, width, w);
      else if (arr instanceof Int32Array) k.key_put_i32(ptr, n, keys, width, w);
      else k.key_put_i64(ptr, n, keys, width, w);
    }
  }

  /** One word per row from a two-column key: the first column's 32 bits high, the second's low (little-endian halves). */
  private packPair(cols: readonly Vector[], n: number, keys: number, inner: boolean): void {
    const hi = this.narrowValues(cols[0]!, n, 0, inner), lo = this.narrowValues(cols[1]!, n, 1, inner);
    const i32 = views(this.kc.memory).i32;
    for (let i = 0, o = keys >> 2; i < n; i++, o += 2) { i32[o] = lo[i]!; i32[o + 1] = hi[i]!; }
  }

  /** A narrow key column's values as 32-bit integers: string codes, bools as 0/1, integers and dates as they are. */
  private narrowValues(col: Vector, n: number, w: number, inner: boolean): ArrayLike<number> {
    if (this.forms[w] === 'str') return this.codes(col, n, w, inner);
    const data = col.data as unknown;
    if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Uint8Array) return data;
    throw internal(`join key column ${w} is not 32 bits wide`);
  }

  /**
   * Dictionary codes of a string key column: new codes for inner values, -1 for outer values no
   * inner row has. A column in dictionary form (ADR 0017) is coded once per word of its words
   * list (remembered for the next batches cut from it), then per row by its codes: no string is
   * read or trimmed per row.
   */
  private codes(col: Vector, n: number, w: number, inner: boolean): Int32Array {
    const dict = this.dicts[w]!;
    const code = (s: string): number => {
      let c = dict.get(trimEnd(s));
      if (c === undefined) {
        if (inner) { c = dict.size; dict.set(trimEnd(s), c); } else c = -1;
      }
      return c;
    };
    const out = new Int32Array(n);
    const coded = col.dictionary;
    if (coded !== undefined) {
      const byWord = this.wordCodes(w, coded.words, code, inner);
      const src = coded.codes;
      for (let i = 0; i < n; i++) out[i] = byWord[src[i]!]!;
      return out;
    }
    const d = col.data as string[];
    for (let i = 0; i < n; i++) out[i] = code(d[i]!);
    return out;
  }

  /** Words lists already coded: for which key column and side (an outer side codes words no inner row has as -1). */
  private readonly codedWords = new Map<string[], { byWord: Int32Array; w: number; inner: boolean }>();

  /** The key code of each word of a dictionary's words list for key column w. */
  private wordCodes(w: number, words: string[], code: (s: string) => number, inner: boolean): Int32Array {
    const seen = this.codedWords.get(words);
    if (seen !== undefined && seen.w === w && seen.inner === inner) return seen.byWord;
    const byWord = new Int32Array(words.length);
    for (let k = 0; k < words.length; k++) byWord[k] = code(words[k]!);
    this.codedWords.set(words, { byWord, w, inner });
    return byWord;
  }

  /** Packs and hashes n outer rows' keys into scratch; returns the rows used (null: all) and the buffers. */
  private probeKeys(keys: readonly Vector[], n: number): { rows: Int32Array | null; m: number; pkeys: number; phashes: number } {
    this.scratch.reset();
    const rows = matchableRows(keys, n);
    const cols = rows === null ? keys : keys.map((v) => gatherVector(v, rows, rows.length));
    const m = rows === null ? n : rows.length;
    const width = this.words;
    const pkeys = this.scratch.alloc(Math.max(1, m) * width * 8);
    const phashes = this.scratch.alloc(Math.max(1, m) * 8);
    this.pack(cols, m, pkeys, false);
    this.kc.k.hash_rows(pkeys, width, m, phashes);
    return { rows, m, pkeys, phashes };
  }

  /**
   * The (outer row, inner row) pairs with equal keys among n outer rows, in chunks of at most
   * PROBE_PAIRS: outer rows ascending, inner rows ascending per outer row. A chunk's arrays view
   * this table's scratch in the shared memory (no copy per chunk): they are valid until the
   * generator resumes, so the caller uses (or copies) them before asking for the next chunk.
   */
  *probe(keys: readonly Vector[], n: number): Generator<{ outer: Int32Array; inner: Int32Array }> {
    if (this.rows === 0 || n === 0) return;
    const { rows, m, pkeys, phashes } = this.probeKeys(keys, n);
    if (m === 0) return;
    const maxOut = PROBE_PAIRS;
    const outP = this.scratch.alloc(maxOut * 4);
    const outB = this.scratch.alloc(maxOut * 4);
    const state = this.scratch.alloc(12);
    const i32 = views(this.kc.memory).i32;
    i32[state >> 2] = 0; i32[(state >> 2) + 1] = 0; i32[(state >> 2) + 2] = 0;
    const width = this.words;
    const k = this.kc.k;
    // one probe keeps or drops the bloom for all its calls (a resumed chain must see the same table)
    const bloom = this.bloom;
    for (;;) {
      const count = k.join_probe(pkeys, width, phashes, m, this.bkeys, this.bhashes, this.heads, this.cap, this.next, state, outP, outB, maxOut, bloom, this.bmask);
      if (count > 0) {
        const outer = i32.subarray(outP >> 2, (outP >> 2) + count);
        const inner = i32.subarray(outB >> 2, (outB >> 2) + count);
        if (rows !== null) for (let i = 0; i < count; i++) outer[i] = rows[outer[i]!]!;
        const br = this.buildRows;
        if (br !== null) for (let i = 0; i < count; i++) inner[i] = br[inner[i]!]!;
        yield { outer, inner };
      }
      if (i32[state >> 2]! >= m) {
        if (bloom !== 0) this.bloomSaw(m, i32[(state >> 2) + 2]!);
        return;
      }
    }
  }

  /** hit[i] = 1 when outer row i has an equal inner key (semi and anti joins without a residual). */
  probeExists(keys: readonly Vector[], n: number): Uint8Array {
    const hit = new Uint8Array(n);
    if (this.rows === 0 || n === 0) return hit;
    const { rows, m, pkeys, phashes } = this.probeKeys(keys, n);
    if (m === 0) return hit;
    const out = this.scratch.alloc(m);
    const bloom = this.bloom;
    const matched = this.kc.k.join_probe_exists(pkeys, this.words, phashes, m, this.bkeys, this.bhashes, this.heads, this.cap, this.next, out, bloom, this.bmask);
    // rows the bloom let through are not counted here: the matched rows stand in for them (fewer, by its false positives)
    if (bloom !== 0) this.bloomSaw(m, matched);
    const u8 = views(this.kc.memory).u8;
    if (rows === null) hit.set(u8.subarray(out, out + m));
    else for (let i = 0; i < m; i++) hit[rows[i]!] = u8[out + i]!;
    return hit;
  }

  /** Gives the table's and the probes' shared memory back. */
  free(): void {
    this.scratch.reset();
    this.build.reset();
  }
}
