// Shared subplans (host/plan/shared-subplans.ts): what counts as the same subtree (names, estimates
// and exchange numbers aside; not different filters, column positions or volatile functions), what
// EXPLAIN shows for a view or CTE read twice, and answers equal to DuckDB's for views and CTEs used
// twice (in a scalar subquery, a join, two correlated subqueries), at 1 and 3 slices, over enough
// rows that the kept subplans run on the slice workers and are read from the shared memory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';
import type { Expr } from '../../../host/plan/expr.js';
import type { PNode } from '../../../host/plan/physical.js';
import { keptSubplans, SHARE_MIN_ROWS, shareRepeatedSubplans, SubplanKeys, worthSharing } from '../../../host/plan/shared-subplans.js';
import { T } from '../../../host/types/sql-type.js';
import { diffAgainstDuckdb, formatDiffFailures, type QueryPair } from '../../differential/harness.js';

// ---- detection on hand-made physical plans ----

const col = (idx: number): Expr => ({ k: 'col', idx, type: T.int4 });
const gt = (idx: number, value: number): Expr => ({ k: 'fn', name: 'gt', args: [col(idx), { k: 'const', value, type: T.int4 }], type: T.bool });

function scan(filter: Expr | null, cols = [0, 1], name = 'k', est = 500_000): PNode {
  return { op: 'scan', table: 7, tableName: 't', cols, filter, replica: 'slice', types: cols.map(() => T.int4), names: cols.map((c) => `${name}${c}`), est };
}

/** sum(col 1) grouped by col 0 over a scan: partial per slice, hash exchange, final. */
function grouped(filter: Expr | null, exchangeId: number, opts: { est?: number; name?: string; cols?: number[]; scanned?: number } = {}): PNode {
  const input = scan(filter, opts.cols, opts.name, opts.scanned);
  const types = [T.int4, T.int8];
  const names = [opts.name ?? 'k', 'sum'];
  const est = opts.est ?? 10;
  const partial: PNode = { op: 'agg', input, groups: [col(0)], aggs: [{ fn: 'sum', args: [col(1)], distinct: false, filter: null, type: T.int8 }], mode: 'partial', types, names, est };
  const moved: PNode = { op: 'exchange', input: partial, mode: 'hash', keys: [col(0)], id: exchangeId, from: 'slices', types, names, est };
  return { op: 'agg', input: moved, groups: [col(0)], aggs: [{ fn: 'sum', args: [col(1)], distinct: false, filter: null, type: T.int8 }], mode: 'final', types, names, est };
}

const gather = (input: PNode, id: number): PNode => ({ op: 'exchange', input, mode: 'gather', keys: [], id, from: 'slices', types: input.types, names: input.names, est: input.est });

test('subtrees that differ in names, estimates and exchange numbers are the same', () => {
  const a = grouped(gt(1, 5), 0);
  const b = grouped(gt(1, 5), 3, { est: 999, name: 'other' });
  const keys = new SubplanKeys();
  assert.equal(keys.of(a), keys.of(b));
});

test('a different filter constant, filter column or output column is a different subtree', () => {
  const keys = new SubplanKeys();
  const subplanKey = (n: PNode) => keys.of(n);
  const a = subplanKey(grouped(gt(1, 5), 0));
  assert.notEqual(a, subplanKey(grouped(gt(1, 6), 0)));
  assert.notEqual(a, subplanKey(grouped(gt(0, 5), 0)));
  assert.notEqual(a, subplanKey(grouped(null, 0)));
  assert.notEqual(a, subplanKey(grouped(gt(1, 5), 0, { cols: [0, 2] })));
});

test('only subtrees that read a table and do more than scan it are worth keeping, never volatile ones', () => {
  assert.equal(worthSharing(grouped(gt(1, 5), 0)), true);
  assert.equal(worthSharing(scan(gt(1, 5))), false);
  // cheaper to compute again in each use than to keep
  assert.equal(worthSharing(grouped(gt(1, 5), 0, { scanned: SHARE_MIN_ROWS - 1 })), false);
  assert.equal(worthSharing(grouped(gt(1, 5), 0, { scanned: SHARE_MIN_ROWS })), true);
  // a partial aggregate alone runs morsel-driven: its rows are on no particular slice
  assert.equal(worthSharing((grouped(null, 0) as { input: { input: PNode } }).input.input), false);
  const random: Expr = { k: 'fn', name: 'gt', args: [{ k: 'fn', name: 'random', args: [], type: T.float8 }, { k: 'const', value: 0.5, type: T.float8 }], type: T.bool };
  assert.equal(worthSharing(grouped(random, 0)), false);
  const values: PNode = { op: 'values', rows: [[{ k: 'const', value: 1, type: T.int4 }]], onLeader: true, types: [T.int4], names: ['x'], est: 1 };
  assert.equal(worthSharing({ op: 'sort', input: values, keys: [], limit: null, types: [T.int4], names: ['x'], est: 1 }), false);
});

test('a subtree in the main plan and an init plan becomes one kept subplan above every exchange id', () => {
  const main = gather(grouped(gt(1, 5), 0), 1);
  const init = gather({ op: 'agg', input: grouped(gt(1, 5), 0), groups: [], aggs: [{ fn: 'max', args: [col(1)], distinct: false, filter: null, type: T.int8 }], mode: 'single', types: [T.int8], names: ['max'], est: 1 }, 2);
  const { roots, shared } = shareRepeatedSubplans([main, init]);
  assert.equal(shared.length, 1);
  assert.equal(shared[0]!.uses, 2);
  assert.equal(shared[0]!.site, 'slices');
  const keeps = roots.map((r) => (r as { input: PNode }).input);
  const k0 = keeps[0] as Extract<PNode, { op: 'exchange' }>;
  const k1 = (keeps[1] as { input: PNode }).input as Extract<PNode, { op: 'exchange' }>;
  assert.equal(k0.mode, 'keep');
  assert.equal(k1.mode, 'keep');
  assert.equal(k0.id, k1.id);
  assert.ok(k0.id > 2, `kept id ${k0.id} above the plans' exchange ids`);
  assert.deepEqual(keptSubplans(roots).map((s) => [s.share, s.uses]), [[1, 2]]);
});

test('subtrees with different filters, or the same subtree at different sites, are not shared', () => {
  const { shared } = shareRepeatedSubplans([gather(grouped(gt(1, 5), 0), 1), gather(grouped(gt(1, 6), 0), 1)]);
  assert.equal(shared.length, 0);
  const onLeader: PNode = { ...gather(grouped(gt(1, 5), 0), 1) };
  const atSlice0: PNode = { op: 'exchange', input: grouped(gt(1, 5), 0), mode: 'gather', keys: [], id: 1, from: 'slice0', types: onLeader.types, names: onLeader.names, est: 1 };
  assert.equal(shareRepeatedSubplans([onLeader, atSlice0]).shared.length, 0);
});

// ---- SQL: EXPLAIN and answers against DuckDB ----

/** Rows of the fact table: above the inline threshold (host/cluster/pool.ts), so fragments run on the workers. */
const DOUBLINGS = 18;

function setup(dialect: 'redshift' | 'duckdb'): string[] {
  const key = dialect === 'redshift' ? ' DISTKEY (k)' : '';
  const all = dialect === 'redshift' ? ' DISTSTYLE ALL' : '';
  const s = [
    'CREATE TABLE seed (id INTEGER)',
    'INSERT INTO seed VALUES (1)',
  ];
  for (let i = 0; i < DOUBLINGS; i++) s.push(`INSERT INTO seed SELECT id + ${2 ** i} FROM seed`);
  s.push(
    `CREATE TABLE fact (id INTEGER, k INTEGER, g INTEGER, v INTEGER, w DECIMAL(10,2))${key}`,
    'INSERT INTO fact SELECT id, id % 997, id % 7, (id * 37) % 1000, CAST((id * 13) % 10000 AS DECIMAL(10,2)) / 100 FROM seed',
    `CREATE TABLE dim (k INTEGER, name VARCHAR(12), region INTEGER)${all}`,
    "INSERT INTO dim SELECT id - 1, 'n' || CAST(id - 1 AS VARCHAR), (id - 1) % 5 FROM seed WHERE id <= 1000",
    'CREATE VIEW revenue AS SELECT k AS supplier, sum(w) AS total FROM fact WHERE g < 5 GROUP BY k',
  );
  return s;
}

const QUERIES: QueryPair[] = [
  { name: 'view in FROM and in a scalar subquery (TPC-H Q15 shape)', sql: 'SELECT d.k, d.name, r.total FROM dim d JOIN revenue r ON d.k = r.supplier WHERE r.total = (SELECT max(total) FROM revenue) ORDER BY 1' },
  { name: 'CTE joined to itself', sql: 'WITH c AS (SELECT k, count(*) AS n, sum(v) AS s FROM fact WHERE v > 100 GROUP BY k) SELECT a.k, a.n, b.s FROM c a JOIN c b ON a.k = b.k + 1 ORDER BY 1' },
  { name: 'CTE in FROM and in a HAVING subquery (TPC-H Q11 shape)', sql: 'WITH j AS (SELECT f.k, f.v, d.region FROM fact f JOIN dim d ON f.k = d.k WHERE d.region = 2) SELECT k, sum(v) AS sv FROM j GROUP BY k HAVING sum(v) > (SELECT sum(v) * 0.004 FROM j) ORDER BY 2 DESC, 1' },
  { name: 'view in two scalar subqueries', sql: 'SELECT (SELECT count(*) FROM revenue WHERE total > 50) AS a, (SELECT count(*) FROM revenue WHERE total > 50) AS b, (SELECT min(total) FROM revenue) AS c' },
  { name: 'view in IN and in FROM', sql: 'SELECT r.supplier, r.total FROM revenue r WHERE r.supplier IN (SELECT supplier FROM revenue WHERE total > 1100) ORDER BY 1' },
  { name: 'two correlated subqueries over the same grouped table', sql: 'SELECT d.k, d.name FROM dim d WHERE d.region < 3 AND 400 < (SELECT avg(v) FROM fact f WHERE f.k = d.k) AND 600 > (SELECT avg(v) FROM fact f WHERE f.k = d.region) ORDER BY 1' },
  { name: 'CTE read twice with different filters above it', sql: 'WITH c AS (SELECT g, k, sum(v) AS s FROM fact GROUP BY g, k) SELECT x.g, count(*), max(y.s) FROM c x JOIN c y ON x.k = y.k AND x.g = y.g WHERE x.s > 30000 AND y.s < 40000 GROUP BY x.g ORDER BY 1' },
  { name: 'UNION ALL of a CTE with itself', sql: 'WITH c AS (SELECT region, count(*) AS n FROM fact f JOIN dim d ON f.k = d.k GROUP BY region) SELECT * FROM c UNION ALL SELECT * FROM c ORDER BY 1, 2' },
  { name: 'two derived tables with different filters (nothing shared)', sql: 'SELECT a.k, a.s, b.s FROM (SELECT k, sum(v) AS s FROM fact WHERE g = 1 GROUP BY k) a JOIN (SELECT k, sum(v) AS s FROM fact WHERE g = 2 GROUP BY k) b ON a.k = b.k WHERE a.k < 20 ORDER BY 1' },
];

let db: Database;
before(async () => {
  db = await open({ slices: 2 });
  for (const sql of setup('redshift').slice(0, 2 + DOUBLINGS)) await db.query(sql);
  await db.query('CREATE TABLE fact (id INTEGER, k INTEGER, g INTEGER, v INTEGER, w DECIMAL(10,2)) DISTKEY (k)');
  await db.query('INSERT INTO fact SELECT id, id % 97, id % 7, id % 100, 1.5 FROM seed');
  await db.query('CREATE VIEW revenue AS SELECT k AS supplier, sum(w) AS total FROM fact WHERE g < 5 GROUP BY k');
});
after(async () => { await db.close(); });

async function explain(sql: string): Promise<string> {
  return (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

test('EXPLAIN shows a view read twice as one Shared Subplan read by two scans', async () => {
  const text = await explain('SELECT supplier FROM revenue WHERE total = (SELECT max(total) FROM revenue)');
  assert.match(text, /Shared Subplan 1 \(computed once on each slice, read by 2 scans\)/);
  assert.equal(text.match(/XN Subquery Scan on shared_subplan_1/g)?.length, 2, text);
  // the view's aggregation is listed once, under the shared subplan
  assert.equal(text.match(/XN HashAggregate/g)?.length, 1, text);
});

test('EXPLAIN shares nothing between subqueries with different filters or a volatile function', async () => {
  const different = await explain('SELECT a.k FROM (SELECT k, sum(v) AS s FROM fact WHERE g = 1 GROUP BY k) a JOIN (SELECT k, sum(v) AS s FROM fact WHERE g = 2 GROUP BY k) b ON a.k = b.k');
  assert.doesNotMatch(different, /Shared Subplan/);
  const volatile = await explain('WITH c AS (SELECT k, sum(v) AS s FROM fact WHERE random() < 0.5 GROUP BY k) SELECT count(*) FROM c a JOIN c b ON a.k = b.k');
  assert.doesNotMatch(volatile, /Shared Subplan/);
  const same = await explain('WITH c AS (SELECT k, sum(v) AS s FROM fact WHERE g < 6 GROUP BY k) SELECT count(*) FROM c a JOIN c b ON a.k = b.k');
  assert.match(same, /Shared Subplan 1 .*read by 2 scans/);
});

test('a kept result lives for one statement: the next one computes it again', async () => {
  const sql = 'SELECT supplier FROM revenue WHERE total >= (SELECT max(total) FROM revenue) ORDER BY 1';
  const max = Number((await db.query('SELECT max(total) AS m FROM revenue')).rows[0]!.m);
  const tied = (await db.query(`SELECT supplier FROM revenue WHERE total >= ${max} ORDER BY 1`)).rows.map((r) => Number(r.supplier));
  assert.deepEqual((await db.query(sql)).rows.map((r) => Number(r.supplier)), tied);
  // key 3 gets the largest total alone
  await db.query('INSERT INTO fact VALUES (1, 3, 1, 1, 5000.00)');
  assert.deepEqual((await db.query(sql)).rows.map((r) => Number(r.supplier)), [3]);
});

for (const slices of [1, 3]) {
  test(`views and CTEs used twice answer as DuckDB does (${slices} slice(s))`, async () => {
    const failures = await diffAgainstDuckdb({ wasmshift: setup('redshift'), duckdb: setup('duckdb') }, QUERIES, slices);
    assert.equal(failures.length, 0, formatDiffFailures(failures));
  });
}

test('kept results made on the slice workers go back to the allocator when the statement ends or fails', async () => {
  const engine = await Engine.create({ slices: 3, memoryBytes: 1 << 30 });
  try {
    const session = new Session(engine);
    const run = async (sql: string) => { const r = await session.execute(sql); return r[r.length - 1]!.rows!; };
    for (const sql of setup('redshift')) await run(sql);
    const inUse = () => engine.store.allocator.bytesInUse();
    // the CTE's join scans all of fact (above the inline threshold): it runs on the workers and its
    // rows are kept in shared-memory buffers while the init plan and the main plan read them
    const cte = 'WITH j AS (SELECT f.k, f.v FROM fact f JOIN dim d ON f.k = d.k WHERE d.region = 2)';
    const shared = `${cte} SELECT k, sum(v) FROM j GROUP BY k HAVING sum(v) > (SELECT sum(v) * 0.004 FROM j) ORDER BY 1`;
    const failing = `${cte} SELECT k, sum(v) FROM j GROUP BY k HAVING sum(v) > (SELECT sum(v) / (count(*) - count(*)) FROM j)`;
    for (const sql of [shared, failing]) {
      const plan = (await run(`EXPLAIN ${sql}`)).map((r) => String(r[0])).join('\n');
      assert.match(plan, /Shared Subplan 1 .*read by 2 scans/, plan);
    }
    const base = inUse();
    const rows = await run(shared);
    // the same answer from two statements that share nothing: the threshold, then the groups above it
    const [[threshold]] = await run('SELECT CAST(sum(f.v) * 0.004 AS VARCHAR(40)) FROM fact f JOIN dim d ON f.k = d.k WHERE d.region = 2') as [[unknown]];
    const want = await run(`SELECT f.k, sum(f.v) FROM fact f JOIN dim d ON f.k = d.k WHERE d.region = 2 GROUP BY f.k HAVING sum(f.v) > ${String(threshold)} ORDER BY 1`);
    assert.ok(rows.length > 10, `${rows.length} groups`);
    assert.deepEqual(rows, want);
    assert.equal(inUse(), base, 'kept buffers are freed with the statement');
    // the init plan computes the kept join, then divides by zero
    await assert.rejects(run(failing), { code: '22012' });
    assert.equal(inUse(), base, 'kept buffers are freed when the statement fails');
  } finally {
    await engine.close();
  }
});
