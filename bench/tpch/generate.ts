// Deterministic TPC-H data generator: writes dbgen-style pipe-delimited .tbl files (region, nation,
// supplier, part, partsupp, customer, orders, lineitem) for the benchmarks and the TPC-H test, streaming.
//
// Value domains, key formulas and distributions follow the TPC-H specification (v3, clause 4.2.3,
// "Test Database Data Generation"); random streams are our own (seeded), so the rows differ from
// dbgen's but every one of the 22 queries with its validation parameters returns rows.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Bumped whenever the generated rows change, so cached data sets (keyed by it) are regenerated. */
export const GENERATOR_VERSION = 1;

export const TPCH_TABLES = ['region', 'nation', 'supplier', 'part', 'partsupp', 'customer', 'orders', 'lineitem'] as const;
export type TpchTable = (typeof TPCH_TABLES)[number];

export interface GenerateOptions {
  /** Scale factor: 1 is about 1 GB of text (6M lineitems). Accepted range 0.001 .. 1000. */
  sf: number;
  /** Folder the <table>.tbl files go into (created if missing). */
  outDir: string;
  /** Seed of every random stream (default 19920101). The same seed and sf give byte-identical files. */
  seed?: number;
  /** Tables to write (default all). orders and lineitem are generated together and written when either is asked. */
  tables?: readonly TpchTable[];
  /** End each line with a '|' as dbgen does (default false: Redshift COPY and DuckDB read_csv then see no extra column). */
  trailingDelimiter?: boolean;
}

/** Row counts of each table at a scale factor (lineitem is about 4 per order, known only after generation). */
export function tableCardinalities(sf: number): Record<Exclude<TpchTable, 'lineitem'>, number> {
  return {
    region: 5,
    nation: 25,
    supplier: Math.max(1, Math.round(10_000 * sf)),
    part: Math.max(1, Math.round(200_000 * sf)),
    partsupp: Math.max(1, Math.round(200_000 * sf)) * 4,
    customer: Math.max(1, Math.round(150_000 * sf)),
    orders: Math.max(1, Math.round(1_500_000 * sf)),
  };
}

// ---- random streams ------------------------------------------------------------------------

/** A small, fast, seeded PRNG (splitmix32 seeding + xorshift128). One per table column group. */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next() | 1; this.b = next(); this.c = next(); this.d = next();
  }
  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    let t = this.d;
    const s = this.a;
    this.d = this.c; this.c = this.b; this.b = s;
    t ^= t << 11; t ^= t >>> 8;
    this.a = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.a;
  }
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 4294967296) * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T { return xs[this.int(0, xs.length - 1)]!; }
}

/** A deterministic uniform source in [0, 1) for a seed (the tests' and benchmarks' seeded workloads). */
export function uniform(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.u32() / 4294967296;
}

// ---- value domains (TPC-H spec clause 4.2.2.13 and 4.2.3) ----------------------------------

export const REGIONS = ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'] as const;
/** [name, regionkey] by nationkey. */
export const NATIONS: readonly (readonly [string, number])[] = [
  ['ALGERIA', 0], ['ARGENTINA', 1], ['BRAZIL', 1], ['CANADA', 1], ['EGYPT', 4], ['ETHIOPIA', 0], ['FRANCE', 3],
  ['GERMANY', 3], ['INDIA', 2], ['INDONESIA', 2], ['IRAN', 4], ['IRAQ', 4], ['JAPAN', 2], ['JORDAN', 4], ['KENYA', 0],
  ['MOROCCO', 0], ['MOZAMBIQUE', 0], ['PERU', 1], ['CHINA', 2], ['ROMANIA', 3], ['SAUDI ARABIA', 4], ['VIETNAM', 2],
  ['RUSSIA', 3], ['UNITED KINGDOM', 3], ['UNITED STATES', 1],
];
const COLORS = ('almond antique aquamarine azure beige bisque black blanched blue blush brown burlywood burnished ' +
  'chartreuse chiffon chocolate coral cornflower cornsilk cream cyan dark deep dim dodger drab firebrick floral forest ' +
  'frosted gainsboro ghost goldenrod green grey honeydew hot indian ivory khaki lace lavender lawn lemon light lime ' +
  'linen magenta maroon medium metallic midnight mint misty moccasin navajo navy olive orange orchid pale papaya peach ' +
  'peru pink plum powder puff purple red rose rosy royal saddle salmon sandy seashell sienna sky slate smoke snow ' +
  'spring steel tan thistle tomato turquoise violet wheat white yellow').split(' ');
const TYPE_S1 = ['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'];
const TYPE_S2 = ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'];
const TYPE_S3 = ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'];
const CONT_S1 = ['SM', 'LG', 'MED', 'JUMBO', 'WRAP'];
const CONT_S2 = ['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'];
const SEGMENTS = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'];
const PRIORITIES = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'];
const INSTRUCTIONS = ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'];
const MODES = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'];

/** Words for comment text (nouns, verbs, adjectives, adverbs, prepositions in the spirit of clause 4.2.2.10). */
const WORDS = ('foxes ideas theodolites pinto beans instructions dependencies excuses platelets asymptotes courts ' +
  'dolphins multipliers sauternes warthogs frets dinos attainments somas Tiresias patterns forges braids hockey ' +
  'players frays warhorses dugouts notornis epitaphs pearls tithes waters orbits gifts sheaves depths sentiments ' +
  'decoys realms pains grouches escapades accounts packages requests deposits theodolites sleep wake are cajole ' +
  'haggle nag use boost affix detect integrate maintain nod was lose sublate solve thrash promise engage hinder ' +
  'print x-ray breach eat grow impress mold poach serve run dazzle snooze doze unwind kindle play hang believe ' +
  'furious sly careful blithe quick fluffy slow quiet ruthless thin close dogged daring brave stealthy permanent ' +
  'enticing idle busy regular final ironic even bold silent special pending express unusual special special ' +
  'sometimes always never furiously slyly carefully blithely quickly fluffily slowly quietly ruthlessly thinly ' +
  'closely doggedly daringly bravely stealthily permanently enticingly idly busily regularly finally ironically ' +
  'evenly boldly silently about above according to across after against along alongside of among around at atop ' +
  'before behind beneath beside besides between beyond by despite during except for from in place of inside ' +
  'instead of into near of on outside over past since through throughout to toward under until up upon without ' +
  'with within requests requests accounts deposits packages').split(' ');

/** Days since 1970-01-01 of the spec's STARTDATE, CURRENTDATE and ENDDATE. */
const STARTDATE = Date.UTC(1992, 0, 1) / 86_400_000;
const CURRENTDATE = Date.UTC(1995, 5, 17) / 86_400_000;
const ENDDATE = Date.UTC(1998, 11, 31) / 86_400_000;

// ---- formatting helpers ----------------------------------------------------------------------

const DATE_TEXT: string[] = [];
for (let d = STARTDATE; d <= ENDDATE + 200; d++) DATE_TEXT.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
function dateText(day: number): string { return DATE_TEXT[day - STARTDATE]!; }

/** Integer cents as a decimal with two digits: -12345 -> '-123.45'. */
export function cents(c: number): string {
  const neg = c < 0;
  const a = neg ? -c : c;
  const frac = a % 100;
  return `${neg ? '-' : ''}${(a - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}
function pad9(n: number): string { return String(n).padStart(9, '0'); }

/** A pool of comment text, cut into random substrings as dbgen does with its text pool. */
class TextPool {
  private readonly text: string;
  constructor(rng: Rng, size: number) {
    const parts: string[] = [];
    let len = 0;
    while (len < size) {
      const sentence: string[] = [];
      const n = rng.int(3, 9);
      for (let i = 0; i < n; i++) sentence.push(WORDS[rng.int(0, WORDS.length - 1)]!);
      const s = sentence.join(' ') + (rng.int(0, 3) === 0 ? '. ' : ' ');
      parts.push(s);
      len += s.length;
    }
    this.text = parts.join('');
  }
  /** Text of a random length in [min, max] from a random place in the pool, without leading/trailing blanks. */
  take(rng: Rng, min: number, max: number): string {
    const len = rng.int(min, max);
    const start = rng.int(0, this.text.length - len - 1);
    return this.text.slice(start, start + len).trim();
  }
}

/** A random alphanumeric string of length [min, max] (v-strings of clause 4.2.2.7). */
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,. ';
function vstring(rng: Rng, min: number, max: number): string {
  const n = rng.int(min, max);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[rng.int(0, ALNUM.length - 1)];
  return s.trim() || 'x';
}
function phone(rng: Rng, nation: number): string {
  return `${nation + 10}-${rng.int(100, 999)}-${rng.int(100, 999)}-${rng.int(1000, 9999)}`;
}

/** p_retailprice in cents from the partkey (clause 4.2.3). */
export function retailCents(partkey: number): number {
  return 90000 + (Math.floor(partkey / 10) % 20001) + 100 * (partkey % 1000);
}
/** The i-th (0..3) supplier of a part (clause 4.2.3, PS_SUPPKEY). */
export function partSupplier(partkey: number, i: number, suppliers: number): number {
  return ((partkey + i * (Math.floor(suppliers / 4) + Math.floor((partkey - 1) / suppliers))) % suppliers) + 1;
}
/** Sparse order keys: only the first 8 of each 32 keys are used (clause 4.2.3, O_ORDERKEY). */
export function orderKey(index: number): number {
  return Math.floor(index / 8) * 32 + (index % 8) + 1;
}

// ---- buffered file writer ----------------------------------------------------------------------

/** Appends lines to a file through a ~1 MiB buffer: streaming, never a whole table in memory. */
class TblWriter {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  rows = 0;
  constructor(path: string, private readonly trailing: boolean) { this.fd = openSync(path, 'w'); }
  row(fields: (string | number)[]): void {
    const line = fields.join('|') + (this.trailing ? '|\n' : '\n');
    this.buf.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close(): void { this.flush(); closeSync(this.fd); }
}

// ---- tables ----------------------------------------------------------------------------------

/** Writes the requested tables; returns the row count written per table. */
export function generateTpch(opts: GenerateOptions): Partial<Record<TpchTable, number>> {
  const { sf, outDir } = opts;
  if (!(sf >= 0.001 && sf <= 1000)) throw new RangeError(`scale factor ${sf} is outside 0.001 .. 1000`);
  const seed = opts.seed ?? 19920101;
  const want = new Set<TpchTable>(opts.tables ?? TPCH_TABLES);
  const trailing = opts.trailingDelimiter ?? false;
  const n = tableCardinalities(sf);
  mkdirSync(outDir, { recursive: true });
  const pool = new TextPool(new Rng(seed ^ 0x5eed), 1 << 20);
  const counts: Partial<Record<TpchTable, number>> = {};
  const open = (t: TpchTable): TblWriter => new TblWriter(join(outDir, `${t}.tbl`), trailing);
  const done = (t: TpchTable, w: TblWriter): void => { w.close(); counts[t] = w.rows; };

  if (want.has('region')) {
    const rng = new Rng(seed + 1);
    const w = open('region');
    REGIONS.forEach((name, k) => w.row([k, name, pool.take(rng, 31, 115)]));
    done('region', w);
  }
  if (want.has('nation')) {
    const rng = new Rng(seed + 2);
    const w = open('nation');
    NATIONS.forEach(([name, region], k) => w.row([k, name, region, pool.take(rng, 31, 114)]));
    done('nation', w);
  }
  if (want.has('supplier')) {
    const rng = new Rng(seed + 3);
    const w = open('supplier');
    // Clause 4.2.3: SF*5 supplier comments hold "Customer ... Complaints" and SF*5 "Customer ... Recommends".
    const special = Math.max(1, Math.round(n.supplier * 0.0005));
    const complaints = new Set<number>();
    const recommends = new Set<number>();
    const pickRng = new Rng(seed + 33);
    while (complaints.size < special) complaints.add(pickRng.int(1, n.supplier));
    while (recommends.size < special) { const k = pickRng.int(1, n.supplier); if (!complaints.has(k)) recommends.add(k); }
    for (let k = 1; k <= n.supplier; k++) {
      const nation = rng.int(0, 24);
      let comment = pool.take(rng, 25, 100);
      if (complaints.has(k) || recommends.has(k)) {
        const tag = complaints.has(k) ? 'Complaints' : 'Recommends';
        comment = `${comment.slice(0, 40)} Customer ${comment.slice(40, 60).trim() || 'about'} ${tag}`.slice(0, 100);
      }
      w.row([k, `Supplier#${pad9(k)}`, vstring(rng, 10, 40), nation, phone(rng, nation), cents(rng.int(-99999, 999999)), comment]);
    }
    done('supplier', w);
  }
  if (want.has('part') || want.has('partsupp')) {
    const rng = new Rng(seed + 4);
    const prng = new Rng(seed + 5);
    const wp = want.has('part') ? open('part') : undefined;
    const wps = want.has('partsupp') ? open('partsupp') : undefined;
    for (let k = 1; k <= n.part; k++) {
      if (wp) {
        const names = new Set<string>();
        while (names.size < 5) names.add(COLORS[rng.int(0, COLORS.length - 1)]!);
        const m = rng.int(1, 5);
        wp.row([
          k, [...names].join(' '), `Manufacturer#${m}`, `Brand#${m}${rng.int(1, 5)}`,
          `${rng.pick(TYPE_S1)} ${rng.pick(TYPE_S2)} ${rng.pick(TYPE_S3)}`, rng.int(1, 50),
          `${rng.pick(CONT_S1)} ${rng.pick(CONT_S2)}`, cents(retailCents(k)), pool.take(rng, 5, 22),
        ]);
      }
      if (wps) {
        for (let i = 0; i < 4; i++) {
          wps.row([k, partSupplier(k, i, n.supplier), prng.int(1, 9999), cents(prng.int(100, 100000)), pool.take(prng, 49, 198)]);
        }
      }
    }
    if (wp) done('part', wp);
    if (wps) done('partsupp', wps);
  }
  if (want.has('customer')) {
    const rng = new Rng(seed + 6);
    const w = open('customer');
    for (let k = 1; k <= n.customer; k++) {
      const nation = rng.int(0, 24);
      w.row([k, `Customer#${pad9(k)}`, vstring(rng, 10, 40), nation, phone(rng, nation), cents(rng.int(-99999, 999999)),
        rng.pick(SEGMENTS), pool.take(rng, 29, 116)]);
    }
    done('customer', w);
  }
  if (want.has('orders') || want.has('lineitem')) {
    const rng = new Rng(seed + 7);
    const lrng = new Rng(seed + 8);
    const wo = want.has('orders') ? open('orders') : undefined;
    const wl = want.has('lineitem') ? open('lineitem') : undefined;
    const clerks = Math.max(1, Math.round(sf * 1000));
    const lastOrderDay = ENDDATE - 151;
    const line: (string | number)[][] = [];
    for (let i = 0; i < n.orders; i++) {
      const okey = orderKey(i);
      // Clause 4.2.3: O_CUSTKEY is never a multiple of 3, so a third of the customers have no orders (Q13, Q22).
      let cust = rng.int(1, n.customer);
      while (cust % 3 === 0 && n.customer > 2) cust = rng.int(1, n.customer);
      const odate = rng.int(STARTDATE, lastOrderDay);
      const priority = rng.pick(PRIORITIES);
      const clerk = `Clerk#${pad9(rng.int(1, clerks))}`;
      const ocomment = pool.take(rng, 19, 78);
      const lines = lrng.int(1, 7);
      let total = 0;
      let fCount = 0;
      line.length = 0;
      for (let ln = 1; ln <= lines; ln++) {
        const partkey = lrng.int(1, n.part);
        const suppkey = partSupplier(partkey, lrng.int(0, 3), n.supplier);
        const qty = lrng.int(1, 50);
        const ext = qty * retailCents(partkey);
        const disc = lrng.int(0, 10);
        const tax = lrng.int(0, 8);
        const ship = odate + lrng.int(1, 121);
        const commit = odate + lrng.int(30, 90);
        const receipt = ship + lrng.int(1, 30);
        const rflag = receipt <= CURRENTDATE ? (lrng.int(0, 1) === 0 ? 'R' : 'A') : 'N';
        const lstatus = ship > CURRENTDATE ? 'O' : 'F';
        if (lstatus === 'F') fCount++;
        total += Math.round((ext * (100 + tax) * (100 - disc)) / 10000);
        const instruct = lrng.pick(INSTRUCTIONS);
        const mode = lrng.pick(MODES);
        const lcomment = pool.take(lrng, 10, 43);
        if (wl) {
          line.push([okey, partkey, suppkey, ln, qty, cents(ext), `0.${disc < 10 ? '0' : ''}${disc}`,
            `0.0${tax}`, rflag, lstatus, dateText(ship), dateText(commit), dateText(receipt), instruct, mode, lcomment]);
        }
      }
      const status = fCount === lines ? 'F' : fCount === 0 ? 'O' : 'P';
      if (wo) wo.row([okey, cust, status, cents(total), dateText(odate), priority, clerk, 0, ocomment]);
      if (wl) for (const l of line) wl.row(l);
    }
    if (wo) done('orders', wo);
    if (wl) done('lineitem', wl);
  }
  return counts;
}
