// Where a COPY input may be cut between rows, so a file is read in blocks and parsed in byte ranges by
// several slice workers (host/load/copy-worker.ts). Sits between the sources and the format parsers.
//
// A row of the text format ends at a newline, except a newline escaped by a backslash under ESCAPE; a CSV
// row ends at a newline outside quotes (Redshift "COPY from CSV": quoted fields may span lines). Whether a
// byte is inside quotes depends on everything before it, so CSV is cut only by a reader that started at a
// row boundary (the start of the file), never at an arbitrary offset.
import type { CopyOptions } from '../front/copy-unload.js';

const LF = 0x0a;
const BACKSLASH = 0x5c;

/** How rows of a COPY's input can be found. */
export type RowCutting =
  /** Every newline ends a row (text without ESCAPE, FIXEDWIDTH): any offset can be aligned locally. */
  | { kind: 'newline' }
  /** A newline ends a row unless an odd run of backslashes precedes it (text with ESCAPE): also local. */
  | { kind: 'escaped' }
  /** A newline outside quotes ends a row: cuttable only while reading from a row boundary. */
  | { kind: 'csv'; quote: number; delim: number }
  /** No safe cut (JSON, REMOVEQUOTES, multi-byte quote or delimiter): the source is parsed whole. */
  | { kind: 'whole' };

export function rowCutting(o: CopyOptions): RowCutting {
  switch (o.format) {
    case 'TEXT':
      if (o.removeQuotes) return { kind: 'whole' };
      return o.escape ? { kind: 'escaped' } : { kind: 'newline' };
    case 'FIXEDWIDTH': return { kind: 'newline' };
    case 'CSV': {
      const quote = Buffer.from(o.quote ?? '"');
      const delim = Buffer.from(o.delimiter ?? ',');
      if (quote.length !== 1 || delim.length !== 1) return { kind: 'whole' };
      return { kind: 'csv', quote: quote[0]!, delim: delim[0]! };
    }
    default: return { kind: 'whole' };
  }
}

/** Whether a source can be split into byte ranges that start anywhere (found again by `rowStartAtOrAfter`). */
export function splittable(c: RowCutting): boolean { return c.kind === 'newline' || c.kind === 'escaped'; }

/** A newline at `i` that ends a row. */
function endsRow(c: RowCutting, buf: Uint8Array, i: number): boolean {
  if (c.kind !== 'escaped') return true;
  let n = 0;
  for (let j = i - 1; j >= 0 && buf[j] === BACKSLASH; j--) n++;
  return n % 2 === 0;
}

/**
 * The offset just after the last row end in `buf` (0 when none), for a buffer that starts at a row boundary.
 * Only bytes before `limit` are considered as row ends.
 */
export function lastRowEnd(c: RowCutting, buf: Uint8Array, limit = buf.length): number {
  if (c.kind === 'csv') return lastCsvRowEnd(buf, c.quote, c.delim, limit);
  let i = limit - 1;
  for (;;) {
    i = Buffer.prototype.lastIndexOf.call(buf, LF, i) as number;
    if (i < 0) return 0;
    if (endsRow(c, buf, i)) return i + 1;
    i--;
  }
}

/**
 * The first row start at or after `from` in `buf` (a range's first row), for `splittable` cuttings; `buf`
 * holds the bytes just before `from` too (at least the backslash run, for ESCAPE). -1 when none.
 */
export function rowStartAtOrAfter(c: RowCutting, buf: Uint8Array, from: number): number {
  if (from === 0) return 0;
  let i = from - 1;
  for (;;) {
    i = Buffer.prototype.indexOf.call(buf, LF, i) as number;
    if (i < 0) return -1;
    if (endsRow(c, buf, i)) return i + 1;
    i++;
  }
}

/** CSV: a quote opens a quoted field only at the field's start; a doubled quote inside quotes toggles twice. */
function lastCsvRowEnd(buf: Uint8Array, quote: number, delim: number, limit: number): number {
  let inQ = false, fieldStart = true, last = 0;
  for (let i = 0; i < limit; i++) {
    const b = buf[i]!;
    if (inQ) {
      if (b === quote) { if (i + 1 < limit && buf[i + 1] === quote) i++; else inQ = false; }
      continue;
    }
    if (b === quote) { if (fieldStart) { inQ = true; fieldStart = false; } continue; }
    if (b === LF) { last = i + 1; fieldStart = true; continue; }
    fieldStart = b === delim;
  }
  return last;
}

/** Number of newline bytes in `buf` (the physical lines a piece spans, for exact line numbers). */
export function countNewlines(buf: Uint8Array): number {
  let n = 0;
  for (let i = Buffer.prototype.indexOf.call(buf, LF, 0) as number; i >= 0; i = Buffer.prototype.indexOf.call(buf, LF, i + 1) as number) n++;
  return n;
}
