// DISTSTYLE AUTO tables switch from ALL to EVEN when an append takes them past AUTO_ALL_MAX_ROWS:
// the replica and the new rows are spread together, once (a regression: spreading the replica
// alone rebuilt an ALL table and the switch recursed until the stack overflowed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from '../../host/index.js';
import { AUTO_ALL_MAX_ROWS } from '../../host/storage/table-data.js';

test('an AUTO table that grows past the ALL limit in one append keeps every row, spread EVEN', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmshift-auto-'));
  const db = await open({ slices: 3, workers: false });
  try {
    await db.query('CREATE TABLE grow (id INT, s VARCHAR(10)) DISTSTYLE AUTO');
    await db.query("INSERT INTO grow VALUES (-1, 'a'), (-2, 'b')");
    const n = AUTO_ALL_MAX_ROWS + 5;
    const file = join(dir, 'rows.txt');
    writeFileSync(file, Array.from({ length: n }, (_, i) => `${i}|w${i % 7}`).join('\n') + '\n');
    await db.query(`COPY grow FROM '${file}'`);
    const { rows } = await db.query<{ n: bigint; total: bigint; sevens: bigint }>("SELECT count(*) AS n, sum(id) AS total, sum(CASE WHEN s = 'w6' THEN 1 ELSE 0 END) AS sevens FROM grow");
    const expectedSevens = Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 === 6).length;
    assert.deepEqual(rows[0], { n: BigInt(n + 2), total: BigInt((n * (n - 1)) / 2 - 3), sevens: BigInt(expectedSevens) });
    const info = await db.query<{ diststyle: string }>("SELECT diststyle FROM svv_table_info WHERE \"table\" = 'grow'");
    assert.equal(info.rows[0]?.diststyle, 'AUTO(EVEN)');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an AUTO table spread EVEN stays EVEN when deletes bring it under the ALL limit: later INSERT and COPY keep every row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmshift-auto-'));
  const db = await open({ slices: 2, workers: false });
  try {
    await db.query('CREATE TABLE shrink (id INT, s VARCHAR(10)) DISTSTYLE AUTO');
    const n = AUTO_ALL_MAX_ROWS + 20_000;
    const file = join(dir, 'rows.txt');
    writeFileSync(file, Array.from({ length: n }, (_, i) => `${i}|w${i % 7}`).join('\n') + '\n');
    await db.query(`COPY shrink FROM '${file}'`);
    // half the rows go: 60,000 stay, under the limit, on both slices
    await db.query('DELETE FROM shrink WHERE id % 2 = 1');
    const small = join(dir, 'more.txt');
    writeFileSync(small, Array.from({ length: 5000 }, (_, i) => `${n + i}|m`).join('\n') + '\n');
    await db.query(`COPY shrink FROM '${small}'`);
    await db.query("INSERT INTO shrink VALUES (-1, 'a'), (-2, 'b')");
    const kept = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0);
    const total = kept.reduce((a, b) => a + b, 0) + Array.from({ length: 5000 }, (_, i) => n + i).reduce((a, b) => a + b, 0) - 3;
    const { rows } = await db.query<{ n: bigint; total: bigint }>('SELECT count(*) AS n, sum(id) AS total FROM shrink');
    assert.deepEqual(rows[0], { n: BigInt(kept.length + 5002), total: BigInt(total) });
    const info = await db.query<{ diststyle: string }>("SELECT diststyle FROM svv_table_info WHERE \"table\" = 'shrink'");
    assert.equal(info.rows[0]?.diststyle, 'AUTO(EVEN)');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
