// How the fixed-width codecs (DELTA, MOSTLY, AZ64, RUNLENGTH, BYTEDICT) turn a payload into lanes on
// the block-read path (file -> vector -> chunk): the interface, the plain JS decoders, and the JS
// reference of the encode_* kernels; wasm-lane-decoders.ts runs the kernels themselves.
import type { KernelExports } from '../../wasm/kernel-exports.js';
import { unpackGroups } from './az64.js';
import { gatherLanes } from './bytedict.js';
import { decodeDeltas } from './delta.js';
import { widenWithExceptions } from './mostly.js';
import { expandRuns } from './runlength.js';

/** Each returns false on a malformed payload; `out` has rows * width bytes. u32 arrays are little-endian bytes. */
export interface LaneDecoders {
  undelta(src: Uint8Array, width: number, deltaWidth: number, rows: number, out: Uint8Array): boolean;
  widen(small: Uint8Array, narrow: number, rows: number, excRows: Uint8Array, excValues: Uint8Array, width: number, out: Uint8Array): boolean;
  unpackAz64(src: Uint8Array, width: number, rows: number, out: Uint8Array): boolean;
  expandRuns(values: Uint8Array, lengths: Uint8Array, width: number, rows: number, out: Uint8Array): boolean;
  gatherDict(dict: Uint8Array, nDict: number, codes: Uint8Array, width: number, out: Uint8Array): boolean;
}

const u32s = (b: Uint8Array) => new Uint32Array(b.slice().buffer);

/** The plain JS decoders. */
export const jsLaneDecoders: LaneDecoders = {
  undelta: decodeDeltas,
  widen: (small, narrow, rows, excRows, excValues, width, out) => widenWithExceptions(small, narrow, rows, u32s(excRows), excValues, width, out),
  unpackAz64: unpackGroups,
  expandRuns: (values, lengths, width, rows, out) => expandRuns(values, u32s(lengths), width, rows, out),
  gatherDict: gatherLanes,
};

/**
 * The JS reference of the encode_* kernels (host/wasm/js-kernels.ts spreads it into jsKernels):
 * the same signatures over the shared memory, implemented with the codecs' JS decoders.
 */
export function blockDecodeKernels(memory: WebAssembly.Memory): Pick<KernelExports, `encode_${string}` & keyof KernelExports> {
  const mem = () => new Uint8Array(memory.buffer);
  const at = (p: number, n: number) => mem().subarray(p, p + n);
  const undelta = (w: number) => (src: number, srcLen: number, dw: number, rows: number, out: number) =>
    (rows <= 0 ? (srcLen === 0 ? 1 : 0) : dw !== 1 && dw !== 2 ? 0 : decodeDeltas(at(src, srcLen), w, dw, rows, at(out, rows * w)) ? 1 : 0);
  const widen = (w: number) => (small: number, narrow: number, rows: number, excRows: number, nExc: number, excValues: number, out: number) =>
    (narrow !== 1 && narrow !== 2 && narrow !== 4) || narrow >= w ? 0
      : widenWithExceptions(at(small, rows * narrow), narrow, rows, u32s(at(excRows, nExc * 4)), at(excValues, nExc * w), w, at(out, rows * w)) ? 1 : 0;
  const unpack = (w: number) => (src: number, srcLen: number, rows: number, out: number) => (unpackGroups(at(src, srcLen), w, rows, at(out, Math.max(0, rows) * w)) ? 1 : 0);
  const expand = (w: number) => (values: number, lengths: number, nRuns: number, rows: number, out: number) =>
    (expandRuns(at(values, nRuns * w), u32s(at(lengths, nRuns * 4)), w, rows, at(out, rows * w)) ? 1 : 0);
  const gather = (w: number) => (dict: number, nDict: number, codes: number, rows: number, out: number) =>
    (gatherLanes(at(dict, nDict * w), nDict, at(codes, rows), w, at(out, rows * w)) ? 1 : 0);
  return {
    encode_undelta_i16: undelta(2), encode_undelta_i32: undelta(4), encode_undelta_i64: undelta(8),
    encode_widen_i16: widen(2), encode_widen_i32: widen(4), encode_widen_i64: widen(8),
    encode_unpack_az64_i16: unpack(2), encode_unpack_az64_i32: unpack(4), encode_unpack_az64_i64: unpack(8),
    encode_expand_rle_8: expand(1), encode_expand_rle_16: expand(2), encode_expand_rle_32: expand(4), encode_expand_rle_64: expand(8),
    encode_gather_dict_8: gather(1), encode_gather_dict_16: gather(2), encode_gather_dict_32: gather(4), encode_gather_dict_64: gather(8),
  };
}
