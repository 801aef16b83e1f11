// PARQUET COPY input: reads a Parquet file with hyparquet (pure JS; SNAPPY built in, ZSTD via fzstd, GZIP via
// zlib) and maps its top-level columns to the target columns by position, as Redshift does ("COPY from
// columnar data formats"). Values become LoadRecords of text so the row builder types them like any format.
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { parquetMetadata, parquetReadObjects, parquetSchema, type Compressors } from 'hyparquet';
import { SqlError, SqlState } from '../common/errors.js';
import { LoadErrorCode, LoadRowError } from './load-errors.js';
import type { LoadRecord } from './record.js';

/** Tagged values the parsers below produce, so dates and timestamps keep exact microseconds. */
class Days { constructor(readonly days: number) {} }
class Micros { constructor(readonly us: bigint) {} }

const compressors: Compressors = {
  ZSTD: (input, outputLength) => zstdDecompress(input, new Uint8Array(outputLength)),
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
};
const parsers = {
  dateFromDays: (d: number) => new Days(d),
  timestampFromMilliseconds: (ms: bigint) => new Micros(BigInt(ms) * 1000n),
  timestampFromMicroseconds: (us: bigint) => new Micros(BigInt(us)),
  timestampFromNanoseconds: (ns: bigint) => new Micros(BigInt(ns) / 1000n),
};

/** Reads a whole Parquet file into records for `width` target columns; a corrupt file is one bad row. */
export async function parquetRecords(buf: Buffer, width: number): Promise<LoadRecord[]> {
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
  let names: string[];
  let rows: Record<string, unknown>[];
  let scales: Map<string, number>;
  try {
    const metadata = parquetMetadata(ab, { parsers: { ...parsers } as never });
    names = parquetSchema(metadata).children.map((c) => c.element.name);
    scales = exactDecimals(metadata.schema as unknown as DecimalElement[], new Set(names));
    rows = await parquetReadObjects({ file: ab, metadata, compressors, parsers: parsers as never, utf8: true });
  } catch (e) {
    return [{ line: 1, raw: '', fields: [], quoted: [], error: new LoadRowError(LoadErrorCode.unknownParse, `Invalid Parquet file: ${(e as Error).message}`.slice(0, 100)) }];
  }
  if (names.length !== width) {
    throw new SqlError(SqlState.internalError, `Parquet file has ${names.length} columns, the load has ${width} (columns map by position)`);
  }
  return rows.map((r, i) => {
    const fields = names.map((n) => (scales.has(n) ? decimalText(r[n], scales.get(n)!) : text(r[n])));
    return { line: i + 1, raw: '', fields, quoted: fields.map(() => true), typed: true };
  });
}

interface DecimalElement { name: string; type?: string; converted_type?: string; logical_type?: { type: string }; scale?: number }

/**
 * hyparquet turns DECIMAL values into JS numbers (inexact beyond ~15 digits). For top-level DECIMAL columns
 * stored as INT32, INT64 or FIXED_LEN_BYTE_ARRAY the annotation is taken off the schema before reading, so
 * the unscaled integers arrive as they are stored; returns each such column's scale.
 */
function exactDecimals(schema: DecimalElement[], topLevel: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const el of schema) {
    const isDecimal = el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL';
    if (!isDecimal || !topLevel.has(el.name) || !['INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY'].includes(el.type ?? '')) continue;
    out.set(el.name, el.scale ?? (el.logical_type as { scale?: number } | undefined)?.scale ?? 0);
    delete el.converted_type;
    delete el.logical_type;
  }
  return out;
}

/** An unscaled DECIMAL (number, bigint, or big-endian two's complement bytes) as exact decimal text. */
function decimalText(v: unknown, scale: number): string | null {
  if (v === null || v === undefined) return null;
  let n: bigint;
  if (v instanceof Uint8Array) {
    n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    if (v.length > 0 && v[0]! & 0x80) n -= 1n << BigInt(v.length * 8);
  } else {
    n = BigInt(v as number | bigint);
  }
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${body}` : body;
}

function two(n: number): string { return String(n).padStart(2, '0'); }

/** Text a cast accepts for one Parquet value (null stays null). */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Days) return new Date(v.days * 86400000).toISOString().slice(0, 10);
  if (v instanceof Micros) {
    const ms = v.us >= 0n ? v.us / 1000n : -((-v.us + 999n) / 1000n);
    const d = new Date(Number(ms));
    const frac = Number(v.us - ms * 1000n) + d.getUTCMilliseconds() * 1000;
    return `${d.toISOString().slice(0, 10)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${frac ? `.${String(frac).padStart(6, '0')}` : ''}`;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}
