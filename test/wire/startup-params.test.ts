// Unit tests of startup-parameter handling (host/wire/startup-params.ts): the `options` splitter and the
// replication switch, checked against PostgreSQL's documented pg_split_opts behaviour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlError } from '../../host/common/errors.js';
import { parseOptions, wantsReplication } from '../../host/wire/startup-params.js';

describe('startup options', () => {
  it('reads -c name=value, -cname=value and --name=value forms', () => {
    assert.deepEqual(parseOptions('-c search_path=s1 -cstatement_timeout=5s --DateStyle=ISO'), [
      ['search_path', 's1'], ['statement_timeout', '5s'], ['DateStyle', 'ISO'],
    ]);
  });

  it('honours backslash-escaped spaces and maps dashes to underscores', () => {
    assert.deepEqual(parseOptions('-c application_name=my\\ app   --extra-float-digits=3'), [
      ['application_name', 'my app'], ['extra_float_digits', '3'],
    ]);
  });

  it('ignores other backend switches and fails -c without a value', () => {
    assert.deepEqual(parseOptions('-d 1 -B 8'), []);
    assert.throws(() => parseOptions('-c foo'), (e) => e instanceof SqlError && e.severity === 'FATAL');
  });

  it('recognises replication requests', () => {
    assert.equal(wantsReplication(undefined), false);
    assert.equal(wantsReplication('false'), false);
    assert.equal(wantsReplication('database'), true);
    assert.equal(wantsReplication('true'), true);
  });
});
