// COPY of the plain text format types rows from their bytes (host/load/text-typer.ts). Two oracles on the
// same files: DuckDB's read of them (every column read as text, then cast by DuckDB) for every column type,
// NULLs, empty strings, int64/numeric limits, negative decimals, dates around 0001/1582/9999 and multi-byte
// UTF-8; and the record path (the same COPY with ESCAPE, which the typer never takes) for bad rows: the
// table and every STL_LOAD_ERRORS field must be the same.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import { copyTuning } from '../../host/load/copy-parallel.js';
import { compareResults, fromDuckdb, fromWasmshift } from '../differential/compare.js';
import { Oracle } from '../differential/duckdb.js';

const COLUMNS: [name: string, redshift: string, duckdb: string][] = [
  ['id', 'INT NOT NULL', 'INTEGER'],
  ['s', 'SMALLINT', 'SMALLINT'],
  ['i', 'INTEGER', 'INTEGER'],
  ['b', 'BIGINT', 'BIGINT'],
  ['m', 'DECIMAL(15,2)', 'DECIMAL(15,2)'],
  ['m18', 'DECIMAL(18,0)', 'DECIMAL(18,0)'],
  ['m4', 'DECIMAL(18,4)', 'DECIMAL(18,4)'],
  ['w', 'DECIMAL(38,10)', 'DECIMAL(38,10)'],
  ['f', 'DOUBLE PRECISION', 'DOUBLE'],
  ['ok', 'BOOLEAN', 'BOOLEAN'],
  ['d', 'DATE', 'DATE'],
  ['ts', 'TIMESTAMP', 'TIMESTAMP'],
  ['c', 'CHAR(6)', 'VARCHAR'],
  ['v', 'VARCHAR(24)', 'VARCHAR'],
  ['t', 'VARCHAR(MAX)', 'VARCHAR'],
];

/** Values every column cycles through (as text; '\N' is NULL; '' is NULL for non-character columns). */
const SAMPLES: Record<string, string[]> = {
  s: ['0', '-32768', '32767', '\\N', '', '17', '-1', '007', ' 42'],
  i: ['0', '-2147483648', '2147483647', '\\N', '123456789', '-987654321', '', '1000000000', '+5'],
  b: ['9223372036854775807', '-9223372036854775808', '0', '\\N', '123456789012345', '-999999999999999', '1234567890123456', ''],
  m: ['0', '-0.01', '9999999999999.99', '-9999999999999.99', '\\N', '12.3', '7', '.5', '-1.', '123.456', '0.005', '-0.005', ''],
  m18: ['999999999999999999', '-999999999999999999', '0', '\\N', '42', '123456789012345', '1e3'],
  m4: ['99999999999999.9999', '-12.3456', '0.0001', '\\N', '100', '-0.00005'],
  w: ['1234567890123456789012345678.0123456789', '-0.0000000001', '0', '\\N', '42.5'],
  f: ['0', '-1.5', '3.141592653589793', '1e300', '-2.5e-300', '\\N', '', '42'],
  ok: ['true', 'f', '1', '0', '\\N', 't', 'FALSE', ''],
  d: ['0001-01-01', '1582-10-04', '1582-10-15', '9999-12-31', '2000-02-29', '1900-03-01', '\\N', '', '1970-01-01', '1969-12-31', '2024-12-31'],
  ts: ['2020-01-01 00:00:00', '1999-12-31 23:59:59.999999', '0001-01-01 00:00:00', '\\N', '', '2024-02-29 12:34:56.5'],
  c: ['ab', '', 'abcdef', '\\N', 'é日', 'x y', 'AIR'],
  v: ['', 'hello', '\\N', 'héllo wörld', '日本語テキスト', 'x|'.slice(0, 1), '  pad  ', 'twelve bytes'],
  t: ['', 'some longer text with spaces', '\\N', '🙂 emoji and ü', 'a'.repeat(300)],
};

const ROWS = 3000;
let dir: string;
let oracle: Oracle;
const saved = { ...copyTuning };

function line(r: number): string {
  return [String(r), ...COLUMNS.slice(1).map(([name], k) => { const xs = SAMPLES[name]!; return xs[(r * (k + 3) + k) % xs.length]!; })].join('|');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-typed-copy-'));
  oracle = await Oracle.create(1);
  // Small ranges and blocks: the file is cut in many places, so batches, blocks and units all end mid-file.
  copyTuning.rangeBytes = 16384;
  copyTuning.blockBytes = 2048;
});
after(() => {
  Object.assign(copyTuning, saved);
  oracle?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a COPY; a failure names the bad rows it found. */
async function copy(s: ReturnType<Database['session']>, sql: string): Promise<void> {
  try { await s.execute(sql); } catch (e) {
    const rows = (await s.execute('SELECT line_number, colname, raw_field_value, err_reason FROM stl_load_errors ORDER BY line_number LIMIT 5'))[0]!.rows;
    throw new Error(`${sql}: ${(e as Error).message} ${JSON.stringify(rows, (_k, x) => (typeof x === "bigint" ? String(x) : x))}`);
  }
}

const ddl = (table: string): string => `CREATE TABLE ${table} (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`;

/** DuckDB's value of each column: text as read, cast by DuckDB; an empty field of a non-character column is NULL. */
function duckSelect(file: string): string {
  const cols = COLUMNS.map(([n, , dt], k) => {
    const raw = `column${String(k).padStart(2, '0')}`;
    if (dt === 'VARCHAR') return `${raw} AS ${n}`;
    return `CASE WHEN trim(${raw}) = '' THEN NULL ELSE CAST(trim(${raw}) AS ${dt}) END AS ${n}`;
  });
  const types = `{${COLUMNS.map((_, k) => `'column${String(k).padStart(2, '0')}': 'VARCHAR'`).join(', ')}}`;
  return `SELECT ${cols.join(', ')} FROM read_csv('${file}', delim='|', header=false, quote='', escape='', nullstr='\\N', columns=${types}, auto_detect=false)`;
}

test('typed text COPY equals DuckDB\'s read of the same file, at 1 and 3 slices', async () => {
  const file = join(dir, 'all-types.tbl');
  const text = Array.from({ length: ROWS }, (_, r) => line(r)).join('\n') + '\n';
  writeFileSync(file, text);
  // '1e3', '.5', '+5', ' 42', 'f' and every other value outside the byte parsers' forms take the cast.
  const want = fromDuckdb(await oracle.query(`${duckSelect(file)} ORDER BY id`));
  assert.equal(want.rows.length, ROWS);
  for (const slices of [1, 3]) {
    const db: Database = await open({ slices });
    try {
      const s = db.session();
      await s.execute(ddl('t'));
      await copy(s, `COPY t FROM '${file}' DELIMITER '|'`);
      const got = fromWasmshift((await s.execute('SELECT * FROM t ORDER BY id'))[0]!);
      const diff = compareResults(got, want, { ordered: true });
      assert.equal(diff, null, `${slices} slice(s): ${diff}`);
      // The record path (ESCAPE: nothing here is escaped) loads the same values.
      await s.execute(ddl('r'));
      await copy(s, `COPY r FROM '${file}' DELIMITER '|' ESCAPE`);
      const viaRecords = fromWasmshift((await s.execute('SELECT * FROM r ORDER BY id'))[0]!);
      assert.equal(compareResults(got, viaRecords, { ordered: true }), null);
      await s.close();
    } finally {
      await db.close();
    }
  }
});

test('bad rows: the typed path keeps the record path\'s values, STL_LOAD_ERRORS rows and failure', async () => {
  const bad = [
    (r: number) => line(r).replace(/^(\d+)\|[^|]*/, '$1|99999'), // smallint overflow
    (r: number) => line(r).replace(/^(\d+)\|([^|]*)\|[^|]*/, '$1|$2|12x'), // invalid digit
    (r: number) => `${line(r)}|extra`, // extra column
    (r: number) => line(r).split('|').slice(0, 5).join('|'), // too few fields
    (r: number) => line(r).replace(/^(\d+)((?:\|[^|]*){9})\|[^|]*/, '$1$2|2021-02-30'), // invalid date
    (r: number) => line(r).replace(/^(\d+)((?:\|[^|]*){12})\|[^|]*/, '$1$2|far too long for twenty-four bytes'), // VARCHAR(24) overflow
    (r: number) => line(r).replace(/^(\d+)((?:\|[^|]*){3})\|[^|]*/, '$1$2|12345678901234.567'), // DECIMAL(15,2) overflow
    (r: number) => line(r).replace(/^\d+/, '\\N'), // NULL in a NOT NULL column
    (r: number) => line(r).replace(/^\d+/, ''), // empty NOT NULL int
  ];
  const lines = Array.from({ length: 800 }, (_, r) => (r % 37 === 5 ? bad[(r / 37 | 0) % bad.length]!(r) : line(r)));
  const file = join(dir, 'bad-rows.tbl');
  writeFileSync(file, `${lines.join('\r\n')}\r\n\r\n`);
  const db: Database = await open({ slices: 2 });
  try {
    const s = db.session();
    const loadErrors = async (table: string): Promise<unknown[][]> => (await s.execute(
      `SELECT line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code, err_reason
         FROM stl_load_errors WHERE tbl = (SELECT oid FROM pg_class WHERE relname = '${table}') ORDER BY line_number`))[0]!.rows;
    for (const table of ['typed', 'records']) {
      await s.execute(ddl(table));
      await copy(s, `COPY ${table} FROM '${file}' DELIMITER '|' MAXERROR 100${table === 'records' ? ' ESCAPE' : ''}`);
    }
    const typedErrors = await loadErrors('typed');
    assert.ok(typedErrors.length >= 20, `${typedErrors.length} bad rows`);
    assert.deepEqual(typedErrors, await loadErrors('records'));
    assert.deepEqual(new Set(typedErrors.map((e) => e[7])), new Set([1204, 1207, 1202, 1214, 1205, 1213]));
    const rows = async (table: string) => fromWasmshift((await s.execute(`SELECT * FROM ${table} ORDER BY id`))[0]!);
    const typed = await rows('typed');
    assert.equal(typed.rows.length, 800 - typedErrors.length);
    assert.equal(compareResults(typed, await rows('records'), { ordered: true }), null);
    // One more bad row than MAXERROR: the same failure, and nothing loaded.
    const failures: string[] = [];
    for (const table of ['typed', 'records']) {
      await s.execute(`CREATE TABLE ${table}_fail (LIKE ${table})`);
      const e = await s.execute(`COPY ${table}_fail FROM '${file}' DELIMITER '|' MAXERROR 3${table === 'records' ? ' ESCAPE' : ''}`).then(() => null, (x: Error & { code?: string; detail?: string }) => x);
      assert.ok(e, `${table}: the COPY fails`);
      failures.push(`${e.code} ${e.message.replace(table, 'T')} ${e.detail ?? ''}`);
      assert.equal((await s.execute(`SELECT count(*) FROM ${table}_fail`))[0]!.rows[0]![0], 0n);
    }
    assert.equal(failures[0], failures[1]);
    assert.match(failures[0]!, /^XX000 Load into table/);
    await s.close();
  } finally {
    await db.close();
  }
});
