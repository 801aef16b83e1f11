// FIXEDWIDTH COPY input: each line is cut into columns of the widths in the spec
// 'label1:width1,label2:width2,...' (Redshift "COPY parameter reference", FIXEDWIDTH). Widths count
// characters, not bytes. Labels are names only; columns map to the target columns in order.
import { SqlError, SqlState } from '../common/errors.js';
import { LoadErrorCode, LoadRowError } from './load-errors.js';
import type { LoadRecord } from './record.js';

/** Parses the spec into widths; throws 22023 on a malformed one. */
export function parseFixedwidthSpec(spec: string): number[] {
  const widths = spec.split(',').map((part) => {
    const m = /^\s*(?:[^:]+:)?\s*(\d+)\s*$/.exec(part);
    if (!m || Number(m[1]) <= 0) throw new SqlError(SqlState.invalidParameterValue, `invalid FIXEDWIDTH specification "${spec}"`);
    return Number(m[1]);
  });
  if (widths.length === 0) throw new SqlError(SqlState.invalidParameterValue, 'FIXEDWIDTH needs at least one column');
  return widths;
}

/** Cuts each line into fields; a line shorter than the spec is a bad row (1214), longer is 1202. */
export function splitFixedwidth(text: string, widths: number[]): LoadRecord[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, k) => {
    const raw = l.endsWith('\r') ? l.slice(0, -1) : l;
    const chars = [...raw];
    const rec: LoadRecord = { line: k + 1, raw, fields: [], quoted: widths.map(() => false) };
    if (raw === '') return rec;
    if (chars.length < total) { rec.error = new LoadRowError(LoadErrorCode.delimiterNotFound, `Line too short: ${chars.length} characters, FIXEDWIDTH needs ${total}`); return rec; }
    if (chars.length > total && chars.slice(total).join('').trim() !== '') { rec.error = new LoadRowError(LoadErrorCode.extraColumns, 'Extra column(s) found'); return rec; }
    let p = 0;
    for (const w of widths) { rec.fields.push(chars.slice(p, p + w).join('')); p += w; }
    return rec;
  });
}
