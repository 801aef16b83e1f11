// kernels_init: writes the constant tables kernels read from the reserved control page (no data segments allowed).
// Idempotent and deterministic, so every instance may call it on the shared memory at any time.

import { LUT_COMPACT4 } from './common';

/** Fills the 4-lane compaction LUT: entry m (16 B) lists, as byte indices, the i32 lanes set in mask m, in order. */
export function kernels_init(): void {
  for (let m = 0; m < 16; m++) {
    let o = 0;
    const e = LUT_COMPACT4 + (<usize>m << 4);
    for (let lane = 0; lane < 4; lane++) {
      if ((m >> lane) & 1) {
        for (let b = 0; b < 4; b++) store<u8>(e + <usize>(o * 4 + b), <u8>(lane * 4 + b));
        o++;
      }
    }
    for (; o < 4; o++) for (let b = 0; b < 4; b++) store<u8>(e + <usize>(o * 4 + b), 0x80);
  }
}

/** Version of the kernel ABI; the host refuses a module whose version differs from the one it was written for. */
export function kernels_abi_version(): i32 {
  return 1;
}
