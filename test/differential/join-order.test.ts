// Join order chosen by enumeration (host/plan/rules/join-enumeration.ts) against DuckDB: clusters of 3 to 8
// inner joins over a snowflake whose fact side is big enough for the slice workers, with equalities the
// query only implies (a = b and b = c lets a meet c first), redundant equalities, two-column keys with
// duplicates (partsupp-like), NULL keys on every side, skewed keys, residual conditions, equalities
// between columns of different types (never put in one class), and outer and semi joins that bound a
// cluster; at 1 and 3 slices, on the slice workers and on the leader. EXPLAIN shows an implied equality.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

/** Above the rows a fragment must touch to run in slice workers (host/cluster/pool.ts INLINE_ROWS). */
const FACT_ROWS = 260_000;
const ORDER_ROWS = 65_000;
const CUST_ROWS = 9_000;
const SUPP_ROWS = 700;
const PART_ROWS = 4_000;

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-join-order-v1-${FACT_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const t = (name: string, columns: string, redshiftAttrs: string, rows: number): DiffTable => ({ name, columns, redshiftAttrs, rows, file: join(dir, `${name}.tbl`) });
  const fact = t('jo_line', 'ok BIGINT, pk INTEGER, sk INTEGER, qty INTEGER NOT NULL, price DECIMAL(12,2) NOT NULL', 'DISTKEY (ok)', FACT_ROWS);
  const ord = t('jo_ord', 'ok BIGINT, ck INTEGER, od DATE NOT NULL', 'DISTKEY (ok)', ORDER_ROWS);
  const cust = t('jo_cust', 'ck INTEGER, cnk INTEGER, seg VARCHAR(10)', 'DISTKEY (ck)', CUST_ROWS);
  const supp = t('jo_supp', 'sk INTEGER, snk INTEGER, sk8 BIGINT', 'DISTSTYLE ALL', SUPP_ROWS);
  const nat = t('jo_nat', 'nk INTEGER, rk INTEGER, nname VARCHAR(12) NOT NULL', 'DISTSTYLE ALL', 25);
  const reg = t('jo_reg', 'rk INTEGER, rname VARCHAR(12) NOT NULL', 'DISTSTYLE ALL', 5);
  const part = t('jo_part', 'pk INTEGER, color VARCHAR(8)', 'DISTKEY (pk)', PART_ROWS);
  const ps = t('jo_ps', 'pk INTEGER, sk INTEGER, cost INTEGER NOT NULL', 'DISTKEY (pk)', PART_ROWS * 4);
  const write = (tab: DiffTable, seed: number, row: (rng: Rng, i: number) => (string | number)[]): void => {
    if (existsSync(tab.file)) return;
    const rng = new Rng(seed);
    const lines: string[] = [];
    for (let i = 0; i < tab.rows; i++) lines.push(row(rng, i).join('|'));
    writeFileSync(tab.file, lines.join('\n') + '\n');
  };
  const maybe = (rng: Rng, pct: number, v: () => string | number): string | number => (rng.int(0, 99) < pct ? NULL_TEXT : v());
  // skew: a fifth of the fact rows name one of ten hot parts
  write(fact, 51, (rng) => [
    maybe(rng, 2, () => rng.int(0, ORDER_ROWS + 5_000)), maybe(rng, 2, () => (rng.int(0, 4) === 0 ? rng.int(0, 9) : rng.int(0, PART_ROWS + 200))),
    maybe(rng, 2, () => rng.int(0, SUPP_ROWS + 30)), rng.int(1, 50), `${rng.int(0, 99_999)}.${String(rng.int(0, 99)).padStart(2, '0')}`,
  ]);
  // order keys repeat (0..ORDER_ROWS/2 twice on average): a line may meet two orders
  write(ord, 52, (rng, i) => [maybe(rng, 1, () => (i % 2 === 0 ? i : rng.int(0, ORDER_ROWS))), maybe(rng, 2, () => rng.int(0, CUST_ROWS + 500)), new Date(Date.UTC(1994, 0, 1 + rng.int(0, 1_000))).toISOString().slice(0, 10)]);
  write(cust, 53, (rng, i) => [maybe(rng, 1, () => i), maybe(rng, 2, () => rng.int(0, 26)), maybe(rng, 2, () => `s${rng.int(0, 4)}`)]);
  write(supp, 54, (rng, i) => [maybe(rng, 1, () => i), maybe(rng, 2, () => rng.int(0, 26)), i]);
  write(nat, 55, (rng, i) => [i, maybe(rng, 4, () => i % 5), `n${i}`]);
  write(reg, 56, (_rng, i) => [i, `r${i}`]);
  write(part, 57, (rng, i) => [maybe(rng, 1, () => i), maybe(rng, 2, () => ['green', 'red', 'blue', 'white'][rng.int(0, 3)]!)]);
  // (pk, sk) pairs repeat now and then: a two-column key with duplicates
  write(ps, 58, (rng, i) => [maybe(rng, 1, () => i >> 2), maybe(rng, 1, () => (rng.int(0, 9) === 0 ? 7 : rng.int(0, SUPP_ROWS + 30))), rng.int(1, 1_000)]);
  return [fact, ord, cust, supp, nat, reg, part, ps];
}

const Q5_SHAPE = `select n.nname, count(*), sum(l.price * l.qty) from jo_cust c, jo_ord o, jo_line l, jo_supp s, jo_nat n, jo_reg r
  where c.ck = o.ck and l.ok = o.ok and l.sk = s.sk and c.cnk = s.snk and s.snk = n.nk and n.rk = r.rk and r.rname = 'r2'
    and o.od >= date '1995-01-01' and o.od < date '1996-01-01' group by n.nname`;

/** Aggregates only fact and order columns, grouped by customer and nation columns: eagerly aggregated per o.ck. */
const Q10_SHAPE = `select c.ck, c.seg, n.nname, sum(l.price * l.qty), count(l.qty), min(l.qty), max(l.price) from jo_line l, jo_ord o, jo_cust c, jo_nat n
  where l.ok = o.ok and o.ck = c.ck and c.cnk = n.nk and o.od >= date '1995-01-01' and o.od < date '1995-07-01' group by c.ck, c.seg, n.nname`;

const QUERIES: QueryPair[] = [
  q('Q10 shape: aggregated below two joins, grouped by the columns above them', Q10_SHAPE),
  q('eager aggregation on the preserved side of left joins, NULL keys grouped',
    `select n.nname, sum(l.qty), count(l.price), max(o.od) from jo_line l join jo_ord o on l.ok = o.ok
      left join jo_cust c on o.ck = c.ck left join jo_nat n on c.cnk = n.nk group by n.nname`),
  q('eager aggregation keyed by two columns that two different joins above read',
    `select c.seg, s.snk, sum(l.qty), count(l.price), min(l.price) from jo_line l, jo_ord o, jo_cust c, jo_supp s
      where l.ok = o.ok and o.ck = c.ck and l.sk = s.sk group by c.seg, s.snk`),
  q('eager aggregation under a residual condition that reads the aggregated side',
    `select c.seg, n.rk, sum(l.qty), count(l.sk) from jo_line l, jo_ord o, jo_cust c, jo_nat n
      where l.ok = o.ok and o.ck = c.ck and c.cnk = n.nk and (o.ck + n.rk) % 3 <> 1 group by c.seg, n.rk`),
  q('Q5 shape: customer meets nation through c.cnk = s.snk = n.nk', Q5_SHAPE),
  q('Q9 shape: two-column key with duplicates, part filter, six tables',
    `select n.nname, extract(year from o.od), count(*), sum(l.price - ps.cost * l.qty) from jo_part p, jo_supp s, jo_line l, jo_ps ps, jo_ord o, jo_nat n
      where s.sk = l.sk and ps.sk = l.sk and ps.pk = l.pk and p.pk = l.pk and o.ok = l.ok and s.snk = n.nk and p.color = 'green' group by 1, 2`),
  q('Q7 shape: two nations, OR across them, eight inputs with a region',
    `select n1.nname, n2.nname, count(*), sum(l.price) from jo_supp s, jo_line l, jo_ord o, jo_cust c, jo_nat n1, jo_nat n2, jo_reg r
      where s.sk = l.sk and o.ok = l.ok and c.ck = o.ck and s.snk = n1.nk and c.cnk = n2.nk and n2.rk = r.rk
        and ((n1.nname = 'n3' and n2.nname = 'n7') or (n1.nname = 'n7' and n2.nname = 'n3')) group by 1, 2`),
  q('Q8 shape: eight tables, two copies of nation',
    `select extract(year from o.od), count(*), sum(case when n2.nname = 'n4' then l.price else 0 end), sum(l.price)
      from jo_part p, jo_supp s, jo_line l, jo_ord o, jo_cust c, jo_nat n1, jo_nat n2, jo_reg r
      where p.pk = l.pk and s.sk = l.sk and l.ok = o.ok and o.ck = c.ck and c.cnk = n1.nk and n1.rk = r.rk and r.rname = 'r1'
        and s.snk = n2.nk and p.color = 'red' group by 1`),
  q('redundant equalities: every pair of a three-column class written out',
    `select count(*), sum(l.qty), count(distinct c.ck) from jo_line l, jo_ord o, jo_cust c, jo_supp s
      where l.ok = o.ok and o.ck = c.ck and c.cnk = s.snk and s.sk = l.sk and c.cnk = s.snk and s.snk = c.cnk`),
  q('a class spanning four tables through one column each',
    `select count(*), sum(s.sk), sum(n.rk) from jo_cust c, jo_supp s, jo_nat n, jo_nat n2
      where c.cnk = s.snk and s.snk = n.nk and n.nk = n2.nk and c.seg = 's1'`),
  q('implied equality between two columns of one table (c.ck = o.ck = c.cnk)',
    `select count(*), sum(o.ok) from jo_cust c, jo_ord o, jo_nat n where c.ck = o.ck and o.ck = c.cnk and n.nk = c.cnk`),
  q('int4 = int8 equalities are not merged with int4 = int4 ones',
    `select count(*), sum(l.qty) from jo_line l, jo_supp s, jo_supp s2, jo_nat n where l.sk = s.sk8 and s.sk = s2.sk and s2.snk = n.nk and n.rk = 3`),
  q('residual conditions across three tables of the cluster',
    `select count(*), sum(l.qty) from jo_line l, jo_ord o, jo_cust c, jo_nat n
      where l.ok = o.ok and o.ck = c.ck and c.cnk = n.nk and (l.qty + n.nk) % 3 <> 0 and (o.ck + l.qty) % 7 <> 0`),
  q('a left join bounds the cluster; a semi join above it',
    `select count(*), count(n.nk), sum(l.qty) from jo_line l join jo_ord o on l.ok = o.ok join jo_cust c on o.ck = c.ck
      left join jo_nat n on c.cnk = n.nk and n.rk = 1
      where exists (select 1 from jo_supp s where s.sk = l.sk and s.snk = c.cnk)`),
  q('a cross join inside the cluster (no predicate joins region)',
    `select count(*), sum(o.ok) from jo_ord o, jo_cust c, jo_reg r, jo_nat n where o.ck = c.ck and c.cnk = n.nk and r.rk = 2 and o.od < date '1994-03-01'`),
  q('NULL keys on every side of a chain, counted per group',
    `select c.seg, count(*), count(o.ck), sum(l.qty) from jo_line l, jo_ord o, jo_cust c, jo_supp s where l.ok = o.ok and o.ck = c.ck and l.sk = s.sk group by c.seg`),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const sql of duckdbLoad(data)) await oracle.exec(sql);
});
after(async () => { await oracle.close(); });

for (const slices of [1, 3]) {
  for (const workers of [true, false]) {
    test(`join order: wasmshift with ${slices} slice(s)${workers ? '' : ' on the leader'} matches DuckDB on ${QUERIES.length} queries`, async () => {
      await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(data), async (engine) => {
        await assertSameAnswers(engine, oracle, QUERIES);
      });
    });
  }
}

test('join order: a Q10-shaped query aggregates the fact side below its joins', async () => {
  await withLoadedWasmshift({ slices: 2 }, wasmshiftLoad(data), async (engine) => {
    const plan = await engine.explain(Q10_SHAPE);
    // besides the final aggregate, a partial one of the fact side below the joins
    const lines = plan.split('\n');
    const firstJoin = lines.findIndex((l) => /Hash Join/.test(l));
    assert.ok(firstJoin >= 0 && lines.some((l, i) => i > firstJoin && /HashAggregate/.test(l)), plan);
  });
});

test('join order: a Q5-shaped query joins customer with nation by the equality it implies (c.cnk = n.nk)', async () => {
  await withLoadedWasmshift({ slices: 2 }, wasmshiftLoad(data), async (engine) => {
    const plan = await engine.explain(Q5_SHAPE);
    const conds = plan.split('\n').filter((l) => /Hash Cond/.test(l)).join('\n');
    assert.match(conds, /"(outer|inner)"\.cnk = "(outer|inner)"\.nk|"(outer|inner)"\.nk = "(outer|inner)"\.cnk/, plan);
    // the fact side is never redistributed: it meets orders where it lies
    assert.doesNotMatch(plan, /DS_DIST_(INNER|OUTER|BOTH)/, plan);
  });
});
