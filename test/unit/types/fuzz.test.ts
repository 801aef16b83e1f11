// Robustness of text input on malformed values: every type either parses or fails with a SqlError
// whose SQLSTATE is in class 22 (data exception), as COPY and casts must report bad fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../../host/types/text-parse.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import { SqlError } from '../../../host/common/errors.js';

const TYPES: SqlType[] = [T.bool, T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric(10, 2), T.numeric(38, 0), T.date,
  T.timestamp, T.timestamptz, T.time, T.interval, T.varcharN(5), T.bpchar(3), T.bytea];
const PIECES = ['1', '2020', '-', '+', ':', '.', ' ', 'e', '5', '12', '31', '13', 'jan', 'BC', 'T', 'Z', '/', 'day', 'year',
  'nan', 'inf', 'x', '\\', '\\x', '0', '99999999999999999999', 'P', 'ago', '@', 'am', 'pm', 'America/New_York', 'é'];

test('random values parse or fail with a class-22 SqlError', () => {
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 5000; k++) {
    const parts: string[] = [];
    const len = 1 + rnd(8);
    for (let j = 0; j < len; j++) parts.push(PIECES[rnd(PIECES.length)]!);
    const text = parts.join('');
    for (const type of TYPES) {
      try {
        parseText(text, type);
      } catch (e) {
        assert.ok(e instanceof SqlError, `${String(e)} for ${JSON.stringify(text)} as ${type.id}`);
        assert.match(String(e.code), /^22/, `${e.code} ${e.message} for ${JSON.stringify(text)} as ${type.id}`);
      }
    }
  }
});
