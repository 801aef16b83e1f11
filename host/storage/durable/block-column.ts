// Block file -> one column of a chunk in shared memory, without JS values: a block's RAW values section
// (after its codec, host/storage/encoding/) is already the chunk layout for fixed-width types (the lanes
// are copied in) and one step from it for strings (offsets + UTF-8 bytes, or a dictionary found by
// hashing the bytes). The read side of per-column residency (host/storage/chunk-store.ts, ADR 0020).
import { SqlError } from '../../common/errors.js';
import { physicalOf } from '../../types/sql-type.js';
import type { PageAllocator } from '../../wasm/memory.js';
import { encodeChunk, markRuns, runEndsOf, sharedInt32, type ColumnDesc } from '../chunk.js';
import { jsLaneDecoders, type LaneDecoders } from '../encoding/lane-decoders.js';
import { blockVector, openBlock, type BlockHeader, type OpenedBlock } from './block.js';

const WIDTH: Record<string, number> = { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };
const align8 = (n: number) => (n + 7) & ~7;

/** A column read from its block into one allocation of the shared memory. */
export interface LoadedColumn {
  desc: ColumnDesc;
  /** The allocation holding the column (freed as a whole when the column leaves memory). */
  base: number;
  rows: number;
}

/**
 * Reads a block file into a new allocation of `memory` in the chunk's in-memory layout
 * (host/storage/chunk.ts ColumnDesc): fixed-width lanes as they are, strings as a dictionary when few
 * distinct values (the rule encodeChunk uses: at most rows / 4 + 16) else as offsets + bytes; other
 * layouts (wide numerics, bytea, intervals) through their JS values. A RUNLENGTH block keeps its runs
 * on the column. A damaged block is XX001, as decodeBlock reports it.
 */
export function loadBlockColumn(bytes: Uint8Array, file: string, memory: WebAssembly.Memory, alloc: PageAllocator, lanes: LaneDecoders = jsLaneDecoders, coded = true): LoadedColumn {
  // A fixed-width column's allocation is made once the header is read, and its codec decodes into it.
  let fixed: { base: number; lanes: Uint8Array } | undefined;
  const lanesInto = (h: BlockHeader): Uint8Array | undefined => {
    const w = WIDTH[physicalOf(h.type)];
    if (w === undefined || !(h.rows >= 0)) return undefined;
    const base = alloc.alloc(Math.max(8, align8(h.rows * w) + (h.validBytes ? align8(h.validBytes) : 0)), 64);
    fixed = { base, lanes: new Uint8Array(memory.buffer, base, h.rows * w) };
    return fixed.lanes;
  };
  let block: OpenedBlock;
  try {
    block = openBlock(bytes, file, lanes, { coded, lanesInto });
  } catch (e) {
    if (fixed) alloc.free(fixed.base);
    throw e;
  }
  const h = block.header;
  const p = physicalOf(h.type);
  if (h.layout === 'fixed' && WIDTH[p] !== undefined) return fixedColumn(block, WIDTH[p]!, memory, alloc, fixed);
  if (fixed) alloc.free(fixed.base);
  if (h.layout === 'utf8' && p === 'str') return block.coded ? codedColumn(block, memory, alloc) : stringColumn(block, file, memory, alloc);
  if (block.coded) return loadBlockColumn(bytes, file, memory, alloc, lanes, false);
  const vector = blockVector(block, file);
  if (block.encoding === 'RUNLENGTH') markRuns(vector, runEndsOf(vector));
  const d = encodeChunk({ columns: [vector], length: h.rows }, memory, alloc, false);
  return { desc: d.cols[0]!, base: d.base, rows: h.rows };
}

function fixedColumn(block: OpenedBlock, w: number, memory: WebAssembly.Memory, alloc: PageAllocator, into?: { base: number; lanes: Uint8Array }): LoadedColumn {
  const rows = block.header.rows, valid = block.valid;
  const vb = align8(rows * w), validBytes = valid ? align8(valid.length) : 0;
  const base = into ? into.base : alloc.alloc(Math.max(8, vb + validBytes), 64);
  const u8 = new Uint8Array(memory.buffer);
  const lanes = block.section.subarray(0, rows * w);
  // A codec that decoded into the allocation left nothing to copy (RAW, LZO and ZSTD blocks did not).
  if (!(lanes.buffer === memory.buffer && lanes.byteOffset === base)) u8.set(lanes, base);
  if (valid) u8.set(valid, base + vb);
  const desc: ColumnDesc = { kind: 'fixed', values: base, valid: valid ? base + vb : 0 };
  if (block.encoding === 'RUNLENGTH' && rows > 0) desc.runs = runEnds(rows, valid, (a, b) => sameBytes(lanes, a * w, lanes, b * w, w));
  return { desc, base, rows };
}

/** Open-addressing table of a block's distinct strings (slots hold code + 1); kept between calls. */
let slots = new Int32Array(1 << 16);

function stringColumn(block: OpenedBlock, file: string, memory: WebAssembly.Memory, alloc: PageAllocator): LoadedColumn {
  const rows = block.header.rows, valid = block.valid, section = block.section;
  const head = (rows + 1) * 4;
  if (section.length < head) throw corrupt(file, 'offsets end early');
  // The offsets as an aligned array, rebased to the first row's start.
  const offs = new Int32Array(rows + 1);
  new Uint8Array(offs.buffer).set(section.subarray(0, head));
  const first = offs[0]!;
  for (let i = 0; i < rows; i++) if (offs[i + 1]! < offs[i]! || offs[i + 1]! < 0) throw corrupt(file, `bad offset at row ${i}`);
  if (first < 0 || head + offs[rows]! > section.length) throw corrupt(file, `bad offset at row ${rows - 1}`);
  const data = section.subarray(head + first, head + offs[rows]!);
  if (first !== 0) for (let i = 0; i <= rows; i++) offs[i]! -= first;
  return itemsColumn(data, offs, rows, valid, block.encoding === 'RUNLENGTH', memory, alloc);
}

/** Writes a dictionary column: per row codes into distinct words (given as views), and the validity. */
function dictColumn(codes: Int32Array, words: readonly Uint8Array[], rows: number, valid: Uint8Array | null, memory: WebAssembly.Memory, alloc: PageAllocator): { desc: ColumnDesc; base: number } {
  const n = words.length;
  const dictOffs = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) dictOffs[k + 1] = dictOffs[k]! + words[k]!.length;
  const validBytes = valid ? align8(valid.length) : 0;
  const cb = align8(rows * 4), ob = align8((n + 1) * 4), bb = align8(dictOffs[n]!);
  const base = alloc.alloc(Math.max(8, cb + ob + bb + validBytes), 64);
  const u8 = new Uint8Array(memory.buffer);
  new Int32Array(memory.buffer, base, rows).set(codes);
  new Int32Array(memory.buffer, base + cb, n + 1).set(dictOffs);
  for (let k = 0; k < n; k++) u8.set(words[k]!, base + cb + ob + dictOffs[k]!);
  if (valid) u8.set(valid, base + cb + ob + bb);
  return { desc: { kind: 'dict', codes: base, dictOffsets: base + cb, dictBytes: base + cb + ob, dictSize: n, valid: valid ? base + cb + ob + bb : 0 }, base };
}

/**
 * A string column from a BYTEDICT or RUNLENGTH block's codes into values, without an item per row:
 * the values deduplicated by their bytes, rows renumbered in first-seen order (as encodeChunk numbers a
 * dictionary); with more distinct values than encodeChunk keeps as a dictionary, offsets + bytes.
 */
function codedColumn(block: OpenedBlock, memory: WebAssembly.Memory, alloc: PageAllocator): LoadedColumn {
  const rows = block.header.rows, valid = block.valid;
  const { codes: refs, data, starts, ends } = block.coded!;
  // Values with the same bytes are one (RUNLENGTH repeats a value in several runs).
  const same = distinctItems(data, starts, ends, starts.length, Number.POSITIVE_INFINITY)!;
  const order = new Int32Array(same.firsts.length).fill(-1);
  const distinct: number[] = [];
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = same.codes[refs[i]!]!;
    let k = order[c]!;
    if (k < 0) { k = order[c] = distinct.length; distinct.push(same.firsts[c]!); }
    codes[i] = k;
  }
  const words = distinct.map((w) => data.subarray(starts[w]!, ends[w]!));
  if (distinct.length > rows / 4 + 16) {
    const offs = new Int32Array(rows + 1);
    for (let i = 0; i < rows; i++) offs[i + 1] = offs[i]! + words[codes[i]!]!.length;
    const bytes = new Uint8Array(offs[rows]!);
    for (let i = 0; i < rows; i++) bytes.set(words[codes[i]!]!, offs[i]!);
    return itemsColumn(bytes, offs, rows, valid, block.encoding === 'RUNLENGTH', memory, alloc);
  }
  const { desc, base } = dictColumn(codes, words, rows, valid, memory, alloc);
  if (block.encoding === 'RUNLENGTH' && rows > 0) desc.runs = runEnds(rows, valid, (a, b) => codes[a] === codes[b]);
  return { desc, base, rows };
}

/** A string column from its items as offsets (from 0) into `data`: a dictionary when few distinct, else offsets + bytes. */
function itemsColumn(data: Uint8Array, offs: Int32Array, rows: number, valid: Uint8Array | null, runLength: boolean, memory: WebAssembly.Memory, alloc: PageAllocator): LoadedColumn {
  const runs = runLength && rows > 0
    ? runEnds(rows, valid, (a, b) => offs[a + 1]! - offs[a]! === offs[b + 1]! - offs[b]! && sameBytes(data, offs[a]!, data, offs[b]!, offs[a + 1]! - offs[a]!))
    : undefined;
  const validBytes = valid ? align8(valid.length) : 0;
  const u8 = new Uint8Array(memory.buffer);
  // A dictionary when encodeChunk would make one: at most rows / 4 + 16 distinct strings.
  const dict = distinctItems(data, offs, offs.subarray(1), rows, rows / 4 + 16);
  let desc: ColumnDesc, base: number;
  if (dict) {
    ({ desc, base } = dictColumn(dict.codes, dict.firsts.map((w) => data.subarray(offs[w]!, offs[w + 1]!)), rows, valid, memory, alloc));
  } else {
    const ob = align8((rows + 1) * 4), bb = align8(data.length);
    base = alloc.alloc(Math.max(8, ob + bb + validBytes), 64);
    new Int32Array(memory.buffer, base, rows + 1).set(offs);
    u8.set(data, base + ob);
    if (valid) u8.set(valid, base + ob + bb);
    desc = { kind: 'utf8', offsets: base, bytes: base + ob, valid: valid ? base + ob + bb : 0 };
  }
  if (runs) desc.runs = runs;
  return { desc, base, rows };
}

/**
 * Codes of n items (item k is data[starts[k], ends[k])) among the distinct ones in first-seen order
 * (`firsts` holds the item of each one's first occurrence), or null once there are more than `most`
 * of them. Items are compared by their bytes, which is string equality.
 */
function distinctItems(data: Uint8Array, starts: ArrayLike<number>, ends: ArrayLike<number>, n: number, most: number): { codes: Int32Array; firsts: number[] } | null {
  let size = 1024;
  while (size < 2 * (Math.min(most, n) + 1)) size <<= 1;
  if (slots.length < size) slots = new Int32Array(size);
  const table = slots, mask = size - 1;
  table.fill(0, 0, size);
  const codes = new Int32Array(n);
  const firsts: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = starts[i]!, e = ends[i]!, len = e - s;
    let h = 0x811c9dc5 ^ len;
    for (let j = s; j < e; j++) h = Math.imul(h ^ data[j]!, 0x01000193);
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const k = table[slot]!;
      if (k === 0) {
        if (firsts.length + 1 > most) return null;
        firsts.push(i);
        table[slot] = firsts.length;
        codes[i] = firsts.length - 1;
        break;
      }
      const w = firsts[k - 1]!, ws = starts[w]!;
      if (ends[w]! - ws === len && sameBytes(data, ws, data, s, len)) { codes[i] = k - 1; break; }
      slot = (slot + 1) & mask;
    }
  }
  return { codes, firsts };
}

function sameBytes(a: Uint8Array, at: number, b: Uint8Array, bt: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (a[at + j] !== b[bt + j]) return false;
  return true;
}

/** The exclusive end row of each run of rows with equal validity and (for valid rows) `same` values, as runEndsOf finds them. */
function runEnds(rows: number, valid: Uint8Array | null, same: (a: number, b: number) => boolean): Int32Array {
  const ends: number[] = [];
  const ok = (i: number) => valid === null || ((valid[i >> 3]! >> (i & 7)) & 1) === 1;
  for (let i = 1; i <= rows; i++) {
    if (i === rows) { ends.push(rows); break; }
    const a = ok(i - 1), b = ok(i);
    if (a !== b || (a && !same(i - 1, i))) ends.push(i);
  }
  return sharedInt32(ends);
}

function corrupt(file: string, why: string): SqlError {
  return new SqlError('XX001', `invalid block in file "${file}": ${why}`);
}
