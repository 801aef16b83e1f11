// SQL type names as written in DDL and casts (Redshift's names and aliases) resolved to SqlType.
import { SqlError, SqlState } from '../common/errors.js';
import { MAX_NUMERIC_PRECISION, T, type SqlType } from '../types/sql-type.js';

/** Redshift's VARCHAR maximum length in bytes. */
export const MAX_VARCHAR = 65535;

/**
 * Resolves a libpg-query TypeName node. Redshift's rules: CHAR without length is CHAR(1), VARCHAR
 * without length is VARCHAR(256), DECIMAL without precision is DECIMAL(18,0), TEXT is VARCHAR(256)
 * in a column definition (cast targets keep text unbounded), FLOAT is DOUBLE PRECISION.
 */
export function resolveTypeName(typeName: any, forColumn = false): SqlType {
  const names: string[] = (typeName.names ?? []).map((n: any) => n.String.sval as string);
  const name = names.filter((n) => n !== 'pg_catalog').join('.').toLowerCase();
  const mods: number[] = (typeName.typmods ?? []).map((m: any) => {
    const c = m.A_Const;
    if (c?.ival !== undefined) return c.ival.ival ?? 0;
    if (c?.sval) return c.sval.sval.toLowerCase() === 'max' ? MAX_VARCHAR : Number(c.sval.sval);
    if (m.ColumnRef && m.ColumnRef.fields?.[0]?.String?.sval?.toLowerCase() === 'max') return MAX_VARCHAR;
    throw new SqlError(SqlState.syntaxError, 'type modifiers must be simple constants or identifiers');
  });
  const loc = typeName.location !== undefined ? { position: typeName.location + 1 } : {};
  if (typeName.arrayBounds) throw new SqlError(SqlState.featureNotSupported, 'array types are not supported', loc);
  switch (name) {
    case 'int2': case 'smallint': return T.int2;
    case 'int4': case 'integer': case 'int': return T.int4;
    case 'int8': case 'bigint': return T.int8;
    case 'float4': case 'real': return T.float4;
    case 'float8': case 'double precision': return T.float8;
    case 'float': return mods.length && mods[0]! <= 24 ? T.float4 : T.float8;
    case 'bool': case 'boolean': return T.bool;
    case 'numeric': case 'decimal': {
      const p = mods[0] ?? 18, s = mods[1] ?? 0;
      if (p < 1 || p > MAX_NUMERIC_PRECISION) throw new SqlError(SqlState.invalidParameterValue, `NUMERIC precision ${p} must be between 1 and ${MAX_NUMERIC_PRECISION}`, loc);
      if (s < 0 || s > p) throw new SqlError(SqlState.invalidParameterValue, `NUMERIC scale ${s} must be between 0 and precision ${p}`, loc);
      return T.numeric(p, s);
    }
    case 'bpchar': case 'char': case 'character': case 'nchar': {
      // A bare BPCHAR is CHAR(256) in Redshift; CHAR/CHARACTER without a length is CHAR(1).
      const n = mods[0] ?? (name === 'bpchar' && names.length === 1 ? 256 : 1);
      if (n < 1 || n > 4096) throw new SqlError(SqlState.invalidParameterValue, `length for type char must be between 1 and 4096`, loc);
      return T.bpchar(n);
    }
    case 'varchar': case 'character varying': case 'nvarchar': case 'char varying': {
      if (mods.length === 0) return forColumn ? T.varcharN(256) : { id: 'varchar', length: -1 };
      const n = mods[0]!;
      if (n < 1 || n > MAX_VARCHAR) throw new SqlError(SqlState.invalidParameterValue, `length for type varchar cannot exceed ${MAX_VARCHAR}`, loc);
      return T.varcharN(n);
    }
    case 'text': return forColumn ? T.varcharN(256) : T.text;
    case 'bpchar_max': return T.bpchar(4096);
    case 'name': return T.name;
    case 'date': return T.date;
    case 'timestamp': case 'timestamp without time zone': return T.timestamp;
    case 'timestamptz': case 'timestamp with time zone': return T.timestamptz;
    case 'time': case 'time without time zone': return T.time;
    case 'timetz': case 'time with time zone': return { id: 'timetz' };
    case 'interval': return T.interval;
    case 'bytea': case 'varbyte': case 'varbinary': case 'binary varying': return T.bytea;
    case 'oid': case 'regclass': case 'regproc': case 'regtype': return T.oid;
    default:
      throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`, loc);
  }
}
