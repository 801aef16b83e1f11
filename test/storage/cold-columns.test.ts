// A data directory reopened reads only the columns a statement uses (per-column residency, ADR 0020):
// COPY into a data directory, close, reopen; the first query reads some columns (STV_BLOCKLIST shows only
// their blocks in memory), the next ones the others; every answer equals DuckDB's read of the same file.
// Every column type, NULLs, and a column in each encoding (dictionary, runs, delta, mostly, az64, text,
// lzo, zstd). A second table of more than 200K rows is scanned by the slice workers, which pin only the
// columns their scan reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import { compareResults, fromDuckdb, fromWasmshift } from '../differential/compare.js';
import { Oracle } from '../differential/duckdb.js';

const COLUMNS: [name: string, redshift: string, duckdb: string][] = [
  ['id', 'INT NOT NULL ENCODE delta', 'INTEGER'],
  ['s', 'SMALLINT ENCODE bytedict', 'SMALLINT'],
  ['i', 'INTEGER ENCODE mostly8', 'INTEGER'],
  ['b', 'BIGINT ENCODE mostly32', 'BIGINT'],
  ['m', 'DECIMAL(15,2) ENCODE az64', 'DECIMAL(15,2)'],
  ['w', 'DECIMAL(38,10) ENCODE zstd', 'DECIMAL(38,10)'],
  ['f', 'DOUBLE PRECISION ENCODE runlength', 'DOUBLE'],
  ['r', 'REAL ENCODE raw', 'REAL'],
  ['ok', 'BOOLEAN ENCODE runlength', 'BOOLEAN'],
  ['d', 'DATE ENCODE delta32k', 'DATE'],
  ['ts', 'TIMESTAMP ENCODE az64', 'TIMESTAMP'],
  ['flag', 'CHAR(1) ENCODE runlength', 'VARCHAR'],
  ['mode', 'CHAR(10) ENCODE bytedict', 'VARCHAR'],
  ['v', 'VARCHAR(40) ENCODE text255', 'VARCHAR'],
  ['t', 'VARCHAR(300) ENCODE lzo', 'VARCHAR'],
  ['u', 'VARCHAR(30) ENCODE zstd', 'VARCHAR'],
];

/** Row r's field of each column ('\N' is NULL): runs, few distinct values, unique strings, multi-byte UTF-8. */
function line(r: number): string {
  const f = (k: number, x: string) => (k > 0 && (r * 7 + k) % 23 === 0 ? '\\N' : x);
  const fields = [
    String(r),
    String((r % 9) - 4),
    String(r % 97 === 0 ? 2147483647 : 1000 + (r % 300)),
    String(r % 101 === 0 ? '-9223372036854775808' : 5000000000 + r * 3),
    `${(r % 400) - 200}.${String(r % 100).padStart(2, '0')}`,
    r % 50 === 0 ? '1234567890123456789012345678.0123456789' : `${r}.5`,
    String(Math.floor(r / 100) / 8),
    `${r % 5}.25`,
    Math.floor(r / 64) % 2 === 0 ? 'true' : 'false',
    `2024-${String(1 + (r % 12)).padStart(2, '0')}-${String(1 + (r % 28)).padStart(2, '0')}`,
    `2024-01-01 10:00:${String(r % 60).padStart(2, '0')}`,
    r < 1500 ? 'A' : r < 2600 ? 'N' : 'R',
    ['AIR', 'MAIL', 'SHIP', 'TRUCK', 'RAIL'][r % 5]!,
    `the ${r % 6} quick é ${r % 3}`,
    `row ${r} ${'😀 ü '.repeat(r % 4)}${'x'.repeat(r % 200)}`,
    r % 17 === 0 ? '' : `u${r % 40}`,
  ];
  return fields.map((x, k) => f(k, x)).join('|');
}

const ROWS = 3000;
let dir: string;
let oracle: Oracle;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-cold-'));
  oracle = await Oracle.create(1);
});
after(() => {
  oracle?.close();
  rmSync(dir, { recursive: true, force: true });
});

function duckSelect(file: string, cols: string[]): string {
  const all = COLUMNS.map(([n, , dt], k) => {
    const raw = `column${String(k).padStart(2, '0')}`;
    return dt === 'VARCHAR' ? `${raw} AS ${n}` : `CAST(${raw} AS ${dt}) AS ${n}`;
  });
  const types = `{${COLUMNS.map((_, k) => `'column${String(k).padStart(2, '0')}': 'VARCHAR'`).join(', ')}}`;
  return `SELECT ${cols.join(', ')} FROM (SELECT ${all.join(', ')} FROM read_csv('${file}', delim='|', header=false, quote='', escape='', nullstr='\\N', columns=${types}, auto_detect=false)) ORDER BY id`;
}

/** The column numbers whose blocks of table `name` are in memory now (STV_BLOCKLIST.pinned). */
async function residentColumns(s: ReturnType<Database['session']>, name: string): Promise<number[]> {
  const rows = (await s.execute(`SELECT DISTINCT col FROM stv_blocklist WHERE pinned = 1 AND tbl = (SELECT oid FROM pg_class WHERE relname = '${name}') ORDER BY col`))[0]!.rows;
  return rows.map((r) => Number(r[0]));
}

test('COPY into a data directory, reopen: each query reads only its columns, and every answer equals DuckDB', async () => {
  const file = join(dir, 'all.tbl');
  writeFileSync(file, Array.from({ length: ROWS }, (_, r) => line(r)).join('\n') + '\n');
  const data = join(dir, 'data');
  let db: Database = await open({ slices: 2, data });
  try {
    const s = db.session();
    await s.execute(`CREATE TABLE t (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
    await s.execute(`COPY t FROM '${file}' DELIMITER '|'`);
  } finally {
    await db.close();
  }
  const names = COLUMNS.map(([n]) => n);
  db = await open({ slices: 2, data });
  try {
    const s = db.session();
    assert.deepEqual(await residentColumns(s, 't'), [], 'nothing is read at open');
    assert.equal((await s.execute('SELECT count(*) FROM t'))[0]!.rows[0]![0], BigInt(ROWS));
    // The plan of count(*) scans the first column (host/plan/lower.ts), nothing else.
    assert.ok((await residentColumns(s, 't')).length <= 1, 'count(*) reads at most one column');
    const check = async (cols: string[], where = '') => {
      const got = fromWasmshift((await s.execute(`SELECT ${cols.join(', ')} FROM t ${where} ORDER BY id`))[0]!);
      const want = fromDuckdb(await oracle.query(duckSelect(file, cols).replace(') ORDER BY id', `) ${where} ORDER BY id`)));
      assert.equal(compareResults(got, want, { ordered: true }), null, cols.join(','));
    };
    await check(['id', 'flag', 'v']);
    assert.deepEqual(await residentColumns(s, 't'), [0, 11, 13]);
    await check(['id', 'mode', 'm', 'd'], "WHERE flag = 'N' AND ok");
    assert.deepEqual(await residentColumns(s, 't'), [0, 4, 8, 9, 11, 12, 13]);
    await check(names);
    assert.deepEqual(await residentColumns(s, 't'), names.map((_, k) => k));
  } finally {
    await db.close();
  }
});

test('slice workers pin only the columns their scan reads (a table of 210K rows)', async () => {
  const rows = 210_000;
  const file = join(dir, 'big.tbl');
  writeFileSync(file, Array.from({ length: rows }, (_, r) => `${r}|${r % 1000}|${['a', 'b', 'c'][r % 3]}|note ${r}`).join('\n') + '\n');
  const data = join(dir, 'big');
  let db: Database = await open({ slices: 2, data });
  try {
    const s = db.session();
    await s.execute('CREATE TABLE big (k BIGINT, g INT ENCODE az64, c CHAR(1) ENCODE bytedict, note VARCHAR(20))');
    await s.execute(`COPY big FROM '${file}' DELIMITER '|'`);
  } finally {
    await db.close();
  }
  db = await open({ slices: 2, data });
  try {
    const s = db.session();
    const got = fromWasmshift((await s.execute('SELECT c, count(*), sum(g) FROM big GROUP BY c ORDER BY c'))[0]!);
    const want = fromDuckdb(await oracle.query(`SELECT column2 AS c, count(*), sum(column1) FROM read_csv('${file}', delim='|', header=false, columns={'column0': 'BIGINT', 'column1': 'INTEGER', 'column2': 'VARCHAR', 'column3': 'VARCHAR'}, auto_detect=false) GROUP BY c ORDER BY c`));
    assert.equal(compareResults(got, want, { ordered: true }), null);
    // The planner's distinct-value sample may read other columns; the scan does not read note.
    const first = await residentColumns(s, 'big');
    assert.ok(first.includes(1) && first.includes(2) && !first.includes(3), `resident after the first query: ${first}`);
    const notes = (await s.execute("SELECT count(*) FROM big WHERE note LIKE 'note 1%'"))[0]!.rows[0]![0];
    assert.equal(notes, BigInt(Array.from({ length: rows }, (_, r) => String(r)).filter((x) => x.startsWith('1')).length));
    assert.ok((await residentColumns(s, 'big')).includes(3));
  } finally {
    await db.close();
  }
});
