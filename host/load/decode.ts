// Input decoding of COPY: decompression (GZIP with zlib, ZSTD with fzstd, BZIP2 with host/load/bzip2.ts)
// and UTF-8 validation per line, with ACCEPTINVCHARS replacement (Redshift "Data conversion parameters").
// First step of the load path: bytes of a file -> text and the set of lines with invalid UTF-8.
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { bunzip2 } from './bzip2.js';
import type { Compression } from '../front/copy-unload.js';

/** The compression a file uses: the COPY option, else none (Redshift does not guess from the name,
 *  but a `.gz` name with no option was accepted by this loader before, so it stays accepted). */
export function decompress(buf: Buffer, compression: Compression | undefined, fileName: string): Buffer {
  const c = compression ?? (fileName.endsWith('.gz') && buf[0] === 0x1f && buf[1] === 0x8b ? 'GZIP' : undefined);
  if (!c) return buf;
  if (c === 'GZIP') {
    try { return gunzipSync(buf); } catch (e) {
      throw new SqlError(SqlState.ioError, `gzip decompression of "${fileName}" failed: ${(e as Error).message}`);
    }
  }
  if (c === 'BZIP2') {
    try { return bunzip2(buf); } catch (e) {
      throw new SqlError(SqlState.ioError, `bzip2 decompression of "${fileName}" failed: ${(e as Error).message}`);
    }
  }
  if (c === 'ZSTD') {
    try { return Buffer.from(zstdDecompress(buf)); } catch (e) {
      throw new SqlError(SqlState.ioError, `zstd decompression of "${fileName}" failed: ${(e as Error).message}`);
    }
  }
  throw unsupported(`COPY ${c} (no ${c} codec is installed)`);
}

export interface DecodedText {
  text: string;
  /** 1-based line numbers that held invalid UTF-8 (empty with ACCEPTINVCHARS, which replaced them). */
  invalidLines: Set<number>;
}

const fatal = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

/** Decodes UTF-8; invalid sequences are replaced by `acceptInvChars` when given, else their lines are reported. */
export function decodeUtf8(buf: Uint8Array, acceptInvChars?: string): DecodedText {
  try {
    return { text: fatal.decode(buf), invalidLines: new Set() };
  } catch { /* some line is bad: find which */ }
  const invalidLines = new Set<number>();
  const parts: string[] = [];
  let start = 0, line = 1;
  for (let i = 0; i <= buf.length; i++) {
    if (i < buf.length && buf[i] !== 0x0a) continue;
    const end = i < buf.length ? i + 1 : i;
    const bytes = buf.subarray(start, end);
    let s: string;
    try { s = fatal.decode(bytes); } catch {
      s = lenient.decode(bytes);
      if (acceptInvChars !== undefined) s = s.replace(/\uFFFD/g, acceptInvChars);
      else invalidLines.add(line);
    }
    parts.push(s);
    start = end; line++;
  }
  return { text: parts.join(''), invalidLines };
}
