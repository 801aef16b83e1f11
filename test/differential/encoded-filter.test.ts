// String filters on encoded columns against DuckDB: a durable table with BYTEDICT, TEXT255, RUNLENGTH and LZO
// string columns is reopened (its chunks come from the block files, low-cardinality columns dictionary-coded in
// memory) and WHERE clauses on them (comparisons, LIKE, IN, IS NULL, COALESCE, mixed with integer conditions)
// must count and sum the same rows as DuckDB over the same data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { Oracle } from './duckdb.js';

const N = 20000;
const CITIES = ['Berlin', 'Paris', 'São Paulo', 'Zürich', '', 'New York', 'Oslo', 'Lima'];
const row = (i: number) => ({
  id: i,
  k: (i * 31) % 97,
  city: i % 13 === 3 ? null : CITIES[(i * 7) % CITIES.length]!,
  words: i % 17 === 5 ? null : `the ${['red', 'blue', 'green'][i % 3]} fox ${i % 50}`,
  flag: i % 11 === 2 ? null : ['A', 'N', 'R'][Math.floor(i / 500) % 3]!,
  note: `note ${i}`,
  body: i % 19 === 7 ? null : bodyText(i),
});
/** Comment-like text up to ~90 bytes (TPC-H Q13's o_comment): words that contain, split and overlap the LIKE pieces. */
function bodyText(i: number): string {
  const vocab = ['special', 'requests', 'spec', 'ial', 'requ', 'ests', 'sly', 'packages', 'fox', 'é', 'specialrequests', 'blithely', 'z'];
  let x = i * 2654435761 >>> 0, t = '';
  const len = 5 + (i % 83);
  while (t.length < len) { x = (x * 1103515245 + 12345) >>> 0; t += (t ? ' ' : '') + vocab[(x >>> 8) % vocab.length]; }
  return i % 23 === 4 ? `${t}  ` : t;
}
const lit = (s: string | null) => (s === null ? 'null' : `'${s.replace(/'/g, "''")}'`);

const WHERES = [
  "city = 'Paris'", "city <> 'Oslo'", "city < 'O'", "city >= 'São Paulo'", "city LIKE '%o%'", "city IN ('Lima', 'Zürich', 'x')",
  'city IS NULL', "coalesce(city, 'Oslo') = 'Oslo'", "city = ''", "words LIKE '%blue fox 1%'", "words = 'the red fox 3'", 'words IS NOT NULL AND k < 20',
  "flag = 'N'", "flag <> 'A' AND k > 50", "note LIKE 'note 19%'", "city = 'Berlin' AND flag = 'R' AND words LIKE '%green%'", "upper(city) = 'OSLO' OR k = 3",
  // a unique-text column: LIKE of literal pieces runs the str_like_pieces kernel (whole-area search without a selection)
  "body LIKE '%special%requests%'", "body NOT LIKE '%special%requests%'", "body LIKE 'spec%ests'", "body NOT LIKE '%fox%'",
  "body LIKE '%requests%special%sly%'", "body LIKE 'sly%'", "body LIKE '%z'", "body LIKE '%é%fox%'", "body LIKE '%ests  '",
  "k > 40 AND body NOT LIKE '%special%requests%'", "body LIKE '%special%' AND body NOT LIKE '%requests%'",
];

describe('string filters on encoded columns agree with DuckDB', () => {
  it(`${WHERES.length} WHERE clauses over ${N} rows, after reopen`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-encfilter-'));
    const oracle = await Oracle.create(1);
    try {
      const rows = Array.from({ length: N }, (_, i) => row(i));
      const ddl = 'create table t (id int, k int, city varchar(20) encode bytedict, words varchar(40) encode text255, flag char(1) encode runlength, note varchar(20) encode lzo, body varchar(200) encode lzo)';
      let engine = await Engine.create({ workers: false, slices: 2, data: dir });
      let s = new Session(engine);
      await s.execute(ddl);
      await oracle.run('create table t (id int, k int, city varchar, words varchar, flag varchar, note varchar, body varchar)');
      for (let at = 0; at < N; at += 5000) {
        const values = rows.slice(at, at + 5000).map((r) => `(${r.id}, ${r.k}, ${lit(r.city)}, ${lit(r.words)}, ${lit(r.flag)}, ${lit(r.note)}, ${lit(r.body)})`).join(', ');
        await s.execute(`insert into t values ${values}`);
        await oracle.run(`insert into t values ${values}`);
      }
      await engine.close();
      engine = await Engine.create({ workers: false, slices: 2, data: dir });
      s = new Session(engine);
      for (const w of WHERES) {
        const got = (await s.execute(`select count(*), coalesce(sum(id), 0) from t where ${w}`)).at(-1)!.rows[0]!.map(String);
        const want = (await oracle.query(`select count(*), coalesce(sum(id), 0) from t where ${w}`)).text[0]!;
        assert.deepEqual(got, want, w);
      }
      await engine.close();
    } finally {
      oracle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
