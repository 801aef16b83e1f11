// encode_expand_rle_{8,16,32,64} and encode_gather_dict_{8,16,32,64}: decode RUNLENGTH and BYTEDICT block payloads
// of fixed-width columns (host/storage/encoding/runlength.ts, bytedict.ts) on the block-read path. Values are copied
// by bit pattern, so floats come back exactly. Return 1, or 0 on lengths that do not add up / a code >= nDict.

// @ts-ignore: decorator
@inline function expandT<T>(values: usize, lengths: usize, nRuns: i32, rows: i32, out: usize): i32 {
  let at = 0;
  for (let k = 0; k < nRuns; k++) {
    const len = load<u32>(lengths + (<usize>k << 2));
    if (len > <u32>(rows - at)) return 0;
    const v = load<T>(values + (<usize>k << alignof<T>()));
    const dst = out + (<usize>at << alignof<T>());
    for (let j = 0; j < <i32>len; j++) store<T>(dst + (<usize>j << alignof<T>()), v);
    at += <i32>len;
  }
  return i32(at == rows);
}

// @ts-ignore: decorator
@inline function gatherDictT<T>(dict: usize, nDict: i32, codes: usize, rows: i32, out: usize): i32 {
  for (let i = 0; i < rows; i++) {
    const c = <i32>load<u8>(codes + <usize>i);
    if (c >= nDict) return 0;
    store<T>(out + (<usize>i << alignof<T>()), load<T>(dict + (<usize>c << alignof<T>())));
  }
  return 1;
}

export function encode_expand_rle_8(values: usize, lengths: usize, nRuns: i32, rows: i32, out: usize): i32 { return expandT<u8>(values, lengths, nRuns, rows, out); }
export function encode_expand_rle_16(values: usize, lengths: usize, nRuns: i32, rows: i32, out: usize): i32 { return expandT<u16>(values, lengths, nRuns, rows, out); }
export function encode_expand_rle_32(values: usize, lengths: usize, nRuns: i32, rows: i32, out: usize): i32 { return expandT<u32>(values, lengths, nRuns, rows, out); }
export function encode_expand_rle_64(values: usize, lengths: usize, nRuns: i32, rows: i32, out: usize): i32 { return expandT<u64>(values, lengths, nRuns, rows, out); }
export function encode_gather_dict_8(dict: usize, nDict: i32, codes: usize, rows: i32, out: usize): i32 { return gatherDictT<u8>(dict, nDict, codes, rows, out); }
export function encode_gather_dict_16(dict: usize, nDict: i32, codes: usize, rows: i32, out: usize): i32 { return gatherDictT<u16>(dict, nDict, codes, rows, out); }
export function encode_gather_dict_32(dict: usize, nDict: i32, codes: usize, rows: i32, out: usize): i32 { return gatherDictT<u32>(dict, nDict, codes, rows, out); }
export function encode_gather_dict_64(dict: usize, nDict: i32, codes: usize, rows: i32, out: usize): i32 { return gatherDictT<u64>(dict, nDict, codes, rows, out); }
