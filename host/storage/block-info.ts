// What the storage system views (STV_BLOCKLIST, SVV_DISKUSAGE, SVV_TABLE_INFO) report about a table
// version: one "block" per column of each chunk (a chunk holds up to 65536 rows of one slice), with
// its value count, its zone map as Redshift's int8 minvalue/maxvalue, its byte size, whether it is
// in the slice's sorted region and whether it is stored in the data directory.
import type { TableDef } from '../catalog/catalog.js';
import { physicalOf } from '../types/sql-type.js';
import type { ChunkDesc } from './chunk.js';
import type { ChunkStore } from './chunk-store.js';
import { sortedChunks } from './sort-region.js';
import type { TableData } from './table-data.js';
import type { ColumnZone } from './zone-map.js';

/** Redshift's block size: sizes in SVV_TABLE_INFO are counted in 1 MB blocks. */
export const BLOCK_BYTES = 1 << 20;

export interface BlockRow {
  slice: number;
  col: number;
  /** Position of the chunk in its slice. */
  blocknum: number;
  numValues: number;
  minvalue: bigint | null;
  maxvalue: bigint | null;
  bytes: number;
  unsorted: boolean;
  /** In memory now (chunks of a data directory may be only in their block files). */
  resident: boolean;
  chunk: ChunkDesc;
}

const WIDTH: Record<string, number> = { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };
const INT8_MIN = -(2n ** 63n), INT8_MAX = 2n ** 63n - 1n;
const clamp = (x: bigint) => (x < INT8_MIN ? INT8_MIN : x > INT8_MAX ? INT8_MAX : x);
const utf8 = new TextEncoder();

/**
 * A zone value as STV_BLOCKLIST's int8: integers, dates (days), times and timestamps
 * (microseconds) and decimals (the scaled integer) as they are held; floats truncated toward zero;
 * strings as their first 8 UTF-8 bytes read as a big-endian int8 (zero-padded), as Redshift does.
 */
export function zoneInt8(v: ColumnZone['min']): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return clamp(v);
  if (typeof v === 'number') return Number.isFinite(v) ? clamp(BigInt(Math.trunc(v))) : v > 0 || Number.isNaN(v) ? INT8_MAX : INT8_MIN;
  const bytes = new Uint8Array(8);
  bytes.set(utf8.encode(v).subarray(0, 8));
  return new DataView(bytes.buffer).getBigInt64(0, false);
}

/** Bytes one column of a chunk takes in memory (values, offsets, dictionary and validity). */
export function columnBytes(d: ChunkDesc, c: number, memory: WebAssembly.Memory): number {
  const col = d.cols[c]!;
  const validity = col.valid ? Math.ceil(d.rows / 8) : 0;
  switch (col.kind) {
    case 'fixed': return d.rows * (WIDTH[physicalOf(d.types[c]!)] ?? 8) + validity;
    case 'dict': return d.rows * 4 + (col.dictSize + 1) * 4 + new Int32Array(memory.buffer, col.dictOffsets, col.dictSize + 1)[col.dictSize]! + validity;
    case 'utf8': case 'json': return (d.rows + 1) * 4 + new Int32Array(memory.buffer, col.offsets, d.rows + 1)[d.rows]! + validity;
    default: return d.rows * 8 + validity;
  }
}

/** Every block of a table version, slice by slice, chunk by chunk, column by column. */
export function* blocksOf(def: TableDef, data: TableData, store: ChunkStore): Generator<BlockRow> {
  for (let slice = 0; slice < data.slices.length; slice++) {
    const chunks = data.slices[slice]!;
    const sorted = sortedChunks(chunks, def.sortkey.columns);
    for (let k = 0; k < chunks.length; k++) {
      const chunk = chunks[k]!;
      const width = chunk.types.length;
      for (let col = 0; col < def.columns.length && col < width; col++) {
        const resident = store.isResident(chunk, [col]);
        const z = chunk.zones?.[col] ?? null;
        yield {
          slice, col, blocknum: k, numValues: chunk.rows, chunk,
          minvalue: z ? zoneInt8(z.min) : null, maxvalue: z ? zoneInt8(z.max) : null,
          bytes: resident ? columnBytes(chunk, col, store.memory) : store.sizeOf(chunk, [col]),
          unsorted: k >= sorted, resident,
        };
      }
    }
  }
}

/** 1 MB blocks a table version takes: each chunk column rounded up to whole blocks. */
export function tableBlocks(def: TableDef, data: TableData, store: ChunkStore): number {
  let n = 0;
  for (const b of blocksOf(def, data, store)) n += Math.max(1, Math.ceil(b.bytes / BLOCK_BYTES));
  return n;
}
