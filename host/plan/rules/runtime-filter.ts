// Rule (on the physical plan): run-time filters from a hash join's build side into the scan on its
// probe side. A join that keeps only probe rows with a key on its build side (inner, semi and right
// joins; never left, full or anti joins, which keep unmatched probe rows) publishes its build keys
// once it has read them (host/exec/operators.ts), and the scan whose column the probe key comes
// from drops the rows whose value is not among them, on the encoded chunk, before it decodes its
// other columns (host/exec/chunk-scan.ts, host/exec/runtime-filter.ts). ADR 0020.
//
// A filter travels down from the join through filters, projections of columns, sorts without a
// limit, grouping keys of an aggregation and the row-keeping sides of joins, to the scan in the same
// fragment: everything between the join and the scan runs on one slice after the join has read its
// build side, so that side holds every key the slice's probe rows can meet (a co-located,
// replicated or broadcast build side, or one redistributed to the probe side's placement). It may
// cross the hash exchange of a probe side that is redistributed (DS_DIST_OUTER, DS_DIST_BOTH) when
// the build side is an exchange (materialized first) or a small subtree without exchanges (run on
// every slice first): the leader hands the probe side's fragment one filter of all slices' keys,
// so rows without a match are dropped before they are moved (host/cluster/runner.ts).
import type { SqlType } from '../../types/sql-type.js';
import type { Expr } from '../expr.js';
import { childrenOf, type JoinRuntimeFilter, type PNode } from '../physical.js';

/** Build sides estimated above this many rows publish no filter (building it would cost more than it saves). */
export const RUNTIME_FILTER_MAX_BUILD_EST = 2_000_000;
/** Probe sides estimated under this many rows get no filter: a small scan has little to skip (one chunk is 64K rows). */
export const RUNTIME_FILTER_MIN_PROBE_EST = 100_000;
/** A filter crosses the probe side's exchange only from a build side estimated at most this large (it runs twice). */
export const REMOTE_FILTER_MAX_BUILD_EST = 250_000;

/** The value domain a join key pair is filtered in (host/exec/runtime-filter.ts). */
export type FilterDomain = 'number' | 'string';

const INT_IDS = new Set(['int2', 'int4', 'int8']);
const SAME_IDS = new Set(['date', 'time', 'timestamp', 'timestamptz']);
const STR_IDS = new Set(['bpchar', 'varchar', 'text', 'name']);

/**
 * The domain in which probe key type `l` and build key type `r` compare as the join compares them,
 * or null: integers of any width by value, dates and timestamps of one type, numerics of one scale
 * (their scaled integers), strings ignoring trailing blanks (PostgreSQL's bpchar rule, which the
 * join's keys follow: host/exec/keys.ts). Floats, booleans and mixed types get no filter.
 */
export function filterDomain(l: SqlType, r: SqlType): FilterDomain | null {
  if (INT_IDS.has(l.id) && INT_IDS.has(r.id)) return 'number';
  if (SAME_IDS.has(l.id) && l.id === r.id) return 'number';
  if (l.id === 'numeric' && r.id === 'numeric' && (l.scale ?? 0) === (r.scale ?? 0)) return 'number';
  if (STR_IDS.has(l.id) && STR_IDS.has(r.id)) return 'string';
  return null;
}

/** Every plan with run-time filters placed; filter ids are unique over all of them (one statement). */
export function placeRuntimeFilters(roots: readonly PNode[]): PNode[] {
  let nextId = 0;
  const rewrite = (n: PNode): PNode => {
    const out = withChildren(n, childrenOf(n).map(rewrite));
    if (out.op !== 'hashjoin') return out;
    const reversed = fromProbeSide(out, () => nextId++);
    if (reversed) return reversed;
    if (!(out.kind === 'inner' || out.kind === 'semi' || out.kind === 'right')) return out;
    if (out.right.est > RUNTIME_FILTER_MAX_BUILD_EST || out.right.est >= out.left.est) return out;
    if (out.left.est < RUNTIME_FILTER_MIN_PROBE_EST && !replicatedProbe(out)) return out;
    const filters: JoinRuntimeFilter[] = [];
    let left = out.left;
    // a build side read from an exchange is materialized before the probe side's exchange at no
    // extra cost; one without exchanges is run once more, so only when small
    const crossing = out.right.op === 'exchange' || (out.right.est <= REMOTE_FILTER_MAX_BUILD_EST && !hasExchange(out.right));
    out.leftKeys.forEach((lk, key) => {
      const rk = out.rightKeys[key]!;
      const col = keyColumn(lk);
      if (col === null || filterDomain(lk.type, rk.type) === null) return;
      const id = nextId;
      const rc = keyColumn(rk);
      const build = (rc !== null ? out.right.names[rc] : undefined) ?? 'key';
      const trip: Trip = { id, build, crossing, crossed: false };
      const placed = attach(left, col, trip);
      if (placed === null) return;
      nextId++;
      left = placed;
      filters.push(trip.crossed ? { id, key, remote: true } : { id, key });
    });
    return filters.length ? { ...out, left, runtimeFilters: [...out.runtimeFilters ?? [], ...filters] } : out;
  };
  return roots.map(rewrite);
}

/**
 * A join whose probe side is estimated at most a quarter of its large build side (the join will
 * build its table on the probe rows at run time, ADR 0014) reads its probe side first and filters
 * the build side's scan by the probe keys instead: a build row whose key no probe row has pairs
 * with nothing, in an inner, semi, anti or left join (right and full joins output such rows).
 * An anti join keeps the NOT EXISTS meaning this way: a build row with a NULL key or a key no probe
 * row has never matches, so dropping it changes no probe row's fate (the binder makes anti joins
 * only of NOT EXISTS; NOT IN stays an init plan with its NULL rules, host/bind/binder.ts).
 * The filter may cross the build side's hash exchange (DS_DIST_INNER, DS_DIST_BOTH: TPC-H Q22's
 * 1.5M orders rows redistributed to meet a few thousand customers); it is then `remote`: the runner
 * computes the probe side first on the sites where the join runs, keeps its rows there for the
 * join, and builds the filter from all of them (host/cluster/probe-first.ts), so only build rows
 * that can match are moved. Returns the join with those filters (`fromProbe`), or null when none is placed.
 */
function fromProbeSide(j: Extract<PNode, { op: 'hashjoin' }>, newId: () => number): PNode | null {
  if (!(j.kind === 'inner' || j.kind === 'semi' || j.kind === 'anti' || j.kind === 'left')) return null;
  if (j.right.est < RUNTIME_FILTER_MIN_PROBE_EST || j.left.est * 4 > j.right.est || j.left.est > RUNTIME_FILTER_MAX_BUILD_EST) return null;
  const filters: JoinRuntimeFilter[] = [];
  let right = j.right;
  j.rightKeys.forEach((rk, key) => {
    const lk = j.leftKeys[key]!;
    const col = keyColumn(rk);
    if (col === null || filterDomain(lk.type, rk.type) === null) return;
    const lc = keyColumn(lk);
    const trip: Trip = { id: -1, build: (lc !== null ? j.left.names[lc] : undefined) ?? 'key', crossing: true, crossed: false };
    trip.id = newId();
    const placed = attach(right, col, trip);
    if (placed === null) return;
    right = placed;
    filters.push(trip.crossed ? { id: trip.id, key, fromProbe: true, remote: true } : { id: trip.id, key, fromProbe: true });
  });
  return filters.length ? { ...j, right, runtimeFilters: [...j.runtimeFilters ?? [], ...filters] } : null;
}

/**
 * The input column a probe key reads: a column, or a column under a cast that keeps every value
 * equal: integers widened, or strings into a string type at least as long (a shorter VARCHAR would
 * truncate; CHAR's trailing blanks do not count, as the filter trims them).
 */
function keyColumn(e: Expr): number | null {
  if (e.k === 'col') return e.idx;
  if (e.k !== 'cast' || e.arg.k !== 'col') return null;
  const from = e.arg.type, to = e.type;
  if (INT_IDS.has(to.id) && INT_IDS.has(from.id) && intWidth(to) >= intWidth(from)) return e.arg.idx;
  if (STR_IDS.has(to.id) && STR_IDS.has(from.id) && noShorter(to, from)) return e.arg.idx;
  return null;
}

function intWidth(t: SqlType): number { return t.id === 'int2' ? 2 : t.id === 'int4' ? 4 : 8; }

/** Whether string type `to` holds every value of `from` whole. */
function noShorter(to: SqlType, from: SqlType): boolean {
  const unbounded = (t: SqlType) => t.length === undefined || t.length < 0 || t.id === 'text';
  return unbounded(to) || (!unbounded(from) && to.length! >= from.length!);
}

/**
 * `n` with filter `id` attached to the scan that produces its output column `col`, or null when
 * that column does not come straight from a scan of this fragment along a path where dropping rows
 * whose value has no match above changes nothing but the rows the join above would drop.
 */
function attach(n: PNode, col: number, trip: Trip): PNode | null {
  switch (n.op) {
    case 'scan': {
      const names = n.filterOnly ? [...n.names, ...n.filterOnly.names] : n.names;
      const label = `${names[col] ?? `$${col}`} IN bloom(${trip.build})`;
      return { ...n, runtimeFilters: [...n.runtimeFilters ?? [], { id: trip.id, col, label }] };
    }
    case 'filter': {
      const input = attach(n.input, col, trip);
      return input && { ...n, input };
    }
    case 'project': {
      const e = n.exprs[col];
      const c = e ? keyColumn(e) : null;
      const input = c === null ? null : attach(n.input, c, trip);
      return input && { ...n, input };
    }
    case 'sort': {
      if (n.limit !== null) return null;
      const input = attach(n.input, col, trip);
      return input && { ...n, input };
    }
    case 'agg': {
      // a group's key is one of its rows' values: dropping the rows of a group drops the group
      const g = n.groups[col];
      const c = g ? keyColumn(g) : null;
      const input = c === null ? null : attach(n.input, c, trip);
      return input && { ...n, input };
    }
    case 'hashjoin': case 'nljoin': {
      const nl = n.left.types.length;
      if (col < nl) {
        // left columns of any join but right and full ones, whose unmatched right rows carry NULLs there
        if (n.kind === 'right' || n.kind === 'full') return null;
        const left = attach(n.left, col, trip);
        return left && { ...n, left } as PNode;
      }
      if (!(n.kind === 'inner' || n.kind === 'right' || n.kind === 'cross')) return null;
      const right = attach(n.right, col - nl, trip);
      return right && { ...n, right } as PNode;
    }
    case 'exchange': {
      // a redistributed probe side: rows keep their columns, only their slice changes (once per path)
      if (n.mode !== 'hash' || n.from !== 'slices' || !trip.crossing || trip.crossed) return null;
      trip.crossed = true;
      const input = attach(n.input, col, trip);
      if (input === null) trip.crossed = false;
      return input && { ...n, input };
    }
    default: return null;
  }
}

/** One filter on its way down: its id, EXPLAIN's name of the build key, and whether it may cross (and has crossed) an exchange. */
interface Trip { id: number; build: string; crossing: boolean; crossed: boolean }

/**
 * A join of a replicated probe side with rows spread over the slices (DS_DIST_ALL_NONE with the
 * outer side replicated): every slice reads the whole probe side, so a filter of the slice's own
 * build keys pays even on a small scan, sparing the decoding of the rows no local key meets (TPC-H
 * Q2's supplier strings).
 */
function replicatedProbe(join: Extract<PNode, { op: 'hashjoin' }>): boolean {
  const spread = (n: PNode): boolean => {
    if (n.op === 'scan') return n.replica === 'slice';
    // a `keep` exchange (a shared subtree, ADR 0016) leaves its rows where its input made them
    if (n.op === 'exchange') return n.mode === 'hash' || (n.mode === 'keep' && spread(n.input));
    if (n.op === 'recv') return false;
    return childrenOf(n).some(spread);
  };
  return join.dist === 'DS_DIST_ALL_NONE' && spread(join.right);
}

function hasExchange(n: PNode): boolean {
  return n.op === 'exchange' || n.op === 'recv' || childrenOf(n).some(hasExchange);
}

function withChildren(n: PNode, kids: PNode[]): PNode {
  if (kids.length === 0 || kids.every((k, i) => k === childrenOf(n)[i])) return n;
  switch (n.op) {
    case 'hashjoin': case 'nljoin': case 'setop': return { ...n, left: kids[0]!, right: kids[1]! };
    default: return { ...n, input: kids[0]! } as PNode;
  }
}
