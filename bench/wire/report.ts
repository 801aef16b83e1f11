// bench:wire's report: percentiles of the latencies the load generator recorded, and the side-by-side text table
// of wasmshift and the PostgreSQL peer (queries/s, p50/p95/p99 per kind, errors by SQLSTATE, memory, abuse).
import type { AbuseOutcome } from './abuse.js';
import { KINDS, type RunResult } from './workload.js';

/** Everything measured against one server. */
export interface ServerReport {
  label: string;
  version: string;
  main: RunResult;
  abuse: { clients: RunResult; outcomes: AbuseOutcome[] } | null;
  rssLoadedBytes: number;
  rssAfterBytes: number;
  rssIdleBytes: number;
  /** The server's V8 heap in use after a GC, when it can tell (wasmshift only). */
  heapLoadedBytes?: number;
  heapIdleBytes?: number;
  /** The server's event-loop delay p99 / max (ms) in the main run and in the abuse phase (wasmshift only). */
  loopDelay?: { main: [number, number]; abuse: [number, number] };
  /** Sessions/connections/sockets the server still held after every client left (wasmshift only). */
  leftover: { sessions: number; connections: number; sockets: number } | null;
  /** Problems that make the run fail. */
  failures: string[];
}

/** The q-th quantile (0..1) of `xs` by nearest rank; NaN for no samples. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

const ms = (v: number): string => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const mib = (b: number): string => (b > 0 ? `${(b / 1048576).toFixed(0)} MiB` : '-');

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Errors of a run as "kind SQLSTATE ×n" strings (expected ones marked). */
export function errorLines(r: RunResult): string[] {
  return [...r.errors].map(([k, e]) => `${k} x${e.count}${e.expected ? ' (expected)' : ` UNEXPECTED: ${e.sample}`}`);
}

/** The side-by-side table. */
export function renderReport(reports: ServerReport[], clients: number): string {
  const out: string[] = [];
  const head = ['', ...reports.flatMap((r) => [`${r.label} n`, 'p50 ms', 'p95 ms', 'p99 ms'])];
  const rows: string[][] = [head];
  for (const k of KINDS) {
    rows.push([k.name, ...reports.flatMap((r) => {
      const l = r.main.latencies.get(k.name)!;
      return [String(l.length), ms(quantile(l, 0.5)), ms(quantile(l, 0.95)), ms(quantile(l, 0.99))];
    })]);
  }
  rows.push(['all', ...reports.flatMap((r) => {
    const l = [...r.main.latencies.values()].flat();
    return [String(l.length), ms(quantile(l, 0.5)), ms(quantile(l, 0.95)), ms(quantile(l, 0.99))];
  })]);
  out.push(pad(rows));
  out.push('');
  const summary: string[][] = [['', ...reports.map((r) => r.label)]];
  summary.push(['server', ...reports.map((r) => r.version)]);
  summary.push([`queries/s (${clients} clients)`, ...reports.map((r) => (r.main.completed / r.main.seconds).toFixed(0))]);
  summary.push(['queries', ...reports.map((r) => String(r.main.completed))]);
  summary.push(['RSS loaded / after run / idle', ...reports.map((r) => `${mib(r.rssLoadedBytes)} / ${mib(r.rssAfterBytes)} / ${mib(r.rssIdleBytes)}`)]);
  summary.push(['left after disconnect (sess/conn/sock)', ...reports.map((r) => (r.leftover ? `${r.leftover.sessions}/${r.leftover.connections}/${r.leftover.sockets}` : 'n/a'))]);
  summary.push(['max latency, main run (ms)', ...reports.map((r) => ms(Math.max(...[...r.main.latencies.values()].map((l) => quantile(l, 1)).filter((v) => !Number.isNaN(v)))))]);
  summary.push(['abuse phase queries/s', ...reports.map((r) => (r.abuse ? (r.abuse.clients.completed / r.abuse.clients.seconds).toFixed(0) : '-'))]);
  summary.push(['abuse phase p50 / p99 / max (ms)', ...reports.map((r) => {
    if (!r.abuse) return '-';
    const l = [...r.abuse.clients.latencies.values()].flat();
    return `${ms(quantile(l, 0.5))} / ${ms(quantile(l, 0.99))} / ${ms(quantile(l, 1))}`;
  })]);
  summary.push(['server event-loop delay p99/max, run (ms)', ...reports.map((r) => (r.loopDelay ? `${ms(r.loopDelay.main[0])} / ${ms(r.loopDelay.main[1])}` : 'n/a'))]);
  summary.push(['server event-loop delay p99/max, abuse (ms)', ...reports.map((r) => (r.loopDelay ? `${ms(r.loopDelay.abuse[0])} / ${ms(r.loopDelay.abuse[1])}` : 'n/a'))]);
  summary.push(['JS heap used loaded / idle', ...reports.map((r) => (r.heapLoadedBytes ? `${mib(r.heapLoadedBytes)} / ${mib(r.heapIdleBytes ?? 0)}` : 'n/a'))]);
  out.push(pad(summary));
  for (const r of reports) {
    out.push('');
    out.push(`${r.label} errors (main run): ${errorLines(r.main).join('; ') || 'none'}`);
    if (r.abuse) {
      out.push(`${r.label} errors (abuse phase, normal clients): ${errorLines(r.abuse.clients).join('; ') || 'none'}`);
      for (const o of r.abuse.outcomes) {
        out.push(`  ${o.ok ? 'ok  ' : 'FAIL'} ${o.name}: ${o.sqlstate ? `ErrorResponse ${o.sqlstate}${o.errorMs !== undefined ? ` after ${o.errorMs.toFixed(0)} ms` : ''}, ` : ''}${o.closed ? `closed after ${o.ms.toFixed(0)} ms` : 'still open'}`);
      }
    }
    for (const f of r.failures) out.push(`  FAILURE: ${f}`);
  }
  return out.join('\n');
}
