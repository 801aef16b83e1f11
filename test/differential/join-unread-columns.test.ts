// Joins whose consumer reads only some of their columns (host/exec/operators.ts gathers only those:
// late materialization) against DuckDB: every join kind below a projection, with the build side
// swapped at run time (a large inner side and a small outer one), with residual conditions,
// aggregations straight above a join (with and without FILTER), chains of joins whose keys are not
// read above, outer joins padding unread columns, and constants beside them (shared constant
// vectors, host/batch/shared-constants.ts), NULL constants included.

import { after, before, test } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

/** The big side has at least 65536 rows (BUILD_SWAP_MIN_ROWS): filtered small outer sides swap the build. */
const BIG_ROWS = 120_000;
const SMALL_ROWS = 4_000;
const WORDS = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black'];

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-join-unread-v2-${BIG_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const cols = 'id BIGINT NOT NULL, g INTEGER NOT NULL, k INTEGER, k8 BIGINT, amt DECIMAL(12,2), d DATE, w VARCHAR(12), f DOUBLE PRECISION';
  const big: DiffTable = { name: 'ub', columns: cols, redshiftAttrs: 'DISTKEY (id)', rows: BIG_ROWS, file: join(dir, 'ub.tbl') };
  const small: DiffTable = { name: 'us', columns: cols, redshiftAttrs: 'DISTSTYLE EVEN', rows: SMALL_ROWS, file: join(dir, 'us.tbl') };
  const write = (t: DiffTable, seed: number, keys: number): void => {
    if (existsSync(t.file)) return;
    const rng = new Rng(seed);
    const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
    const lines: string[] = [];
    for (let id = 0; id < t.rows; id++) {
      const cents = rng.int(-5000, 500000);
      lines.push([
        String(id),
        String(rng.int(0, 1999)),
        maybe(4, () => String(rng.int(0, keys))),
        maybe(4, () => String(rng.int(0, keys) * 3)),
        maybe(4, () => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`),
        maybe(4, () => new Date(Date.UTC(1995, 0, 1 + rng.int(0, 900))).toISOString().slice(0, 10)),
        maybe(4, () => WORDS[rng.int(0, WORDS.length - 1)]!),
        maybe(4, () => String(rng.int(0, 100000) / 8)),
      ].join('|'));
    }
    writeFileSync(t.file, lines.join('\n') + '\n');
  };
  write(big, 31, 50_000);
  write(small, 32, 50_000);
  return [big, small];
}

const q = (name: string, sql: string): QueryPair => ({ name, sql });
/**
 * A small outer side and a big inner side that the planner takes for tiny (conditions it cannot
 * estimate, true of every row): it builds on the inner side, which turns out at least 4x larger
 * than the outer side at run time, so the table is built on the outer side instead (swappedJoin).
 * Joined on g (2,000 values), most inner rows match.
 */
const SMALL_OUTER = '(select * from us where id % 2 = 0)';
const BIG_INNER = '(select * from ub where id % 1 = 0 and (id + 1) % 1 = 0 and (id + 2) % 1 = 0)';

const QUERIES: QueryPair[] = [
  q('inner join, keys not read above', 'select s.id, b.amt, b.w from us s join ub b on s.k = b.k order by 1, 2, 3'),
  q('inner join, one side read only', 'select b.d, count(*) from us s join ub b on s.k8 = b.k8 group by 1 order by 1'),
  q('inner join, swapped build, payload from both sides', `select o.id, b.id, o.f + b.f, b.w from ${SMALL_OUTER} o join ${BIG_INNER} b on o.g = b.g order by 1, 2`),
  q('inner join, swapped build, residual reads unread columns', `select o.id, b.id from ${SMALL_OUTER} o join ${BIG_INNER} b on o.g = b.g and b.amt > o.amt order by 1, 2`),
  q('left join, unread inner columns padded', 'select s.id, b.amt from us s left join ub b on s.k = b.k and b.d > s.d order by 1, 2'),
  q('left join, swapped build, only the outer side read', `select o.id, o.w, count(b.id) from ${SMALL_OUTER} o left join ${BIG_INNER} b on o.g = b.g and b.k8 > o.k8 group by 1, 2 order by 1`),
  q('right join, unread outer columns padded', 'select b.id, s.f from (select * from us where id < 500) s right join ub b on s.k = b.k order by 1, 2'),
  q('full join, a column of each side', 'select s.id, b.id from (select * from us where id < 800) s full join (select * from ub where id < 6000) b on s.k8 = b.k8 order by 1, 2'),
  q('semi join, some outer columns read', 'select s.id, s.amt from us s where exists (select 1 from ub b where b.k = s.k and b.w = s.w) order by 1'),
  q('semi join, swapped build', `select o.id, o.d from ${SMALL_OUTER} o where exists (select 1 from ${BIG_INNER} b where b.g = o.g and b.k = o.k) order by 1`),
  q('anti join, swapped build', `select o.id, o.amt from ${SMALL_OUTER} o where not exists (select 1 from ${BIG_INNER} b where b.g = o.g and b.f > o.f) order by 1`),
  q('anti join with residual', 'select s.id, s.d from us s where not exists (select 1 from ub b where b.k = s.k and b.f < s.f) order by 1'),
  q('chain of three joins, middle keys unread', 'select a.id, c.amt, c.w from us a join ub b on a.k = b.k join ub c on b.k8 = c.k8 and c.id < 20000 where a.id < 1500 order by 1, 2, 3'),
  q('constants beside join columns', 'select s.id, 1, 2.50, null::int, true, b.amt * 2 - 1 from us s join ub b on s.k = b.k where s.id < 2000 order by 1, 6'),
  q('aggregate straight above a join, keys and one payload column read', 'select b.w, s.d, count(*), sum(b.amt), max(s.f) from us s join ub b on s.k8 = b.k8 group by 1, 2 order by 1, 2'),
  q('aggregate with FILTER above a join (reads whole rows)', 'select s.w, count(*) filter (where b.amt > 100), sum(b.f) from us s join ub b on s.k = b.k group by 1 order by 1'),
  q('aggregate above a left join reading only the outer side', 'select s.w, count(*), count(distinct s.k) from us s left join ub b on s.k = b.k and b.f < 10 group by 1 order by 1'),
  q('expressions over constants in an aggregate above a join', 'select b.w, sum(b.amt * (1 - 0.05)), sum(case when s.w = \'red\' then b.amt else 0 end), count(*) from us s join ub b on s.k = b.k group by 1 order by 1'),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 4]) {
  test(`joins read in part: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} queries`, async () => {
    await withLoadedWasmshift({ slices }, wasmshiftLoad(data), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES, 'join-unread');
    });
  });
}
