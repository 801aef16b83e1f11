// Bad COPY input: wrong column counts, invalid digits, overflowing numbers, strings over the DDL length,
// invalid UTF-8, dates out of range, malformed CSV and JSON, NOT NULL. Up to MAXERROR bad rows are skipped
// and recorded in STL_LOAD_ERRORS with Redshift's codes; one more fails the COPY (XX000) and loads nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, SqlError, type Database } from '../../host/index.js';

let db: Database;
let dir: string;
let n = 0;
/** A file with a unique name (so STL_LOAD_ERRORS rows can be told apart). */
const file = (body: string | Buffer, ext = 'txt'): string => { const p = join(dir, `in${++n}.${ext}`); writeFileSync(p, body); return p; };

before(async () => { db = await open({ slices: 2 }); dir = mkdtempSync(join(tmpdir(), 'wasmshift-loaderr-')); });
after(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

async function fresh(ddl: string): Promise<void> {
  await db.query('DROP TABLE IF EXISTS t');
  await db.query(`CREATE TABLE t (${ddl})`);
}
async function count(): Promise<number> { return Number((await db.query('SELECT count(*) AS n FROM t')).rows[0]!.n); }
/** STL_LOAD_ERRORS rows of one file: [line, column, code, reason, raw field]. */
async function errorsOf(p: string): Promise<[number, string, number, string, string][]> {
  const r = await db.query(`SELECT line_number, trim(colname) AS c, err_code, trim(err_reason) AS reason, trim(raw_field_value) AS f, trim(raw_line) AS raw, tbl
    FROM stl_load_errors WHERE trim(filename) = '${p}' ORDER BY line_number`);
  return r.rows.map((x) => [Number(x.line_number), x.c as string, x.err_code as number, x.reason as string, x.f as string]);
}
const failed = (e: unknown): boolean => e instanceof SqlError && e.code === 'XX000' && /^Load into table 't' failed\. Check 'stl_load_errors' system table for details\.$/.test(e.message);

test('wrong column counts, invalid digits and overflow within MAXERROR: skipped and recorded', async () => {
  await fresh('id INT, small SMALLINT, name VARCHAR(5)');
  const p = file('1|2|ok\n2|3|ok|extra\n3|4\n4|x5|ok\n5|99999|ok\n6|7|toolong\n7|8|fine\n');
  const r = await db.query(`COPY t FROM '${p}' MAXERROR 5`);
  assert.equal(r.rowCount, 2);
  assert.deepEqual((await db.query('SELECT id FROM t ORDER BY id')).rows.map((x) => x.id), [1, 7]);
  const errs = await errorsOf(p);
  assert.deepEqual(errs.map((e) => [e[0], e[1], e[2]]), [[2, '', 1202], [3, 'name', 1214], [4, 'small', 1207], [5, 'small', 1204], [6, 'name', 1204]]);
  assert.match(errs[2]![3], /^Invalid digit, Value 'x', Pos 0, Type: Short/);
  assert.equal(errs[2]![4], 'x5');
  assert.equal(errs[4]![3], 'String length exceeds DDL length');
  const tbl = (await db.query(`SELECT DISTINCT tbl FROM stl_load_errors WHERE trim(filename) = '${p}'`)).rows[0]!.tbl;
  assert.equal(tbl, (await db.query(`SELECT oid::int AS o FROM pg_class WHERE relname = 't'`)).rows[0]!.o);
});

test('beyond MAXERROR the COPY fails with XX000 and loads nothing, across files', async () => {
  await fresh('id INT, name VARCHAR(5)');
  await db.query(`INSERT INTO t VALUES (0, 'keep')`);
  const sub = mkdtempSync(join(dir, 'many-'));
  writeFileSync(join(sub, 'a.txt'), '1|a\n2|b\n');
  writeFileSync(join(sub, 'b.txt'), '3|c\nbad|d\nworse|e\n');
  await assert.rejects(db.query(`COPY t FROM '${sub}' MAXERROR 1`), (e) => failed(e) && /line: 5|line: 2/.test((e as SqlError).detail ?? ''));
  assert.equal(await count(), 1);
  assert.equal((await errorsOf(join(sub, 'b.txt'))).length, 2);
  // Default MAXERROR is 0: the first bad row fails the load.
  await assert.rejects(db.query(`COPY t FROM '${file('1|a\n2|bb\nx|y\n')}'`), failed);
  assert.equal(await count(), 1);
});

test('invalid UTF-8: error 1220, or replaced with ACCEPTINVCHARS', async () => {
  await fresh('id INT, name VARCHAR(10)');
  const bytes = Buffer.concat([Buffer.from('1|ok\n2|b'), Buffer.from([0xff, 0xfe]), Buffer.from('d\n3|fine\n')]);
  const p = file(bytes);
  assert.equal((await db.query(`COPY t FROM '${p}' MAXERROR 1`)).rowCount, 2);
  assert.deepEqual((await errorsOf(p)).map((e) => [e[0], e[2]]), [[2, 1220]]);
  await db.query('TRUNCATE t');
  await db.query(`COPY t FROM '${file(bytes)}' ACCEPTINVCHARS AS '^'`);
  assert.deepEqual((await db.query('SELECT name FROM t ORDER BY id')).rows.map((x) => x.name), ['ok', 'b^^d', 'fine']);
});

test('dates out of range and not matching DATEFORMAT: 1205; timestamps 1206', async () => {
  await fresh('id INT, day DATE, at TIMESTAMP');
  const p = file('1|2024-13-01|2024-01-01 00:00:00\n2|2024-02-30|2024-01-01 00:00:00\n3|2024-01-01|2024-01-01 25:00:00\n4|2024-01-01|2024-01-01 00:00:00\n');
  assert.equal((await db.query(`COPY t FROM '${p}' MAXERROR 10`)).rowCount, 1);
  assert.deepEqual((await errorsOf(p)).map((e) => [e[0], e[1], e[2]]), [[1, 'day', 1205], [2, 'day', 1205], [3, 'at', 1206]]);
  const q = file('1|2024/01/05|x\n');
  await assert.rejects(db.query(`COPY t (id, day) FROM '${file('1|2024/01/05\n')}' DATEFORMAT 'DD-MM-YYYY'`), failed);
  assert.ok(q);
});

test('malformed CSV and JSON, NOT NULL, TRUNCATECOLUMNS', async () => {
  await fresh('id INT NOT NULL, name VARCHAR(3)');
  const c = file('1,abc\n2,"unterminated\n3,x\n', 'csv');
  await assert.rejects(db.query(`COPY t FROM '${c}' CSV`), failed);
  assert.deepEqual((await errorsOf(c)).map((e) => [e[0], e[2]]), [[2, 1214]]);
  assert.equal(await count(), 0);

  const j = file('{"id": 1, "name": "a"}\n{"id": 2, "name": \n{"id": 3, "name": "c"}\n{"name": "d"}\n[1]\n', 'json');
  assert.equal((await db.query(`COPY t FROM '${j}' JSON 'auto' MAXERROR 3`)).rowCount, 2);
  assert.deepEqual((await errorsOf(j)).map((e) => [e[0], e[1], e[2]]), [[2, '', 1200], [4, 'id', 1213], [5, '', 1200]]);
  assert.deepEqual((await db.query('SELECT id FROM t ORDER BY id')).rows.map((x) => x.id), [1, 3]);

  await db.query('TRUNCATE t');
  await db.query(`COPY t FROM '${file('1|abcdef\n')}' TRUNCATECOLUMNS`);
  assert.equal((await db.query('SELECT name FROM t')).rows[0]!.name, 'abc');
});

test('options that need what is not there fail clearly', async () => {
  await fresh('id INT');
  await assert.rejects(db.query(`COPY t FROM '${file('x')}' LZOP`), (e) => e instanceof SqlError && e.code === '0A000');
  await assert.rejects(db.query(`COPY t FROM '${file('1\n')}' GZIP`), (e) => e instanceof SqlError && /gzip/.test(e.message));
  await assert.rejects(db.query(`COPY t FROM '${join(dir, 'nope')}'`), (e) => e instanceof SqlError && e.code === '58030');
  assert.equal(await count(), 0);
});
