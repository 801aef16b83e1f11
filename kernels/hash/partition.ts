// hash_partition / partition_rows: split rows by hash into nparts partitions (slices), the exchange step behind
// DISTSTYLE KEY and the DS_DIST_* redistributions: first the partition of each row, then a stable counting sort.

/**
 * outPart[i] = partition of row i = (high 32 bits of hashes[i] * nparts) >> 32, in [0, nparts); counts[p] += 1
 * (counts i32[nparts], host-zeroed). The high bits are used so the choice is independent of the low bits that
 * pick hash-table slots inside a partition.
 */
export function hash_partition(hashes: usize, n: i32, nparts: i32, outPart: usize, counts: usize): void {
  const np = <u64><u32>nparts;
  for (let i = 0; i < n; i++) {
    const p = <i32>(((load<u64>(hashes + (<usize>i << 3)) >>> 32) * np) >>> 32);
    store<i32>(outPart + (<usize>i << 2), p);
    const c = counts + (<usize>p << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
}

/**
 * Stable counting sort of rows 0..n-1 by partition: row i goes to outSel[starts[parts[i]]++]. starts i32[nparts]
 * holds each partition's first position (the exclusive prefix sum of the counts) and ends up at the positions
 * one past each partition.
 */
export function partition_rows(parts: usize, n: i32, starts: usize, outSel: usize): void {
  for (let i = 0; i < n; i++) {
    const s = starts + (<usize>load<i32>(parts + (<usize>i << 2)) << 2);
    const pos = load<i32>(s);
    store<i32>(outSel + (<usize>pos << 2), i);
    store<i32>(s, pos + 1);
  }
}
