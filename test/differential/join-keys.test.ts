// Hash join keys against DuckDB: every key form the WASM join table packs (integers of mixed widths,
// dates, decimals, booleans, CHAR/VARCHAR with trailing blanks, multi-column keys, NULL keys), every
// join kind with and without residual conditions, probe batches that match more pairs than one
// output chunk holds, and a key pair that falls back to the JS table (decimals of two scales).

import { after, before, test } from 'node:test';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const OUTER_ROWS = 250_000;
const INNER_ROWS = 3_000;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'a', 'b'];

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-join-keys-v1-${OUTER_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const cols = 'id BIGINT NOT NULL, k2 SMALLINT, k4 INTEGER, k8 BIGINT, dt DATE, dec DECIMAL(10,2), flag BOOLEAN, c CHAR(8), v VARCHAR(10), x INTEGER NOT NULL';
  const outer: DiffTable = { name: 'jo', columns: cols, redshiftAttrs: 'DISTSTYLE EVEN', rows: OUTER_ROWS, file: join(dir, 'jo.tbl') };
  const inner: DiffTable = { name: 'ji', columns: `${cols}, wide DECIMAL(12,3)`, redshiftAttrs: 'DISTKEY (k4)', rows: INNER_ROWS, file: join(dir, 'ji.tbl') };
  const write = (t: DiffTable, seed: number, extra: boolean): void => {
    if (existsSync(t.file)) return;
    const rng = new Rng(seed);
    const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
    const lines: string[] = [];
    for (let id = 0; id < t.rows; id++) {
      const cents = rng.int(0, 150);
      const row = [
        String(id),
        maybe(3, () => String(rng.int(-60, 60))),
        maybe(3, () => String(rng.int(0, 120))),
        maybe(3, () => String(rng.int(-60, 60))),
        maybe(3, () => new Date(Date.UTC(2020, 0, 1 + rng.int(0, 40))).toISOString().slice(0, 10)),
        maybe(3, () => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`),
        maybe(3, () => (rng.int(0, 1) ? 'true' : 'false')),
        maybe(3, () => WORDS[rng.int(0, WORDS.length - 1)]!),
        // trailing blanks are insignificant when strings compare (Redshift "Character types")
        maybe(3, () => WORDS[rng.int(0, WORDS.length - 1)]! + (rng.int(0, 2) === 0 ? '  ' : '')),
        String(rng.int(0, 1000)),
      ];
      if (extra) row.push(maybe(3, () => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}0`));
      lines.push(row.join('|'));
    }
    writeFileSync(t.file, lines.join('\n') + '\n');
  };
  write(outer, 7, false);
  write(inner, 8, true);
  return [outer, inner];
}

const q = (name: string, sql: string, duckdb?: string): QueryPair => (duckdb ? { name, sql, duckdb } : { name, sql });
const AGG = 'count(*), count(i.id), sum(o.x), sum(i.x)';

const QUERIES: QueryPair[] = [
  q('int4 key, many pairs per probe batch', `select ${AGG} from jo o join ji i on o.k4 = i.k4`),
  q('int2 = int8 and int8 = int4 (mixed widths, two words)', `select ${AGG} from jo o join ji i on o.k2 = i.k8 and o.k8 = i.k4`),
  q('date key', `select ${AGG} from jo o join ji i on o.dt = i.dt`),
  q('decimal key', `select ${AGG} from jo o join ji i on o.dec = i.dec`),
  q('decimal keys of two scales', `select ${AGG} from jo o join ji i on o.dec = i.wide`),
  q('boolean and integer key', `select ${AGG} from jo o join ji i on o.flag = i.flag and o.k2 = i.k2`),
  q('char = varchar with trailing blanks', `select ${AGG} from jo o join ji i on o.c = i.v`,
    `select ${AGG} from jo o join ji i on rtrim(o.c) = rtrim(i.v)`),
  q('varchar and smallint key', `select ${AGG} from jo o join ji i on o.v = i.v and o.k2 = i.k2`,
    `select ${AGG} from jo o join ji i on rtrim(o.v) = rtrim(i.v) and o.k2 = i.k2`),
  q('inner join with residual', `select ${AGG} from jo o join ji i on o.k4 = i.k4 and i.x > o.x + 900`),
  q('inner join rows', 'select o.id, i.id, o.k4 from jo o join ji i on o.k4 = i.k4 and o.dt = i.dt and o.k2 = i.k2 order by 1, 2'),
  q('left join with residual', `select ${AGG}, count(*) filter (where i.id is null) from jo o left join ji i on o.k8 = i.k8 and i.x < o.x - 950`,
    `select ${AGG}, count(*) filter (where i.id is null) from jo o left join ji i on o.k8 = i.k8 and i.x < o.x - 950`),
  q('right join', `select ${AGG} from (select * from jo where id < 3000) o right join ji i on o.k4 = i.k4 and o.dt = i.dt`),
  q('full join on strings', `select ${AGG} from (select * from jo where id < 5000) o full join ji i on o.c = i.v and o.k2 = i.k2`,
    `select ${AGG} from (select * from jo where id < 5000) o full join ji i on rtrim(o.c) = rtrim(i.v) and o.k2 = i.k2`),
  q('semi join', 'select count(*), sum(x) from jo o where exists (select 1 from ji i where i.k8 = o.k8 and i.dt = o.dt)'),
  q('semi join with residual', 'select count(*), sum(x) from jo o where exists (select 1 from ji i where i.k4 = o.k4 and i.x > o.x)'),
  q('anti join (NULL keys kept)', 'select count(*), sum(x) from jo o where not exists (select 1 from ji i where i.dt = o.dt and i.k2 = o.k2)'),
  q('anti join with residual', 'select count(*), sum(x) from jo o where not exists (select 1 from ji i where i.dec = o.dec and i.x < o.x - 500)'),
  q('empty inner side', `select ${AGG} from jo o join (select * from ji where x < 0) i on o.k4 = i.k4`),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 4]) {
  test(`hash join keys: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} joins`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(data), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES, 'joins');
    });
  });
}
