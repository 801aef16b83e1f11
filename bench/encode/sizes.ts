// Bytes on disk per encoding: loads TPC-H lineitem (bench/tpch generator, SF 0.1 by default) into an
// in-memory engine, then writes every column's blocks (one per chunk, as the durable store does) in
// every encoding its type accepts and prints the total block bytes per column and encoding, the
// ratio to RAW, and the median time to decode the column (JS and WASM-kernel lane decoders).
// Run: npm run bench:encode [-- --sf 0.1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vector } from '../../host/batch/vector.js';
import { Engine } from '../../host/session/database.js';
import { Session } from '../../host/session/session.js';
import { decodeBlock, encodeBlock } from '../../host/storage/durable/block.js';
import { jsLaneDecoders, type LaneDecoders } from '../../host/storage/encoding/lane-decoders.js';
import { Encoding, encodingAllowed, type EncodingName } from '../../host/storage/encoding/registry.js';
import { laneDecodersFor } from '../../host/storage/encoding/wasm-lane-decoders.js';
import { generateTpch } from '../tpch/generate.js';
import { redshiftCopy, redshiftDdl } from '../tpch/schema.js';

const args = process.argv.slice(2);
const sf = Number(args[args.indexOf('--sf') + 1] ?? 0.1) || 0.1;
const NAMES = Object.keys(Encoding) as EncodingName[];

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; }

/** Median ms over `runs` decodes of the blocks. */
function decodeMs(blocks: Uint8Array[], lanes: LaneDecoders, runs = 3): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const b of blocks) decodeBlock(b, 'bench.blk', lanes);
    times.push(performance.now() - t0);
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), 'wasmshift-bench-encode-'));
try {
  generateTpch({ sf, outDir: dir, tables: ['lineitem'] });
  const engine = await Engine.create({ workers: false, slices: 1 });
  const s = new Session(engine);
  const ddl = redshiftDdl().find((d) => /CREATE TABLE lineitem/.test(d))!;
  await s.execute(ddl);
  await s.execute(redshiftCopy(dir).find((c) => / lineitem /.test(c))!);
  const def = engine.catalog.find('lineitem', 'public', [])!;
  if (def.kind !== 'table') throw new Error('no lineitem');
  const data = engine.tables.get(def.oid)!;
  const chunks = data.slices.flat();
  const kernelLanes = laneDecodersFor(engine.store.memory, engine.store.allocator);
  console.log(`TPC-H lineitem SF ${sf}: ${data.rows} rows in ${chunks.length} chunks; KB of block files per column and encoding (x = ratio to RAW)`);
  console.log(`decode ms (fixed-width columns): median of 3 decodes of the column's blocks, JS lanes / WASM kernel lanes\n`);
  const header = ['column', 'type', ...NAMES];
  const rows: string[][] = [];
  const totals = new Map<EncodingName, number>();
  const decodeRows: string[][] = [];
  def.columns.forEach((col, c) => {
    const vectors: Vector[] = chunks.map((ch) => engine.store.decode(ch, [c]).columns[0]!);
    let rawBytes = 0;
    const cells: string[] = [];
    const dec: string[] = [];
    for (const name of NAMES) {
      if (!encodingAllowed(name, col.type)) { cells.push('-'); continue; }
      const blocks = vectors.map((v) => encodeBlock(v, name));
      const bytes = blocks.reduce((n, b) => n + b.bytes.length, 0);
      if (name === 'RAW') rawBytes = bytes;
      totals.set(name, (totals.get(name) ?? 0) + bytes);
      const stored = blocks.every((b) => b.encoding === name) ? '' : blocks.some((b) => b.encoding === name) ? '*' : ' (raw)';
      cells.push(`${(bytes / 1024).toFixed(0)} ${(bytes / rawBytes).toFixed(2)}x${stored}`);
      // Decode timing for the fixed-width forms only (strings decode in JS whatever the encoding).
      if (vectors[0] && !Array.isArray(vectors[0].data) && ['DELTA', 'AZ64', 'BYTEDICT', 'RUNLENGTH', 'MOSTLY16', 'ZSTD', 'RAW'].includes(name)) {
        const files = blocks.map((b) => b.bytes);
        dec.push(`${name} ${decodeMs(files, jsLaneDecoders).toFixed(1)}/${decodeMs(files, kernelLanes).toFixed(1)}`);
      }
    }
    rows.push([col.name, col.encode ? `${col.type.id} (${col.encode})` : col.type.id, ...cells]);
    if (dec.length) decodeRows.push([col.name, dec.join('  ')]);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`\nsum over the columns each encoding accepts (KB): ${NAMES.map((n) => `${n} ${((totals.get(n) ?? 0) / 1024).toFixed(0)}`).join(', ')}`);
  console.log('* = some blocks declined (stored RAW); (raw) = every block declined\n');
  for (const r of decodeRows) console.log(`${r[0]!.padEnd(16)} ${r[1]}`);
  await engine.close();
} finally { rmSync(dir, { recursive: true, force: true }); }
