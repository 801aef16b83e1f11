// Scan filters in WASM: the conjuncts of a scan's predicate that compare a fixed-width column with
// a constant (=, <>, <, <=, >, >=, BETWEEN) run as filter_cmp_* / filter_between_* kernels over the
// chunk's column buffers in shared memory, chaining selection vectors; the rest of the predicate
// is evaluated by host/exec/eval.ts on the rows that survive.
import type { Batch, Vector } from '../batch/vector.js';
import { and, conjuncts, type Expr } from '../plan/expr.js';
import { physicalOf } from '../types/sql-type.js';
import type { KernelExports } from '../wasm/kernels.js';

/** Kernels and scratch a thread lends its operators. */
export interface KernelContext {
  k: KernelExports;
  memory: WebAssembly.Memory;
  /** Two selection buffers of at least `capacity` i32 each, in shared memory. */
  selA: number;
  selB: number;
  capacity: number;
}

const OPS: Record<string, number> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };
const FLIP: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

type Step =
  | { kind: 'cmp'; col: number; op: number; k: number | bigint; phys: string }
  | { kind: 'between'; col: number; lo: number | bigint; hi: number | bigint; phys: string };

export interface KernelFilterPlan { steps: Step[]; rest: Expr | null }

const KERNEL_PHYS = new Set(['i16', 'i32', 'i64', 'f32', 'f64']);

function constOf(e: Expr, phys: string): number | bigint | undefined {
  if (e.k !== 'const' || e.value === null || e.value === undefined) return undefined;
  const v = e.value;
  if (phys === 'i64') return typeof v === 'bigint' ? v : undefined;
  if (typeof v !== 'number') return undefined;
  if ((phys === 'i32' || phys === 'i16') && !Number.isInteger(v)) return undefined;
  return v;
}

/** Splits a scan predicate into kernel steps and a remainder. */
export function planKernelFilter(pred: Expr): KernelFilterPlan {
  const steps: Step[] = [];
  const rest: Expr[] = [];
  for (const c of conjuncts(pred)) {
    if (c.k === 'fn' && OPS[c.name] !== undefined && c.args.length === 2) {
      let [a, b] = c.args as [Expr, Expr];
      let name = c.name;
      if (a.k === 'const' && b.k === 'col') { [a, b] = [b, a]; name = FLIP[name]!; }
      if (a.k === 'col') {
        const phys = physicalOf(a.type);
        // bool is u8 and strings are not fixed width; floats compare as PostgreSQL does in the kernel.
        const k = KERNEL_PHYS.has(phys) ? constOf(b, phys) : undefined;
        if (k !== undefined) { steps.push({ kind: 'cmp', col: a.idx, op: OPS[name]!, k, phys }); continue; }
      }
    }
    rest.push(c);
  }
  // lo <= x AND x <= hi on one column becomes one BETWEEN kernel.
  const merged: Step[] = [];
  const used = new Set<number>();
  steps.forEach((s, i) => {
    if (used.has(i) || s.kind !== 'cmp') return;
    if (s.op === 5 || s.op === 3) {
      const j = steps.findIndex((t, jj) => jj !== i && !used.has(jj) && t.kind === 'cmp' && t.col === s.col && (s.op === 5 ? t.op === 3 : t.op === 5));
      if (j >= 0) {
        const t = steps[j] as Extract<Step, { kind: 'cmp' }>;
        used.add(i); used.add(j);
        merged.push({ kind: 'between', col: s.col, lo: s.op === 5 ? s.k : t.k, hi: s.op === 5 ? t.k : s.k, phys: s.phys });
        return;
      }
    }
  });
  steps.forEach((s, i) => { if (!used.has(i)) merged.push(s); });
  return { steps: merged, rest: rest.length ? and(rest) : null };
}

function inMemory(v: Vector, memory: WebAssembly.Memory): boolean {
  const d = v.data as unknown as ArrayBufferView;
  return ArrayBuffer.isView(d) && d.buffer === memory.buffer && (v.valid === null || v.valid.buffer === memory.buffer);
}

/**
 * Runs the kernel steps over a batch whose columns live in shared memory. Returns the selected row
 * indices (a copy), or null when a column is not in shared memory (the caller falls back to JS).
 */
export function runKernelFilter(plan: KernelFilterPlan, b: Batch, kc: KernelContext): Int32Array | null {
  const n = b.length;
  if (n > kc.capacity) return null;
  let selIn = 0, nSel = n;
  let out = kc.selA;
  for (const s of plan.steps) {
    const v = b.columns[s.col]!;
    if (!inMemory(v, kc.memory)) return null;
    const col = (v.data as unknown as ArrayBufferView).byteOffset;
    const valid = v.valid ? v.valid.byteOffset : 0;
    const k = kc.k as unknown as Record<string, (...args: unknown[]) => number>;
    if (s.kind === 'cmp') nSel = k[`filter_cmp_${s.phys}`]!(s.op, col, valid, n, s.k, selIn, nSel, out);
    else nSel = k[`filter_between_${s.phys}`]!(col, valid, n, s.lo, s.hi, selIn, nSel, out);
    selIn = out;
    out = out === kc.selA ? kc.selB : kc.selA;
    if (nSel === 0) break;
  }
  if (selIn === 0) return Int32Array.from({ length: n }, (_, i) => i);
  return new Int32Array(kc.memory.buffer, selIn, nSel).slice();
}
