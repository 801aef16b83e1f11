// What each fragment of a cached plan cost the last time it ran, for the dispatcher's choice between
// the leader's thread and the slice workers (host/cluster/pool.ts runOnSlices, ADR 0033): a plan
// the plan cache hands out again (host/session/plan-cache.ts) has the same plan nodes on every run.

/**
 * Milliseconds of CPU each fragment took when it last ran, by the plan node it was cut from (held
 * weakly: the costs go with the plan).
 */
export class FragmentCosts {
  private readonly ms = new WeakMap<object, number>();

  /** Whether the fragment cut from `key` last took less than `limitMs`; false when it never ran. */
  cheap(key: object | undefined, limitMs: number): boolean {
    const ms = key === undefined ? undefined : this.ms.get(key);
    return ms !== undefined && ms < limitMs;
  }

  /** The fragment cut from `key` ran, taking `ms` (nothing is kept without a key). */
  ran(key: object | undefined, ms: number): void {
    if (key !== undefined) this.ms.set(key, ms);
  }
}
