// The slt runner's adapter for wasmshift: runs records through Session.execute and prints each
// internal value with host/types/text-format.ts, the text form the wire protocol sends.

import type { SqlType } from '../../host/types/sql-type.js';
import { openWasmshift } from '../differential/wasmshift.js';
import type { SltEngine, SltRows } from './runner.js';

type FormatText = (value: unknown, type: SqlType) => string;
let formatTextP: Promise<FormatText> | undefined;

function loadFormatText(): Promise<FormatText> {
  if (!formatTextP) {
    const url = new URL('../../host/types/text-format.js', import.meta.url).href;
    formatTextP = (import(url) as Promise<{ formatText: FormatText }>).then((m) => m.formatText);
  }
  return formatTextP;
}

/** Opens a fresh in-memory wasmshift database as an SltEngine named 'wasmshift'. */
export async function openWasmshiftEngine(slices: number): Promise<SltEngine> {
  const [db, formatText] = await Promise.all([openWasmshift(slices), loadFormatText()]);
  const session = db.session();
  return {
    name: 'wasmshift',
    async run(sql: string): Promise<SltRows> {
      const results = await session.execute(sql);
      const last = results[results.length - 1];
      if (!last || !last.fields) return { rows: [] };
      const fields = last.fields;
      return {
        rows: last.rows.map((row) => row.map((v, k) => (v === null || v === undefined ? null : formatText(v, fields[k]!.type)))),
      };
    },
    async close(): Promise<void> {
      await session.close();
      await db.close();
    },
  };
}
