// Join enumeration's movement costs (host/plan/rules/join-enumeration.ts) against the slice count: a
// broadcast copies its build side to every slice, so with more slices a dimension too costly to copy is
// joined by moving the fact side onto its key instead; with one slice nothing moves and only the join
// sizes decide. Synthetic inputs with given row counts, distinct counts and distribution keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enumerateJoinOrder } from '../../../host/plan/rules/join-enumeration.js';
import type { Expr } from '../../../host/plan/expr.js';
import type { Col, LNode } from '../../../host/plan/logical.js';
import type { TableDef } from '../../../host/catalog/catalog.js';
import { T } from '../../../host/types/sql-type.js';

interface Input { name: string; rows: number; node: LNode }

let nextId = 1;
function input(name: string, rows: number, columns: number): Input {
  const cols: Col[] = Array.from({ length: columns }, (_, i) => ({ id: nextId++, name: `${name}${i}`, type: T.int4 }));
  return { name, rows, node: { op: 'get', table: { name } as unknown as TableDef, cols } };
}
const colsOfInput = (i: Input): Col[] => (i.node as Extract<LNode, { op: 'get' }>).cols;
const ref = (c: Col): Expr => ({ k: 'ref', id: c.id, type: c.type });
const eq = (a: Col, b: Col): Expr => ({ k: 'fn', name: 'eq', args: [ref(a), ref(b)], type: T.bool });

/** The join tree as text: inputs by name, each join as (probe x build). */
function shape(n: LNode, names: Map<LNode, string>): string {
  if (n.op === 'join') return `(${shape(n.left, names)} x ${shape(n.right, names)})`;
  return names.get(n) ?? '?';
}

/**
 * A star: fact F (hashed on a column no join uses) with one foreign key to each dimension A, B, C
 * (each hashed on its key). A has 120K rows: cheap to broadcast to 2 slices, not to 16.
 */
function star(slices: number): string {
  const F = input('F', 400_000, 4), A = input('A', 120_000, 2), B = input('B', 40_000, 2), C = input('C', 18_000, 2);
  const dims = [A, B, C];
  const fc = colsOfInput(F);
  const preds = dims.map((d, i) => eq(fc[i + 1]!, colsOfInput(d)[0]!));
  const rows = new Map<LNode, number>([F, ...dims].map((i) => [i.node, i.rows]));
  const ndv = new Map<number, number>();
  dims.forEach((d, i) => { ndv.set(colsOfInput(d)[0]!.id, d.rows); ndv.set(fc[i + 1]!.id, d.rows); });
  const keys = new Set([fc[0]!.id, ...dims.map((d) => colsOfInput(d)[0]!.id)]);
  const read = new Set([F, ...dims].flatMap((i) => colsOfInput(i).map((c) => c.id)));
  const tree = enumerateJoinOrder([F, ...dims].map((i) => i.node), preds, (n) => rows.get(n) ?? 1, (id) => ndv.get(id), (id) => (keys.has(id) ? 'key' : undefined), read, slices);
  assert.ok(tree);
  return shape(tree, new Map([F, ...dims].map((i) => [i.node, i.name])));
}

test('with 2 slices every dimension is broadcast to the fact side, smallest join first', () => {
  assert.equal(star(2), '(((F x C) x B) x A)');
});

test('with 16 slices the fact side moves onto the large dimension\'s key first instead of copying it 16 times', () => {
  const s = star(16);
  assert.match(s, /^\(\(\(F x A\)/, s);
});

test('with one slice nothing moves: the joins are ordered by their sizes alone', () => {
  assert.equal(star(1), '(((F x C) x B) x A)');
});
