// The byte-level string predicates of a scan (host/exec/byte-predicate.ts): the packed-prefix test
// of `substring(col, 1, k) IN (...)` / `= '...'` against the general byte matcher and against the
// same predicate evaluated on JS strings, over rows that are shorter than k, padded with blanks,
// non-ASCII, empty or NULL, with and without a row selection, negated, and the forms that must not
// take the prefix test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileBytePredicate, runBytePredicate, type BytePredicate } from '../../../host/exec/byte-predicate.js';
import type { Expr } from '../../../host/plan/expr.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import type { Utf8Column } from '../../../host/storage/chunk.js';

const encoder = new TextEncoder();

/** A column of `values` (null: NULL) as the scan sees it in a chunk, its bytes after a few others. */
function column(values: readonly (string | null)[]): Utf8Column {
  const parts = values.map((v) => encoder.encode(v ?? ''));
  const lead = 5;
  const u8 = new Uint8Array(lead + parts.reduce((a, p) => a + p.length, 0));
  const offsets = new Int32Array(values.length + 1);
  const valid = new Uint8Array((values.length + 7) >> 3);
  let at = 0;
  values.forEach((v, i) => {
    u8.set(parts[i]!, lead + at);
    at += parts[i]!.length;
    offsets[i + 1] = at;
    if (v !== null) valid[i >> 3]! |= 1 << (i & 7);
  });
  return { u8, bytes: lead, offsets, valid, rows: values.length };
}

const str = (value: string): Expr => ({ k: 'const', value, type: T.text });
const int = (value: number): Expr => ({ k: 'const', value, type: T.int4 });
function operand(type: SqlType, len: number, from = 1): Expr {
  const col: Expr = { k: 'col', idx: 0, type };
  const arg: Expr = type.id === 'bpchar' ? { k: 'cast', arg: col, type: T.text } : col;
  return { k: 'fn', name: 'substring', args: [arg, int(from), int(len)], type: T.text };
}

/** PostgreSQL's answer on strings: substring by code points of the (CHAR: right-trimmed) value, compared ignoring trailing blanks. */
function oracle(values: readonly (string | null)[], bpchar: boolean, from: number, len: number, list: readonly string[], neg: boolean): number[] {
  const trim = (s: string) => s.replace(/ +$/, '');
  const out: number[] = [];
  values.forEach((v, r) => {
    if (v === null) return;
    const cps = [...(bpchar ? trim(v) : v)];
    const sub = trim(cps.slice(from - 1, from - 1 + len).join(''));
    if (list.some((c) => trim(c) === sub) !== neg) out.push(r);
  });
  return out;
}

function run(p: BytePredicate, col: Utf8Column, sel: Int32Array | null): number[] {
  const out = new Int32Array(col.rows);
  const n = runBytePredicate(p, col, sel, sel ? sel.length : col.rows, out);
  return [...out.subarray(0, n)];
}

// a short row followed by one that would complete a key ('1', '3-9') must not match
const ROWS: (string | null)[] = ['13-555-1234', '31-1', '1', '', null, '13', '13 ', '1 3x', '23 ', '29-é', 'é9-1', '30', '18xx', '17-17', ' 13', 'x13', '13é', '99', '17', '3', '1', '3-9', '17'];

test('substring(col, 1, 2) IN (...) takes the packed-prefix test and agrees with the byte matcher and with strings', () => {
  const list = ['13', '31', '23', '29', '30', '18', '17'];
  for (const type of [T.varchar, T.bpchar(12)]) {
    for (const neg of [false, true]) {
      const e: Expr = { k: 'in', arg: operand(type, 2), list: list.map(str), neg, type: T.bool };
      const p = compileBytePredicate(e)!;
      assert.ok(p.prefix, 'the prefix test applies');
      const { prefix: _, ...general } = p;
      const col = column(ROWS);
      const want = oracle(ROWS, type.id === 'bpchar', 1, 2, list, neg);
      assert.deepEqual(run(p, col, null), want);
      assert.deepEqual(run(general, col, null), want);
      // a selection of candidate rows
      const sel = Int32Array.from([0, 2, 4, 5, 6, 9, 13, 15, 18, 19]);
      assert.deepEqual(run(p, col, sel), want.filter((r) => sel.includes(r)));
    }
  }
});

test('prefixes of 1, 3 and 4 bytes, = and <>, and a NOT of the IN', () => {
  const col = column(ROWS);
  for (const [len, list] of [[1, ['1', '3']], [3, ['13-', '17-', '18x']], [4, ['31-1', '13-5', '1 3x']]] as const) {
    const e: Expr = { k: 'in', arg: operand(T.varchar, len), list: list.map(str), neg: false, type: T.bool };
    const p = compileBytePredicate(e)!;
    assert.equal(p.prefix?.len, len);
    assert.deepEqual(run(p, col, null), oracle(ROWS, false, 1, len, list, false), `len ${len}`);
    const not = compileBytePredicate({ k: 'not', arg: e, type: T.bool })!;
    assert.deepEqual(run(not, col, null), oracle(ROWS, false, 1, len, list, true), `NOT, len ${len}`);
  }
  for (const name of ['eq', 'ne']) {
    const p = compileBytePredicate({ k: 'fn', name, args: [operand(T.varchar, 2), str('13')], type: T.bool })!;
    assert.ok(p.prefix);
    assert.deepEqual(run(p, col, null), oracle(ROWS, false, 1, 2, ['13'], name === 'ne'));
  }
});

test('forms the prefix test does not cover keep the general matcher and its answers', () => {
  const col = column(ROWS);
  const cases: [Expr, number, number, string[]][] = [
    // a constant shorter than the substring, one ending in a blank, a non-ASCII one, a start past 1, a prefix of 5
    [operand(T.varchar, 2), 1, 2, ['13', '3']],
    [operand(T.varchar, 2), 1, 2, ['13', '1 ']],
    [operand(T.varchar, 2), 1, 2, ['29', 'é9']],
    [operand(T.varchar, 2, 2), 2, 2, ['3-', '1']],
    [operand(T.varchar, 5), 1, 5, ['13-55', '17-17']],
  ];
  for (const [arg, from, len, list] of cases) {
    const p = compileBytePredicate({ k: 'in', arg, list: list.map(str), neg: false, type: T.bool })!;
    assert.equal(p.prefix, undefined, JSON.stringify(list));
    assert.deepEqual(run(p, col, null), oracle(ROWS, false, from, len, list, false), JSON.stringify(list));
  }
});
