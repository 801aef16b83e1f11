// UNLOAD ... FORMAT PARQUET: one Parquet file (SNAPPY pages, as Redshift writes) from rows of internal values,
// with hyparquet-writer. Types map as Redshift's UNLOAD maps them ("UNLOAD", PARQUET): SMALLINT INT32 (INT_16),
// INTEGER INT32, BIGINT INT64, DECIMAL(p,s) the DECIMAL logical type over INT32/INT64/FIXED_LEN_BYTE_ARRAY by
// precision, REAL FLOAT, DOUBLE PRECISION DOUBLE, BOOLEAN, CHAR/VARCHAR UTF8 strings, DATE, TIMESTAMP and
// TIMESTAMPTZ INT64 microseconds (TIMESTAMPTZ adjusted to UTC); other types as their text.
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Field } from '../session/api.js';
import { formatText } from '../types/text-format.js';
import type { SqlType } from '../types/sql-type.js';

// hyparquet's SchemaElement, as far as used here.
interface SchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
  type_length?: number;
  repetition_type?: 'OPTIONAL' | 'REQUIRED';
  num_children?: number;
  converted_type?: string;
  logical_type?: Record<string, unknown>;
  precision?: number;
  scale?: number;
}

const STRINGS = new Set(['bpchar', 'varchar', 'text', 'name']);

/** The Parquet column a SQL type becomes, and how a non-NULL internal value is converted for it. */
function column(name: string, t: SqlType): { element: SchemaElement; convert: (v: unknown) => unknown } {
  const el = (e: Omit<SchemaElement, 'name' | 'repetition_type'>): SchemaElement => ({ name, repetition_type: 'OPTIONAL', ...e });
  const same = (v: unknown): unknown => v;
  switch (t.id) {
    case 'bool': return { element: el({ type: 'BOOLEAN' }), convert: (v) => !!v };
    case 'int2': return { element: el({ type: 'INT32', converted_type: 'INT_16' }), convert: same };
    case 'int4': case 'oid': return { element: el({ type: 'INT32' }), convert: same };
    case 'int8': return { element: el({ type: 'INT64' }), convert: (v) => BigInt(v as bigint) };
    case 'float4': return { element: el({ type: 'FLOAT' }), convert: same };
    case 'float8': return { element: el({ type: 'DOUBLE' }), convert: same };
    case 'numeric': {
      const precision = t.precision ?? 18, scale = t.scale ?? 0;
      const physical = precision <= 9 ? { type: 'INT32' as const } : precision <= 18 ? { type: 'INT64' as const } : { type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: 16 };
      return {
        element: el({ ...physical, converted_type: 'DECIMAL', precision, scale, logical_type: { type: 'DECIMAL', precision, scale } }),
        convert: (v) => BigInt(v as bigint),
      };
    }
    case 'date': return { element: el({ type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }), convert: same };
    case 'timestamp': case 'timestamptz': {
      const utc = t.id === 'timestamptz';
      return {
        element: el({ type: 'INT64', ...(utc ? { converted_type: 'TIMESTAMP_MICROS' } : {}), logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: utc, unit: 'MICROS' } }),
        convert: (v) => BigInt(v as bigint),
      };
    }
    default:
      return {
        element: el({ type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }),
        convert: STRINGS.has(t.id) ? (v) => String(v) : (v) => formatText(v, t),
      };
  }
}

/** A Parquet file holding `rows` (columns in `fields` order). */
export function parquetFile(fields: readonly Field[], rows: readonly (readonly unknown[])[], rowGroupRows = 100000): Buffer {
  const cols = fields.map((f) => column(f.name, f.type));
  const schema: SchemaElement[] = [{ name: 'root', num_children: fields.length }, ...cols.map((c) => c.element)];
  const columnData = cols.map((c, i) => ({
    name: c.element.name,
    data: rows.map((r) => (r[i] === null || r[i] === undefined ? null : c.convert(r[i]))),
  }));
  const ab = parquetWriteBuffer({ columnData, schema: schema as never, rowGroupSize: Math.max(1, rowGroupRows), createdBy: 'wasmshift' } as never);
  return Buffer.from(ab);
}

/** About how many bytes a row takes in an uncompressed Parquet page (for MAXFILESIZE and ROWGROUPSIZE). */
export function parquetRowBytes(fields: readonly Field[], row: readonly unknown[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) {
    const v = row[i];
    if (v === null || v === undefined) continue;
    const id = fields[i]!.type.id;
    if (typeof v === 'string') n += 4 + Buffer.byteLength(v);
    else if (id === 'int8' || id === 'float8' || id === 'timestamp' || id === 'timestamptz' || id === 'numeric') n += 8;
    else n += 4;
  }
  return n + 1;
}
