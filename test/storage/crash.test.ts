// Crash safety of the durable store: a child process (crash-child.ts) runs a seeded random workload
// against a data directory and prints each acknowledged op; the parent SIGKILLs it at a random
// moment, reopens the directory and checks that the visible state is exactly the model after the
// acknowledged ops, or after one more (the op in flight may have committed before its ACK was
// printed): every acknowledged commit is there, no partial one is visible (a block over several
// tables, with DDL inside, is all there or not at all). Each trial crashes the same directory up to
// three times, so recovery of an already-recovered directory is covered too. More trials:
// WASMSHIFT_CRASH_TRIALS (at least this many) and WASMSHIFT_CRASH_BUDGET_MS (keep going this long);
// WASMSHIFT_CRASH_KILL_MS widens the kill window (default 1000 ms) so more ops run before a kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../../host/index.js';
import { SqlError } from '../../host/common/errors.js';
import { modelAfter, planWorkload, rng, type Model } from './workload.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
const OPS = 30;
const PHASES = 3;
/** Time the trial loop may take; the test keeps starting trials until it is spent. */
const BUDGET_MS = Number(process.env.WASMSHIFT_CRASH_BUDGET_MS ?? 40_000);
const MIN_TRIALS = Number(process.env.WASMSHIFT_CRASH_TRIALS ?? 8);
/** The kill lands at a random moment up to this long after the child is ready. */
const KILL_WINDOW_MS = Number(process.env.WASMSHIFT_CRASH_KILL_MS ?? 1000);

/** killed: this test sent SIGKILL (the child may have printed DONE just before). */
interface ChildRun { acks: number[]; done: boolean; killed: boolean; code: number | null; stderr: string }

function runChild(dir: string, seed: number, start: number, tmp: string, killAfterMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, '--crash-child', dir, String(seed), String(start), String(OPS), tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: number[] = [];
    let out = '', stderr = '', done = false, killed = false, timer: NodeJS.Timeout | null = null;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'READY') timer = setTimeout(() => { killed = p.kill('SIGKILL'); }, killAfterMs);
        else if (line === 'DONE') done = true;
        else if (line.startsWith('ACK ')) acks.push(Number(line.slice(4)));
      }
    });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => { if (timer) clearTimeout(timer); resolve({ acks, done, killed, code, stderr }); });
  });
}

const TABLES = ['t0', 't1', 't2', 't3'];

/** What a reopened directory shows: each table's rows as sorted "id|s|x" lines. */
async function readState(dir: string, slices: number): Promise<Map<string, string[]>> {
  const db = await Database.open({ data: dir, workers: false, slices, memoryBytes: 512 << 20 });
  try {
    const out = new Map<string, string[]>();
    for (const t of TABLES) {
      try {
        const r = await db.query<{ id: number; s: string | null; x: bigint | null }>(`select id, s, x from ${t}`);
        out.set(t, r.rows.map((x) => `${x.id}|${x.s}|${x.x}`).sort());
      } catch (e) {
        if (!(e instanceof SqlError) || e.code !== '42P01') throw e;
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

function render(m: Model): Map<string, string[]> {
  return new Map([...m].map(([t, rows]) => [t, rows.map(([id, s, x]) => `${id}|${s}|${x}`).sort()]));
}

function same(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [t, rows] of a) {
    const other = b.get(t);
    if (!other || other.length !== rows.length || other.some((r, i) => r !== rows[i])) return false;
  }
  return true;
}

function describe(m: Map<string, string[]>): string {
  return [...m].sort().map(([t, r]) => `${t}:${r.length}`).join(' ');
}

test('SIGKILL at random moments never loses an acknowledged commit nor shows a partial one', { timeout: Math.max(180_000, BUDGET_MS * 3 + MIN_TRIALS * 20_000) }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'wasmshift-crash-'));
  const began = Date.now();
  let trials = 0, kills = 0, acknowledged = 0, inFlightVisible = 0, finished = 0;
  /** Acknowledged ops by kind (the label's words before the table names). */
  const kinds = new Map<string, number>();
  try {
    for (let seed = 1; trials < MIN_TRIALS || Date.now() - began < BUDGET_MS; seed++) {
      const dir = join(root, `d${seed}`), tmp = join(root, `f${seed}`);
      mkdirSync(tmp, { recursive: true });
      const ops = planWorkload(seed, OPS, tmp);
      const timing = rng(seed * 7919);
      let start = 0;
      for (let phase = 0; phase < PHASES && start < OPS; phase++) {
        const run = await runChild(dir, seed, start, tmp, Math.floor(timing() * KILL_WINDOW_MS));
        if (!run.killed && run.code !== 0) assert.fail(`child failed (seed ${seed}, phase ${phase}, exit ${run.code}):\n${run.stderr}`);
        assert.deepEqual(run.acks, run.acks.map((_, i) => start + i), 'acks arrive in order');
        const k = start + run.acks.length;
        acknowledged += run.acks.length;
        for (const i of run.acks) { const kind = ops[i]!.label.replace(/ t\d.*$/, ''); kinds.set(kind, (kinds.get(kind) ?? 0) + 1); }
        if (run.done) finished++; else kills++;
        const state = await readState(dir, phase % 2 === 0 ? 2 : 3);
        const expected = render(modelAfter(ops, k));
        if (same(state, expected)) { start = k; continue; }
        const next = k < OPS ? render(modelAfter(ops, k + 1)) : null;
        if (next && same(state, next)) { start = k + 1; inFlightVisible++; continue; }
        assert.fail(`seed ${seed} phase ${phase}: after ${k} acknowledged ops (next: ${ops[k]?.label}) the directory shows ${describe(state)}; expected ${describe(expected)}${next ? ` or ${describe(next)}` : ''}`);
      }
      trials++;
      rmSync(dir, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`# crash trials: ${trials} (${kills} kills, ${finished} runs finished), ${acknowledged} acknowledged ops, in-flight op visible after ${inFlightVisible} kills, 0 lost, 0 partial\n`);
  process.stdout.write(`# acknowledged ops by kind: ${[...kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  assert.ok(trials >= MIN_TRIALS);
  // The kill lands at a random moment, so on a fast machine some runs finish first; the test only
  // means something if kills really happen, in at least half as many runs as there are trials.
  assert.ok(kills >= Math.ceil(trials / 2), `too few runs were killed before they finished (${kills} kills in ${trials} trials)`);
});
