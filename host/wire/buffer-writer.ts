// A growable big-endian byte writer: every backend message (host/wire/messages.ts) is framed into one of these
// before the connection hands the bytes to the socket.

/** Appends PostgreSQL wire primitives to a growing buffer; `begin`/`end` frame one message with its length word. */
export class BufferWriter {
  private buf: Buffer;
  private pos = 0;
  private start = -1;

  constructor(initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written so far. */
  get length(): number { return this.pos; }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Starts a message of type `type` (one ASCII letter); its length is patched in by `end()`. */
  begin(type: string): this {
    this.ensure(5);
    this.buf[this.pos] = type.charCodeAt(0);
    this.start = this.pos + 1;
    this.pos += 5;
    return this;
  }

  /** Ends the message opened by `begin`: writes its length (which counts itself, not the type byte). */
  end(): this {
    if (this.start < 0) throw new Error('BufferWriter.end() without begin()');
    this.buf.writeInt32BE(this.pos - this.start, this.start);
    this.start = -1;
    return this;
  }

  byte(v: number): this { this.ensure(1); this.buf[this.pos++] = v & 0xff; return this; }
  int16(v: number): this { this.ensure(2); this.buf.writeInt16BE(v, this.pos); this.pos += 2; return this; }
  uint16(v: number): this { this.ensure(2); this.buf.writeUInt16BE(v, this.pos); this.pos += 2; return this; }
  int32(v: number): this { this.ensure(4); this.buf.writeInt32BE(v | 0, this.pos); this.pos += 4; return this; }
  uint32(v: number): this { this.ensure(4); this.buf.writeUInt32BE(v >>> 0, this.pos); this.pos += 4; return this; }
  int64(v: bigint): this { this.ensure(8); this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos); this.pos += 8; return this; }
  float32(v: number): this { this.ensure(4); this.buf.writeFloatBE(v, this.pos); this.pos += 4; return this; }
  float64(v: number): this { this.ensure(8); this.buf.writeDoubleBE(v, this.pos); this.pos += 8; return this; }

  /** A NUL-terminated UTF-8 string (protocol type String). */
  cstring(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n + 1);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    this.buf[this.pos++] = 0;
    return this;
  }

  /** UTF-8 text without terminator or length. */
  utf8(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Reserves an int32 slot and returns its offset (for a length known only later). */
  reserveInt32(): number { this.ensure(4); const at = this.pos; this.pos += 4; return at; }
  patchInt32(at: number, v: number): void { this.buf.writeInt32BE(v | 0, at); }

  /** Copies out what was written and resets the writer (keeping its capacity). */
  take(): Buffer {
    if (this.start >= 0) throw new Error('BufferWriter.take() inside an open message');
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}
