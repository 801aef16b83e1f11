// The manifest of a data directory (host/storage/durable): the one file that says what is committed.
// It lists, per table, per slice, the chunks and for each chunk one block file per column with its
// zone map, and carries the catalog image, so one atomic rename publishes data and schema together.
import type { CatalogImage } from './catalog-json.js';
import type { ZoneMap } from './block.js';

export const MANIFEST_FILE = 'MANIFEST';
export const MANIFEST_TEMP = 'MANIFEST.tmp';
/** Folder of the block files: base/<table oid>/<slice>-<column>-<block number>.blk */
export const BASE_DIR = 'base';
export const MANIFEST_FORMAT = 1;

export interface BlockRef {
  /** Path relative to the data directory. */
  file: string;
  /** File size in bytes. */
  bytes: number;
  zone: ZoneMap;
}

/**
 * A column's zone as the engine orders values (host/storage/zone-map.ts): min and max as text
 * (decimal numbers, 'NaN', strings themselves), null when the column has no zone.
 */
export type ZoneText = { nulls: number; min: string | null; max: string | null } | null;

/**
 * One chunk of a slice: its row count, one block per column in table column order, and the
 * chunk's zone maps (absent in manifests written before them), so a chunk not yet read from its
 * blocks can be skipped.
 */
export interface ChunkRef { rows: number; blocks: BlockRef[]; zones?: ZoneText[] }

export interface TableImage {
  oid: number;
  style: 'KEY' | 'EVEN' | 'ALL';
  rows: number;
  evenNext: number;
  /** Chunks per slice (an ALL table keeps its replica in slice 0). */
  slices: ChunkRef[][];
  /**
   * Per slice, how many leading chunks form the region sorted by the table's sort key
   * (host/storage/sort-region.ts); absent in manifests written before sort regions (all unsorted).
   */
  sorted?: number[];
}

export interface Manifest {
  format: number;
  /** Bumped by every commit. */
  generation: number;
  /** Wall-clock time of the commit (ISO 8601), for people reading the file. */
  written: string;
  /** Slice count the data was distributed over. */
  slices: number;
  /** Next block number to hand out (block numbers are never reused). */
  nextBlock: number;
  catalog: CatalogImage;
  tables: TableImage[];
}

/** Block file name of one column of one chunk. */
export function blockPath(oid: number, slice: number, column: number, block: number): string {
  return `${BASE_DIR}/${oid}/${slice}-${column}-${block}.blk`;
}

/** Every block file a manifest references. */
export function filesOf(m: Manifest): Set<string> {
  const out = new Set<string>();
  for (const t of m.tables) for (const s of t.slices) for (const c of s) for (const b of c.blocks) out.add(b.file);
  return out;
}
