// Group ids for GROUP BY keys that mix plain JS string columns with other columns (host/exec/hash-agg.ts): the
// other ("lead") columns are numbered first, in WebAssembly when a kernel table is at hand (ADR 0028), and each
// string column is then only compared with the value the lead group's first row had, instead of being hashed
// (ADR 0029). Rows whose strings differ from their lead group's first row are numbered by a JS GroupIndex.
import { type Vector, gatherVector } from '../batch/vector.js';
import { trimEnd } from '../functions/compare.js';
import { isString, T, type SqlType } from '../types/sql-type.js';
import { ColumnCoder, GroupIndex } from './group-index.js';
import { KeyTable, keyTableTakes, type KeyKernels } from './key-table.js';

/** Rows after which the index checks whether the lead columns determine the string columns often enough. */
const CHECK_AFTER_ROWS = 8192;

/** Share of rows whose strings differ from their lead group's first row past which the index stops comparing. */
const MAX_MISMATCH_SHARE = 0.25;

/**
 * Whether an aggregation over keys of these types numbers its groups through a LeadKeyIndex: several keys, a
 * string among them, and not all of them integers the KeyTable takes alone. Which string columns are compared
 * rather than numbered is decided at the first batch (LeadKeyIndex).
 */
export function leadKeysApply(types: readonly SqlType[]): boolean {
  return types.length > 1 && types.some(isString) && !keyTableTakes(types);
}

/**
 * Dense first-seen group ids, as GroupIndex gives them, for keys where the string columns that arrive as plain JS
 * strings are most often determined by the other columns (TPC-H Q10 groups by c_custkey, then the customer's
 * name, address, phone and comment; Q18 by c_name next to c_custkey and o_orderkey). At the first batch the
 * string columns held as plain strings become "checked" columns and every other column a "lead" column: an
 * integer lead column is numbered as it is, any other (a string in dictionary form, a float, ...) through a JS
 * ColumnCoder's dense codes, and the lead tuple gets a lead id from a GroupIndex (a KeyTable in WebAssembly when
 * kernels are given). The first row of each lead id gives that lead group's checked values and its group id; a
 * later row of the lead id whose checked values are equal (strings without trailing blanks, NULL equal to NULL,
 * as GROUP BY compares them: keys.ts) joins that group without any hashing of its strings. A row whose values
 * differ is numbered by a JS GroupIndex over (lead id, checked columns), so any data groups correctly: no
 * declared key is trusted. When more than MAX_MISMATCH_SHARE of the rows differ, comparing is given up and every
 * row goes through that GroupIndex (each lead group's first values are entered there first, keeping their ids).
 * Without plain strings at the first batch, an integer next to coded columns makes the lead ids the group ids
 * (the key table numbers the integer and the columns' codes together).
 */
export class LeadKeyIndex {
  /** hash-agg.ts reads the key values of LeadKeyIndex groups from the batches, as for the JS GroupIndex. */
  readonly table = null;
  readonly replayed = null;
  /** Groups so far. */
  count = 0;
  /** Set at the first batch when no column is a plain string, or none is not: every row goes to this index. */
  private whole: GroupIndex | null = null;
  /** Column numbers of the lead and checked columns (set at the first batch). */
  private lead: number[] = [];
  private checked: number[] = [];
  /** Per lead column: a coder when it is not an integer the KeyTable reads as it is. */
  private coders: (ColumnCoder | null)[] = [];
  private leadIndex: GroupIndex | null = null;
  /** Per lead id: its group (the group of its first row), -1 before that row's batch is numbered. */
  private groupOfLead = new Int32Array(1024).fill(-1);
  /** Per checked column, per lead id: the first row's value as it was (null: NULL). */
  private firsts: (string | null)[][] = [];
  /** Numbers rows whose checked values differ from their lead group's first row: keys (lead id, checked...). */
  private others: GroupIndex | null = null;
  /** Per id of `others`: its group (-1: not yet given one). */
  private groupOfOther = new Int32Array(1024).fill(-1);
  /** Whether rows are still compared with their lead group's first row (false: all go to `others`). */
  private comparing = true;
  /** Whether the index compares string columns with their lead group's first row (tests read it). */
  get comparesStrings(): boolean { return this.leadIndex !== null && this.checked.length > 0 && this.comparing; }
  private rowsSeen = 0;
  private mismatches = 0;
  private lids = new Int32Array(0);
  private differs = new Uint8Array(0);

  constructor(private readonly types: readonly SqlType[], private readonly kernels: KeyKernels | null) {}

  /** Writes each row's group id to gids[0..n); new ids are handed out in row order (GroupIndex.assign's contract). */
  assign(keys: Vector[], n: number, gids: Int32Array): void {
    if (this.leadIndex === null && this.whole === null) this.start(keys);
    if (this.whole !== null) { this.whole.assign(keys, n, gids); this.count = this.whole.count; return; }
    if (this.lids.length < n) { this.lids = new Int32Array(Math.max(n, 1024)); this.differs = new Uint8Array(this.lids.length); }
    const lids = this.lids;
    const leadKeys = this.lead.map((c, j) => {
      const coder = this.coders[j]!;
      if (coder === null) return keys[c]!;
      const codes = new Int32Array(n);
      coder.code(keys[c]!, n, codes);
      return { type: T.int4, length: n, data: codes, valid: null };
    });
    const leadIndex = this.leadIndex!;
    if (this.checked.length === 0) { leadIndex.assign(leadKeys, n, gids); this.count = leadIndex.count; return; }
    leadIndex.assign(leadKeys, n, lids);
    this.reserveLeads(leadIndex.count);
    if (!this.comparing) { this.assignByOthers(keys, n, gids, null); return; }
    const differs = this.differs;
    differs.fill(0, 0, n);
    let mismatched = 0;
    for (let j = 0; j < this.checked.length; j++) mismatched += compareWithFirsts(keys[this.checked[j]!]!, n, lids, this.firsts[j]!, differs);
    this.rowsSeen += n;
    this.mismatches += mismatched;
    if (mismatched === 0) {
      const groupOfLead = this.groupOfLead;
      let next = this.count;
      for (let i = 0; i < n; i++) {
        const l = lids[i]!;
        let g = groupOfLead[l]!;
        if (g < 0) g = groupOfLead[l] = next++;
        gids[i] = g;
      }
      this.count = next;
    } else this.assignByOthers(keys, n, gids, differs);
    if (this.rowsSeen >= CHECK_AFTER_ROWS && this.mismatches > MAX_MISMATCH_SHARE * this.rowsSeen) this.stopComparing();
  }

  /** Gives the kernel table's shared memory back (idempotent). */
  free(): void {
    this.leadIndex?.free();
    this.whole?.free();
  }

  /** Decides the columns' roles from the first batch. */
  private start(keys: Vector[]): void {
    const plain = keys.map((v, c) => isString(this.types[c]!) && v.dictionary === undefined && Array.isArray(v.data));
    this.checked = plain.flatMap((p, c) => (p ? [c] : []));
    this.lead = plain.flatMap((p, c) => (p ? [] : [c]));
    this.coders = this.lead.map((c) => (keyTableTakes([this.types[c]!]) ? null : new ColumnCoder()));
    // Without plain strings, the lead ids are the groups: worth it when the key table numbers an integer next to
    // the coded columns (Q16's p_size next to p_brand and p_type); the JS index keeps keys that are all coded
    // (GroupIndex ids rows of dictionary codes by their combination of words).
    const leadOnly = this.checked.length === 0 && this.kernels !== null && this.coders.some((c) => c === null);
    if (this.lead.length === 0 || (this.checked.length === 0 && !leadOnly)) { this.whole = new GroupIndex(keys.length, null); return; }
    const leadTypes = this.lead.map((c, j) => (this.coders[j] === null ? this.types[c]! : T.int4));
    const table = this.kernels !== null ? new KeyTable(this.kernels, leadTypes) : null;
    this.leadIndex = new GroupIndex(this.lead.length, table);
    this.firsts = this.checked.map(() => []);
    this.others = new GroupIndex(1 + this.checked.length, null);
  }

  private reserveLeads(count: number): void { this.groupOfLead = withRoom(this.groupOfLead, count); }

  /**
   * Rows marked in `differs` (every row when null) take their group from `others`, keyed by (lead id, checked
   * values); the rest from their lead group. Ids are handed out in row order.
   */
  private assignByOthers(keys: Vector[], n: number, gids: Int32Array, differs: Uint8Array | null): void {
    const lids = this.lids;
    let sel: Int32Array | null = null, m = n;
    if (differs !== null) {
      m = 0;
      for (let i = 0; i < n; i++) m += differs[i]!;
      sel = new Int32Array(m);
      for (let i = 0, j = 0; i < n; i++) if (differs[i] !== 0) sel[j++] = i;
    }
    const otherIds = new Int32Array(m);
    const allLids: Vector = { type: T.int4, length: n, data: lids.subarray(0, n), valid: null };
    const lidVector = sel === null ? { ...allLids, data: lids.slice(0, n) } : gatherVector(allLids, sel, m);
    const checkedVectors = this.checked.map((c) => (sel === null ? keys[c]! : gatherVector(keys[c]!, sel, m)));
    const others = this.others!;
    others.assign([lidVector, ...checkedVectors], m, otherIds);
    this.reserveOthers(others.count);
    const groupOfLead = this.groupOfLead, groupOfOther = this.groupOfOther;
    let next = this.count;
    for (let i = 0, j = 0; i < n; i++) {
      let g: number;
      if (differs === null || differs[i] !== 0) {
        const o = otherIds[j++]!;
        g = groupOfOther[o]!;
        if (g < 0) g = groupOfOther[o] = next++;
      } else {
        const l = lids[i]!;
        g = groupOfLead[l]!;
        if (g < 0) g = groupOfLead[l] = next++;
      }
      gids[i] = g;
    }
    this.count = next;
  }

  private reserveOthers(count: number): void { this.groupOfOther = withRoom(this.groupOfOther, count); }

  /**
   * Gives up comparing: each lead group's first values are numbered in `others` and keep their group there, so
   * every later row finds its group through `others` alone.
   */
  private stopComparing(): void {
    this.comparing = false;
    const leads = this.leadIndex!.count;
    const firstRows: number[] = [];
    for (let l = 0; l < leads; l++) if (this.groupOfLead[l]! >= 0) firstRows.push(l);
    const m = firstRows.length;
    if (m === 0) return;
    const lidVector: Vector = { type: T.int4, length: m, data: Int32Array.from(firstRows), valid: null };
    const checkedVectors = this.firsts.map((values, j) => vectorOfFirsts(this.types[this.checked[j]!]!, values, firstRows));
    const ids = new Int32Array(m);
    this.others!.assign([lidVector, ...checkedVectors], m, ids);
    this.reserveOthers(this.others!.count);
    for (let j = 0; j < m; j++) this.groupOfOther[ids[j]!] = this.groupOfLead[firstRows[j]!]!;
  }
}

/** `ids`, or a copy with room for `count` entries, the new ones -1 (no group yet). */
function withRoom(ids: Int32Array<ArrayBuffer>, count: number): Int32Array<ArrayBuffer> {
  if (count <= ids.length) return ids;
  const grown = new Int32Array(Math.max(count, 2 * ids.length)).fill(-1);
  grown.set(ids);
  return grown;
}

/** A string vector of the first values of the given lead ids (NULL where the first value was NULL). */
function vectorOfFirsts(type: SqlType, values: (string | null)[], lids: number[]): Vector {
  const m = lids.length;
  const data = new Array<string>(m);
  let valid: Uint8Array | null = null;
  for (let j = 0; j < m; j++) {
    const x = values[lids[j]!]!;
    if (x === null) {
      valid ??= new Uint8Array((m + 7) >> 3).fill(0xff);
      valid[j >> 3] &= ~(1 << (j & 7));
      data[j] = '';
    } else data[j] = x;
  }
  return { type, length: m, data, valid };
}

/**
 * Compares rows 0..n-1 of a string key column with the first value of their lead group, recording the first value
 * of each lead id seen for the first time (ids arrive in first-seen order, so a new one equals `firsts.length`).
 * Marks rows whose value differs in `differs` and returns how many rows it newly marked.
 */
function compareWithFirsts(v: Vector, n: number, lids: Int32Array, firsts: (string | null)[], differs: Uint8Array): number {
  const valid = v.valid;
  const dict = v.dictionary;
  const codes = dict?.codes, words = dict?.words;
  const plain = dict === undefined ? (v.data as string[]) : null;
  let marked = 0;
  for (let i = 0; i < n; i++) {
    const x = valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0 ? null : plain !== null ? plain[i]! : words![codes![i]!]!;
    const l = lids[i]!;
    if (l === firsts.length) { firsts.push(x); continue; }
    const f = firsts[l]!;
    // Usually the same string object (a join repeats its build row's values), or an equal one; a CHAR column's
    // padded values (n_name) are trimmed only when they differ as they are.
    if (x === f) continue;
    if (x !== null && f !== null && (x.charCodeAt(x.length - 1) === 32 || f.charCodeAt(f.length - 1) === 32) && trimEnd(x) === trimEnd(f)) continue;
    if (differs[i] === 0) { differs[i] = 1; marked++; }
  }
  return marked;
}
