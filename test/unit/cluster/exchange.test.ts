// Exchanges through shared-memory buffers (host/cluster/exchange-buffer.ts): slice workers route
// rows by hash themselves and post descriptors; results equal a plain JS computation over the same
// rows; every buffer page goes back to the allocator when a statement ends, including when it fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';

const ROWS = 260_000; // above the 200K rows a fragment needs to run on the worker pool
let engine: Engine;
let session: Session;
const run = async (sql: string) => { const r = await session.execute(sql); return r[r.length - 1]!.rows!; };

/** The rows both tables are filled with, computed here as the oracle. */
const fact = (i: number) => ({ id: i, k: (i * 7919) % 1000, v: i % 97 === 0 ? null : `v${i % 13}`, d: (i % 50) * 25 });

before(async () => {
  engine = await Engine.create({ slices: 3, memoryBytes: 1 << 30 });
  session = new Session(engine);
  await run('CREATE TABLE f (id INT, k INT, v VARCHAR(8), d DECIMAL(10,2)) DISTSTYLE EVEN');
  await run('CREATE TABLE g (k INT, w INT) DISTKEY (w)');
  for (let start = 0; start < ROWS; start += 20_000) {
    const vals: string[] = [];
    for (let i = start; i < Math.min(ROWS, start + 20_000); i++) {
      const r = fact(i);
      vals.push(`(${r.id}, ${r.k}, ${r.v === null ? 'NULL' : `'${r.v}'`}, ${(r.d / 100).toFixed(2)})`);
    }
    await run(`INSERT INTO f VALUES ${vals.join(',')}`);
  }
  const gv: string[] = [];
  for (let k = 0; k < 1000; k += 2) gv.push(`(${k}, ${k % 5})`);
  await run(`INSERT INTO g VALUES ${gv.join(',')}`);
  await run('CREATE TABLE h (k INT, name VARCHAR(40)) DISTSTYLE EVEN');
  const hv: string[] = [];
  for (let k = 0; k < 1000; k += 3) hv.push(`(${k}, ${hName(k) === null ? 'NULL' : `'${hName(k)}'`})`);
  await run(`INSERT INTO h VALUES ${hv.join(',')}`);
});

/** h's names: distinct per key (multi-byte text, some empty, some NULL). */
const hName = (k: number): string | null => (k % 99 === 0 ? null : k % 45 === 0 ? '' : `näme ${k} 𝄞`);
after(async () => { await engine?.close(); });

const inUse = () => engine.store.allocator.bytesInUse();

test('a redistributed join (hash exchanges on both sides) matches the JS oracle and frees its buffers', async () => {
  const base = inUse();
  const rows = await run('SELECT g.w, count(*), count(f.v), sum(f.d), min(f.id), max(f.id) FROM f JOIN g ON f.k = g.k GROUP BY g.w ORDER BY g.w');
  const want = new Map<number, { n: number; nv: number; sum: number; min: number; max: number }>();
  for (let i = 0; i < ROWS; i++) {
    const r = fact(i);
    if (r.k % 2 !== 0) continue;
    const w = r.k % 5;
    const e = want.get(w) ?? { n: 0, nv: 0, sum: 0, min: Infinity, max: -Infinity };
    e.n++; if (r.v !== null) e.nv++; e.sum += r.d; e.min = Math.min(e.min, r.id); e.max = Math.max(e.max, r.id);
    want.set(w, e);
  }
  const expected = [...want].sort((a, b) => a[0] - b[0]).map(([w, e]) => [w, BigInt(e.n), BigInt(e.nv), BigInt(e.sum), e.min, e.max]);
  assert.deepEqual(rows, expected);
  assert.equal(inUse(), base, 'exchange buffers are back with the allocator');
});

test('rows gathered from workers are copied out before their buffers are freed', async () => {
  const base = inUse();
  const rows = await run('SELECT id, k, v, d FROM f WHERE id % 1000 = 7 ORDER BY id');
  assert.equal(rows.length, ROWS / 1000);
  rows.forEach((r, j) => {
    const f = fact(j * 1000 + 7);
    assert.deepEqual(r, [f.id, f.k, f.v, BigInt(f.d)]);
  });
  assert.equal(inUse(), base);
});

test('a statement that fails after an exchange gives its buffers back and changes nothing', async () => {
  const base = inUse();
  await assert.rejects(run('SELECT g.w, sum(f.k / (f.id - 123456)) FROM f JOIN g ON f.k = g.k GROUP BY g.w'), { code: '22012' });
  assert.equal(inUse(), base);
  const [[n]] = await run('SELECT count(*) FROM f') as [[bigint]];
  assert.equal(n, BigInt(ROWS));
});

test('rows the leader broadcasts to the workers (diverse strings) arrive whole and their buffers are freed', async () => {
  const plan = (await run('EXPLAIN SELECT h.name, count(*) FROM f JOIN h ON f.k = h.k GROUP BY h.name')).map((r) => String(r[0])).join('\n');
  assert.match(plan, /DS_BCAST_INNER/);
  const base = inUse();
  const rows = await run('SELECT h.name, count(*), sum(f.id) FROM f JOIN h ON f.k = h.k GROUP BY h.name ORDER BY h.name');
  const want = new Map<string | null, [number, number]>();
  for (let i = 0; i < ROWS; i++) {
    const r = fact(i);
    if (r.k % 3 !== 0) continue;
    const e = want.get(hName(r.k)) ?? [0, 0];
    e[0]++; e[1] += r.id;
    want.set(hName(r.k), e);
  }
  // ORDER BY puts NULL last (PostgreSQL's default for ascending order).
  const keys = [...want.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(rows, keys.map((k) => [k, BigInt(want.get(k)![0]), BigInt(want.get(k)![1])]));
  assert.equal(inUse(), base);
});
