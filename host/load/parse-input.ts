// Format dispatch of COPY: decoded text of one file -> LoadRecords, by FORMAT (text, CSV, FIXEDWIDTH, JSON).
// Binary formats (PARQUET) do not come through here.
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { CopyOptions } from '../front/copy-unload.js';
import { splitCsv, splitText } from './delimited.js';
import { parseFixedwidthSpec, splitFixedwidth } from './fixedwidth.js';
import { jsonMapping, splitJson, type JsonMapping } from './json-records.js';
import type { LoadRecord } from './record.js';

/** A parser for one COPY's options, compiled once (jsonpaths read, FIXEDWIDTH spec checked). */
export type InputParser = (text: string) => LoadRecord[];

export function inputParser(o: CopyOptions, targetNames: string[]): InputParser {
  switch (o.format) {
    case 'TEXT': {
      const delim = o.delimiter ?? '|';
      return (text) => splitText(text, delim, !!o.escape, !!o.removeQuotes);
    }
    case 'CSV': {
      if (o.removeQuotes) throw new SqlError(SqlState.syntaxError, 'REMOVEQUOTES cannot be used with CSV');
      const delim = o.delimiter ?? ',';
      const quote = o.quote ?? '"';
      return (text) => splitCsv(text, delim, quote);
    }
    case 'FIXEDWIDTH': {
      if (!o.fixedwidthSpec) throw new SqlError(SqlState.syntaxError, 'FIXEDWIDTH needs a specification');
      const widths = parseFixedwidthSpec(o.fixedwidthSpec);
      if (widths.length !== targetNames.length) throw new SqlError(SqlState.invalidParameterValue, `FIXEDWIDTH lists ${widths.length} columns, the load has ${targetNames.length}`);
      return (text) => splitFixedwidth(text, widths);
    }
    case 'JSON': {
      const m: JsonMapping = jsonMapping(o.formatArgument);
      return (text) => splitJson(text, targetNames, m);
    }
    default: throw unsupported(`COPY FORMAT ${o.format}`);
  }
}
