// One column set for the copies of a repeated join (host/plan/rules/shared-columns.ts) and the
// semi-join reduction's inner join for aggregates blind to repeats (rules/semijoin-reduction.ts):
// which subtrees count as copies (not different filters, tables, join kinds or volatile
// functions), which aggregates ignore repeated rows, EXPLAIN showing TPC-H Q11's and Q17's shapes
// computed once, and answers equal to DuckDB's (also with repeated join keys) at 1 and 3 slices,
// with the kept join run on the leader's thread and on the slice workers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, type Database } from '../../../host/index.js';
import type { Expr } from '../../../host/plan/expr.js';
import type { AggCall, Col, LNode } from '../../../host/plan/logical.js';
import type { TableDef } from '../../../host/catalog/catalog.js';
import { repeatedSubtrees, shapeOf, unionOfReads } from '../../../host/plan/rules/shared-columns.js';
import { ignoresRepeats } from '../../../host/plan/rules/semijoin-reduction.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import { diffAgainstDuckdb, formatDiffFailures, type QueryPair } from '../../differential/harness.js';

// ---- copies on hand-made logical plans ----

const fact = { oid: 41, name: 'fact' } as TableDef;
const dim = { oid: 42, name: 'dim' } as TableDef;
const ref = (id: number, type: SqlType = T.int4): Expr => ({ k: 'ref', id, type });
const eq = (a: Expr, b: Expr): Expr => ({ k: 'fn', name: 'eq', args: [a, b], type: T.bool });
const gtConst = (a: Expr, value: unknown): Expr => ({ k: 'fn', name: 'gt', args: [a, { k: 'const', value, type: a.type }], type: T.bool });
const cols = (first: number, n: number): Col[] => Array.from({ length: n }, (_, i) => ({ id: first + i, name: `c${i}`, type: T.int4, attnum: i }));

/** fact(k, v, w) joined to dim(k, region) filtered on region, with ids from `first`. */
function join(first: number, opts: { region?: number; kind?: 'inner' | 'left'; table?: TableDef; pred?: Expr } = {}): LNode {
  const f: LNode = { op: 'get', table: fact, cols: cols(first, 3) };
  const d: LNode = { op: 'get', table: opts.table ?? dim, cols: cols(first + 3, 2) };
  const filtered: LNode = { op: 'filter', input: d, pred: opts.pred ?? gtConst(ref(first + 4), opts.region ?? 2) };
  return { op: 'join', kind: opts.kind ?? 'inner', left: f, right: filtered, cond: eq(ref(first), ref(first + 3)), est: 1000 };
}

const sum = (id: number): AggCall => ({ fn: 'sum', args: [ref(id)], distinct: false, filter: null, type: T.int8 });
const aggOver = (input: LNode, groups: Expr[], aggs: AggCall[], first: number): Extract<LNode, { op: 'agg' }> =>
  ({ op: 'agg', input, groups, aggs, cols: cols(first, groups.length + aggs.length) });

test('copies with different column ids and estimates have one shape; their columns pair up by position', () => {
  const a = shapeOf(join(10));
  const b = shapeOf({ ...join(100), est: 5 } as LNode);
  assert.equal(a.key, b.key);
  assert.deepEqual(a.ids, [10, 11, 12, 13, 14]);
  assert.deepEqual(b.ids, [100, 101, 102, 103, 104]);
  // the join condition written the other way round
  const flipped = join(100) as Extract<LNode, { op: 'join' }>;
  assert.equal(shapeOf({ ...flipped, cond: eq(ref(103), ref(100)) }).key, a.key);
});

test('a different filter, table, join kind or correlated column is a different shape', () => {
  const a = shapeOf(join(10)).key;
  assert.notEqual(a, shapeOf(join(10, { region: 3 })).key);
  assert.notEqual(a, shapeOf(join(10, { table: { oid: 43, name: 'dim2' } as TableDef })).key);
  assert.notEqual(a, shapeOf(join(10, { kind: 'left' })).key);
  // a column from outside the subtree keeps its id: two different outer columns differ
  assert.notEqual(shapeOf(join(10, { pred: eq(ref(14), ref(900)) })).key, shapeOf(join(10, { pred: eq(ref(14), ref(901)) })).key);
});

test('repeated joins over a large table are chosen largest first, never with a volatile function or a small table', () => {
  const rows = (big: number) => (t: TableDef) => (t === fact ? big : 100);
  const main = aggOver(join(10), [ref(10)], [sum(11)], 20);
  const init = aggOver(join(30), [], [sum(31)], 40);
  const groups = repeatedSubtrees([main, init], rows(1_000_000), 100_000);
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0]!.map((c) => c.node), [main.input, init.input]);
  assert.equal(repeatedSubtrees([main, init], rows(1000), 100_000).length, 0);
  const random: Expr = { k: 'fn', name: 'gt', args: [{ k: 'fn', name: 'random', args: [], type: T.float8 }, { k: 'const', value: 0.5, type: T.float8 }], type: T.bool };
  const volatileMain = aggOver(join(10, { pred: random }), [ref(10)], [sum(11)], 20);
  const volatileInit = aggOver(join(30, { pred: random }), [], [sum(31)], 40);
  assert.equal(repeatedSubtrees([volatileMain, volatileInit], rows(1_000_000), 100_000).length, 0);
  // different filters: nothing in common but the bare fact scan, which joins nothing
  assert.equal(repeatedSubtrees([main, aggOver(join(30, { region: 3 }), [], [sum(31)], 40)], rows(1_000_000), 100_000).length, 0);
});

test('each copy keeps the union of the columns any copy reads, in its own ids', () => {
  const main = aggOver(join(10), [ref(10)], [sum(11)], 20);
  const init = aggOver(join(30), [], [sum(32)], 40);
  const groups = repeatedSubtrees([main, init], () => 1_000_000, 100_000);
  const readAt = new Map<LNode, ReadonlySet<number>>([[main.input, new Set([10, 11])], [init.input, new Set([32])]]);
  const widen = unionOfReads(groups, readAt);
  assert.deepEqual([...widen.get(main.input)!].sort(), [10, 11, 12]);
  assert.deepEqual([...widen.get(init.input)!].sort(), [30, 31, 32]);
});

test('MIN, MAX, DISTINCT aggregates and AVG of exact types ignore repeated rows; SUM, COUNT and AVG of floats do not', () => {
  const agg = (fn: string, type: SqlType, distinct = false) => aggOver({ op: 'values', rows: [], cols: [] }, [], [{ fn, args: [ref(1, type)], distinct, filter: null, type }], 5);
  for (const [fn, type, distinct] of [['min', T.int4, false], ['max', T.float8, false], ['avg', T.int8, false], ['avg', { id: 'numeric', precision: 12, scale: 2 } as SqlType, false], ['count', T.int4, true], ['sum', T.int4, true]] as const) {
    assert.equal(ignoresRepeats(agg(fn, type, distinct)), true, `${fn}${distinct ? ' distinct' : ''}(${type.id})`);
  }
  for (const [fn, type] of [['sum', T.int4], ['count', T.int4], ['avg', T.float8], ['stddev_samp', T.int4]] as const) {
    assert.equal(ignoresRepeats(agg(fn, type)), false, `${fn}(${type.id})`);
  }
});

// ---- SQL: EXPLAIN and answers against DuckDB ----

function setup(dialect: 'redshift' | 'duckdb', doublings: number): string[] {
  const key = dialect === 'redshift' ? ' DISTKEY (k)' : '';
  const all = dialect === 'redshift' ? ' DISTSTYLE ALL' : '';
  const s = ['CREATE TABLE seed (id INTEGER)', 'INSERT INTO seed VALUES (1)'];
  for (let i = 0; i < doublings; i++) s.push(`INSERT INTO seed SELECT id + ${2 ** i} FROM seed`);
  s.push(
    `CREATE TABLE fact (id INTEGER, k INTEGER, q INTEGER, v INTEGER, w DECIMAL(10,2))${key}`,
    'INSERT INTO fact SELECT id, id % 997, id % 50, (id * 37) % 1000, CAST((id * 13) % 10000 AS DECIMAL(10,2)) / 100 FROM seed',
    `CREATE TABLE dim (k INTEGER, name VARCHAR(12), region INTEGER)${all}`,
    "INSERT INTO dim SELECT id - 1, 'n' || CAST(id - 1 AS VARCHAR), (id - 1) % 5 FROM seed WHERE id <= 1000",
    // every key three times: an inner join repeats each fact row three times
    'CREATE TABLE dup (k INTEGER, region INTEGER)',
    'INSERT INTO dup SELECT id % 300, (id % 300) % 4 FROM seed WHERE id <= 900',
  );
  return s;
}

const Q11_SHAPE = 'SELECT f.k, sum(f.v) AS sv FROM fact f, dim d WHERE f.k = d.k AND d.region = 2 GROUP BY f.k HAVING sum(f.v) > (SELECT sum(f.v) * 0.004 FROM fact f, dim d WHERE f.k = d.k AND d.region = 2) ORDER BY 2 DESC, 1';
const Q17_SHAPE = 'SELECT sum(f.w) / 7.0 AS s FROM fact f, dim d WHERE d.k = f.k AND d.region = 1 AND d.name LIKE \'n1%\' AND f.q < (SELECT 0.4 * avg(q) FROM fact x WHERE x.k = d.k)';

const Q2_SHAPE = 'SELECT u.k, f.id, d.name FROM dup u, fact f, dim d WHERE u.k = f.k AND f.k = d.k AND d.region = 1 AND u.region = 1 AND f.q = (SELECT min(x.q) FROM fact x, dim e WHERE x.k = u.k AND x.k = e.k AND e.region = 1) ORDER BY 1, 2';

const QUERIES: QueryPair[] = [
  { name: 'HAVING subquery repeating the main join with fewer columns (TPC-H Q11 shape)', sql: Q11_SHAPE },
  { name: 'correlated avg over the outer join\'s table (TPC-H Q17 shape)', sql: Q17_SHAPE },
  { name: 'correlated min over a join of the outer query\'s tables (TPC-H Q2 shape)', sql: Q2_SHAPE },
  { name: 'correlated min per key, keys repeated in the outer table', sql: 'SELECT u.k, f.id, f.q FROM fact f, dup u WHERE f.k = u.k AND u.region = 1 AND f.q = (SELECT min(q) FROM fact x WHERE x.k = u.k) ORDER BY 1, 2, 3' },
  { name: 'correlated avg per key, keys repeated in the outer table', sql: 'SELECT count(*) AS n, sum(f.v) AS sv FROM fact f, dup u WHERE f.k = u.k AND u.region = 3 AND f.q > (SELECT avg(q) FROM fact x WHERE x.k = u.k)' },
  { name: 'correlated sum per key, keys repeated (kept as a semi join)', sql: 'SELECT count(*) AS n FROM fact f, dup u WHERE f.k = u.k AND u.region = 2 AND f.v * 400 > (SELECT sum(v) FROM fact x WHERE x.k = u.k)' },
  { name: 'subquery with a different filter than the main join', sql: 'SELECT f.k, sum(f.v) AS sv FROM fact f, dim d WHERE f.k = d.k AND d.region = 2 GROUP BY f.k HAVING sum(f.v) > (SELECT sum(f.v) * 0.004 FROM fact f, dim d WHERE f.k = d.k AND d.region = 3) ORDER BY 2 DESC, 1' },
  { name: 'outer join in the main query, inner join in the subquery', sql: 'SELECT d.k, sum(f.v) AS sv FROM dim d LEFT JOIN fact f ON f.k = d.k WHERE d.region = 2 GROUP BY d.k HAVING sum(f.v) > (SELECT sum(f.v) * 0.004 FROM dim d JOIN fact f ON f.k = d.k WHERE d.region = 2) ORDER BY 2 DESC, 1' },
];

let db: Database;
before(async () => {
  db = await open({ slices: 2 });
  for (const sql of setup('redshift', 17)) await db.query(sql);
});
after(async () => { await db.close(); });

async function explain(sql: string): Promise<string> {
  return (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

test('EXPLAIN: a HAVING subquery that repeats the main join with fewer columns reads the main join\'s kept result', async () => {
  const text = await explain(Q11_SHAPE);
  assert.match(text, /Shared Subplan 1 \(computed once on each slice, read by 2 scans\)/, text);
  assert.equal(text.match(/Seq Scan on fact/g)?.length, 1, text);
});

test('EXPLAIN: TPC-H Q17\'s shape joins fact to the filtered dim once, for the outer query and the reduced avg', async () => {
  const text = await explain(Q17_SHAPE);
  assert.match(text, /Shared Subplan 1 .*read by 2 scans/, text);
  assert.equal(text.match(/Seq Scan on fact/g)?.length, 1, text);
  assert.doesNotMatch(text, /Hash IN Join/, text);
});

test('EXPLAIN: TPC-H Q2\'s shape: the reduced min joins the outer query\'s tables in the same order, once for both', async () => {
  const text = await explain(Q2_SHAPE);
  assert.match(text, /Shared Subplan 1 .*read by 2 scans/, text);
  assert.equal(text.match(/Seq Scan on fact/g)?.length, 1, text);
});

test('EXPLAIN: a MIN subquery over keys the outer table repeats joins fact to dup once', async () => {
  const text = await explain(QUERIES[3]!.sql);
  assert.match(text, /Shared Subplan 1 .*read by 2 scans/, text);
  assert.equal(text.match(/Seq Scan on fact/g)?.length, 1, text);
});

test('EXPLAIN: a SUM subquery keeps its semi join; different filters and outer joins share nothing', async () => {
  const semi = await explain(QUERIES[5]!.sql);
  assert.match(semi, /Hash IN Join/, semi);
  assert.doesNotMatch(semi, /Shared Subplan/, semi);
  for (const q of QUERIES.slice(6)) {
    const text = await explain(q.sql);
    assert.doesNotMatch(text, /Shared Subplan/, `${q.name}\n${text}`);
    assert.equal(text.match(/Seq Scan on fact/g)?.length, 2, text);
  }
});

// 2^17 rows run in the leader's thread (under host/cluster/pool.ts's inline threshold), 2^18 on the workers.
for (const doublings of [17, 18]) {
  for (const slices of [1, 3]) {
    test(`repeated joins answer as DuckDB does (${slices} slice(s), ${2 ** doublings} fact rows)`, async () => {
      const failures = await diffAgainstDuckdb({ wasmshift: setup('redshift', doublings), duckdb: setup('duckdb', doublings) }, QUERIES, slices);
      assert.equal(failures.length, 0, formatDiffFailures(failures));
    });
  }
}
