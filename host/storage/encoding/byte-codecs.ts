// LZO and ZSTD block codecs: a general-purpose byte compressor over the block's RAW values section.
// ZSTD is Zstandard (@bokuweb/zstd-wasm); LZO names an LZ4 block (lz4-napi), since no kept LZO
// package exists for Node 20 (docs/adr/0005-lzo-names-lz4.md).
//
// Payload, LZO: the uncompressed length (u32 LE) then the LZ4 block, as lz4-napi writes it.
// Payload, ZSTD: one Zstandard frame.
import { compressSync as lz4Compress, uncompressSync as lz4Uncompress } from 'lz4-napi';
import { zstdCompress, zstdDecompress } from '../../common/zstd.js';
import { PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import { packItems, type RawValues } from './raw-values.js';

/** Zstandard level: 3 is zstd's own default, a balance of load speed and size. */
const ZSTD_LEVEL = 3;

const sectionOf = (raw: RawValues) => (raw.layout === 'fixed' ? raw.lanes! : raw.section ?? packItems(raw.items!));

function expectSize(out: Uint8Array, shape: BlockShape): Uint8Array {
  if (shape.layout === 'fixed' && out.length !== shape.rows * shape.width) throw new PayloadError('decompressed size does not match the rows');
  return out;
}

export const lzo: BlockCodec = {
  encode: (raw) => new Uint8Array(lz4Compress(Buffer.from(sectionOf(raw)))),
  decode: (payload, shape) => {
    let out: Uint8Array;
    try { out = new Uint8Array(lz4Uncompress(payload)); } catch (e) { throw new PayloadError(`LZ4 block: ${(e as Error).message}`); }
    return expectSize(out, shape);
  },
};

export const zstd: BlockCodec = {
  encode: (raw) => zstdCompress(sectionOf(raw), ZSTD_LEVEL),
  decode: (payload, shape) => {
    let out: Uint8Array;
    try { out = zstdDecompress(payload); } catch (e) { throw new PayloadError(`Zstandard frame: ${(e as Error).message}`); }
    return expectSize(new Uint8Array(out), shape);
  },
};
