// bench:wire's workload: the tables it loads over the wire and the mix of queries each concurrent `pg` client runs
// (point lookups with parameters, a named prepared statement, aggregates, a join, inserts, and a deliberate
// division by zero), with every answer checked against the data it loaded.
import pg from 'pg';
import { uniform } from '../tpch/generate.js';

export const ACCOUNTS = 10_000;
export const ORDERS = 50_000;
export const REGIONS = 8;

/** Seeded uniform numbers in [0, 1), so runs with the same seed make the same choices. */
export const rng = uniform;

const balanceOf = (id: number): number => (id * 37) % 1000;
const regionOf = (id: number): number => id % REGIONS;
const accountOf = (order: number): number => ((order * 7919) % ACCOUNTS) + 1;
const amountOf = (order: number): number => (order % 500) + 1;
const dayOf = (order: number): string => {
  const d = new Date(Date.UTC(2024, 0, 1) + (order % 365) * 86_400_000);
  return d.toISOString().slice(0, 10);
};

/** Creates and fills the tables (multi-row INSERTs, 1,000 rows each), dropping earlier copies first. */
export async function loadTables(client: pg.Client): Promise<void> {
  for (const t of ['bench_orders', 'bench_accounts', 'bench_regions', 'bench_scratch']) await client.query(`DROP TABLE IF EXISTS ${t}`);
  await client.query('CREATE TABLE bench_regions (id integer NOT NULL, name varchar(20) NOT NULL)');
  await client.query('CREATE TABLE bench_accounts (id integer NOT NULL, region integer NOT NULL, name varchar(40) NOT NULL, balance bigint NOT NULL)');
  await client.query('CREATE TABLE bench_orders (id integer NOT NULL, account_id integer NOT NULL, amount integer NOT NULL, day date NOT NULL)');
  await client.query('CREATE TABLE bench_scratch (client integer NOT NULL, seq integer NOT NULL, note varchar(40))');
  const regions = Array.from({ length: REGIONS }, (_, r) => `(${r}, 'region-${r}')`);
  await client.query(`INSERT INTO bench_regions VALUES ${regions.join(', ')}`);
  for (let lo = 1; lo <= ACCOUNTS; lo += 1000) {
    const rows: string[] = [];
    for (let id = lo; id < lo + 1000 && id <= ACCOUNTS; id++) rows.push(`(${id}, ${regionOf(id)}, 'acct-${id}', ${balanceOf(id)})`);
    await client.query(`INSERT INTO bench_accounts VALUES ${rows.join(', ')}`);
  }
  for (let lo = 1; lo <= ORDERS; lo += 1000) {
    const rows: string[] = [];
    for (let o = lo; o < lo + 1000 && o <= ORDERS; o++) rows.push(`(${o}, ${accountOf(o)}, ${amountOf(o)}, '${dayOf(o)}')`);
    await client.query(`INSERT INTO bench_orders VALUES ${rows.join(', ')}`);
  }
}

/** The answers the checks compare with, computed from the generators above (not from any server). */
export interface Expected {
  regionCount: number[];
  regionBalance: number[];
  /** Orders on or after a day, summed by region name, per probe day. */
  joinByDay: Map<string, Map<string, { n: number; amount: number }>>;
}

export const JOIN_DAYS = ['2024-03-01', '2024-06-15', '2024-11-30'];

export function expected(): Expected {
  const regionCount = new Array<number>(REGIONS).fill(0);
  const regionBalance = new Array<number>(REGIONS).fill(0);
  for (let id = 1; id <= ACCOUNTS; id++) { regionCount[regionOf(id)]!++; regionBalance[regionOf(id)]! += balanceOf(id); }
  const joinByDay = new Map<string, Map<string, { n: number; amount: number }>>();
  for (const day of JOIN_DAYS) {
    const m = new Map<string, { n: number; amount: number }>();
    for (let o = 1; o <= ORDERS; o++) {
      if (dayOf(o) < day) continue;
      const name = `region-${regionOf(accountOf(o))}`;
      const e = m.get(name) ?? { n: 0, amount: 0 };
      e.n++; e.amount += amountOf(o);
      m.set(name, e);
    }
    joinByDay.set(day, m);
  }
  return { regionCount, regionBalance, joinByDay };
}

/** One kind of statement in the mix: its share, how to run it, and how to check its answer. */
export interface QueryKind {
  name: string;
  weight: number;
  /** SQLSTATE the statement must fail with, when it is meant to fail. */
  expectError?: string;
  run(c: pg.Client, r: () => number, ctx: { client: number; seq: number; exp: Expected }): Promise<void>;
}

class WrongAnswer extends Error {
  readonly code = 'WRONG';
}

function check(ok: boolean, what: string): void { if (!ok) throw new WrongAnswer(what); }

const num = (v: unknown): number => Number(v);

export const KINDS: QueryKind[] = [
  {
    name: 'point', weight: 40,
    async run(c, r) {
      const id = 1 + Math.floor(r() * ACCOUNTS);
      const res = await c.query('SELECT id, name, balance FROM bench_accounts WHERE id = $1', [id]);
      check(res.rows.length === 1 && res.rows[0].name === `acct-${id}` && num(res.rows[0].balance) === balanceOf(id), `point lookup ${id}`);
    },
  },
  {
    name: 'prepared', weight: 15,
    async run(c, r, { exp }) {
      const region = Math.floor(r() * REGIONS);
      const res = await c.query({ name: 'bench_by_region', text: 'SELECT count(*) AS n, sum(balance) AS total FROM bench_accounts WHERE region = $1', values: [region] });
      check(num(res.rows[0].n) === exp.regionCount[region] && num(res.rows[0].total) === exp.regionBalance[region], `prepared region ${region}`);
    },
  },
  {
    name: 'aggregate', weight: 10,
    async run(c, _r, { exp }) {
      const res = await c.query('SELECT region, count(*) AS n, sum(balance) AS total FROM bench_accounts GROUP BY region ORDER BY region');
      check(res.rows.length === REGIONS, 'aggregate row count');
      res.rows.forEach((row, i) => check(num(row.region) === i && num(row.n) === exp.regionCount[i] && num(row.total) === exp.regionBalance[i], `aggregate region ${i}`));
    },
  },
  {
    name: 'join', weight: 5,
    async run(c, r, { exp }) {
      const day = JOIN_DAYS[Math.floor(r() * JOIN_DAYS.length)]!;
      const res = await c.query(
        'SELECT g.name, count(*) AS n, sum(o.amount) AS amount FROM bench_orders o JOIN bench_accounts a ON a.id = o.account_id '
        + 'JOIN bench_regions g ON g.id = a.region WHERE o.day >= $1 GROUP BY g.name ORDER BY g.name', [day]);
      const want = exp.joinByDay.get(day)!;
      check(res.rows.length === want.size, `join ${day} groups`);
      for (const row of res.rows) {
        const w = want.get(row.name);
        check(w !== undefined && w.n === num(row.n) && w.amount === num(row.amount), `join ${day} ${row.name}`);
      }
    },
  },
  {
    name: 'insert', weight: 25,
    async run(c, _r, { client, seq }) {
      const res = await c.query('INSERT INTO bench_scratch (client, seq, note) VALUES ($1, $2, $3)', [client, seq, `note ${client}/${seq}`]);
      check(res.rowCount === 1, 'insert row count');
    },
  },
  {
    name: 'div-by-zero', weight: 5, expectError: '22012',
    async run(c, r) {
      const id = 1 + Math.floor(r() * ACCOUNTS);
      await c.query('SELECT balance / (region - region) AS q FROM bench_accounts WHERE id = $1', [id]);
    },
  },
];

/** Picks a kind by weight. */
export function pick(r: () => number): QueryKind {
  const total = KINDS.reduce((s, k) => s + k.weight, 0);
  let x = r() * total;
  for (const k of KINDS) { x -= k.weight; if (x < 0) return k; }
  return KINDS[KINDS.length - 1]!;
}

/** Latencies and outcomes of one run, per kind. */
export interface RunResult {
  seconds: number;
  latencies: Map<string, number[]>;
  /** Errors by "kind SQLSTATE" (expected ones included), with one sample message each. */
  errors: Map<string, { count: number; expected: boolean; sample: string }>;
  completed: number;
  /** Inserts that succeeded (the scratch table must then hold exactly this many rows). */
  inserted: number;
}

/**
 * Runs `clients` connections against host:port until `seconds` have passed (or `stop()` resolves early), each
 * picking kinds from its own seeded generator. Connection failures count as errors (code CONNECT).
 */
export async function runClients(opts: {
  port: number; user: string; database: string; clients: number; seconds: number; seed: number; exp: Expected;
  onTick?: (done: number) => void;
}): Promise<RunResult> {
  const latencies = new Map<string, number[]>(KINDS.map((k) => [k.name, []]));
  const errors = new Map<string, { count: number; expected: boolean; sample: string }>();
  const note = (key: string, expectedErr: boolean, msg: string): void => {
    const e = errors.get(key) ?? { count: 0, expected: expectedErr, sample: msg };
    e.count++;
    errors.set(key, e);
  };
  let completed = 0;
  let inserted = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const tick = opts.onTick ? setInterval(() => opts.onTick!(completed), 5000) : null;
  await Promise.all(Array.from({ length: opts.clients }, async (_, client) => {
    const c = new pg.Client({ host: '127.0.0.1', port: opts.port, user: opts.user, database: opts.database });
    try {
      await c.connect();
    } catch (e) {
      note(`connect ${(e as { code?: string }).code ?? 'NOCODE'}`, false, String(e));
      return;
    }
    c.on('error', (e) => note(`socket ${(e as { code?: string }).code ?? 'NOCODE'}`, false, String(e)));
    const r = rng(opts.seed + client * 7919);
    let seq = 0;
    try {
      while (performance.now() < deadline) {
        const kind = pick(r);
        seq++;
        const t0 = performance.now();
        try {
          await kind.run(c, r, { client, seq, exp: opts.exp });
          const ms = performance.now() - t0;
          if (kind.expectError) note(`${kind.name} NO-ERROR`, false, 'the statement was meant to fail');
          else { latencies.get(kind.name)!.push(ms); if (kind.name === 'insert') inserted++; }
        } catch (e) {
          const ms = performance.now() - t0;
          const code = (e as { code?: string }).code ?? 'NOCODE';
          const ok = kind.expectError === code;
          if (ok) latencies.get(kind.name)!.push(ms);
          note(`${kind.name} ${code}`, ok, e instanceof Error ? e.message : String(e));
          if (!ok && code === 'NOCODE') break; // the connection is gone; do not spin on it
        }
        completed++;
      }
    } finally {
      await c.end().catch(() => undefined);
    }
  }));
  if (tick) clearInterval(tick);
  return { seconds: (performance.now() - started) / 1000, latencies, errors, completed, inserted };
}
