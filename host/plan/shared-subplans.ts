// Shared subplans: finds physical subtrees a statement computes more than once (a view or CTE read
// twice, an init plan that repeats the main query's join) and marks each with a `keep` exchange,
// so the runner (host/cluster/runner.ts) computes it once per statement, per slice, and every use
// reads the kept rows. Runs after lowering, over the main plan and the init plans together.
import { callsVolatile } from '../functions/index.js';
import { childrenOf, type PNode } from './physical.js';

/** Where a node's rows are produced and read: the leader, every slice, or slice 0 alone. */
export type Site = 'leader' | 'slices' | 'slice0';

type Exchange = Extract<PNode, { op: 'exchange' }>;

/** A kept subplan as EXPLAIN lists it: its number, one copy of its plan, where it runs, how many places read it. */
export interface SharedSubplan { share: number; plan: PNode; site: Site; uses: number }

/** Fields that describe a node without changing its rows: estimates, display names, exchange numbering. */
const COSMETIC = new Set(['est', 'names', 'label']);

/**
 * Numbers subtrees by the rows they compute: two subtrees get one number when they compute equal
 * rows at the same site. Column positions count, display names and estimates do not, nor exchange
 * numbers (each plan numbers its own). A node's number is that of its own fields' canonical text
 * with each child replaced by the child's number, so each node's fields are read once: the texts
 * stay the size of one node and a plan is numbered in time linear in its size.
 */
export class SubplanKeys {
  private readonly byText = new Map<string, number>();
  private readonly memo = new Map<PNode, number>();
  /** Texts of the field values met so far (types and expressions recur across nodes). */
  private readonly texts = new Map<object, string>();

  /** The subtree's number: equal numbers (from this instance) mean equal rows. */
  of(n: PNode): number {
    const seen = this.memo.get(n);
    if (seen !== undefined) return seen;
    const kids = childrenOf(n);
    const parts: string[] = [];
    for (const k of Object.keys(n).sort()) {
      if (COSMETIC.has(k) || (k === 'id' && n.op === 'exchange')) continue;
      const v = (n as unknown as Record<string, unknown>)[k];
      const child = kids.indexOf(v as PNode);
      parts.push(`${k}:${child >= 0 ? `#${this.of(v as PNode)}` : canonical(v, this.texts)}`);
    }
    const text = `{${parts.join(',')}}`;
    let id = this.byText.get(text);
    if (id === undefined) { id = this.byText.size; this.byText.set(text, id); }
    this.memo.set(n, id);
    return id;
  }
}

/** Plain data as text, object keys sorted; an object's text is remembered in `texts`. */
function canonical(v: unknown, texts: Map<object, string>): string {
  if (v === undefined) return 'u';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'u';
  const seen = texts.get(v);
  if (seen !== undefined) return seen;
  let text: string;
  if (Array.isArray(v)) text = `[${v.map((x) => canonical(x, texts)).join(',')}]`;
  else if (ArrayBuffer.isView(v)) text = `<${Array.from(v as unknown as ArrayLike<number>).join(',')}>`;
  else {
    const o = v as Record<string, unknown>;
    text = `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${k}:${canonical(o[k], texts)}`).join(',')}}`;
  }
  texts.set(v, text);
  return text;
}

/**
 * Rows (estimated) that must flow through some node of a subtree for keeping it to pay: a smaller
 * one is cheaper to compute again inside each use's fragment, in parallel on the slices, than to
 * compute first in a fragment of its own and post to the fragments that read it (TPC-H Q11's
 * 400-row supplier-nation join measured about 10% slower kept).
 */
export const SHARE_MIN_ROWS = 100_000;

/**
 * Whether computing a subtree once for all its uses is allowed and worth a kept result: it reads a
 * table, does more than scan and filter it (a join, an aggregation, a sort, a move between slices),
 * moves at least SHARE_MIN_ROWS rows through some node, and calls no volatile function (each use of
 * RANDOM() must draw its own values, as PostgreSQL's "Function Volatility Categories" page requires
 * of a function evaluated again).
 */
export function worthSharing(n: PNode): boolean {
  let scans = false;
  let work = false;
  let volatile = false;
  let rows = 0;
  const visit = (x: PNode): void => {
    if (x.est > rows) rows = x.est;
    switch (x.op) {
      case 'scan': scans = true; break;
      // A partial aggregate over a scan alone runs morsel-driven (host/cluster/pool.ts): its rows
      // are not on the slice that stores them, which a kept result must not assume.
      case 'agg': if (x.mode !== 'partial') work = true; break;
      case 'hashjoin': case 'nljoin': case 'sort': case 'setop': case 'window': case 'exchange': work = true; break;
      default: break;
    }
    if (nodeCallsVolatile(x)) volatile = true;
    for (const c of childrenOf(x)) visit(c);
  };
  visit(n);
  return scans && work && !volatile && rows >= SHARE_MIN_ROWS;
}

/** Whether the node's own expressions (not its children's) call a volatile function. */
function nodeCallsVolatile(n: PNode): boolean {
  const kids = new Set<unknown>(childrenOf(n));
  return Object.entries(n).some(([k, v]) => k !== 'types' && !kids.has(v) && callsVolatile(v));
}

/** Calls `f` on every node of a subtree with the site that produces its rows, parents first. */
function walkSites(n: PNode, site: Site, f: (n: PNode, site: Site) => void): void {
  f(n, site);
  const below: Site = n.op === 'exchange' ? n.from : site;
  for (const c of childrenOf(n)) walkSites(c, below, f);
}

function maxExchangeId(n: PNode): number {
  let m = -1;
  walkSites(n, 'leader', (x) => { if (x.op === 'exchange' && x.id > m) m = x.id; });
  return m;
}

/**
 * A coarse number per node: its operator, scanned table and children's outlines. Equal subtrees
 * have equal outlines, so a node whose outline occurs once cannot repeat and needs no full key.
 */
function outlines(roots: PNode[]): { of: Map<PNode, number>; count: Map<number, number> } {
  const ids = new Map<string, number>();
  const of = new Map<PNode, number>();
  const count = new Map<number, number>();
  const go = (n: PNode): number => {
    let id = of.get(n);
    if (id === undefined) {
      const text = `${n.op}:${n.op === 'scan' ? n.table : ''}:${childrenOf(n).map(go).join(',')}`;
      id = ids.get(text);
      if (id === undefined) { id = ids.size; ids.set(text, id); }
      of.set(n, id);
    } else childrenOf(n).forEach(go);
    count.set(id, (count.get(id) ?? 0) + 1);
    return id;
  };
  roots.forEach(go);
  return { of, count };
}

/**
 * Replaces every subtree that occurs more than once over `roots` (the main plan, then the init
 * plans, all run by one statement) at the same site with a `keep` exchange over it. Occurrences of
 * one subtree share the exchange's id, above every exchange id the plans use, so the runner keeps
 * the first computation and hands it to the rest. The largest repeated subtrees win: nothing inside
 * a kept subtree is shared again. Returns the new roots and the kept subplans.
 */
export function shareRepeatedSubplans(roots: PNode[]): { roots: PNode[]; shared: SharedSubplan[] } {
  const outline = outlines(roots);
  const keys = new SubplanKeys();
  const keyAt = (n: PNode, site: Site) => `${site}|${keys.of(n)}`;
  const count = new Map<string, number>();
  for (const r of roots) walkSites(r, 'leader', (n, site) => {
    if (outline.count.get(outline.of.get(n)!)! < 2) return;
    const k = keyAt(n, site);
    count.set(k, (count.get(k) ?? 0) + 1);
  });
  // Largest first: a repeated subtree's occurrences, not descending into them.
  const chosen = new Map<string, PNode[]>();
  const choose = (n: PNode, site: Site): void => {
    const k = outline.count.get(outline.of.get(n)!)! > 1 ? keyAt(n, site) : '';
    if ((count.get(k) ?? 0) > 1 && worthSharing(n)) { chosen.set(k, [...chosen.get(k) ?? [], n]); return; }
    const below: Site = n.op === 'exchange' ? n.from : site;
    for (const c of childrenOf(n)) choose(c, below);
  };
  for (const r of roots) choose(r, 'leader');
  const repeated = [...chosen].filter(([, ns]) => ns.length > 1);
  if (repeated.length === 0) return { roots, shared: [] };

  let nextId = Math.max(...roots.map(maxExchangeId)) + 1;
  const wrap = new Map<PNode, Exchange>();
  const shared: SharedSubplan[] = [];
  repeated.forEach(([k, ns], share) => {
    const site = k.slice(0, k.indexOf('|')) as Site;
    const id = nextId++;
    shared.push({ share: share + 1, plan: ns[0]!, site, uses: ns.length });
    for (const n of ns) {
      wrap.set(n, { op: 'exchange', mode: 'keep', input: n, keys: [], from: site, id, share: share + 1, uses: ns.length, types: n.types, names: n.names, est: n.est });
    }
  });
  const rebuild = (n: PNode): PNode => {
    const w = wrap.get(n);
    if (w) return w;
    const kids = childrenOf(n);
    if (kids.length === 0) return n;
    const nk = kids.map(rebuild);
    if (nk.every((k, i) => k === kids[i])) return n;
    switch (n.op) {
      case 'hashjoin': case 'nljoin': case 'setop': return { ...n, left: nk[0]!, right: nk[1]! };
      default: return { ...n, input: nk[0]! } as PNode;
    }
  };
  return { roots: roots.map(rebuild), shared };
}

/** The kept subplans of planned roots (what shareRepeatedSubplans marked), for EXPLAIN. */
export function keptSubplans(roots: PNode[]): SharedSubplan[] {
  const byShare = new Map<number, SharedSubplan>();
  for (const r of roots) walkSites(r, 'leader', (n) => {
    if (n.op === 'exchange' && n.mode === 'keep' && n.share !== undefined && !byShare.has(n.share)) {
      byShare.set(n.share, { share: n.share, plan: n.input, site: n.from, uses: n.uses ?? 1 });
    }
  });
  return [...byShare.values()].sort((a, b) => a.share - b.share);
}
