// Float text of UNLOAD (host/unload/value-text.ts): every double and every float32 reads back to itself, in
// the %g layout Redshift prints (exponent outside 1e-4 .. 1e15), over edge values and 200k pseudo-random bit
// patterns (a fixed-seed generator, so a failure repeats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundTripFloat } from '../../host/unload/value-text.js';

test('edge values print as %g and read back exactly', () => {
  const cases: [number, boolean, string][] = [
    [0.1, false, '0.1'], [1e300, false, '1e+300'], [5e-324, false, '4.94065645841247e-324'], [-0, false, '-0'],
    [1 / 3, false, '0.3333333333333333'], [123456789012345, false, '123456789012345'], [1e15, false, '1e+15'],
    [0.0001, false, '0.0001'], [0.00001, false, '1e-05'], [NaN, false, 'NaN'], [-Infinity, false, '-Infinity'],
    [Math.fround(0.1), true, '0.1'], [Math.fround(3.4028234663852886e38), true, '3.4028235e+38'], [16777216, true, '16777216'],
  ];
  for (const [v, f4, want] of cases) {
    const s = roundTripFloat(v, f4);
    assert.equal(s, want, String(v));
    if (!Number.isNaN(v)) assert.ok(Object.is(f4 ? Math.fround(Number(s)) : Number(s), v), s);
  }
});

test('random doubles and float32 values read back to the same bits', () => {
  let seed = 0x2545f491;
  const next = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  const buf = new Float64Array(1);
  const words = new Uint32Array(buf.buffer);
  for (let i = 0; i < 200000; i++) {
    words[0] = next(); words[1] = next();
    const v = buf[0]!;
    if (!Number.isFinite(v)) continue;
    assert.ok(Object.is(Number(roundTripFloat(v, false)), v), String(v));
    const f = Math.fround(v);
    if (Number.isFinite(f)) assert.ok(Object.is(Math.fround(Number(roundTripFloat(f, true))), f), String(f));
  }
});
