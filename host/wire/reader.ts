// Incremental framing of the bytes a client sends: socket chunks go in, whole messages come out. First stage of
// the wire data path (socket -> reader -> frontend parsers -> connection state machine). Lengths are never trusted:
// a length below the minimum or above the configured limit is SQLSTATE 08P01 before any body is buffered.
import { SqlError, SqlState } from '../common/errors.js';
import { MAX_STARTUP_PACKET_BYTES } from './protocol.js';

/** One framed message. `type` is '' for the untyped packets of the startup phase (startup, SSL, cancel). */
export interface Frame {
  type: string;
  body: Buffer;
}

export interface ReaderOptions {
  /** Largest accepted message body in bytes (after startup); larger lengths fail with 08P01. */
  maxMessageBytes: number;
}

/**
 * A buffered reader that turns arbitrary socket chunks into frames. Until `startupDone()` it reads startup-phase
 * packets (int32 length, body); afterwards typed messages (byte type, int32 length, body).
 */
export class MessageReader {
  private chunks: Buffer[] = [];
  private total = 0;
  private startup = true;

  constructor(private readonly opts: ReaderOptions) {}

  /** Bytes received and not yet returned as frames. */
  get buffered(): number { return this.total; }
  get inStartup(): boolean { return this.startup; }

  /** Switches to typed messages (after the startup packet was accepted). */
  startupDone(): void { this.startup = false; }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /**
   * The next complete frame, or null when more bytes are needed. Throws SqlError 08P01 (the connection answers
   * with a FATAL ErrorResponse and closes) when the length word is impossible.
   */
  next(): Frame | null {
    const headerLen = this.startup ? 4 : 5;
    if (this.total < headerLen) return null;
    this.coalesce(headerLen);
    const head = this.chunks[0]!;
    let type = '';
    let len: number;
    if (this.startup) {
      len = head.readInt32BE(0);
      // PostgreSQL ProcessStartupPacket: "invalid length of startup packet" below 8 or above 10000 bytes.
      if (len < 8 || len > MAX_STARTUP_PACKET_BYTES) {
        throw new SqlError(SqlState.protocolViolation, 'invalid length of startup packet', { severity: 'FATAL' });
      }
    } else {
      type = String.fromCharCode(head[0]!);
      len = head.readInt32BE(1);
      if (len < 4) throw new SqlError(SqlState.protocolViolation, 'invalid message length', { severity: 'FATAL' });
      if (len - 4 > this.opts.maxMessageBytes) {
        throw new SqlError(SqlState.protocolViolation, 'invalid message length', {
          severity: 'FATAL',
          detail: `Message of ${len - 4} bytes exceeds the server limit of ${this.opts.maxMessageBytes} bytes.`,
        });
      }
    }
    const frameLen = this.startup ? len : len + 1;
    if (this.total < frameLen) return null;
    this.coalesce(frameLen);
    const first = this.chunks[0]!;
    const body = first.subarray(headerLen, frameLen);
    if (first.length === frameLen) this.chunks.shift();
    else this.chunks[0] = first.subarray(frameLen);
    this.total -= frameLen;
    return { type, body };
  }

  /** Makes the first chunk at least `n` bytes long (one concatenation per message at most). */
  private coalesce(n: number): void {
    if (this.chunks[0]!.length >= n) return;
    let have = 0;
    let k = 0;
    while (have < n) have += this.chunks[k++]!.length;
    const merged = Buffer.concat(this.chunks.slice(0, k), have);
    this.chunks.splice(0, k, merged);
  }
}
