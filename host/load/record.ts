// The record every COPY format parser produces (text, CSV, FIXEDWIDTH, JSON, ...): one input row's
// fields as text in target column order, with its line and raw text for STL_LOAD_ERRORS. The row
// builder (host/load/row-builder.ts) types them.
import type { LoadRowError } from './load-errors.js';

export interface LoadRecord {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** The row's input text as read (for raw_line). */
  raw: string;
  /** Field text, or null for a field that is NULL by construction (JSON null, \N with ESCAPE, FILLRECORD). */
  fields: (string | null)[];
  /** Per field: it was quoted (CSV), so NULL AS does not apply. */
  quoted: boolean[];
  /** A field came from a typed source (JSON number/boolean): no text-format NULL or blank handling. */
  typed?: boolean;
  /** The parser already found the row bad (malformed JSON, short fixed-width line). */
  error?: LoadRowError;
}
