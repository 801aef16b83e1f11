// Zstandard for the whole process (@bokuweb/zstd-wasm): the block codecs (host/storage/encoding) and
// UNLOAD's ZSTD output (host/unload/compress.ts) share this one instance. The package keeps one module
// instance per process and a second init() swaps it under its callers, corrupting their output, so
// init() is called here only, once, when this module loads.
import { compress, decompress, init } from '@bokuweb/zstd-wasm';

await init();

/** Compresses `data` into one Zstandard frame at `level` (3 is zstd's own default). */
export function zstdCompress(data: Uint8Array, level = 3): Uint8Array { return compress(data, level); }

/** Decompresses one Zstandard frame. */
export function zstdDecompress(frame: Uint8Array): Uint8Array { return decompress(frame); }
