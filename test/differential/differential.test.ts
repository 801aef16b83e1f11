// Differential suite: 1M generated rows loaded into wasmshift (1 slice, then 4 slices) and into
// DuckDB; every query in queries.ts must give DuckDB's answer on both slice counts.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { differentialData, duckdbLoad, wasmshiftLoad } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, withLoadedWasmshift, type DiffEngine } from './harness.js';
import { DIFF_QUERIES } from './queries.js';

const tables = differentialData();
let oracle: DiffEngine;

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 4]) {
  test(`wasmshift with ${slices} slice(s) matches DuckDB on ${DIFF_QUERIES.length} queries`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(tables), async (engine) => {
      const counts = await engine.query('select count(*) from facts');
      assert.deepEqual(counts.rows, [[{ t: 'x', v: String(tables[0]!.rows), scale: 0 }]]);
      await assertSameAnswers(engine, oracle, DIFF_QUERIES);
    });
  });
}
