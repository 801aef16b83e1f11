// A bounds-checked cursor over one frontend message body: the frontend parsers (host/wire/frontend.ts) read
// through it, so a length or count that points past the end becomes SQLSTATE 08P01, never a crash.
import { SqlError, SqlState } from '../common/errors.js';

/** PostgreSQL's wording when a message body is shorter than its fields claim (pq_getmsgbytes). */
export function insufficientData(): SqlError {
  return new SqlError(SqlState.protocolViolation, 'insufficient data left in message');
}

/** Reads big-endian wire primitives from `body`; every read checks the remaining length first. */
export class BodyReader {
  private pos = 0;
  constructor(private readonly body: Buffer) {}

  get remaining(): number { return this.body.length - this.pos; }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.body.length) throw insufficientData();
  }

  byte(): number { this.need(1); return this.body[this.pos++]!; }
  int16(): number { this.need(2); const v = this.body.readInt16BE(this.pos); this.pos += 2; return v; }
  uint16(): number { this.need(2); const v = this.body.readUInt16BE(this.pos); this.pos += 2; return v; }
  int32(): number { this.need(4); const v = this.body.readInt32BE(this.pos); this.pos += 4; return v; }
  uint32(): number { this.need(4); const v = this.body.readUInt32BE(this.pos); this.pos += 4; return v; }

  /** A NUL-terminated UTF-8 string; a missing terminator is 08P01 "invalid string in message" (pq_getmsgstring). */
  cstring(): string {
    const end = this.body.indexOf(0, this.pos);
    if (end < 0) throw new SqlError(SqlState.protocolViolation, 'invalid string in message');
    const s = this.body.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  /** `n` raw bytes (a view, not a copy). */
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.body.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  rest(): Buffer { const b = this.body.subarray(this.pos); this.pos = this.body.length; return b; }

  /** Every field was read: trailing bytes are 08P01 "invalid message format" (pq_getmsgend). */
  end(): void {
    if (this.pos !== this.body.length) throw new SqlError(SqlState.protocolViolation, 'invalid message format');
  }
}
