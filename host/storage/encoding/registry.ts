// The encodings under Redshift's names: which codec stores a block of each, and which column types
// accept each one in CREATE TABLE / ALTER TABLE (Redshift "Compression encodings", the table of
// encoding types and the data types they support).
import { SqlError, SqlState } from '../../common/errors.js';
import { formatType, type SqlType, type TypeId } from '../../types/sql-type.js';
import { az64 } from './az64.js';
import { lzo, zstd } from './byte-codecs.js';
import { bytedict } from './bytedict.js';
import type { BlockCodec } from './codec.js';
import { delta, delta32k } from './delta.js';
import { mostly16, mostly32, mostly8 } from './mostly.js';
import { runlength } from './runlength.js';
import { text255, text32k } from './text-words.js';

/** Encoding tags as block files store them (the fixed header's encoding byte). */
export const Encoding = {
  RAW: 0, BYTEDICT: 1, DELTA: 2, DELTA32K: 3, RUNLENGTH: 4, MOSTLY8: 5, MOSTLY16: 6, MOSTLY32: 7,
  TEXT255: 8, TEXT32K: 9, AZ64: 10, LZO: 11, ZSTD: 12,
} as const;
export type EncodingName = keyof typeof Encoding;

/** The codec of each encoding but RAW. */
export const CODECS: Record<Exclude<EncodingName, 'RAW'>, BlockCodec> = {
  BYTEDICT: bytedict, DELTA: delta, DELTA32K: delta32k, RUNLENGTH: runlength, MOSTLY8: mostly8, MOSTLY16: mostly16,
  MOSTLY32: mostly32, TEXT255: text255, TEXT32K: text32k, AZ64: az64, LZO: lzo, ZSTD: zstd,
};

/** The encoding name of a block's tag, or undefined for an unknown tag. */
export function encodingOfTag(tag: number): EncodingName | undefined {
  return (Object.keys(Encoding) as EncodingName[]).find((k) => Encoding[k] === tag);
}

const INTS: TypeId[] = ['int2', 'int4', 'int8', 'numeric'];
const TIMES: TypeId[] = ['date', 'timestamp', 'timestamptz'];
const STRINGS: TypeId[] = ['bpchar', 'varchar', 'text'];

/**
 * The types each encoding accepts, from Redshift's table; null = every type. Types Redshift does
 * not have (bytea, interval, ...) take the encodings that accept every type, and LZO.
 */
const TYPES: Record<EncodingName, readonly TypeId[] | null> = {
  RAW: null, RUNLENGTH: null, ZSTD: null,
  AZ64: [...INTS, ...TIMES, 'time', 'timetz'],
  BYTEDICT: [...INTS, 'float4', 'float8', ...STRINGS, ...TIMES],
  DELTA: [...INTS, ...TIMES],
  DELTA32K: ['int4', 'int8', 'numeric', ...TIMES],
  MOSTLY8: INTS,
  MOSTLY16: ['int4', 'int8', 'numeric'],
  MOSTLY32: ['int8', 'numeric'],
  TEXT255: ['varchar', 'text'],
  TEXT32K: ['varchar', 'text'],
  LZO: null,
};
/** Types LZO refuses (Redshift: every type but BOOLEAN, REAL and DOUBLE PRECISION). */
const NOT_LZO: readonly TypeId[] = ['bool', 'float4', 'float8'];

/** Whether a column of `type` may be declared ENCODE `name` (name in upper case). */
export function encodingAllowed(name: EncodingName, type: SqlType): boolean {
  if (name === 'LZO') return !NOT_LZO.includes(type.id);
  const types = TYPES[name];
  return types === null || types.includes(type.id);
}

/**
 * Checks a column's ENCODE for CREATE TABLE / ALTER TABLE and returns the stored name (upper
 * case; AUTO becomes the default for the type). Unknown names are 22023, an encoding the type
 * does not take is 0A000, as Redshift refuses both at CREATE TABLE.
 */
export function checkColumnEncoding(encode: string, type: SqlType, column: string, fallback: () => string): string {
  const name = encode.toUpperCase();
  if (name === 'AUTO') return fallback();
  if (!(name in Encoding)) throw new SqlError(SqlState.invalidParameterValue, `invalid encoding type specified for column "${column}"`);
  if (!encodingAllowed(name as EncodingName, type)) {
    throw new SqlError(SqlState.featureNotSupported, `encoding ${name} is not supported for column "${column}" of type ${formatType(type)}`);
  }
  return name;
}

/** The encoding a column's blocks are written with, from its catalog ENCODE (RAW when unset). */
export function blockEncodingOf(encode: string): EncodingName {
  const name = encode.toUpperCase();
  return name in Encoding ? (name as EncodingName) : 'RAW';
}
