// The file system calls the durable store makes (host/storage/durable), behind one interface so tests
// can inject failures (a failing fsync) or simulate a crash that loses unsynced writes.
import * as fs from 'node:fs';

/**
 * The synchronous file operations the durable store uses. Every call either succeeds or throws an
 * error with a Node `code` (EIO, ENOSPC, EEXIST, ENOENT ...). Writes are whole buffers.
 */
export interface FileOps {
  mkdir(path: string): void;
  /** Creates a new file for writing (fails with EEXIST when it exists) and returns its descriptor. */
  create(path: string): number;
  write(fd: number, data: Uint8Array): void;
  /** fsync(2). Called on files and on directories (opened with openDir). */
  fsync(fd: number): void;
  close(fd: number): void;
  /** Opens a directory read-only, to fsync it. */
  openDir(path: string): number;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** Removes a directory and everything in it. */
  removeTree(path: string): void;
  readFile(path: string): Buffer;
  /** Names in a directory; [] when it does not exist. */
  list(path: string): string[];
  isDirectory(path: string): boolean;
  exists(path: string): boolean;
}

/** The real file system. */
export const nodeFileOps: FileOps = {
  mkdir: (p) => { fs.mkdirSync(p, { recursive: true }); },
  create: (p) => fs.openSync(p, 'wx', 0o600),
  write: (fd, data) => {
    let at = 0;
    while (at < data.length) at += fs.writeSync(fd, data, at, data.length - at);
  },
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  openDir: (p) => fs.openSync(p, 'r'),
  rename: (a, b) => fs.renameSync(a, b),
  unlink: (p) => fs.unlinkSync(p),
  removeTree: (p) => fs.rmSync(p, { recursive: true, force: true }),
  readFile: (p) => fs.readFileSync(p),
  list: (p) => { try { return fs.readdirSync(p); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []; throw e; } },
  isDirectory: (p) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } },
  exists: (p) => fs.existsSync(p),
};
