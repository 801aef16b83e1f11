// The slice worker's side of a parallel COPY: takes units (a source, or a byte range of one) from a shared
// counter, reads each in blocks cut between rows (record-cuts.ts), decodes, parses and types the rows
// (parse-input.ts, row-builder.ts) and encodes them into chunks of the shared memory on their slices
// (slice-chunk-sink.ts). Returns chunk descriptors and bad rows; the leader merges (copy-parallel.ts).
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import { CopyState, PROGRESS_SLOTS, type CopyTask, type CopyTaskResult, type CopyUnit, type CopyUnitResult } from '../cluster/copy-task.js';
import { encodeChunk, type ChunkDesc } from '../storage/chunk.js';
import type { PageAllocator } from '../wasm/memory.js';
import { decodeUtf8, decompress } from './decode.js';
import { inputParser } from './parse-input.js';
import { countNewlines, lastRowEnd, rowCutting, rowStartAtOrAfter, splittable } from './record-cuts.js';
import { RowBuilder } from './row-builder.js';
import { SliceChunkSink } from './slice-chunk-sink.js';
import { openLocator, type LoadSource } from './sources.js';
import { TextTyper, textTyperEligible } from './text-typer.js';

/** Typed rows are handed to the slice sink at least this often. */
const HAND_ON_ROWS = 4096;
/** Bytes read from a file at once; blocks are parsed from this window (one read call per few MB, not per block). */
const READ_BYTES = 4 * 1024 * 1024;
/** Bytes before a range's start read to find its first row (an ESCAPE backslash run longer than this is not seen). */
const LOOK_BACK = 4096;

export async function runCopyTask(task: CopyTask, memory: WebAssembly.Memory, allocator: PageAllocator): Promise<CopyTaskResult> {
  const encoded: ChunkDesc[] = [];
  const units: CopyUnitResult[] = [];
  const o = task.options;
  const def = task.table as unknown as TableDef;
  // Bad rows are recorded by the leader, in file order: this engine stand-in keeps the worker's copies.
  const builder = new RowBuilder(def, task.columns, o, { engine: {}, ...task.who });
  const parseText = inputParser(o, builder.targetNames);
  const sink = new SliceChunkSink(task.style, task.distkey, task.slices, def.columns.map((c) => c.type), (b) => {
    const d = encodeChunk(b, memory, allocator);
    encoded.push(d);
    return d;
  }, task.worker);
  const { state, progress } = task;
  const slot = task.worker * PROGRESS_SLOTS;
  // The plain text format is typed from the bytes (text-typer.ts); other formats go through records.
  const typer = textTyperEligible(o, builder) ? new TextTyper(def, o, builder, parseText) : null;
  let rows = 0;
  const handOn = (force: boolean): void => {
    if (typer) {
      for (const b of typer.take(force)) { sink.add(b); rows += b.length; }
      progress[slot + 1] = rows;
      return;
    }
    if (builder.rowCount === 0 || (!force && builder.rowCount < HAND_ON_ROWS)) return;
    const n = builder.rowCount;
    sink.add(builder.take());
    rows += n;
    progress[slot + 1] = rows;
  };
  const stopped = (): boolean => Atomics.load(state, CopyState.stop) !== 0 || Atomics.load(task.cancel, 0) !== 0;
  try {
    for (;;) {
      if (stopped()) break;
      const k = Atomics.add(state, CopyState.next, 1);
      if (k >= task.units.length) break;
      const unit = task.units[k]!;
      const errorsBefore = builder.errors.length;
      const r: CopyUnitResult = { unit: k, lines: 0, errors: [], complete: false };
      units.push(r);
      const piece = (bytes: Uint8Array, atFileStart: boolean, parse: boolean): void => {
        if (!parse) { r.lines += countNewlines(bytes); progress[slot] = progress[slot]! + bytes.length; return; }
        const seen = builder.errors.length;
        const skip = atFileStart ? (o.ignoreHeader ?? 0) : 0;
        try {
          if (typer) typer.add(bytes, unit.name, skip, r.lines);
          else {
            const { text, invalidLines } = decodeUtf8(bytes, o.acceptInvChars);
            builder.add(parseText(text), unit.name, invalidLines, skip, r.lines);
          }
        } finally {
          const found = builder.errors.length - seen;
          if (found > 0 && Atomics.add(state, CopyState.errors, found) + found > builder.maxErrors) Atomics.store(state, CopyState.stop, 1);
        }
        r.lines += countNewlines(bytes);
        progress[slot] = progress[slot]! + bytes.length;
        handOn(false);
      };
      try {
        // Once the COPY has failed, a unit stops typing rows after its first bad row (a later one cannot be
        // the first) and only counts the lines of the rest.
        await readUnit(unit, o, task.blockBytes, piece, () => stopped() && builder.errors.length > errorsBefore, task.cancel);
        r.complete = true;
      } catch (e) {
        // More bad rows than MAXERROR in this worker alone: the COPY fails; the leader names the first.
        if (!(e instanceof SqlError && e.code === SqlState.internalError && builder.errors.length > builder.maxErrors)) throw e;
        Atomics.store(state, CopyState.stop, 1);
      }
      r.errors = builder.errors.slice(errorsBefore);
    }
    handOn(true);
    const chunks = sink.finish();
    return { chunks, rows, units };
  } catch (e) {
    Atomics.store(state, CopyState.stop, 1);
    for (const d of encoded) allocator.free(d.base);
    return { chunks: [], rows: 0, units, error: SqlError.fromUnknown(e).toJSON() };
  }
}

/**
 * Feeds the rows of `unit` to `piece` in blocks cut between rows, each with whether it starts the file.
 * Once `giveUp` says so, the rest of the unit is only counted (`piece` gets `parse` false): its rows are not
 * typed, but its lines are known, so the bad rows of the units after it keep exact file line numbers.
 */
async function readUnit(unit: CopyUnit, o: CopyOptions, blockBytes: number, piece: (bytes: Uint8Array, atFileStart: boolean, parse: boolean) => void, giveUp: () => boolean, cancel: Int32Array): Promise<void> {
  const cutting = rowCutting(o);
  let src: LoadSource = openLocator(unit.source);
  let size = src.size ?? 0;
  if (unit.compressed) {
    // A compressed source is one unit, inflated whole (its rows cannot be found without inflating what precedes them).
    const inflated = decompress(await src.read(), o.compression, unit.name);
    size = inflated.length;
    src = { name: unit.name, size, read: async (a = 0, b = size) => inflated.subarray(a, Math.min(b, size)) };
  }
  const read = windowed(src, size);
  const end = unit.whole ? size : Math.min(unit.end, size);
  let pos = unit.start;
  if (!unit.whole && pos > 0) {
    // The unit's first row starts at the first row boundary at or after `start`.
    const back = Math.min(pos, LOOK_BACK);
    let want = blockBytes;
    for (;;) {
      const buf = await read(pos - back, Math.min(size, pos + want));
      const at = rowStartAtOrAfter(cutting, buf, back);
      if (at >= 0) { pos = pos - back + at; break; }
      if (pos + want >= size) return;
      want *= 2;
    }
  }
  const step = cutting.kind === 'whole' ? Number.POSITIVE_INFINITY : blockBytes;
  let want = step;
  while (pos < end) {
    if (Atomics.load(cancel, 0) !== 0) throw new SqlError(SqlState.queryCanceled, Atomics.load(cancel, 0) === 2 ? 'canceling statement due to statement timeout' : 'canceling statement due to user request');
    const parse = !giveUp();
    const hi = Math.min(size, pos + want);
    const block = await read(pos, hi);
    if (block.length === 0) break;
    const eof = pos + block.length >= size;
    let cut: number;
    if (!unit.whole && splittable(cutting) && end - pos <= block.length) {
      // The unit's last row starts in this block: stop after it (the next unit starts there).
      const r = rowStartAtOrAfter(cutting, block, end - pos);
      cut = r >= 0 ? r : eof ? block.length : -1;
    } else {
      cut = eof ? block.length : lastRowEnd(cutting, block);
    }
    if (cut <= 0) { want *= 2; continue; } // a row longer than the block: read more at once
    want = step;
    piece(block.subarray(0, cut), pos === 0, parse);
    pos += cut;
  }
}

/** Reads of `src` served from a window of at least READ_BYTES read ahead. */
function windowed(src: LoadSource, size: number): (start: number, end: number) => Promise<Uint8Array> {
  let at = 0;
  let buf: Uint8Array = new Uint8Array(0);
  return async (start, end) => {
    end = Math.min(end, size);
    if (start < at || end > at + buf.length) {
      at = start;
      buf = await src.read(start, Math.min(size, Math.max(end, start + READ_BYTES)));
    }
    return buf.subarray(start - at, end - at);
  };
}
