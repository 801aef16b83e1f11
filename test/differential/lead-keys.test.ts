// GROUP BY keys mixing plain strings with integer or dictionary-coded columns (host/exec/lead-key-index.ts, ADR
// 0029) against DuckDB, at sizes that show many-group bugs: a customer-style table of 150K rows whose name, address,
// phone and comment are one per key (TPC-H Q10's GROUP BY after a join, 100K+ groups; Q18's name next to two keys),
// an order table whose tag is mostly but not always one per customer (rows that differ from their key's first
// tag), NULL keys and strings, a dictionary-coded flag leading next to strings, and strings unrelated to the
// integer key (the index gives up comparing midway), COUNT(DISTINCT) of integers numbered by the key table per
// many groups and per Q16's dictionary strings next to an int. 1 and 3 slices, workers on and off.

import { after, before, test } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';
import { duckdbLoad, NULL_TEXT, wasmshiftLoad, type DiffTable } from './data.js';
import { assertSameAnswers, duckdbDiffEngine, pair as q, withLoadedWasmshift, type DiffEngine, type QueryPair } from './harness.js';

const CUSTOMERS = 150_000;
const ORDERS = 600_000;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'vo', 'ze', 'pu'];

function dir(): string {
  const d = join(tmpdir(), 'wasmshift-lead-keys-v1');
  mkdirSync(d, { recursive: true });
  return d;
}

/** A word of 3 to 8 syllables from a number (distinct numbers mostly give distinct words). */
function word(x: number): string {
  let s = '';
  for (let k = 0; k < 3 + (x % 6); k++) { s += SYLLABLES[x % 10]!; x = Math.floor(x / 10) + k * 7; }
  return s;
}

/**
 * lk_cust: ck is a permutation of 0..149,999 in random order; name, address, phone and comment follow from ck
 * (comment NULL for every 101st key), nk from ck, seg one of five words, bal a NUMERIC from ck.
 */
function customers(rng: Rng): DiffTable {
  const t: DiffTable = {
    name: 'lk_cust', columns: 'ck INTEGER NOT NULL, name VARCHAR(25), addr VARCHAR(40), phone CHAR(15), cmt VARCHAR(117), nk INTEGER, seg VARCHAR(10), bal DECIMAL(12,2)',
    redshiftAttrs: 'DISTKEY (ck)', rows: CUSTOMERS, file: join(dir(), 'lk_cust.tbl'),
  };
  if (existsSync(t.file)) return t;
  const order = Array.from({ length: CUSTOMERS }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = rng.int(0, i); [order[i], order[j]] = [order[j]!, order[i]!]; }
  const lines = order.map((ck) => [
    ck, `Customer#${String(ck).padStart(9, '0')}`, `${word(ck * 31 + 7)} ${ck % 977} ${word(ck)}`,
    `${10 + (ck % 25)}-${String(ck % 1000).padStart(3, '0')}-${String((ck * 7) % 1000).padStart(3, '0')}-${String(ck % 9973).padStart(4, '0')}`,
    ck % 101 === 0 ? NULL_TEXT : `${word(ck * 13)} ${word(ck * 17 + 3)} ${word(ck >> 3)} requests`,
    ck % 25, ['AUTO', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'][ck % 5]!, `${(ck % 10000) - 1000}.${String(ck % 100).padStart(2, '0')}`,
  ].join('|'));
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

/**
 * lk_ord: ok distinct in random order; ck a customer (2% NULL, 1% a key no customer has); flag one of R, A, N;
 * tag the customer's usual tag in 90% of rows, else one of 3000 others (NULL in 1%); free a word unrelated to ck.
 */
function orders(rng: Rng): DiffTable {
  const t: DiffTable = {
    name: 'lk_ord', columns: 'ok BIGINT NOT NULL, ck INTEGER, flag VARCHAR(1), tag VARCHAR(20), free VARCHAR(30), amt DECIMAL(12,2)',
    redshiftAttrs: 'DISTKEY (ok)', rows: ORDERS, file: join(dir(), 'lk_ord.tbl'),
  };
  if (existsSync(t.file)) return t;
  const lines: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const r = rng.int(0, 99);
    const ck = r < 2 ? null : r < 3 ? CUSTOMERS + rng.int(0, 999) : rng.int(0, CUSTOMERS - 1);
    const t2 = rng.int(0, 99);
    const tag = t2 < 1 ? NULL_TEXT : t2 < 10 ? `t${rng.int(0, 2999)}` : `c${(ck ?? 0) % 40_000}`;
    lines.push([(BigInt(i) * 2654435761n) % 4294967311n, ck ?? NULL_TEXT, 'RAN'[rng.int(0, 2)]!, tag, word(rng.int(0, 60_000)), `${rng.int(0, 99_999)}.${String(rng.int(0, 99)).padStart(2, '0')}`].join('|'));
  }
  writeFileSync(t.file, lines.join('\n') + '\n');
  return t;
}

const QUERIES: QueryPair[] = [
  q('Q10 shape: customer strings grouped next to their key after a join, 100K+ groups',
    `select c.ck, c.name, sum(o.amt), count(*), c.bal, c.phone, c.addr, c.cmt, c.seg from lk_cust c join lk_ord o on c.ck = o.ck
     where o.flag <> 'N' group by c.ck, c.name, c.bal, c.phone, c.addr, c.cmt, c.seg`),
  q('Q18 shape: a name next to two integer keys',
    `select c.name, c.ck, o.ok, sum(o.amt) from lk_cust c join lk_ord o on c.ck = o.ck where o.amt > 99000 group by c.name, c.ck, o.ok`),
  q('a tag mostly one per key, NULL keys and NULL tags',
    `select ck, tag, count(*), sum(amt), min(ok) from lk_ord group by ck, tag`),
  q('a dictionary-coded flag leads next to two strings and a key',
    `select flag, ck, tag, seg, count(*) from lk_ord o left join lk_cust c using (ck) where ck % 7 = 1 group by flag, ck, tag, seg`),
  q('strings unrelated to the integer key (comparing given up)',
    `select ck % 5, free, count(*), sum(amt) from lk_ord group by ck % 5, free`),
  q('Q16 shape: COUNT(DISTINCT int) per dictionary strings and an int, NULL arguments',
    `select flag, seg, nk, count(distinct o.ck), count(distinct ok % 1000), count(*) from lk_ord o left join lk_cust c using (ck) group by flag, seg, nk`),
  q('COUNT(DISTINCT) of an int8 and of a string per 150K groups',
    `select ck, count(distinct ok % 7), count(distinct tag), count(distinct amt) from lk_ord group by ck`),
  q('a string key that is NULL next to a key that is NULL',
    `select c.cmt, o.ck, count(*) from lk_ord o left join lk_cust c on c.ck = o.ck where o.ck is null or o.ck % 101 = 0 or o.ck >= ${CUSTOMERS} group by c.cmt, o.ck`),
];

let oracle: DiffEngine;
let tables: DiffTable[];

before(async () => {
  const rng = new Rng(29);
  tables = [customers(rng), orders(rng)];
  oracle = await duckdbDiffEngine();
  for (const s of duckdbLoad(tables)) await oracle.exec(s);
});
after(async () => { await oracle?.close(); });

for (const [slices, workers] of [[1, false], [3, true], [3, false], [1, true]] as const) {
  test(`lead keys: ${slices} slice(s), workers ${workers ? 'on' : 'off'}, matches DuckDB on ${QUERIES.length} aggregations`, async () => {
    await withLoadedWasmshift({ slices, workers }, wasmshiftLoad(tables), async (engine) => {
      await assertSameAnswers(engine, oracle, QUERIES, 'aggregations');
    });
  });
}
