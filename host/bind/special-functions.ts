// Functions whose arguments the binder treats specially: Redshift's date-part keywords
// (DATEADD(day, 1, d)), EXTRACT, NVL/NVL2/DECODE rewrites, TRUNC(timestamp), and the
// niladic GETDATE/SYSDATE/NOW.
import { SqlError, SqlState } from '../common/errors.js';
import type { Expr } from '../plan/expr.js';
import { BOOL } from '../plan/expr.js';
import { T } from '../types/sql-type.js';
import type { Binder, ExprCtx } from './binder.js';
import { normalizeDatePart } from '../functions/datetime-fns.js';

/** A date part given as a bare word (ColumnRef) or a string literal. */
function datePartArg(node: any, fname: string): string {
  const word = node?.ColumnRef?.fields?.[0]?.String?.sval ?? node?.A_Const?.sval?.sval;
  if (typeof word !== 'string') throw new SqlError(SqlState.syntaxError, `${fname}: the first argument must be a date part`);
  const part = normalizeDatePart(word);
  if (!part) throw new SqlError(SqlState.invalidParameterValue, `${fname}: date part "${word}" not supported`);
  return part;
}

const text = (s: string): Expr => ({ k: 'const', value: s, type: T.text });

export function bindSpecialFunction(name: string, n: any, b: Binder, ctx: ExprCtx, pos?: number): Expr | null {
  const args: any[] = n.args ?? [];
  const bind = (x: any) => b.bindExpr(x, ctx);
  switch (name) {
    case 'dateadd': case 'date_add': {
      if (args.length !== 3) return null;
      const part = datePartArg(args[0], 'dateadd');
      const k = b.coerceTo(bind(args[1]), T.int8, 'DATEADD');
      let ts = bind(args[2]);
      if (ts.type.id === 'unknown') ts = b.coerceTo(ts, T.timestamp, 'DATEADD');
      if (ts.type.id === 'date') ts = b.coerceTo(ts, T.timestamp, 'DATEADD');
      if (ts.type.id !== 'timestamp' && ts.type.id !== 'timestamptz' && ts.type.id !== 'time') throw b.opError('dateadd', ts.type, ts.type);
      return { k: 'fn', name: 'dateadd', args: [text(part), k, ts], type: ts.type };
    }
    case 'datediff': case 'date_diff': {
      if (args.length !== 3) return null;
      const part = datePartArg(args[0], 'datediff');
      const conv = (e: Expr) => (e.type.id === 'date' || e.type.id === 'unknown' || e.type.id === 'timestamptz' ? b.coerceTo(e, T.timestamp, 'DATEDIFF') : e);
      return { k: 'fn', name: 'datediff', args: [text(part), conv(bind(args[1])), conv(bind(args[2]))], type: T.int8 };
    }
    case 'date_part': case 'extract': case 'pgdate_part': {
      if (args.length !== 2) return null;
      const part = datePartArg(args[0], name);
      let x = bind(args[1]);
      if (x.type.id === 'unknown') x = b.coerceTo(x, T.timestamp, name);
      // a DATE stays a DATE: date_part reads its days directly (host/functions/datetime-fns.ts)
      const fractional = part === 'second' || part === 'epoch';
      const type = name === 'extract' && !fractional ? T.int4 : T.float8;
      if (x.type.id === 'interval') return { k: 'fn', name: 'interval_part', args: [text(part), x], type };
      return { k: 'fn', name: 'date_part', args: [text(part), x], type };
    }
    case 'date_trunc': {
      if (args.length !== 2) return null;
      const partE = bind(args[0]);
      if (partE.k !== 'const' || typeof partE.value !== 'string') throw new SqlError(SqlState.featureNotSupported, 'date_trunc needs a constant unit');
      const part = normalizeDatePart(partE.value);
      if (!part) throw new SqlError(SqlState.invalidParameterValue, `unit "${partE.value}" not recognized`);
      let x = bind(args[1]);
      if (x.type.id === 'unknown' || x.type.id === 'date') x = b.coerceTo(x, T.timestamp, name);
      return { k: 'fn', name: 'date_trunc', args: [text(part), x], type: x.type.id === 'timestamptz' ? T.timestamptz : T.timestamp };
    }
    case 'trunc': {
      if (args.length !== 1) return null;
      const x = bind(args[0]);
      if (x.type.id === 'timestamp' || x.type.id === 'timestamptz') return { k: 'cast', arg: x, type: T.date };
      return b.call('trunc', [x], pos);
    }
    case 'nvl': case 'ifnull': {
      if (args.length < 2) throw new SqlError(SqlState.undefinedFunction, `function ${name} requires at least 2 arguments`);
      return b.unify('coalesce', args.map(bind), 'NVL');
    }
    case 'coalesce': return b.unify('coalesce', args.map(bind), 'COALESCE');
    case 'greatest': case 'least': return b.unify(name, args.map(bind), name.toUpperCase());
    case 'nvl2': {
      if (args.length !== 3) throw new SqlError(SqlState.undefinedFunction, 'function nvl2 requires 3 arguments');
      const [e, x, y] = args.map(bind) as [Expr, Expr, Expr];
      const u = b.unify('coalesce', [x, y], 'NVL2') as Extract<Expr, { k: 'fn' }>;
      return { k: 'case', whens: [{ when: { k: 'isnull', arg: e, neg: true, type: BOOL }, then: u.args[0]! }], else: u.args[1]!, type: u.type };
    }
    case 'decode': {
      if (args.length < 3) throw new SqlError(SqlState.undefinedFunction, 'function decode requires at least 3 arguments');
      const bound = args.map(bind);
      const subject = bound[0]!;
      const pairs: { s: Expr; r: Expr }[] = [];
      let i = 1;
      for (; i + 1 < bound.length; i += 2) pairs.push({ s: bound[i]!, r: bound[i + 1]! });
      const dflt = i < bound.length ? bound[i]! : null;
      const results = b.unify('coalesce', [...pairs.map((p) => p.r), ...(dflt ? [dflt] : [])], 'DECODE') as Extract<Expr, { k: 'fn' }>;
      // DECODE matches NULL to NULL, unlike =.
      const whens = pairs.map((p, j) => {
        const eq = b.compareExprs('eq', subject, p.s);
        const bothNull: Expr = { k: 'and', args: [{ k: 'isnull', arg: subject, neg: false, type: BOOL }, { k: 'isnull', arg: p.s, neg: false, type: BOOL }], type: BOOL };
        return { when: { k: 'or', args: [eq, bothNull], type: BOOL } as Expr, then: results.args[j]! };
      });
      return { k: 'case', whens, else: dflt ? results.args[pairs.length]! : null, type: results.type };
    }
    case 'getdate': case 'sysdate': return { k: 'fn', name: 'getdate', args: [], type: T.timestamp };
    case 'now': case 'transaction_timestamp': case 'statement_timestamp': return { k: 'fn', name: 'now', args: [], type: T.timestamptz };
    case 'timeofday': return { k: 'fn', name: 'now', args: [], type: T.timestamptz };
    default: return null;
  }
}
