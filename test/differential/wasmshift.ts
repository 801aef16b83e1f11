// Opens the engine under test (host/index.ts) for the correctness suites: slt, differential and TPC-H.
// Loaded by a computed path so these suites compile before the engine exists and fail with a clear message.

import type { SessionApi } from '../../host/session/api.js';

/** The part of host/index.ts's Database the suites use. */
export interface WasmshiftDb {
  session(): SessionApi;
  close(): Promise<void>;
}

interface WasmshiftModule {
  open(options?: { slices?: number }): Promise<WasmshiftDb>;
}

let loaded: Promise<WasmshiftModule> | undefined;

/** Imports host/index.js (relative to dist/test/differential/ after tsc). */
function load(): Promise<WasmshiftModule> {
  if (!loaded) {
    const url = new URL('../../host/index.js', import.meta.url).href;
    loaded = (import(url) as Promise<WasmshiftModule>).then((m) => {
      if (typeof m.open !== 'function') throw new Error('host/index.js does not export open()');
      return m;
    });
  }
  return loaded;
}

/** A fresh in-memory database with `slices` slices. */
export async function openWasmshift(slices: number): Promise<WasmshiftDb> {
  const m = await load();
  return m.open({ slices });
}
