// LIKE matchers: the indexOf chain for literal-and-% patterns agrees with the regular-expression
// form on generated strings and patterns (including overlapping pieces, empty pieces, anchors,
// multi-byte characters), and patterns outside the fast form still use the regular expression.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { likeMatcher, likeToRegExp } from '../../../host/functions/like.js';

/** A small deterministic generator (xorshift32) so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32; };
}

const ALPHABET = ['a', 'b', 'ab', 'é', '😀', ' ', 'x'];

test('indexOf chain agrees with the regular expression on 20000 generated cases', () => {
  const r = rng(12345);
  const pick = () => ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  let fast = 0;
  for (let n = 0; n < 20_000; n++) {
    let p = '';
    for (let i = Math.floor(r() * 7); i > 0; i--) p += r() < 0.35 ? '%' : pick();
    let s = '';
    for (let i = Math.floor(r() * 10); i > 0; i--) s += pick();
    const want = likeToRegExp(p, false).test(s);
    assert.equal(likeMatcher(p, false)(s), want, `'${s}' LIKE '${p}'`);
    if (!p.includes('_')) fast++;
  }
  assert.ok(fast > 10_000);
});

test('literal-and-% patterns: anchors, overlaps and order', () => {
  const m = (p: string, s: string) => likeMatcher(p, false)(s);
  assert.equal(m('%special%requests%', 'the special deposits requests'), true);
  assert.equal(m('%special%requests%', 'requests then special'), false);
  assert.equal(m('aba%aba', 'aba'), false); // first and last pieces may not overlap
  assert.equal(m('aba%aba', 'abaaba'), true);
  assert.equal(m('ab%', 'ab'), true);
  assert.equal(m('%', ''), true);
  assert.equal(m('', ''), true);
  assert.equal(m('', 'a'), false);
  assert.equal(m('a%%b', 'ab'), true);
  assert.equal(m('%aa%aa%', 'aaa'), false);
  assert.equal(m('%aa%aa%', 'aaaa'), true);
});

test('other patterns keep regular-expression semantics (_, escapes, ILIKE)', () => {
  assert.equal(likeMatcher('a_c', false)('abc'), true);
  assert.equal(likeMatcher('a_c', false)('ac'), false);
  assert.equal(likeMatcher('100\\%', false)('100%'), true);
  assert.equal(likeMatcher('100\\%', false)('1000'), false);
  assert.equal(likeMatcher('%ABC%', true)('xabcx'), true);
  assert.equal(likeMatcher('%ABC%', false)('xabcx'), false);
  assert.equal(likeMatcher('a!%b', false, '!')('a%b'), true);
});
