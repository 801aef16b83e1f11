// Expressions over a string column in dictionary form (host/batch/vector.ts), evaluated once per
// distinct word the batch's rows hold instead of once per row, the result gathered back to the rows
// through their codes: comparisons, IN lists, LIKE, CASE, string functions on a low-cardinality
// column cost a few evaluations and one typed gather (host/exec/eval.ts calls this first).
import { dictionaryVector, gatherVector, vectorFromValues, type Batch, type Vector } from '../batch/vector.js';
import { callsVolatile } from '../functions/index.js';
import { colsRead, type Expr } from '../plan/expr.js';
import { physicalOf } from '../types/sql-type.js';

/** Rows below which a batch is evaluated row by row (marking the words costs about as much). */
const MIN_ROWS = 64;

/** Per expression: the one column it reads when it may run per word (no volatile function), else -1. */
const wordColumn = new WeakMap<Expr, number>();

function wordColumnOf(e: Expr): number {
  let c = wordColumn.get(e);
  if (c === undefined) {
    const reads = colsRead(e);
    c = reads.size === 1 && !callsVolatile(e) ? reads.values().next().value! : -1;
    wordColumn.set(e, c);
  }
  return c;
}

/**
 * `e` over batch `b` evaluated per word, or null when it does not apply: `e` must read exactly one
 * column, that column must be in dictionary form, and its rows must hold few distinct words (at most
 * a quarter of the rows). Only the words some valid row holds are evaluated (plus NULL once when a
 * row is NULL), so an error is raised exactly when a row-by-row evaluation would raise one.
 * `evalOn` evaluates an expression over a batch of such words (the column at its position).
 */
export function evalPerWord(e: Expr, b: Batch, evalOn: (e: Expr, words: Batch) => Vector): Vector | null {
  const n = b.length;
  if (n < MIN_ROWS) return null;
  const c = wordColumnOf(e);
  if (c < 0) return null;
  const v = b.columns[c];
  const dict = v?.dictionary;
  if (dict === undefined) return null;
  const { codes, words } = dict;
  const valid = v!.valid;
  // Number the words the rows hold densely, in first-seen order; NULL rows take the slot after them.
  const slotOfWord = new Int32Array(words.length).fill(-1);
  const used: (string | null)[] = [];
  const limit = n >> 2;
  const rowSlot = new Int32Array(n);
  let nulls = false;
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) { rowSlot[i] = -1; nulls = true; continue; }
    const w = codes[i]!;
    let s = slotOfWord[w]!;
    if (s < 0) {
      if (used.length >= limit) return null;
      s = slotOfWord[w] = used.length;
      used.push(words[w]!);
    }
    rowSlot[i] = s;
  }
  if (nulls) {
    const nullSlot = used.length;
    used.push(null);
    for (let i = 0; i < n; i++) if (rowSlot[i]! < 0) rowSlot[i] = nullSlot;
  }
  const columns: Vector[] = [];
  columns[c] = vectorFromValues(v!.type, used);
  const perWord = evalOn(e, { columns, length: used.length });
  // A string result stays in dictionary form: its words are the results per word.
  if (physicalOf(perWord.type) === 'str' && perWord.dictionary === undefined && Array.isArray(perWord.data)) {
    const validOut = perWord.valid === null ? null : gatherVector({ ...perWord, data: new Uint8Array(used.length) }, rowSlot, n).valid;
    return dictionaryVector(perWord.type, rowSlot, perWord.data as string[], validOut);
  }
  return gatherVector(perWord, rowSlot, n);
}
