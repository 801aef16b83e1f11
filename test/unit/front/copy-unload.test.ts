// Tests of the COPY and UNLOAD parser (host/front/copy-unload.ts) through parseStatements.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseStatements } from '../../../host/front/parse.js';
import { SqlError } from '../../../host/common/errors.js';
import { redshiftCopy } from '../../../bench/tpch/schema.js';

before(async () => { await initParser(); });

function copyOf(sql: string) {
  const [st] = parseStatements(sql);
  assert.equal(st!.kind, 'copy');
  assert.equal(st!.tag, 'COPY');
  return st!.copy!;
}

function is42601At(sql: string, near: string) {
  return (e: unknown): boolean => e instanceof SqlError && e.code === '42601'
    && e.message === `syntax error at or near "${near}"` && e.position === sql.indexOf(near) + 1;
}

test('Redshift COPY from S3 with authorization, format and options', () => {
  const c = copyOf(`COPY public.sales (id, region) FROM 's3://bucket/prefix/'
    IAM_ROLE 'arn:aws:iam::123456789012:role/Load'
    FORMAT AS CSV QUOTE AS '"' IGNOREHEADER 1 DELIMITER ',' NULL AS '\\N' GZIP
    DATEFORMAT 'YYYY-MM-DD' TIMEFORMAT AS 'auto' MAXERROR 10 REGION 'us-west-2' MANIFEST
    EMPTYASNULL BLANKSASNULL TRUNCATECOLUMNS ACCEPTINVCHARS AS '^' COMPUPDATE OFF STATUPDATE ON`);
  assert.deepEqual(c.table, { schema: 'public', name: 'sales', location: 5 });
  assert.deepEqual(c.columns, ['id', 'region']);
  assert.equal(c.direction, 'from');
  assert.equal(c.source, 's3://bucket/prefix/');
  assert.deepEqual(c.authorization, { iamRole: 'arn:aws:iam::123456789012:role/Load' });
  assert.deepEqual(c.options, {
    format: 'CSV', quote: '"', ignoreHeader: 1, delimiter: ',', nullAs: '\\N', compression: 'GZIP',
    dateFormat: 'YYYY-MM-DD', timeFormat: 'auto', maxError: 10, region: 'us-west-2', manifest: true,
    emptyAsNull: true, blanksAsNull: true, truncateColumns: true, acceptInvChars: '^', compUpdate: 'OFF', statUpdate: true,
  });
});

test('JSON, PARQUET, FIXEDWIDTH and credentials forms', () => {
  const j = copyOf(`copy t from 's3://b/k' credentials 'aws_access_key_id=A;aws_secret_access_key=B' json 'auto ignorecase' zstd`);
  assert.equal(j.options.format, 'JSON');
  assert.equal(j.options.formatArgument, 'auto ignorecase');
  assert.equal(j.options.compression, 'ZSTD');
  assert.equal(j.authorization.credentials, 'aws_access_key_id=A;aws_secret_access_key=B');
  const p = copyOf(`copy t from 's3://b/k' iam_role default format as parquet`);
  assert.equal(p.options.format, 'PARQUET');
  assert.equal(p.authorization.iamRole, 'default');
  const f = copyOf(`copy t from 's3://b/k' access_key_id 'A' secret_access_key 'B' session_token 'C' fixedwidth 'a:3,b:10' bzip2 explicit_ids fillrecord noload`);
  assert.equal(f.options.format, 'FIXEDWIDTH');
  assert.equal(f.options.fixedwidthSpec, 'a:3,b:10');
  assert.deepEqual(f.authorization, { accessKeyId: 'A', secretAccessKey: 'B', sessionToken: 'C' });
  assert.equal(f.options.explicitIds && f.options.fillRecord && f.options.noLoad, true);
});

test('PostgreSQL COPY FROM STDIN / TO STDOUT come out as the same object', () => {
  const a = copyOf(`copy t (a, b) from stdin with (format csv, header true, delimiter ';', null 'NULL', quote '''')`);
  assert.equal(a.source, 'stdin');
  assert.deepEqual(a.options, { format: 'CSV', ignoreHeader: 1, delimiter: ';', nullAs: 'NULL', quote: "'" });
  const b = copyOf('COPY t FROM STDIN');
  assert.deepEqual(b.options, { format: 'TEXT' });
  const c = copyOf('copy t to stdout with csv header');
  assert.equal(c.direction, 'to');
  assert.equal(c.destination, 'stdout');
  assert.equal(c.options.format, 'CSV');
  assert.equal(c.options.header, true);
  const d = copyOf("copy t from stdin delimiter ',' csv");
  assert.deepEqual(d.options, { format: 'CSV', delimiter: ',' });
});

test('COPY (query) TO STDOUT parses the query too', () => {
  const sql = 'copy (select a from t where b > 1) to stdout (format csv)';
  const [st] = parseStatements(sql);
  assert.equal(st!.copy!.table, null);
  assert.equal(st!.copy!.query!.text, 'select a from t where b > 1');
  assert.equal(st!.query!.tag, 'SELECT');
  assert.equal(st!.query!.offset, 6);
  const bad = 'copy (select a frm t) to stdout';
  assert.throws(() => parseStatements(bad), (e: unknown) => e instanceof SqlError && e.code === '42601' && e.position === bad.indexOf('t)') + 1);
});

test('unknown or malformed options are 42601 at their position', () => {
  const sql = `copy t from 's3://b/k' iam_role default bogusopt 1`;
  assert.throws(() => parseStatements(sql), is42601At(sql, 'bogusopt'));
  const sql2 = `copy t from 's3://b/k' ignoreheader 'x'`;
  assert.throws(() => parseStatements(sql2), is42601At(sql2, "'x'"));
  assert.throws(() => parseStatements(`copy t from 's3://b/k' delimiter`), (e: unknown) => e instanceof SqlError && e.message === 'syntax error at end of input');
  assert.throws(() => parseStatements(`copy t from stdin with (format csv, frobnicate 1)`),
    (e: unknown) => e instanceof SqlError && e.code === '42601' && e.message === 'option "frobnicate" not recognized');
  assert.throws(() => parseStatements(`copy t from stdin (format xml)`), (e: unknown) => e instanceof SqlError && e.code === '22023');
});

test('UNLOAD with its options; the query is parsed and must be a SELECT', () => {
  const sql = `UNLOAD ('select * from venue where venuestate = ''NV''') TO 's3://b/unload/venue_'
    IAM_ROLE 'arn:aws:iam::0:role/U' FORMAT AS CSV HEADER PARALLEL OFF ALLOWOVERWRITE MAXFILESIZE 1 GB
    PARTITION BY (venuestate) INCLUDE GZIP NULL AS 'nil' MANIFEST VERBOSE REGION 'eu-west-1' EXTENSION 'csv.gz'`;
  const [st] = parseStatements(sql);
  assert.equal(st!.kind, 'unload');
  assert.equal(st!.tag, 'UNLOAD');
  const u = st!.unload!;
  assert.equal(u.query, "select * from venue where venuestate = 'NV'");
  assert.equal(u.destination, 's3://b/unload/venue_');
  assert.deepEqual(u.options, {
    format: 'CSV', header: true, parallel: false, allowOverwrite: true, maxFileSize: 1024 ** 3,
    partitionBy: { columns: ['venuestate'], include: true }, compression: 'GZIP', nullAs: 'nil', manifest: true,
    manifestVerbose: true, region: 'eu-west-1', extension: 'csv.gz',
  });
  assert.equal(st!.query!.ast.SelectStmt.whereClause.A_Expr.rexpr.A_Const.sval.sval, 'NV');
  const u2 = parseStatements(`unload ('select 1') to 's3://x' iam_role default parallel`)[0]!.unload!;
  assert.equal(u2.options.parallel, true);
  assert.equal(u2.options.format, 'TEXT');
});

test('an error inside the UNLOAD query points into the literal', () => {
  const sql = `unload ('select ''a'' frm t') to 's3://x'`;
  assert.throws(() => parseStatements(sql), (e: unknown) => e instanceof SqlError && e.code === '42601'
    && e.message === 'syntax error at or near "t"' && e.position === sql.indexOf("t')") + 1);
  assert.throws(() => parseStatements(`unload ('delete from t') to 's3://x'`), (e: unknown) => e instanceof SqlError && e.code === '42601');
  const sql2 = `unload ('select 1') to 's3://x' parallel sideways`;
  assert.throws(() => parseStatements(sql2), is42601At(sql2, 'sideways'));
});

test('the TPC-H load statements parse', () => {
  const stmts = parseStatements(redshiftCopy('data/sf1').join(';\n'));
  assert.equal(stmts.length, 8);
  for (const s of stmts) {
    assert.equal(s.kind, 'copy');
    assert.equal(s.copy!.options.delimiter, '|');
    assert.match(s.copy!.source!, /\.tbl$/);
  }
});
