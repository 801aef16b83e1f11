// COPY formats and options end to end through the library: text, CSV, JSON ('auto', 'auto ignorecase',
// jsonpaths), FIXEDWIDTH, GZIP, MANIFEST, DATEFORMAT/TIMEFORMAT (formats, 'auto', epochsecs), REMOVEQUOTES,
// ESCAPE, ACCEPTANYDATE, TRIMBLANKS; results checked against DuckDB reading the same files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { open, type Database } from '../../host/index.js';
import { Oracle } from '../differential/duckdb.js';

let db: Database;
let oracle: Oracle;
let dir: string;
const file = (name: string, body: string | Buffer): string => { const p = join(dir, name); writeFileSync(p, body); return p; };
/** Rows as arrays of text (NULL as null), ordered by the first column. */
async function rows(q: string): Promise<(string | null)[][]> {
  const r = await db.query(q);
  return r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
}

before(async () => {
  db = await open({ slices: 2 });
  oracle = await Oracle.create(1);
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-load-'));
});
after(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

const TYPES = `id INT, small SMALLINT, big BIGINT, amount DECIMAL(12,2), ratio FLOAT8, flag BOOLEAN, name VARCHAR(20), code CHAR(3), day DATE, at TIMESTAMP`;
const SELECT_ALL = `SELECT id::varchar, small::varchar, big::varchar, amount::varchar, ratio::varchar, flag::varchar, name, code, day::varchar, at::varchar FROM t ORDER BY id`;

async function fresh(ddl = TYPES): Promise<void> {
  await db.query('DROP TABLE IF EXISTS t');
  await db.query(`CREATE TABLE t (${ddl})`);
}

test('every type through CSV matches DuckDB reading the same file', async () => {
  await fresh();
  const p = file('all.csv', 'id,small,big,amount,ratio,flag,name,code,day,at\n'
    + '1,-32768,9223372036854775807,1234567890.12,0.5,true,"a, ""quoted"" name",abc,2024-02-29,2024-02-29 23:59:59.123456\n'
    + '2,32767,-9223372036854775808,-0.01,-1e10,false,,xy,0001-01-01,1970-01-01 00:00:00\n'
    + '3,,,,,,plain,,,\n');
  const r = await db.query(`COPY t FROM '${p}' CSV IGNOREHEADER 1`);
  assert.equal(r.rowCount, 3);
  const got = await rows(`SELECT id, small, big::varchar, amount::varchar, flag, name, code FROM t ORDER BY id`);
  const duck = await oracle.query(`SELECT id, small, big::varchar, amount::varchar, flag, name, code FROM read_csv('${p}', header=true, columns={'id':'INT','small':'SMALLINT','big':'BIGINT','amount':'DECIMAL(12,2)','ratio':'DOUBLE','flag':'BOOLEAN','name':'VARCHAR','code':'VARCHAR','day':'DATE','at':'TIMESTAMP'}) ORDER BY id`);
  assert.deepEqual(got.map((row) => row.map((v) => v)), duck.text.map((row, i) => row.map((v, k) => (k === 6 && v !== null && i < 2 ? v.padEnd(3) : v === null ? null : v))));
  assert.deepEqual(await rows(`SELECT day::varchar, at::varchar FROM t ORDER BY id`), [['2024-02-29', '2024-02-29 23:59:59.123456'], ['0001-01-01', '1970-01-01 00:00:00'], [null, null]]);
});

test('pipe-delimited text with ESCAPE, REMOVEQUOTES and NULL AS', async () => {
  await fresh('id INT, s VARCHAR(30)');
  await db.query(`COPY t FROM '${file('esc.txt', '1|a\\|b\n2|line\\\nbreak\n3|\\N\n')}' ESCAPE`);
  assert.deepEqual(await rows('SELECT id, s FROM t ORDER BY id'), [['1', 'a|b'], ['2', 'line\nbreak'], ['3', null]]);
  await fresh('id INT, s VARCHAR(30)');
  await db.query(`COPY t FROM '${file('rq.txt', '1|"x|y"\n2|"plain"\n3|nil\n')}' REMOVEQUOTES NULL AS 'nil'`);
  assert.deepEqual(await rows('SELECT id, s FROM t ORDER BY id'), [['1', 'x|y'], ['2', 'plain'], ['3', null]]);
});

test("JSON 'auto', 'auto ignorecase' and a jsonpaths file; DuckDB reads the same objects", async () => {
  await fresh('id BIGINT, name VARCHAR(40), amount DECIMAL(20,2), ok BOOLEAN, tags VARCHAR(100)');
  const p = file('a.json', '{"id": 9007199254740993, "name": "ann", "amount": 12345678901234567.89, "ok": true, "tags": ["x", 1]}\n'
    + '{"id": 2, "name": null, "ok": false}\n{"id":3,"name":"c\\u00e9\\n","amount":-1.5,"ok":null,"tags":{"k":"v"}}');
  assert.equal((await db.query(`COPY t FROM '${p}' FORMAT AS JSON 'auto'`)).rowCount, 3);
  assert.deepEqual(await rows('SELECT id::varchar, name, amount::varchar, ok, tags FROM t ORDER BY id'), [
    ['2', null, null, 'false', null], ['3', 'cé\n', '-1.50', null, '{"k":"v"}'], ['9007199254740993', 'ann', '12345678901234567.89', 'true', '["x",1]']]);
  const duck = await oracle.query(`SELECT id::varchar, name FROM read_json('${p}', format='newline_delimited', columns={'id':'BIGINT','name':'VARCHAR','amount':'DECIMAL(20,2)','ok':'BOOLEAN','tags':'JSON'}) ORDER BY id`);
  assert.deepEqual(await rows('SELECT id::varchar, name FROM t ORDER BY id'), duck.text);

  await fresh('id INT, name VARCHAR(10)');
  const q = file('b.json', '[{"ID": 1, "Name": "up"}]'.slice(1, -1) + '\n{"Id": 2, "NAME": "x"}');
  await db.query(`COPY t FROM '${q}' JSON 'auto'`);
  assert.deepEqual(await rows('SELECT id, name FROM t ORDER BY id'), [[null, null], [null, null]]);
  await db.query('TRUNCATE t');
  await db.query(`COPY t FROM '${q}' JSON 'auto ignorecase'`);
  assert.deepEqual(await rows('SELECT id, name FROM t ORDER BY id'), [['1', 'up'], ['2', 'x']]);

  await db.query('TRUNCATE t');
  const paths = file('paths.json', JSON.stringify({ jsonpaths: ['$.user.id', "$['tags'][1]"] }));
  await db.query(`COPY t FROM '${file('c.json', '{"user": {"id": 7}, "tags": ["a", "b"]}\n{"user": {}, "tags": []}')}' JSON '${paths}'`);
  assert.deepEqual(await rows('SELECT id, name FROM t ORDER BY id'), [['7', 'b'], [null, null]]);
});

test('FIXEDWIDTH with TRIMBLANKS, GZIP, MANIFEST, COMPUPDATE/STATUPDATE accepted', async () => {
  await fresh('id INT, name VARCHAR(10), amount DECIMAL(6,2)');
  const fw = (id: string, name: string, amount: string): string => id.padStart(3) + name.padEnd(10) + amount.padStart(7);
  const p = file('fw.txt', `${fw('1', 'ann', '1.50')}\n${fw('22', 'bob', '-20.00')}\n`);
  await db.query(`COPY t FROM '${p}' FIXEDWIDTH 'id:3,name:10,amount:7' TRIMBLANKS COMPUPDATE OFF STATUPDATE ON`);
  assert.deepEqual(await rows('SELECT id, name, amount::varchar FROM t ORDER BY id'), [['1', 'ann', '1.50'], ['22', 'bob', '-20.00']]);

  await fresh('id INT, name VARCHAR(10)');
  const g = file('part1.gz', gzipSync('1|one\n2|two\n'));
  const plain = file('part2.txt', '3|three\n');
  const m = file('load.manifest', JSON.stringify({ entries: [{ url: g, mandatory: true }, { url: plain, mandatory: true }, { url: join(dir, 'absent'), mandatory: false }] }));
  // A gzip file named .gz loads without the GZIP option; an optional entry that is missing is skipped.
  assert.equal((await db.query(`COPY t FROM '${m}' MANIFEST`)).rowCount, 3);
  assert.deepEqual(await rows('SELECT id, name FROM t ORDER BY id'), [['1', 'one'], ['2', 'two'], ['3', 'three']]);
  await assert.rejects(db.query(`COPY t FROM '${file('bad.manifest', JSON.stringify({ entries: [{ url: join(dir, 'absent'), mandatory: true }] }))}' MANIFEST`), /mandatory/);
});

test("DATEFORMAT / TIMEFORMAT: explicit formats, 'auto', epochsecs and epochmillisecs, ACCEPTANYDATE", async () => {
  await fresh('id INT, day DATE, at TIMESTAMP');
  await db.query(`COPY t FROM '${file('d1.txt', '1|03/15/2024|15.03.2024 01:02:03 PM\n2|12/31/1999|01.01.2000 12:00:00 AM\n')}' DATEFORMAT 'MM/DD/YYYY' TIMEFORMAT 'DD.MM.YYYY HH12:MI:SS AM'`);
  assert.deepEqual(await rows('SELECT id, day::varchar, at::varchar FROM t ORDER BY id'), [['1', '2024-03-15', '2024-03-15 13:02:03'], ['2', '1999-12-31', '2000-01-01 00:00:00']]);
  await db.query('TRUNCATE t');
  await db.query(`COPY t FROM '${file('d2.txt', '1|20240315|Mar 15, 2024 10:11:12\n2|2024-01-02|2024-01-02T03:04:05.5\n')}' DATEFORMAT 'auto' TIMEFORMAT 'auto'`);
  assert.deepEqual(await rows('SELECT id, day::varchar, at::varchar FROM t ORDER BY id'), [['1', '2024-03-15', '2024-03-15 10:11:12'], ['2', '2024-01-02', '2024-01-02 03:04:05.5']]);
  await db.query('TRUNCATE t');
  await db.query(`COPY t (id, at) FROM '${file('d3.txt', '1|1700000000\n2|0\n')}' TIMEFORMAT 'epochsecs'`);
  await db.query(`COPY t (id, at) FROM '${file('d4.txt', '3|1700000000123\n')}' TIMEFORMAT 'epochmillisecs'`);
  const duck = await oracle.query(`SELECT strftime(to_timestamp(1700000000) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S')`);
  assert.deepEqual(await rows('SELECT id, at::varchar FROM t ORDER BY id'), [['1', duck.text[0]![0]!], ['2', '1970-01-01 00:00:00'], ['3', '2023-11-14 22:13:20.123']]);
  await db.query('TRUNCATE t');
  await db.query(`COPY t (id, day) FROM '${file('d5.txt', '1|00/00/00\n2|2024-02-30\n3|2024-02-28\n')}' ACCEPTANYDATE`);
  assert.deepEqual(await rows('SELECT id, day::varchar FROM t ORDER BY id'), [['1', null], ['2', null], ['3', '2024-02-28']]);
});
