// Helpers for writing vectorized scalar functions (host/functions/*): validity from the inputs,
// output allocation, and the generic row loop the less hot functions use.
import type { Vector, VectorData } from '../batch/vector.js';
import { allocData, allValid, bitmapBytes, clearBit, getBit } from '../batch/vector.js';
import { physicalOf, T, type SqlType } from '../types/sql-type.js';
import { SqlError, SqlState } from '../common/errors.js';
import { keepShape } from '../common/keep-shape.js';

const I64_MAX = 0x7fffffffffffffffn;
const I64_MIN = -0x8000000000000000n;

/** AND of the inputs' validity (null when every input is all-valid). */
export function andValid(args: readonly Vector[], n: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const a of args) {
    if (a.valid === null) continue;
    if (out === null) { out = a.valid.slice(0, bitmapBytes(n)); continue; }
    for (let i = 0; i < out.length; i++) out[i]! &= a.valid[i]!;
  }
  return out;
}

/** Whether row i is valid in a bitmap that may be null (all valid). */
export function ok(valid: Uint8Array | null, i: number): boolean {
  return valid === null || ((valid[i >> 3]! >> (i & 7)) & 1) === 1;
}

/**
 * Generic strict function: NULL if any argument is NULL, else f(values). `f` may return null to
 * produce NULL. Values are internal values (bool as boolean).
 */
export function mapStrict(args: readonly Vector[], n: number, type: SqlType, f: (...v: any[]) => unknown): Vector {
  const valid = andValid(args, n);
  const out = new ResultBuilder(type, n);
  const vals = new Array<unknown>(args.length);
  const bools = args.map((a) => a.type.id === 'bool');
  for (let i = 0; i < n; i++) {
    if (!ok(valid, i)) { out.setNull(i); continue; }
    for (let j = 0; j < args.length; j++) {
      const d = args[j]!.data[i];
      vals[j] = bools[j] ? d === 1 || d === true : d;
    }
    const r = f(...vals);
    if (r === null || r === undefined) out.setNull(i); else out.set(i, r);
  }
  return out.finish();
}

/** Non-strict variant: f sees null for NULL arguments. */
export function mapRows(args: readonly Vector[], n: number, type: SqlType, f: (...v: any[]) => unknown): Vector {
  const out = new ResultBuilder(type, n);
  const vals = new Array<unknown>(args.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < args.length; j++) {
      const a = args[j]!;
      if (!ok(a.valid, i)) { vals[j] = null; continue; }
      const d = a.data[i];
      vals[j] = a.type.id === 'bool' ? d === 1 || d === true : d;
    }
    const r = f(...vals);
    if (r === null || r === undefined) out.setNull(i); else out.set(i, r);
  }
  return out.finish();
}

/** Builds one output vector of a type, switching numeric storage to bigint[] when a value exceeds int64. */
export class ResultBuilder {
  data: VectorData;
  valid: Uint8Array | null = null;
  private readonly bool: boolean;
  private readonly i64: boolean;
  constructor(readonly type: SqlType, readonly n: number) {
    this.data = allocData(type, n);
    this.bool = type.id === 'bool';
    this.i64 = physicalOf(type) === 'i64';
  }
  set(i: number, v: unknown): void {
    if (this.bool) { (this.data as Uint8Array)[i] = v ? 1 : 0; return; }
    if (this.i64) {
      let b = typeof v === 'bigint' ? v : BigInt(v as number);
      if (this.data instanceof BigInt64Array) {
        if (b > I64_MAX || b < I64_MIN) this.data = Array.from(this.data) as bigint[];
        else { this.data[i] = b; return; }
      }
      (this.data as bigint[])[i] = b;
      return;
    }
    (this.data as unknown[])[i] = v;
  }
  setNull(i: number): void {
    if (this.valid === null) this.valid = allValid(this.n);
    clearBit(this.valid, i);
  }
  finish(): Vector { return { type: this.type, length: this.n, data: this.data, valid: this.valid }; }
}

/** A vector from a data array and validity. */
export function vec(type: SqlType, n: number, data: VectorData, valid: Uint8Array | null): Vector {
  return { type, length: n, data, valid };
}

export function isNullAt(v: Vector, i: number): boolean {
  return v.valid !== null && !getBit(v.valid, i);
}

export function overflow(typeName: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${typeName} out of range`);
}

export function divByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

// An idle builder keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new ResultBuilder(T.int4, 0));
