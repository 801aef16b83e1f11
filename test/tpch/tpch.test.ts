// TPC-H at SF 0.01: the generator's data is checked in DuckDB (keys consistent, every query returns
// rows), then loaded into wasmshift with 1 and 4 slices; the checked queries must match DuckDB.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATOR_VERSION, generateTpch, TPCH_TABLES } from '../../bench/tpch/generate.js';
import { q15ViewForm, tpchQueries, tpchQuery } from '../../bench/tpch/queries.js';
import { duckdbCopy, duckdbDdl, redshiftCopy, redshiftDdl } from '../../bench/tpch/schema.js';
import { compareResults, hasTopLevelOrderBy } from '../differential/compare.js';
import { Oracle } from '../differential/duckdb.js';
import { duckdbDiffEngine, formatDiffFailures, runPairs, wasmshiftDiffEngine, type DiffEngine } from '../differential/harness.js';

const SF = 0.01;
/** Queries that must match DuckDB: all 22 (TPCH_QUERIES=1,2,3 narrows the run). */
const CHECKED = process.env.TPCH_QUERIES && process.env.TPCH_QUERIES !== 'all'
  ? process.env.TPCH_QUERIES.split(',').map(Number)
  : tpchQueries(SF).map((q) => q.id);
const N_SLICES = 4;

const dir = join(tmpdir(), `wasmshift-tpch-v${GENERATOR_VERSION}-sf${SF}`);
let oracle: DiffEngine;

before(async () => {
  if (!TPCH_TABLES.every((t) => existsSync(join(dir, `${t}.tbl`)))) generateTpch({ sf: SF, outDir: dir });
  oracle = await duckdbDiffEngine();
  for (const s of [...duckdbDdl(), ...duckdbCopy(dir)]) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

test('generator is deterministic and honours the seed', () => {
  const a = join(tmpdir(), `wasmshift-tpch-det-${process.pid}-a`);
  const b = join(tmpdir(), `wasmshift-tpch-det-${process.pid}-b`);
  const c = join(tmpdir(), `wasmshift-tpch-det-${process.pid}-c`);
  const counts = generateTpch({ sf: 0.002, outDir: a, tables: ['orders', 'lineitem', 'part'] });
  generateTpch({ sf: 0.002, outDir: b, tables: ['orders', 'lineitem', 'part'] });
  generateTpch({ sf: 0.002, outDir: c, tables: ['orders'], seed: 7 });
  const hash = (d: string, t: string) => createHash('sha256').update(readFileSync(join(d, `${t}.tbl`))).digest('hex');
  for (const t of ['orders', 'lineitem', 'part']) assert.equal(hash(a, t), hash(b, t), `${t} differs between two runs`);
  assert.notEqual(hash(a, 'orders'), hash(c, 'orders'));
  assert.equal(counts.orders, 3000);
  assert.equal(counts.part, 400);
  assert.ok(counts.lineitem! > 3000 * 3 && counts.lineitem! < 3000 * 5);
  for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
});

test('generated data: cardinalities and key relationships hold (checked in DuckDB)', async () => {
  const o = await Oracle.create();
  try {
    for (const s of [...duckdbDdl(), ...duckdbCopy(dir)]) await o.run(s);
    const v = async (sql: string) => (await o.query(sql)).text[0]!;
    assert.deepEqual(await v('select (select count(*) from region), (select count(*) from nation), (select count(*) from supplier), (select count(*) from part), (select count(*) from partsupp), (select count(*) from customer), (select count(*) from orders)'),
      ['5', '25', '100', '2000', '8000', '1500', '15000']);
    // every lineitem has its order, and its (part, supplier) pair exists in partsupp
    assert.deepEqual(await v('select count(*) from lineitem l left join orders o on l.l_orderkey = o.o_orderkey where o.o_orderkey is null'), ['0']);
    assert.deepEqual(await v('select count(*) from lineitem l left join partsupp ps on l.l_partkey = ps.ps_partkey and l.l_suppkey = ps.ps_suppkey where ps.ps_partkey is null'), ['0']);
    // partsupp keys are unique; customers with custkey % 3 = 0 place no orders; orders have 1..7 lines
    assert.deepEqual(await v('select count(*) - count(distinct (ps_partkey, ps_suppkey)) from partsupp'), ['0']);
    assert.deepEqual(await v('select count(*) from orders where o_custkey % 3 = 0'), ['0']);
    assert.deepEqual(await v('select min(n) >= 1 and max(n) <= 7 from (select count(*) n from lineitem group by l_orderkey)'), ['true']);
    // o_orderstatus agrees with the line statuses; shipdate after orderdate, receipt after ship
    assert.deepEqual(await v(`select count(*) from orders o join (select l_orderkey, count(*) n, count(*) filter (where l_linestatus = 'F') f from lineitem group by l_orderkey) x
      on x.l_orderkey = o.o_orderkey where o.o_orderstatus <> case when f = n then 'F' when f = 0 then 'O' else 'P' end`), ['0']);
    assert.deepEqual(await v('select count(*) from lineitem join orders on l_orderkey = o_orderkey where l_shipdate <= o_orderdate or l_receiptdate <= l_shipdate'), ['0']);
    assert.deepEqual(await v('select min(l_discount), max(l_discount), min(l_tax), max(l_tax), min(l_quantity), max(l_quantity) from lineitem'),
      ['0.00', '0.10', '0.00', '0.08', '1.00', '50.00']);
  } finally {
    o.close();
  }
});

test('all 22 queries return rows on the generated data (DuckDB), and Q15 view form equals its WITH form', async () => {
  for (const q of tpchQueries(SF)) {
    const r = await oracle.query(q.duckdb);
    assert.ok(r.rows.length > 0, `Q${q.id} returns no rows`);
  }
  const v = q15ViewForm('duckdb');
  await oracle.exec(v.create);
  const viaView = await oracle.query(v.select);
  await oracle.exec(v.drop);
  const viaWith = await oracle.query(tpchQuery(15, SF).duckdb);
  assert.equal(compareResults(viaView, viaWith, { ordered: true }), null);
});

for (const slices of [1, N_SLICES]) {
  test(`TPC-H Q${CHECKED.join(', Q')} match DuckDB with ${slices} slice(s)`, async () => {
    const engine = await wasmshiftDiffEngine(slices);
    try {
      for (const s of [...redshiftDdl(), ...redshiftCopy(dir)]) await engine.exec(s);
      const pairs = CHECKED.map((id) => {
        const q = tpchQuery(id, SF);
        return { name: `Q${id}`, sql: q.redshift, duckdb: q.duckdb, ordered: hasTopLevelOrderBy(q.redshift) };
      });
      const failures = await runPairs(engine, oracle, pairs);
      if (CHECKED.includes(15)) {
        // the specification's form of Q15: CREATE VIEW, SELECT, DROP VIEW
        const v = q15ViewForm('redshift');
        await engine.exec(v.create);
        failures.push(...await runPairs(engine, oracle, [{ name: 'Q15 (view form)', sql: v.select, duckdb: tpchQuery(15, SF).duckdb, ordered: true }]));
        await engine.exec(v.drop);
      }
      assert.equal(failures.length, 0, formatDiffFailures(failures));
    } finally {
      await engine.close();
    }
  });
}
