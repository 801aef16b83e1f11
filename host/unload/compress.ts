// Output compression of UNLOAD: GZIP with node:zlib, ZSTD with @bokuweb/zstd-wasm (level 3, zstd's default);
// the loader's decoders (host/load/decode.ts) read both back. BZIP2 has no encoder here and is refused
// before anything runs (host/unload/unload-options.ts).
import { gzipSync } from 'node:zlib';
import { unsupported } from '../common/errors.js';
import { zstdCompress } from '../common/zstd.js';

/** Compresses one whole output file. */
export async function compressFile(data: Buffer, compression: 'GZIP' | 'BZIP2' | 'ZSTD' | undefined): Promise<Buffer> {
  if (!compression) return data;
  if (compression === 'GZIP') return gzipSync(data);
  if (compression === 'ZSTD') {
    return Buffer.from(zstdCompress(data, 3));
  }
  throw unsupported('UNLOAD ... BZIP2 (no BZIP2 encoder is installed; use GZIP or ZSTD)');
}
