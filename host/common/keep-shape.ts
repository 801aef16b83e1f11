// Keeps one idle instance of each hot class alive for the process's life, so that V8 keeps the
// class's hidden classes and the optimized code built on them between queries (host/exec, host/cluster).
//
// Why: a class instance's hidden class (V8 "map") is reached from the class only through weak
// transitions, so when a full GC finds no live instance (between queries, or after the bench's
// explicit gc()), the map dies: every function optimized for it is thrown away ("weak objects"),
// its type feedback is cleared, and the next query builds a fresh map, deoptimizes again ("wrong
// map", "insufficient type feedback") and recompiles, for several runs of each query. An instance
// kept here holds the map (a map lives while an object has it).

const kept: object[] = [];

/**
 * Keeps `instance` alive for good. Pass an instance built the way every instance is (the same
 * fields assigned in the same order), holding nothing large: it is never used.
 */
export function keepShape(instance: object): void {
  kept.push(instance);
}
