// Robustness of the front-end on malformed input: any text either parses or fails with a SqlError
// carrying a SQLSTATE and a position inside the text; never a TypeError or a hang.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseStatements } from '../../../host/front/parse.js';
import { SqlError } from '../../../host/common/errors.js';

before(async () => { await initParser(); });

const FRAGMENTS = [
  'select', 'top', '10', 'approximate', 'count', '(', ')', 'distinct', 'x', ',', 'from', 't', 'where', 'qualify', 'minus',
  '#tmp', '#', 'create', 'table', 'distkey', 'sortkey', 'compound', 'diststyle', 'key', 'encode', 'zstd', 'identity', '1',
  'copy', 'unload', "'s3://b'", "'q''x'", 'iam_role', 'default', 'format', 'as', 'csv', 'delimiter', "'|'", 'to', 'stdout',
  'stdin', 'with', 'alter', 'show', 'tables', 'varchar', 'max', ';', '$$', '$1', '/*', '*/', '--', '\n', '"id"', "E'\\n'",
  'vacuum', 'boost', 'percent', 'analyze', 'compression', 'é', '日本', '😀', 'interleaved', 'backup', 'no', 'generated', 'by',
];

test('random token soups parse or fail with a positioned SqlError', () => {
  let seed = 42;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  let failures = 0;
  for (let k = 0; k < 3000; k++) {
    const parts: string[] = [];
    const len = 1 + rnd(14);
    for (let j = 0; j < len; j++) parts.push(FRAGMENTS[rnd(FRAGMENTS.length)]!);
    const sql = parts.join(rnd(3) === 0 ? '' : ' ');
    try {
      parseStatements(sql);
    } catch (e) {
      failures++;
      assert.ok(e instanceof SqlError, `${String(e)} for ${JSON.stringify(sql)}`);
      assert.match(String(e.code), /^(42601|22023|0A000)$/, sql);
      if (e.position !== undefined) {
        assert.ok(e.position >= 1 && e.position <= [...sql].length + 1, `position ${e.position} for ${JSON.stringify(sql)}`);
      }
    }
  }
  assert.ok(failures > 0);
});
