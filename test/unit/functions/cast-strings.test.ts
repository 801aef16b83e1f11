// String-to-string casts of whole vectors (host/functions/cast.ts castVector): the casts that cannot
// change a value keep the vector as it is, and every cast gives what castValue gives row by row
// (CHAR's padding dropped on the way to VARCHAR or TEXT, VARCHAR(n) cut at n bytes, CHAR(n) padded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { castValue, castVector } from '../../../host/functions/cast.js';
import type { Vector } from '../../../host/batch/vector.js';
import type { SqlType } from '../../../host/types/sql-type.js';

const TYPES: Record<string, SqlType> = {
  'char(5)': { id: 'bpchar', length: 5 },
  'char': { id: 'bpchar' },
  'varchar(3)': { id: 'varchar', length: 3 },
  'varchar(5)': { id: 'varchar', length: 5 },
  'varchar(10)': { id: 'varchar', length: 10 },
  'varchar': { id: 'varchar' },
  'text': { id: 'text' },
  'name': { id: 'name' },
};

const TEXTS = ['ab', 'ab   ', 'abcde', '', ' x', 'é', 'déjà', 'abcdefgh', null];

/** A vector of `from` holding the texts as a `from` column would hold them (cast on the way in). */
function column(from: SqlType): Vector {
  const data = TEXTS.map((t) => (t === null ? '' : (castValue(t, { id: 'text' }, from) as string)));
  const valid = new Uint8Array([0b1111_1111, 0b0000_0000]);
  return { type: from, length: data.length, data, valid } as Vector;
}

test('a string cast of a vector gives what castValue gives for each row', () => {
  for (const [fromName, from] of Object.entries(TYPES)) {
    for (const [toName, to] of Object.entries(TYPES)) {
      const v = column(from);
      const out = castVector(v, to, v.length);
      assert.equal(out.type, to, `${fromName} -> ${toName}: type`);
      assert.ok(out.valid !== null && (out.valid[1]! & 1) === 0, `${fromName} -> ${toName}: the NULL row stays NULL`);
      for (let i = 0; i < TEXTS.length - 1; i++) {
        const want = castValue((v.data as string[])[i], from, to);
        assert.equal((out.data as string[])[i], want, `${fromName} -> ${toName}: ${JSON.stringify((v.data as string[])[i])}`);
      }
    }
  }
});

test('casts that keep every value keep the vector; the others make new values', () => {
  const kept = (f: string, t: string): boolean => {
    const v = column(TYPES[f]!);
    return castVector(v, TYPES[t]!, v.length).data === v.data;
  };
  // to CHAR without a length: nothing padded, nothing cut (how CHAR(n) = 'literal' is bound)
  assert.equal(kept('char(5)', 'char'), true);
  assert.equal(kept('varchar(5)', 'char'), true);
  assert.equal(kept('text', 'char'), true);
  // VARCHAR(n) into a wider or unbounded VARCHAR or TEXT
  assert.equal(kept('varchar(5)', 'varchar(10)'), true);
  assert.equal(kept('varchar(5)', 'varchar'), true);
  assert.equal(kept('varchar(5)', 'text'), true);
  assert.equal(kept('text', 'varchar'), true);
  // CHAR to VARCHAR or TEXT drops the padding; narrower VARCHAR cuts; CHAR(n) pads
  assert.equal(kept('char(5)', 'varchar'), false);
  assert.equal(kept('char(5)', 'text'), false);
  assert.equal(kept('varchar(10)', 'varchar(5)'), false);
  assert.equal(kept('text', 'varchar(5)'), false);
  assert.equal(kept('varchar(3)', 'char(5)'), false);
});
