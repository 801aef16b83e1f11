// Non-strict conditionals (COALESCE, GREATEST, LEAST), regular-expression matching, and the
// session information functions (CURRENT_USER, VERSION(), ...).
import type { Vector } from '../batch/vector.js';
import { T } from '../types/sql-type.js';
import { compareValues } from './compare.js';
import { register } from './registry.js';
import { mapRows, mapStrict, ok, ResultBuilder } from './vec.js';

/** The version() string: Redshift's shape, so tools that parse it recognise Redshift. */
export const VERSION_STRING = 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.77467 (wasmshift 0.1.0)';

register('coalesce', {
  resolve: (ts) => ({ args: ts, ret: ts[0]! }),
  eval(args, n, ret) {
    const out = new ResultBuilder(ret, n);
    for (let i = 0; i < n; i++) {
      let done = false;
      for (const a of args) {
        if (ok(a.valid, i)) { out.set(i, a.type.id === 'bool' ? a.data[i] === 1 : a.data[i]); done = true; break; }
      }
      if (!done) out.setNull(i);
    }
    return out.finish();
  },
});

for (const [name, sign] of [['greatest', 1], ['least', -1]] as const) {
  register(name, {
    resolve: (ts) => ({ args: ts, ret: ts[0]! }),
    // NULLs are ignored; NULL only when every argument is NULL (PostgreSQL and Redshift).
    eval: (args: Vector[], n: number, ret) => mapRows(args, n, ret, (...v: unknown[]) => {
      let best: unknown = null;
      for (const x of v) if (x !== null && (best === null || compareValues(x, best, ret) * sign > 0)) best = x;
      return best;
    }),
  });
}

register('regex_match', {
  resolve: (ts) => ({ args: ts, ret: T.bool }),
  eval(args, n, ret) {
    const cache = new Map<string, RegExp>();
    return mapStrict(args, n, ret, (s: string, p: string, op: string) => {
      const ci = op.endsWith('*');
      let re = cache.get(p + op);
      if (!re) { re = new RegExp(p, ci ? 'iu' : 'u'); cache.set(p + op, re); }
      return re.test(s) !== op.startsWith('!');
    });
  },
});

const name = { id: 'name' } as const;
register(['current_user', 'user', 'session_user'], { resolve: () => ({ args: [], ret: name }), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => ctx.user) });
register('current_schema', { resolve: () => ({ args: [], ret: name }), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => ctx.schema) });
register(['current_database', 'current_catalog'], { resolve: () => ({ args: [], ret: name }), eval: (_a, n, ret, ctx) => mapRows([], n, ret, () => ctx.database) });
register('version', { resolve: (ts) => (ts.length === 0 ? { args: [], ret: T.text } : null), eval: (_a, n, ret) => mapRows([], n, ret, () => VERSION_STRING) });
