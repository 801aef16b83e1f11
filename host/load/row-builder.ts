// Types COPY records into a batch in table column order and accounts for bad rows: each one is recorded
// in STL_LOAD_ERRORS and skipped while at most MAXERROR are found; one more fails the load (Redshift
// "COPY parameter reference" > MAXERROR, "STL_LOAD_ERRORS"). Sits after the format parsers.
import { vectorFromValues, type Batch } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import { castValue } from '../functions/cast.js';
import { T, type SqlType } from '../types/sql-type.js';
import { compileDatetimeFormat, type DatetimeParser } from './datetime-format.js';
import { classifyCastError, colLength, LoadErrorCode, loadFailed, LoadRowError, recordLoadError, typeName, type LoadErrorRow } from './load-errors.js';
import type { LoadRecord } from './record.js';

/** Who loads, for STL_LOAD_ERRORS. */
export interface LoadIdentity {
  /** The object STL_LOAD_ERRORS rows are kept on (the Engine). */
  engine: object;
  user: string;
  session: number;
  query: number;
  starttime: bigint;
}

/** Redshift's MAXERROR ceiling (larger values are lowered to it). */
export const MAX_MAXERROR = 100000;

const CHAR_TYPES = new Set(['varchar', 'bpchar', 'text']);
const DATE_TYPES = new Set(['date', 'timestamp', 'timestamptz']);
const US_PER_DAY = 86400000000n;

/** Accumulates the typed rows of one COPY across its files. */
export class RowBuilder {
  readonly target: number[];
  private values: unknown[][];
  private readonly maxError: number;
  /** This load's bad rows (also in STL_LOAD_ERRORS). */
  readonly errors: LoadErrorRow[] = [];
  private readonly dateParser?: DatetimeParser;
  private readonly timeParser?: DatetimeParser;
  private readonly csv: boolean;
  private readonly nullAs: string;
  /** The input gives every column, in table order. */
  private readonly full: boolean;
  private readonly isChar: boolean[];
  private readonly isDate: boolean[];

  constructor(
    private readonly def: TableDef,
    columns: string[] | null,
    private readonly o: CopyOptions,
    private readonly who: LoadIdentity,
    private readonly defaults?: (ci: number) => unknown,
  ) {
    this.target = columns ? columns.map((n) => {
      const i = def.columns.findIndex((c) => c.name === n);
      if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${n}" of relation "${def.name}" does not exist`);
      return i;
    }) : def.columns.map((_, i) => i);
    this.values = def.columns.map(() => []);
    this.maxError = o.ignoreAllErrors ? Infinity : Math.min(o.maxError ?? 0, MAX_MAXERROR);
    if (o.dateFormat) this.dateParser = compileDatetimeFormat(o.dateFormat, 'date');
    if (o.timeFormat) this.timeParser = compileDatetimeFormat(o.timeFormat, 'time');
    this.csv = o.format === 'CSV';
    this.nullAs = o.nullAs ?? (this.csv ? '' : '\\N');
    this.full = this.target.length === def.columns.length && this.target.every((ci, i) => ci === i);
    this.isChar = def.columns.map((c) => CHAR_TYPES.has(c.type.id));
    this.isDate = def.columns.map((c) => DATE_TYPES.has(c.type.id));
  }

  /** Names of the target columns, in input order. */
  get targetNames(): string[] { return this.target.map((i) => this.def.columns[i]!.name); }

  /** Bad rows allowed before the load fails (MAXERROR, capped; unbounded with IGNOREALLERRORS). */
  get maxErrors(): number { return this.maxError; }

  get rowCount(): number { return this.values[0]?.length ?? 0; }

  /**
   * Types `records` of file `fileName`; lines in `invalidLines` held invalid UTF-8. Records' lines are
   * counted from the piece's start; `lineBase` lines of the file come before it. Throws beyond MAXERROR.
   */
  add(records: LoadRecord[], fileName: string, invalidLines: ReadonlySet<number> = new Set(), skip = this.o.ignoreHeader ?? 0, lineBase = 0): void {
    const width = this.target.length;
    for (let r = 0; r < records.length; r++) {
      const rec = records[r]!;
      if (rec.line <= skip) continue;
      try {
        if (rec.error) throw rec.error;
        if (invalidLines.size && spansInvalid(rec, invalidLines)) throw new LoadRowError(LoadErrorCode.invalidUtf8, 'String contains invalid or unsupported UTF8 codepoints');
        let fields = rec.fields;
        if (!rec.typed) {
          // An empty line is no row (Redshift IGNOREBLANKLINES; blank lines never carry data here).
          if (fields.length <= 1 && (fields[0] === '' || fields[0] === undefined) && !rec.quoted[0]) continue;
          // dbgen's .tbl rows end with the delimiter: one empty trailing field is not a column.
          if (fields.length === width + 1 && fields[width] === '' && !rec.quoted[width]) fields = fields.slice(0, width);
        }
        if (fields.length > width) throw new LoadRowError(LoadErrorCode.extraColumns, 'Extra column(s) found');
        if (fields.length < width) {
          if (!this.o.fillRecord) throw new LoadRowError(LoadErrorCode.delimiterNotFound, 'Delimiter not found', this.def.columns[this.target[fields.length]!]!.name);
          fields = [...fields, ...new Array<null>(width - fields.length).fill(null)];
        }
        const row = this.convert(rec, fields);
        for (let ci = 0; ci < row.length; ci++) this.values[ci]!.push(row[ci]);
      } catch (e) {
        if (!(e instanceof LoadRowError)) throw e;
        this.reject(rec, fileName, e, lineBase);
      }
    }
  }

  private convert(rec: LoadRecord, fields: (string | null)[]): unknown[] {
    const o = this.o;
    const cols = this.def.columns;
    if (this.full) {
      // Every column given, in table order (the common case): no defaults to fill in.
      const row = new Array<unknown>(cols.length);
      for (let ci = 0; ci < cols.length; ci++) row[ci] = this.field(fields[ci]!, rec.quoted[ci] ?? false, !!rec.typed, ci, o);
      for (let ci = 0; ci < cols.length; ci++) {
        if (row[ci] === null && cols[ci]!.notNull) throw new LoadRowError(LoadErrorCode.notNull, 'Missing data for not-null field', cols[ci]!.name, '', 0, cols[ci]!.type);
      }
      return row;
    }
    const row = new Array<unknown>(cols.length).fill(null);
    const given = new Array<boolean>(cols.length).fill(false);
    for (let i = 0; i < fields.length; i++) {
      const ci = this.target[i]!;
      given[ci] = true;
      row[ci] = this.field(fields[i]!, rec.quoted[i] ?? false, !!rec.typed, ci, o);
    }
    for (let ci = 0; ci < cols.length; ci++) {
      const col = cols[ci]!;
      if (!given[ci]) {
        if (this.defaults) row[ci] = this.defaults(ci);
        else if (col.identity) { row[ci] = col.type.id === 'int8' ? col.identity.next : Number(col.identity.next); col.identity.next += col.identity.step; }
      }
      if (row[ci] === null && col.notNull) throw new LoadRowError(LoadErrorCode.notNull, 'Missing data for not-null field', col.name, '', 0, col.type);
    }
    return row;
  }

  /**
   * The value of an unquoted text-format field `f` of table column `ci`, with every rule `add` applies
   * to it (NULL AS, EMPTYASNULL, ..., the cast), or a LoadRowError. For host/load/text-typer.ts.
   */
  fieldValue(f: string, ci: number): unknown { return this.field(f, false, false, ci, this.o); }

  /** The input gives every column, in table order, so a row's fields map to columns one to one. */
  get givesAllColumns(): boolean { return this.full; }

  /** The text that loads NULL (NULL AS; `\\N` in the text format). */
  get nullText(): string { return this.nullAs; }

  /** One field's value, or a LoadRowError. */
  private field(f: string | null, quoted: boolean, typed: boolean, ci: number, o: CopyOptions): unknown {
    if (f === null) return null;
    if (!quoted && !typed && f === this.nullAs) return null;
    const isChar = this.isChar[ci]!;
    if (o.emptyAsNull && f === '' && isChar) return null;
    if (o.blanksAsNull && f !== '' && f.trim() === '' && isChar) return null;
    const { type: t, name } = this.def.columns[ci]!;
    // An empty field of a non-character column is NULL (Redshift loads it so in the text format and CSV).
    if (f === '' && !isChar && !typed) return null;
    let v = f;
    if (o.trimBlanks && isChar) v = v.replace(/\s+$/, '');
    if (!isChar && !typed) v = v.trim();
    try {
      if (this.isDate[ci]) {
        const p = t.id === 'date' ? this.dateParser : this.timeParser;
        if (p) {
          const x = p(v);
          if (typeof x === 'bigint') return t.id === 'date' ? Number(x >= 0n ? x / US_PER_DAY : -((-x + US_PER_DAY - 1n) / US_PER_DAY)) : x;
          v = x;
        }
      }
      const mode = o.truncateColumns && (t.id === 'varchar' || t.id === 'bpchar') ? 'explicit' : 'assign';
      return castValue(v, T.unknown, t, mode);
    } catch (e) {
      if (o.acceptAnyDate && this.isDate[ci]) return null;
      throw classifyCastError(e, t, name, f);
    }
  }

  private reject(rec: LoadRecord, fileName: string, e: LoadRowError, lineBase: number): void {
    const col = e.colname ? this.def.columns.find((c) => c.name === e.colname) : undefined;
    const t = e.colType ?? col?.type;
    const row: LoadErrorRow = {
      user: this.who.user, slice: 0, tbl: this.def.oid, starttime: this.who.starttime, session: this.who.session, query: this.who.query,
      filename: fileName, lineNumber: lineBase + rec.line, colname: e.colname, type: t ? typeName(t) : '', colLength: t ? colLength(t) : '',
      position: e.position, rawLine: rec.raw.slice(0, 1024), rawFieldValue: e.field.slice(0, 1024), errCode: e.code, errReason: e.message.slice(0, 100),
    };
    this.errors.push(row);
    recordLoadError(this.who.engine, row);
    if (this.errors.length > this.maxError) throw loadFailed(this.def.name, this.errors[0]);
  }

  /** The loaded rows as a batch in table column order. */
  finish(): Batch {
    return { columns: this.def.columns.map((c, i) => vectorFromValues(c.type, this.values[i]!)), length: this.rowCount };
  }

  /** The rows typed so far as a batch, and starts over with none (a worker hands rows on as it goes). */
  take(): Batch {
    const b = this.finish();
    for (let i = 0; i < this.values.length; i++) this.values[i] = [];
    return b;
  }
}

function spansInvalid(rec: LoadRecord, bad: ReadonlySet<number>): boolean {
  let lines = 1;
  for (let i = 0; i < rec.raw.length; i++) if (rec.raw.charCodeAt(i) === 10) lines++;
  for (let l = rec.line; l < rec.line + lines; l++) if (bad.has(l)) return true;
  return false;
}
