// Aggregation and decimal arithmetic at the edges of their fast paths (host/exec/aggregates.ts sums on
// exact doubles, host/functions/arith.ts on int64 words): values and sums around 2^53, past int64,
// negative, NULL, grouped by int8/numeric keys near the ends of their range, checked against DuckDB.

import { after, before, test } from 'node:test';
import { assertSameAnswers, duckdbDiffEngine, wasmshiftDiffEngine, type DiffEngine, type QueryPair } from './harness.js';

/** A deterministic generator (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

const TWO53 = 2n ** 53n;

/** Rows of w(g int, k bigint, d decimal(18,2), y decimal(18,2), x decimal(18,0), e decimal(38,4), s varchar(8)). */
function rows(): string[] {
  const r = rng(2026);
  const out: string[] = [];
  const pick = <T>(xs: T[]): T => xs[r() % xs.length]!;
  for (let i = 0; i < 3000; i++) {
    const g = r() % 7;
    const k = pick(['9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993', String(r() % 50), 'null']);
    // d: cents around 2^53 (9007199254740992 cents) and small amounts, either sign
    const big = TWO53 - 2n + BigInt(r() % 5);
    const dScaled = pick([big, -big, BigInt(r() % 100000) - 50000n, 999999999999999999n, -999999999999999999n]);
    const d = i % 29 === 0 ? 'null' : scaled(dScaled, 2);
    const y = i % 31 === 0 ? 'null' : scaled(pick([BigInt(r() % 20000) - 10000n, 94906267n, -94906267n, 4294967296n]), 2);
    const x = scaled(pick([TWO53 - 1n, TWO53, TWO53 + 1n, -TWO53 - 1n, BigInt(r() % 1000)]), 0);
    const e = scaled(pick([10n ** 33n + BigInt(r()), -(10n ** 30n), BigInt(r()) * 12345n]), 4);
    const s = pick(["'a'", "'b'", "'b  '", 'null']);
    out.push(`(${g}, ${k}, ${d}, ${y}, ${x}, ${e}, ${s})`);
  }
  return out;
}

function scaled(v: bigint, scale: number): string {
  if (scale === 0) return v.toString();
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const CREATE = 'create table w (g int, k bigint, d decimal(18,2), y decimal(18,2), x decimal(18,0), e decimal(38,4), s varchar(8))';

/** DuckDB computes DECIMAL(18) arithmetic in 64 bits and stops on overflow; Redshift widens the result type. */
const wide = (c: string, scale: number): string => `cast(${c} as decimal(38,${scale}))`;

const QUERIES: QueryPair[] = [
  { name: 'sums across 2^53 by group', sql: 'select g, sum(d), sum(x), sum(e), count(*), count(d) from w group by g' },
  { name: 'avg of decimals', sql: 'select g, avg(d), avg(y), avg(x) from w group by g' },
  { name: 'group by int8 near the ends of its range', sql: 'select k, count(*), sum(y) from w group by k' },
  // Redshift ignores trailing blanks when comparing VARCHAR ("Character types"); DuckDB does not.
  { name: 'group by several columns with NULLs', sql: 'select g, k, s, count(*), min(y), max(y) from w group by g, k, s',
    duckdb: 'select g, k, rtrim(s), count(*), min(y), max(y) from w group by g, k, rtrim(s)' },
  { name: 'products and sums past 2^53', sql: 'select g, sum(y * y), sum(d * y), sum(x * y) from w group by g',
    duckdb: `select g, sum(${wide('y', 2)} * y), sum(${wide('d', 2)} * y), sum(${wide('x', 0)} * y) from w group by g` },
  { name: 'add and subtract with rescaling', sql: 'select sum(d + y), sum(d - x), sum(x - y), sum(y + 1), sum(1 - y) from w',
    duckdb: `select sum(${wide('d', 2)} + y), sum(${wide('d', 2)} - x), sum(${wide('x', 0)} - y), sum(${wide('y', 2)} + 1), sum(1 - ${wide('y', 2)}) from w` },
  { name: 'row values of arithmetic', sql: 'select d * y, d + x, y - x from w where g = 3',
    duckdb: `select ${wide('d', 2)} * y, ${wide('d', 2)} + x, ${wide('y', 2)} - x from w where g = 3` },
  { name: 'distinct aggregates by group', sql: 'select g, count(distinct k), sum(distinct d), avg(distinct y), count(distinct s), count(distinct x) from w group by g',
    duckdb: 'select g, count(distinct k), sum(distinct d), avg(distinct y), count(distinct rtrim(s)), count(distinct x) from w group by g' },
  { name: 'distinct aggregates without groups', sql: 'select count(distinct k), sum(distinct e), count(distinct g) from w' },
  { name: 'min and max of int8, int, numeric by group', sql: 'select s, min(k), max(k), min(g), max(g), min(x), max(e), min(d * y) from w group by s',
    duckdb: `select rtrim(s), min(k), max(k), min(g), max(g), min(x), max(e), min(${wide('d', 2)} * y) from w group by rtrim(s)` },
  { name: 'shared subexpressions across aggregates (computed once per batch)', sql: 'select g, sum(x * (1 - y)), sum(x * (1 - y) * (1 + y)), max(x * (1 - y)), count(x * (1 - y)) from w group by g',
    duckdb: `select g, sum(${wide('x', 0)} * (1 - y)), sum(${wide('x', 0)} * (1 - y) * (1 + y)), max(${wide('x', 0)} * (1 - y)), count(${wide('x', 0)} * (1 - y)) from w group by g` },
  { name: 'IN lists over strings (trailing blanks), integers, int8 and with NULL', sql: "select (select count(*) from w where s in ('b', 'c')), (select count(*) from w where s not in ('a', 'zz ')), (select count(*) from w where s not in ('a', null)), (select count(*) from w where g in (1, 3, 5)), (select count(*) from w where g not in (0, 2)), (select count(*) from w where k in (9223372036854775807, 5, -9007199254740993))",
    duckdb: "select (select count(*) from w where rtrim(s) in ('b', 'c')), (select count(*) from w where rtrim(s) not in ('a', 'zz')), (select count(*) from w where s not in ('a', null)), (select count(*) from w where g in (1, 3, 5)), (select count(*) from w where g not in (0, 2)), (select count(*) from w where k in (9223372036854775807, 5, -9007199254740993))" },
  { name: 'group by a computed numeric', sql: 'select y * 2 as k2, count(*) from w group by 1' },
  { name: 'no groups, all rows filtered', sql: 'select sum(d), count(*), avg(y) from w where g > 100' },
  { name: 'grouped, all rows filtered', sql: 'select g, sum(d) from w where g > 100 group by g' },
];

let oracle: DiffEngine;
before(async () => {
  oracle = await duckdbDiffEngine();
  await oracle.exec(CREATE);
  await oracle.exec(`insert into w values ${rows().join(', ')}`);
});
after(async () => { await oracle?.close(); });

for (const slices of [1, 3]) {
  test(`wide numbers: wasmshift with ${slices} slice(s) matches DuckDB on ${QUERIES.length} queries`, async () => {
    const engine = await wasmshiftDiffEngine(slices);
    try {
      await engine.exec(CREATE);
      await engine.exec(`insert into w values ${rows().join(', ')}`);
      await assertSameAnswers(engine, oracle, QUERIES);
    } finally {
      await engine.close();
    }
  });
}
