// A seeded random workload for the crash tests (test/storage/crash.test.ts, power-loss.test.ts): ops
// (CREATE, CTAS, DROP, ALTER TABLE RENAME, VACUUM, INSERT, COPY, DELETE, UPDATE, TRUNCATE, and
// BEGIN..COMMIT / BEGIN..ROLLBACK blocks over several tables, with COPY, DDL and TRUNCATE inside),
// each with its SQL and its change to a model of the tables.
import { uniform } from '../../bench/tpch/generate.js';

export type Row = [id: number, s: string | null, x: number | null];
export type Model = Map<string, Row[]>;

export interface Op {
  /** Statements run one after another; the op is acknowledged after the last one succeeds. */
  sql: string[];
  /** A file the op reads (COPY): written by the child before it runs the op. */
  file?: { name: string; content: string };
  /** The op's effect on the model. */
  apply(m: Model): void;
  label: string;
}

/** Seeded uniform numbers in [0, 1), so a trial's seed replays the same workload. */
export const rng = uniform;

const TABLES = ['t0', 't1', 't2', 't3'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'épsilon', 'zêta', '€uro', 'naïve', 'x y z', "o'brien"];

/** Appends copies of rows (a loop: spreading 100K rows into push overflows the stack). */
function append(to: Row[], rows: readonly Row[]): void { for (const x of rows) to.push([...x] as Row); }

export function cloneModel(m: Model): Model { return new Map([...m].map(([k, v]) => [k, v.map((r) => [...r] as Row)])); }

/** The ops of one seed; `dir` is where COPY files go. Pure: the same arguments give the same ops. */
export function planWorkload(seed: number, count: number, dir: string, maxCopyRows = 150_000): Op[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const model: Model = new Map();
  let nextId = 1;
  const ops: Op[] = [];
  const newRows = (n: number, copyable: boolean): Row[] => Array.from({ length: n }, () => {
    const s = r() < 0.1 ? null : `${pick(WORDS)}${int(0, 999)}`;
    return [nextId++, copyable && s !== null ? s.replace(/'/g, '') : s, r() < 0.1 ? null : int(-1_000_000, 1_000_000)];
  });
  const lit = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
  const values = (rows: Row[]) => rows.map(([id, s, x]) => `(${id}, ${lit(s)}, ${x === null ? 'NULL' : x})`).join(', ');
  while (ops.length < count) {
    const present = TABLES.filter((t) => model.has(t));
    const absent = TABLES.filter((t) => !model.has(t));
    const roll = r();
    let op: Op | null = null;
    if (present.length === 0 || (absent.length > 0 && roll < 0.08)) {
      const t = pick(absent);
      const dist = pick(['diststyle even', 'diststyle all', 'distkey(id)', 'diststyle auto', 'diststyle key distkey(x) sortkey(id)']);
      op = { label: `create ${t}`, sql: [`create table ${t} (id int not null, s varchar(40), x bigint) ${dist}`], apply: (m) => { m.set(t, []); } };
    } else if (absent.length > 0 && roll < 0.12) {
      const t = pick(absent), src = pick(present);
      op = { label: `ctas ${t}`, sql: [`create table ${t} as select id, s, x from ${src}`], apply: (m) => { m.set(t, m.get(src)!.map((x) => [...x] as Row)); } };
    } else if (roll < 0.16) {
      const t = pick(present);
      op = { label: `drop ${t}`, sql: [`drop table ${t}`], apply: (m) => { m.delete(t); } };
    } else if (absent.length > 0 && roll < 0.19) {
      const from = pick(present), to = pick(absent);
      op = { label: `rename ${from} ${to}`, sql: [`alter table ${from} rename to ${to}`], apply: (m) => { m.set(to, m.get(from)!); m.delete(from); } };
    } else if (roll < 0.21) {
      const t = pick(present);
      op = { label: `vacuum ${t}`, sql: [`vacuum ${t}`], apply: () => {} };
    } else if (roll < 0.40) {
      const t = pick(present);
      const rows = newRows(int(1, 40), false);
      op = { label: `insert ${t} ${rows.length}`, sql: [`insert into ${t} values ${values(rows)}`], apply: (m) => { append(m.get(t)!, rows); } };
    } else if (roll < 0.58) {
      const t = pick(present);
      const size = r();
      // Mostly small loads; some span several 64K-row chunks per slice.
      const rows = newRows(Math.min(maxCopyRows, size < 0.08 ? int(100_000, 150_000) : size < 0.3 ? int(10_000, 70_000) : int(100, 5000)), true);
      const name = `${dir}/copy-${seed}-${ops.length}.txt`;
      const content = rows.map(([id, s, x]) => `${id}|${s ?? '\\N'}|${x ?? '\\N'}`).join('\n') + '\n';
      op = { label: `copy ${t} ${rows.length}`, sql: [`copy ${t} from '${name}'`], file: { name, content }, apply: (m) => { append(m.get(t)!, rows); } };
    } else if (roll < 0.68) {
      const t = pick(present);
      const mod = int(2, 7), rem = int(0, mod - 1);
      op = { label: `delete ${t}`, sql: [`delete from ${t} where id % ${mod} = ${rem}`], apply: (m) => { m.set(t, m.get(t)!.filter((x) => x[0] % mod !== rem)); } };
    } else if (roll < 0.78) {
      const t = pick(present);
      const mod = int(2, 5), rem = int(0, mod - 1), add = int(1, 9);
      op = {
        label: `update ${t}`, sql: [`update ${t} set x = x + ${add}, s = 'upd' where id % ${mod} = ${rem}`],
        apply: (m) => { for (const x of m.get(t)!) if (x[0] % mod === rem) { x[2] = x[2] === null ? null : x[2] + add; x[1] = 'upd'; } },
      };
    } else if (roll < 0.81) {
      const t = pick(present);
      op = { label: `truncate ${t}`, sql: [`truncate ${t}`], apply: (m) => { m.set(t, []); } };
    } else if (roll < 0.84) {
      // A block over several tables (possibly the same one twice): all of it commits, or none.
      const a = pick(present), b = pick(present), c = pick(present);
      const rows = newRows(int(1, 3000), true);
      const mod = int(2, 5), rem = int(0, mod - 1), add = int(1, 9);
      const useCopy = r() < 0.5;
      const name = `${dir}/copy-${seed}-${ops.length}.txt`;
      const load = useCopy ? `copy ${a} from '${name}'` : `insert into ${a} values ${values(rows)}`;
      op = {
        label: `multi-table txn ${a} ${b} ${c}`,
        sql: ['begin', load, `delete from ${b} where id % ${mod} = ${rem}`, `update ${c} set x = x + ${add} where id % ${mod + 1} = ${rem}`, 'commit'],
        ...(useCopy ? { file: { name, content: rows.map(([id, s, x]) => `${id}|${s ?? '\\N'}|${x ?? '\\N'}`).join('\n') + '\n' } } : {}),
        apply: (m) => {
          append(m.get(a)!, rows);
          m.set(b, m.get(b)!.filter((x) => x[0] % mod !== rem));
          for (const x of m.get(c)!) if (x[0] % (mod + 1) === rem && x[2] !== null) x[2] += add;
        },
      };
    } else if (roll < 0.87) {
      // DDL inside a block: a new table filled from another, and a column added, used and dropped.
      const a = pick(present);
      const mod = int(2, 5), rem = int(0, mod - 1);
      const alter = [`alter table ${a} add column extra int default 7`, `update ${a} set x = x + extra where id % ${mod} = ${rem}`, `alter table ${a} drop column extra`];
      const bump = (m: Model) => { for (const x of m.get(a)!) if (x[0] % mod === rem && x[2] !== null) x[2] += 7; };
      if (absent.length > 0) {
        const n = pick(absent);
        op = {
          label: `ddl txn create ${n} from ${a}`,
          sql: ['begin', `create table ${n} (id int not null, s varchar(40), x bigint) distkey(id)`, `insert into ${n} select id, s, x from ${a} where id % ${mod} = ${rem}`, ...alter, 'commit'],
          apply: (m) => { m.set(n, m.get(a)!.filter((x) => x[0] % mod === rem).map((x) => [...x] as Row)); bump(m); },
        };
      } else {
        const b = pick(present.filter((t) => t !== a));
        op = {
          label: `ddl txn replace ${b} from ${a}`,
          sql: ['begin', `drop table ${b}`, `create table ${b} as select id, s, x from ${a} where id % ${mod} = ${rem}`, ...alter, 'commit'],
          apply: (m) => { m.set(b, m.get(a)!.filter((x) => x[0] % mod === rem).map((x) => [...x] as Row)); bump(m); },
        };
      }
    } else if (roll < 0.90) {
      // TRUNCATE commits the block it runs in, with what the block did before it: ROLLBACK finds no block.
      const a = pick(present), b = pick(present);
      const rows = newRows(int(1, 30), false);
      op = {
        label: `truncate in txn ${a} ${b}`,
        sql: ['begin', `insert into ${a} values ${values(rows)}`, `truncate ${b}`, 'rollback'],
        apply: (m) => { append(m.get(a)!, rows); m.set(b, []); },
      };
    } else if (roll < 0.94) {
      const t = pick(present);
      const rows = newRows(int(1, 30), false);
      const mod = int(2, 5), rem = int(0, mod - 1);
      op = {
        label: `txn ${t}`, sql: ['begin', `insert into ${t} values ${values(rows)}`, `delete from ${t} where id % ${mod} = ${rem}`, 'commit'],
        apply: (m) => { const all = m.get(t)!; append(all, rows); m.set(t, all.filter((x) => x[0] % mod !== rem)); },
      };
    } else {
      const t = pick(present);
      const rows = newRows(int(1, 30), false);
      // No TRUNCATE here: it commits in Redshift, so it cannot be rolled back. DDL can.
      const ddl = absent.length > 0 ? [`create table ${pick(absent)} (id int not null, s varchar(40), x bigint)`] : [];
      const other = present.filter((x) => x !== t);
      if (other.length > 0) ddl.push(`drop table ${pick(other)}`);
      op = { label: `rollback ${t}`, sql: ['begin', `insert into ${t} values ${values(rows)}`, ...ddl, `alter table ${t} add column extra int`, `delete from ${t}`, 'rollback'], apply: () => {} };
    }
    op.apply(model);
    ops.push(op);
  }
  return ops;
}

/** The model after the first k ops. */
export function modelAfter(ops: readonly Op[], k: number): Model {
  const m: Model = new Map();
  for (let i = 0; i < k; i++) ops[i]!.apply(m);
  return m;
}
