// The text form of one value in an unloaded file: Redshift's output format (host/types/text-format.ts),
// except that REAL and DOUBLE PRECISION get the fewest digits that read back to the same value, so an
// UNLOAD then COPY round trip keeps every float bit (PostgreSQL "Floating-Point Types",
// extra_float_digits). Used by the TEXT, CSV and JSON writers of UNLOAD.
import { formatFloatG, formatText } from '../types/text-format.js';
import type { SqlType } from '../types/sql-type.js';

/** Shortest %g form of `v` that parses back to `v` (for REAL: back to the same float32). */
export function roundTripFloat(v: number, float4: boolean): string {
  if (!Number.isFinite(v)) return formatFloatG(v, 6);
  if (!float4) {
    // JavaScript already prints a double's shortest round-trip digits; in %g's fixed range that is the text.
    const a = Math.abs(v);
    if (a >= 1e-4 && a < 1e15) {
      const s = String(v);
      if (!s.includes('e')) return s;
    }
  }
  const [lo, hi] = float4 ? [6, 9] : [15, 17];
  for (let p = lo; p < hi; p++) {
    const s = formatFloatG(v, p);
    const back = Number(s);
    if ((float4 ? Math.fround(back) : back) === v) return s;
  }
  return formatFloatG(v, hi);
}

/** A non-NULL value (internal representation, host/session/api.ts) as unloaded text. */
export function unloadText(v: unknown, t: SqlType): string {
  if (t.id === 'float8') return roundTripFloat(v as number, false);
  if (t.id === 'float4') return roundTripFloat(v as number, true);
  return formatText(v, t);
}
