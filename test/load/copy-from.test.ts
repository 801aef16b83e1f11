// The library's db.copyFrom (bytes, a stream of chunks, a local path; options as an object or Redshift
// text; progress callbacks; atomic) and the `wasmshift load` command over a data directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { open, SqlError, type Database, type LoadProgress } from '../../host/index.js';
import { copyOptionsFromText } from '../../host/load/copy-options.js';
import { flagsToCopyText, progressLine } from '../../host/cli/load.js';

let db: Database;
let dir: string;
before(async () => { db = await open({ slices: 2 }); dir = mkdtempSync(join(tmpdir(), 'wasmshift-copyfrom-')); });
after(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

test('copyFrom: bytes, chunked stream with progress, a path; options object or text', async () => {
  await db.query('CREATE TABLE cf (id INT, name VARCHAR(10), day DATE)');
  const r1 = await db.copyFrom('cf', Buffer.from('id,name,day\n1,a,2024-01-01\n'), { format: 'CSV', ignoreHeader: 1 });
  assert.deepEqual(r1, { rows: 1, errors: 0 });
  const p = join(dir, 'big.txt');
  const lines: string[] = [];
  for (let i = 2; i <= 20001; i++) lines.push(`${i}|n${i % 97}|03/0${1 + (i % 9)}/2024`);
  writeFileSync(p, `${lines.join('\n')}\n`);
  const seen: LoadProgress[] = [];
  const r2 = await db.copyFrom('public.cf', createReadStream(p, { highWaterMark: 64 * 1024 }), { sql: "DATEFORMAT 'MM/DD/YYYY'", onProgress: (x) => seen.push(x) });
  assert.equal(r2.rows, 20000);
  assert.ok(seen.length > 2, 'progress reported while reading');
  assert.equal(seen[seen.length - 1]!.rows, 20000);
  assert.ok(seen.every((x, i) => i === 0 || x.bytesDone >= seen[i - 1]!.bytesDone));
  const r3 = await db.copyFrom('cf', p, { sql: "DATEFORMAT 'MM/DD/YYYY'", columns: ['id', 'name', 'day'] });
  assert.equal(r3.rows, 20000);
  const agg = (await db.query('SELECT count(*) AS n, sum(id) AS s, min(day) AS d FROM cf')).rows[0]!;
  assert.equal(Number(agg.n), 40001);
  assert.equal(Number(agg.s), 1 + 2 * ((20001 * 20002) / 2 - 1));
  assert.equal((agg.d as Date).toISOString().slice(0, 10), '2024-01-01');
  // Atomic: a bad row at the end leaves the table as it was.
  await assert.rejects(db.copyFrom('cf', Buffer.from('5|x|2024-01-01\nbad|y|2024-01-01\n')), (e) => e instanceof SqlError && e.code === 'XX000');
  assert.equal(Number((await db.query('SELECT count(*) AS n FROM cf')).rows[0]!.n), 40001);
});

test('COPY option text and CLI flags parse to the same options', () => {
  assert.deepEqual(copyOptionsFromText("CSV IGNOREHEADER 2 MAXERROR 5 DATEFORMAT 'auto' GZIP"),
    { format: 'CSV', ignoreHeader: 2, maxError: 5, dateFormat: 'auto', compression: 'GZIP' });
  assert.equal(flagsToCopyText({ format: 'csv', delimiter: ';', maxerror: '3', dateformat: "it's" }, ['TRUNCATECOLUMNS']), "CSV DELIMITER ';' MAXERROR 3 DATEFORMAT 'it''s' TRUNCATECOLUMNS");
  assert.match(progressLine({ file: 'f', filesDone: 0, filesTotal: 1, bytesDone: 1048576, bytesTotal: 4194304, rows: 1000, errors: 0, elapsedMs: 1000 }), /^1\.0 MB \/ 4\.0 MB 25%  1,000 rows  1,000 rows\/s  ETA 3s$/);
});

test('wasmshift load: COPY into a data directory from the command line', async () => {
  const data = join(dir, 'db');
  const setup = await open({ data, slices: 1 });
  await setup.query('CREATE TABLE items (id INT, label VARCHAR(20))');
  await setup.close();
  const csv = join(dir, 'items.csv');
  writeFileSync(csv, 'id,label\n1,one\n2,two\nx,bad\n3,three\n');
  const main = join(dirname(fileURLToPath(import.meta.url)), '../../host/cli/main.js');
  const { stdout } = await promisify(execFile)(process.execPath, [main, 'load', 'items', csv, '--data', data, '--format', 'csv', '--ignoreheader', '1', '--', 'MAXERROR', '1']);
  assert.match(stdout, /^Loaded 3 rows into items in [\d.]+ s \(1 bad rows skipped; see stl_load_errors\)\n$/);
  const check = await open({ data, slices: 1 });
  try {
    assert.deepEqual((await check.query('SELECT id, label FROM items ORDER BY id')).rows, [{ id: 1, label: 'one' }, { id: 2, label: 'two' }, { id: 3, label: 'three' }]);
  } finally { await check.close(); }
});
