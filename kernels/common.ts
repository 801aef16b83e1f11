// Shared helpers for every kernel family: validity-bit access, the compaction LUT address, PostgreSQL float order.
// Everything here is @inline so each kernel compiles to a self-contained loop over the shared memory.

/** Byte offset of the 16 x 16 B swizzle table used to compact 4 passing i32 lanes (written by `kernels_init`).
 *  It lives in the allocator's reserved control page [0, 64 KiB); see docs/kernel-abi.md "Memory layout". */
export const LUT_COMPACT4: usize = 0x400;

/** Bit `row` of an Arrow LSB validity bitmap as 0/1; `valid` must be non-zero. */
// @ts-ignore: decorator
@inline export function bitAt(valid: usize, row: i32): i32 {
  return (<i32>load<u8>(valid + (<usize>row >>> 3)) >>> (row & 7)) & 1;
}

/** 1 when row is not null (valid == 0 means the column has no nulls). */
// @ts-ignore: decorator
@inline export function isValid(valid: usize, row: i32): i32 {
  return valid == 0 ? 1 : bitAt(valid, row);
}

/** PostgreSQL's float order (float8.c float8_cmp_internal): NaN equals NaN and sorts above every number; -0 = 0. */
// @ts-ignore: decorator
@inline export function pgCmpF64(a: f64, b: f64): i32 {
  const an = a != a, bn = b != b;
  if (an | bn) return <i32>an - <i32>bn;
  return <i32>(a > b) - <i32>(a < b);
}

/** Applies comparison operator `op` (0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge) to a three-way result. */
// @ts-ignore: decorator
@inline export function opHolds(op: i32, c: i32): i32 {
  switch (op) {
    case 0: return <i32>(c == 0);
    case 1: return <i32>(c != 0);
    case 2: return <i32>(c < 0);
    case 3: return <i32>(c <= 0);
    case 4: return <i32>(c > 0);
    case 5: return <i32>(c >= 0);
    default: return 0;
  }
}

/** Order-preserving 64-bit image of a double: unsigned order of the result = PostgreSQL order of the inputs. */
// @ts-ignore: decorator
@inline export function f64OrderKey(x: f64): u64 {
  if (x != x) return 0xFFFFFFFFFFFFFFFF;
  const b = reinterpret<u64>(x + 0.0); // x + 0.0 turns -0 into +0
  return (b >> 63) != 0 ? ~b : b | 0x8000000000000000;
}
