// The contract every block codec (host/storage/encoding/*) keeps: encode a block's RAW values
// section into an encoded payload, or decline; decode a payload back to the exact RAW section.
// block.ts picks the codec by the column's ENCODE and records it in the block's encoding tag.
import type { LaneDecoders } from './lane-decoders.js';
import type { RawValues } from './raw-values.js';

/** What a decoder knows about the block besides its payload (from the block's JSON header). */
export type BlockShape = Pick<RawValues, 'layout' | 'rows' | 'width' | 'integer'> & {
  /**
   * For a fixed layout: where the decoded lanes go (rows * width bytes, e.g. the chunk column's own
   * allocation in shared memory); the fixed-width decoders write there and return it. Others ignore it.
   */
  into?: Uint8Array;
};

export interface BlockCodec {
  /**
   * The encoded payload of the values, or null when this block cannot be encoded this way (more
   * than 256 distinct values for BYTEDICT, a layout the codec has no form for); the writer then
   * stores the block RAW, as Redshift stores values a codec cannot take uncompressed.
   */
  encode(raw: RawValues): Uint8Array | null;
  /**
   * The RAW values section: rows * width lane bytes, or (rows + 1) u32 offsets and the bytes.
   * Fixed-width codecs decode lanes through `lanes` (plain JS or the encode_* kernels).
   */
  decode(payload: Uint8Array, shape: BlockShape, lanes: LaneDecoders): Uint8Array;
  /**
   * For a codec that stores variable-length values by reference (BYTEDICT, RUNLENGTH): the payload
   * as codes into values without writing an item per row: row i's item is words[codes[i]] (a value
   * may appear more than once in `words`). The block reader builds a dictionary column from it.
   */
  decodeCoded?(payload: Uint8Array, shape: BlockShape): CodedValues;
}

/** Rows as codes into values (see BlockCodec.decodeCoded): value k is data[starts[k], ends[k]). */
export interface CodedValues { codes: Int32Array; data: Uint8Array; starts: Int32Array; ends: Int32Array }
