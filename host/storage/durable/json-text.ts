// JSON text with bigints and byte arrays, for the durable store's manifest and catalog files
// (host/storage/durable): bigint becomes {"$big":"123"}, Uint8Array becomes {"$hex":"0a1b"}.

/** Serializes a value; bigints and Uint8Arrays survive a round trip through parseJson. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $big: raw.toString() };
    if (raw instanceof Uint8Array) return { $hex: Buffer.from(raw).toString('hex') };
    return v;
  }, indent);
}

/** Parses text written by toJson. */
export function parseJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$big === 'string') return BigInt(o.$big);
      if (keys.length === 1 && typeof o.$hex === 'string') return new Uint8Array(Buffer.from(o.$hex, 'hex'));
    }
    return v;
  }) as T;
}
