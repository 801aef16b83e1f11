// Opens the engine under test (host/index.ts) for the correctness suites: slt, differential and TPC-H.
// Loaded by a computed path so these suites compile before the engine exists and fail with a clear message.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionApi } from '../../host/session/api.js';

/** The part of host/index.ts's Database the suites use. */
export interface WasmshiftDb {
  session(): SessionApi;
  close(): Promise<void>;
}

interface WasmshiftModule {
  open(options?: { slices?: number; workers?: boolean }): Promise<WasmshiftDb>;
}

let loaded: Promise<WasmshiftModule> | undefined;

/**
 * Imports host/index.js (relative to dist/test/differential/ after tsc), or the module named by the
 * WASMSHIFT_ENGINE environment variable (a path or file URL exporting the same `open`).
 */
function load(): Promise<WasmshiftModule> {
  if (!loaded) {
    const override = process.env.WASMSHIFT_ENGINE;
    const url = override
      ? (override.startsWith('file:') ? override : pathToFileURL(resolve(override)).href)
      : new URL('../../host/index.js', import.meta.url).href;
    loaded = (import(url) as Promise<WasmshiftModule>).then((m) => {
      if (typeof m.open !== 'function') throw new Error('host/index.js does not export open()');
      return m;
    });
  }
  return loaded;
}

/** A fresh in-memory database with `slices` slices (in slice workers unless `workers` is false). */
export async function openWasmshift(slices: number, workers?: boolean): Promise<WasmshiftDb> {
  const m = await load();
  return m.open(workers === undefined ? { slices } : { slices, workers });
}
