// Filter kernels: SIMD and scalar WASM against the JS reference over lengths around the 16-row block, with and
// without nulls and input selections, extreme and NaN constants; plus PostgreSQL NaN/-0 semantics stated directly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS, type Kind } from './harness.js';

const h = new Harness();
type FKind = 'i16' | 'i32' | 'i64' | 'f32' | 'f64';
const KINDS: FKind[] = ['i16', 'i32', 'i64', 'f32', 'f64'];

function constants(kind: FKind, data: (number | bigint)[]): (number | bigint)[] {
  const fromData = data.length > 0 ? [data[0]!, data[data.length >> 1]!] : [];
  switch (kind) {
    case 'i16': return [...fromData, 0, -32768, 32767, 40000, -40000, 2147483647, -2147483648];
    case 'i32': return [...fromData, 0, -2147483648, 2147483647];
    case 'i64': return [...fromData, 0n, -(2n ** 63n), 2n ** 63n - 1n];
    default: return [...fromData, 0, -0, NaN, Infinity, -Infinity, 0.5];
  }
}

/** Calls filter_cmp_<kind> with the selection laid out as requested; returns the selected rows. */
function cmp(k: import('../../../host/wasm/kernels.js').KernelExports, kind: FKind, op: number, col: number, valid: number,
  n: number, c: number | bigint, sel: number[] | null, alias: boolean): number[] {
  const selIn = sel ? h.put('i32', sel) : 0;
  const selOut = alias && selIn ? selIn : h.alloc(4 * n + 64);
  const fn = k[`filter_cmp_${kind}`] as (...a: unknown[]) => number;
  const cnt = fn(op, col, valid, n, c, selIn, sel ? sel.length : 0, selOut);
  return h.read('i32', selOut, cnt) as number[];
}

test('filter_cmp_*: SIMD and scalar equal the JS reference', () => {
  for (const kind of KINDS) {
    for (const n of LENGTHS) {
      for (const small of [false, true]) {
        const data = h.values(kind as Kind, n, small);
        const col = h.put(kind as Kind, data);
        const [valid] = h.validity(n);
        const sel = h.subset(n);
        for (const c of constants(kind, data)) {
          for (let op = 0; op < 6; op++) {
            for (const [v, s, alias] of [[0, null, false], [valid, null, false], [valid, sel, false], [0, sel, true]] as const) {
              h.agree(`filter_cmp_${kind} op ${op} k ${String(c)} n ${n} valid ${v !== 0} sel ${s !== null}`,
                (k) => cmp(k, kind, op, col, v, n, c, s as number[] | null, alias));
            }
          }
        }
        h.reset();
      }
    }
  }
});

test('filter_cmp: an unknown operator selects nothing', () => {
  const col = h.put('i32', [1, 2, 3]);
  h.agree('bad op', (k) => cmp(k, 'i32', 9, col, 0, 3, 2, null, false));
  assert.deepEqual(cmp(h.impls[1]!.k, 'i32', 9, col, 0, 3, 2, null, false), []);
  h.reset();
});

test('filter_cmp_f64 follows PostgreSQL: NaN = NaN, NaN above +Infinity, -0 = 0, nulls never pass', () => {
  const data = [NaN, 1, -0, 0, -Infinity, Infinity, NaN];
  const col = h.put('f64', data);
  const valid = h.put('u8', [0b0111_1111]);
  const noLast = h.put('u8', [0b0011_1111]);
  for (const { k } of h.impls) {
    assert.deepEqual(cmp(k, 'f64', 0, col, valid, 7, NaN, null, false), [0, 6]);
    assert.deepEqual(cmp(k, 'f64', 0, col, noLast, 7, NaN, null, false), [0]);
    assert.deepEqual(cmp(k, 'f64', 4, col, valid, 7, Infinity, null, false), [0, 6]);
    assert.deepEqual(cmp(k, 'f64', 0, col, valid, 7, 0, null, false), [2, 3]);
    assert.deepEqual(cmp(k, 'f64', 2, col, valid, 7, NaN, null, false), [1, 2, 3, 4, 5]);
    assert.deepEqual(cmp(k, 'f64', 3, col, valid, 7, NaN, null, false), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(cmp(k, 'f64', 4, col, valid, 7, NaN, null, false), []);
  }
  h.reset();
});

test('filter_cmp_col_*: column against column equals the JS reference', () => {
  for (const kind of KINDS) {
    for (const n of LENGTHS) {
      const a = h.put(kind as Kind, h.values(kind as Kind, n, true));
      const b = h.put(kind as Kind, h.values(kind as Kind, n, true));
      const [av] = h.validity(n), [bv] = h.validity(n);
      const sel = h.subset(n);
      for (let op = 0; op < 6; op++) {
        for (const [va, vb, s] of [[0, 0, null], [av, 0, null], [av, bv, sel], [0, bv, sel]] as const) {
          h.agree(`filter_cmp_col_${kind} op ${op} n ${n}`, (k) => {
            const selIn = s ? h.put('i32', s) : 0, selOut = h.alloc(4 * n);
            const fn = k[`filter_cmp_col_${kind}`] as (...x: unknown[]) => number;
            return h.read('i32', selOut, fn(op, a, va, b, vb, n, selIn, s ? s.length : 0, selOut));
          });
        }
      }
      h.reset();
    }
  }
});

test('filter_between_*: inclusive ranges, empty and NaN bounds equal the JS reference', () => {
  for (const kind of KINDS) {
    for (const n of LENGTHS) {
      const data = h.values(kind as Kind, n, true);
      const col = h.put(kind as Kind, data);
      const [valid] = h.validity(n);
      const sel = h.subset(n);
      const isInt = kind !== 'f32' && kind !== 'f64';
      const B = (x: number): number | bigint => (kind === 'i64' ? BigInt(x) : x);
      const bounds: [number | bigint, number | bigint][] = isInt
        ? [[B(-5), B(5)], [B(5), B(-5)], [B(0), B(0)], kind === 'i16' ? [-100000, 100000] : [B(-20), B(20)]]
        : [[-5, 5], [5, -5], [0, 0], [-0, 0], [NaN, NaN], [NaN, 3], [2, NaN], [-Infinity, Infinity]];
      if (kind === 'i64') bounds.push([-(2n ** 63n), 2n ** 63n - 1n]);
      if (kind === 'i32') bounds.push([-2147483648, 2147483647]);
      for (const [lo, hi] of bounds) {
        for (const [v, s] of [[0, null], [valid, null], [valid, sel]] as const) {
          h.agree(`filter_between_${kind} [${String(lo)}, ${String(hi)}] n ${n}`, (k) => {
            const selIn = s ? h.put('i32', s) : 0, selOut = h.alloc(4 * n);
            const fn = k[`filter_between_${kind}`] as (...x: unknown[]) => number;
            return h.read('i32', selOut, fn(col, v, n, lo, hi, selIn, s ? s.length : 0, selOut));
          });
        }
      }
      h.reset();
    }
  }
});

test('filter_mask: mask bytes and validity', () => {
  for (const n of LENGTHS) {
    const mask = h.put('u8', h.values('u8', n));
    const [valid] = h.validity(n);
    const sel = h.subset(n);
    for (const [v, s] of [[0, null], [valid, null], [valid, sel], [0, sel]] as const) {
      const r = h.agree(`filter_mask n ${n}`, (k) => {
        const selIn = s ? h.put('i32', s) : 0, selOut = h.alloc(4 * n);
        return h.read('i32', selOut, k.filter_mask(mask, v, n, selIn, s ? s.length : 0, selOut));
      });
      if (v === 0 && s === null) assert.deepEqual(r, h.read('u8', mask, n).flatMap((b, i) => (b !== 0 ? [i] : [])));
    }
    h.reset();
  }
});

test('mask_cmp_*, mask_between_*: byte masks equal the JS reference and the filters', () => {
  for (const kind of KINDS) {
    for (const n of LENGTHS) {
      const data = h.values(kind as Kind, n, true);
      const col = h.put(kind as Kind, data);
      const [valid] = h.validity(n);
      for (const c of constants(kind, data)) {
        for (let op = 0; op < 7; op++) {
          for (const v of [0, valid]) {
            const mask = h.agree(`mask_cmp_${kind} op ${op} k ${String(c)} n ${n}`, (k) => {
              const out = h.alloc(n);
              h.v.u8.fill(7, out, out + n);
              (k[`mask_cmp_${kind}`] as (...a: unknown[]) => void)(op, col, v, n, c, out);
              return h.read('u8', out, n);
            });
            const sel = cmp(h.impls[1]!.k, kind, op, col, v, n, c, null, false);
            assert.deepEqual(mask.flatMap((b, i) => (b === 1 ? [i] : [])), sel);
            assert.ok(mask.every((b) => b === 0 || b === 1));
          }
        }
      }
      const B = (x: number): number | bigint => (kind === 'i64' ? BigInt(x) : x);
      const floats = kind === 'f32' || kind === 'f64';
      for (const [lo, hi] of (floats ? [[-5, 5], [5, -5], [NaN, NaN], [NaN, 1], [1, NaN]] : [[B(-5), B(5)], [B(5), B(-5)], [B(0), B(0)]]) as [number | bigint, number | bigint][]) {
        h.agree(`mask_between_${kind} n ${n}`, (k) => {
          const out = h.alloc(n);
          h.v.u8.fill(7, out, out + n);
          (k[`mask_between_${kind}`] as (...a: unknown[]) => void)(col, valid, n, lo, hi, out);
          return h.read('u8', out, n);
        });
      }
      h.reset();
    }
  }
});

test('mask_and, mask_or, mask_not', () => {
  for (const n of LENGTHS) {
    const a = h.put('u8', h.values('u8', n)), b = h.put('u8', h.values('u8', n));
    const r = h.agree(`mask ops n ${n}`, (k) => {
      const x = h.alloc(n), y = h.alloc(n), z = h.alloc(n);
      k.mask_and(a, b, x, n); k.mask_or(a, b, y, n); k.mask_not(a, z, n);
      return [h.read('u8', x, n), h.read('u8', y, n), h.read('u8', z, n)];
    });
    const av = h.read('u8', a, n) as number[], bv = h.read('u8', b, n) as number[];
    assert.deepEqual(r[0], av.map((x, i) => x & bv[i]!));
    assert.deepEqual(r[1], av.map((x, i) => x | bv[i]!));
    assert.deepEqual(r[2], av.map((x) => 1 - x));
    h.reset();
  }
});

test('filter_in_*: IN lists (duplicates, extremes, NaN) equal the JS reference', () => {
  for (const kind of ['i16', 'i32', 'i64', 'f64'] as const) {
    for (const n of LENGTHS) {
      const data = h.values(kind, n, true);
      const col = h.put(kind, data);
      const [valid] = h.validity(n);
      const sel = h.subset(n);
      const one = kind === 'i64' ? 1n : 1;
      const lists = [[], [data[0] ?? one], h.values(kind, 5, true), [...h.values(kind, 3, true), ...h.values(kind, 3, true)], h.values(kind, 12)];
      for (const list of lists) {
        const pl = h.put(kind, list.length ? list : [one]);
        for (const [v, s] of [[0, null], [valid, null], [valid, sel]] as const) {
          const r = h.agree(`filter_in_${kind} n ${n} list ${list.length}`, (k) => {
            const selIn = s ? h.put('i32', s) : 0, out = h.alloc(4 * n);
            const fn = k[`filter_in_${kind}`] as (...a: unknown[]) => number;
            return h.read('i32', out, fn(col, v, n, pl, list.length, selIn, s ? s.length : 0, out));
          });
          if (v === 0 && s === null && kind !== 'f64') assert.deepEqual(r, data.flatMap((x, i) => (list.includes(x) ? [i] : [])));
        }
      }
      h.reset();
    }
  }
});

test('filter_codes: rows chosen by their word\'s byte, NULL rows by nullPass, equal to the JS reference and to a direct expansion', () => {
  for (const n of LENGTHS) {
    for (const words of [1, 3, 200]) {
      const codes = Array.from({ length: n }, () => h.int(0, words - 1));
      const pc = h.put('i32', codes);
      const pass = Array.from({ length: words }, () => (h.rand() < 0.4 ? 1 : 0));
      const pp = h.put('u8', pass);
      const [valid, bits] = h.validity(n);
      const sel = h.subset(n);
      for (const [v, s] of [[0, null], [valid, null], [valid, sel], [0, sel], [valid, []]] as const) {
        for (const nullPass of [0, 1]) {
          const r = h.agree(`filter_codes n ${n} words ${words} nullPass ${nullPass}`, (k) => {
            const selIn = s ? h.put('i32', s.length ? s : [0]) : 0, out = h.alloc(4 * n);
            return h.read('i32', out, k.filter_codes(pc, v, n, pp, nullPass, selIn, s ? s.length : 0, out));
          });
          const rows = s ?? Array.from({ length: n }, (_, i) => i);
          assert.deepEqual(r, rows.filter((i) => (v !== 0 && !bits[i] ? nullPass === 1 : pass[codes[i]!] === 1)));
        }
      }
      h.reset();
    }
  }
});
