// Inner joins whose outer side is a replicated (DISTSTYLE ALL) table and whose inner side is spread
// over the slices (host/plan/lower.ts: joined where the inner rows lie, DS_DIST_ALL_NONE, instead of
// hashing the replicated table's rows and strings from one slice; host/plan/rules/runtime-filter.ts:
// its scan filtered by each slice's own build keys before its strings are decoded) against DuckDB:
// string columns with NULLs, empty strings, multi-byte UTF-8, few distinct values (dictionary) and
// all distinct, NULL keys, a top-N over the joined rows (TPC-H Q2's shape), and the joins that must
// not join in place (left, semi, anti: they would repeat or lose the replicated rows); at 1 and 3
// slices, on the slice workers and on the leader only. EXPLAIN shows the placement and the filter.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const SUPPLIERS = 8_000;
const PARTSUPP_ROWS = 160_000;
const GROUPS = ['Zürich', 'São Paulo', '', 'Oslo', 'Ελλάδα', '東京', 'Lima'];

function tables(): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-replicated-outer-v1-${PARTSUPP_ROWS}`);
  mkdirSync(dir, { recursive: true });
  const sup: DiffTable = {
    name: 'ro_sup', columns: 'sk INTEGER NOT NULL, name CHAR(25), addr VARCHAR(60), grp VARCHAR(20), nk INTEGER, bal DECIMAL(10,2)',
    redshiftAttrs: 'DISTSTYLE ALL', rows: SUPPLIERS, file: join(dir, 'sup.tbl'),
  };
  const ps: DiffTable = {
    name: 'ro_ps', columns: 'pk INTEGER NOT NULL, sk INTEGER, cost DECIMAL(10,2), x INTEGER NOT NULL',
    redshiftAttrs: 'DISTKEY (pk)', rows: PARTSUPP_ROWS, file: join(dir, 'ps.tbl'),
  };
  const nation: DiffTable = {
    name: 'ro_nation', columns: 'nk INTEGER NOT NULL, nname VARCHAR(20)', redshiftAttrs: 'DISTSTYLE ALL', rows: 25, file: join(dir, 'nation.tbl'),
  };
  const rng = new Rng(31);
  const maybe = (pct: number, f: () => string): string => (rng.int(0, 99) < pct ? NULL_TEXT : f());
  if (!existsSync(sup.file)) {
    const lines: string[] = [];
    for (let sk = 0; sk < SUPPLIERS; sk++) {
      lines.push([
        String(sk),
        maybe(3, () => `Supplier#${String(sk).padStart(9, '0')}`),
        // all distinct, some empty, some multi-byte
        maybe(3, () => (sk % 97 === 0 ? '' : `${sk % 5 === 0 ? 'Straße ' : 'road '}${sk} ${'ñ'.repeat(sk % 4)}€`)),
        maybe(3, () => GROUPS[rng.int(0, GROUPS.length - 1)]!),
        maybe(2, () => String(rng.int(0, 24))),
        `${rng.int(-999, 9999)}.${String(rng.int(0, 99)).padStart(2, '0')}`,
      ].join('|'));
    }
    writeFileSync(sup.file, lines.join('\n') + '\n');
  }
  if (!existsSync(ps.file)) {
    const lines: string[] = [];
    for (let i = 0; i < PARTSUPP_ROWS; i++) {
      lines.push([String(i >> 2), maybe(2, () => String(rng.int(0, SUPPLIERS + 500))), `${rng.int(1, 999)}.${String(rng.int(0, 99)).padStart(2, '0')}`, String(rng.int(0, 999))].join('|'));
    }
    writeFileSync(ps.file, lines.join('\n') + '\n');
  }
  if (!existsSync(nation.file)) {
    writeFileSync(nation.file, Array.from({ length: 25 }, (_, i) => `${i}|${i % 6 === 0 ? 'Ñandú' : i % 7 === 0 ? '' : `nation ${i}`}`).join('\n') + '\n');
  }
  return [sup, ps, nation];
}

const QUERIES: QueryPair[] = [
  q('selective inner join, strings of the replicated side out', `select s.sk, s.name, s.addr, s.grp, p.pk, p.cost from ro_sup s join ro_ps p on s.sk = p.sk where p.x < 3 order by p.pk, s.sk, p.cost`),
  q('non-selective inner join, aggregated', `select count(*), count(s.addr), count(s.name), sum(p.x), sum(length(s.addr)), min(s.addr), max(s.grp) from ro_sup s join ro_ps p on s.sk = p.sk`),
  q('grouped by a dictionary string of the replicated side', `select s.grp, count(*), sum(p.cost) from ro_sup s join ro_ps p on s.sk = p.sk where p.x < 100 group by s.grp order by 1`),
  q('top-N over the joined rows (TPC-H Q2 shape)', `select s.bal, s.name, s.addr, n.nname, p.pk from ro_sup s join ro_ps p on s.sk = p.sk join ro_nation n on s.nk = n.nk where p.x < 50 and p.cost < 100 order by s.bal desc, n.nname, s.name, p.pk limit 100`),
  q('three-way, replicated sides joined first', `select n.nname, count(*), sum(p.x) from ro_nation n join ro_sup s on s.nk = n.nk join ro_ps p on p.sk = s.sk where p.x < 200 group by n.nname order by 1`),
  q('empty inner side', `select count(*), max(s.addr) from ro_sup s join ro_ps p on s.sk = p.sk where p.x < 0`),
  q('left join keeps every replicated row once', `select count(*), count(p.pk), count(distinct s.sk) from ro_sup s left join (select * from ro_ps where x < 2) p on s.sk = p.sk`),
  q('semi join returns each replicated row once', `select count(*), sum(length(s.addr)) from ro_sup s where exists (select 1 from ro_ps p where p.sk = s.sk and p.x < 5)`),
  q('anti join', `select count(*), max(s.name) from ro_sup s where not exists (select 1 from ro_ps p where p.sk = s.sk and p.x < 30)`),
  q('right join from the spread side', `select count(*), count(s.sk), sum(p.x) from ro_sup s right join (select * from ro_ps where x < 10) p on s.sk = p.sk`),
];

let oracle: DiffEngine;
const data = tables();

before(async () => {
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(data)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, true], [3, true], [3, false]] as const) {
  test(`replicated outer sides: wasmshift with ${slices} slice(s)${workers ? '' : ' on the leader'} matches DuckDB on ${QUERIES.length} joins`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(data), async (e) => {
      await assertSameAnswers(e, oracle, QUERIES, 'joins');
    });
  });
}

test('EXPLAIN: a replicated outer side joins in place with a run-time filter; semi and left joins still move', async () => {
  await withLoadedWasmshift({ slices: 3, workers: true }, wasmshiftLoad(data), async (e) => {
    const inner = await e.explain(`select s.name, p.pk from ro_sup s join ro_ps p on s.sk = p.sk where p.x < 3`);
    assert.match(inner, /Hash Join DS_DIST_ALL_NONE[^\n]*\n[^\n]*Hash Cond[^\n]*\n\s+->  XN Seq Scan on ro_sup[^\n]*\n\s+Runtime Filter: sk IN bloom\(sk\)/, inner);
    assert.doesNotMatch(inner, /DS_DIST_BOTH|DS_DIST_INNER|DS_DIST_OUTER|DS_BCAST_INNER/, inner);
    const semi = await e.explain(`select count(*) from ro_sup s where exists (select 1 from ro_ps p where p.sk = s.sk and p.x < 5)`);
    assert.doesNotMatch(semi, /Join DS_DIST_ALL_NONE/, semi);
    const left = await e.explain(`select count(*) from ro_sup s left join (select * from ro_ps where x < 2) p on s.sk = p.sk`);
    assert.doesNotMatch(left, /Join DS_DIST_ALL_NONE/, left);
  });
});
