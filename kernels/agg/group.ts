// group_ids / group_rehash: assign a dense group id to each packed key row (open addressing, linear probing).
// The host owns every buffer and grows the table when a call stops early; the kernel never allocates.

import { rowsEqual } from '../common-keys';

/**
 * For rows i in [0, n): outGids[i] = id of key row i, creating a group (appended at index state[0] of
 * groupKeys/groupHashes, then state[0]++) for a key not seen before. table is i32[cap] (cap a power of two, -1 =
 * empty) of group ids. Stops before inserting a group when state[0] == maxGroups or when one more group would fill
 * more than half of cap; returns the number of rows done (n when finished). The host then grows (group_rehash) and
 * calls again with keys, hashes and outGids advanced by the rows done.
 */
export function group_ids(keys: usize, width: i32, hashes: usize, n: i32, table: usize, cap: i32, groupKeys: usize,
  groupHashes: usize, state: usize, maxGroups: i32, outGids: usize): i32 {
  const mask = cap - 1;
  const rowBytes = <usize>width << 3;
  let ng = load<i32>(state);
  let limit = cap >> 1;
  if (maxGroups < limit) limit = maxGroups;
  let i = 0;
  for (; i < n; i++) {
    const h = load<u64>(hashes + (<usize>i << 3));
    const k = keys + <usize>i * rowBytes;
    let slot = <i32>h & mask;
    let gid = -1;
    while (true) {
      const g = load<i32>(table + (<usize>slot << 2));
      if (g < 0) break;
      // a one-word key is compared directly: equal keys have equal hashes, and it saves a load
      const eq = width == 1
        ? load<u64>(groupKeys + (<usize>g << 3)) == load<u64>(k)
        : load<u64>(groupHashes + (<usize>g << 3)) == h && rowsEqual(groupKeys + <usize>g * rowBytes, k, width);
      if (eq) { gid = g; break; }
      slot = (slot + 1) & mask;
    }
    if (gid < 0) {
      if (ng >= limit) break;
      gid = ng++;
      memory.copy(groupKeys + <usize>gid * rowBytes, k, rowBytes);
      store<u64>(groupHashes + (<usize>gid << 3), h);
      store<i32>(table + (<usize>slot << 2), gid);
    }
    store<i32>(outGids + (<usize>i << 2), gid);
  }
  store<i32>(state, ng);
  return i;
}

/** Rebuilds table (i32[cap], filled with -1 here) from the hashes of groups 0..nGroups-1. */
export function group_rehash(groupHashes: usize, nGroups: i32, table: usize, cap: i32): void {
  memory.fill(table, 0xFF, <usize>cap << 2);
  const mask = cap - 1;
  for (let g = 0; g < nGroups; g++) {
    let slot = <i32>load<u64>(groupHashes + (<usize>g << 3)) & mask;
    while (load<i32>(table + (<usize>slot << 2)) >= 0) slot = (slot + 1) & mask;
    store<i32>(table + (<usize>slot << 2), g);
  }
}
