// The durable store: keeps a data directory equal to the engine's committed state (catalog and
// table versions). A commit writes the new chunks' columns as block files and fsyncs them, then
// replaces the manifest atomically (write temp, fsync, rename, fsync directory); opening reads the
// manifest, makes every chunk cold in the ChunkStore (each column read back from its block when a
// statement reads it, ADR 0021) and deletes files no manifest references. Any I/O failure during a commit is fatal: the store refuses all
// further work and the process stops, as PostgreSQL PANICs on a failed fsync (never retried).
import { dirname, join } from 'node:path';
import { concatBatches, unshareBatch, type Batch } from '../../batch/vector.js';
import type { Catalog, TableDef } from '../../catalog/catalog.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { ChunkDesc, ColumnDesc } from '../chunk.js';
import type { ChunkStore, ColumnSource } from '../chunk-store.js';
import { markSorted, sortedChunks } from '../sort-region.js';
import { physicalOf, type SqlType } from '../../types/sql-type.js';
import { ZONE_MAX_STRING, type ColumnZone } from '../zone-map.js';
import { appendRows, emptyTableData, type TableData } from '../table-data.js';
import type { ZoneMap } from './block.js';
import { encodeColumnBlock } from './column-block.js';
import { loadBlockColumn } from './block-column.js';
import { blockEncodingOf } from '../encoding/registry.js';
import { laneDecodersFor } from '../encoding/wasm-lane-decoders.js';
import { catalogImage, restoreCatalog } from './catalog-json.js';
import { nodeFileOps, type FileOps } from './file-ops.js';
import { parseJson, toJson } from './json-text.js';
import { acquireLock } from './lock-file.js';
import {
  BASE_DIR, blockPath, filesOf, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_TEMP,
  type ChunkRef, type Manifest, type TableImage, type ZoneText,
} from './manifest.js';

export interface DurableOptions {
  /** File operations (tests inject failures here); default: node:fs. */
  fs?: FileOps;
  /**
   * Called once when a commit's write, fsync or rename fails. Default: print a PANIC line to
   * stderr and exit the process with status 1. Whatever it does, the store stays failed.
   */
  onFatal?: (err: SqlError) => void;
}

/** One block as STV_BLOCKLIST shows it. */
export interface BlockInfo { oid: number; slice: number; column: number; blocknum: number; bytes: number; zone: ZoneMap }

/** The default reaction to a failed commit: a PANIC line on stderr, then exit status 1. */
export function exitOnFatal(err: SqlError): void {
  process.stderr.write(`PANIC:  ${err.message}\n`);
  process.exit(1);
}

const ERRNO_TEXT: Record<string, string> = {
  EIO: 'Input/output error', ENOSPC: 'No space left on device', EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system', EACCES: 'Permission denied', ENOENT: 'No such file or directory',
};

function emptyManifest(slices: number): Manifest {
  return { format: MANIFEST_FORMAT, generation: 0, written: '', slices, nextBlock: 1, catalog: { nextOid: 0, schemas: [], users: [], relations: [] }, tables: [] };
}

export class DurableStore {
  private manifest: Manifest;
  private liveFiles: Set<string>;
  /** Chunks already on disk, with their blocks (chunks are immutable, so this never goes stale). */
  private readonly persisted = new WeakMap<ChunkDesc, ChunkRef>();
  private lastCatalogVersion = -1;
  private lastTables = new Map<number, TableData>();
  private failure: SqlError | null = null;
  private readonly fs: FileOps;
  private readonly onFatal: (err: SqlError) => void;

  private constructor(readonly dir: string, private readonly release: () => void, options: DurableOptions, manifest: Manifest) {
    this.fs = options.fs ?? nodeFileOps;
    this.onFatal = options.onFatal ?? exitOnFatal;
    this.manifest = manifest;
    this.liveFiles = filesOf(manifest);
  }

  /**
   * Opens (creating it if needed) a data directory: takes its lock file (55006 when another live
   * process holds it), reads the manifest (XX001 when it is unreadable) and deletes garbage: block
   * files and table folders the manifest does not reference, and a leftover temporary manifest.
   */
  static open(dir: string, slices: number, options: DurableOptions = {}): DurableStore {
    const fs = options.fs ?? nodeFileOps;
    const existed = fs.exists(dir);
    fs.mkdir(join(dir, BASE_DIR));
    if (!existed) fsyncDir(fs, dirname(dir));
    const release = acquireLock(dir);
    try {
      let manifest = emptyManifest(slices);
      if (fs.exists(join(dir, MANIFEST_FILE))) {
        try {
          manifest = parseJson<Manifest>(fs.readFile(join(dir, MANIFEST_FILE)).toString('utf8'));
        } catch (e) {
          throw new SqlError('XX001', `could not read manifest "${MANIFEST_FILE}" in data directory "${dir}": ${(e as Error).message}`, { severity: 'FATAL' });
        }
        if (manifest.format !== MANIFEST_FORMAT) throw new SqlError('XX001', `manifest in "${dir}" has format ${manifest.format}, this version reads ${MANIFEST_FORMAT}`, { severity: 'FATAL' });
      }
      const store = new DurableStore(dir, release, options, manifest);
      store.collectGarbage();
      return store;
    } catch (e) {
      release();
      throw e;
    }
  }

  /** The manifest generation on disk (0: nothing committed yet). */
  get generation(): number { return this.manifest.generation; }

  /** The error that stopped the store, if any. */
  get failed(): SqlError | null { return this.failure; }

  /**
   * Restores the committed catalog into `catalog` (a fresh one) and returns the committed table
   * versions, with every block loaded into a chunk of `store`. Tables stored with another slice
   * count are redistributed (and written anew by the next commit).
   */
  load(catalog: Catalog, store: ChunkStore, slices: number): Map<number, TableData> {
    const m = this.manifest;
    const tables = new Map<number, TableData>();
    if (m.generation === 0) return tables;
    restoreCatalog(catalog, m.catalog);
    let redistributed = false;
    for (const t of m.tables) {
      const def = catalog.byOid(t.oid);
      if (!def || def.kind !== 'table') throw new SqlError('XX001', `manifest lists data for table oid ${t.oid}, which the catalog does not have`, { severity: 'FATAL' });
      if (t.slices.length === slices) {
        const loaded = t.slices.map((chunks) => chunks.map((c) => this.coldChunk(def, c, store)));
        loaded.forEach((chunks, s) => markSorted(chunks.slice(0, t.sorted?.[s] ?? 0), def.sortkey.columns));
        tables.set(t.oid, { slices: loaded, rows: t.rows, evenNext: t.evenNext, style: t.style });
      } else {
        const loaded = t.slices.map((chunks) => chunks.map((c) => this.coldChunk(def, c, store)));
        const batches: Batch[] = loaded.flat().map((d) => unshareBatch(store.decodeAll(d)));
        const all = concatBatches(def.columns.map((c) => c.type), batches);
        tables.set(t.oid, appendRows(def, emptyTableData(def, slices), all, store));
        redistributed = true;
      }
    }
    this.lastCatalogVersion = redistributed ? -1 : catalog.version;
    this.lastTables = new Map(tables);
    return tables;
  }

  /**
   * Reads column `col` of a chunk from its block file straight into the store's memory (a failure is
   * fatal: the data directory is damaged).
   */
  private readColumn(name: string, c: ChunkRef, col: number, store: ChunkStore): { desc: ColumnDesc; base: number } {
    const b = c.blocks[col]!;
    const path = join(this.dir, b.file);
    let bytes: Buffer;
    try { bytes = this.fs.readFile(path); } catch (e) {
      throw new SqlError(SqlState.ioError, `could not read block file "${b.file}": ${errnoText(e)}`, { severity: 'FATAL' });
    }
    const loaded = loadBlockColumn(bytes, b.file, store.memory, store.allocator, laneDecodersFor(store.memory, store.allocator));
    if (loaded.rows !== c.rows) {
      store.allocator.free(loaded.base);
      throw new SqlError('XX001', `block file "${b.file}" of table "${name}" has ${loaded.rows} rows, the manifest says ${c.rows}`, { severity: 'FATAL' });
    }
    return { desc: loaded.desc, base: loaded.base };
  }

  /** The block files of a chunk as the store reads them back, one column at a time. */
  private sourceOf(def: TableDef, c: ChunkRef, store: ChunkStore): ColumnSource {
    if (c.blocks.length !== def.columns.length) throw new SqlError('XX001', `chunk of table "${def.name}" has ${c.blocks.length} blocks for ${def.columns.length} columns`, { severity: 'FATAL' });
    const name = def.name;
    return { blockBytes: c.blocks.map((b) => b.bytes), load: (col) => this.readColumn(name, c, col, store) };
  }

  /** A chunk left in its block files until a scan needs it (host/storage/chunk-store.ts residency). */
  private coldChunk(def: TableDef, c: ChunkRef, store: ChunkStore): ChunkDesc {
    const source = this.sourceOf(def, c, store);
    const types = def.columns.map((col) => col.type);
    const zones = types.map((t, i) => zoneFromText(t, c.zones ? c.zones[i] ?? null : physicalOf(t) === 'str' ? null : c.blocks[i]!.zone));
    const desc = store.coldChunk(types, c.rows, zones, source);
    this.persisted.set(desc, c);
    return desc;
  }

  /**
   * Makes the committed state durable: when the catalog or any table version changed since the
   * last commit, writes the new chunks' blocks, fsyncs them and their folders, and replaces the
   * manifest. Returns whether anything was written. A failure stops the store (see onFatal) and
   * throws a PANIC SqlError (58030).
   */
  commit(catalog: Catalog, tables: ReadonlyMap<number, TableData>, store: ChunkStore, slices: number): boolean {
    if (this.failure) throw this.failure;
    if (!this.dirty(catalog, tables)) return false;
    const version = catalog.version;
    const snapshot = new Map(tables);
    try {
      this.write(catalog, snapshot, store, slices);
    } catch (e) {
      const err = e instanceof SqlError && e.severity === 'PANIC' ? e : new SqlError(SqlState.ioError, `could not write data directory "${this.dir}": ${errnoText(e)}`, { severity: 'PANIC' });
      this.failure = err;
      this.onFatal(err);
      throw err;
    }
    this.lastCatalogVersion = version;
    this.lastTables = snapshot;
    return true;
  }

  private dirty(catalog: Catalog, tables: ReadonlyMap<number, TableData>): boolean {
    if (catalog.version !== this.lastCatalogVersion || tables.size !== this.lastTables.size) return true;
    for (const [oid, d] of tables) {
      if (this.lastTables.get(oid) === d) continue;
      const def = catalog.byOid(oid);
      if (def && def.kind === 'table' && def.temp) continue;
      return true;
    }
    return false;
  }

  private write(catalog: Catalog, tables: ReadonlyMap<number, TableData>, store: ChunkStore, slices: number): void {
    const fs = this.fs;
    const open: { fd: number; file: string }[] = [];
    const dirs = new Set<string>();
    let newDirs = false;
    let nextBlock = this.manifest.nextBlock;
    const images: TableImage[] = [];
    const written: { c: ChunkDesc; source: ColumnSource }[] = [];
    try {
      for (const rel of catalog.relationsList()) {
        if (rel.kind !== 'table' || rel.temp) continue;
        const data = tables.get(rel.oid) ?? emptyTableData(rel, slices);
        const image: TableImage = {
          oid: rel.oid, style: data.style, rows: data.rows, evenNext: data.evenNext,
          sorted: data.slices.map((chunks) => sortedChunks(chunks, rel.sortkey.columns)),
          slices: data.slices.map((chunks, s) => chunks.map((c) => {
            const known = this.persisted.get(c);
            if (known) return known;
            const tableDir = join(this.dir, BASE_DIR, String(rel.oid));
            if (!dirs.has(tableDir) && !fs.exists(tableDir)) {
              io('create directory', tableDir, () => fs.mkdir(tableDir));
              newDirs = true;
            }
            dirs.add(tableDir);
            // New chunks are resident (never yet backed); hold keeps them so while their blocks are written.
            store.hold(c);
            const blocks = c.types.map((_, col) => {
              const file = blockPath(rel.oid, s, col, nextBlock++);
              const path = join(this.dir, file);
              const { bytes, zone } = encodeColumnBlock(c, col, store.memory, blockEncodingOf(rel.columns[col]!.encode));
              const fd = io('create file', path, () => fs.create(path));
              open.push({ fd, file: path });
              io('write to file', path, () => fs.write(fd, bytes));
              return { file, bytes: bytes.length, zone };
            });
            const ref: ChunkRef = { rows: c.rows, blocks, zones: (c.zones ?? []).map(zoneToText) };
            this.persisted.set(c, ref);
            written.push({ c, source: this.sourceOf(rel, ref, store) });
            return ref;
          })),
        };
        images.push(image);
      }
      // Durable file contents first, then their directory entries, then the manifest.
      while (open.length) {
        const f = open[0]!;
        io('fsync file', f.file, () => fs.fsync(f.fd));
        open.shift();
        io('close file', f.file, () => fs.close(f.fd));
      }
    } finally {
      for (const f of open) { try { fs.close(f.fd); } catch { /* already failing */ } }
    }
    for (const d of dirs) io('fsync directory', d, () => fsyncDir(fs, d));
    if (newDirs) io('fsync directory', join(this.dir, BASE_DIR), () => fsyncDir(fs, join(this.dir, BASE_DIR)));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, generation: this.manifest.generation + 1, written: new Date().toISOString(),
      slices, nextBlock, catalog: catalogImage(catalog), tables: images,
    };
    this.replaceManifest(manifest);
    // Chunks now in block files may leave memory under the residency limit.
    for (const w of written) store.back(w.c, w.source);
    const old = this.liveFiles;
    const oldTables = new Set(this.manifest.tables.map((t) => t.oid));
    this.manifest = manifest;
    this.liveFiles = filesOf(manifest);
    // Garbage after the new manifest is durable; a crash here leaves files the next open deletes.
    for (const f of old) if (!this.liveFiles.has(f)) { try { fs.unlink(join(this.dir, f)); } catch { /* deleted at next open */ } }
    for (const oid of oldTables) {
      if (manifest.tables.some((t) => t.oid === oid) || this.folderInUse(String(oid))) continue;
      try { fs.removeTree(join(this.dir, BASE_DIR, String(oid))); } catch { /* next open */ }
    }
  }

  private replaceManifest(m: Manifest): void {
    const fs = this.fs;
    const temp = join(this.dir, MANIFEST_TEMP);
    const final = join(this.dir, MANIFEST_FILE);
    if (fs.exists(temp)) io('remove file', temp, () => fs.unlink(temp));
    const fd = io('create file', temp, () => fs.create(temp));
    try {
      io('write to file', temp, () => fs.write(fd, Buffer.from(toJson(m) + '\n', 'utf8')));
      io('fsync file', temp, () => fs.fsync(fd));
    } finally {
      try { fs.close(fd); } catch { /* reported by the failing step */ }
    }
    io('rename file', temp, () => fs.rename(temp, final));
    io('fsync directory', this.dir, () => fsyncDir(fs, this.dir));
  }

  private collectGarbage(): void {
    const fs = this.fs;
    const base = join(this.dir, BASE_DIR);
    for (const name of fs.list(base)) {
      const path = join(base, name);
      if (!this.folderInUse(name)) { fs.removeTree(path); continue; }
      for (const f of fs.list(path)) {
        const rel = `${BASE_DIR}/${name}/${f}`;
        if (!this.liveFiles.has(rel)) fs.unlink(join(path, f));
      }
    }
    const temp = join(this.dir, MANIFEST_TEMP);
    if (fs.exists(temp)) fs.unlink(temp);
  }

  /**
   * Whether a live block is in base/<name>/. Usually only the table's own blocks are; a chunk
   * moved to another table (ALTER TABLE APPEND) keeps its files where they are.
   */
  private folderInUse(name: string): boolean {
    const prefix = `${BASE_DIR}/${name}/`;
    for (const f of this.liveFiles) if (f.startsWith(prefix)) return true;
    return this.manifest.tables.some((t) => String(t.oid) === name);
  }

  /** Whether a chunk's blocks are in the data directory (STV_BLOCKLIST.on_disk). */
  holds(c: ChunkDesc): boolean { return this.persisted.has(c); }

  /** Every live block with its zone map (for STV_BLOCKLIST and SVV_DISKUSAGE). */
  *blocks(): Generator<BlockInfo> {
    for (const t of this.manifest.tables) {
      for (let slice = 0; slice < t.slices.length; slice++) {
        const chunks = t.slices[slice]!;
        for (let k = 0; k < chunks.length; k++) {
          const c = chunks[k]!;
          for (let column = 0; column < c.blocks.length; column++) {
            const b = c.blocks[column]!;
            yield { oid: t.oid, slice, column, blocknum: k, bytes: b.bytes, zone: b.zone };
          }
        }
      }
    }
  }

  /** Releases the lock file. The store must not be used afterwards. */
  close(): void { this.release(); }
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ERRNO_TEXT[code]) return ERRNO_TEXT[code]!;
  return e instanceof Error ? e.message : String(e);
}

/** Runs one file operation of a commit; a failure becomes PostgreSQL's "could not <what> "<path>": <errno>" PANIC. */
function io<R>(what: string, path: string, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof SqlError) throw e;
    const code = (e as NodeJS.ErrnoException)?.code;
    throw new SqlError(code === 'ENOSPC' ? SqlState.diskFull : SqlState.ioError, `could not ${what} "${path}": ${errnoText(e)}`, { severity: 'PANIC' });
  }
}

function fsyncDir(fs: FileOps, path: string): void {
  const fd = fs.openDir(path);
  try { fs.fsync(fd); } finally { fs.close(fd); }
}

/** A chunk zone as manifest text. */
function zoneToText(z: ColumnZone | null): ZoneText {
  return z ? { nulls: z.nulls, min: z.min === null ? null : String(z.min), max: z.max === null ? null : String(z.max) } : null;
}

/** A manifest zone (ours, or a block header's for numbers) as a chunk zone of a column type. */
function zoneFromText(t: SqlType, z: ZoneText | undefined): ColumnZone | null {
  if (!z) return null;
  const p = physicalOf(t);
  const value = (x: string | null): ColumnZone['min'] | undefined => {
    if (x === null) return null;
    switch (p) {
      case 'i16': case 'i32': case 'f32': case 'f64': return Number(x);
      case 'i64': return /^-?\d+$/.test(x) ? BigInt(x) : undefined;
      case 'str': return x.length <= ZONE_MAX_STRING ? x : undefined;
      default: return undefined;
    }
  };
  const min = value(z.min), max = value(z.max);
  if (min === undefined || max === undefined || (min === null) !== (max === null)) return null;
  return { nulls: z.nulls, min, max };
}
