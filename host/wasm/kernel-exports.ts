// KernelExports: the TypeScript face of every kernel export (the ABI of docs/kernel-abi.md). Pointers are byte
// offsets into the shared memory, counts are i32 numbers, i64 arguments and results are bigint.

/** Every export of build/kernels/{simd,scalar}.wasm, and of the plain-JS reference `jsKernels`. */
export interface KernelExports {
  // Module setup
  kernels_init(): void;
  kernels_abi_version(): number;
  // Filters: column vs constant / column / range / mask -> selection vector (returns its length)
  filter_cmp_i16(op: number, col: number, valid: number, n: number, k: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_i32(op: number, col: number, valid: number, n: number, k: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_i64(op: number, col: number, valid: number, n: number, k: bigint, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_f32(op: number, col: number, valid: number, n: number, k: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_f64(op: number, col: number, valid: number, n: number, k: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_col_i16(op: number, a: number, aValid: number, b: number, bValid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_col_i32(op: number, a: number, aValid: number, b: number, bValid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_col_i64(op: number, a: number, aValid: number, b: number, bValid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_col_f32(op: number, a: number, aValid: number, b: number, bValid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_cmp_col_f64(op: number, a: number, aValid: number, b: number, bValid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_between_i16(col: number, valid: number, n: number, lo: number, hi: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_between_i32(col: number, valid: number, n: number, lo: number, hi: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_between_i64(col: number, valid: number, n: number, lo: bigint, hi: bigint, selIn: number, nSelIn: number, selOut: number): number;
  filter_between_f32(col: number, valid: number, n: number, lo: number, hi: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_between_f64(col: number, valid: number, n: number, lo: number, hi: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_mask(mask: number, valid: number, n: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_in_i16(col: number, valid: number, n: number, list: number, nlist: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_in_i32(col: number, valid: number, n: number, list: number, nlist: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_in_i64(col: number, valid: number, n: number, list: number, nlist: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_in_f64(col: number, valid: number, n: number, list: number, nlist: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_runtime_i16(col: number, valid: number, n: number, filt: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_runtime_i32(col: number, valid: number, n: number, filt: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_runtime_i64(col: number, valid: number, n: number, filt: number, selIn: number, nSelIn: number, selOut: number): number;
  filter_codes(codes: number, valid: number, n: number, pass: number, nullPass: number, selIn: number, nSelIn: number, selOut: number): number;
  // Predicates as 0/1 byte masks, and their AND / OR / NOT
  mask_cmp_i16(op: number, col: number, valid: number, n: number, k: number, maskOut: number): void;
  mask_cmp_i32(op: number, col: number, valid: number, n: number, k: number, maskOut: number): void;
  mask_cmp_i64(op: number, col: number, valid: number, n: number, k: bigint, maskOut: number): void;
  mask_cmp_f32(op: number, col: number, valid: number, n: number, k: number, maskOut: number): void;
  mask_cmp_f64(op: number, col: number, valid: number, n: number, k: number, maskOut: number): void;
  mask_between_i16(col: number, valid: number, n: number, lo: number, hi: number, maskOut: number): void;
  mask_between_i32(col: number, valid: number, n: number, lo: number, hi: number, maskOut: number): void;
  mask_between_i64(col: number, valid: number, n: number, lo: bigint, hi: bigint, maskOut: number): void;
  mask_between_f32(col: number, valid: number, n: number, lo: number, hi: number, maskOut: number): void;
  mask_between_f64(col: number, valid: number, n: number, lo: number, hi: number, maskOut: number): void;
  mask_and(a: number, b: number, out: number, n: number): void;
  mask_or(a: number, b: number, out: number, n: number): void;
  mask_not(a: number, out: number, n: number): void;
  // Gather selected rows
  gather_8(src: number, sel: number, n: number, out: number): void;
  gather_16(src: number, sel: number, n: number, out: number): void;
  gather_32(src: number, sel: number, n: number, out: number): void;
  gather_64(src: number, sel: number, n: number, out: number): void;
  // Validity bitmaps
  gather_bits(validSrc: number, sel: number, n: number, validOut: number): number;
  bitmap_and(a: number, b: number, out: number, nbits: number): void;
  bitmap_count(a: number, nbits: number): number;
  // Arithmetic (integer kernels return 0 or 1 + first failing non-null row)
  arith_add_i32(a: number, b: number, out: number, valid: number, n: number): number;
  arith_sub_i32(a: number, b: number, out: number, valid: number, n: number): number;
  arith_mul_i32(a: number, b: number, out: number, valid: number, n: number): number;
  arith_div_i32(a: number, b: number, out: number, valid: number, n: number): number;
  arith_mod_i32(a: number, b: number, out: number, valid: number, n: number): number;
  arith_add_i64(a: number, b: number, out: number, valid: number, n: number): number;
  arith_sub_i64(a: number, b: number, out: number, valid: number, n: number): number;
  arith_mul_i64(a: number, b: number, out: number, valid: number, n: number): number;
  arith_div_i64(a: number, b: number, out: number, valid: number, n: number): number;
  arith_mod_i64(a: number, b: number, out: number, valid: number, n: number): number;
  arith_add_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_sub_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_mul_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_rsub_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_div_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_mod_const_i32(a: number, k: number, out: number, valid: number, n: number): number;
  arith_add_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_sub_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_mul_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_rsub_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_div_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_mod_const_i64(a: number, k: bigint, out: number, valid: number, n: number): number;
  arith_add_f64(a: number, b: number, out: number, n: number): void;
  arith_sub_f64(a: number, b: number, out: number, n: number): void;
  arith_mul_f64(a: number, b: number, out: number, n: number): void;
  arith_add_const_f64(a: number, k: number, out: number, n: number): void;
  arith_sub_const_f64(a: number, k: number, out: number, n: number): void;
  arith_mul_const_f64(a: number, k: number, out: number, n: number): void;
  arith_rsub_const_f64(a: number, k: number, out: number, n: number): void;
  arith_div_const_f64(a: number, k: number, out: number, n: number): void;
  arith_div_f64(a: number, b: number, out: number, valid: number, n: number): number;
  // Decimal rescaling
  dec_rescale_up_i64(a: number, out: number, n: number, pow10: bigint, valid?: number): number;
  dec_rescale_down_i64(a: number, out: number, n: number, pow10: bigint): void;
  dec_div_i64(a: number, b: number, out: number, valid: number, n: number, pow10: bigint): number;
  // Casts
  cast_i16_i32(a: number, out: number, n: number): void;
  cast_i32_i64(a: number, out: number, n: number): void;
  cast_i32_f64(a: number, out: number, n: number): void;
  cast_i64_f64(a: number, out: number, n: number): void;
  cast_f32_f64(a: number, out: number, n: number): void;
  cast_f64_f32(a: number, out: number, n: number): void;
  cast_f64_i64(a: number, out: number, valid: number, n: number): number;
  cast_f64_i32(a: number, out: number, valid: number, n: number): number;
  cast_i64_i32(a: number, out: number, valid: number, n: number): number;
  cast_i32_i16(a: number, out: number, valid: number, n: number): number;
  // Hashes of key rows
  hash_rows(keys: number, width: number, n: number, out: number): void;
  hash_i32(col: number, n: number, out: number): void;
  hash_i64(col: number, n: number, out: number): void;
  // Key packing (row-major u64 words)
  key_norm_i16(col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void;
  key_norm_i32(col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void;
  key_norm_i64(col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void;
  key_norm_f32(col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void;
  key_norm_f64(col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void;
  key_null(valid: number, n: number, keys: number, width: number, word: number, nullsFirst: number): void;
  key_put_i16(col: number, n: number, keys: number, width: number, word: number): void;
  key_put_i32(col: number, n: number, keys: number, width: number, word: number): void;
  key_put_i64(col: number, n: number, keys: number, width: number, word: number): void;
  key_put_f64(col: number, n: number, keys: number, width: number, word: number): void;
  // Hash partitioning (exchanges)
  hash_partition(hashes: number, n: number, nparts: number, outPart: number, counts: number): void;
  partition_rows(parts: number, n: number, starts: number, outSel: number): void;
  // Group-by
  group_ids(keys: number, width: number, hashes: number, n: number, table: number, cap: number, groupKeys: number, groupHashes: number, state: number, maxGroups: number, outGids: number): number;
  group_rehash(groupHashes: number, nGroups: number, table: number, cap: number): void;
  // Grouped aggregates (accumulators indexed by group id)
  agg_count_star(gids: number, n: number, cnt: number): void;
  agg_count(gids: number, valid: number, n: number, cnt: number): void;
  agg_sum_i32(gids: number, vals: number, valid: number, n: number, acc: number): void;
  agg_sum_i64(gids: number, vals: number, valid: number, n: number, acc: number): void;
  agg_sum_f64(gids: number, vals: number, valid: number, n: number, acc: number): void;
  agg_min_i32(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  agg_max_i32(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  agg_min_i64(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  agg_max_i64(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  agg_min_f64(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  agg_max_f64(gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void;
  // Ungrouped sums
  sum_i32_sel(vals: number, valid: number, sel: number, n: number): bigint;
  sum_i64_sel(vals: number, valid: number, sel: number, n: number, acc: number): void;
  sum_f64_sel(vals: number, valid: number, sel: number, n: number): number;
  // Aggregate arguments evaluated and folded per group from a chunk's columns (kernels/agg/program.ts)
  agg_program(prog: number, count: number, sel: number, n: number, gids: number, stride: number, acc: number, regs: number): void;
  agg_dict_gids(keys: number, nkeys: number, sel: number, n: number, lut: number, out: number): number;
  agg_totals(acc: number, stride: number, ng: number, rows: number, nulls: number, sum: number, counts: number, sums: number): number;
  key_gids(cols: number, ncols: number, sel: number, from: number, n: number, table: number, mask: number, keys: number, state: number, limit: number, out: number): number;
  key_rehash(keys: number, ncols: number, ngroups: number, nullGid: number, table: number, mask: number): void;
  // Hash join
  join_build(keys: number, width: number, hashes: number, n: number, heads: number, cap: number, next: number): void;
  join_bloom_build(hashes: number, n: number, bloom: number, bmask: number): void;
  join_probe(pkeys: number, width: number, phashes: number, pn: number, bkeys: number, bhashes: number, heads: number, cap: number, next: number, state: number, outProbe: number, outBuild: number, maxOut: number, bloom: number, bmask: number): number;
  join_probe_exists(pkeys: number, width: number, phashes: number, pn: number, bkeys: number, bhashes: number, heads: number, cap: number, next: number, outMatched: number, bloom: number, bmask: number): number;
  mark_u8(idx: number, n: number, flags: number): void;
  // Sort
  sort_rows(keys: number, width: number, idx: number, n: number, tmp: number): void;
  topn_rows(keys: number, width: number, n: number, k: number, outIdx: number): number;
  // Utf8 strings (i32 offsets[n + 1] + bytes)
  str_cmp_const(op: number, offsets: number, data: number, valid: number, n: number, k: number, klen: number, selIn: number, nSelIn: number, selOut: number): number;
  str_like(offsets: number, data: number, valid: number, n: number, pat: number, patLen: number, escape: number, ci: number, selIn: number, nSelIn: number, selOut: number): number;
  str_like_pieces(offsets: number, data: number, valid: number, n: number, pat: number, lens: number, nPieces: number, flags: number, selIn: number, nSelIn: number, selOut: number): number;
  str_hash(offsets: number, data: number, n: number, out: number): void;
  str_sel_bytes(offsets: number, sel: number, n: number): bigint;
  gather_str(offsets: number, data: number, sel: number, n: number, outOffsets: number, outData: number): number;
  key_norm_str(offsets: number, data: number, valid: number, n: number, keys: number, width: number, word: number, nwords: number, desc: number, nullsFirst: number): void;
  // Dates (i32 days since 1970-01-01) and timestamps (i64 microseconds)
  date_part_i32(field: number, days: number, out: number, n: number): void;
  ts_part_i64(field: number, ts: number, out: number, n: number): void;
  date_trunc_i32(field: number, days: number, out: number, n: number): void;
  ts_trunc_i64(field: number, ts: number, out: number, n: number): void;
  ts_date_i64(ts: number, out: number, n: number): void;
  date_add_months_i32(days: number, months: number, out: number, n: number): void;
  // Block decoding (host/storage/encoding/*): 1 = decoded, 0 = malformed payload
  encode_undelta_i16(src: number, srcLen: number, deltaWidth: number, rows: number, out: number): number;
  encode_undelta_i32(src: number, srcLen: number, deltaWidth: number, rows: number, out: number): number;
  encode_undelta_i64(src: number, srcLen: number, deltaWidth: number, rows: number, out: number): number;
  encode_widen_i16(small: number, narrow: number, rows: number, excRows: number, nExc: number, excValues: number, out: number): number;
  encode_widen_i32(small: number, narrow: number, rows: number, excRows: number, nExc: number, excValues: number, out: number): number;
  encode_widen_i64(small: number, narrow: number, rows: number, excRows: number, nExc: number, excValues: number, out: number): number;
  encode_unpack_az64_i16(src: number, srcLen: number, rows: number, out: number): number;
  encode_unpack_az64_i32(src: number, srcLen: number, rows: number, out: number): number;
  encode_unpack_az64_i64(src: number, srcLen: number, rows: number, out: number): number;
  encode_expand_rle_8(values: number, lengths: number, nRuns: number, rows: number, out: number): number;
  encode_expand_rle_16(values: number, lengths: number, nRuns: number, rows: number, out: number): number;
  encode_expand_rle_32(values: number, lengths: number, nRuns: number, rows: number, out: number): number;
  encode_expand_rle_64(values: number, lengths: number, nRuns: number, rows: number, out: number): number;
  encode_gather_dict_8(dict: number, nDict: number, codes: number, rows: number, out: number): number;
  encode_gather_dict_16(dict: number, nDict: number, codes: number, rows: number, out: number): number;
  encode_gather_dict_32(dict: number, nDict: number, codes: number, rows: number, out: number): number;
  encode_gather_dict_64(dict: number, nDict: number, codes: number, rows: number, out: number): number;
}

/** Names of all kernel exports, in module order. */
export const KERNEL_NAMES: readonly (keyof KernelExports)[] = [
  'kernels_init', 'kernels_abi_version', 'filter_cmp_i16', 'filter_cmp_i32', 'filter_cmp_i64', 'filter_cmp_f32',
  'filter_cmp_f64', 'filter_cmp_col_i16', 'filter_cmp_col_i32', 'filter_cmp_col_i64', 'filter_cmp_col_f32',
  'filter_cmp_col_f64', 'filter_between_i16', 'filter_between_i32', 'filter_between_i64', 'filter_between_f32',
  'filter_between_f64', 'filter_mask', 'filter_in_i16', 'filter_in_i32', 'filter_in_i64', 'filter_in_f64',
  'filter_runtime_i16', 'filter_runtime_i32', 'filter_runtime_i64', 'filter_codes',
  'mask_cmp_i16', 'mask_cmp_i32', 'mask_cmp_i64', 'mask_cmp_f32', 'mask_cmp_f64', 'mask_between_i16',
  'mask_between_i32', 'mask_between_i64', 'mask_between_f32', 'mask_between_f64', 'mask_and', 'mask_or', 'mask_not',
  'gather_8', 'gather_16', 'gather_32', 'gather_64', 'gather_bits', 'bitmap_and', 'bitmap_count', 'arith_add_i32',
  'arith_sub_i32', 'arith_mul_i32', 'arith_div_i32', 'arith_mod_i32', 'arith_add_i64', 'arith_sub_i64',
  'arith_mul_i64', 'arith_div_i64', 'arith_mod_i64', 'arith_add_const_i32', 'arith_sub_const_i32',
  'arith_mul_const_i32', 'arith_rsub_const_i32', 'arith_div_const_i32', 'arith_mod_const_i32', 'arith_add_const_i64',
  'arith_sub_const_i64', 'arith_mul_const_i64', 'arith_rsub_const_i64', 'arith_div_const_i64', 'arith_mod_const_i64',
  'arith_add_f64', 'arith_sub_f64', 'arith_mul_f64', 'arith_add_const_f64', 'arith_sub_const_f64',
  'arith_mul_const_f64', 'arith_rsub_const_f64', 'arith_div_const_f64', 'arith_div_f64', 'dec_rescale_up_i64',
  'dec_rescale_down_i64', 'dec_div_i64', 'cast_i16_i32', 'cast_i32_i64', 'cast_i32_f64', 'cast_i64_f64',
  'cast_f32_f64', 'cast_f64_f32', 'cast_f64_i64', 'cast_f64_i32', 'cast_i64_i32', 'cast_i32_i16', 'hash_rows',
  'hash_i32', 'hash_i64', 'key_norm_i16', 'key_norm_i32', 'key_norm_i64', 'key_norm_f32', 'key_norm_f64', 'key_null',
  'key_put_i16', 'key_put_i32', 'key_put_i64', 'key_put_f64', 'hash_partition', 'partition_rows', 'group_ids',
  'group_rehash', 'agg_count_star', 'agg_count', 'agg_sum_i32', 'agg_sum_i64', 'agg_sum_f64', 'agg_min_i32',
  'agg_max_i32', 'agg_min_i64', 'agg_max_i64', 'agg_min_f64', 'agg_max_f64', 'sum_i32_sel', 'sum_i64_sel',
  'sum_f64_sel', 'agg_program', 'agg_dict_gids', 'agg_totals', 'key_gids', 'key_rehash', 'join_build', 'join_bloom_build', 'join_probe', 'join_probe_exists', 'mark_u8', 'sort_rows', 'topn_rows',
  'str_cmp_const', 'str_like', 'str_like_pieces', 'str_hash', 'str_sel_bytes', 'gather_str', 'key_norm_str', 'date_part_i32',
  'ts_part_i64', 'date_trunc_i32', 'ts_trunc_i64', 'ts_date_i64', 'date_add_months_i32',
  'encode_undelta_i16', 'encode_undelta_i32', 'encode_undelta_i64', 'encode_widen_i16', 'encode_widen_i32',
  'encode_widen_i64', 'encode_unpack_az64_i16', 'encode_unpack_az64_i32', 'encode_unpack_az64_i64',
  'encode_expand_rle_8', 'encode_expand_rle_16', 'encode_expand_rle_32', 'encode_expand_rle_64',
  'encode_gather_dict_8', 'encode_gather_dict_16', 'encode_gather_dict_32', 'encode_gather_dict_64',
];
