// Column encodings end to end: a table declared with ENCODE x for every encoding and every type it
// accepts keeps every row exactly across close and reopen, its block files carry the encoding's
// tag; columns without ENCODE get Redshift's defaults (visible in pg_table_def and
// pg_attribute.attencodingtype); an encoding the type does not accept is refused (0A000).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlError } from '../../host/common/errors.js';
import { Engine, type EngineOptions } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { Encoding, encodingAllowed, type EncodingName } from '../../host/storage/encoding/registry.js';
import { T, type SqlType } from '../../host/types/sql-type.js';

const OPTS: EngineOptions = { workers: false, slices: 2, memoryBytes: 256 << 20 };

async function openEngine(dir: string): Promise<{ engine: Engine; run(sql: string): Promise<unknown[][]> }> {
  const engine = await Engine.create({ ...OPTS, data: dir });
  const s = new Session(engine);
  return { engine, run: async (sql) => { const r = await s.execute(sql); return r[r.length - 1]!.rows; } };
}

function blockTags(dir: string): Map<number, number> {
  const tags = new Map<number, number>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.blk')) { const t = readFileSync(p)[6]!; tags.set(t, (tags.get(t) ?? 0) + 1); }
    }
  };
  walk(dir);
  return tags;
}

/** Columns: SQL type text, catalog type, and a SQL literal for row i (null now and then). */
const COLUMNS: [string, SqlType, (i: number) => string][] = [
  ['boolean', T.bool, (i) => (i % 3 === 0 ? 'true' : 'false')],
  ['smallint', T.int2, (i) => String(i % 9 === 0 ? -32768 : i % 50)],
  ['integer', T.int4, (i) => String(i % 97 === 0 ? 2147483647 : 100000 + (i % 40))],
  ['bigint', T.int8, (i) => (i % 101 === 0 ? '-9223372036854775808' : String(5000000000 + i * 3))],
  ['decimal(12,2)', T.numeric(12, 2), (i) => `${i % 30}.${i % 100}`],
  ['decimal(38,4)', T.numeric(38, 4), (i) => (i % 50 === 0 ? '12345678901234567890123456.7891' : `${i}.5`)],
  ['real', T.float4, (i) => (i % 7 === 0 ? `'NaN'::real` : i % 11 === 0 ? `'-0'::real` : `${i % 5}.25`)],
  ['double precision', T.float8, (i) => (i % 13 === 0 ? `'-Infinity'::float8` : `${i / 8}`)],
  ['date', T.date, (i) => `'2024-01-01'::date + ${i % 60}`],
  ['timestamp', T.timestamp, (i) => `'2024-01-01 10:00:00'::timestamp + interval '${i} seconds'`],
  ['timestamptz', T.timestamptz, (i) => `'2024-01-01 10:00:00+00'::timestamptz + interval '${i % 9} hours'`],
  ['char(6)', T.bpchar(6), (i) => `'c${i % 4}'`],
  ['varchar(60)', T.varcharN(60), (i) => (i % 17 === 0 ? `''` : `'the ${i % 6} quick brown é ${i % 3}  😀'`)],
];

describe('ENCODE on durable tables', () => {
  for (const name of Object.keys(Encoding) as EncodingName[]) {
    it(`${name}: every accepted type keeps its rows across reopen`, async () => {
      const cols = COLUMNS.filter(([, t]) => encodingAllowed(name, t));
      const dir = mkdtempSync(join(tmpdir(), 'wasmshift-enc-'));
      try {
        const a = await openEngine(dir);
        await a.run(`create table t (id int encode raw, ${cols.map(([sql], c) => `c${c} ${sql} encode ${name.toLowerCase()}`).join(', ')})`);
        const rows: string[] = [];
        for (let i = 0; i < 700; i++) rows.push(`(${i}, ${cols.map(([, , lit], c) => ((i + c) % 10 === 4 ? 'null' : lit(i))).join(', ')})`);
        await a.run(`insert into t values ${rows.join(', ')}`);
        const before = await a.run(`select * from t order by id`);
        assert.equal(before.length, 700);
        await a.engine.close();
        if (name !== 'RAW') assert.ok((blockTags(dir).get(Encoding[name]) ?? 0) > 0, `some block is stored ${name}`);
        const b = await openEngine(dir);
        const after = await b.run(`select * from t order by id`);
        assert.deepEqual(after.map((r) => r.map(String)), before.map((r) => r.map(String)));
        assert.deepEqual(after, before);
        await b.engine.close();
      } finally { rmSync(dir, { recursive: true, force: true }); }
    });
  }
});

describe('encoding choices in the catalog', () => {
  it('defaults follow Redshift and show in pg_table_def and pg_attribute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-enc-'));
    try {
      const a = await openEngine(dir);
      await a.run(`create table d (k int, s smallint, b bigint, n decimal(10,2), dt date, ts timestamp, tz timestamptz, c char(3), v varchar(9),
        f real, g double precision, o boolean, z int encode zstd, au varchar(5) encode auto, ai int encode auto) compound sortkey(k, ai)`);
      const rows = await a.run(`select "column", trim(encoding) from pg_table_def where tablename = 'd' order by "column"`);
      assert.deepEqual(Object.fromEntries(rows), {
        k: 'none', s: 'az64', b: 'az64', n: 'az64', dt: 'az64', ts: 'az64', tz: 'az64', c: 'lzo', v: 'lzo', f: 'none', g: 'none', o: 'none', z: 'zstd', au: 'lzo', ai: 'none',
      });
      const att = await a.run(`select a.attname, format_encoding(a.attencodingtype::int) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = 'd' and a.attnum > 0 and a.attname in ('k', 'v', 'z', 's') order by 1`);
      assert.deepEqual(att, [['k', 'none'], ['s', 'az64'], ['v', 'lzo'], ['z', 'zstd']]);
      await a.run(`insert into d (k, v, s) values (1, 'x', 2)`);
      await a.engine.close();
      const tags = blockTags(dir);
      assert.ok((tags.get(Encoding.AZ64) ?? 0) > 0 && (tags.get(Encoding.LZO) ?? 0) > 0, 'default encodings are what the blocks use');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('refuses an encoding the type does not take (0A000) and an unknown one (22023), creating nothing', async () => {
    const engine = await Engine.create(OPTS);
    const s = new Session(engine);
    for (const [sql, code] of [
      ['create table x (b boolean encode az64)', '0A000'], ['create table x (f real encode lzo)', '0A000'], ['create table x (s smallint encode delta32k)', '0A000'],
      ['create table x (c char(4) encode text255)', '0A000'], ['create table x (i int encode mostly32)', '0A000'], ['create table x (d double precision encode delta)', '0A000'],
      ['create table x (i int encode snappy)', '22023'],
    ] as const) {
      await assert.rejects(s.execute(sql), (e: SqlError) => e.code === code, sql);
      assert.equal(engine.catalog.find('x', 'public', []), undefined);
    }
    await s.execute('create table y (i int)');
    await assert.rejects(s.execute('alter table y add column b boolean encode bytedict'), (e: SqlError) => e.code === '0A000');
    await s.execute('alter table y add column m bigint encode mostly32');
    await engine.close();
  });
});
