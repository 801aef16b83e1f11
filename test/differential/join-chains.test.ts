// Chains of hash joins against DuckDB: columns cross 2-4 joins, residuals, filters, outer padding
// and build-side concatenation before they are read (host/exec/operators.ts). Inner, left, right,
// full, semi and anti joins; string keys from dictionary-coded and plain columns; multi-column keys;
// NULL keys; duplicates on both sides; empty sides; a big table (slice workers) and small ones
// (the leader); 1 and 3 slices.
import { after, before, test } from 'node:test';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

/** Above the rows a fragment must touch to run in slice workers (host/cluster/pool.ts INLINE_ROWS). */
const FACT_ROWS = 240_000;
/** Few distinct words: stored dictionary-coded, so they reach joins as codes (ADR 0017). */
const NAMES = ['ALGERIA', 'BRAZIL', 'CHINA', 'FRANCE', 'GERMANY', 'JAPAN', 'PERU'];

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-join-chains-v1-${FACT_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const fact: DiffTable = {
    name: 'cf', columns: 'id INTEGER NOT NULL, a INTEGER, b INTEGER, nm VARCHAR(12), s VARCHAR(12), amt DECIMAL(10,2), d DATE, x INTEGER NOT NULL',
    redshiftAttrs: 'DISTSTYLE EVEN', rows: FACT_ROWS, file: join(dir, 'cf.tbl'),
  };
  const one: DiffTable = {
    name: 'c1', columns: 'a INTEGER, nm VARCHAR(12), s VARCHAR(12), y INTEGER NOT NULL',
    redshiftAttrs: 'DISTKEY (a)', rows: 3_000, file: join(dir, 'c1.tbl'),
  };
  const two: DiffTable = {
    name: 'c2', columns: 'b INTEGER, nm VARCHAR(12), z INTEGER NOT NULL',
    redshiftAttrs: 'DISTSTYLE ALL', rows: 60, file: join(dir, 'c2.tbl'),
  };
  const three: DiffTable = {
    name: 'c3', columns: 's VARCHAR(12), w INTEGER NOT NULL',
    redshiftAttrs: 'DISTSTYLE EVEN', rows: 2_000, file: join(dir, 'c3.tbl'),
  };
  const write = (t: DiffTable, seed: number, row: (rng: Rng, i: number) => string[]): void => {
    if (existsSync(t.file)) return;
    const rng = new Rng(seed);
    const lines: string[] = [];
    for (let i = 0; i < t.rows; i++) lines.push(row(rng, i).join('|'));
    writeFileSync(t.file, lines.join('\n') + '\n');
  };
  const maybe = (rng: Rng, pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
  const name = (rng: Rng): string => NAMES[rng.int(0, NAMES.length - 1)]!;
  // plain strings: too many distinct values for a dictionary
  const word = (rng: Rng, n: number): string => `w${rng.int(0, n)}`;
  write(fact, 21, (rng, i) => [
    String(i), maybe(rng, 3, () => String(rng.int(0, 2_500))), maybe(rng, 3, () => String(rng.int(0, 40))),
    maybe(rng, 3, () => name(rng)), maybe(rng, 3, () => word(rng, 30_000)),
    `${rng.int(0, 9_999)}.${String(rng.int(0, 99)).padStart(2, '0')}`,
    new Date(Date.UTC(1995, 0, 1 + rng.int(0, 700))).toISOString().slice(0, 10), String(rng.int(0, 1_000)),
  ]);
  // a in 0..2000 with duplicates: some fact keys match several rows, some none
  write(one, 22, (rng) => [maybe(rng, 3, () => String(rng.int(0, 2_000))), maybe(rng, 3, () => name(rng)), maybe(rng, 3, () => word(rng, 30_000)), String(rng.int(0, 1_000))]);
  write(two, 23, (rng) => [maybe(rng, 3, () => String(rng.int(0, 30))), maybe(rng, 3, () => name(rng)), String(rng.int(0, 100))]);
  write(three, 24, (rng) => [maybe(rng, 3, () => word(rng, 30_000)), String(rng.int(0, 100))]);
  return [fact, one, two, three];
}

const q = (name: string, sql: string): QueryPair => ({ name, sql });

const QUERIES: QueryPair[] = [
  q('three inner joins, a dictionary string key in a two-column key',
    'select count(*), sum(f.x), sum(c1.y), sum(c2.z), sum(f.amt) from cf f join c1 on f.a = c1.a join c2 on f.b = c2.b and c1.nm = c2.nm'),
  q('string key between two dictionary columns, then an integer key',
    'select f.nm, c2.nm, count(*), sum(f.amt), min(f.d), max(f.s) from cf f join c2 on f.nm = c2.nm join c1 on c1.a = f.a group by 1, 2'),
  q('residuals on two chained joins and a filter above',
    'select count(*), sum(f.x), sum(c1.y), sum(c2.z) from cf f join c1 on f.a = c1.a and f.x > c1.y join c2 on c2.b = f.b and c2.z < f.x % 97 where c2.nm <> f.nm'),
  q('left joins chained: NULL padding read two joins up',
    'select count(*), count(c1.a), count(c2.b), sum(c1.y), sum(c2.z), count(c1.nm) from cf f left join c1 on f.a = c1.a and c1.y < 500 left join c2 on c1.nm = c2.nm and c2.b = f.b'),
  q('right join over an inner join',
    'select count(*), count(f.id), sum(f.x), sum(c1.y) from (select f.* from cf f join c2 on f.b = c2.b and c2.z > 50) f right join c1 on f.a = c1.a and f.nm = c1.nm'),
  q('full joins chained on small sides',
    'select count(*), count(f.id), count(c1.a), count(c2.b), sum(f.x), sum(c1.y), sum(c2.z) from (select * from cf where id < 4000) f full join c1 on f.a = c1.a full join c2 on c1.a = c2.b'),
  q('semi and anti joins under an inner join',
    'select count(*), sum(f.x), sum(c1.y) from cf f join c1 on f.a = c1.a where exists (select 1 from c2 where c2.nm = f.nm and c2.z > f.x % 100) and not exists (select 1 from c3 where c3.s = f.s)'),
  q('plain string key, then an integer key, then a dictionary key',
    'select count(*), sum(c3.w), sum(c1.y), sum(c2.z) from cf f join c3 on f.s = c3.s join c1 on c1.a = f.a join c2 on c2.nm = c1.nm'),
  q('four joins deep, the last on a plain string of an earlier build side',
    'select count(*), sum(f.x), sum(c1.y), sum(c2.z), sum(c3.w) from cf f join c1 on f.a = c1.a join c2 on c2.b = f.b join c3 on c3.s = c1.s'),
  q('empty side in the middle of a chain',
    'select count(*), count(c1.a), sum(f.x) from cf f left join (select * from c1 where y < 0) c1 on f.a = c1.a join c2 on c2.b = f.b'),
  q('rows out of three joins: every column type gathered late',
    'select f.id, f.nm, f.s, f.amt, f.d, c1.y, c1.s, c2.z, c2.nm from cf f join c1 on f.a = c1.a join c2 on f.b = c2.b and f.nm = c2.nm where f.id < 40000 order by 1, 6, 8, 9, 7'),
  q('rows through left joins, NULLs and strings padded',
    'select f.id, c1.nm, c1.s, c2.z from cf f left join c1 on f.a = c1.a and c1.y > 900 left join c2 on c2.nm = c1.nm and c2.b = 7 where f.id < 3000 order by 1, 2, 3, 4'),
  q('small tables only (the leader): three joins and grouping on gathered strings',
    'select c1.nm, c2.nm, count(*), sum(c1.y + c2.z + c3.w) from c1 join c2 on c1.nm = c2.nm join c3 on c3.s = c1.s group by 1, 2'),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 3]) {
  test(`join chains: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} queries`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(data), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES);
    });
  });
}
