// Filters on RUNLENGTH columns evaluated once per run, checked against DuckDB after a reopen.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { encodedFilterStats } from '../../host/exec/kernel-filter.js';
import { Oracle } from '../differential/duckdb.js';

const N = 20000;
const lit = (s: string | null) => (s === null ? 'null' : `'${s.replace(/'/g, "''")}'`);
// Long runs: every value holds for 250..700 consecutive rows; NULL runs too.
const row = (i: number) => {
  const a = Math.floor(i / 250), b = Math.floor(i / 400), c = Math.floor(i / 700);
  return {
    id: i,
    n: a % 9 === 4 ? null : (a * 7) % 23 - 5,
    d: b % 7 === 2 ? null : `2024-0${1 + (b % 9)}-1${b % 10}`,
    m: c % 5 === 1 ? null : ((c * 37) % 101 - 30) / 4,
    s: a % 6 === 5 ? null : ['red', 'green', 'blue', 'dark red', ''][(a * 3) % 5]!,
  };
};

const WHERES = [
  'n = 3', 'n <> 3', 'n < 0', 'n between -2 and 6', 'n in (1, 2, 11, -5)', 'n is null', 'n * 2 + 1 > 9', 'abs(n) = 5', 'coalesce(n, 100) > 50',
  "d = '2024-03-12'", "d < '2024-05-01'", "d between '2024-02-01' and '2024-06-30'", 'd is not null', "d + 1 = '2024-04-14'",
  'm = 1.75', 'm >= 5', 'm in (-7.5, 0.25, 10)', 'm is null', 'm * 4 < -20',
  "s like '%red'", "s = 'blue'", "s in ('green', '')", 's is null', "upper(s) <> 'RED'",
  "n > 0 and s like '%e%'", "id < 9000 and n in (2, 11)", "id % 3 = 0 and m > 2",
];

describe('filters on RUNLENGTH columns', () => {
  it(`${WHERES.length} WHERE clauses over ${N} rows agree with DuckDB and run per run after reopen`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-rlefilter-'));
    const oracle = await Oracle.create(1);
    try {
      const rows = Array.from({ length: N }, (_, i) => row(i));
      let engine = await Engine.create({ workers: false, slices: 2, data: dir });
      let s = new Session(engine);
      await s.execute('create table t (id int, n int encode runlength, d date encode runlength, m decimal(10,2) encode runlength, s varchar(20) encode runlength) sortkey(id)');
      await oracle.run('create table t (id int, n int, d date, m decimal(10,2), s varchar)');
      for (let at = 0; at < N; at += 5000) {
        const values = rows.slice(at, at + 5000).map((r) => `(${r.id}, ${r.n ?? 'null'}, ${lit(r.d)}, ${r.m ?? 'null'}, ${lit(r.s)})`).join(', ');
        await s.execute(`insert into t values ${values}`);
        await oracle.run(`insert into t values ${values}`);
      }
      await engine.close();
      engine = await Engine.create({ workers: false, slices: 2, data: dir });
      s = new Session(engine);
      const before = encodedFilterStats.runs;
      for (const w of WHERES) {
        const got = (await s.execute(`select count(*), coalesce(sum(id), 0) from t where ${w}`)).at(-1)!.rows[0]!.map(String);
        const want = (await oracle.query(`select count(*), coalesce(sum(id), 0) from t where ${w}`)).text[0]!;
        assert.deepEqual(got, want, w);
      }
      assert.ok(encodedFilterStats.runs > before, 'the per-run path was taken');
      await engine.close();
    } finally {
      oracle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
