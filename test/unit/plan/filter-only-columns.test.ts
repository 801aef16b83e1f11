// Which columns a filtered scan reads for its filter only (host/plan/lower.ts, filteredScan): a
// column no other place of the plan reads (no other expression, no output) is tested in the scan
// and never output; one read anywhere else is output. The readers are counted once per plan, so
// these cases check the counted answer against what each plan needs: a column read again above,
// by a second filter, by the root's output, and a filter object that occurs twice in one plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TableDef } from '../../../host/catalog/catalog.js';
import type { Expr } from '../../../host/plan/expr.js';
import type { Col, LNode } from '../../../host/plan/logical.js';
import { Lowerer, type PlannerStats } from '../../../host/plan/lower.js';
import { childrenOf, type PNode } from '../../../host/plan/physical.js';
import { T } from '../../../host/types/sql-type.js';

const table = { oid: 51, name: 't', distkey: -1 } as TableDef;
const stats: PlannerStats = { rows: () => 1_000_000, style: () => 'EVEN' };
const ref = (id: number): Expr => ({ k: 'ref', id, type: T.int4 });
const gt = (id: number, value: number): Expr => ({ k: 'fn', name: 'gt', args: [ref(id), { k: 'const', value, type: T.int4 }], type: T.bool });
const cols = (first: number): Col[] => ['a', 'b', 'c'].map((name, i) => ({ id: first + i, name, type: T.int4, attnum: i }));
const get = (first: number): LNode => ({ op: 'get', table, cols: cols(first) });
const project = (input: LNode, ids: number[], first: number): LNode =>
  ({ op: 'project', input, exprs: ids.map(ref), cols: ids.map((_, i) => ({ id: first + i, name: `p${i}`, type: T.int4 })) });

/** Each scan's output and filter-only column names, in plan order. */
function scans(root: LNode): { out: string[]; only: string[] }[] {
  const found: { out: string[]; only: string[] }[] = [];
  const go = (n: PNode): void => {
    if (n.op === 'scan') found.push({ out: n.names, only: n.filterOnly?.names ?? [] });
    childrenOf(n).forEach(go);
  };
  go(new Lowerer(stats, 2).lowerRoot(root));
  return found;
}

test('a column only the filter reads is not output; one read above or output is', () => {
  // select a from t where b > 1: b only in the filter
  assert.deepEqual(scans(project({ op: 'filter', input: get(1), pred: gt(2, 1) }, [1], 10)), [{ out: ['a'], only: ['b'] }]);
  // select a, b from t where b > 1: b also output
  assert.deepEqual(scans(project({ op: 'filter', input: get(1), pred: gt(2, 1) }, [1, 2], 10)), [{ out: ['a', 'b'], only: [] }]);
});

test('a column a second filter also reads stays output', () => {
  const inner: LNode = { op: 'filter', input: get(1), pred: gt(2, 1) };
  const above: LNode = { op: 'filter', input: project(inner, [1, 2], 10), pred: gt(11, 5) };
  assert.deepEqual(scans(project(above, [10], 20)), [{ out: ['a', 'b'], only: [] }]);
});

test('a filter object that occurs twice in one plan keeps its filter-only columns in both places', () => {
  const filtered: LNode = { op: 'filter', input: get(1), pred: gt(3, 7) };
  const side = project(filtered, [1], 10);
  const both: LNode = { op: 'setop', kind: 'union', all: true, left: side, right: side, cols: [{ id: 30, name: 'a', type: T.int4 }] };
  assert.deepEqual(scans(both), [{ out: ['a'], only: ['c'] }, { out: ['a'], only: ['c'] }]);
  // ... and outputs the column when another place reads it
  const reads: LNode = { op: 'setop', kind: 'union', all: true, left: side, right: project(filtered, [3], 40), cols: [{ id: 30, name: 'a', type: T.int4 }] };
  assert.deepEqual(scans(reads), [{ out: ['a', 'c'], only: [] }, { out: ['a', 'c'], only: [] }]);
});
