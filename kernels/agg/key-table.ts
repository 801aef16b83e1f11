// key_gids / key_rehash: dense group ids for GROUP BY keys of fixed-width integers (int2/int4/int8, dates,
// NUMERIC up to 18 digits), read straight from key columns in the shared memory (a chunk's, or a batch's copied
// there) through an open-addressing table; host/exec/key-table.ts owns the buffers and grows them (ADR 0028).
//
// A group's key is its columns' values as i64 words, plus (with several columns) one word whose bit k is set when
// column k is NULL; a single column's NULLs form one group whose id is kept in state[1]. Table slots are 16 bytes:
// an i64 (the value for one column, else the key's 32-bit hash), the group id (-1: empty) and 4 unused bytes.

// @ts-ignore: decorator
@inline const SLOT: usize = 16;

/** The value of row r of a key column (values, validity or 0, byte width 2, 4 or 8); `null` set when NULL. */
// @ts-ignore: decorator
@inline function valueAt(values: usize, width: i32, r: i32): i64 {
  if (width == 8) return load<i64>(values + (<usize>r << 3));
  if (width == 4) return <i64>load<i32>(values + (<usize>r << 2));
  return <i64>load<i16>(values + (<usize>r << 1));
}

// @ts-ignore: decorator
@inline function isNull(valid: usize, r: i32): bool {
  return valid != 0 && ((<i32>load<u8>(valid + (<usize>r >>> 3)) >>> (r & 7)) & 1) == 0;
}

/**
 * The slot of a one-column key: blocks of 16 consecutive values share a run of 16 slots (keys stored in order,
 * as lineitem's l_orderkey, then touch the table sequentially), and blocks are spread by a multiplicative hash.
 * Written over 32-bit halves so the JS reference (host/wasm/js-kernels.ts) computes the same slots.
 */
// @ts-ignore: decorator
@inline function slotOfValue(v: i64, mask: i32): i32 {
  const lo = <i32>v, hi = <i32>(v >> 32);
  const blo = (<i32>(<u32>lo >> 4)) | (hi << 28), bhi = hi >> 4;
  let h = (blo ^ (bhi * 0x27d4eb2d)) * <i32>0x9e3779b1;
  h ^= <i32>(<u32>h >> 15);
  h *= <i32>0x85ebca6b;
  h ^= <i32>(<u32>h >> 13);
  return ((h << 4) | (lo & 15)) & mask;
}

/** The 32-bit hash of a key of `w` words at p (several columns). */
// @ts-ignore: decorator
@inline function hashWords(p: usize, w: i32): i32 {
  let h: i32 = <i32>0x811c9dc5;
  for (let k = 0; k < w; k++) {
    const x = load<i64>(p + (<usize>k << 3));
    h = (h ^ <i32>x) * <i32>0x9e3779b1;
    h = ((h << 13) | <i32>(<u32>h >> 19)) ^ <i32>(x >> 32);
    h *= <i32>0x85ebca6b;
  }
  h ^= <i32>(<u32>h >> 16);
  h *= <i32>0x7feb352d;
  h ^= <i32>(<u32>h >> 15);
  return h;
}

// state (i32 words): 0 groups so far; 1 the NULL key's group (one column; -1: none); 2 mode (ORDERED, HASHED,
// DIRECT, or WANTS_TABLE when ordered mode ended and the host must build the table); 3 runs closed; 4 first group
// of the current run; 5 the group looked up last (-1: none); 6-7 DIRECT's base value (i64); from byte 64, per
// closed run: first group, end group (exclusive), merge cursor.
// @ts-ignore: decorator
@inline const HASHED: i32 = 0;
// @ts-ignore: decorator
@inline const ORDERED: i32 = 1;
// @ts-ignore: decorator
@inline const WANTS_TABLE: i32 = 2;
// @ts-ignore: decorator
@inline const DIRECT: i32 = 3;
/** Increasing runs ordered mode follows before it asks for the table. */
// @ts-ignore: decorator
@inline const MAX_RUNS: i32 = 16;

/**
 * For rows j in [from, n) (row sel[j], or j when sel = 0): out[j] = the group id of the row's key, a new id
 * (state[0], then state[0]++) for a key not seen before, its words appended to `keys` (W = ncols, plus one NULL-bits
 * word when ncols > 1, i64 each per group). `cols` holds ncols triplets of i32: values address, validity address
 * (0: no NULLs), byte width. Returns the row it stopped at (n when finished): before making group `limit` (the host
 * keeps limit below half the table's slots and below the groups `keys` holds), or when one column's ordered mode
 * ends (state[2] becomes WANTS_TABLE: the host builds the table with key_rehash and calls again from there).
 *
 * Direct mode (one column whose values the host knows to lie in [base, base + mask), a span of at most 2^20):
 * `table` is an i32 per value, the group of base + i at i (-1: none), one read per row.
 *
 * Ordered mode (one column, as long as its values come as at most MAX_RUNS increasing runs, ADR 0018): no table;
 * a value above the last one is new in the current run, and each earlier run (its groups' keys increase with
 * their ids) is searched by a cursor that only moves forward, so keys stored in order group by sequential reads.
 */
export function key_gids(cols: usize, ncols: i32, sel: usize, from: i32, n: i32, table: usize, mask: i32, keys: usize, state: usize, limit: i32, out: usize): i32 {
  let ng = load<i32>(state);
  if (ncols == 1) {
    const values = <usize>load<i32>(cols), valid = <usize>load<i32>(cols, 4), width = load<i32>(cols, 8);
    let last: i64 = 0, lastGid = load<i32>(state, 20);
    if (lastGid >= 0) last = load<i64>(keys + (<usize>lastGid << 3));
    let mode = load<i32>(state, 8);
    for (let j = from; j < n; j++) {
      const r = sel != 0 ? load<i32>(sel + (<usize>j << 2)) : j;
      if (isNull(valid, r)) {
        let g = load<i32>(state, 4);
        if (g < 0) {
          // A NULL group's key word would break the order of a run's keys: hashing from here.
          if (mode == ORDERED) { store<i32>(state, WANTS_TABLE, 8); store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
          if (ng >= limit) { store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
          g = ng++;
          store<i64>(keys + (<usize>g << 3), 0);
          store<i32>(state, g, 4);
        }
        store<i32>(out + (<usize>j << 2), g);
        continue;
      }
      const v = valueAt(values, width, r);
      if (v == last && lastGid >= 0) { store<i32>(out + (<usize>j << 2), lastGid); continue; }
      let g = -1;
      if (mode == DIRECT) {
        const off = v - load<i64>(state, 24);
        // The host proved the range; a value outside it is a host bug, left as an unreachable trap.
        if (<u64>off >= <u64>mask) unreachable();
        const p = table + (<usize>off << 2);
        g = load<i32>(p);
        if (g < 0) {
          if (ng >= limit) { store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
          g = ng++;
          store<i32>(p, g);
          store<i64>(keys + (<usize>g << 3), v);
        }
      } else if (mode == ORDERED) {
        let nruns = load<i32>(state, 12);
        if (lastGid >= 0 && v < last) {
          if (nruns == MAX_RUNS) { store<i32>(state, WANTS_TABLE, 8); store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
          // A new run: the current one closes, and every cursor rewinds.
          const runs = state + 64;
          const at = runs + <usize>nruns * 12;
          store<i32>(at, load<i32>(state, 16));
          store<i32>(at, ng, 4);
          nruns++;
          store<i32>(state, nruns, 12);
          for (let k = 0; k < nruns; k++) store<i32>(runs + <usize>k * 12, load<i32>(runs + <usize>k * 12), 8);
          store<i32>(state, ng, 16);
        }
        for (let k = 0; k < nruns && g < 0; k++) {
          const run = state + 64 + <usize>k * 12;
          const end = load<i32>(run, 4);
          let c = load<i32>(run, 8);
          if (c == end) continue;
          if (load<i64>(keys + (<usize>(end - 1) << 3)) < v) { store<i32>(run, end, 8); continue; }
          while (load<i64>(keys + (<usize>c << 3)) < v) c++;
          store<i32>(run, c, 8);
          if (load<i64>(keys + (<usize>c << 3)) == v) g = c;
        }
        if (g < 0) {
          if (ng >= limit) { store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
          g = ng++;
          store<i64>(keys + (<usize>g << 3), v);
        }
      } else {
        let slot = slotOfValue(v, mask);
        while (true) {
          const p = table + <usize>slot * SLOT;
          const id = load<i32>(p, 8);
          if (id < 0) {
            if (ng >= limit) { store<i32>(state, ng); store<i32>(state, lastGid, 20); return j; }
            g = ng++;
            store<i64>(p, v);
            store<i32>(p, g, 8);
            store<i64>(keys + (<usize>g << 3), v);
            break;
          }
          if (load<i64>(p) == v) { g = id; break; }
          slot = (slot + 1) & mask;
        }
      }
      last = v; lastGid = g;
      store<i32>(out + (<usize>j << 2), g);
    }
    store<i32>(state, ng);
    store<i32>(state, lastGid, 20);
    return n;
  }
  const w = ncols + 1;
  const rowBytes = <usize>w << 3;
  let lastGid = -1;
  for (let j = from; j < n; j++) {
    const r = sel != 0 ? load<i32>(sel + (<usize>j << 2)) : j;
    // The row's key is built where the next new group's would go: kept when it is new.
    const k = keys + <usize>ng * rowBytes;
    let nulls: i64 = 0;
    for (let c = 0; c < ncols; c++) {
      const d = cols + <usize>c * 12;
      const valid = <usize>load<i32>(d, 4);
      let v: i64 = 0;
      if (isNull(valid, r)) nulls |= (<i64>1) << c;
      else v = valueAt(<usize>load<i32>(d), load<i32>(d, 8), r);
      store<i64>(k + (<usize>c << 3), v);
    }
    store<i64>(k + (<usize>ncols << 3), nulls);
    if (lastGid >= 0 && sameKey(keys + <usize>lastGid * rowBytes, k, w)) { store<i32>(out + (<usize>j << 2), lastGid); continue; }
    const h = hashWords(k, w);
    let slot = h & mask;
    let g = -1;
    while (true) {
      const p = table + <usize>slot * SLOT;
      const id = load<i32>(p, 8);
      if (id < 0) {
        if (ng >= limit) { store<i32>(state, ng); return j; }
        g = ng++;
        store<i64>(p, <i64>h);
        store<i32>(p, g, 8);
        break;
      }
      if (load<i64>(p) == <i64>h && sameKey(keys + <usize>id * rowBytes, k, w)) { g = id; break; }
      slot = (slot + 1) & mask;
    }
    lastGid = g;
    store<i32>(out + (<usize>j << 2), g);
  }
  store<i32>(state, ng);
  return n;
}

// @ts-ignore: decorator
@inline function sameKey(a: usize, b: usize, w: i32): bool {
  for (let k = 0; k < w; k++) if (load<i64>(a + (<usize>k << 3)) != load<i64>(b + (<usize>k << 3))) return false;
  return true;
}

/**
 * Fills table (mask + 1 slots, emptied here) with groups 0..ngroups-1 of `keys` (as key_gids wrote them for
 * ncols columns); with one column, group nullGid (the NULL key, -1: none) has no slot.
 */
export function key_rehash(keys: usize, ncols: i32, ngroups: i32, nullGid: i32, table: usize, mask: i32): void {
  memory.fill(table, 0xFF, (<usize>mask + 1) * SLOT);
  const w = ncols == 1 ? 1 : ncols + 1;
  for (let g = 0; g < ngroups; g++) {
    if (g == nullGid) continue;
    const k = keys + <usize>g * (<usize>w << 3);
    let word: i64, slot: i32;
    if (ncols == 1) { word = load<i64>(k); slot = slotOfValue(word, mask); }
    else { const h = hashWords(k, w); word = <i64>h; slot = h & mask; }
    while (load<i32>(table + <usize>slot * SLOT, 8) >= 0) slot = (slot + 1) & mask;
    const p = table + <usize>slot * SLOT;
    store<i64>(p, word);
    store<i32>(p, g, 8);
  }
}
