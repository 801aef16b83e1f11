// Byte writer and reader the block codecs (host/storage/encoding/*) use to lay out and parse an
// encoded block payload: little-endian integers, LEB128 varints and length-prefixed byte strings.

/** Thrown by a reader on a payload that ends early or is malformed; block.ts turns it into XX001. */
export class PayloadError extends Error {}

/** A growable little-endian byte buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(x: number): void { this.room(1); this.buf[this.length++] = x; }
  i8(x: number): void { this.room(1); this.view.setInt8(this.length++, x); }
  i16(x: number): void { this.room(2); this.view.setInt16(this.length, x, true); this.length += 2; }
  u16(x: number): void { this.room(2); this.view.setUint16(this.length, x, true); this.length += 2; }
  u32(x: number): void { this.room(4); this.view.setUint32(this.length, x, true); this.length += 4; }
  /** A signed integer of `width` bytes (1, 2, 4 or 8). */
  int(x: number | bigint, width: number): void {
    this.room(width);
    switch (width) {
      case 1: this.view.setInt8(this.length, Number(x)); break;
      case 2: this.view.setInt16(this.length, Number(x), true); break;
      case 4: this.view.setInt32(this.length, Number(x), true); break;
      default: this.view.setBigInt64(this.length, BigInt(x), true); break;
    }
    this.length += width;
  }
  varint(x: number): void {
    while (x >= 0x80) { this.u8((x & 0x7f) | 0x80); x = Math.floor(x / 128); }
    this.u8(x);
  }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.length); this.length += b.length; }
  /** A varint length, then the bytes. */
  item(b: Uint8Array): void { this.varint(b.length); this.bytes(b); }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}

/** Reads what a ByteWriter wrote; every read checks the bounds. */
export class ByteReader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) { this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
  private need(n: number): void { if (this.pos + n > this.buf.length) throw new PayloadError('payload ends early'); }
  get left(): number { return this.buf.length - this.pos; }
  u8(): number { this.need(1); return this.buf[this.pos++]!; }
  i8(): number { this.need(1); return this.view.getInt8(this.pos++); }
  i16(): number { this.need(2); const x = this.view.getInt16(this.pos, true); this.pos += 2; return x; }
  u16(): number { this.need(2); const x = this.view.getUint16(this.pos, true); this.pos += 2; return x; }
  u32(): number { this.need(4); const x = this.view.getUint32(this.pos, true); this.pos += 4; return x; }
  int(width: number): number | bigint {
    this.need(width);
    let x: number | bigint;
    switch (width) {
      case 1: x = this.view.getInt8(this.pos); break;
      case 2: x = this.view.getInt16(this.pos, true); break;
      case 4: x = this.view.getInt32(this.pos, true); break;
      default: x = this.view.getBigInt64(this.pos, true); break;
    }
    this.pos += width;
    return x;
  }
  varint(): number {
    let x = 0, scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      x += (b & 0x7f) * scale;
      if (b < 0x80) return x;
      scale *= 128;
    }
    throw new PayloadError('varint too long');
  }
  bytes(n: number): Uint8Array { this.need(n); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  item(): Uint8Array { return this.bytes(this.varint()); }
  /** Skips an item (varint length + bytes) and returns where its bytes start in `buf`; they end at `pos`. */
  skipItem(): number { const n = this.varint(); this.need(n); const at = this.pos; this.pos += n; return at; }
  end(): void { if (this.pos !== this.buf.length) throw new PayloadError('trailing bytes after the payload'); }
}
