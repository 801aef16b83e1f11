// CPU time other processes used while the benchmark was timing (Linux /proc): on a shared machine a figure taken
// while others compete for the cores is not comparable, so every query reports how busy the rest of the machine was.

import { readFileSync } from 'node:fs';

/** A reading of the machine's busy CPU ticks and this process's own (all threads: DuckDB's and piscina's). */
export interface CpuSnapshot { machineBusy: number; own: number; atMs: number }

/** Clock ticks per second of /proc/stat and /proc/self/stat (USER_HZ, 100 on Linux). */
const HZ = 100;

/** The current reading, or undefined where /proc is not there. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const machineBusy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
    // fields after the parenthesised command name: state is field 3, utime 14, stime 15
    const self = readFileSync('/proc/self/stat', 'utf8');
    const rest = self.slice(self.lastIndexOf(')') + 2).split(' ');
    const own = Number(rest[11]) + Number(rest[12]);
    return { machineBusy, own, atMs: performance.now() };
  } catch {
    return undefined;
  }
}

/** Average number of cores other processes kept busy between two readings (undefined without /proc). */
export function foreignCores(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined): number | undefined {
  if (!from || !to || to.atMs <= from.atMs) return undefined;
  const ticks = (to.machineBusy - from.machineBusy) - (to.own - from.own);
  return Math.max(0, ticks / HZ / ((to.atMs - from.atMs) / 1000));
}
