// String predicates of scan filters (LIKE chains, =, <>, IN, substring IN) over plain UTF-8, dictionary
// and RUNLENGTH chunks with multi-byte text, NULLs and trailing blanks, checked against DuckDB in the
// leader thread and in slice workers, with the byte-level path (host/exec/byte-predicate.ts) taken.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { encodedFilterStats } from '../../host/exec/kernel-filter.js';
import { Oracle } from '../differential/duckdb.js';

const N = 12000;
const WORDS = ['alpha', 'beta', 'héllo', 'wörld', '日本', '語', '🙂', 'special', 'requests', 'green', 'PROMO', 'forest', '%', 'a_b', 'e'];
const lit = (s: string | null) => (s === null ? 'null' : `'${s.replace(/'/g, "''")}'`);

/** A deterministic generator (xorshift) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function rows(): { id: number; v: string | null; c: string | null; d: string | null; r: string | null }[] {
  const next = rng(7);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  return Array.from({ length: N }, (_, id) => {
    const k = 1 + Math.floor(next() * 4);
    let v: string | null = Array.from({ length: k }, pick).join(next() < 0.8 ? ' ' : '');
    if (next() < 0.1) v += '  ';
    if (next() < 0.05) v = null;
    if (next() < 0.02) v = '';
    // CHAR(12): short codes, some ending in a multi-byte letter, stored blank-padded.
    const c = next() < 0.05 ? null : `${10 + Math.floor(next() * 25)}-${Math.floor(next() * 1000)}${next() < 0.2 ? 'é' : ''}`;
    const d = next() < 0.05 ? null : ['red', 'green', 'blue', 'dark red', '', 'wörld'][Math.floor(next() * 6)]!;
    const run = Math.floor(id / 300);
    const r = run % 7 === 3 ? null : ['gray', 'green', 'gold', 'blue '][run % 4]!;
    return { id, v, c, d, r };
  });
}

// [wasmshift WHERE, DuckDB WHERE when it differs]: Redshift ignores trailing blanks when strings
// compare ("Comparison functions and operators"); DuckDB needs rtrim to do the same.
const WHERES: [string, string?][] = [
  ["v like '%special%requests%'"], ["v not like '%special%requests%'"], ["v like 'alpha%'"], ["v like '%wörld'"],
  ["v like '%日本%語%'"], ["v like '%🙂%'"], ["v not like '%e%'"], ["v like 'beta'"], ["v like '%'"], ["v like '%  '"],
  ["v like 'h_llo%'"], ["v ilike 'ALPHA%'"], ["v like '%!%%' escape '!'"], ["v like '%a!_b%' escape '!'"], ['not (v like \'%a%\')'],
  ["v = 'green'", "rtrim(v) = 'green'"], ["v <> 'green'", "rtrim(v) <> 'green'"], ["v = ''", "rtrim(v) = ''"],
  ["v in ('alpha', 'beta', '語', '🙂')", "rtrim(v) in ('alpha', 'beta', '語', '🙂')"],
  ["v not in ('alpha', 'beta')", "rtrim(v) not in ('alpha', 'beta')"],
  ["substring(v, 1, 2) in ('al', 'hé', '日本', '🙂s', 'e')", "rtrim(substring(v, 1, 2)) in ('al', 'hé', '日本', '🙂s', 'e')"],
  ["substring(v, 2, 3) = 'lph'", "rtrim(substring(v, 2, 3)) = 'lph'"],
  ["substring(c, 1, 2) in ('13', '31', '23', '29', '30', '18', '17')"], ["c = '13-5'"], ["c like '1%'"], ["c like '%é'"], ["c not like '%7%'"],
  ["d like '%e%'"], ["d in ('red', 'blue', '')"], ["d <> 'wörld'"], ["r like 'g%'"], ["r = 'blue'", "rtrim(r) = 'blue'"],
  ["id < 3000 and v like '%a%'"], ["id % 2 = 0 and v not like '%a%b%'"], ["id < 50 and v like '%e%'"],
  ["v like '%e%' and (id % 7 = 0 or d = 'red')"], ["v like '%a%' and c like '2%' and d <> 'blue'"],
  ['v is null'], ["v is not null and v like '%o%'"],
];

const SELECT = 'select count(*), coalesce(sum(id), 0), coalesce(sum(length(v)), 0), coalesce(sum(length(d)), 0) from t where ';

describe('string predicates on encoded chunks', () => {
  it(`${WHERES.length} WHERE clauses over ${N} rows agree with DuckDB, in the leader and in workers`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-strpred-'));
    const oracle = await Oracle.create(1);
    try {
      const data = rows();
      let engine = await Engine.create({ workers: false, slices: 2, data: dir });
      let s = new Session(engine);
      await s.execute('create table t (id int, v varchar(60), c char(12), d varchar(20), r varchar(10) encode runlength) sortkey(id)');
      await oracle.run('create table t (id int, v varchar, c varchar, d varchar, r varchar)');
      for (let at = 0; at < N; at += 3000) {
        const part = data.slice(at, at + 3000);
        await s.execute(`insert into t values ${part.map((x) => `(${x.id}, ${lit(x.v)}, ${lit(x.c)}, ${lit(x.d)}, ${lit(x.r)})`).join(', ')}`);
        await oracle.run(`insert into t values ${part.map((x) => `(${x.id}, ${lit(x.v)}, ${lit(x.c)}, ${lit(x.d)}, ${lit(x.r)})`).join(', ')}`);
      }
      await engine.close();
      // CHAR constants taken from the data (one with trailing blanks, insignificant in comparisons).
      const codes = data.map((x) => x.c).filter((c): c is string => c !== null).slice(0, 4);
      const wheres: [string, string?][] = [...WHERES, [`c = ${lit(codes[0]!)}`], [`c = ${lit(codes[1]! + '  ')}`, `c = ${lit(codes[1]!)}`], [`c in (${codes.map(lit).join(', ')})`]];
      for (const workers of [false, true]) {
        engine = await Engine.create({ workers, slices: 2, data: dir });
        s = new Session(engine);
        const before = encodedFilterStats.bytes;
        for (const [w, duck] of wheres) {
          const got = (await s.execute(SELECT + w)).at(-1)!.rows[0]!.map(String);
          const want = (await oracle.query(SELECT + (duck ?? w))).text[0]!;
          assert.deepEqual(got, want, `${w} (workers: ${workers})`);
          // count(*) alone: the scan outputs none of the columns its filter reads.
          const count = (await s.execute(`select count(*) from t where ${w}`)).at(-1)!.rows[0]!.map(String);
          assert.deepEqual(count, [want[0]], `count(*) where ${w} (workers: ${workers})`);
        }
        // Workers count in their own threads; the leader's count shows the byte path ran there.
        if (!workers) assert.ok(encodedFilterStats.bytes > before, 'string conjuncts were tested on bytes');
        await engine.close();
      }
    } finally {
      oracle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
