// Temporary tables as Redshift has them ("CREATE TABLE", TEMPORARY): each session's live in its own
// schema (pg_temp_N), shadow permanent tables of the same name for that session only, may share a
// name with another session's, and are dropped with their data when the session closes; a data
// directory never keeps them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Database } from '../../host/index.js';
import type { SessionApi } from '../../host/session/api.js';

const rowsOf = async (s: SessionApi, sql: string) => { const r = await s.execute(sql); return r[r.length - 1]!.rows; };
const codeOf = async (p: Promise<unknown>) => { try { await p; return 'ok'; } catch (e) { return (e as { code?: string }).code; } };
const tempSchemas = (s: SessionApi) => rowsOf(s, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pg_temp_%' ORDER BY 1");

describe('temporary tables', () => {
  let db: Database;
  before(async () => { db = await open({ slices: 2, workers: false }); });
  after(async () => { await db.close(); });

  it('are private to their session and shadow a permanent table of the same name', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TABLE tt_shadow (v INT); INSERT INTO tt_shadow VALUES (100)');
    await a.execute('CREATE TEMP TABLE tt_shadow (v INT); INSERT INTO tt_shadow VALUES (1)');
    assert.deepEqual(await rowsOf(a, 'SELECT v FROM tt_shadow'), [[1]]);
    assert.deepEqual(await rowsOf(a, 'SELECT v FROM public.tt_shadow'), [[100]], 'the permanent one by its schema');
    assert.deepEqual(await rowsOf(b, 'SELECT v FROM tt_shadow'), [[100]], 'another session sees the permanent one');
    // the same temporary name in another session, with the # form and CTAS
    await b.execute('CREATE TEMPORARY TABLE tt_shadow (w VARCHAR(4)); INSERT INTO tt_shadow VALUES (\'b\')');
    await b.execute('CREATE TABLE #tt_hash (v INT); INSERT INTO #tt_hash VALUES (2)');
    await b.execute('CREATE TEMP TABLE tt_ctas AS SELECT v * 3 AS v FROM #tt_hash');
    assert.deepEqual(await rowsOf(b, 'SELECT w FROM tt_shadow'), [['b']]);
    assert.deepEqual(await rowsOf(b, 'SELECT v FROM tt_ctas'), [[6]]);
    assert.equal(await codeOf(a.execute('SELECT * FROM tt_ctas')), '42P01');
    assert.equal(await codeOf(a.execute('SELECT * FROM #tt_hash')), '42P01');
    // an unqualified CREATE TABLE still goes to the current schema, not the temporary one
    await a.execute('CREATE TABLE tt_plain (v INT)');
    assert.deepEqual(await rowsOf(a, "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'tt_plain'"), [['public']]);
    assert.deepEqual(await rowsOf(a, 'SELECT current_schema()'), [['public']]);
    assert.equal((await tempSchemas(a)).length, 2);
    await a.close(); await b.close();
  });

  it('go away with their session, and the name is free again', async () => {
    const a = await db.session();
    await a.execute('CREATE TEMP TABLE tt_gone (v INT); INSERT INTO tt_gone VALUES (1), (2)');
    const before = (await tempSchemas(a)).length;
    await a.close();
    const b = await db.session();
    assert.equal((await tempSchemas(b)).length, before - 1, "the closed session's schema is dropped");
    assert.equal(await codeOf(b.execute('SELECT * FROM tt_gone')), '42P01');
    await b.execute('CREATE TEMP TABLE tt_gone (v INT); INSERT INTO tt_gone VALUES (3)');
    assert.deepEqual(await rowsOf(b, 'SELECT v FROM tt_gone'), [[3]]);
    // a temporary table of a rolled-back block never existed
    await b.execute('BEGIN; CREATE TEMP TABLE tt_rolled (v INT); ROLLBACK');
    assert.equal(await codeOf(b.execute('SELECT * FROM tt_rolled')), '42P01');
    await b.close();
  });

  it('cannot be created in a named permanent schema (42P16); pg_temp names the session schema', async () => {
    const a = await db.session();
    assert.equal(await codeOf(a.execute('CREATE TEMP TABLE public.tt_bad (v INT)')), '42P16');
    await a.execute('CREATE TEMP TABLE pg_temp.tt_alias (v INT); INSERT INTO tt_alias VALUES (9)');
    assert.deepEqual(await rowsOf(a, 'SELECT v FROM tt_alias'), [[9]]);
    await a.close();
  });

  it("another session cannot read them by their schema's name (0A000)", async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TEMP TABLE tt_private (v INT); INSERT INTO tt_private VALUES (5)');
    const [[schema]] = await rowsOf(a, "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'tt_private'") as [[string]];
    assert.match(schema, /^pg_temp_\d+$/);
    assert.deepEqual(await rowsOf(a, `SELECT v FROM ${schema}.tt_private`), [[5]], 'its own session may name the schema');
    assert.deepEqual(await rowsOf(a, 'SELECT v FROM pg_temp.tt_private'), [[5]]);
    assert.equal(await codeOf(b.execute(`SELECT v FROM ${schema}.tt_private`)), '0A000');
    assert.equal(await codeOf(b.execute(`INSERT INTO ${schema}.tt_private VALUES (6)`)), '0A000');
    assert.equal(await codeOf(b.execute(`DROP TABLE ${schema}.tt_private`)), '0A000');
    assert.equal(await codeOf(b.execute(`CREATE TABLE ${schema}.tt_intruder (v INT)`)), '42P16');
    assert.equal(await codeOf(b.execute('SELECT v FROM pg_temp.tt_private')), '42P01', "pg_temp is the session's own schema");
    assert.deepEqual(await rowsOf(a, 'SELECT v FROM tt_private'), [[5]], 'nothing changed');
    await a.close(); await b.close();
  });

  it('a view that reads one is temporary too, and goes with the session', async () => {
    const a = await db.session(), b = await db.session();
    await a.execute('CREATE TEMP TABLE tt_src (v INT); INSERT INTO tt_src VALUES (1), (2)');
    const r = await a.execute('CREATE VIEW tt_view AS SELECT sum(v) AS total FROM tt_src');
    assert.deepEqual(r[0]!.notices?.map((n) => n.message), ['view "tt_view" will be a temporary view']);
    await a.execute('CREATE TEMP VIEW tt_view2 AS SELECT 7 AS seven');
    assert.deepEqual(await rowsOf(a, 'SELECT total, seven FROM tt_view, tt_view2'), [[3n, 7]]);
    assert.equal(await codeOf(b.execute('SELECT * FROM tt_view')), '42P01', 'not visible to another session');
    assert.equal(await codeOf(a.execute('CREATE VIEW public.tt_view3 AS SELECT v FROM tt_src')), '42P16');
    const kinds = await rowsOf(a, "SELECT c.relname, n.nspname LIKE 'pg_temp_%' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname LIKE 'tt_view%' ORDER BY 1");
    assert.deepEqual(kinds, [['tt_view', true], ['tt_view2', true]]);
    await a.close();
    assert.equal(await codeOf(b.execute('SELECT * FROM tt_view')), '42P01');
    assert.deepEqual(await rowsOf(b, "SELECT count(*) FROM pg_class WHERE relname LIKE 'tt_view%'"), [[0n]]);
    // a view over permanent tables stays permanent
    await b.execute('CREATE TABLE tt_perm (v INT); CREATE VIEW tt_perm_view AS SELECT v FROM tt_perm');
    assert.deepEqual(await rowsOf(b, "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'tt_perm_view'"), [['public']]);
    await b.close();
  });

  it('DROP SCHEMA ... CASCADE drops the data of its tables too', async () => {
    const a = await db.session();
    await a.execute('CREATE SCHEMA tt_s; CREATE TABLE tt_s.t (v INT); INSERT INTO tt_s.t VALUES (1)');
    await a.execute('DROP SCHEMA tt_s CASCADE');
    await a.execute('CREATE SCHEMA tt_s; CREATE TABLE tt_s.t (v INT)');
    assert.deepEqual(await rowsOf(a, 'SELECT count(*) FROM tt_s.t'), [[0n]]);
    await a.close();
  });

  it('are not kept by a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmshift-temp-'));
    try {
      const d1 = await open({ slices: 2, workers: false, data: dir });
      const s = await d1.session();
      await s.execute('CREATE TABLE keep_me (v INT); INSERT INTO keep_me VALUES (1)');
      await s.execute('CREATE TEMP TABLE drop_me (v INT); INSERT INTO drop_me VALUES (2)');
      await s.execute('CREATE VIEW drop_me_view AS SELECT v FROM drop_me');
      await d1.close();
      const d2 = await open({ slices: 2, workers: false, data: dir });
      const t = await d2.session();
      assert.deepEqual(await rowsOf(t, 'SELECT v FROM keep_me'), [[1]]);
      assert.equal(await codeOf(t.execute('SELECT * FROM drop_me')), '42P01');
      assert.equal(await codeOf(t.execute('SELECT * FROM drop_me_view')), '42P01');
      assert.deepEqual(await tempSchemas(t), []);
      await d2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
