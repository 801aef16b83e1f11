// Tests of the durable store (host/storage/durable): block files round-trip every type with the
// right zone maps and detect corruption; a data directory keeps the catalog and the committed rows
// across reopen (also with another slice count); the lock file, garbage collection at open,
// transactions, and a failed fsync or write stopping the engine instead of continuing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isValid, vectorFromValues, type Vector } from '../../host/batch/vector.js';
import { SqlError } from '../../host/common/errors.js';
import { Engine, type EngineOptions } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { decodeBlock, encodeBlock } from '../../host/storage/durable/block.js';
import { nodeFileOps, type FileOps } from '../../host/storage/durable/file-ops.js';
import { LOCK_FILE } from '../../host/storage/durable/lock-file.js';
import { MANIFEST_FILE, MANIFEST_TEMP } from '../../host/storage/durable/manifest.js';
import { T, type SqlType } from '../../host/types/sql-type.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'wasmshift-durable-'));
const OPTS: EngineOptions = { workers: false, slices: 2, memoryBytes: 256 << 20 };

async function openEngine(dir: string, extra: EngineOptions = {}): Promise<{ engine: Engine; run(sql: string): Promise<unknown[][]> }> {
  const engine = await Engine.create({ ...OPTS, data: dir, ...extra });
  const s = new Session(engine);
  return { engine, run: async (sql) => { const r = await s.execute(sql); return r[r.length - 1]!.rows; } };
}

const generation = (dir: string) => (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { generation: number }).generation;

describe('block files', () => {
  const cases: [SqlType, unknown[]][] = [
    [T.bool, [true, null, false, true]],
    [T.int2, [3, -32768, null, 32767]],
    [T.int4, [7, null, -2147483648, 2147483647, 0]],
    [T.int8, [5n, null, -9223372036854775808n, 9223372036854775807n]],
    [T.float4, [1.5, null, -0.25, Math.fround(3.1)]],
    [T.float8, [2.5, null, -Infinity, NaN, 1e300]],
    [T.numeric(18, 2), [12345n, null, -99n]],
    [T.numeric(38, 2), [123456789012345678901234567890n, null, -5n]],
    [T.varcharN(20), ['zeta', null, 'alpha', 'Ünïcode €', '😀', '']],
    [T.date, [0, -730000, null, 20000]],
    [T.timestamp, [0n, 1700000000000000n, null]],
    [T.bytea, [new Uint8Array([1, 2, 3]), null, new Uint8Array([])]],
    [T.interval, [{ months: 1, days: 2, micros: 3 }, null]],
  ];
  for (const [type, values] of cases) {
    it(`round-trips ${type.id}${type.precision ? `(${type.precision})` : ''} with its zone map`, () => {
      const v = vectorFromValues(type, values);
      const { bytes, zone } = encodeBlock(v);
      const back = decodeBlock(bytes, 'x.blk');
      assert.deepEqual(back.zone, zone);
      assert.equal(back.vector.length, values.length);
      const got = (x: Vector, i: number) => (isValid(x, i) ? (type.id === 'bool' ? x.data[i] === 1 : x.data[i]) : null);
      values.forEach((val, i) => {
        const g = got(back.vector, i);
        if (typeof val === 'number' && Number.isNaN(val)) assert.ok(Number.isNaN(g as number));
        else assert.deepEqual(g, val, `row ${i}`);
      });
      const present = values.filter((x) => x !== null);
      assert.equal(zone.nulls, values.length - present.length);
      assert.equal(zone.rows, values.length);
      if (type.id === 'bytea' || type.id === 'interval') { assert.equal(zone.min, null); return; }
      const text = (x: unknown) => (typeof x === 'boolean' ? String(x ? 1 : 0) : String(x));
      if (type.id === 'varchar') {
        const sorted = [...present as string[]].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        assert.equal(zone.min, sorted[0]);
        assert.equal(zone.max, sorted.at(-1));
      } else {
        const sorted = [...present].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0));
        assert.equal(zone.min, text(sorted[0]));
        assert.equal(zone.max, text(sorted.at(-1)));
      }
    });
  }

  it('detects a flipped byte, a truncated file and a foreign file (XX001)', () => {
    const { bytes } = encodeBlock(vectorFromValues(T.int4, [1, 2, 3]));
    const flipped = bytes.slice();
    flipped[flipped.length - 2]! ^= 0x10;
    assert.throws(() => decodeBlock(flipped, 'a.blk'), (e: SqlError) => e.code === 'XX001' && /checksum/.test(e.message));
    assert.throws(() => decodeBlock(bytes.subarray(0, bytes.length - 1), 'a.blk'), (e: SqlError) => e.code === 'XX001');
    assert.throws(() => decodeBlock(new TextEncoder().encode('hello, not a block at all'), 'a.blk'), (e: SqlError) => e.code === 'XX001');
  });
});

describe('data directory', () => {
  it('keeps tables, views, schemas, users and identity counters across reopen, also with another slice count', async () => {
    const dir = tempDir();
    try {
      const a = await openEngine(dir);
      await a.run(`create schema sales`);
      await a.run(`create table sales.t (id int identity(1, 1), k int, s varchar(30), n numeric(12, 2), d date, ts timestamp, f float8, b bool)
        diststyle key distkey(k) compound sortkey(d)`);
      await a.run(`create table e (x int) diststyle all`);
      await a.run(`create user alice password 'Secret123'`);
      let values = '';
      for (let i = 0; i < 300; i++) values += `${i ? ',' : ''}(${i % 17}, ${i % 5 === 0 ? 'null' : `'s${i}'`}, ${i}.25, '2024-01-01'::date + ${i}, '2024-01-01 10:00:00', ${i / 4}, ${i % 2 === 0})`;
      await a.run(`insert into sales.t (k, s, n, d, ts, f, b) values ${values}`);
      await a.run(`create view sales.v as select k, count(*) as c from sales.t group by k`);
      const before = await a.run(`select * from sales.t order by id`);
      const viewBefore = await a.run(`select * from sales.v order by k`);
      await a.engine.close();
      for (const slices of [2, 3, 1]) {
        const b = await openEngine(dir, { slices });
        assert.deepEqual(await b.run(`select * from sales.t order by id`), before, `rows with ${slices} slices`);
        assert.deepEqual(await b.run(`select * from sales.v order by k`), viewBefore);
        assert.deepEqual(await b.run(`select count(*) from e`), [[0n]]);
        const def = b.engine.catalog.find('t', 'sales', []);
        assert.ok(def && def.kind === 'table');
        assert.equal(def.diststyle, 'KEY');
        assert.equal(def.columns[def.distkey]!.name, 'k');
        assert.deepEqual(def.sortkey, { style: 'COMPOUND', columns: [4] });
        assert.ok(b.engine.catalog.users.has('alice'));
        await b.engine.close();
      }
      const c = await openEngine(dir);
      await c.run(`insert into sales.t (k) values (1)`);
      assert.deepEqual(await c.run(`select max(id) from sales.t`), [[301]], 'the identity counter continues');
      const oid = c.engine.catalog.allocOid();
      assert.ok(oid > c.engine.catalog.find('v', 'sales', [])!.oid, 'oids are not reused');
      await c.engine.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('refuses a directory another engine holds (55006) and takes over a stale lock', async () => {
    const dir = tempDir();
    try {
      const a = await openEngine(dir);
      await assert.rejects(openEngine(dir), (e: SqlError) => e.code === '55006' && /wasmshift\.pid/.test(e.message));
      await a.engine.close();
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
      // A lock left by a process that has exited (as after kill -9).
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(join(dir, LOCK_FILE), `${dead.stdout}\n`);
      const b = await openEngine(dir);
      assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8').split('\n')[0], String(process.pid));
      await b.engine.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('deletes files no manifest references at open, and old blocks after a commit', async () => {
    const dir = tempDir();
    try {
      const a = await openEngine(dir);
      await a.run(`create table t (x int, s varchar(10)) diststyle even`);
      await a.run(`insert into t values (1, 'a'), (2, 'b'), (3, 'c')`);
      const oid = a.engine.catalog.find('t', 'public', [])!.oid;
      const files = () => nodeFileOps.list(join(dir, 'base', String(oid))).sort();
      const first = files();
      assert.equal(first.length, 4, 'one block per column per non-empty slice');
      await a.run(`delete from t where x = 1`);
      const second = files();
      assert.equal(second.some((f) => first.includes(f) && !second.includes(f)), false);
      assert.ok(first.some((f) => !second.includes(f)), 'rewritten blocks are deleted after the commit');
      await a.engine.close();
      writeFileSync(join(dir, 'base', String(oid), '0-0-999999.blk'), 'stray');
      mkdirSync(join(dir, 'base', '424242'));
      writeFileSync(join(dir, 'base', '424242', '0-0-1.blk'), 'stray');
      writeFileSync(join(dir, MANIFEST_TEMP), '{"half": ');
      const b = await openEngine(dir);
      assert.deepEqual(files(), second);
      assert.equal(existsSync(join(dir, 'base', '424242')), false);
      assert.equal(existsSync(join(dir, MANIFEST_TEMP)), false);
      assert.deepEqual(await b.run(`select x, s from t order by x`), [[2, 'b'], [3, 'c']]);
      await b.run(`drop table t`);
      assert.equal(existsSync(join(dir, 'base', String(oid))), false, 'a dropped table leaves no folder');
      await b.engine.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('writes at COMMIT, not before, and not for reads; ROLLBACK leaves nothing on disk', async () => {
    const dir = tempDir();
    try {
      const a = await openEngine(dir);
      await a.run(`create table t (x int)`);
      const g0 = generation(dir);
      await a.run(`select * from t`);
      assert.equal(generation(dir), g0, 'a SELECT writes nothing');
      await a.run(`begin`);
      await a.run(`insert into t values (1), (2)`);
      assert.equal(generation(dir), g0, 'nothing is written inside the transaction');
      await a.run(`commit`);
      assert.equal(generation(dir), g0 + 1);
      await a.run(`begin`);
      await a.run(`insert into t values (3)`);
      await a.run(`rollback`);
      assert.equal(generation(dir), g0 + 1);
      await a.engine.close();
      const b = await openEngine(dir);
      assert.deepEqual(await b.run(`select x from t order by x`), [[1], [2]]);
      await b.engine.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('a block whose bytes changed on disk fails the statement that reads it with XX001; close releases the lock', async () => {
    const dir = tempDir();
    try {
      const a = await openEngine(dir);
      await a.run(`create table t (x int) diststyle all`);
      await a.run(`insert into t values (1), (2), (3)`);
      const oid = a.engine.catalog.find('t', 'public', [])!.oid;
      await a.engine.close();
      const [f] = nodeFileOps.list(join(dir, 'base', String(oid)));
      const path = join(dir, 'base', String(oid), f!);
      const bytes = readFileSync(path);
      bytes[bytes.length - 3]! ^= 1;
      writeFileSync(path, bytes);
      // Blocks are read when a query needs them (docs/adr/0012-chunk-residency.md), not at open.
      const b = await openEngine(dir);
      await assert.rejects(b.run('select sum(x) from t'), (e: SqlError) => e.code === 'XX001');
      await b.engine.close();
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('I/O failures stop the engine', () => {
  /** node:fs with fsync (or write) failing once armed; counts the calls made after the failure. */
  function faultyFs(kind: 'fsync' | 'write', code: string): { fs: FileOps; arm(): void; callsAfterFailure(): number } {
    let armed = false, failed = false, after = 0;
    const fail = () => { failed = true; throw Object.assign(new Error(`${code}: simulated`), { code }); };
    const fs: FileOps = {
      ...nodeFileOps,
      fsync: (fd) => { if (failed) after++; if (armed && kind === 'fsync') fail(); nodeFileOps.fsync(fd); },
      write: (fd, d) => { if (failed) after++; if (armed && kind === 'write') fail(); nodeFileOps.write(fd, d); },
      rename: (a, b) => { if (failed) after++; nodeFileOps.rename(a, b); },
    };
    return { fs, arm: () => { armed = true; }, callsAfterFailure: () => after };
  }

  for (const [kind, code, sqlstate] of [['fsync', 'EIO', '58030'], ['write', 'ENOSPC', '53100']] as const) {
    it(`a failed ${kind} (${code}) fails the statement with a PANIC, never retries, and refuses every later statement`, async () => {
      const dir = tempDir();
      try {
        const f = faultyFs(kind, code);
        const fatal: SqlError[] = [];
        const a = await openEngine(dir, { storage: { fs: f.fs, onFatal: (e) => { fatal.push(e); } } });
        await a.run(`create table t (x int)`);
        await a.run(`insert into t values (1)`);
        f.arm();
        await assert.rejects(a.run(`insert into t values (2)`), (e: SqlError) => e.code === sqlstate && e.severity === 'PANIC');
        assert.equal(fatal.length, 1);
        assert.equal(a.engine.closed, true);
        await assert.rejects(a.run(`insert into t values (3)`), (e: SqlError) => e.code === '57P01');
        await assert.rejects(a.run(`select 1`), (e: SqlError) => e.code === '57P01');
        await a.engine.close();
        assert.equal(f.callsAfterFailure(), 0, 'no fsync, write or rename after the failure');
        assert.equal(fatal.length, 1);
        const b = await openEngine(dir);
        assert.deepEqual(await b.run(`select x from t`), [[1]], 'the directory holds the last good commit');
        await b.engine.close();
      } finally { rmSync(dir, { recursive: true, force: true }); }
    });
  }

  it('by default a failed fsync exits the process before the statement is acknowledged', async () => {
    const dir = tempDir();
    const tmp = tempDir();
    try {
      const child = fileURLToPath(new URL('./crash-child.js', import.meta.url));
      const r = spawnSync(process.execPath, [child, '--crash-child', dir, '3', '0', '5', tmp, '--fail-fsync'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /PANIC: +could not fsync file/);
      assert.equal(r.stdout.trim(), 'READY', 'no op was acknowledged');
      const b = await openEngine(dir);
      assert.deepEqual(await b.run(`select count(*) from pg_tables where schemaname = 'public'`), [[0n]]);
      await b.engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
