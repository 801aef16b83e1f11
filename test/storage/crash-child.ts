// The process the crash test kills (test/storage/crash.test.ts): opens a data directory, runs the
// ops of a seeded workload from a given index and prints "ACK <i>" after each acknowledged op.
// Started as `node crash-child.js --crash-child <dir> <seed> <start> <count> <tmp> [--fail-fsync]`;
// without --crash-child (e.g. when a test runner loads it) it does nothing.
import { writeFileSync } from 'node:fs';
import { Database } from '../../host/index.js';
import { nodeFileOps } from '../../host/storage/durable/file-ops.js';
import { planWorkload } from './workload.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] !== '--crash-child') return;
  const [, dir, seedText, startText, countText, tmp] = args as [string, string, string, string, string, string];
  const failFsync = args.includes('--fail-fsync');
  const ops = planWorkload(Number(seedText), Number(countText), tmp);
  // --fail-fsync: every fsync after open fails with EIO, and the default reaction (exit) applies.
  let opened = false;
  const fs = failFsync ? { ...nodeFileOps, fsync: (fd: number) => { if (opened) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }); nodeFileOps.fsync(fd); } } : nodeFileOps;
  const db = await Database.open({ data: dir, workers: false, slices: 2, memoryBytes: 512 << 20, storage: { fs } });
  opened = true;
  process.stdout.write('READY\n');
  for (let i = Number(startText); i < ops.length; i++) {
    const op = ops[i]!;
    if (op.file) writeFileSync(op.file.name, op.file.content);
    for (const s of op.sql) await db.query(s);
    process.stdout.write(`ACK ${i}\n`);
  }
  await db.close();
  process.stdout.write('DONE\n');
}

await main();
