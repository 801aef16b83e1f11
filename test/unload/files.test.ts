// What UNLOAD writes, file by file: Redshift's names for PARALLEL ON (one stream per slice, `_part_NN`) and
// OFF (`000`, `001`, ...), the suffixes (.gz, .zst, .parquet, EXTENSION), MAXFILESIZE parts, MANIFEST and
// MANIFEST VERBOSE content, ALLOWOVERWRITE and CLEANPATH, empty results, and the errors of bad UNLOADs
// (nothing is left behind by a failed one). Local prefixes and s3:// on s3rver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { open, SqlError, type Database } from '../../host/index.js';
import { startS3, type TestS3 } from './s3-server.js';

let db: Database;
let s3: TestS3;
let client: S3Client;
let dir: string;

before(async () => {
  s3 = await startS3();
  db = await open({ slices: 4, s3: s3.options });
  client = new S3Client({ ...s3.options, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  dir = mkdtempSync(join(tmpdir(), 'wasmshift-unload-files-'));
  await db.query('CREATE TABLE t (id INT, name VARCHAR(40), amount DECIMAL(10,2), day DATE)');
  const values = Array.from({ length: 10 }, (_, k) => `(${k + 1}, 'name ${k + 1}', ${(k + 1) * 1.25}, DATE '2024-01-01' + ${k + 1})`).join(', ');
  await db.query(`INSERT INTO t VALUES ${values}`);
});

after(async () => {
  client.destroy();
  await db.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

function files(sub: string): string[] { return existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : []; }
function lines(path: string): string[] { return readFileSync(path, 'utf8').split('\n').filter((l) => l !== ''); }
async function s3Keys(prefix: string): Promise<string[]> {
  const r = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!).sort();
}
async function s3Text(key: string): Promise<string> {
  const r = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return r.Body!.transformToString();
}
function rejectsWith(code: string, message?: RegExp) {
  return (e: unknown) => e instanceof SqlError && e.code === code && (!message || message.test(e.message));
}

describe('file names', () => {
  test('PARALLEL ON: one file per slice, <prefix><slice>_part_00, every row once', async () => {
    const r = await db.query(`UNLOAD ('SELECT * FROM t ORDER BY id') TO '${join(dir, 'par', 't_')}'`);
    assert.deepEqual([r.command, r.rowCount], ['UNLOAD', 10]);
    assert.deepEqual(files('par'), ['t_0000_part_00', 't_0001_part_00', 't_0002_part_00', 't_0003_part_00']);
    const all = files('par').flatMap((f) => lines(join(dir, 'par', f)));
    assert.deepEqual(all, Array.from({ length: 10 }, (_, k) => `${k + 1}|name ${k + 1}|${((k + 1) * 1.25).toFixed(2)}|2024-01-${String(k + 2).padStart(2, '0')}`));
  });

  test('PARALLEL OFF: <prefix>000; suffixes for GZIP, ZSTD, PARQUET and EXTENSION', async () => {
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'a_')}' PARALLEL OFF`);
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'b_')}' PARALLEL FALSE GZIP`);
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'c_')}' ZSTD`);
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'd_')}' PARQUET PARALLEL OFF`);
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'e_')}' CSV EXTENSION 'csv' PARALLEL OFF`);
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'ser', 'f_')}' CSV GZIP EXTENSION 'csv.gz' PARALLEL OFF`);
    assert.deepEqual(files('ser'), [
      'a_000', 'b_000.gz', 'c_0000_part_00.zst', 'c_0001_part_00.zst', 'c_0002_part_00.zst', 'c_0003_part_00.zst',
      'd_000.parquet', 'e_000.csv', 'f_000.csv.gz',
    ]);
    assert.equal(lines(join(dir, 'ser', 'a_000')).length, 10);
    assert.equal(gunzipSync(readFileSync(join(dir, 'ser', 'b_000.gz'))).toString('utf8'), readFileSync(join(dir, 'ser', 'a_000'), 'utf8'));
    assert.equal(readFileSync(join(dir, 'ser', 'd_000.parquet')).subarray(0, 4).toString(), 'PAR1');
    assert.equal(gunzipSync(readFileSync(join(dir, 'ser', 'f_000.csv.gz'))).toString('utf8'), readFileSync(join(dir, 'ser', 'e_000.csv'), 'utf8'));
  });

  test('HEADER starts every file; CSV quotes what needs quoting', async () => {
    await db.query(`CREATE TABLE q (id INT, s VARCHAR(20))`);
    await db.query(`INSERT INTO q VALUES (1, 'a,b'), (2, 'say "x"'), (3, ''), (4, NULL), (5, 'two' || chr(10) || 'lines')`);
    await db.query(`UNLOAD ('SELECT * FROM q ORDER BY id') TO '${join(dir, 'hdr', 'q_')}' CSV HEADER PARALLEL OFF`);
    assert.equal(readFileSync(join(dir, 'hdr', 'q_000'), 'utf8'), 'id,s\n1,"a,b"\n2,"say ""x"""\n3,""\n4,\n5,"two\nlines"\n');
    await db.query(`UNLOAD ('SELECT * FROM q ORDER BY id') TO '${join(dir, 'hdr', 'p_')}' HEADER DELIMITER '\\t'`);
    for (const f of files('hdr').filter((x) => x.startsWith('p_'))) assert.equal(lines(join(dir, 'hdr', f))[0], 'id\ts');
  });
});

describe('MAXFILESIZE', () => {
  test('splits each stream into parts no larger than the limit; COPY reads every part back', async () => {
    // About 16 MB of text: 4 slices of ~4 MB under PARALLEL ON, so MAXFILESIZE 5 MB splits only PARALLEL OFF.
    const rows = 80000;
    const pad = 'x'.repeat(190);
    writeFileSync(join(dir, 'big.txt'), Array.from({ length: rows }, (_, k) => `${k}|${pad}`).join('\n') + '\n');
    await db.query('CREATE TABLE big (id INT, pad VARCHAR(200))');
    await db.query(`COPY big FROM '${join(dir, 'big.txt')}'`);
    await db.query(`UNLOAD ('SELECT * FROM big ORDER BY id') TO '${join(dir, 'split', 'b_')}' MAXFILESIZE 5 MB PARALLEL OFF`);
    const names = files('split');
    assert.deepEqual(names, ['b_000', 'b_001', 'b_002', 'b_003']);
    for (const f of names) assert.ok(statSync(join(dir, 'split', f)).size <= 5 * 1024 * 1024, f);
    assert.equal(names.reduce((n, f) => n + lines(join(dir, 'split', f)).length, 0), rows);
    // Rows are not cut across files, and the order of an ORDER BY holds across the serial stream.
    assert.equal(lines(join(dir, 'split', 'b_001'))[0]!.split('|')[0], String(lines(join(dir, 'split', 'b_000')).length));
    await db.query(`UNLOAD ('SELECT * FROM big') TO '${join(dir, 'split2', 'b_')}' MAXFILESIZE AS 5`);
    assert.deepEqual(files('split2'), ['b_0000_part_00', 'b_0001_part_00', 'b_0002_part_00', 'b_0003_part_00']);
    await db.query(`UNLOAD ('SELECT id, pad || pad AS pad FROM big') TO 's3://${s3.bucket}/split/b_' MAXFILESIZE 5 MB`);
    assert.deepEqual(await s3Keys('split/'), ['0000_part_00', '0000_part_01', '0001_part_00', '0001_part_01', '0002_part_00', '0002_part_01', '0003_part_00', '0003_part_01'].map((k) => `split/b_${k}`));
    await db.query('CREATE TABLE big2 (id INT, pad VARCHAR(400))');
    assert.equal((await db.query(`COPY big2 FROM 's3://${s3.bucket}/split/b_'`)).rowCount, rows);
    assert.equal(Number((await db.query(`SELECT count(*) AS n FROM big2 b2 JOIN big b ON b.id = b2.id AND b2.pad = b.pad || b.pad`)).rows[0]!.n), rows);
  });
});

describe('MANIFEST', () => {
  test('lists every data file; VERBOSE adds sizes, row counts, the schema and the author', async () => {
    await db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/man/t_' MANIFEST`);
    const keys = await s3Keys('man/');
    assert.deepEqual(keys, ['man/t_0000_part_00', 'man/t_0001_part_00', 'man/t_0002_part_00', 'man/t_0003_part_00', 'man/t_manifest']);
    const plain = JSON.parse(await s3Text('man/t_manifest'));
    assert.deepEqual(plain, { entries: keys.slice(0, 4).map((k) => ({ url: `s3://${s3.bucket}/${k}` })) });

    await db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'man', 't_')}' MANIFEST VERBOSE GZIP`);
    const m = JSON.parse(readFileSync(join(dir, 'man', 't_manifest'), 'utf8'));
    const data = files('man').filter((f) => f !== 't_manifest');
    assert.deepEqual(m.entries.map((e: { url: string }) => e.url), data.map((f) => join(dir, 'man', f)));
    for (const e of m.entries) {
      assert.equal(e.meta.content_length, statSync(e.url).size);
      assert.equal(e.meta.record_count, gunzipSync(readFileSync(e.url)).toString().split('\n').filter(Boolean).length);
    }
    assert.deepEqual(m.meta, { content_length: m.entries.reduce((n: number, e: { meta: { content_length: number } }) => n + e.meta.content_length, 0), record_count: 10 });
    assert.deepEqual(m.schema, { elements: [
      { name: 'id', type: { base: 'integer' } },
      { name: 'name', type: { base: 'character varying', byte_length: 40 } },
      { name: 'amount', type: { base: 'numeric', precision: 10, scale: 2 } },
      { name: 'day', type: { base: 'date' } },
    ] });
    assert.deepEqual(m.author, { name: 'Amazon Redshift', version: '1.0.0' });
    await db.query('CREATE TABLE tm (LIKE t)');
    assert.equal((await db.query(`COPY tm FROM '${join(dir, 'man', 't_manifest')}' MANIFEST GZIP`)).rowCount, 10);
  });
});

describe('existing files', () => {
  test('without ALLOWOVERWRITE a non-empty prefix fails (local and S3); ALLOWOVERWRITE replaces; CLEANPATH empties first', async () => {
    const local = join(dir, 'ow', 't_');
    await db.query(`UNLOAD ('SELECT * FROM t') TO '${local}'`);
    const before = files('ow');
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t WHERE id = 1') TO '${local}' PARALLEL OFF`),
      rejectsWith('XX000', /^Specified unload destination on S3 is not empty\. Consider using a different bucket \/ prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option\.$/));
    assert.deepEqual(files('ow'), before);
    await db.query(`UNLOAD ('SELECT * FROM t WHERE id <= 2') TO '${local}' ALLOWOVERWRITE PARALLEL OFF`);
    assert.deepEqual(files('ow'), [...before, 't_000'].sort());
    await db.query(`UNLOAD ('SELECT * FROM t WHERE id <= 3') TO '${local}' CLEANPATH PARALLEL OFF`);
    assert.deepEqual(files('ow'), ['t_000']);
    assert.equal(lines(join(dir, 'ow', 't_000')).length, 3);

    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'ow/t_old', Body: 'x' }));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/ow/t_'`), rejectsWith('XX000', /not empty/));
    assert.deepEqual(await s3Keys('ow/'), ['ow/t_old']);
    await db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/ow/t_' CLEANPATH PARALLEL OFF`);
    assert.deepEqual(await s3Keys('ow/'), ['ow/t_000']);
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/ow/t_' CLEANPATH ALLOWOVERWRITE`), rejectsWith('42601'));
  });
});

describe('empty results', () => {
  test('text writes one empty file (header only with HEADER); PARQUET writes none; the manifest lists what exists', async () => {
    let r = await db.query(`UNLOAD ('SELECT * FROM t WHERE id < 0') TO '${join(dir, 'empty', 'a_')}' MANIFEST`);
    assert.equal(r.rowCount, 0);
    assert.deepEqual(files('empty'), ['a_0000_part_00', 'a_manifest']);
    assert.equal(statSync(join(dir, 'empty', 'a_0000_part_00')).size, 0);
    await db.query(`UNLOAD ('SELECT * FROM t WHERE id < 0') TO '${join(dir, 'empty', 'b_')}' CSV HEADER PARALLEL OFF`);
    assert.equal(readFileSync(join(dir, 'empty', 'b_000'), 'utf8'), 'id,name,amount,day\n');
    r = await db.query(`UNLOAD ('SELECT * FROM t WHERE id < 0') TO '${join(dir, 'empty', 'c_')}' PARQUET MANIFEST`);
    assert.deepEqual(files('empty').filter((f) => f.startsWith('c_')), ['c_manifest']);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'empty', 'c_manifest'), 'utf8')), { entries: [] });
  });
});

describe('errors', () => {
  test('bad options, destinations and queries fail with their SQLSTATE and write nothing', async () => {
    const p = join(dir, 'err', 'x_');
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' BZIP2`), rejectsWith('0A000', /BZIP2/));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' PARQUET HEADER`), rejectsWith('42601', /PARQUET cannot be used with HEADER/));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' PARQUET GZIP`), rejectsWith('42601'));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' CSV ADDQUOTES`), rejectsWith('42601'));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' MAXFILESIZE 1 MB`), rejectsWith('22023', /MAXFILESIZE/));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${p}' PARTITION BY (day)`), rejectsWith('0A000'));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO 'http://example.com/x_'`), rejectsWith('22023', /destination/));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t LIMIT 3') TO '${p}'`), rejectsWith('0A000', /LIMIT/));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM missing') TO '${p}'`), rejectsWith('42P01'));
    await assert.rejects(db.query(`UNLOAD ('SELECT 1/0') TO '${p}'`), rejectsWith('22012'));
    assert.deepEqual(files('err'), []);
    // A nested LIMIT is fine.
    assert.equal((await db.query(`UNLOAD ('SELECT * FROM (SELECT * FROM t ORDER BY id LIMIT 3) x') TO '${p}' PARALLEL OFF`)).rowCount, 3);
    // A file in the way of a directory: 58030, and the session goes on.
    writeFileSync(join(dir, 'blocker'), 'x');
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO '${join(dir, 'blocker', 'sub', 'x_')}'`), rejectsWith('58030'));
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO 's3://no-such-bucket/x_'`), rejectsWith('XX000', /NoSuchBucket/));
    await assert.rejects(db.query(`COPY t FROM 's3://${s3.bucket}/nothing-here/'`), rejectsWith('XX000', /prefix 'nothing-here\/' does not exist/));
    assert.equal(Number((await db.query('SELECT count(*) AS n FROM t')).rows[0]!.n), 10);
  });

  test('keys in the statement override the engine\'s; an unknown key is refused by the server', async () => {
    // s3rver knows only the key S3RVER: the statement's key replaces the engine's, so the request is refused.
    await assert.rejects(db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/keys/x_' ACCESS_KEY_ID 'WRONGKEY' SECRET_ACCESS_KEY 'wrong'`), rejectsWith('XX000', /InvalidAccessKeyId/));
    await assert.rejects(db.query(`COPY t FROM 's3://${s3.bucket}/keys/' CREDENTIALS 'aws_access_key_id=WRONGKEY;aws_secret_access_key=x'`), rejectsWith('XX000', /InvalidAccessKeyId/));
    const r = await db.query(`UNLOAD ('SELECT * FROM t') TO 's3://${s3.bucket}/keys/y_' CREDENTIALS 'aws_access_key_id=S3RVER;aws_secret_access_key=S3RVER' IAM_ROLE 'arn:aws:iam::0123456789012:role/MyRedshiftRole' REGION 'us-east-1' PARALLEL OFF`);
    assert.equal(r.rowCount, 10);
    assert.deepEqual(await s3Keys('keys/'), ['keys/y_000']);
  });
  test('db.copyFrom reads an s3:// key prefix through the engine\'s S3 configuration', async () => {
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'lib/part_a', Body: '101|from s3|1.50|2024-02-01\n102|\\N|2.25|2024-02-02\n' }));
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'lib/part_b', Body: '103|third|3.00|2024-02-03\n' }));
    await db.query('CREATE TABLE from_s3 (id INT, name VARCHAR(40), amount DECIMAL(10,2), day DATE)');
    const r = await db.copyFrom('from_s3', `s3://${s3.bucket}/lib/part_`);
    assert.equal(r.rows, 3);
    const rows = (await db.query("SELECT id, name, amount, to_char(day, 'YYYY-MM-DD') AS day FROM from_s3 ORDER BY id")).rows;
    assert.deepEqual(rows, [
      { id: 101, name: 'from s3', amount: '1.50', day: '2024-02-01' },
      { id: 102, name: null, amount: '2.25', day: '2024-02-02' },
      { id: 103, name: 'third', amount: '3.00', day: '2024-02-03' },
    ]);
  });
});
