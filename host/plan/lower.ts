// Physical planning: lowers an optimized logical plan into slice-executable physical nodes,
// choosing for each join and aggregation how rows move between slices (DS_DIST_NONE when the
// distribution keys line up, DS_DIST_ALL_NONE for DISTSTYLE ALL inners, DS_BCAST_INNER for
// small inners, DS_DIST_INNER/OUTER/BOTH otherwise) and splitting aggregates into partial
// per-slice and final steps. Redshift's "Evaluating the query plan" page defines the labels.
import { internal } from '../common/errors.js';
import type { TableDef } from '../catalog/catalog.js';
import { T, sameType, type SqlType } from '../types/sql-type.js';
import { conjuncts, mapChildren, refsOf, walk, and, type Expr } from './expr.js';
import { colsOf, type LNode } from './logical.js';
import { Cardinality, columnStats, type PlannerStats } from './cardinality.js';
import type { DistLabel, Distribution, PAgg, PNode } from './physical.js';

export type { PlannerStats };

/** Inner sides estimated above this many rows are never broadcast (each slice would hold them whole). */
export const BROADCAST_ROWS = 250_000;
/** Inner sides under this many rows x slices are broadcast whatever the outer's distribution. */
export const TINY_BROADCAST_ROWS = 1000;

/** What moving a join's output again above costs per row, relative to moving an input row. */
const REMOVE_ROW_COST = 2;
/** A semi/anti join's inner rows are reduced to distinct keys before moving when each key repeats this often per slice. */
export const DEDUPE_ROWS_PER_KEY = 16;

interface Lowered { node: PNode; ids: number[]; dist: Distribution }

const DECOMPOSABLE = new Set(['count', 'count_star', 'sum_counts', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'any_value', 'stddev_samp', 'stddev_pop', 'var_samp', 'var_pop']);

export class Lowerer {
  private exchangeId = 0;
  private readonly required = new Set<number>();
  /**
   * Columns the nearest join or aggregation above joins or groups on: an input already hashed on
   * one of them is not moved again there, so a join below prefers to keep such a placement.
   */
  private wanted: ReadonlySet<number> = new Set();
  private root: LNode | null = null;
  /** How many expressions (and outputs) of the root plan read each column, and how often each filter occurs in it. */
  private readers: Readers | null = null;

  /** Row estimates of the plan being lowered (set by lowerRoot). */
  private card: Cardinality;

  constructor(private readonly stats: PlannerStats, readonly slices: number) {
    this.card = new Cardinality(stats, columnStats({ op: 'values', rows: [], cols: [] }, stats));
  }

  /** Lowers a plan whose result goes to the leader. */
  lowerRoot(n: LNode): PNode {
    this.root = n;
    this.readers = null;
    this.card = new Cardinality(this.stats, columnStats(n, this.stats));
    collectRefs(n, this.required);
    for (const c of colsOf(n)) this.required.add(c.id);
    const l = this.lower(n);
    return this.toLeader(l).node;
  }

  private toLeader(l: Lowered): Lowered {
    if (l.dist.kind === 'leader') return l;
    return { node: this.exchange(l, 'gather', []), ids: l.ids, dist: { kind: 'leader' } };
  }

  private exchange(l: Lowered, mode: 'gather' | 'hash' | 'broadcast', keys: Expr[], label?: string): PNode {
    const from = l.dist.kind === 'leader' ? 'leader' : l.dist.kind === 'all' ? 'slice0' : 'slices';
    const n: PNode = { op: 'exchange', input: l.node, mode, keys, from, id: this.exchangeId++, types: l.node.types, names: l.node.names, est: l.node.est };
    if (label) (n as { label?: string }).label = label;
    return n;
  }

  private phys(e: Expr, ids: number[]): Expr {
    if (e.k === 'ref') {
      const idx = ids.indexOf(e.id);
      if (idx < 0) throw internal(`column ${e.id} not available here`);
      return { k: 'col', idx, type: e.type };
    }
    return mapChildren(e, (c) => this.phys(c, ids));
  }

  /** Lowers `n` for a parent that joins or groups on the columns `wanted`. */
  private lowerFor(n: LNode, wanted: ReadonlySet<number>): Lowered {
    const saved = this.wanted;
    this.wanted = wanted;
    try { return this.lower(n); } finally { this.wanted = saved; }
  }

  lower(n: LNode): Lowered {
    switch (n.op) {
      case 'get': return this.lowerGet(n.table, n.cols);
      case 'values': {
        const ids = n.cols.map((c) => c.id);
        return { node: { op: 'values', rows: n.rows.map((r) => r.map((e) => this.phys(e, []))), onLeader: true, types: n.cols.map((c) => c.type), names: n.cols.map((c) => c.name), est: n.rows.length }, ids, dist: { kind: 'leader' } };
      }
      case 'filter': {
        const l = this.lower(n.input);
        const pred = this.phys(n.pred, l.ids);
        const est = this.card.rows(n);
        if (l.node.op === 'scan' && l.node.filter === null) return this.filteredScan(l, n, est);
        return { ...l, node: { op: 'filter', input: l.node, pred, types: l.node.types, names: l.node.names, est } };
      }
      case 'project': {
        const through = new Set<number>();
        n.cols.forEach((c, i) => { const e = n.exprs[i]!; if (this.wanted.has(c.id) && e.k === 'ref') through.add(e.id); });
        const l = this.lowerFor(n.input, through);
        const exprs = n.exprs.map((e) => this.phys(e, l.ids));
        const ids = n.cols.map((c) => c.id);
        let dist = l.dist;
        if (dist.kind === 'hash') {
          const at = (c: number) => exprs.findIndex((e) => e.k === 'col' && e.idx === c);
          const members = [...dist.cols.length === 1 ? [dist.cols[0]!, ...dist.same ?? []] : []].map(at).filter((m) => m >= 0);
          const mapped = dist.cols.map(at);
          if (mapped.every((m) => m >= 0)) dist = { kind: 'hash', cols: mapped, ...(members.length > 1 ? { same: members.filter((m) => m !== mapped[0]) } : {}) };
          else if (members.length > 0) dist = { kind: 'hash', cols: [members[0]!], ...(members.length > 1 ? { same: members.slice(1) } : {}) };
          else dist = { kind: 'even' };
        }
        return { node: { op: 'project', input: l.node, exprs, types: n.cols.map((c) => c.type), names: n.cols.map((c) => c.name), est: l.node.est }, ids, dist };
      }
      case 'join': return this.lowerJoin(n);
      case 'agg': return this.lowerAgg(n);
      case 'distinct': {
        const cols = colsOf(n.input);
        const groups: Expr[] = cols.map((c) => ({ k: 'ref', id: c.id, type: c.type }));
        const newCols = cols.map((c) => ({ ...c }));
        const agg: LNode = { op: 'agg', input: n.input, groups, aggs: [], cols: newCols };
        return this.lowerAgg(agg);
      }
      case 'sort': {
        let l = this.lowerFor(n.input, new Set());
        const keys = n.keys.map((k) => ({ expr: this.phys(k.expr, l.ids), desc: k.desc, nullsFirst: k.nullsFirst }));
        if (l.dist.kind !== 'leader') {
          const local: PNode = { op: 'sort', input: l.node, keys, limit: null, types: l.node.types, names: l.node.names, est: l.node.est };
          l = this.toLeader({ ...l, node: local });
        }
        return { ...l, node: { op: 'sort', input: l.node, keys, limit: null, types: l.node.types, names: l.node.names, est: l.node.est }, dist: { kind: 'leader' } };
      }
      case 'limit': {
        const l = this.lowerFor(n.input, new Set());
        const limit = n.limit ? this.phys(n.limit, []) : null;
        const offset = n.offset ? this.phys(n.offset, []) : null;
        // Top-N: a LIMIT over ORDER BY keeps only limit+offset rows in each slice's sort.
        if (l.node.op === 'sort' && l.node.input.op === 'exchange' && l.node.input.input.op === 'sort' && limit?.k === 'const' && (offset === null || offset.k === 'const')) {
          const k = Number(limit.value) + (offset ? Number((offset as { value: unknown }).value ?? 0) : 0);
          l.node.limit = k;
          l.node.input.input.limit = k;
        } else if (l.node.op === 'sort' && limit?.k === 'const' && (offset === null || offset.k === 'const')) {
          l.node.limit = Number(limit.value) + (offset ? Number((offset as { value: unknown }).value ?? 0) : 0);
        }
        const g = this.toLeader(l);
        return { ...g, node: { op: 'limit', input: g.node, limit, offset, types: g.node.types, names: g.node.names, est: g.node.est } };
      }
      case 'window': {
        // Every row of a partition must be in one place: the leader computes windows (a
        // redistribution by the partition key is the scaled-out form).
        const l = this.toLeader(this.lowerFor(n.input, new Set()));
        const calls = n.calls.map((c) => ({
          fn: c.fn, args: c.args.map((e) => this.phys(e, l.ids)), partition: c.partition.map((e) => this.phys(e, l.ids)),
          order: c.order.map((o) => ({ expr: this.phys(o.expr, l.ids), desc: o.desc, nullsFirst: o.nullsFirst })), frame: c.frame, type: c.type,
        }));
        const ids = [...l.ids, ...n.cols.map((c) => c.id)];
        return { node: { op: 'window', input: l.node, calls, types: [...l.node.types, ...n.cols.map((c) => c.type)], names: [...l.node.names, ...n.cols.map((c) => c.name)], est: l.node.est }, ids, dist: { kind: 'leader' } };
      }
      case 'setop': {
        const left = this.toLeader(this.lowerFor(n.left, new Set()));
        const right = this.toLeader(this.lowerFor(n.right, new Set()));
        return { node: { op: 'setop', kind: n.kind, all: n.all, left: left.node, right: right.node, types: n.cols.map((c) => c.type), names: n.cols.map((c) => c.name), est: left.node.est + right.node.est }, ids: n.cols.map((c) => c.id), dist: { kind: 'leader' } };
      }
    }
  }

  private lowerGet(table: TableDef, cols: LNode extends never ? never : { id: number; name: string; type: SqlType }[]): Lowered {
    let keep = cols.map((c, i) => [c, i] as const).filter(([c]) => this.required.has(c.id));
    if (keep.length === 0) keep = [[cols[0]!, 0]];
    const style = this.stats.style(table);
    const replica = style === 'ALL' ? 'all' : 'slice';
    const node: PNode = { op: 'scan', table: table.oid, tableName: table.name, cols: keep.map(([, i]) => i), filter: null, replica, types: keep.map(([c]) => c.type), names: keep.map(([c]) => c.name), est: Math.max(1, this.stats.rows(table)) };
    let dist: Distribution = { kind: 'even' };
    if (style === 'ALL') dist = { kind: 'all' };
    else if (style === 'KEY') {
      const pos = keep.findIndex(([, i]) => i === table.distkey);
      if (pos >= 0) dist = { kind: 'hash', cols: [pos] };
    }
    return { node, ids: keep.map(([c]) => c.id), dist };
  }

  /**
   * A scan with its filter. Columns nothing but this filter reads are read by the scan and not
   * output, so the scan never decodes them (late materialization, host/exec/chunk-scan.ts) and
   * operators above never carry them.
   */
  private filteredScan(l: Lowered, f: Extract<LNode, { op: 'filter' }>, est: number): Lowered {
    const scan = l.node as Extract<PNode, { op: 'scan' }>;
    const inFilter = refsOf(f.pred);
    const elsewhere = this.readElsewhere(f, inFilter);
    const distPos = new Set(l.dist.kind === 'hash' ? [...l.dist.cols, ...l.dist.same ?? []] : []);
    const only = l.ids.map((_, p) => p).filter((p) => this.root && inFilter.has(l.ids[p]!) && !elsewhere.has(l.ids[p]!) && !distPos.has(p));
    const keep = l.ids.map((_, p) => p).filter((p) => !only.includes(p));
    if (only.length === 0) return { ...l, node: { ...scan, filter: this.phys(f.pred, l.ids), est } };
    const pick = <T>(xs: readonly T[], ps: number[]) => ps.map((p) => xs[p]!);
    if (keep.length === 0) {
      // Nothing above reads a column (count(*)): output the table's first column, as an unfiltered scan does.
      if (f.input.op !== 'get') return { ...l, node: { ...scan, filter: this.phys(f.pred, l.ids), est } };
      const first = f.input.cols[0]!;
      const onlyIds = only.map((p) => l.ids[p]!).filter((id) => id !== first.id);
      const rest = only.filter((p) => l.ids[p] !== first.id);
      const node: PNode = {
        ...scan, cols: [0], types: [first.type], names: [first.name], est,
        filter: this.phys(f.pred, [first.id, ...onlyIds]),
        filterOnly: { cols: pick(scan.cols, rest), types: pick(scan.types, rest), names: pick(scan.names, rest) },
      };
      return { node, ids: [first.id], dist: l.dist };
    }
    const ids = keep.map((p) => l.ids[p]!);
    const node: PNode = {
      ...scan, cols: pick(scan.cols, keep), types: pick(scan.types, keep), names: pick(scan.names, keep), est,
      filter: this.phys(f.pred, [...ids, ...only.map((p) => l.ids[p]!)]),
      filterOnly: { cols: pick(scan.cols, only), types: pick(scan.types, only), names: pick(scan.names, only) },
    };
    const at = (p: number) => keep.indexOf(p);
    const dist: Distribution = l.dist.kind === 'hash' ? { ...l.dist, cols: l.dist.cols.map(at), ...(l.dist.same ? { same: l.dist.same.map(at) } : {}) } : l.dist;
    return { node, ids, dist };
  }

  /**
   * The columns of `inFilter` (the refs of filter `f`) that the plan reads anywhere but in `f`, or
   * outputs. Each column's readers are counted once per plan (`readers`), so each filtered scan
   * costs the size of its filter, not of the plan.
   */
  private readElsewhere(f: Extract<LNode, { op: 'filter' }>, inFilter: ReadonlySet<number>): Set<number> {
    const out = new Set<number>();
    if (!this.root) return out;
    if (!this.readers) {
      this.readers = { count: new Map(), filters: new Map() };
      countReaders(this.root, this.readers);
    }
    const { count, filters } = this.readers;
    const occurrences = filters.get(f) ?? 0;
    for (const id of inFilter) if ((count.get(id) ?? 0) > occurrences) out.add(id);
    return out;
  }

  private lowerJoin(n: Extract<LNode, { op: 'join' }>): Lowered {
    const joinCols = new Set<number>();
    for (const c of conjuncts(n.cond)) if (c.k === 'fn' && c.name === 'eq') refsOf(c, joinCols);
    const wantedAbove = this.wanted;
    const L = this.lowerFor(n.left, joinCols);
    const R = this.lowerFor(n.right, joinCols);
    const lset = new Set(L.ids), rset = new Set(R.ids);
    const leftKeys: Expr[] = [], rightKeys: Expr[] = [], rest: Expr[] = [];
    for (const c of conjuncts(n.cond)) {
      if (c.k === 'fn' && c.name === 'eq') {
        const [a, b] = c.args as [Expr, Expr];
        const ra = [...refsOf(a)], rb = [...refsOf(b)];
        if (ra.length && rb.length && ra.every((x) => lset.has(x)) && rb.every((x) => rset.has(x)) && sameType(a.type, b.type)) { leftKeys.push(a); rightKeys.push(b); continue; }
        if (ra.length && rb.length && rb.every((x) => lset.has(x)) && ra.every((x) => rset.has(x)) && sameType(a.type, b.type)) { leftKeys.push(b); rightKeys.push(a); continue; }
      }
      if (c.k === 'const' && c.value === true) continue;
      rest.push(c);
    }
    const ids = n.kind === 'semi' || n.kind === 'anti' ? L.ids : [...L.ids, ...R.ids];
    const both = [...L.ids, ...R.ids];
    const types = n.kind === 'semi' || n.kind === 'anti' ? L.node.types : [...L.node.types, ...R.node.types];
    const names = n.kind === 'semi' || n.kind === 'anti' ? L.node.names : [...L.node.names, ...R.node.names];
    const residual = rest.length ? this.phys(and(rest), both) : null;
    const kind = n.kind;
    const est = this.card.rows(n);

    if (leftKeys.length === 0) {
      // Nested loop: the inner side goes to every slice (or both to the leader for outer joins).
      const cond = residual;
      if ((kind === 'right' || kind === 'full') || L.dist.kind === 'leader' || (L.dist.kind === 'all' && R.dist.kind !== 'all')) {
        const l2 = this.toLeader(L), r2 = this.toLeader(R);
        return { node: { op: 'nljoin', kind, left: l2.node, right: r2.node, cond, dist: 'DS_BCAST_INNER', types, names, est }, ids, dist: { kind: 'leader' } };
      }
      const inner = R.dist.kind === 'all' ? R.node : this.exchange(R, 'broadcast', [], 'DS_BCAST_INNER');
      const label: DistLabel = R.dist.kind === 'all' ? 'DS_DIST_ALL_NONE' : 'DS_BCAST_INNER';
      return { node: { op: 'nljoin', kind, left: L.node, right: inner, cond, dist: label, types, names, est }, ids, dist: L.dist };
    }

    const lk = leftKeys.map((e) => this.phys(e, L.ids));
    const rk = rightKeys.map((e) => this.phys(e, R.ids));
    // A semi or anti join without a residual condition reads only the inner side's keys: when they
    // repeat a lot, each slice reduces its inner rows to distinct keys before they move (a per-slice
    // partial aggregate), so a hash exchange or broadcast carries keys, not rows. Grouping a row
    // costs about as much as routing it (TPC-H Q22 at SF 1: 1.5M orders rows, 8 per key per slice,
    // measured no faster deduplicated), so only keys repeating DEDUPE_ROWS_PER_KEY times qualify.
    let Rmoved = R;
    if ((kind === 'semi' || kind === 'anti') && residual === null) {
      const keysPerSlice = Math.min(R.node.est, this.card.groups(n.right, rightKeys) * this.slices);
      if (keysPerSlice * DEDUPE_ROWS_PER_KEY <= R.node.est) {
        const node: PNode = { op: 'agg', input: R.node, groups: rk, aggs: [], mode: 'partial', types: rk.map((k) => k.type), names: rk.map((k, i) => (k.k === 'col' ? R.node.names[k.idx]! : `key${i}`)), est: keysPerSlice };
        const at = (c: number) => rk.findIndex((k) => k.k === 'col' && k.idx === c);
        let dist: Distribution = R.dist.kind === 'hash' || R.dist.kind === 'all' || R.dist.kind === 'leader' ? R.dist : { kind: 'even' };
        if (dist.kind === 'hash') {
          const members = [...dist.cols.length === 1 ? [dist.cols[0]!, ...dist.same ?? []] : []].map(at).filter((m) => m >= 0);
          dist = members.length ? { kind: 'hash', cols: [members[0]!] } : { kind: 'even' };
        }
        Rmoved = { node, ids: rk.map((_, i) => -1 - i), dist };
      }
    }
    const rkMoved = Rmoved === R ? rk : rk.map((k, i): Expr => ({ k: 'col', idx: i, type: k.type }));
    const make = (left: PNode, right: PNode, dist: DistLabel, out: Distribution, rightKeysHere: Expr[] = rk): Lowered => ({
      node: { op: 'hashjoin', kind: kind === 'cross' ? 'inner' : kind, left, right, leftKeys: lk, rightKeys: rightKeysHere, residual, dist, types, names, est }, ids, dist: this.withJoinEquivalents(out, kind, lk, rightKeysHere, L.ids.length),
    });
    const keyPos = (d: Distribution, keys: Expr[]): number => {
      if (d.kind !== 'hash' || d.cols.length !== 1) return -1;
      const members = [d.cols[0], ...d.same ?? []];
      return keys.findIndex((k) => k.k === 'col' && members.includes(k.idx));
    };
    const lpos = keyPos(L.dist, lk), rpos = keyPos(R.dist, rk);
    const outerOnly = kind === 'right' || kind === 'full';
    if (lpos >= 0 && lpos === rpos) return make(L.node, R.node, 'DS_DIST_NONE', L.dist);
    if (L.dist.kind === 'all' && R.dist.kind === 'all') return make(L.node, R.node, 'DS_DIST_ALL_NONE', { kind: 'all' });
    if (R.dist.kind === 'all' && !outerOnly && L.dist.kind !== 'leader') return make(L.node, R.node, 'DS_DIST_ALL_NONE', L.dist);
    if (L.dist.kind === 'leader' && R.dist.kind === 'leader') return make(L.node, R.node, 'DS_DIST_NONE', { kind: 'leader' });
    // A replicated outer side (DISTSTYLE ALL) of an inner join meets the inner side where it lies:
    // every slice holds all of its rows, so each inner row meets each of them once, and nothing
    // moves (TPC-H Q2's supplier, which was hashed from one slice with its strings). Semi and
    // outer joins would repeat or drop outer rows, so they redistribute as before.
    if (L.dist.kind === 'all' && (kind === 'inner' || kind === 'cross') && (R.dist.kind === 'hash' || R.dist.kind === 'even')) {
      const w = L.ids.length;
      const out: Distribution = R.dist.kind === 'hash' ? { kind: 'hash', cols: R.dist.cols.map((c) => c + w), ...(R.dist.same ? { same: R.dist.same.map((c) => c + w) } : {}) } : { kind: 'even' };
      return make(L.node, R.node, 'DS_DIST_ALL_NONE', out);
    }
    // Each way of bringing matching rows together is costed by the rows it moves: broadcasting the
    // inner sends it to every slice, redistributing sends each row of the side(s) not already on the
    // key once. The cheapest wins (redistribution on a tie); a side already on the key keeps its
    // placement for the joins above, so a small dimension is broadcast rather than moving a fact
    // table off its distkey ("Evaluating the query plan": DS_BCAST_INNER vs DS_DIST_OUTER).
    const hashOut = (pos: number): Distribution => {
      const k = lk[pos]!;
      return k.k === 'col' ? { kind: 'hash', cols: [k.idx] } : { kind: 'even' };
    };
    const canBcast = !outerOnly && L.dist.kind !== 'all' && L.dist.kind !== 'leader';
    const options: { cost: number; build: () => Lowered }[] = [];
    if (lpos >= 0) options.push({ cost: Rmoved.node.est, build: () => make(L.node, this.exchange(Rmoved, 'hash', [rkMoved[lpos]!], 'DS_DIST_INNER'), 'DS_DIST_INNER', L.dist, rkMoved) });
    if (rpos >= 0 && L.dist.kind !== 'leader') options.push({ cost: L.node.est, build: () => make(this.exchange(L, 'hash', [lk[rpos]!], 'DS_DIST_OUTER'), R.node, 'DS_DIST_OUTER', hashOut(rpos)) });
    options.push({ cost: L.node.est + Rmoved.node.est, build: () => make(this.exchange(L, 'hash', [lk[0]!], 'DS_DIST_BOTH'), this.exchange(Rmoved, 'hash', [rkMoved[0]!], 'DS_DIST_BOTH'), 'DS_DIST_BOTH', hashOut(0), rkMoved) });
    // Every slice holds a broadcast inner whole, so it must be strictly cheaper, and never past
    // BROADCAST_ROWS. With one slice nothing moves either way: the label follows the keys.
    if (canBcast && this.slices > 1 && Rmoved.node.est <= BROADCAST_ROWS) options.push({ cost: Rmoved.node.est * this.slices, build: () => make(L.node, this.exchange(Rmoved, 'broadcast', [], 'DS_BCAST_INNER'), 'DS_BCAST_INNER', L.dist, rkMoved) });
    if (canBcast && Rmoved.node.est * this.slices < TINY_BROADCAST_ROWS) return make(L.node, this.exchange(Rmoved, 'broadcast', [], 'DS_BCAST_INNER'), 'DS_BCAST_INNER', L.dist, rkMoved);
    // One step of look-ahead: an output not hashed on a column the parent joins or groups on is
    // moved again there. Its rows count twice: a join output carries the columns of both inputs,
    // so moving it costs more per row than moving either input did (ADR 0010: Q5 and Q10 moved
    // filtered orders to the customer key and then the wider result back to the order key).
    const keepsWanted = (l: Lowered) => wantedAbove.size === 0 || (l.dist.kind === 'hash' && l.dist.cols.length === 1 && [l.dist.cols[0]!, ...l.dist.same ?? []].some((c) => wantedAbove.has(l.ids[c]!)));
    let best: Lowered | null = null, bestCost = Infinity;
    for (const o of options) {
      const built = o.build();
      const cost = o.cost + (keepsWanted(built) ? 0 : REMOVE_ROW_COST * est);
      if (cost < bestCost) { best = built; bestCost = cost; }
    }
    return best!;
  }

  /**
   * An inner join's output rows satisfy left key = right key: when the output is hashed on one
   * key column, the matching key column of the other side is placed the same way.
   */
  private withJoinEquivalents(out: Distribution, kind: string, lk: Expr[], rk: Expr[], leftWidth: number): Distribution {
    if (out.kind !== 'hash' || out.cols.length !== 1 || (kind !== 'inner' && kind !== 'cross')) return out;
    const members = new Set([out.cols[0]!, ...out.same ?? []]);
    lk.forEach((l, k) => {
      const r = rk[k]!;
      if (l.k === 'col' && r.k === 'col' && sameType(l.type, r.type) && members.has(l.idx)) members.add(leftWidth + r.idx);
    });
    members.delete(out.cols[0]!);
    return members.size ? { kind: 'hash', cols: out.cols, same: [...members] } : out;
  }

  private lowerAgg(n: Extract<LNode, { op: 'agg' }>): Lowered {
    const groupCols = new Set<number>();
    for (const g of n.groups) if (g.k === 'ref') groupCols.add(g.id);
    const l = this.lowerFor(n.input, groupCols);
    const groups = n.groups.map((g) => this.phys(g, l.ids));
    const aggs: PAgg[] = n.aggs.map((a) => {
      const p: PAgg = { fn: a.fn, args: a.args.map((x) => this.phys(x, l.ids)), distinct: a.distinct, filter: a.filter ? this.phys(a.filter, l.ids) : null, type: a.type };
      if (a.order) p.order = a.order.map((o) => ({ expr: this.phys(o.expr, l.ids), desc: o.desc, nullsFirst: o.nullsFirst }));
      return p;
    });
    const ids = n.cols.map((c) => c.id);
    const types = n.cols.map((c) => c.type);
    const names = n.cols.map((c) => c.name);
    const est = this.card.rows(n);
    const single = (input: PNode, dist: Distribution): Lowered => ({ node: { op: 'agg', input, groups, aggs, mode: 'single', types, names, est }, ids, dist });

    if (l.dist.kind === 'leader') return single(l.node, { kind: 'leader' });
    // Already partitioned on a grouping key: each slice holds whole groups.
    if (l.dist.kind === 'hash') {
      const d = l.dist;
      const members = d.cols.length === 1 ? [d.cols[0]!, ...d.same ?? []] : [];
      const g = groups.findIndex((e) => e.k === 'col' && members.includes(e.idx));
      if (g >= 0) return single(l.node, { kind: 'hash', cols: [g] });
    }
    // Every slice holds every row: one slice aggregates them, and only its result moves.
    if (l.dist.kind === 'all') return single(l.node, { kind: 'all' });
    const decomposable = aggs.every((a) => DECOMPOSABLE.has(a.fn) && !a.distinct);
    if (decomposable) {
      const { partialTypes, finalAggs } = splitAggs(aggs, groups.length);
      const partial: PNode = { op: 'agg', input: l.node, groups, aggs, mode: 'partial', types: [...groups.map((g) => g.type), ...partialTypes], names: [...names.slice(0, groups.length), ...partialTypes.map((_, i) => `partial${i}`)], est };
      const finalGroups: Expr[] = groups.map((g, i) => ({ k: 'col', idx: i, type: g.type }));
      if (groups.length === 0) {
        const gathered = this.exchange({ node: partial, ids: [], dist: l.dist }, 'gather', []);
        return { node: { op: 'agg', input: gathered, groups: finalGroups, aggs: finalAggs, mode: 'final', types, names, est }, ids, dist: { kind: 'leader' } };
      }
      // Grouped: partial groups move to the slice their key hashes to, where the final step runs.
      const moved = this.exchange({ node: partial, ids: [], dist: l.dist }, 'hash', finalGroups, 'DS_DIST');
      const dist: Distribution = groups.length === 1 ? { kind: 'hash', cols: [0] } : { kind: 'even' };
      return { node: { op: 'agg', input: moved, groups: finalGroups, aggs: finalAggs, mode: 'final', types, names, est }, ids, dist };
    }
    if (groups.length > 0) {
      const redistributed = this.exchange(l, 'hash', groups, 'DS_DIST');
      return single(redistributed, groups.length === 1 ? { kind: 'hash', cols: [0] } : { kind: 'even' });
    }
    return single(this.exchange(l, 'gather', []), { kind: 'leader' });
  }
}

/** The partial-state columns each decomposable aggregate emits, and the final aggregates over them. */
function splitAggs(aggs: PAgg[], nGroups: number): { partialTypes: SqlType[]; finalAggs: PAgg[] } {
  const partialTypes: SqlType[] = [];
  const finalAggs: PAgg[] = [];
  let col = nGroups;
  const ref = (t: SqlType): Expr => ({ k: 'col', idx: col++, type: t });
  for (const a of aggs) {
    switch (a.fn) {
      case 'count': case 'count_star':
        partialTypes.push(T.int8);
        finalAggs.push({ fn: 'sum_counts', args: [ref(T.int8)], distinct: false, filter: null, type: a.type });
        break;
      case 'avg': {
        const st = a.type.id === 'numeric' ? T.numeric(38, a.type.scale ?? 0) : a.type.id === 'int8' ? T.numeric(38, 0) : T.float8;
        partialTypes.push(st, T.int8);
        finalAggs.push({ fn: 'avg_final', args: [ref(st), ref(T.int8)], distinct: false, filter: null, type: a.type });
        break;
      }
      case 'stddev_samp': case 'stddev_pop': case 'var_samp': case 'var_pop':
        partialTypes.push(T.int8, T.float8, T.float8);
        finalAggs.push({ fn: `${a.fn}_final`, args: [ref(T.int8), ref(T.float8), ref(T.float8)], distinct: false, filter: null, type: a.type });
        break;
      case 'sum':
        partialTypes.push(a.type);
        finalAggs.push({ fn: 'sum', args: [ref(a.type)], distinct: false, filter: null, type: a.type });
        break;
      default:
        partialTypes.push(a.type);
        finalAggs.push({ fn: a.fn, args: [ref(a.type)], distinct: false, filter: null, type: a.type });
    }
  }
  return { partialTypes, finalAggs };
}

/** Column ids the expressions of a plan read (those of the filter `skip` left out). */
interface Readers { count: Map<number, number>; filters: Map<LNode, number> }

/**
 * Counts, for each column, the places of the plan that read it: each expression collectRefs adds,
 * each column of a DISTINCT or set operation input, and the plan's outputs (each place once however
 * often it names the column). Filters are counted by occurrence, so one filter's own reads can be
 * taken out again (a column read only by that filter has count = the filter's occurrences).
 */
function countReaders(root: LNode, r: Readers): void {
  const place = (ids: Iterable<number>) => { for (const id of new Set(ids)) r.count.set(id, (r.count.get(id) ?? 0) + 1); };
  const go = (n: LNode): void => {
    const here = new Set<number>();
    if (n.op === 'filter') {
      r.filters.set(n, (r.filters.get(n) ?? 0) + 1);
      place(refsOf(n.pred));
      go(n.input);
      return;
    }
    if (n.op === 'get') return;
    if (n.op === 'values') { n.rows.forEach((row) => row.forEach((e) => place(refsOf(e)))); return; }
    // every other node: its own reads (collectRefs of the node alone, inputs excluded)
    collectRefs(n, here, false);
    place(here);
    if (n.op === 'join' || n.op === 'setop') { go(n.left); go(n.right); } else go(n.input);
  };
  go(root);
  place(colsOf(root).map((c) => c.id));
}

/** Adds the column ids `n`'s subtree reads; with `recurse` false, `n`'s own reads only. */
function collectRefs(n: LNode, out: Set<number>, recurse = true): void {
  const add = (e: Expr | null | undefined) => { if (e) walk(e, (x) => { if (x.k === 'ref') out.add(x.id); }); };
  const below = (c: LNode) => { if (recurse) collectRefs(c, out); };
  switch (n.op) {
    case 'get': return;
    case 'values': n.rows.forEach((r) => r.forEach(add)); return;
    case 'filter': add(n.pred); below(n.input); return;
    case 'project': n.exprs.forEach(add); below(n.input); return;
    case 'join': add(n.cond); below(n.left); below(n.right); return;
    case 'agg': n.groups.forEach(add); n.aggs.forEach((a) => { a.args.forEach(add); add(a.filter); a.order?.forEach((o) => add(o.expr)); }); below(n.input); return;
    case 'sort': n.keys.forEach((k) => add(k.expr)); below(n.input); return;
    case 'limit': add(n.limit); add(n.offset); below(n.input); return;
    case 'distinct': for (const c of colsOf(n.input)) out.add(c.id); below(n.input); return;
    case 'window': n.calls.forEach((c) => { c.args.forEach(add); c.partition.forEach(add); c.order.forEach((o) => add(o.expr)); }); below(n.input); return;
    case 'setop': for (const c of [...colsOf(n.left), ...colsOf(n.right)]) out.add(c.id); below(n.left); below(n.right); return;
  }
}
