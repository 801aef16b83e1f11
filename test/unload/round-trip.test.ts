// Round trips COPY -> UNLOAD -> COPY for every type and every format (TEXT, CSV, JSON, PARQUET) and
// compression (none, GZIP, ZSTD), to a local prefix and to s3:// on a local S3-compatible server (s3rver):
// the reloaded table holds exactly the rows of the source (internal values compared, floats bit for bit).
// The Parquet files are also read by DuckDB (read_parquet) as the oracle of their types and values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import type { Session } from '../../host/session/session.js';
import { Oracle } from '../differential/duckdb.js';
import { startS3, type TestS3 } from './s3-server.js';

let db: Database;
let sess: Session;
let s3: TestS3;
let oracle: Oracle;
let dir: string;

const COLUMNS = `id INT, s SMALLINT, i INT, b BIGINT, n DECIMAL(18,4), w DECIMAL(38,10), r REAL, d DOUBLE PRECISION,
  f BOOLEAN, c CHAR(6), v VARCHAR(100), dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ`;

const STRINGS = ['a|b', 'c,d', 'say "hi"', 'line1\nline2', 'back\\slash', 'tab\there', 'é漢字😀', '', 'cr\rhere', '\\N',
  'trailing ', ' leading', "it's", 'plain'];
const REALS = ['NaN', 'Infinity', '-Infinity', '3.4028235e38', '1.17549435e-38', '0.1', '-2.5', '16777217'];
const DOUBLES = ['NaN', 'Infinity', '-Infinity', '1.7976931348623157e308', '5e-324', '0.1', '-0.30000000000000004', '123456789.123456789'];
const DATES = ['1900-02-28', '2000-02-29', '9999-12-31', '1970-01-01', '1969-12-31'];
const STAMPS = ['2020-02-29 12:34:56.123456', '1969-12-31 23:59:59.999999', '1900-01-01 00:00:00', '2038-01-19 03:14:08.5'];
const ZONED = ['2020-06-01 10:00:00.5+02', '1999-12-31 23:59:59-08', '2024-02-29 00:00:00.000001+00'];

function csvQuote(s: string): string { return '"' + s.replace(/"/g, '""') + '"'; }

/** The source rows as CSV: every 10th row is NULL in every column but id; strings are quoted (so '' is not NULL). */
function sourceCsv(rows: number): string {
  let out = '';
  for (let k = 1; k <= rows; k++) {
    if (k % 10 === 0) { out += `${k}${','.repeat(13)}\n`; continue; }
    const s = k === 1 ? -32768 : k === 2 ? 32767 : (k * 37) % 65536 - 32768;
    const i = k === 1 ? -2147483648 : k === 2 ? 2147483647 : (k * 1000003) % 2147483647 - 1073741823;
    const b = k === 1 ? '-9223372036854775808' : k === 2 ? '9223372036854775807' : String(BigInt(k) * 92233720368547n - 4611686018427387n);
    const n = `${k % 2 ? '-' : ''}${k * 7919}.${String((k * 13) % 10000).padStart(4, '0')}`;
    const w = `${k % 3 ? '' : '-'}${'1234567890123456789012345678'.slice(0, 28 - (k % 20))}.${String(k * 987654321 % 10000000000).padStart(10, '0')}`;
    const fields = [
      String(k), String(s), String(i), b, n, w, REALS[k % REALS.length]!, DOUBLES[k % DOUBLES.length]!, k % 3 === 0 ? 't' : 'f',
      csvQuote(['ab', 'é', '', 'xyz123'][k % 4]!), csvQuote(STRINGS[k % STRINGS.length]!), DATES[k % DATES.length]!,
      STAMPS[k % STAMPS.length]!, ZONED[k % ZONED.length]!,
    ];
    out += fields.join(',') + '\n';
  }
  return out;
}

async function rowsOf(table: string): Promise<unknown[][]> {
  const [r] = await sess.execute(`SELECT * FROM ${table} ORDER BY id`);
  return r!.rows;
}

let source: unknown[][];

before(async () => {
  s3 = await startS3();
  db = await open({ slices: 3, s3: s3.options });
  sess = db.session();
  oracle = await Oracle.create(1);
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-unload-'));
  writeFileSync(join(dir, 'source.csv'), sourceCsv(120));
  await db.query(`CREATE TABLE src (${COLUMNS})`);
  assert.equal((await db.query(`COPY src FROM '${join(dir, 'source.csv')}' CSV`)).rowCount, 120);
  source = await rowsOf('src');
  // The source itself holds what the CSV says (the special strings, NaN, the extremes).
  const check = await db.query(`SELECT count(*) FILTER (WHERE v = 'line1' || chr(10) || 'line2') AS nl, count(*) FILTER (WHERE d = 'NaN'::float8) AS nan,
    count(*) FILTER (WHERE b = 9223372036854775807) AS maxb, count(*) FILTER (WHERE v = '') AS empty, count(*) FILTER (WHERE v IS NULL) AS nulls FROM src`);
  assert.deepEqual(Object.values(check.rows[0]!).map(Number), [9, 12, 1, 9, 12]);
});

after(async () => {
  await db.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Case { name: string; unload: string; copy: string }
const CASES: Case[] = [
  { name: 'TEXT', unload: `ESCAPE NULL AS '\\N'`, copy: `ESCAPE NULL AS '\\N'` },
  { name: 'TEXT GZIP', unload: `ESCAPE NULL AS '\\N' GZIP`, copy: `ESCAPE NULL AS '\\N' GZIP` },
  { name: 'TEXT ZSTD tab-delimited', unload: `DELIMITER '\\t' ESCAPE NULL AS '\\N' ZSTD PARALLEL OFF`, copy: `DELIMITER '\\t' ESCAPE NULL AS '\\N' ZSTD` },
  { name: 'TEXT ADDQUOTES', unload: `ADDQUOTES ESCAPE NULL AS '\\N'`, copy: `REMOVEQUOTES ESCAPE NULL AS '\\N'` },
  { name: 'CSV HEADER', unload: 'CSV HEADER', copy: 'CSV IGNOREHEADER 1' },
  { name: 'CSV GZIP', unload: 'FORMAT AS CSV GZIP PARALLEL OFF', copy: 'CSV GZIP' },
  { name: 'CSV ZSTD', unload: `CSV DELIMITER ';' ZSTD`, copy: `CSV DELIMITER ';' ZSTD` },
  { name: 'JSON', unload: 'JSON', copy: `JSON 'auto'` },
  { name: 'JSON GZIP', unload: 'FORMAT JSON GZIP', copy: `FORMAT AS JSON 'auto' GZIP` },
  { name: 'PARQUET', unload: 'PARQUET', copy: 'FORMAT AS PARQUET' },
  { name: 'PARQUET serial', unload: 'FORMAT AS PARQUET PARALLEL OFF', copy: 'FORMAT AS PARQUET' },
];

let seq = 0;
for (const where of ['local', 's3'] as const) {
  for (const c of CASES) {
    test(`round trip ${c.name} via ${where}: COPY -> UNLOAD -> COPY gives the same rows`, async () => {
      const tag = `rt${++seq}`;
      const prefix = where === 'local' ? join(dir, tag, 'part_') : `s3://${s3.bucket}/${tag}/part_`;
      // On S3 the reload goes through the UNLOAD's manifest (s3:// URLs); locally through the key prefix.
      const manifest = where === 's3' ? ' MANIFEST' : '';
      const u = await db.query(`UNLOAD ('SELECT * FROM src WHERE id > 0') TO '${prefix}' ${c.unload}${manifest}`);
      assert.equal(u.command, 'UNLOAD');
      assert.equal(u.rowCount, 120);
      await db.query(`CREATE TABLE ${tag} (${COLUMNS})`);
      const from = where === 's3' ? `${prefix}manifest' MANIFEST` : `${prefix}'`;
      const r = await db.query(`COPY ${tag} FROM '${from} ${c.copy}`);
      assert.equal(r.rowCount, 120);
      assert.deepStrictEqual(await rowsOf(tag), source);
    });
  }
}

test('PARQUET files read by DuckDB: Redshift types and the same values', async () => {
  const prefix = join(dir, 'duck', 'pq_');
  await db.query(`UNLOAD ('SELECT * FROM src') TO '${prefix}' PARQUET`);
  assert.deepEqual(readdirSync(join(dir, 'duck')).sort(), ['pq_0000_part_00.parquet', 'pq_0001_part_00.parquet', 'pq_0002_part_00.parquet']);
  const glob = `${prefix}*.parquet`;
  const types = (await oracle.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${glob}'))`)).text;
  assert.deepEqual(types, [
    ['id', 'INTEGER'], ['s', 'SMALLINT'], ['i', 'INTEGER'], ['b', 'BIGINT'], ['n', 'DECIMAL(18,4)'], ['w', 'DECIMAL(38,10)'],
    ['r', 'FLOAT'], ['d', 'DOUBLE'], ['f', 'BOOLEAN'], ['c', 'VARCHAR'], ['v', 'VARCHAR'], ['dt', 'DATE'],
    ['ts', 'TIMESTAMP'], ['tz', 'TIMESTAMP WITH TIME ZONE'],
  ]);
  const duck = (await oracle.query(`SELECT id, s, i, b, n::VARCHAR, w::VARCHAR, f, rtrim(c), v, dt::VARCHAR, epoch_us(ts), epoch_us(tz), r, d
    FROM read_parquet('${glob}') ORDER BY id`)).text;
  const [ours] = await sess.execute(`SELECT id, s, i, b, n::VARCHAR, w::VARCHAR, f, rtrim(c), v, dt::VARCHAR, ts, tz, r, d FROM src ORDER BY id`);
  assert.equal(duck.length, ours!.rows.length);
  ours!.rows.forEach((row, k) => {
    const want = row.map((v, j) => (v === null ? null : j === 6 ? String(v) : j >= 12 ? v : String(v)));
    const got = duck[k]!.map((v, j) => (v === null ? null : j >= 12 ? Number(v) : v));
    // DuckDB prints FLOAT through a double: compare REAL as float32.
    if (typeof got[12] === 'number') got[12] = Math.fround(got[12] as number);
    assert.deepStrictEqual(got, want, `row ${k + 1}`);
  });
});
