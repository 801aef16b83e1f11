// Deterministic data for the differential suite: a 1M-row fact table with every column type and
// NULLs, a 10K-row dimension and a small pair table, written once as pipe-delimited text files.

import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/tpch/generate.js';

/** Bumped whenever the generated rows change, so files cached in os.tmpdir() are rewritten. */
export const DATA_VERSION = 1;

/** Text written for NULL in the data files (COPY ... NULL AS 'NULL'; no generated string equals it). */
export const NULL_TEXT = 'NULL';

export interface DiffTable {
  name: string;
  /** Column list for CREATE TABLE, shared by both engines. */
  columns: string;
  /** Redshift table attributes (distribution, sort key) appended for wasmshift. */
  redshiftAttrs: string;
  rows: number;
  file: string;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima',
  'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray',
  'yankee', 'zulu', 'Alpha', 'Zulu', 'm', 'n', 'mango', 'nectar', 'al_1', 'al%2', 'x_1y', 'Mixed Case', 'a', 'b', 'c', 'd'];

function maybeNull(rng: Rng, pct: number, v: () => string): string {
  return rng.int(0, 99) < pct ? NULL_TEXT : v();
}

function cents(c: number): string {
  const neg = c < 0;
  const a = Math.abs(c);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

function dayText(day: number): string { return new Date(day * 86_400_000).toISOString().slice(0, 10); }
const DAY_2000 = Date.UTC(2000, 0, 1) / 86_400_000;

function writeFile(path: string, rows: number, row: (i: number) => string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let buf: string[] = [];
  let size = 0;
  for (let i = 0; i < rows; i++) {
    const line = row(i) + '\n';
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) { writeSync(fd, buf.join('')); buf = []; size = 0; }
  }
  writeSync(fd, buf.join(''));
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Writes (or reuses, when already written for this seed and size) the three tables' files under
 * os.tmpdir() and returns their descriptions. facts: `factRows` rows (default 1,000,000).
 */
export function differentialData(seed = 42, factRows = 1_000_000): DiffTable[] {
  const dir = join(tmpdir(), `wasmshift-differential-v${DATA_VERSION}-${seed}-${factRows}`);
  mkdirSync(dir, { recursive: true });
  const facts: DiffTable = {
    name: 'facts',
    columns: 'id BIGINT NOT NULL, k1 INTEGER NOT NULL, k2 INTEGER, fk INTEGER, i INTEGER, b BIGINT, d DECIMAL(12,2), ' +
      'f DOUBLE PRECISION, s VARCHAR(16), g VARCHAR(8) NOT NULL, dt DATE, flag BOOLEAN',
    redshiftAttrs: 'DISTSTYLE KEY DISTKEY (fk) SORTKEY (dt)',
    rows: factRows,
    file: join(dir, 'facts.tbl'),
  };
  const dim: DiffTable = {
    name: 'dim',
    columns: 'id INTEGER NOT NULL, name VARCHAR(20) NOT NULL, grp INTEGER NOT NULL, w DECIMAL(8,3), since DATE',
    redshiftAttrs: 'DISTKEY (id)',
    rows: 10_000,
    file: join(dir, 'dim.tbl'),
  };
  const pairs: DiffTable = {
    name: 'pairs',
    columns: 'a INTEGER NOT NULL, b INTEGER NOT NULL, label VARCHAR(10) NOT NULL',
    redshiftAttrs: 'DISTSTYLE ALL',
    rows: 400,
    file: join(dir, 'pairs.tbl'),
  };
  if (!existsSync(facts.file)) {
    const rng = new Rng(seed);
    writeFile(facts.file, factRows, (id) => [
      id,
      rng.int(0, 99),
      maybeNull(rng, 5, () => String(rng.int(0, 9))),
      maybeNull(rng, 2, () => String(rng.int(0, 11_999))),
      maybeNull(rng, 5, () => String(rng.int(-1_000_000, 1_000_000))),
      maybeNull(rng, 5, () => String(rng.int(-1_000_000, 1_000_000) * 1_000_000 + rng.int(0, 999_999))),
      maybeNull(rng, 5, () => cents(rng.int(-9_999_999, 9_999_999))),
      maybeNull(rng, 5, () => String((rng.u32() / 4294967296) * 2000 - 1000)),
      maybeNull(rng, 5, () => WORDS[rng.int(0, WORDS.length - 1)]! + (rng.int(0, 1) ? String(rng.int(0, 99)) : '')),
      `${rng.int(0, 9) === 0 ? 'G' : 'g'}${String(rng.int(0, 49)).padStart(2, '0')}`,
      maybeNull(rng, 5, () => dayText(DAY_2000 + rng.int(0, 9131))),
      maybeNull(rng, 5, () => (rng.int(0, 1) ? 'true' : 'false')),
    ].join('|'));
  }
  if (!existsSync(dim.file)) {
    const rng = new Rng(seed + 1);
    writeFile(dim.file, dim.rows, (id) => [
      id,
      `${WORDS[rng.int(0, 25)]}-${rng.int(0, 999)}`,
      rng.int(0, 9),
      maybeNull(rng, 10, () => `${rng.int(0, 9999)}.${String(rng.int(0, 999)).padStart(3, '0')}`),
      maybeNull(rng, 10, () => dayText(DAY_2000 + rng.int(0, 9131))),
    ].join('|'));
  }
  if (!existsSync(pairs.file)) {
    writeFile(pairs.file, pairs.rows, (i) => [Math.floor(i / 10), i % 10, `p${Math.floor(i / 10)}-${i % 10}`].join('|'));
  }
  return [facts, dim, pairs];
}

/** Statements that create and load the tables in wasmshift (Redshift COPY, "COPY parameter reference"). */
export function wasmshiftLoad(tables: DiffTable[]): string[] {
  return tables.flatMap((t) => [
    `CREATE TABLE ${t.name} (${t.columns}) ${t.redshiftAttrs}`,
    `COPY ${t.name} FROM '${t.file}' DELIMITER '|' NULL AS '${NULL_TEXT}'`,
  ]);
}

/** Statements that create and load the tables in DuckDB. */
export function duckdbLoad(tables: DiffTable[]): string[] {
  return tables.flatMap((t) => [
    `CREATE TABLE ${t.name} (${t.columns})`,
    `COPY ${t.name} FROM '${t.file}' (DELIMITER '|', HEADER false, NULLSTR '${NULL_TEXT}', QUOTE '')`,
  ]);
}
