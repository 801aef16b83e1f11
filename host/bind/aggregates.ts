// Aggregate functions the binder knows, with Redshift's result types (Redshift "Aggregate
// functions" pages: SUM of INTEGER is BIGINT, AVG of integers is BIGINT, DECIMAL results have
// precision 38 and the argument's scale).
import { SqlError, SqlState } from '../common/errors.js';
import type { Expr } from '../plan/expr.js';
import { isNumeric, isString, T, type SqlType } from '../types/sql-type.js';

const AGGREGATES = new Set([
  'count', 'count_star', 'sum', 'avg', 'min', 'max', 'stddev', 'stddev_samp', 'stddev_pop', 'variance',
  'var_samp', 'var_pop', 'bool_and', 'bool_or', 'listagg', 'any_value', 'median', 'bit_and', 'bit_or',
]);

export function isAggregateName(name: string): boolean { return AGGREGATES.has(name); }

export function aggregateResult(
  name: string, args: Expr[], distinct: boolean, coerce: (e: Expr, t: SqlType) => Expr, position?: number,
): { fn: string; args: Expr[]; type: SqlType } {
  const pos = position === undefined ? {} : { position };
  const a = args[0];
  const need = (n: number) => {
    if (args.length !== n) throw new SqlError(SqlState.undefinedFunction, `function ${name} with ${args.length} arguments does not exist`, pos);
  };
  const numericArg = () => {
    if (!a || !(isNumeric(a.type) || a.type.id === 'unknown')) {
      throw new SqlError(SqlState.undefinedFunction, `function ${name}(${a ? a.type.id : ''}) does not exist`, { ...pos, hint: 'No function matches the given name and argument types. You might need to add explicit type casts.' });
    }
  };
  switch (name) {
    case 'count_star': return { fn: 'count_star', args: [], type: T.int8 };
    case 'count': need(1); return { fn: 'count', args, type: T.int8 };
    case 'sum': {
      need(1); numericArg();
      const t = a!.type;
      if (t.id === 'int2' || t.id === 'int4') return { fn: 'sum', args: [coerce(a!, T.int8)], type: T.int8 };
      if (t.id === 'int8') return { fn: 'sum', args: [coerce(a!, T.numeric(19, 0))], type: T.numeric(38, 0) };
      if (t.id === 'numeric') return { fn: 'sum', args, type: T.numeric(38, t.scale ?? 0) };
      if (t.id === 'unknown') return { fn: 'sum', args: [coerce(a!, T.float8)], type: T.float8 };
      return { fn: 'sum', args: [coerce(a!, T.float8)], type: T.float8 };
    }
    case 'avg': {
      need(1); numericArg();
      const t = a!.type;
      if (t.id === 'int2' || t.id === 'int4' || t.id === 'int8') return { fn: 'avg', args: [coerce(a!, T.int8)], type: T.int8 };
      if (t.id === 'numeric') return { fn: 'avg', args, type: T.numeric(38, t.scale ?? 0) };
      return { fn: 'avg', args: [coerce(a!, T.float8)], type: T.float8 };
    }
    case 'min': case 'max': case 'any_value': {
      need(1);
      const t = a!.type.id === 'unknown' ? T.text : a!.type;
      return { fn: name, args: [coerce(a!, t)], type: t };
    }
    case 'median': {
      need(1); numericArg();
      const t = a!.type;
      if (t.id === 'numeric') return { fn: 'median', args, type: T.numeric(38, Math.max(t.scale ?? 0, 0)) };
      return { fn: 'median', args: [coerce(a!, T.float8)], type: T.float8 };
    }
    case 'stddev': case 'stddev_samp': case 'stddev_pop': case 'variance': case 'var_samp': case 'var_pop': {
      need(1); numericArg();
      const fn = name === 'stddev' ? 'stddev_samp' : name === 'variance' ? 'var_samp' : name;
      return { fn, args: [coerce(a!, T.float8)], type: T.float8 };
    }
    case 'bool_and': case 'bool_or': need(1); return { fn: name, args: [coerce(a!, T.bool)], type: T.bool };
    case 'bit_and': case 'bit_or': need(1); return { fn: name, args, type: a!.type };
    case 'listagg': {
      if (args.length < 1 || args.length > 2) need(1);
      const v = isString(a!.type) ? a! : coerce(a!, T.text);
      const delim = args[1] ? coerce(args[1], T.text) : { k: 'const', value: '', type: T.text } as Expr;
      return { fn: 'listagg', args: [v, delim], type: { id: 'varchar', length: -1 } };
    }
    default:
      void distinct;
      throw new SqlError(SqlState.undefinedFunction, `function ${name} does not exist`, pos);
  }
}
