// Column-vs-column comparisons against DuckDB: WHERE a <op> b on two columns of one fixed-width type
// (smallint, integer, bigint, date, decimal, real, double precision, with NULLs) runs as the
// filter_cmp_col_* kernels on the scan's chunks, alone and after constant conditions; mixed types
// (integer vs bigint, decimals of two scales) keep the coercing path; the same comparisons as join
// residuals (inner, semi, anti: TPC-H Q21's l_suppkey <> l1.l_suppkey). Counted and summed over the
// same rows by both engines, before and after a reopen (chunks from memory, then from block files).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { Oracle } from './duckdb.js';

const N = 30000;
const OPS = ['=', '<>', '<', '<=', '>', '>='];
/** Columns compared pairwise: each pair holds values of one type drawn from a small range so every op keeps some rows. */
const PAIRS: [string, string][] = [['s1', 's2'], ['i1', 'i2'], ['b1', 'b2'], ['d1', 'd2'], ['n1', 'n2'], ['r1', 'r2'], ['f1', 'f2']];

const day = (k: number) => new Date(Date.UTC(1995, 0, 1 + k)).toISOString().slice(0, 10);
function row(i: number): (string | null)[] {
  const v = (salt: number, range: number) => ((i * 2654435761 + salt * 40503) >>> 0) % range;
  const nul = (salt: number, x: string) => (v(salt, 23) === 0 ? null : x);
  return [
    String(i),
    nul(1, String(v(2, 7) - 3)), nul(3, String(v(4, 7) - 3)),
    nul(5, String(v(6, 9) * 1000 - 4000)), nul(7, String(v(8, 9) * 1000 - 4000)),
    nul(9, String((BigInt(v(10, 5)) - 2n) * 3000000000n)), nul(11, String((BigInt(v(12, 5)) - 2n) * 3000000000n)),
    nul(13, day(v(14, 11))), nul(15, day(v(16, 11))),
    nul(17, (v(18, 9) / 4 - 1).toFixed(2)), nul(19, (v(20, 9) / 4 - 1).toFixed(2)),
    nul(21, String(v(22, 5) / 2 - 1)), nul(23, String(v(24, 5) / 2 - 1)),
    nul(25, String(v(26, 7) * 0.5 - 1.5)), nul(27, String(v(28, 7) * 0.5 - 1.5)),
    nul(29, (v(30, 9) / 4 - 1).toFixed(3)),
  ];
}
const COLS = 'id int, s1 smallint, s2 smallint, i1 int, i2 int, b1 bigint, b2 bigint, d1 date, d2 date, n1 decimal(8,2), n2 decimal(8,2), r1 real, r2 real, f1 double precision, f2 double precision, w decimal(9,3)';
const lit = (x: string | null, i: number) => (x === null ? 'null' : i === 7 || i === 8 ? `'${x}'` : x);

const WHERES = [
  ...PAIRS.flatMap(([a, b]) => OPS.map((op) => `${a} ${op} ${b}`)),
  'i1 < i2 and id > 1000', 'd1 >= d2 and i1 = 0', 'd1 > d2 and d2 > d1', 's1 <> s2 and b1 <= b2 and f1 > f2',
  'i1 < b2', 's2 >= i1', 'n1 = w', 'n2 > w', 'not (i1 < i2)', 'i1 < i2 or d1 = d2', 'i1 = i1',
];

async function load(s: Session, oracle: Oracle): Promise<void> {
  const rows = Array.from({ length: N }, (_, i) => row(i));
  for (let at = 0; at < N; at += 5000) {
    const values = rows.slice(at, at + 5000).map((r) => `(${r.map(lit).join(', ')})`).join(', ');
    await s.execute(`insert into t values ${values}`);
    await s.execute(`insert into u select * from t where id >= ${at} and id < ${at + 5000} and id % 37 = 0`);
    await oracle.run(`insert into t values ${values}`);
  }
  await oracle.run('insert into u select * from t where id % 37 = 0');
}

async function agree(s: Session, oracle: Oracle, sqls: string[]): Promise<void> {
  for (const sql of sqls) {
    const got = (await s.execute(sql)).at(-1)!.rows[0]!.map(String);
    const want = (await oracle.query(sql)).text[0]!;
    assert.deepEqual(got, want, sql);
  }
}

const filterQueries = WHERES.map((w) => `select count(*), coalesce(sum(id), 0) from t where ${w}`);
const joinQueries = [
  'select count(*), coalesce(sum(t.id), 0) from t join u on t.s1 = u.s1 and t.d2 = u.d2 and t.i1 <> u.i1',
  'select count(*), coalesce(sum(t.id), 0) from t join u on t.d1 = u.d1 and t.b1 = u.b1 and t.n1 < u.n2',
  'select count(*), coalesce(sum(t.id), 0) from t left join u on t.i1 = u.i2 and t.s2 = u.s1 and t.d2 >= u.d1 where u.id is null',
  'select count(*), coalesce(sum(id), 0) from t where exists (select 1 from u where u.s1 = t.s1 and u.d1 = t.d1 and u.i1 <> t.i1)',
  'select count(*), coalesce(sum(id), 0) from t where not exists (select 1 from u where u.s2 = t.s2 and u.b1 = t.b1 and u.f1 > t.f2)',
];

describe('column-vs-column comparisons agree with DuckDB', () => {
  for (const slices of [1, 3]) {
    it(`${filterQueries.length} filters and ${joinQueries.length} join residuals over ${N} rows, ${slices} slice(s), before and after reopen`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wasmshift-colcmp-'));
      const oracle = await Oracle.create(1);
      try {
        let engine = await Engine.create({ workers: false, slices, data: dir });
        let s = new Session(engine);
        await s.execute(`create table t (${COLS})`);
        await s.execute(`create table u (${COLS})`);
        await oracle.run(`create table t (${COLS})`);
        await oracle.run(`create table u (${COLS})`);
        await load(s, oracle);
        await agree(s, oracle, [...filterQueries, ...joinQueries]);
        await engine.close();
        engine = await Engine.create({ workers: false, slices, data: dir });
        s = new Session(engine);
        await agree(s, oracle, [...filterQueries, ...joinQueries]);
        await engine.close();
      } finally {
        oracle.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
