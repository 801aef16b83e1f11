// TEXT255 and TEXT32K block codecs for VARCHAR: each string is split into words at spaces and a
// per-block dictionary holds the first distinct words (245 for TEXT255, as many as fit in 32K
// bytes for TEXT32K, Redshift "Text255 and Text32k encodings"); a word in the dictionary is
// stored as its code, any other word literally. Splitting at every single space keeps runs of
// spaces and empty strings exact.
//
// Payload: varint words, the words (varint length + bytes); then per row: varint word count and
// the tokens. TEXT255 token: u8 code < 255, or 255 + varint length + bytes. TEXT32K token: u16 code
// < 0xffff, or 0xffff + varint length + bytes.
import { ByteReader, ByteWriter, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import { packItems, type RawValues } from './raw-values.js';

interface Variant { codeBytes: 1 | 2; maxWords: number; maxDictBytes: number }
const TEXT255: Variant = { codeBytes: 1, maxWords: 245, maxDictBytes: Infinity };
const TEXT32K: Variant = { codeBytes: 2, maxWords: 0xfffe, maxDictBytes: 32 * 1024 };
const SPACE = 0x20;

function splitWords(b: Uint8Array): Uint8Array[] {
  const words: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === SPACE) { words.push(b.subarray(start, i)); start = i + 1; }
  words.push(b.subarray(start));
  return words;
}

const keyOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

function encodeWith(raw: RawValues, v: Variant): Uint8Array | null {
  if (raw.layout !== 'utf8') return null;
  const rows = raw.items!.map(splitWords);
  const dict = new Map<string, number>();
  const words: Uint8Array[] = [];
  let dictBytes = 0;
  for (const ws of rows) for (const word of ws) {
    const key = keyOf(word);
    if (dict.has(key) || dict.size >= v.maxWords || dictBytes + word.length > v.maxDictBytes) continue;
    dict.set(key, dict.size);
    words.push(word);
    dictBytes += word.length;
  }
  const w = new ByteWriter(dictBytes + raw.rows * 4 + 16);
  w.varint(words.length);
  for (const word of words) w.item(word);
  const escape = v.codeBytes === 1 ? 0xff : 0xffff;
  for (const ws of rows) {
    w.varint(ws.length);
    for (const word of ws) {
      const code = dict.get(keyOf(word));
      if (code !== undefined) { if (v.codeBytes === 1) w.u8(code); else w.u16(code); } else {
        if (v.codeBytes === 1) w.u8(escape); else w.u16(escape);
        w.item(word);
      }
    }
  }
  return w.finish();
}

function decodeWith(payload: Uint8Array, shape: BlockShape, v: Variant): Uint8Array {
  if (shape.layout !== 'utf8') throw new PayloadError('text block of a wrong layout');
  const r = new ByteReader(payload);
  const n = r.varint();
  if (n > v.maxWords) throw new PayloadError('dictionary too large');
  const words: Uint8Array[] = [];
  for (let k = 0; k < n; k++) words.push(r.item());
  const escape = v.codeBytes === 1 ? 0xff : 0xffff;
  const items: Uint8Array[] = new Array(shape.rows);
  for (let i = 0; i < shape.rows; i++) {
    const count = r.varint();
    if (count > r.left + 1) throw new PayloadError('word count too large');
    const parts: Uint8Array[] = [];
    let len = 0;
    for (let j = 0; j < count; j++) {
      const code = v.codeBytes === 1 ? r.u8() : r.u16();
      const word = code === escape ? r.item() : words[code];
      if (!word) throw new PayloadError('code outside the dictionary');
      parts.push(word);
      len += word.length + (j > 0 ? 1 : 0);
    }
    const item = new Uint8Array(len);
    let at = 0;
    parts.forEach((p, j) => { if (j > 0) item[at++] = SPACE; item.set(p, at); at += p.length; });
    items[i] = item;
  }
  r.end();
  return packItems(items);
}

export const text255: BlockCodec = { encode: (raw) => encodeWith(raw, TEXT255), decode: (p, s) => decodeWith(p, s, TEXT255) };
export const text32k: BlockCodec = { encode: (raw) => encodeWith(raw, TEXT32K), decode: (p, s) => decodeWith(p, s, TEXT32K) };
