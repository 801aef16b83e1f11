// Splits a large .tbl file into parts at line boundaries (<file>.001, .002, ...) so one COPY over the key
// prefix loads them all, as Redshift's "Loading data files" and "Load takes too long" pages advise for big loads.

import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Writes `<outDir>/<name>.001 ...` with at most about `partBytes` bytes each, every part ending at a newline,
 * and returns their paths. Done once: a `<name>.parts` marker listing the parts makes later calls free.
 */
export function splitTbl(file: string, outDir: string, partBytes: number): string[] {
  const name = basename(file);
  const marker = join(outDir, `.${name}.parts`);
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as string[];
  mkdirSync(outDir, { recursive: true });
  const inFd = openSync(file, 'r');
  const size = fstatSync(inFd).size;
  const parts: string[] = [];
  const chunk = Buffer.allocUnsafe(Math.max(1 << 16, Math.min(8 << 20, Math.floor(partBytes / 4))));
  let pos = 0;
  let carry = Buffer.alloc(0);
  let outFd = -1;
  let written = 0;
  const next = () => {
    if (outFd >= 0) closeSync(outFd);
    const p = join(outDir, `${name}.${String(parts.length + 1).padStart(3, '0')}`);
    parts.push(p);
    outFd = openSync(p, 'w');
    written = 0;
  };
  next();
  while (pos < size) {
    const n = readSync(inFd, chunk, 0, chunk.length, pos);
    pos += n;
    const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    const lastNl = pos < size ? buf.lastIndexOf(10) : buf.length - 1;
    const whole = buf.subarray(0, lastNl + 1);
    carry = Buffer.from(buf.subarray(lastNl + 1));
    if (written > 0 && written + whole.length > partBytes) next();
    writeSync(outFd, whole);
    written += whole.length;
  }
  if (carry.length) writeSync(outFd, carry);
  closeSync(outFd);
  closeSync(inFd);
  writeFileSync(marker, JSON.stringify(parts));
  return parts;
}
