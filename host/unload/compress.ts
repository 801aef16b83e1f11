// Output compression of UNLOAD: GZIP with node:zlib, ZSTD with @bokuweb/zstd-wasm (level 3, zstd's default);
// the loader's decoders (host/load/decode.ts) read both back. BZIP2 has no encoder here and is refused
// before anything runs (host/unload/unload-options.ts).
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { unsupported } from '../common/errors.js';

let zstdReady: Promise<void> | null = null;

/**
 * Whether the Zstandard module is already instantiated (host/storage/encoding loads it too). It must be
 * instantiated once per process: a second init() swaps the instance under callers and corrupts their output.
 */
function zstdLoaded(): boolean {
  try { zstdCompress(new Uint8Array(1), 1); return true; } catch { return false; }
}

/** Compresses one whole output file. */
export async function compressFile(data: Buffer, compression: 'GZIP' | 'BZIP2' | 'ZSTD' | undefined): Promise<Buffer> {
  if (!compression) return data;
  if (compression === 'GZIP') return gzipSync(data);
  if (compression === 'ZSTD') {
    if (!zstdLoaded()) await (zstdReady ??= zstdInit());
    return Buffer.from(zstdCompress(data, 3));
  }
  throw unsupported('UNLOAD ... BZIP2 (no BZIP2 encoder is installed; use GZIP or ZSTD)');
}
