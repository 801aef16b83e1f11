// COPY FORMAT AS PARQUET (SNAPPY, ZSTD, GZIP pages; columns by position) and ZSTD-compressed text, on
// files DuckDB writes; values checked against DuckDB reading the same files. A corrupt Parquet file is
// a bad row: the COPY fails with XX000 and STL_LOAD_ERRORS names the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { open, SqlError, type Database } from '../../host/index.js';
import { Oracle } from '../differential/duckdb.js';

let db: Database;
let oracle: Oracle;
let dir: string;
before(async () => { db = await open({ slices: 2 }); oracle = await Oracle.create(1); dir = mkdtempSync(join(tmpdir(), 'wasmshift-pq-')); });
after(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

const SOURCE = `SELECT i::INT AS id, (i % 300 - 150)::SMALLINT AS small, (i * 1000000007)::BIGINT AS big,
  (i * 1.25 - 7)::DECIMAL(12,2) AS amount, i / 8.0 AS ratio, i % 3 = 0 AS flag,
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'name ' || i END AS name,
  DATE '2000-01-01' + (i * 37)::INT AS day, TIMESTAMP '2020-02-29 12:34:56.123456' + to_seconds(i * 3601) AS at
  FROM range(1, 3001) r(i)`;
const DDL = 'CREATE TABLE p (id INT, small SMALLINT, big BIGINT, amount DECIMAL(12,2), ratio FLOAT8, flag BOOLEAN, name VARCHAR(30), day DATE, at TIMESTAMP)';
const TEXT_COLS = 'id::varchar AS sid, small::varchar, big::varchar, amount::varchar, flag::varchar, name, day::varchar, at::varchar';
const DUCK_COLS = `id::varchar AS sid, small::varchar, big::varchar, amount::varchar, flag::varchar, name, day::varchar, strftime("at", '%Y-%m-%d %H:%M:%S.%f')`;

async function ours(q: string): Promise<(string | null)[][]> {
  const r = await db.query(q);
  return r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
}

for (const codec of ['snappy', 'zstd', 'gzip']) {
  test(`PARQUET (${codec}): every type matches DuckDB reading the file`, async () => {
    const f = join(dir, `data-${codec}.parquet`);
    await oracle.query(`COPY (${SOURCE}) TO '${f}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1000)`);
    await db.query('DROP TABLE IF EXISTS p');
    await db.query(DDL);
    assert.equal((await db.query(`COPY p FROM '${f}' FORMAT AS PARQUET`)).rowCount, 3000);
    const got = await ours(`SELECT ${TEXT_COLS} FROM p ORDER BY id`);
    const want = (await oracle.query(`SELECT ${DUCK_COLS} FROM read_parquet('${f}') ORDER BY id`)).text;
    // Timestamps: ours prints no trailing fraction zeros; compare as DuckDB's 6-digit form.
    assert.deepEqual(got.map((r) => r.map((v, k) => (k === 7 && v !== null && !v.includes('.') ? `${v}.000000` : k === 7 && v ? v.padEnd(26, '0') : v))), want);
    const [sumOurs] = await ours('SELECT sum(ratio)::varchar FROM p');
    const [sumDuck] = (await oracle.query(`SELECT sum(ratio)::varchar FROM read_parquet('${f}')`)).text;
    assert.equal(Number(sumOurs![0]), Number(sumDuck![0]));
  });
}

test('ZSTD-compressed CSV matches DuckDB; a corrupt Parquet file fails the COPY and is recorded', async () => {
  const f = join(dir, 'data.csv.zst');
  await oracle.query(`COPY (SELECT id, name FROM (${SOURCE})) TO '${f}' (FORMAT csv, HEADER false, COMPRESSION zstd)`);
  await db.query('DROP TABLE IF EXISTS z');
  await db.query('CREATE TABLE z (id INT, name VARCHAR(30))');
  assert.equal((await db.query(`COPY z FROM '${f}' CSV ZSTD`)).rowCount, 3000);
  assert.deepEqual(await ours('SELECT id::varchar AS sid, name FROM z ORDER BY id'), (await oracle.query(`SELECT id::varchar AS sid, name FROM read_csv('${f}', header=false, columns={'id':'INT','name':'VARCHAR'}) ORDER BY id`)).text);

  const bad = join(dir, 'corrupt.parquet');
  writeFileSync(bad, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100, 7), Buffer.from('PAR1')]));
  await assert.rejects(db.query(`COPY z FROM '${bad}' FORMAT AS PARQUET`), (e) => e instanceof SqlError && e.code === 'XX000');
  const errs = await db.query(`SELECT err_code, trim(err_reason) AS r FROM stl_load_errors WHERE trim(filename) = '${bad}'`);
  assert.equal(errs.rows.length, 1);
  assert.match(errs.rows[0]!.r as string, /^Invalid Parquet file/);
  assert.equal(Number((await db.query('SELECT count(*) AS n FROM z')).rows[0]!.n), 3000);
});

test('BZIP2: a bzip2 file (fixture made by bzip2 1.0) loads the rows it was made from', async () => {
  // The fixture holds exactly these lines, compressed with `bzip2 -9`.
  const expected: string[][] = [];
  for (let i = 1; i <= 5000; i++) expected.push([String(i), 'x'.repeat(i % 13), `row ${(i * 7919) % 10007}`]);
  const f = join(dirname(fileURLToPath(import.meta.url)), '../../../test/load/fixtures/rows-5000.txt.bz2');
  await db.query('DROP TABLE IF EXISTS bz');
  await db.query('CREATE TABLE bz (id INT, pad VARCHAR(20), label VARCHAR(20))');
  assert.equal((await db.query(`COPY bz FROM '${f}' BZIP2`)).rowCount, 5000);
  assert.deepEqual(await ours('SELECT id::varchar AS sid, pad, label FROM bz ORDER BY id'), expected);
  await assert.rejects(db.query(`COPY bz FROM '${join(dir, 'corrupt.parquet')}' BZIP2`), (e) => e instanceof SqlError && /bzip2/.test(e.message));
});
