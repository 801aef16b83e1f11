// Helpers the logical rewrite rules share: applying a function to a node's inputs, and the highest
// column id a plan uses (rules that add columns number them after it).
import { refsOf, type Expr } from '../expr.js';
import { colsOf, type Col, type LNode } from '../logical.js';

/** The node with `f` applied to each input. */
export function mapInputs(n: LNode, f: (c: LNode) => LNode): LNode {
  switch (n.op) {
    case 'get': case 'values': return n;
    case 'join': case 'setop': return { ...n, left: f(n.left), right: f(n.right) };
    default: return { ...n, input: f(n.input) };
  }
}

/** The largest column id `n` defines or reads (-1 for none). */
export function maxColId(n: LNode): number {
  let max = -1;
  const see = (cols: Col[]) => { for (const c of cols) if (c.id > max) max = c.id; };
  const exprs = (es: (Expr | null | undefined)[]) => { for (const e of es) if (e) for (const r of refsOf(e)) if (r > max) max = r; };
  const go = (x: LNode): void => {
    see(colsOf(x));
    if (x.op === 'filter') exprs([x.pred]);
    if (x.op === 'join') exprs([x.cond]);
    if (x.op !== 'get' && x.op !== 'values') mapInputs(x, (c) => { go(c); return c; });
  };
  go(n);
  return max;
}
