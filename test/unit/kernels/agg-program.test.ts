// agg_program and agg_dict_gids (kernels/agg/program.ts, the fused scan-aggregate of ADR 0026): SIMD and scalar WASM
// against the JS reference over every opcode, with and without a selection vector, NULL masks, grouped and ungrouped,
// the small-sum partials and the i128 sums; the sums and extremes also against BigInt arithmetic done here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';

const h = new Harness();

// Opcodes of kernels/agg/program.ts
const LOAD_I64 = 0, LOAD_I32 = 1, LOAD_I16 = 2, LOAD_VALID = 3, CONST = 4, ADD = 5, SUB = 6, MUL = 7, MUL_K = 8, AND = 9;
const SUM = 10, COUNT = 11, MIN = 12, MAX = 13, ADD_K = 14, RSUB_K = 15, SUM_SMALL = 16, COUNT_NULL = 17;
const I64_MAX = 2n ** 63n - 1n, I64_MIN = -(2n ** 63n);

const bitOf = (bits: boolean[], r: number): boolean => bits[r]!;

test('agg_program: every opcode, grouped and not, with and without sel, agrees with the JS reference and with BigInt sums', () => {
  const groups = 7, stride = 12;
  for (const n of [...LENGTHS, 5000]) {
    const a64 = h.values('i64', n).map((x) => BigInt.asIntN(40, x as bigint));
    const b32 = h.values('i32', n) as number[];
    const c16 = h.values('i16', n) as number[];
    const [va, vaBits] = h.validity(n);
    const [vb, vbBits] = h.validity(n, 0.1);
    const A = h.put('i64', a64), B = h.put('i32', b32), C = h.put('i16', c16);
    const gidList = Array.from({ length: n }, () => h.int(0, groups - 1));
    const sel = h.subset(n, 0.7);
    for (const withSel of [false, true]) {
      for (const grouped of [false, true]) {
        const rows = withSel ? sel : Array.from({ length: n }, (_, i) => i);
        const m = rows.length;
        const gids = grouped ? h.put('i32', gidList.slice(0, m)) : 0;
        const psel = withSel ? h.put('i32', sel) : 0;
        // r0 = a, r1 = b, r2 = c, r3 = valid(a), r4 = valid(b), r5 = r3 & r4, r6 = a * 3 + b, r7 = 100 - c,
        // r8 = r6 * r7, r9 = r1 - r2, r10 = 9, r11 = r9 + r10
        const prog: number[][] = [
          [LOAD_I64, 0, A, 0], [LOAD_I32, 1, B, 0], [LOAD_I16, 2, C, 0], [LOAD_VALID, 3, va, 0], [LOAD_VALID, 4, vb, 0],
          [AND, 5, 3, 4], [MUL_K, 6, 0, 3], [ADD, 6, 6, 1], [RSUB_K, 7, 2, 100], [MUL, 8, 6, 7], [SUB, 9, 1, 2],
          [CONST, 10, 9, 0], [ADD_K, 11, 9, 0], [ADD, 11, 11, 10],
          [SUM, 1, 8, 5], [SUM_SMALL | (groups << 8), 3, 11, 4], [SUM, 5, 0, -1], [COUNT, 0, -1, 0], [COUNT_NULL, 7, 5, 0],
          [MIN, 8, 8, 5], [MAX, 9, 8, 5], [MIN, 10, 2, -1], [MAX, 11, 1, 4],
        ];
        const words = h.put('i64', prog.flat().map(BigInt));
        const out = h.agree(`agg_program n ${n} sel ${withSel} grouped ${grouped}`, (k) => {
          const acc = h.alloc(8 * stride * groups), regs = h.alloc(8 * 1024 * 13);
          for (let g = 0; g < groups; g++) {
            h.v.i64[acc / 8 + g * stride + 8] = I64_MAX; h.v.i64[acc / 8 + g * stride + 10] = I64_MAX;
            h.v.i64[acc / 8 + g * stride + 9] = I64_MIN; h.v.i64[acc / 8 + g * stride + 11] = I64_MIN;
          }
          k.agg_program(words, prog.length, psel, m, gids, stride, acc, regs);
          return h.read('i64', acc, stride * groups) as bigint[];
        });
        // BigInt oracle of the same program
        const want = Array.from({ length: groups }, () => ({ s1: 0n, s3: 0n, s5: 0n, rows: 0n, nulls: 0n, mn: I64_MAX, mx: I64_MIN, mn2: I64_MAX, mx2: I64_MIN }));
        rows.forEach((r, j) => {
          const g = grouped ? gidList[j]! : 0;
          const w = want[g]!;
          const ok = bitOf(vaBits, r) && bitOf(vbBits, r);
          const v8 = (a64[r]! * 3n + BigInt(b32[r]!)) * (100n - BigInt(c16[r]!));
          w.rows++;
          if (ok) { w.s1 += v8; if (v8 < w.mn) w.mn = v8; if (v8 > w.mx) w.mx = v8; } else w.nulls++;
          if (bitOf(vbBits, r)) { w.s3 += BigInt(b32[r]!) - BigInt(c16[r]!) + 9n; if (BigInt(b32[r]!) > w.mx2) w.mx2 = BigInt(b32[r]!); }
          w.s5 += a64[r]!;
          if (BigInt(c16[r]!) < w.mn2) w.mn2 = BigInt(c16[r]!);
        });
        const i128 = (g: number, at: number): bigint => (out[g * stride + at + 1]! << 64n) + BigInt.asUintN(64, out[g * stride + at]!);
        for (let g = 0; g < (grouped ? groups : 1); g++) {
          const w = want[g]!;
          assert.equal(i128(g, 1), w.s1, `sum of a product, group ${g}`);
          assert.equal(i128(g, 3), w.s3, `small sum, group ${g}`);
          assert.equal(i128(g, 5), w.s5, `plain sum, group ${g}`);
          assert.deepEqual([out[g * stride]!, out[g * stride + 7]!], [w.rows, w.nulls], `rows and NULL rows, group ${g}`);
          assert.deepEqual([out[g * stride + 8]!, out[g * stride + 9]!, out[g * stride + 10]!, out[g * stride + 11]!], [w.mn, w.mx, w.mn2, w.mx2], `extremes, group ${g}`);
        }
      }
    }
    h.reset();
  }
});

test('agg_program: i128 sums carry past 2^64 in both directions', () => {
  for (const { k } of h.impls) {
    const vals = h.put('i64', [2n ** 62n, 2n ** 62n, 2n ** 62n, 2n ** 62n, 2n ** 62n, -(2n ** 62n)]);
    const gids = h.put('i32', [0, 0, 0, 0, 0, 1]);
    const prog = h.put('i64', [LOAD_I64, 0, vals, 0, SUM, 0, 0, -1].map(BigInt));
    const acc = h.alloc(32), regs = h.alloc(8 * 1024 * 2);
    k.agg_program(prog, 2, 0, 6, gids, 2, acc, regs);
    k.agg_program(prog, 2, 0, 6, 0, 2, acc + 32, regs);
    const w = h.read('i64', acc, 6) as bigint[];
    assert.equal((w[1]! << 64n) + BigInt.asUintN(64, w[0]!), 5n * 2n ** 62n);
    assert.equal((w[3]! << 64n) + BigInt.asUintN(64, w[2]!), -(2n ** 62n));
    assert.equal((w[5]! << 64n) + BigInt.asUintN(64, w[4]!), 4n * 2n ** 62n, 'ungrouped');
  }
  h.reset();
});

test('agg_dict_gids: combinations of codes (NULL as the last code) through the table, misses written as -1 - combination', () => {
  for (const n of LENGTHS) {
    const c1 = Array.from({ length: n }, () => h.int(0, 2)), c2 = Array.from({ length: n }, () => h.int(0, 4));
    const [v1, bits1] = h.validity(n, 0.2);
    const keys = h.put('i32', [h.put('i32', c1), v1, 4, h.put('i32', c2), 0, 6]);
    const lut = Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? -1 : 100 + i));
    const plut = h.put('i32', lut);
    const sel = h.subset(n);
    for (const withSel of [false, true]) {
      const rows = withSel ? sel : Array.from({ length: n }, (_, i) => i);
      const [got, misses] = h.agree(`agg_dict_gids n ${n} sel ${withSel}`, (k) => {
        const out = h.alloc(4 * rows.length);
        const miss = k.agg_dict_gids(keys, 2, withSel ? h.put('i32', sel) : 0, rows.length, plut, out);
        return [h.read('i32', out, rows.length), miss];
      });
      let wantMisses = 0;
      const want = rows.map((r) => {
        const combo = (bits1[r] ? c1[r]! : 3) * 6 + c2[r]!;
        if (lut[combo]! < 0) { wantMisses++; return -1 - combo; }
        return lut[combo]!;
      });
      assert.deepEqual(got, want);
      assert.equal(misses, wantMisses);
    }
    h.reset();
  }
});

test('agg_totals: counts less NULL counts, i128 sums within 2^53 as exact doubles, NaN (and counted) past it', () => {
  const ng = 3000, stride = 5;
  const edges = [0n, 1n, -1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 64n + 5n, -(2n ** 64n), 2n ** 63n, -(2n ** 63n) - 1n, 2n ** 100n];
  const rows = Array.from({ length: ng }, () => BigInt(h.int(0, 1 << 30)));
  const nulls = rows.map((r) => BigInt(h.int(0, Number(r))));
  const sums = Array.from({ length: ng }, (_, g) => (g < edges.length ? edges[g]! : h.rand() < 0.1 ? h.pick(edges) * BigInt(h.int(1, 3)) : BigInt(h.int(-(2 ** 30), 2 ** 30)) * BigInt(h.int(0, 2 ** 22))));
  const words: bigint[] = [];
  for (let g = 0; g < ng; g++) words.push(rows[g]!, 7n, BigInt.asIntN(64, sums[g]!), BigInt.asIntN(64, sums[g]! >> 64n), nulls[g]!);
  const acc = h.put('i64', words);
  for (const [nullSlot, sumSlot] of [[4, 2], [-1, 2], [4, -1]] as const) {
    const [counts, got, wide] = h.agree(`agg_totals nulls ${nullSlot} sum ${sumSlot}`, (k) => {
      const pc = h.alloc(8 * ng), ps = h.alloc(8 * ng);
      const w = k.agg_totals(acc, stride, ng, 0, nullSlot, sumSlot, pc, ps);
      return [h.read('f64', pc, ng), sumSlot < 0 ? [] : h.read('f64', ps, ng).map((x) => (Number.isNaN(x) ? 'NaN' : x)), w];
    });
    assert.deepEqual(counts, rows.map((r, g) => Number(r - (nullSlot < 0 ? 0n : nulls[g]!))));
    if (sumSlot < 0) { assert.equal(wide, 0); continue; }
    const exact = (v: bigint): boolean => v < 2n ** 53n && v > -(2n ** 53n);
    assert.deepEqual(got, sums.map((v) => (exact(v) ? Number(v) : 'NaN')));
    assert.equal(wide, sums.filter((v) => !exact(v)).length);
    assert.ok((wide as number) > 0);
  }
  h.reset();
});
