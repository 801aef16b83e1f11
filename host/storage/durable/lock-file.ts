// The data directory's lock file (host/storage/durable): one process at a time opens a directory, as
// PostgreSQL's postmaster.pid guards its data directory. A lock left by a process that no longer
// exists (killed, crashed) is taken over.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqlError, SqlState } from '../../common/errors.js';

export const LOCK_FILE = 'wasmshift.pid';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Creates `<dir>/wasmshift.pid` holding this process's pid. Throws 55006 (object_in_use) when a
 * live process, this one included, holds the directory. Returns a function that releases it.
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n${new Date().toISOString()}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try { unlinkSync(path); } catch { /* already gone */ }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try { pid = Number.parseInt(readFileSync(path, 'utf8').split('\n')[0] ?? '', 10); } catch { /* vanished */ }
      if (alive(pid)) {
        throw new SqlError(SqlState.objectInUse, `lock file "${LOCK_FILE}" already exists`, {
          hint: `Is another wasmshift (PID ${pid}) running in data directory "${dir}"?`, severity: 'FATAL',
        });
      }
      try { unlinkSync(path); } catch { /* raced with another taker: retry decides */ }
    }
  }
  throw new SqlError(SqlState.objectInUse, `could not take lock file "${LOCK_FILE}" in data directory "${dir}"`, { severity: 'FATAL' });
}
