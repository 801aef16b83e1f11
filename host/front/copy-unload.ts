// COPY and UNLOAD parser: a small recursive-descent parser over the front-end's tokens that turns
// Redshift's load/unload statements (Redshift SQL reference "COPY", "COPY parameter reference",
// "UNLOAD") and PostgreSQL's `COPY ... FROM STDIN / TO STDOUT` (PostgreSQL docs "COPY") into one
// typed object each, for the session's loader and unloader. libpg-query never sees them.
import { SqlError, SqlState } from '../common/errors.js';
import { isPunct, isWord, type Token } from './lexer.js';
import { Cursor, nameList, qualifiedName, type QualifiedName } from './cursor.js';

export type { QualifiedName } from './cursor.js';

export type CopyFormat = 'TEXT' | 'CSV' | 'JSON' | 'AVRO' | 'PARQUET' | 'ORC' | 'FIXEDWIDTH' | 'SHAPEFILE' | 'BINARY';
export type Compression = 'GZIP' | 'BZIP2' | 'LZOP' | 'ZSTD';

/** How the statement authenticates to the object store (parsed, never checked). */
export interface Authorization {
  iamRole?: string;            // 'default' or the ARN(s)
  credentials?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  masterSymmetricKey?: string;
  kmsKeyId?: string;
}

/** Options of COPY (Redshift "COPY parameter reference"; PostgreSQL's options map onto the same fields). */
export interface CopyOptions {
  format: CopyFormat;
  /** JSON/AVRO argument: 'auto', 'auto ignorecase', 'noshred' or a jsonpaths file. */
  formatArgument?: string;
  fixedwidthSpec?: string;
  delimiter?: string;
  quote?: string;
  /** PostgreSQL's ESCAPE 'c' (CSV); Redshift's ESCAPE flag sets `escape: '\\'`. */
  escape?: string;
  nullAs?: string;
  ignoreHeader?: number;
  compression?: Compression;
  dateFormat?: string;
  timeFormat?: string;
  maxError?: number;
  manifest?: boolean;
  region?: string;
  encrypted?: boolean;
  encoding?: string;
  acceptAnyDate?: boolean;
  acceptInvChars?: string;
  blanksAsNull?: boolean;
  emptyAsNull?: boolean;
  explicitIds?: boolean;
  fillRecord?: boolean;
  ignoreAllErrors?: boolean;
  ignoreBlankLines?: boolean;
  removeQuotes?: boolean;
  roundEc?: boolean;
  trimBlanks?: boolean;
  truncateColumns?: boolean;
  noLoad?: boolean;
  serializeToJson?: boolean;
  compRows?: number;
  compUpdate?: 'ON' | 'OFF' | 'PRESET';
  statUpdate?: boolean;
  readRatio?: number;
  ssh?: boolean;
  shapefileSimplify?: { auto: boolean; tolerance?: number };
  /** PostgreSQL HEADER on COPY TO. */
  header?: boolean;
  /** PostgreSQL FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL column lists (or '*'). */
  forceQuote?: string[] | '*';
  forceNotNull?: string[];
  forceNull?: string[];
}

export interface CopyStatement {
  /** FROM: a load; TO: PostgreSQL's COPY ... TO STDOUT. */
  direction: 'from' | 'to';
  /** The table, or null for `COPY (query) TO STDOUT`. */
  table: QualifiedName | null;
  columns: string[] | null;
  /** `COPY (query) TO STDOUT`: the query text and its 0-based offset in the statement text. */
  query?: { text: string; offset: number };
  /** FROM: 's3://...', a file path or manifest, or 'stdin'. */
  source?: string;
  /** TO: 'stdout'. */
  destination?: string;
  authorization: Authorization;
  options: CopyOptions;
}

export interface UnloadOptions {
  format: 'TEXT' | 'CSV' | 'PARQUET' | 'JSON';
  partitionBy?: { columns: string[]; include: boolean };
  manifest?: boolean;
  manifestVerbose?: boolean;
  header?: boolean;
  delimiter?: string;
  fixedwidthSpec?: string;
  encrypted?: boolean;
  encryptedAuto?: boolean;
  compression?: 'GZIP' | 'BZIP2' | 'ZSTD';
  addQuotes?: boolean;
  nullAs?: string;
  escape?: boolean;
  allowOverwrite?: boolean;
  cleanPath?: boolean;
  /** PARALLEL ON is the default. */
  parallel: boolean;
  /** MAXFILESIZE in bytes. */
  maxFileSize?: number;
  /** ROWGROUPSIZE in bytes. */
  rowGroupSize?: number;
  region?: string;
  extension?: string;
}

export interface UnloadStatement {
  /** The SELECT inside the quotes (quotes undone). */
  query: string;
  /** 0-based offset of the query literal's opening quote in the statement text. */
  queryLocation: number;
  destination: string;
  authorization: Authorization;
  options: UnloadOptions;
}

/** ON|TRUE / OFF|FALSE after an option, or `dflt` when absent. */
function onOff(c: Cursor, dflt: boolean): boolean {
  if (c.word('on') || c.word('true')) return true;
  if (c.word('off') || c.word('false')) return false;
  return dflt;
}

/** Authorization parameters shared by COPY and UNLOAD; returns false when `w` is not one. */
function authorizationOption(c: Cursor, w: string, auth: Authorization): boolean {
  switch (w) {
    case 'iam_role':
      if (c.word('default')) auth.iamRole = 'default';
      else auth.iamRole = c.string();
      return true;
    case 'credentials': c.optAs(); auth.credentials = c.string(); return true;
    case 'access_key_id': auth.accessKeyId = c.string(); return true;
    case 'secret_access_key': auth.secretAccessKey = c.string(); return true;
    case 'session_token': auth.sessionToken = c.string(); return true;
    case 'master_symmetric_key': auth.masterSymmetricKey = c.string(); return true;
    case 'kms_key_id': auth.kmsKeyId = c.string(); return true;
    default: return false;
  }
}

const COPY_FORMAT_WORDS: Record<string, CopyFormat> = {
  csv: 'CSV', json: 'JSON', avro: 'AVRO', parquet: 'PARQUET', orc: 'ORC', fixedwidth: 'FIXEDWIDTH',
  shapefile: 'SHAPEFILE', text: 'TEXT', binary: 'BINARY',
};

/** Reads the argument(s) of a format word already consumed (`f`). */
function copyFormat(c: Cursor, f: CopyFormat, o: CopyOptions): void {
  o.format = f;
  if (f === 'CSV') {
    if (c.word('quote')) { c.optAs(); o.quote = c.char(); }
  } else if (f === 'JSON' || f === 'AVRO') {
    c.optAs();
    if (c.peek()?.kind === 'string') o.formatArgument = c.string();
  } else if (f === 'FIXEDWIDTH') {
    c.optAs();
    if (c.peek()?.kind === 'string') o.fixedwidthSpec = c.string();
  } else if (f === 'SHAPEFILE') {
    if (c.word('simplify')) {
      const auto = c.word('auto');
      const s: { auto: boolean; tolerance?: number } = { auto };
      if (c.peek()?.kind === 'number') s.tolerance = c.number();
      o.shapefileSimplify = s;
    }
  }
}

/** Parses one COPY statement (`tokens` relative to `text`, first token COPY). */
export function parseCopy(text: string, tokens: Token[]): CopyStatement {
  const c = new Cursor(text, tokens);
  c.expectWord('copy');
  let table: QualifiedName | null = null;
  let query: { text: string; offset: number } | undefined;
  let columns: string[] | null = null;
  if (isPunct(c.peek(), '(')) {
    // COPY (query) TO STDOUT
    const open = c.i;
    let depth = 0;
    let close = -1;
    for (let j = open; j < tokens.length; j++) {
      if (isPunct(tokens[j], '(')) depth++;
      else if (isPunct(tokens[j], ')') && --depth === 0) { close = j; break; }
    }
    if (close < 0) throw c.error(undefined);
    if (close === open + 1) throw c.error(tokens[close]);
    const from = tokens[open + 1]!.start;
    query = { text: text.slice(from, tokens[close - 1]!.end), offset: from };
    c.i = close + 1;
  } else {
    table = qualifiedName(c);
    if (isPunct(c.peek(), '(')) columns = nameList(c);
  }
  const o: CopyOptions = { format: 'TEXT' };
  const auth: Authorization = {};
  const stmt: CopyStatement = { direction: 'from', table, columns, authorization: auth, options: o };
  if (query) stmt.query = query;
  if (c.word('from')) {
    if (query) throw c.error(tokens[c.i - 1]);
    if (c.word('stdin')) stmt.source = 'stdin';
    else stmt.source = c.string();
  } else if (c.word('to')) {
    stmt.direction = 'to';
    if (!c.word('stdout')) throw c.error();
    stmt.destination = 'stdout';
  } else {
    throw c.error();
  }
  if (c.word('with') && isPunct(c.peek(), '(')) {
    pgOptionList(c, o, stmt.direction);
  } else if (isPunct(c.peek(), '(') && (stmt.source === 'stdin' || stmt.destination === 'stdout')) {
    pgOptionList(c, o, stmt.direction);
  }
  while (!c.atEnd()) {
    if (c.punct(',')) continue;
    const t = c.peek()!;
    if (t.kind !== 'word') throw c.error(t);
    c.next();
    copyOption(c, t, o, auth, stmt.direction);
  }
  return stmt;
}

/** One Redshift COPY parameter (or a PostgreSQL pre-9.0 option such as CSV HEADER), its keyword `t` consumed. */
function copyOption(c: Cursor, t: Token, o: CopyOptions, auth: Authorization, direction: 'from' | 'to'): void {
  const w = t.value;
  if (authorizationOption(c, w, auth)) return;
  if (w === 'format') {
    c.optAs();
    const f = c.peek();
    if (f?.kind !== 'word' || !(f.value in COPY_FORMAT_WORDS)) throw c.error(f);
    c.next();
    copyFormat(c, COPY_FORMAT_WORDS[f.value]!, o);
    return;
  }
  if (w in COPY_FORMAT_WORDS && w !== 'text' && w !== 'binary') { copyFormat(c, COPY_FORMAT_WORDS[w]!, o); return; }
  if (w === 'binary') { o.format = 'BINARY'; return; }
  switch (w) {
    case 'delimiter': c.optAs(); o.delimiter = c.char(); return;
    case 'quote': c.optAs(); o.quote = c.char(); return;
    case 'null': c.optAs(); o.nullAs = c.string(); return;
    case 'ignoreheader': c.optAs(); o.ignoreHeader = c.integer(); return;
    case 'header': if (direction === 'from') o.ignoreHeader = 1; else o.header = true; return;
    case 'gzip': o.compression = 'GZIP'; return;
    case 'bzip2': o.compression = 'BZIP2'; return;
    case 'lzop': o.compression = 'LZOP'; return;
    case 'zstd': o.compression = 'ZSTD'; return;
    case 'dateformat': c.optAs(); o.dateFormat = c.string(); return;
    case 'timeformat': c.optAs(); o.timeFormat = c.string(); return;
    case 'maxerror': c.optAs(); o.maxError = c.integer(); return;
    case 'manifest': o.manifest = true; return;
    case 'region': c.optAs(); o.region = c.string(); return;
    case 'encrypted': c.word('auto'); o.encrypted = true; return;
    case 'encoding': {
      c.optAs();
      const e = c.peek();
      if (e?.kind === 'word' || e?.kind === 'string') { c.next(); o.encoding = e.value.toUpperCase(); return; }
      throw c.error(e);
    }
    case 'acceptanydate': o.acceptAnyDate = true; return;
    case 'acceptinvchars':
      c.optAs();
      o.acceptInvChars = c.peek()?.kind === 'string' ? c.char() : '?';
      return;
    case 'blanksasnull': o.blanksAsNull = true; return;
    case 'emptyasnull': o.emptyAsNull = true; return;
    case 'escape':
      if (c.peek()?.kind === 'string') o.escape = c.char(); else { c.optAs(); o.escape = '\\'; }
      return;
    case 'explicit_ids': o.explicitIds = true; return;
    case 'fillrecord': o.fillRecord = true; return;
    case 'ignoreallerrors': o.ignoreAllErrors = true; return;
    case 'ignoreblanklines': o.ignoreBlankLines = true; return;
    case 'removequotes': o.removeQuotes = true; return;
    case 'roundec': o.roundEc = true; return;
    case 'trimblanks': o.trimBlanks = true; return;
    case 'truncatecolumns': o.truncateColumns = true; return;
    case 'noload': o.noLoad = true; return;
    case 'serializetojson': o.serializeToJson = true; return;
    case 'ssh': o.ssh = true; return;
    case 'comprows': o.compRows = c.integer(); return;
    case 'compupdate':
      if (c.word('preset')) o.compUpdate = 'PRESET';
      else o.compUpdate = onOff(c, true) ? 'ON' : 'OFF';
      return;
    case 'statupdate': o.statUpdate = onOff(c, true); return;
    case 'readratio': o.readRatio = c.integer(); return;
    case 'force': { // PostgreSQL pre-9.0: FORCE QUOTE cols | FORCE NOT NULL cols
      if (c.word('quote')) { o.forceQuote = isPunct(c.peek(), '*') ? (c.next(), '*') : bareNames(c); return; }
      if (c.word('not')) { c.expectWord('null'); o.forceNotNull = bareNames(c); return; }
      throw c.error();
    }
    default: throw c.error(t);
  }
}

function bareNames(c: Cursor): string[] {
  const out = [c.name().value];
  while (c.punct(',')) out.push(c.name().value);
  return out;
}

/** PostgreSQL's `( option [value] [, ...] )` list (PostgreSQL docs "COPY", Parameters). */
function pgOptionList(c: Cursor, o: CopyOptions, direction: 'from' | 'to'): void {
  c.expectPunct('(');
  for (;;) {
    const t = c.name();
    const w = t.value;
    const value = (): string => {
      const v = c.peek();
      if (v?.kind === 'string' || v?.kind === 'word' || v?.kind === 'number' || v?.kind === 'ident') { c.next(); return v.value; }
      throw c.error(v);
    };
    const bool = (): boolean => {
      const v = c.peek();
      if (v === undefined || isPunct(v, ',') || isPunct(v, ')')) return true;
      const s = value().toLowerCase();
      if (['true', 'on', '1', 'yes'].includes(s)) return true;
      if (['false', 'off', '0', 'no'].includes(s)) return false;
      throw c.error(v);
    };
    switch (w) {
      case 'format': {
        const v = c.peek();
        const f = value().toLowerCase();
        if (f !== 'text' && f !== 'csv' && f !== 'binary') {
          throw new SqlError(SqlState.invalidParameterValue, `COPY format "${f}" not recognized`, { position: v!.start + 1 });
        }
        o.format = COPY_FORMAT_WORDS[f]!;
        break;
      }
      case 'delimiter': o.delimiter = value(); break;
      case 'null': o.nullAs = value(); break;
      case 'header': {
        const h = bool();
        if (direction === 'from') { if (h) o.ignoreHeader = 1; } else o.header = h;
        break;
      }
      case 'quote': o.quote = value(); break;
      case 'escape': o.escape = value(); break;
      case 'encoding': o.encoding = value().toUpperCase(); break;
      case 'freeze': bool(); break;
      case 'force_quote': o.forceQuote = isPunct(c.peek(), '*') ? (c.next(), '*') : nameList(c); break;
      case 'force_not_null': o.forceNotNull = nameList(c); break;
      case 'force_null': o.forceNull = nameList(c); break;
      default:
        throw new SqlError(SqlState.syntaxError, `option "${w}" not recognized`, { position: t.start + 1 });
    }
    if (c.punct(',')) continue;
    c.expectPunct(')');
    return;
  }
}

/** Parses one UNLOAD statement (`tokens` relative to `text`, first token UNLOAD). */
export function parseUnload(text: string, tokens: Token[]): UnloadStatement {
  const c = new Cursor(text, tokens);
  c.expectWord('unload');
  c.expectPunct('(');
  const qt = c.peek();
  const query = c.string();
  c.expectPunct(')');
  c.expectWord('to');
  const destination = c.string();
  const auth: Authorization = {};
  const o: UnloadOptions = { format: 'TEXT', parallel: true };
  while (!c.atEnd()) {
    if (c.punct(',')) continue;
    const t = c.peek()!;
    if (t.kind !== 'word') throw c.error(t);
    c.next();
    const w = t.value;
    if (authorizationOption(c, w, auth)) continue;
    switch (w) {
      case 'format': {
        c.optAs();
        const f = c.peek();
        if (isWord(f, 'csv')) o.format = 'CSV';
        else if (isWord(f, 'parquet')) o.format = 'PARQUET';
        else if (isWord(f, 'json')) o.format = 'JSON';
        else throw c.error(f);
        c.next();
        break;
      }
      case 'csv': o.format = 'CSV'; break;
      case 'parquet': o.format = 'PARQUET'; break;
      case 'json': o.format = 'JSON'; break;
      case 'partition': {
        c.expectWord('by');
        const columns = nameList(c);
        o.partitionBy = { columns, include: c.word('include') };
        break;
      }
      case 'manifest': o.manifest = true; if (c.word('verbose')) o.manifestVerbose = true; break;
      case 'header': o.header = true; break;
      case 'delimiter': c.optAs(); o.delimiter = c.char(); break;
      case 'fixedwidth': c.optAs(); o.fixedwidthSpec = c.string(); break;
      case 'encrypted': o.encrypted = true; if (c.word('auto')) o.encryptedAuto = true; break;
      case 'gzip': o.compression = 'GZIP'; break;
      case 'bzip2': o.compression = 'BZIP2'; break;
      case 'zstd': o.compression = 'ZSTD'; break;
      case 'addquotes': o.addQuotes = true; break;
      case 'null': c.optAs(); o.nullAs = c.string(); break;
      case 'escape': o.escape = true; break;
      case 'allowoverwrite': o.allowOverwrite = true; break;
      case 'cleanpath': o.cleanPath = true; break;
      case 'parallel': o.parallel = onOff(c, true); break;
      case 'maxfilesize': c.optAs(); o.maxFileSize = sizeInBytes(c); break;
      case 'rowgroupsize': c.optAs(); o.rowGroupSize = sizeInBytes(c); break;
      case 'region': c.optAs(); o.region = c.string(); break;
      case 'extension': o.extension = c.string(); break;
      default: throw c.error(t);
    }
  }
  return { query, queryLocation: qt!.start, destination, authorization: auth, options: o };
}

/** `n [MB|GB]` (MB when no unit, per the UNLOAD reference) as bytes. */
function sizeInBytes(c: Cursor): number {
  const n = c.number();
  if (c.word('gb')) return Math.round(n * 1024 * 1024 * 1024);
  c.word('mb');
  return Math.round(n * 1024 * 1024);
}
