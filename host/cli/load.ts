// `wasmshift load <table> <file|dir|glob|prefix>...`: runs COPY into a table of a data directory with a
// progress line on a terminal (bytes, rows/s, ETA), through the library's copyFrom (host/load/copy-from.ts).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { open } from '../index.js';
import type { LoadProgress } from '../load/copy-load.js';
import { intFlag, UsageError } from './usage.js';

export const LOAD_HELP = `Usage: wasmshift load <table> <file|dir|glob|prefix|s3://bucket/prefix>... [options] [-- COPY parameters]

Load files into a table with COPY (all or nothing); s3:// sources use AWS_ENDPOINT_URL_S3, AWS_REGION
and the AWS_* keys. Redshift COPY parameters may follow "--",
e.g.  wasmshift load lineitem data/lineitem.tbl -- DELIMITER '|' MAXERROR 10

Options:
  --data <dir>            Data directory (default: ./data under the working directory)
  --format <f>            text (default), csv, json, fixedwidth
  --delimiter <c>         Field delimiter
  --ignoreheader <n>      Skip the first n lines of each file
  --json <arg>            JSON mapping: auto (default), 'auto ignorecase', or a jsonpaths file
  --fixedwidth <spec>     FIXEDWIDTH column spec 'name:width,...'
  --gzip                  Input is gzip-compressed
  --maxerror <n>          Bad rows to skip (recorded in STL_LOAD_ERRORS) before failing
  --dateformat <f>        DATEFORMAT ('auto', 'MM/DD/YYYY', ...)
  --timeformat <f>        TIMEFORMAT ('auto', 'epochsecs', ...)
  --columns <a,b,...>     Target columns in input order
  --slices <n>            Slices of the engine
  --no-progress           No progress line
  -h, --help              Show this help
`;

/** Redshift COPY text for the flags (string values quoted as SQL literals). */
export function flagsToCopyText(v: Record<string, string | boolean | undefined>, extra: string[]): string {
  const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  const fmt = typeof v.format === 'string' ? v.format.toLowerCase() : undefined;
  if (fmt === 'csv') parts.push('CSV');
  else if (fmt === 'json' || v.json !== undefined) parts.push(`JSON ${q(typeof v.json === 'string' ? v.json : 'auto')}`);
  else if (fmt === 'fixedwidth' || v.fixedwidth !== undefined) {
    if (typeof v.fixedwidth !== 'string') throw new UsageError('--format fixedwidth needs --fixedwidth <spec>');
    parts.push(`FIXEDWIDTH ${q(v.fixedwidth)}`);
  } else if (fmt !== undefined && fmt !== 'text') throw new UsageError(`--format must be text, csv, json or fixedwidth, got "${v.format}"`);
  if (typeof v.delimiter === 'string') parts.push(`DELIMITER ${q(v.delimiter)}`);
  if (typeof v.ignoreheader === 'string') parts.push(`IGNOREHEADER ${intFlag('ignoreheader', v.ignoreheader, 0, 0)}`);
  if (v.gzip) parts.push('GZIP');
  if (typeof v.maxerror === 'string') parts.push(`MAXERROR ${intFlag('maxerror', v.maxerror, 0, 0)}`);
  if (typeof v.dateformat === 'string') parts.push(`DATEFORMAT ${q(v.dateformat)}`);
  if (typeof v.timeformat === 'string') parts.push(`TIMEFORMAT ${q(v.timeformat)}`);
  return [...parts, ...extra].join(' ');
}

function mb(n: number): string { return `${(n / 1048576).toFixed(1)} MB`; }

/** One progress line: bytes, percent, rows, rows/s, ETA. */
export function progressLine(p: LoadProgress): string {
  const secs = Math.max(p.elapsedMs / 1000, 0.001);
  const rate = p.rows / secs;
  const parts = [p.bytesTotal ? `${mb(p.bytesDone)} / ${mb(p.bytesTotal)} ${Math.floor((100 * p.bytesDone) / Math.max(p.bytesTotal, 1))}%` : mb(p.bytesDone),
    `${p.rows.toLocaleString('en-US')} rows`, `${Math.round(rate).toLocaleString('en-US')} rows/s`];
  if (p.bytesTotal && p.bytesDone > 0 && p.bytesDone < p.bytesTotal) parts.push(`ETA ${Math.ceil((secs * (p.bytesTotal - p.bytesDone)) / p.bytesDone)}s`);
  if (p.errors) parts.push(`${p.errors} bad rows`);
  return parts.join('  ');
}

export async function loadCommand(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const extra = dash >= 0 ? argv.slice(dash + 1) : [];
  let parsed;
  try {
    parsed = parseArgs({
      args: dash >= 0 ? argv.slice(0, dash) : argv, strict: true, allowPositionals: true,
      options: {
        data: { type: 'string' }, format: { type: 'string' }, delimiter: { type: 'string' }, ignoreheader: { type: 'string' },
        json: { type: 'string' }, fixedwidth: { type: 'string' }, gzip: { type: 'boolean' }, maxerror: { type: 'string' },
        dateformat: { type: 'string' }, timeformat: { type: 'string' }, columns: { type: 'string' }, slices: { type: 'string' },
        'no-progress': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n\n${LOAD_HELP}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(LOAD_HELP); return 0; }
  const [table, ...sources] = positionals;
  if (!table || sources.length === 0) throw new UsageError(`load needs a table and at least one source\n\n${LOAD_HELP}`);
  const sql = flagsToCopyText(v, extra);
  const tty = process.stderr.isTTY && !v['no-progress'];
  const db = await open({ data: resolve(v.data ?? 'data'), ...(v.slices ? { slices: intFlag('slices', v.slices, 1) } : {}) });
  const t0 = Date.now();
  let rows = 0, errors = 0;
  try {
    // Each source is its own COPY (a shell glob gives many paths); all-or-nothing holds per source.
    for (const src of sources) {
      const r = await db.copyFrom(table, /^s3:\/\//i.test(src) ? src : resolve(src), {
        sql, ...(v.columns ? { columns: v.columns.split(',').map((c) => c.trim()) } : {}),
        ...(tty ? { onProgress: (p: LoadProgress) => process.stderr.write(`\r${progressLine(p)}\x1b[K`) } : {}),
      });
      rows += r.rows; errors += r.errors;
    }
  } finally {
    if (tty) process.stderr.write('\n');
    await db.close();
  }
  const secs = (Date.now() - t0) / 1000;
  process.stdout.write(`Loaded ${rows} rows into ${table} in ${secs.toFixed(2)} s${errors ? ` (${errors} bad rows skipped; see stl_load_errors)` : ''}\n`);
  return 0;
}
