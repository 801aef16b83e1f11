// LeadKeyIndex (host/exec/lead-key-index.ts) against a Map of first-seen key tuples: string columns determined by
// an integer key (one value per key), mostly determined (a few rows per key differ, by a word, a NULL or only by
// trailing blanks, which GROUP BY ignores), not determined at all (comparing is given up midway and ids carry on),
// NULL integer keys, a dictionary-coded string lead column, string batches alternating between plain and
// dictionary form, coded strings next to an int without plain strings (the lead ids are the groups), many groups
// across many batches; each through the WASM key table and through the JS coders.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from '../kernels/harness.js';
import { dictionaryVector, type Vector } from '../../../host/batch/vector.js';
import { LeadKeyIndex, leadKeysApply } from '../../../host/exec/lead-key-index.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const h = new Harness();
const simd = h.impls.find((i) => i.name === 'simd')!.k;

type Value = number | string | null;

/** The oracle's equality key of a value: strings without trailing blanks, as GROUP BY compares them. */
const keyOf = (v: Value): string => (v === null ? 'N' : typeof v === 'number' ? `i${v}` : `s${v.replace(/ +$/, '')}`);

function validOf(values: Value[]): Uint8Array | null {
  if (!values.includes(null)) return null;
  const bits = new Uint8Array((values.length + 7) >> 3).fill(0xff);
  values.forEach((v, i) => { if (v === null) bits[i >> 3]! &= ~(1 << (i & 7)); });
  return bits;
}

/** A batch vector of `values`: int4 as Int32Array; strings plain, or in dictionary form when `coded`. */
function vectorOf(type: SqlType, values: Value[], coded: boolean): Vector {
  const valid = validOf(values);
  if (type.id === 'int4') return { type, length: values.length, data: Int32Array.from(values, (v) => (v === null ? 0 : (v as number))), valid };
  if (!coded) return { type, length: values.length, data: values.map((v) => (v === null ? '' : (v as string))), valid };
  const words: string[] = [];
  const at = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    const w = v === null ? '' : (v as string);
    let c = at.get(w);
    if (c === undefined) { c = words.length; words.push(w); at.set(w, c); }
    return c;
  });
  return dictionaryVector(type, codes, words, valid);
}

/**
 * Numbers `rows` (tuples of column values) in batches through a LeadKeyIndex and checks every id against the
 * oracle's first-seen ids; `coded(c, b)` says whether string column c of batch b is in dictionary form.
 */
function check(what: string, types: SqlType[], rows: Value[][], batch: number, withKernels: boolean, coded: (c: number, b: number) => boolean, compares = true): number {
  assert.ok(leadKeysApply(types), `${what}: the index applies`);
  const index = new LeadKeyIndex(types, withKernels ? { k: simd, memory: h.memory } : null);
  const seen = new Map<string, number>();
  try {
    for (let at = 0, b = 0; at < rows.length; at += batch, b++) {
      const part = rows.slice(at, at + batch);
      const keys = types.map((t, c) => vectorOf(t, part.map((r) => r[c]!), coded(c, b)));
      const gids = new Int32Array(part.length);
      index.assign(keys, part.length, gids);
      part.forEach((r, i) => {
        const k = r.map(keyOf).join('|');
        let g = seen.get(k);
        if (g === undefined) { g = seen.size; seen.set(k, g); }
        assert.equal(gids[i], g, `${what}: row ${at + i} (${k})`);
      });
      assert.equal(index.count, seen.size, `${what}: group count after batch ${b}`);
    }
    assert.equal(index.comparesStrings, compares, `${what}: still comparing strings`);
  } finally {
    index.free();
  }
  return seen.size;
}

const name = (k: number): string => `Customer#${String(k).padStart(9, '0')}`;
const comment = (k: number): string => `${['quick', 'slow', 'final', 'pending'][k % 4]} deposits ${k * 7919 % 100003}`;

for (const withKernels of [true, false]) {
  const how = withKernels ? 'key table' : 'JS coders';

  test(`lead keys (${how}): strings determined by an int key, 40K groups in random order, NULL keys`, () => {
    const types = [T.int4, T.varchar, T.int4, T.bpchar(15)];
    const rows: Value[][] = [];
    for (let i = 0; i < 120_000; i++) {
      const k = h.int(0, 39_999);
      rows.push(k % 997 === 0 ? [null, null, 3, 'x'] : [k, name(k), k % 25, comment(k)]);
    }
    const groups = check('determined', types, rows, 4096, withKernels, () => false);
    assert.ok(groups > 30_000, `${groups} groups`);
  });

  test(`lead keys (${how}): a few rows differ from their key's first strings (a word, NULL, trailing blanks)`, () => {
    const types = [T.int4, T.varchar, T.varchar];
    const rows: Value[][] = [];
    for (let i = 0; i < 60_000; i++) {
      const k = h.int(0, 9_999), r = h.rand();
      const s = r < 0.03 ? 'other' : r < 0.05 ? null : r < 0.08 ? `${name(k)}  ` : name(k);
      rows.push([k, s, r < 0.5 ? comment(k) : `${comment(k)} `]);
    }
    check('mostly determined', types, rows, 2048, withKernels, () => false);
  });

  test(`lead keys (${how}): strings not determined by the key give up comparing and keep every id`, () => {
    const types = [T.int4, T.text];
    const rows: Value[][] = [];
    for (let i = 0; i < 50_000; i++) rows.push([h.int(1, 5), `w${h.int(0, 20_000)}`]);
    const groups = check('not determined', types, rows, 3000, withKernels, () => false, false);
    assert.ok(groups > 30_000, `${groups} groups`);
  });

  test(`lead keys (${how}): a dictionary-coded string leads, batches switch between plain and dictionary form`, () => {
    const types = [T.varchar, T.int4, T.varchar, T.text];
    const rows: Value[][] = [];
    for (let i = 0; i < 40_000; i++) {
      const k = h.int(0, 4_999);
      rows.push([['AIR', 'MAIL', 'SHIP', 'TRUCK'][k % 4]!, k, h.rand() < 0.01 ? null : name(k), comment(k)]);
    }
    // Column 0 is coded in the first batch (a lead column); 2 and 3 are plain there (compared), coded in odd batches.
    check('mixed forms', types, rows, 1500, withKernels, (c, b) => c === 0 ? b % 3 !== 2 : b % 2 === 1);
  });

  test(`lead keys (${how}): dictionary-coded strings next to an int (Q16's shape), later batches plain`, () => {
    const types = [T.varchar, T.text, T.int4];
    const rows: Value[][] = [];
    for (let i = 0; i < 40_000; i++) rows.push([`Brand#${h.int(1, 5)}${h.int(1, 5)}`, h.rand() < 0.01 ? null : `TYPE ${h.int(0, 149)}`, h.int(1, 50)]);
    const groups = check('coded and int', types, rows, 2000, withKernels, (_c, b) => b % 4 !== 3, false);
    assert.ok(groups > 20_000, `${groups} groups`);
  });
}
