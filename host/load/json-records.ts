// JSON COPY input: a file of JSON objects (or arrays, with a jsonpaths file), one row each, mapped to
// columns by 'auto' (keys equal to column names), 'auto ignorecase', or a jsonpaths file (Redshift "COPY
// from JSON format"). Numbers keep their source text so int8/numeric load exactly.
import { readFileSync } from 'node:fs';
import { SqlError, SqlState } from '../common/errors.js';
import { LoadErrorCode, LoadRowError } from './load-errors.js';
import type { LoadRecord } from './record.js';

/** A JSON value with numbers kept as their source text. */
type JVal = null | boolean | string | { num: string } | JVal[] | { [k: string]: JVal };

/** How JSON fields map to the target columns. */
export type JsonMapping = { kind: 'auto'; ignoreCase: boolean } | { kind: 'paths'; paths: PathStep[][] };
type PathStep = string | number;

/** The mapping for FORMAT JSON's argument: 'auto', 'auto ignorecase', or a jsonpaths file's path. */
export function jsonMapping(arg: string | undefined): JsonMapping {
  const a = (arg ?? 'auto').trim();
  if (a.toLowerCase() === 'auto') return { kind: 'auto', ignoreCase: false };
  if (a.toLowerCase() === 'auto ignorecase') return { kind: 'auto', ignoreCase: true };
  if (a.toLowerCase() === 'noshred') throw new SqlError(SqlState.featureNotSupported, "JSON 'noshred' (SUPER columns) is not supported");
  let doc: unknown;
  try { doc = JSON.parse(readFileSync(a, 'utf8')); } catch (e) {
    throw new SqlError(SqlState.ioError, `could not read jsonpaths file "${a}": ${(e as Error).message}`);
  }
  const paths = (doc as { jsonpaths?: unknown }).jsonpaths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw new SqlError(SqlState.invalidParameterValue, `jsonpaths file "${a}" needs a "jsonpaths" array of strings`);
  return { kind: 'paths', paths: (paths as string[]).map(parsePath) };
}

/** Parses a JSONPath in Redshift's subset: $, .name, ['name'], ["name"], [index]. */
export function parsePath(p: string): PathStep[] {
  const bad = (): SqlError => new SqlError(SqlState.invalidParameterValue, `Invalid JSONPath format: "${p}"`);
  if (!p.startsWith('$')) throw bad();
  const out: PathStep[] = [];
  let i = 1;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^[^.[\]]+/.exec(p.slice(i + 1));
      if (!m) throw bad();
      out.push(m[0]); i += 1 + m[0].length;
    } else if (p[i] === '[') {
      const m = /^\[\s*(?:(\d+)|'([^']*)'|"([^"]*)")\s*\]/.exec(p.slice(i));
      if (!m) throw bad();
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!); i += m[0].length;
    } else throw bad();
  }
  return out;
}

/** Splits the text into records for the named target columns. */
export function splitJson(text: string, columns: string[], mapping: JsonMapping): LoadRecord[] {
  const out: LoadRecord[] = [];
  const p = new JsonParser(text);
  const lower = columns.map((c) => c.toLowerCase());
  for (;;) {
    p.ws();
    if (p.i >= text.length) break;
    const start = p.i, line = p.line;
    let v: JVal;
    try {
      v = p.value();
    } catch (e) {
      // Malformed: one bad row, then resume at the next line after its start that opens an object or
      // array in column 0 (nested values of pretty-printed objects are indented).
      const next = text.slice(start).search(/\n[{[]/);
      const end = next < 0 ? text.length : start + next + 1;
      p.i = start; p.line = line;
      out.push({ line, raw: text.slice(start, Math.min(end, start + 1024)), fields: [], quoted: [], error: new LoadRowError(LoadErrorCode.unknownParse, `Invalid JSON: ${(e as Error).message}`) });
      p.skipTo(end);
      continue;
    }
    const raw = text.slice(start, p.i);
    const rec: LoadRecord = { line, raw, fields: [], quoted: [], typed: true };
    if (mapping.kind === 'auto') {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || isNum(v)) {
        rec.error = new LoadRowError(LoadErrorCode.unknownParse, "Invalid JSON object: 'auto' needs an object per row");
      } else {
        const obj = v as { [k: string]: JVal };
        const keys = mapping.ignoreCase ? new Map(Object.keys(obj).map((k) => [k.toLowerCase(), k])) : null;
        columns.forEach((c, k) => {
          const key = keys ? keys.get(lower[k]!) : Object.prototype.hasOwnProperty.call(obj, c) ? c : undefined;
          pushValue(rec, key === undefined ? null : obj[key]!);
        });
      }
    } else {
      if (mapping.paths.length !== columns.length) {
        throw new SqlError(SqlState.invalidParameterValue, `Number of jsonpaths and the number of columns should match. JSONPath size: ${mapping.paths.length}, Number of columns in table or column list: ${columns.length}`);
      }
      for (const path of mapping.paths) pushValue(rec, follow(v, path));
    }
    out.push(rec);
  }
  return out;
}

function follow(v: JVal, path: PathStep[]): JVal {
  let cur: JVal = v;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return null;
    if (typeof s === 'number') { if (!Array.isArray(cur)) return null; cur = cur[s] ?? null; continue; }
    if (Array.isArray(cur) || isNum(cur)) return null;
    const o = cur as { [k: string]: JVal };
    cur = Object.prototype.hasOwnProperty.call(o, s) ? o[s]! : null;
  }
  return cur;
}

function isNum(v: JVal): v is { num: string } { return v !== null && typeof v === 'object' && !Array.isArray(v) && NUM in v; }
const NUM = Symbol('num');

function pushValue(rec: LoadRecord, v: JVal): void {
  if (v === null) { rec.fields.push(null); rec.quoted.push(false); return; }
  if (typeof v === 'string') { rec.fields.push(v); rec.quoted.push(true); return; }
  if (typeof v === 'boolean') { rec.fields.push(v ? 'true' : 'false'); rec.quoted.push(true); return; }
  if (isNum(v)) { rec.fields.push(v.num); rec.quoted.push(true); return; }
  // Nested objects and arrays load as their JSON text (into a character column).
  rec.fields.push(stringify(v)); rec.quoted.push(true);
}

function stringify(v: JVal): string {
  if (v === null) return 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (isNum(v)) return v.num;
  if (Array.isArray(v)) return `[${v.map(stringify).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${stringify(x)}`).join(',')}}`;
}

/** A small JSON parser (RFC 8259) that tracks lines and keeps number text. */
class JsonParser {
  i = 0;
  line = 1;
  constructor(private readonly s: string) {}
  skipTo(end: number): void { for (; this.i < end; this.i++) if (this.s[this.i] === '\n') this.line++; }
  ws(): void {
    const s = this.s;
    for (; this.i < s.length; this.i++) {
      const c = s[this.i]!;
      if (c === '\n') this.line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  }
  private fail(what: string): never { throw new Error(`${what} at line ${this.line}`); }
  value(): JVal {
    this.ws();
    const s = this.s, c = s[this.i];
    if (c === '{') {
      this.i++;
      const o: { [k: string]: JVal } = {};
      this.ws();
      if (s[this.i] === '}') { this.i++; return o; }
      for (;;) {
        this.ws();
        if (s[this.i] !== '"') this.fail('expected a key');
        const k = this.string();
        this.ws();
        if (s[this.i] !== ':') this.fail("expected ':'");
        this.i++;
        o[k] = this.value();
        this.ws();
        if (s[this.i] === ',') { this.i++; continue; }
        if (s[this.i] === '}') { this.i++; return o; }
        this.fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      this.i++;
      const a: JVal[] = [];
      this.ws();
      if (s[this.i] === ']') { this.i++; return a; }
      for (;;) {
        a.push(this.value());
        this.ws();
        if (s[this.i] === ',') { this.i++; continue; }
        if (s[this.i] === ']') { this.i++; return a; }
        this.fail("expected ',' or ']'");
      }
    }
    if (c === '"') return this.string();
    if (s.startsWith('true', this.i)) { this.i += 4; return true; }
    if (s.startsWith('false', this.i)) { this.i += 5; return false; }
    if (s.startsWith('null', this.i)) { this.i += 4; return null; }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(this.i, this.i + 400));
    if (!m) this.fail(c === undefined ? 'unexpected end of input' : `unexpected character '${c}'`);
    this.i += m[0].length;
    const n = { num: m[0] } as { num: string } & { [NUM]: true };
    (n as Record<symbol, boolean>)[NUM] = true;
    return n as unknown as JVal;
  }
  private string(): string {
    const s = this.s;
    const start = ++this.i;
    let simple = true;
    for (; this.i < s.length; this.i++) {
      const c = s[this.i]!;
      if (c === '"') break;
      if (c === '\\') { simple = false; this.i++; continue; }
      if (c === '\n') this.fail('newline in string');
    }
    if (this.i >= s.length) this.fail('unterminated string');
    const body = s.slice(start, this.i++);
    if (simple) return body;
    try { return JSON.parse(`"${body}"`) as string; } catch { this.fail('bad escape in string'); }
  }
}
