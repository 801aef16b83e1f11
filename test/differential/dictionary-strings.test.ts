// Low-cardinality string columns against DuckDB: such columns are stored dictionary-coded and travel
// as codes from the scan into grouping, hashing, comparisons and exchanges (host/batch/vector.ts
// dictionaryVector). GROUP BY, DISTINCT, =, <>, IN, LIKE, ORDER BY, string functions, joins and
// COUNT(DISTINCT) on such columns, with NULLs, CHAR trailing blanks and a word set that changes
// along the table (so chunks hold different dictionaries); a big table runs in slice workers, a small
// one inline on the leader; 1 and 3 slices.
import { after, before, test } from 'node:test';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

/** Above the rows a fragment must touch to run in workers (host/cluster/pool.ts INLINE_ROWS), several chunks per slice. */
const BIG_ROWS = 300_000;
/** Below it: scans of this table run on the leader. */
const SMALL_ROWS = 20_000;
/** The word set shifts with the row number, so chunks (65,536 rows) get different dictionaries. */
const WORDS = ['AIR', 'MAIL', 'SHIP', 'TRUCK', 'RAIL', 'FOB', 'REG AIR', 'Ärger', 'x', 'y z'];

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-dictionary-strings-v2-${BIG_ROWS}`);
  mkdirSync(dir, { recursive: true });
  // c is CHAR, t VARCHAR with trailing blanks: those blanks are insignificant when values compare
  // (Redshift "Character types").
  const cols = 'id INTEGER NOT NULL, g VARCHAR(10) NOT NULL, v VARCHAR(10), c CHAR(6), t VARCHAR(6), x INTEGER NOT NULL';
  const big: DiffTable = { name: 'dbig', columns: cols, redshiftAttrs: 'DISTSTYLE EVEN', rows: BIG_ROWS, file: join(dir, 'dbig.tbl') };
  const small: DiffTable = { name: 'dsmall', columns: cols, redshiftAttrs: 'DISTKEY (id)', rows: SMALL_ROWS, file: join(dir, 'dsmall.tbl') };
  const write = (t: DiffTable, seed: number): void => {
    if (existsSync(t.file)) return;
    const rng = new Rng(seed);
    const lines: string[] = [];
    for (let id = 0; id < t.rows; id++) {
      // Four words at a time out of ten, the window moving every 50,000 rows.
      const shift = Math.floor(id / 50_000);
      const word = (): string => WORDS[(shift + rng.int(0, 3)) % WORDS.length]!;
      lines.push([
        String(id),
        word(),
        rng.int(0, 19) === 0 ? NULL_TEXT : word(),
        rng.int(0, 19) === 0 ? NULL_TEXT : ['ab', 'ab ', 'cd', 'e f'][rng.int(0, 3)]!,
        rng.int(0, 19) === 0 ? NULL_TEXT : ['ab', 'ab ', 'ab  ', 'cd', 'cd '][rng.int(0, 4)]!,
        String(rng.int(0, 1000)),
      ].join('|'));
    }
    writeFileSync(t.file, lines.join('\n') + '\n');
  };
  write(big, 11);
  write(small, 12);
  return [big, small];
}

function queriesOn(t: string): QueryPair[] {
  return [
    q(`${t}: GROUP BY one coded column`, `select g, count(*), sum(x) from ${t} group by g`),
    q(`${t}: GROUP BY two coded columns, NULLs a group`, `select g, v, count(*), sum(x) from ${t} group by g, v`),
    q(`${t}: GROUP BY a coded column and an integer`, `select v, x % 3, count(*) from ${t} group by v, x % 3`),
    q(`${t}: GROUP BY CHAR ignores trailing blanks`, `select min(rtrim(c)), count(*) from ${t} group by c`,
      `select min(rtrim(c)), count(*) from ${t} group by rtrim(c)`),
    q(`${t}: DISTINCT`, `select distinct v from ${t}`),
    q(`${t}: COUNT(DISTINCT) per group`, `select g, count(distinct v) from ${t} group by g`),
    q(`${t}: = and <>`, `select count(*), sum(x) filter (where v = 'MAIL'), sum(x) filter (where v <> 'MAIL') from ${t}`),
    q(`${t}: GROUP BY VARCHAR ignores trailing blanks`, `select min(rtrim(t)), count(*), count(distinct t) from ${t} group by t`,
      `select min(rtrim(t)), count(*), count(distinct rtrim(t)) from ${t} group by rtrim(t)`),
    q(`${t}: VARCHAR = ignores trailing blanks`, `select count(*) from ${t} where t = 'ab' or t in ('cd  ')`,
      `select count(*) from ${t} where rtrim(t) = 'ab' or rtrim(t) in ('cd')`),
    q(`${t}: CHAR = ignores trailing blanks`, `select count(*) from ${t} where c = 'ab'`, `select count(*) from ${t} where rtrim(c) = 'ab'`),
    q(`${t}: IN and NOT IN`, `select count(*), sum(x) from ${t} where v in ('AIR', 'x', 'y z') or g not in ('SHIP', 'RAIL')`),
    q(`${t}: range compare`, `select g, count(*) from ${t} where v < 'RAIL' and v >= 'FOB' group by g`),
    q(`${t}: LIKE and a string function in the select list`, `select lower(g), count(*) filter (where v like '%A%') from ${t} group by lower(g)`),
    q(`${t}: CASE on a coded column as a key`, `select case when v in ('AIR', 'REG AIR') then 'air' else v end k, count(*) from ${t} group by 1`),
    q(`${t}: compare after a group (HAVING on the key)`, `select g, sum(x) from ${t} group by g having g <> 'TRUCK'`),
    q(`${t}: ORDER BY coded columns`, `select v, g, count(*) from ${t} where id % 97 = 0 group by v, g order by v nulls first, g`),
    q(`${t}: rows ordered by a coded column`, `select id, v from ${t} where id % 1009 = 0 order by v nulls last, id`),
    q(`${t}: two coded columns compared`, `select count(*) from ${t} where g = v`),
  ];
}

const QUERIES: QueryPair[] = [
  ...queriesOn('dbig'),
  ...queriesOn('dsmall'),
  q('join on a coded string key', 'select b.g, count(*), sum(b.x) from dbig b join (select distinct v from dsmall where v is not null) s on b.g = s.v group by b.g'),
  q('join whose build side is coded chunks of both tables', 'select s.g, count(*) from dsmall s join (select g, min(id) m from dbig group by g) b on s.g = b.g group by s.g'),
  q('union of coded columns from two tables', 'select v, count(*) from (select v from dbig union all select v from dsmall) u group by v'),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 3]) {
  test(`dictionary-coded strings: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} queries`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(data), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES);
    });
  });
}
