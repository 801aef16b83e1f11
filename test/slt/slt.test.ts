// Runs every .slt file under test/slt/ against wasmshift, once with 1 slice and once with 3 slices:
// the expected output is the same, so distribution must never change a result.
// A file stops at its first failure; SLT_ALL_FAILURES=1 reports every failing record instead.

import { test } from 'node:test';
import { relative } from 'node:path';
import { findSltFiles, loadSlt, runSltFileWith, sltSourceDir } from './runner.js';
import { openWasmshiftEngine } from './wasmshift-engine.js';

const dir = sltSourceDir();
const files = await findSltFiles(dir);
const base = new URL('../../../', new URL('.', import.meta.url)).pathname;

for (const slices of [1, 3]) {
  test(`slt with ${slices} slice(s)`, async (t) => {
    for (const path of files) {
      await t.test(relative(dir, path), async () => {
        const file = await loadSlt(path, base);
        await runSltFileWith(file, openWasmshiftEngine, slices, { stopAtFirst: !process.env.SLT_ALL_FAILURES });
      });
    }
  });
}
