// agg_program: a scan's aggregate arguments evaluated and folded per group straight from a chunk's fixed-width
// columns in the shared memory (host/exec/scan-agg.ts compiles the program; docs/kernel-abi.md section 6).
// Rows are taken in blocks of AGG_BLOCK: each instruction runs over the block into an i64 register of AGG_BLOCK
// values, so a subexpression feeding several aggregates is computed once. Arithmetic wraps: the host proves from
// the chunk's zone maps that no valid row leaves the range before it runs a program.

// @ts-ignore: decorator
@inline const AGG_BLOCK: i32 = 1024;

// Opcodes; every instruction is four i64 words: op, d, a, b (op's bits 8 and up carry a count for some).
// @ts-ignore: decorator
@inline const OP_LOAD_I64: i32 = 0;   // reg d = i64 column at address a, at each row
// @ts-ignore: decorator
@inline const OP_LOAD_I32: i32 = 1;   // reg d = i32 column at a, sign-extended
// @ts-ignore: decorator
@inline const OP_LOAD_I16: i32 = 2;   // reg d = i16 column at a, sign-extended
// @ts-ignore: decorator
@inline const OP_LOAD_VALID: i32 = 3; // reg d = -1 where bit row of the validity bitmap at a is set, else 0
// @ts-ignore: decorator
@inline const OP_CONST: i32 = 4;      // reg d = a
// @ts-ignore: decorator
@inline const OP_ADD: i32 = 5;        // reg d = reg a + reg b
// @ts-ignore: decorator
@inline const OP_SUB: i32 = 6;        // reg d = reg a - reg b
// @ts-ignore: decorator
@inline const OP_MUL: i32 = 7;        // reg d = reg a * reg b
// @ts-ignore: decorator
@inline const OP_MUL_K: i32 = 8;      // reg d = reg a * b (a rescale)
// @ts-ignore: decorator
@inline const OP_AND: i32 = 9;        // reg d = reg a & reg b (validity masks)
// @ts-ignore: decorator
@inline const OP_SUM: i32 = 10;       // i128 at slot d (+1) of the row's group += reg a, rows where mask reg b (-1: every row)
// @ts-ignore: decorator
@inline const OP_COUNT: i32 = 11;     // i64 at slot d += 1, rows where mask reg a (-1: every row)
// @ts-ignore: decorator
@inline const OP_MIN: i32 = 12;       // i64 at slot d = min(slot, reg a), rows where mask reg b
// @ts-ignore: decorator
@inline const OP_MAX: i32 = 13;       // i64 at slot d = max(slot, reg a), rows where mask reg b
// @ts-ignore: decorator
@inline const OP_ADD_K: i32 = 14;     // reg d = reg a + b
// @ts-ignore: decorator
@inline const OP_RSUB_K: i32 = 15;    // reg d = b - reg a
// @ts-ignore: decorator
@inline const OP_SUM_SMALL: i32 = 16; // OP_SUM when every group id is below op >> 8 (<= AGG_BLOCK) and |value| < 2^52
// @ts-ignore: decorator
@inline const OP_COUNT_NULL: i32 = 17; // i64 at slot d += 1, rows where mask reg a is 0

// @ts-ignore: decorator
@inline function rowOf(sel: usize, j: i32): i32 { return sel != 0 ? load<i32>(sel + (<usize>j << 2)) : j; }
// @ts-ignore: decorator
@inline function gidOf(gids: usize, j: i32): usize { return gids != 0 ? <usize>load<i32>(gids + (<usize>j << 2)) : 0; }
// @ts-ignore: decorator
@inline function reg(regs: usize, r: i64): usize { return regs + (<usize>r + 1) * (<usize>AGG_BLOCK << 3); }

/**
 * Runs the `count` instructions at `prog` over rows sel[0..n) of a chunk (rows 0..n-1 when sel = 0). Row j's group
 * is gids[j] (every row is group 0 when gids = 0); group g's accumulators are the i64 words at acc + (g * stride +
 * slot) * 8. `regs` is scratch for AGG_BLOCK i64 of per-group partial sums then as many registers as the program
 * names, AGG_BLOCK i64 each. The host zeroes sums and counts and starts MIN slots at the largest i64 and MAX slots at
 * the smallest.
 */
export function agg_program(prog: usize, count: i32, sel: usize, n: i32, gids: usize, stride: i32, acc: usize, regs: usize): void {
  for (let start = 0; start < n; start += AGG_BLOCK) {
    const m = min(AGG_BLOCK, n - start);
    const bsel = sel != 0 ? sel + (<usize>start << 2) : 0;
    const bgid = gids != 0 ? gids + (<usize>start << 2) : 0;
    for (let k = 0; k < count; k++) {
      const ins = prog + (<usize>k << 5);
      const word = load<i64>(ins);
      const op = <i32>(word & 0xFF);
      const d = load<i64>(ins, 8), a = load<i64>(ins, 16), b = load<i64>(ins, 24);
      switch (op) {
        case OP_LOAD_I64: {
          const out = reg(regs, d), col = <usize>a;
          for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(col + (<usize>(bsel != 0 ? rowOf(bsel, j) : start + j) << 3)));
          break;
        }
        case OP_LOAD_I32: {
          const out = reg(regs, d), col = <usize>a;
          for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), <i64>load<i32>(col + (<usize>(bsel != 0 ? rowOf(bsel, j) : start + j) << 2)));
          break;
        }
        case OP_LOAD_I16: {
          const out = reg(regs, d), col = <usize>a;
          for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), <i64>load<i16>(col + (<usize>(bsel != 0 ? rowOf(bsel, j) : start + j) << 1)));
          break;
        }
        case OP_LOAD_VALID: {
          const out = reg(regs, d), bits = <usize>a;
          for (let j = 0; j < m; j++) {
            const r = bsel != 0 ? rowOf(bsel, j) : start + j;
            store<i64>(out + (<usize>j << 3), -<i64>((<i32>load<u8>(bits + (<usize>r >>> 3)) >>> (r & 7)) & 1));
          }
          break;
        }
        case OP_CONST: {
          const out = reg(regs, d);
          for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), a);
          break;
        }
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_AND: {
          const out = reg(regs, d), x = reg(regs, a), y = reg(regs, b);
          if (op == OP_ADD) for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) + load<i64>(y + (<usize>j << 3)));
          else if (op == OP_SUB) for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) - load<i64>(y + (<usize>j << 3)));
          else if (op == OP_MUL) for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) * load<i64>(y + (<usize>j << 3)));
          else for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) & load<i64>(y + (<usize>j << 3)));
          break;
        }
        case OP_MUL_K: case OP_ADD_K: case OP_RSUB_K: {
          const out = reg(regs, d), x = reg(regs, a);
          if (op == OP_MUL_K) for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) * b);
          else if (op == OP_ADD_K) for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), load<i64>(x + (<usize>j << 3)) + b);
          else for (let j = 0; j < m; j++) store<i64>(out + (<usize>j << 3), b - load<i64>(x + (<usize>j << 3)));
          break;
        }
        case OP_SUM_SMALL: sumSmall(reg(regs, a), b < 0 ? 0 : reg(regs, b), bgid, m, acc + (<usize>d << 3), <usize>stride << 3, regs, <i32>(word >> 8)); break;
        case OP_COUNT_NULL: {
          const mask = reg(regs, a);
          const base = acc + (<usize>d << 3), step = <usize>stride << 3;
          for (let j = 0; j < m; j++) {
            const p = base + gidOf(bgid, j) * step;
            store<i64>(p, load<i64>(p) + 1 + load<i64>(mask + (<usize>j << 3)));
          }
          break;
        }
        case OP_SUM: sumInto(reg(regs, a), b < 0 ? 0 : reg(regs, b), bgid, m, acc + (<usize>d << 3), <usize>stride << 3); break;
        case OP_COUNT: {
          const mask = a < 0 ? 0 : reg(regs, a);
          const base = acc + (<usize>d << 3), step = <usize>stride << 3;
          if (bgid == 0) {
            let c: i64 = 0;
            if (mask == 0) c = <i64>m; else for (let j = 0; j < m; j++) c -= load<i64>(mask + (<usize>j << 3));
            store<i64>(base, load<i64>(base) + c);
          } else {
            for (let j = 0; j < m; j++) {
              const p = base + gidOf(bgid, j) * step;
              store<i64>(p, load<i64>(p) + (mask == 0 ? 1 : -load<i64>(mask + (<usize>j << 3))));
            }
          }
          break;
        }
        case OP_MIN: case OP_MAX: {
          const x = reg(regs, a), mask = b < 0 ? 0 : reg(regs, b);
          const base = acc + (<usize>d << 3), step = <usize>stride << 3;
          for (let j = 0; j < m; j++) {
            if (mask != 0 && load<i64>(mask + (<usize>j << 3)) == 0) continue;
            const p = base + gidOf(bgid, j) * step;
            const v = load<i64>(x + (<usize>j << 3));
            if (op == OP_MIN ? v < load<i64>(p) : v > load<i64>(p)) store<i64>(p, v);
          }
          break;
        }
        default: unreachable();
      }
    }
  }
}

/** The i128 at p (low word, high word) of each row's group += x[j] where mask[j] is -1 (every row when mask = 0). */
// @ts-ignore: decorator
@inline function sumInto(x: usize, mask: usize, gids: usize, m: i32, base: usize, step: usize): void {
  if (gids == 0) {
    // One group: the block's values are summed in registers first, carrying into the high word per row.
    let lo = load<u64>(base), hi = load<i64>(base, 8);
    for (let j = 0; j < m; j++) {
      let v = load<i64>(x + (<usize>j << 3));
      if (mask != 0) v &= load<i64>(mask + (<usize>j << 3));
      const nlo = lo + <u64>v;
      hi += (v >> 63) + <i64>(nlo < lo);
      lo = nlo;
    }
    store<u64>(base, lo);
    store<i64>(base, hi, 8);
    return;
  }
  for (let j = 0; j < m; j++) {
    let v = load<i64>(x + (<usize>j << 3));
    if (mask != 0) v &= load<i64>(mask + (<usize>j << 3));
    const p = base + gidOf(gids, j) * step;
    const lo = load<u64>(p);
    const nlo = lo + <u64>v;
    store<u64>(p, nlo);
    store<i64>(p, load<i64>(p, 8) + (v >> 63) + <i64>(nlo < lo), 8);
  }
}

/**
 * sumInto for a block whose sum per group stays within i64 (|value| < 2^52, at most AGG_BLOCK rows): the rows add
 * into i64 partials per group (`part`, ng words) and each group's partial then into its i128, so a row costs one
 * add to memory instead of a carried pair.
 */
// @ts-ignore: decorator
@inline function sumSmall(x: usize, mask: usize, gids: usize, m: i32, base: usize, step: usize, part: usize, ng: i32): void {
  if (gids == 0) {
    let s: i64 = 0;
    if (mask == 0) for (let j = 0; j < m; j++) s += load<i64>(x + (<usize>j << 3));
    else for (let j = 0; j < m; j++) s += load<i64>(x + (<usize>j << 3)) & load<i64>(mask + (<usize>j << 3));
    addI128(base, s);
    return;
  }
  memory.fill(part, 0, <usize>ng << 3);
  if (mask == 0) {
    for (let j = 0; j < m; j++) {
      const p = part + (gidOf(gids, j) << 3);
      store<i64>(p, load<i64>(p) + load<i64>(x + (<usize>j << 3)));
    }
  } else {
    for (let j = 0; j < m; j++) {
      const p = part + (gidOf(gids, j) << 3);
      store<i64>(p, load<i64>(p) + (load<i64>(x + (<usize>j << 3)) & load<i64>(mask + (<usize>j << 3))));
    }
  }
  for (let g = 0; g < ng; g++) {
    const s = load<i64>(part + (<usize>g << 3));
    if (s != 0) addI128(base + <usize>g * step, s);
  }
}

/** The i128 at p (low word, high word) += v. */
// @ts-ignore: decorator
@inline function addI128(p: usize, v: i64): void {
  const lo = load<u64>(p);
  const nlo = lo + <u64>v;
  store<u64>(p, nlo);
  store<i64>(p, load<i64>(p, 8) + (v >> 63) + <i64>(nlo < lo), 8);
}

/**
 * Group ids of rows sel[0..n) (rows 0..n-1 when sel = 0) from dictionary-coded key columns: `keys` holds nkeys
 * triplets of i32 (codes address, validity address or 0, radix = dictionary size + 1, the last code standing for
 * NULL); a row's combination is its codes in mixed radix, first key most significant, and out[j] = lut[combination].
 * A combination whose lut entry is negative is written as -1 - combination. Returns how many rows were so written.
 */
export function agg_dict_gids(keys: usize, nkeys: i32, sel: usize, n: i32, lut: usize, out: usize): i32 {
  let misses = 0;
  for (let j = 0; j < n; j++) {
    const r = rowOf(sel, j);
    let combo = 0;
    for (let k = 0; k < nkeys; k++) {
      const d = keys + <usize>k * 12;
      const codes = <usize>load<i32>(d), valid = <usize>load<i32>(d, 4), radix = load<i32>(d, 8);
      const code = valid != 0 && ((<i32>load<u8>(valid + (<usize>r >>> 3)) >>> (r & 7)) & 1) == 0 ? radix - 1 : load<i32>(codes + (<usize>r << 2));
      combo = combo * radix + code;
    }
    const g = load<i32>(lut + (<usize>combo << 2));
    if (g < 0) { store<i32>(out + (<usize>j << 2), -1 - combo); misses++; }
    else store<i32>(out + (<usize>j << 2), g);
  }
  return misses;
}

/**
 * The per-group words agg_program left at acc (stride i64 per group) as doubles for groups 0..ng-1: counts[g] = the
 * i64 at slot `rows` less the i64 at slot `nulls` (none when nulls < 0); when sum >= 0, sums[g] = the i128 at slot
 * `sum` when it lies within +-2^53 (an exact double), else NaN. Returns how many sums were NaN (the host reads
 * those i128 words itself).
 */
export function agg_totals(acc: usize, stride: i32, ng: i32, rows: i32, nulls: i32, sum: i32, counts: usize, sums: usize): i32 {
  const step = <usize>stride << 3;
  let wide = 0;
  let p = acc;
  for (let g = 0; g < ng; g++, p += step) {
    let c = load<i64>(p + (<usize>rows << 3));
    if (nulls >= 0) c -= load<i64>(p + (<usize>nulls << 3));
    store<f64>(counts + (<usize>g << 3), <f64>c);
    if (sum >= 0) {
      const lo = load<i64>(p + (<usize>sum << 3)), hi = load<i64>(p + (<usize>sum << 3), 8);
      if (hi == (lo >> 63) && lo <= 0x1FFFFFFFFFFFFF && lo >= -0x1FFFFFFFFFFFFF) store<f64>(sums + (<usize>g << 3), <f64>lo);
      else { store<f64>(sums + (<usize>g << 3), NaN); wide++; }
    }
  }
  return wide;
}
