// A FileOps for tests that simulates power loss (test/storage/power-loss.test.ts): operations run on
// the real directory, and a shadow records what would survive a power cut: a file's content only as
// of its last fsync, a directory's entries only as of the last fsync of that directory. From the
// chosen operation on, every call fails (the power is gone); materialize() then writes the
// surviving image to a fresh directory.
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeFileOps, type FileOps } from '../../host/storage/durable/file-ops.js';

type Entry = { kind: 'dir' } | { kind: 'file'; inode: number };

export class PowerLossFs implements FileOps {
  /** 1-based index of the mutating operation at which the power fails. */
  crashAt = Number.POSITIVE_INFINITY;
  /** Mutating operations attempted so far. */
  ops = 0;
  private nextInode = 1;
  private readonly inodes = new Map<string, number>();
  private readonly live = new Map<number, Buffer[]>();
  private readonly synced = new Map<number, Buffer>();
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly fds = new Map<number, { inode: number } | { dir: string }>();

  /** `root` must exist, be empty, and count as durable. */
  constructor(readonly root: string) { this.root = resolve(root); }

  get crashed(): boolean { return this.ops >= this.crashAt; }

  private step(): void {
    this.ops++;
    if (this.ops >= this.crashAt) throw Object.assign(new Error('EIO: power lost'), { code: 'EIO' });
  }

  mkdir(p: string): void { this.step(); mkdirSync(p, { recursive: true }); }
  create(p: string): number {
    this.step();
    const fd = openSync(p, 'wx');
    const inode = this.nextInode++;
    this.inodes.set(resolve(p), inode);
    this.live.set(inode, []);
    this.fds.set(fd, { inode });
    return fd;
  }
  write(fd: number, data: Uint8Array): void {
    this.step();
    writeSync(fd, data);
    const f = this.fds.get(fd);
    if (f && 'inode' in f) this.live.get(f.inode)!.push(Buffer.from(data));
  }
  fsync(fd: number): void {
    this.step();
    const f = this.fds.get(fd);
    if (!f) return;
    if ('inode' in f) { this.synced.set(f.inode, Buffer.concat(this.live.get(f.inode)!)); return; }
    const snap = new Map<string, Entry>();
    for (const name of readdirSync(f.dir)) {
      const path = join(f.dir, name);
      if (statSync(path).isDirectory()) snap.set(name, { kind: 'dir' });
      else { const inode = this.inodes.get(path); if (inode !== undefined) snap.set(name, { kind: 'file', inode }); }
    }
    this.entries.set(f.dir, snap);
  }
  close(fd: number): void { this.fds.delete(fd); closeSync(fd); }
  openDir(p: string): number { const fd = openSync(p, 'r'); this.fds.set(fd, { dir: resolve(p) }); return fd; }
  rename(a: string, b: string): void {
    this.step();
    renameSync(a, b);
    const inode = this.inodes.get(resolve(a));
    this.inodes.delete(resolve(a));
    if (inode !== undefined) this.inodes.set(resolve(b), inode);
  }
  unlink(p: string): void { this.step(); unlinkSync(p); this.inodes.delete(resolve(p)); }
  removeTree(p: string): void {
    this.step();
    rmSync(p, { recursive: true, force: true });
    const prefix = resolve(p) + '/';
    for (const k of [...this.inodes.keys()]) if (k.startsWith(prefix)) this.inodes.delete(k);
  }
  readFile(p: string): Buffer { return nodeFileOps.readFile(p); }
  list(p: string): string[] { return nodeFileOps.list(p); }
  isDirectory(p: string): boolean { return nodeFileOps.isDirectory(p); }
  exists(p: string): boolean { return nodeFileOps.exists(p); }

  /** Writes what survives the power cut into `target` (an empty directory). Unsynced files come back empty. */
  materialize(target: string): void {
    const emit = (dir: string, to: string) => {
      for (const [name, e] of this.entries.get(dir) ?? []) {
        if (e.kind === 'dir') { mkdirSync(join(to, name)); emit(join(dir, name), join(to, name)); }
        else writeFileSync(join(to, name), this.synced.get(e.inode) ?? Buffer.alloc(0));
      }
    };
    emit(this.root, target);
  }
}
