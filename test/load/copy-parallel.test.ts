// Parallel COPY: files cut into byte ranges and blocks (made tiny here, so every file has many of both) are
// parsed by the slice workers; the rows must equal what DuckDB reads from the same files, at 1 and 4 slices,
// for text, text with ESCAPE and CSV with quoted newlines; bad rows carry exact file line numbers from any
// range; MAXERROR counts across ranges; a failed COPY leaves no row and no chunk behind. Without workers
// the same tasks run in the leader's thread.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, SqlError, type Database } from '../../host/index.js';
import { copyTuning } from '../../host/load/copy-parallel.js';
import { Oracle } from '../differential/duckdb.js';

const ROWS = 6000;
let dir: string;
let oracle: Oracle;
const saved = { ...copyTuning };

/** Row i of the test data: ints, a bigint, a decimal, multi-byte text, a date, a NULL every 7th row. */
function fields(i: number): string[] {
  const day = new Date(Date.UTC(1995, 0, 1) + (i % 3000) * 86400000).toISOString().slice(0, 10);
  return [String(i), String(BigInt(i) * 1000000007n - 5000000000n), `${(i * 37) % 100000}.${String(i % 100).padStart(2, '0')}`,
    `name-${i}-${'é日本'.slice(0, i % 4)}`, day, i % 7 === 0 ? '\\N' : String(i % 1000)];
}
const textLine = (i: number): string => `${fields(i).join('|')}\n`;

const DDL = 'id INT, big BIGINT, amount DECIMAL(12,2), name VARCHAR(40), day DATE, qty INT';
const DUCK_COLUMNS = "{'id':'INT','big':'BIGINT','amount':'DECIMAL(12,2)','name':'VARCHAR','day':'DATE','qty':'INT'}";
const SELECT = 'SELECT id, big::varchar, amount::varchar, name, day::varchar, qty::varchar FROM t ORDER BY id';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-pcopy-'));
  oracle = await Oracle.create(1);
  // Ranges of 8 KiB read in 1 KiB blocks: a 300 KB file is about 40 ranges and 300 blocks.
  copyTuning.rangeBytes = 8192;
  copyTuning.blockBytes = 1024;
});
after(() => {
  Object.assign(copyTuning, saved);
  oracle.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rowsOf(db: Database, sql: string): Promise<(string | null)[][]> {
  const r = await db.query(sql);
  return r.rows.map((row) => r.fields.map((f) => (row[f.name] === null ? null : String(row[f.name]))));
}

async function fresh(db: Database, ddl = DDL, extra = ''): Promise<void> {
  await db.query('DROP TABLE IF EXISTS t');
  await db.query(`CREATE TABLE t (${ddl})${extra}`);
}

// 1 and 4 slice workers, and 2 slices without workers (the same tasks run in the leader's thread).
for (const { slices, workers } of [{ slices: 1, workers: true }, { slices: 4, workers: true }, { slices: 2, workers: false }]) {
  describe(`${slices} slice(s)${workers ? '' : ', no workers'}`, () => {
    let db: Database;
    before(async () => { db = await open({ slices, workers }); });
    after(async () => { await db.close(); });

    test('one large text file in many ranges gives the rows DuckDB reads', async () => {
      const p = join(dir, `big-${slices}${workers}.tbl`);
      writeFileSync(p, Array.from({ length: ROWS }, (_, i) => textLine(i + 1)).join(''));
      for (const extra of [' DISTSTYLE KEY DISTKEY (id)', ' DISTSTYLE EVEN', ' DISTSTYLE ALL', '']) {
        await fresh(db, DDL, extra);
        const r = await db.query(`COPY t FROM '${p}' DELIMITER '|'`);
        assert.equal(r.rowCount, ROWS);
        const duck = await oracle.query(`SELECT id, big::varchar, amount::varchar, name, day::varchar, qty::varchar FROM read_csv('${p}', delim='|', header=false, quote='', nullstr='\\N', columns=${DUCK_COLUMNS}) ORDER BY id`);
        assert.deepEqual(await rowsOf(db, SELECT), duck.text, `rows equal DuckDB's${extra}`);
      }
      // KEY: every row is on the slice its key hashes to, so a join on the key needs no redistribution.
      await fresh(db, DDL, ' DISTSTYLE KEY DISTKEY (id)');
      await db.query(`COPY t FROM '${p}' DELIMITER '|'`);
      const data = db.internals.tables.get(db.internals.catalog.get('t', 'public', ['public']).oid)!;
      assert.equal(data.slices.reduce((n, cs) => n + cs.reduce((m, c) => m + c.rows, 0), 0), ROWS);
      if (slices > 1) assert.ok(data.slices.every((cs) => cs.length > 0), 'rows spread over every slice');
    });

    test('several files of a directory and a glob, loaded in one COPY', async () => {
      const sub = join(dir, `many-${slices}${workers}`);
      mkdirSync(sub);
      for (let f = 0; f < 5; f++) {
        writeFileSync(join(sub, `part-${f}.tbl`), Array.from({ length: 700 + f * 300 }, (_, i) => textLine(f * 10000 + i + 1)).join(''));
      }
      await fresh(db);
      const r = await db.query(`COPY t FROM '${sub}' DELIMITER '|'`);
      const duck = await oracle.query(`SELECT id, big::varchar, amount::varchar, name, day::varchar, qty::varchar FROM read_csv('${sub}/part-*.tbl', delim='|', header=false, quote='', nullstr='\\N', columns=${DUCK_COLUMNS}) ORDER BY id`);
      assert.equal(r.rowCount, duck.text.length);
      assert.deepEqual(await rowsOf(db, SELECT), duck.text);
      await fresh(db);
      await db.query(`COPY t FROM '${sub}/part-?.tbl' DELIMITER '|'`);
      assert.deepEqual(await rowsOf(db, SELECT), duck.text);
    });

    test('CSV with quoted newlines, delimiters and doubled quotes cut in blocks', async () => {
      const p = join(dir, `quoted-${slices}${workers}.csv`);
      const lines = ['id,big,amount,name,day,qty\n'];
      for (let i = 1; i <= 3000; i++) {
        const f = fields(i);
        const name = i % 5 === 0 ? `"multi\nline ${i}, with ""quotes""\n"` : i % 3 === 0 ? `"a,b ${i}"` : f[3]!;
        lines.push(`${f[0]},${f[1]},${f[2]},${name},${f[4]},${f[5] === '\\N' ? '' : f[5]}\n`);
      }
      writeFileSync(p, lines.join(''));
      await fresh(db, 'id INT, big BIGINT, amount DECIMAL(12,2), name VARCHAR(60), day DATE, qty INT');
      const r = await db.query(`COPY t FROM '${p}' CSV IGNOREHEADER 1`);
      assert.equal(r.rowCount, 3000);
      const duck = await oracle.query(`SELECT id, big::varchar, amount::varchar, name, day::varchar, qty::varchar FROM read_csv('${p}', delim=',', header=true, quote='"', escape='"', columns=${DUCK_COLUMNS}) ORDER BY id`);
      assert.deepEqual(await rowsOf(db, SELECT), duck.text);
    });

    test('bad rows in later ranges carry exact file lines, also after escaped newlines', async () => {
      // Rows with an escaped newline span two physical lines; bad rows sit in ranges far from the first.
      const bad = new Set([3, 2222, 4100, 5999]);
      const body: string[] = [];
      const expected: number[] = [];
      let line = 1;
      for (let i = 1; i <= ROWS; i++) {
        const f = fields(i);
        if (i % 50 === 0) f[3] = `two\\\nlines ${i}`;
        if (bad.has(i)) { f[5] = `x${i}`; expected.push(line); }
        const text = `${f.join('|')}\n`;
        body.push(text);
        line += text.split('\n').length - 1;
      }
      const p = join(dir, `bad-${slices}${workers}.tbl`);
      writeFileSync(p, body.join(''));
      await fresh(db);
      const r = await db.query(`COPY t FROM '${p}' DELIMITER '|' ESCAPE MAXERROR 10`);
      assert.equal(r.rowCount, ROWS - bad.size);
      const errs = await db.query(`SELECT line_number, trim(colname) AS c, err_code, trim(raw_field_value) AS f FROM stl_load_errors WHERE trim(filename) = '${p}' ORDER BY line_number`);
      assert.deepEqual(errs.rows.map((e) => [Number(e.line_number), e.c, e.err_code, e.f]), expected.map((l, k) => [l, 'qty', 1207, `x${[...bad][k]}`]));
      assert.deepEqual((await rowsOf(db, `SELECT name FROM t WHERE id = 100`)), [['two\nlines 100']]);
    });

    test('MAXERROR counts bad rows of all ranges; beyond it nothing is loaded and no chunk is left', async () => {
      const bad = [1500, 3000, 4500];
      const p = join(dir, `maxerr-${slices}${workers}.tbl`);
      writeFileSync(p, Array.from({ length: ROWS }, (_, k) => {
        const f = fields(k + 1);
        if (bad.includes(k + 1)) f[0] = `id${k + 1}`;
        return `${f.join('|')}\n`;
      }).join(''));
      await fresh(db);
      await db.query(`INSERT INTO t VALUES (-1, 0, 0, 'keep', '2000-01-01', 0)`);
      const chunksBefore = db.internals.store.chunkCount;
      await assert.rejects(db.query(`COPY t FROM '${p}' DELIMITER '|' MAXERROR 2`), (e) => {
        assert.ok(e instanceof SqlError);
        assert.equal(e.code, 'XX000');
        // The first bad row in file order, wherever the workers found it first.
        assert.match(e.detail ?? '', /file: .*maxerr-\w+\.tbl; line: 1500; column: id/);
        return true;
      });
      assert.deepEqual(await rowsOf(db, 'SELECT id::varchar, name FROM t'), [['-1', 'keep']]);
      assert.equal(db.internals.store.chunkCount, chunksBefore, 'the failed COPY\'s chunks are freed');
      const errs = await db.query(`SELECT line_number FROM stl_load_errors WHERE trim(filename) = '${p}' ORDER BY line_number`);
      assert.deepEqual(errs.rows.map((e) => Number(e.line_number)), bad);
      // Within the limit the same file loads, the bad rows skipped.
      const r = await db.query(`COPY t FROM '${p}' DELIMITER '|' MAXERROR 3`);
      assert.equal(r.rowCount, ROWS - bad.length);
    });

    test('progress callbacks of a parallel copyFrom end at all bytes and rows', async () => {
      const p = join(dir, `progress-${slices}${workers}.tbl`);
      writeFileSync(p, Array.from({ length: ROWS }, (_, i) => textLine(i + 1)).join(''));
      await fresh(db);
      const seen: { bytesDone: number; rows: number; bytesTotal: number | undefined }[] = [];
      const r = await db.copyFrom('t', p, { sql: "DELIMITER '|'", onProgress: (x) => seen.push(x) });
      assert.equal(r.rows, ROWS);
      const last = seen[seen.length - 1]!;
      assert.equal(last.rows, ROWS);
      assert.equal(last.bytesDone, last.bytesTotal);
      assert.ok(seen.every((x, i) => i === 0 || x.bytesDone >= seen[i - 1]!.bytesDone));
    });
  });
}
