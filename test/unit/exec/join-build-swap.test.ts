// Hash joins whose build side turns out at least 4x larger than the probe side at run time build the
// table on the probe side instead (host/exec/operators.ts swappedJoin): inner, LEFT, semi and anti
// joins, with and without residual conditions, NULL and duplicate keys, integer and string keys,
// answer as DuckDB does on the same data with 1 and 3 slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffAgainstDuckdb, formatDiffFailures, type QueryPair } from '../../differential/harness.js';

/** big has 100,000 rows (over the 65,536-row swap threshold); small about 2,000, some keys NULL or repeated. */
const SETUP = [
  'CREATE TABLE digits (d INTEGER)',
  'INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)',
  'CREATE TABLE big (k INTEGER, v INTEGER, s VARCHAR(12))',
  "INSERT INTO big SELECT (a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d) % 40000, (a.d + b.d + f.d) % 7, 'x' || ((a.d + 10 * b.d + 100 * c.d) % 997) FROM digits a, digits b, digits c, digits e, digits f",
  'CREATE TABLE small (k INTEGER, w INTEGER, t VARCHAR(12))',
  "INSERT INTO small SELECT CASE WHEN a.d = 3 AND b.d = 1 THEN NULL ELSE (a.d + 10 * b.d + 100 * c.d) * 53 % 45000 END, (a.d + c.d) % 7, 'x' || ((a.d + 10 * b.d + 100 * c.d) * 7 % 1200) FROM digits a, digits b, digits c",
  'INSERT INTO small SELECT k, w + 1, t FROM small WHERE k < 3000',
];

const QUERIES: QueryPair[] = [
  { name: 'inner', sql: 'SELECT count(*), sum(b.v), sum(s.w), count(DISTINCT b.k) FROM small s JOIN big b ON s.k = b.k' },
  { name: 'inner rows', sql: 'SELECT s.k, s.w, b.v, b.s FROM small s JOIN big b ON s.k = b.k WHERE s.k < 400 ORDER BY 1, 2, 3, 4' },
  { name: 'inner with residual', sql: 'SELECT count(*), sum(b.v * s.w) FROM small s JOIN big b ON s.k = b.k AND b.v <> s.w' },
  { name: 'string key', sql: 'SELECT count(*), sum(b.v) FROM small s JOIN big b ON s.t = b.s' },
  { name: 'left', sql: 'SELECT s.k, s.w, count(b.k), sum(b.v) FROM small s LEFT JOIN big b ON s.k = b.k AND b.v > 3 GROUP BY s.k, s.w ORDER BY 1, 2' },
  { name: 'left unmatched rows', sql: 'SELECT count(*), count(s.k), sum(s.w) FROM small s LEFT JOIN big b ON s.k = b.k WHERE b.k IS NULL' },
  { name: 'semi', sql: 'SELECT count(*), sum(s.w) FROM small s WHERE EXISTS (SELECT 1 FROM big b WHERE b.k = s.k)' },
  { name: 'semi with residual', sql: 'SELECT s.k, s.w FROM small s WHERE EXISTS (SELECT 1 FROM big b WHERE b.k = s.k AND b.v <> s.w) ORDER BY 1, 2' },
  { name: 'anti', sql: 'SELECT count(*), count(s.k), sum(s.w) FROM small s WHERE NOT EXISTS (SELECT 1 FROM big b WHERE b.k = s.k)' },
  { name: 'anti with residual', sql: 'SELECT s.k, s.w FROM small s WHERE NOT EXISTS (SELECT 1 FROM big b WHERE b.k = s.k AND b.v < s.w) ORDER BY 1, 2' },
  { name: 'IN', sql: 'SELECT count(*) FROM small s WHERE s.t IN (SELECT b.s FROM big b WHERE b.v = 2)' },
];

for (const slices of [1, 3]) {
  test(`joins whose build side is the larger one answer as DuckDB does (${slices} slice(s))`, async () => {
    const failures = await diffAgainstDuckdb(SETUP, QUERIES, slices);
    assert.equal(failures.length, 0, formatDiffFailures(failures));
  });
}
