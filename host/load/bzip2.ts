// BZIP2 decompression for COPY ... BZIP2 (Redshift "COPY parameter reference", File compression
// parameters), written from the bzip2 format: Huffman-coded MTF/RLE2 symbols, inverse BWT, RLE1. Handles
// concatenated streams (pbzip2). Block CRCs are not verified. Used by host/load/decode.ts.

class Bits {
  private pos = 0; // bit position
  constructor(private readonly b: Uint8Array) {}
  get atEnd(): boolean { return this.pos >= this.b.length * 8; }
  bit(): number {
    const p = this.pos++;
    const byte = this.b[p >>> 3];
    if (byte === undefined) throw new Error('unexpected end of bzip2 data');
    return (byte >>> (7 - (p & 7))) & 1;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  alignToByte(): void { this.pos = (this.pos + 7) & ~7; }
}

interface Huffman { minLen: number; maxLen: number; firstCode: Int32Array; firstIdx: Int32Array; count: Int32Array; perm: Int32Array }

function huffman(lengths: number[]): Huffman {
  let minLen = 32, maxLen = 0;
  for (const l of lengths) { if (l < minLen) minLen = l; if (l > maxLen) maxLen = l; }
  const count = new Int32Array(maxLen + 2), firstCode = new Int32Array(maxLen + 2), firstIdx = new Int32Array(maxLen + 2);
  const perm = new Int32Array(lengths.length);
  let pp = 0, code = 0;
  for (let len = minLen; len <= maxLen; len++) {
    firstIdx[len] = pp;
    firstCode[len] = code;
    for (let s = 0; s < lengths.length; s++) if (lengths[s] === len) { perm[pp++] = s; count[len]!++; }
    code = (code + count[len]!) << 1;
  }
  return { minLen, maxLen, firstCode, firstIdx, count, perm };
}

function decodeSymbol(r: Bits, h: Huffman): number {
  let code = 0;
  for (let len = 1; len <= h.maxLen; len++) {
    code = (code << 1) | r.bit();
    if (len >= h.minLen) {
      const d = code - h.firstCode[len]!;
      if (d >= 0 && d < h.count[len]!) return h.perm[h.firstIdx[len]! + d]!;
    }
  }
  throw new Error('bad bzip2 Huffman code');
}

/** Decompresses a complete .bz2 buffer (one or more concatenated streams). */
export function bunzip2(input: Uint8Array): Buffer {
  const r = new Bits(input);
  const out: Buffer[] = [];
  let streams = 0;
  for (;;) {
    r.alignToByte();
    if (r.atEnd) break;
    if (r.bits(8) !== 0x42 || r.bits(8) !== 0x5a || r.bits(8) !== 0x68) {
      if (streams > 0) break; // trailing garbage after a complete stream
      throw new Error('not bzip2 data');
    }
    const level = r.bits(8) - 0x30;
    if (level < 1 || level > 9) throw new Error('bad bzip2 block size');
    streams++;
    for (;;) {
      const hi = r.bits(24), lo = r.bits(24);
      r.bits(32); // block or stream CRC
      if (hi === 0x177245 && lo === 0x385090) break;
      if (hi !== 0x314159 || lo !== 0x265359) throw new Error('bad bzip2 block header');
      out.push(block(r, level * 100000));
    }
  }
  return Buffer.concat(out);
}

function block(r: Bits, maxBlock: number): Buffer {
  if (r.bit()) throw new Error('randomised bzip2 blocks are not supported');
  const origPtr = r.bits(24);
  const used = r.bits(16);
  const seqToUnseq: number[] = [];
  for (let i = 0; i < 16; i++) {
    if (!(used & (0x8000 >>> i))) continue;
    const bits = r.bits(16);
    for (let j = 0; j < 16; j++) if (bits & (0x8000 >>> j)) seqToUnseq.push(i * 16 + j);
  }
  if (seqToUnseq.length === 0) throw new Error('bad bzip2 symbol map');
  const alphaSize = seqToUnseq.length + 2;
  const nGroups = r.bits(3);
  if (nGroups < 2 || nGroups > 6) throw new Error('bad bzip2 group count');
  const nSelectors = r.bits(15);
  if (nSelectors < 1) throw new Error('bad bzip2 selector count');
  const mtfGroups = Array.from({ length: nGroups }, (_, i) => i);
  const selectors = new Uint8Array(nSelectors);
  for (let i = 0; i < nSelectors; i++) {
    let j = 0;
    while (r.bit()) { j++; if (j >= nGroups) throw new Error('bad bzip2 selector'); }
    const v = mtfGroups[j]!;
    mtfGroups.splice(j, 1);
    mtfGroups.unshift(v);
    selectors[i] = v;
  }
  const tables: Huffman[] = [];
  for (let t = 0; t < nGroups; t++) {
    const lengths: number[] = [];
    let curr = r.bits(5);
    for (let i = 0; i < alphaSize; i++) {
      for (;;) {
        if (curr < 1 || curr > 20) throw new Error('bad bzip2 code length');
        if (!r.bit()) break;
        curr += r.bit() ? -1 : 1;
      }
      lengths.push(curr);
    }
    tables.push(huffman(lengths));
  }
  // Huffman -> RLE2/MTF symbols -> bytes of the BWT block.
  const mtf = Array.from({ length: 256 }, (_, i) => i);
  const tt = new Uint32Array(maxBlock);
  const byteCount = new Int32Array(256);
  let n = 0, groupLeft = 0, sel = 0, h = tables[0]!;
  let run = 0, runWeight = 1;
  const eob = alphaSize - 1;
  for (;;) {
    if (groupLeft === 0) {
      if (sel >= nSelectors) throw new Error('bzip2 selectors exhausted');
      h = tables[selectors[sel++]!]!; groupLeft = 50;
    }
    groupLeft--;
    const sym = decodeSymbol(r, h);
    if (sym <= 1) { run += (sym + 1) * runWeight; runWeight *= 2; if (run > maxBlock) throw new Error('bzip2 run too long'); continue; }
    if (run > 0) {
      const b = seqToUnseq[mtf[0]!]!;
      if (n + run > maxBlock) throw new Error('bzip2 block too long');
      byteCount[b]! += run;
      while (run-- > 0) tt[n++] = b;
      run = 0; runWeight = 1;
    }
    if (sym === eob) break;
    const k = sym - 1;
    const v = mtf[k]!;
    mtf.splice(k, 1);
    mtf.unshift(v);
    const b = seqToUnseq[v]!;
    if (n >= maxBlock) throw new Error('bzip2 block too long');
    byteCount[b]!++;
    tt[n++] = b;
  }
  if (origPtr >= n) throw new Error('bad bzip2 origPtr');
  // Inverse BWT: link each position to the next one of the original text.
  const start = new Int32Array(256);
  for (let i = 0, sum = 0; i < 256; i++) { start[i] = sum; sum += byteCount[i]!; }
  for (let i = 0; i < n; i++) { const b = tt[i]! & 0xff; tt[start[b]!++]! |= i << 8; }
  const bytes = new Uint8Array(n);
  let pos = tt[origPtr]! >>> 8;
  for (let i = 0; i < n; i++) { const e = tt[pos]!; bytes[i] = e & 0xff; pos = e >>> 8; }
  // RLE1: four equal bytes are followed by a count of further repeats.
  const res = Buffer.allocUnsafe(n * 2 + 1024);
  let o = 0;
  let buf = res;
  const push = (x: number): void => {
    if (o >= buf.length) { const nb = Buffer.allocUnsafe(buf.length * 2); buf.copy(nb, 0, 0, o); buf = nb; }
    buf[o++] = x;
  };
  for (let i = 0; i < n;) {
    const b = bytes[i++]!;
    push(b);
    let same = 1;
    while (same < 4 && i < n && bytes[i] === b) { push(b); i++; same++; }
    if (same === 4 && i < n) { let c = bytes[i++]!; while (c-- > 0) push(b); }
  }
  return buf.subarray(0, o);
}
