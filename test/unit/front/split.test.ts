// Tests of statement splitting and the tokenizer under it (host/front/split.ts, lexer.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../../host/front/split.js';
import { tokenize } from '../../../host/front/lexer.js';

test('splits at top-level semicolons and drops empty statements', () => {
  const sql = 'select 1;  ;select 2 ;\n\n';
  const parts = splitStatements(sql);
  assert.deepEqual(parts.map((p) => p.text), ['select 1', 'select 2']);
  for (const p of parts) assert.equal(sql.slice(p.offset, p.offset + p.text.length), p.text);
});

test('semicolons inside quotes, identifiers, dollar quotes and comments do not split', () => {
  const sql = [
    "select 'a;b', 'it''s;'",
    'select "x;y" from t',
    "select E'\\';' as e",
    'select $$ ; $$, $fn$ ; $$ ; $fn$',
    'select 1 -- ; comment\n + 2',
    'select /* a /* nested ; */ still ; comment */ 3',
  ].join(';\n');
  const parts = splitStatements(sql);
  assert.equal(parts.length, 6);
  assert.equal(parts[2]!.text, "select E'\\';' as e");
  assert.equal(parts[3]!.text, 'select $$ ; $$, $fn$ ; $$ ; $fn$');
  assert.equal(parts[5]!.text, 'select /* a /* nested ; */ still ; comment */ 3');
  for (const p of parts) assert.equal(sql.slice(p.offset, p.offset + p.text.length), p.text);
});

test('a comment-only or blank input yields no statements', () => {
  assert.deepEqual(splitStatements(''), []);
  assert.deepEqual(splitStatements('  -- just a comment\n /* and another */ ;; '), []);
});

test('an unterminated quote runs to the end without throwing', () => {
  const parts = splitStatements("select 1; select 'abc; select 2");
  assert.equal(parts.length, 2);
  assert.equal(parts[1]!.text, "select 'abc; select 2");
});

test('tokenizer decodes strings, identifiers, parameters and numbers', () => {
  const toks = tokenize(`SELECT "Mixed""Case", 'o''k', E'a\\nb', $1, 1.5e3, .5, a::int, x$y, U&"d\\0061t"`);
  const kinds = toks.map((t) => `${t.kind}:${t.value}`);
  assert.deepEqual(kinds, [
    'word:select', 'ident:Mixed"Case', 'punct:,', "string:o'k", 'punct:,', 'string:a\nb', 'punct:,', 'param:1', 'punct:,',
    'number:1.5e3', 'punct:,', 'number:.5', 'punct:,', 'word:a', 'op:::', 'word:int', 'punct:,', 'word:x$y', 'punct:,', 'ident:d\\0061t',
  ]);
});

test('dollar-quote tags must match, and $1 is a parameter not a tag', () => {
  const toks = tokenize('select $a$ $b$ x $b$ $a$, $1');
  assert.equal(toks[1]!.kind, 'string');
  assert.equal(toks[1]!.value, ' $b$ x $b$ ');
  assert.equal(toks[3]!.kind, 'param');
});

test('an operator stops at a comment start', () => {
  const toks = tokenize('a +-- c\n b');
  assert.deepEqual(toks.map((t) => t.value), ['a', '+', 'b']);
});
