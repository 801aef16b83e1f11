// The hash that places a row on a slice (DISTSTYLE KEY) and routes rows in hash exchanges: both use
// this one function, so rows redistributed on a key meet the rows stored by that key.

function mix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of an internal value; equal SQL values of one type hash equal. */
export function hashValue(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
      const lo = v | 0;
      const hi = Math.floor(v / 4294967296) | 0;
      return mix32(lo ^ mix32(hi + 0x9e3779b9));
    }
    return hashString(String(v === 0 ? 0 : v));
  }
  if (typeof v === 'bigint') {
    if (v >= -9007199254740991n && v <= 9007199254740991n) return hashValue(Number(v));
    return hashString(v.toString());
  }
  if (typeof v === 'string') {
    let e = v.length;
    while (e > 0 && v.charCodeAt(e - 1) === 32) e--;
    return hashString(e === v.length ? v : v.slice(0, e));
  }
  if (typeof v === 'boolean') return v ? mix32(1) : mix32(2);
  return hashString(JSON.stringify(v));
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return mix32(h);
}

export function sliceOf(v: unknown, slices: number): number {
  return hashValue(v) % slices;
}
