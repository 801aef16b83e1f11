// SQL logic test runner: parses .slt files (the sqllogictest dialect DuckDB and DataFusion write)
// and runs their records against any SltEngine, reporting file:line, SQL, expected and got.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A value as an engine prints it for a logic test: NULL is `null`, everything else its text form. */
export type SltCell = string | null;

/** What one query returned, already in text form. */
export interface SltRows {
  rows: SltCell[][];
}

/** An engine a logic test can run against (wasmshift, or DuckDB to check the runner and the files). */
export interface SltEngine {
  /** Name matched by `skipif <name>` / `onlyif <name>` lines. */
  readonly name: string;
  /** Runs the SQL (one or more statements); returns the rows of the last one. Errors carry `code` (SQLSTATE) when known. */
  run(sql: string): Promise<SltRows>;
  close(): Promise<void>;
}

/** Opens a fresh engine with the given number of slices. */
export type SltEngineFactory = (slices: number) => Promise<SltEngine>;

export type SortMode = 'nosort' | 'rowsort' | 'valuesort' | 'explain';

export interface StatementRecord {
  kind: 'statement';
  line: number;
  sql: string;
  /** undefined: must succeed. Otherwise the error must happen; `expectError` is a SQLSTATE or a message fragment ('' accepts any error). */
  expectError?: string;
  conditions: Condition[];
}

export interface QueryRecord {
  kind: 'query';
  line: number;
  sql: string;
  types: string;
  sort: SortMode;
  expected: string[];
  conditions: Condition[];
}

export interface Condition { kind: 'skipif' | 'onlyif'; engine: string }

/**
 * A data file the later records can read: `file <name>` followed by its lines up to a blank line. The runner
 * writes it into a fresh temporary folder; `__TEST_DIR__` in any SQL names that folder (for COPY tests).
 */
export interface FileRecord {
  kind: 'file';
  line: number;
  name: string;
  content: string;
  conditions: Condition[];
}

export type SltRecord = StatementRecord | QueryRecord | FileRecord;

/** The placeholder for the per-run temporary folder in SQL text. */
export const TEST_DIR = '__TEST_DIR__';

export interface SltFile {
  path: string;
  /** Slices the file asks for (`mode slices N` or `# slices: N`), or undefined to run with the suite's counts. */
  slices?: number;
  records: SltRecord[];
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Parses the text of a .slt file. Throws on malformed records, naming the line. */
export function parseSlt(text: string, path = '<inline>'): SltFile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const file: SltFile = { path, records: [] };
  let i = 0;
  let conditions: Condition[] = [];
  const fail = (line: number, msg: string): never => { throw new Error(`${path}:${line}: ${msg}`); };

  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    const lineNo = i + 1;
    if (trimmed === '') { i++; continue; }
    if (trimmed.startsWith('#')) {
      const m = /^#\s*slices:\s*(\d+)\s*$/i.exec(trimmed);
      if (m) file.slices = Number(m[1]);
      i++;
      continue;
    }
    const words = trimmed.split(/\s+/);
    const head = words[0]!.toLowerCase();
    if (head === 'hash-threshold' || head === 'halt' || head === 'load' || head === 'require') { i++; continue; }
    if (head === 'mode') {
      if (words[1]?.toLowerCase() === 'slices') {
        const n = Number(words[2]);
        if (!Number.isInteger(n) || n < 1) fail(lineNo, `bad slice count in "${trimmed}"`);
        file.slices = n;
      }
      i++;
      continue;
    }
    if (head === 'skipif' || head === 'onlyif') {
      if (!words[1]) fail(lineNo, `${head} needs an engine name`);
      conditions.push({ kind: head, engine: words[1]!.toLowerCase() });
      i++;
      continue;
    }
    if (head === 'statement') {
      const what = words[1]?.toLowerCase();
      if (what !== 'ok' && what !== 'error') fail(lineNo, `expected "statement ok" or "statement error", got "${trimmed}"`);
      const expectError = what === 'error' ? words.slice(2).join(' ') : undefined;
      i++;
      const sqlLines: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.trim() !== '----') sqlLines.push(lines[i++]!);
      let errText = expectError;
      if (i < lines.length && lines[i]!.trim() === '----') {
        // DuckDB style: the expected error message follows the separator.
        i++;
        const msg: string[] = [];
        while (i < lines.length && lines[i]!.trim() !== '') msg.push(lines[i++]!.trim());
        if (what === 'error') errText = [errText, msg.join(' ')].filter((s) => s).join(' ');
      }
      if (sqlLines.length === 0) fail(lineNo, 'statement without SQL');
      const rec: StatementRecord = { kind: 'statement', line: lineNo, sql: sqlLines.join('\n'), conditions };
      if (errText !== undefined) rec.expectError = errText.trim();
      file.records.push(rec);
      conditions = [];
      continue;
    }
    if (head === 'file') {
      const name = words[1];
      if (!name || !/^[\w.-]+$/.test(name)) fail(lineNo, `file needs a plain file name, got "${trimmed}"`);
      i++;
      const content: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '') content.push(lines[i++]!);
      file.records.push({ kind: 'file', line: lineNo, name: name!, content: content.map((l) => l + '\n').join(''), conditions });
      conditions = [];
      continue;
    }
    if (head === 'query') {
      const types = words[1] ?? '';
      if (!/^[A-Za-z]+$/.test(types)) fail(lineNo, `query needs column type letters (e.g. "query IT"), got "${trimmed}"`);
      let sort: SortMode = 'nosort';
      for (const w of words.slice(2)) {
        const lw = w.toLowerCase();
        if (lw === 'nosort' || lw === 'rowsort' || lw === 'valuesort' || lw === 'explain') sort = lw;
        // any other word is a label (sqllogictest's result label); ignored
      }
      i++;
      const sqlLines: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.trim() !== '----') sqlLines.push(lines[i++]!);
      if (sqlLines.length === 0) fail(lineNo, 'query without SQL');
      const expected: string[] = [];
      if (i < lines.length && lines[i]!.trim() === '----') {
        i++;
        while (i < lines.length && lines[i]!.trim() !== '') expected.push(lines[i++]!);
      }
      file.records.push({ kind: 'query', line: lineNo, sql: sqlLines.join('\n'), types, sort, expected, conditions });
      conditions = [];
      continue;
    }
    fail(lineNo, `unknown record "${trimmed}"`);
  }
  return file;
}

/** The text a cell is printed as in a result block: NULL for null, (empty) for '' as in DuckDB's files. */
export function cellText(v: SltCell): string {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  return v;
}

/** Canonical form of one result line for comparison: tabs and runs of blanks between values count as one blank. */
function canonLine(line: string): string {
  return line.replace(/[\t ]+/g, ' ').trim();
}

/**
 * One EXPLAIN line reduced to what the `explain` sort mode compares: the node name and DS_* label,
 * without `(cost=.. rows=.. width=..)` (costs vary; Redshift's "Creating and interpreting a query plan"
 * says costs only compare steps within one plan). Detail lines (Hash Cond:, Sort Key:, ...) return null.
 */
export function explainNode(line: string): string | null {
  let s = line.trim();
  if (s.startsWith('->')) s = s.slice(2).trim();
  if (!s.startsWith('XN ')) return null;
  s = s.replace(/\(cost=[^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  return s;
}

/** EXPLAIN lines as (depth, node) pairs, depth by rank of indentation among node lines. */
export function explainShape(lines: string[]): string[] {
  const nodes: { indent: number; node: string }[] = [];
  for (const l of lines) {
    const node = explainNode(l);
    if (node === null) continue;
    const indent = l.length - l.trimStart().length;
    nodes.push({ indent, node });
  }
  const levels = [...new Set(nodes.map((n) => n.indent))].sort((a, b) => a - b);
  return nodes.map((n) => `${levels.indexOf(n.indent)} ${n.node}`);
}

/** Rows of text lines as the record's sort mode orders them. */
function arrange(rows: SltCell[][], sort: SortMode): string[] {
  if (sort === 'valuesort') return rows.flat().map(cellText).sort();
  const lines = rows.map((r) => r.map(cellText).join(' '));
  if (sort === 'rowsort') return lines.map(canonLine).sort();
  return lines.map(canonLine);
}

function expectedArranged(expected: string[], sort: SortMode): string[] {
  if (sort === 'valuesort') return expected.flatMap((l) => l.split('\t')).map((v) => v.trim()).sort();
  const lines = expected.map(canonLine);
  return sort === 'rowsort' ? lines.sort() : lines;
}

export interface SltFailure {
  path: string;
  line: number;
  sql: string;
  message: string;
}

function errorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' && SQLSTATE.test(c) ? c : undefined;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function applies(conditions: Condition[], engine: string): boolean {
  for (const c of conditions) {
    if (c.kind === 'skipif' && c.engine === engine) return false;
    if (c.kind === 'onlyif' && c.engine !== engine) return false;
  }
  return true;
}

export interface RunOptions {
  /** Engine names whose errors carry no SQLSTATE: `statement error <SQLSTATE>` then accepts any error. */
  lenientErrors?: boolean;
  /** Stop at the first failure (default true: later records usually depend on earlier ones). */
  stopAtFirst?: boolean;
}

/** Checks a failed statement against the record's expectation; returns a failure message or null. */
function checkError(expect: string, e: unknown, lenient: boolean): string | null {
  if (expect === '') return null;
  const code = errorCode(e);
  const msg = errorMessage(e);
  if (SQLSTATE.test(expect)) {
    if (code === expect) return null;
    if (lenient && code === undefined) return null;
    return `expected error ${expect}, got ${code ?? 'no SQLSTATE'}: ${msg}`;
  }
  if (msg.toLowerCase().includes(expect.toLowerCase())) return null;
  if (lenient) return null;
  return `expected an error containing "${expect}", got ${code ?? ''} ${msg}`;
}

/** Runs one parsed file against an engine; returns every failure (empty: the file passed). */
export async function runSlt(file: SltFile, engine: SltEngine, opts: RunOptions = {}): Promise<SltFailure[]> {
  const failures: SltFailure[] = [];
  const stopAtFirst = opts.stopAtFirst ?? true;
  const lenient = opts.lenientErrors ?? false;
  let dir: string | undefined;
  const testDir = async (): Promise<string> => (dir ??= await mkdtemp(join(tmpdir(), 'wasmshift-slt-')));
  try {
    for (const rec of file.records) {
      if (!applies(rec.conditions, engine.name)) continue;
      if (rec.kind === 'file') {
        await writeFile(join(await testDir(), rec.name), rec.content);
        continue;
      }
      if (rec.kind === 'query' && rec.sort === 'explain' && engine.name !== 'wasmshift') continue;
      const sql = rec.sql.includes(TEST_DIR) ? rec.sql.split(TEST_DIR).join(await testDir()) : rec.sql;
      const failure = (message: string): SltFailure => ({ path: file.path, line: rec.line, sql, message });
      let result: SltRows | undefined;
      let error: unknown;
      try {
        result = await engine.run(sql);
      } catch (e) {
        error = e;
      }
      if (rec.kind === 'statement') {
        if (rec.expectError === undefined) {
          if (error !== undefined) failures.push(failure(`expected success, got error ${errorCode(error) ?? ''} ${errorMessage(error)}`));
        } else if (error === undefined) {
          failures.push(failure(`expected error ${rec.expectError || '(any)'}, but the statement succeeded`));
        } else {
          const m = checkError(rec.expectError, error, lenient);
          if (m) failures.push(failure(m));
        }
      } else if (error !== undefined) {
        failures.push(failure(`query failed: ${errorCode(error) ?? ''} ${errorMessage(error)}`));
      } else {
        const rows = result!.rows;
        const width = rows[0]?.length;
        if (width !== undefined && rec.sort !== 'explain' && width !== rec.types.length) {
          failures.push(failure(`query declares ${rec.types.length} column(s) (${rec.types}), got ${width}`));
        } else {
          let want: string[];
          let got: string[];
          if (rec.sort === 'explain') {
            want = explainShape(rec.expected);
            got = explainShape(rows.map((r) => r.map((c) => c ?? '').join(' ')));
          } else {
            want = expectedArranged(rec.expected, rec.sort);
            got = arrange(rows, rec.sort);
          }
          if (want.length !== got.length || want.some((w, k) => w !== got[k])) {
            failures.push(failure(`wrong result (${rec.sort})\n--- expected\n${want.join('\n')}\n--- got\n${got.join('\n')}`));
          }
        }
      }
      if (stopAtFirst && failures.length > 0) break;
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  return failures;
}

/** One failure as a readable block: file:line, SQL, then what differed. */
export function formatFailure(f: SltFailure): string {
  return `${f.path}:${f.line}\n${f.sql}\n${f.message}`;
}

/** Opens an engine, runs a file, closes the engine; throws an Error listing the failures. */
export async function runSltFileWith(file: SltFile, open: SltEngineFactory, slices: number, opts: RunOptions = {}): Promise<void> {
  const engine = await open(file.slices ?? slices);
  let failures: SltFailure[];
  try {
      failures = await runSlt(file, engine, opts);
  } finally {
    await engine.close();
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} failure(s) with ${engine.name}, ${file.slices ?? slices} slice(s):\n\n${failures.map(formatFailure).join('\n\n')}`);
  }
}

/** Every .slt file under `dir`, recursively, sorted by path. */
export async function findSltFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.slt')) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Reads and parses a .slt file; its path in messages is relative to `base` when given. */
export async function loadSlt(path: string, base?: string): Promise<SltFile> {
  const text = await readFile(path, 'utf8');
  return parseSlt(text, base ? relative(base, path) : path);
}

/** The source folder of the .slt files, found from this module's place in dist/test/slt/ or test/slt/. */
export function sltSourceDir(): string {
  const here = new URL('.', import.meta.url);
  const fromDist = new URL('../../../test/slt/', here);
  return here.pathname.includes('/dist/') ? decodeURIComponent(fromDist.pathname) : decodeURIComponent(here.pathname);
}
