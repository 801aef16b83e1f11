// Command line for the TPC-H generator: `node dist/bench/tpch/gen-cli.js --sf 1 --out ./tpch-sf1`
// (npm run tpch:gen -- --sf <n> --out <dir>); writes <dir>/<table>.tbl and prints row counts and time.

import { parseArgs } from 'node:util';
import { generateTpch, TPCH_TABLES, type TpchTable } from './generate.js';

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' },
    out: { type: 'string' },
    seed: { type: 'string' },
    tables: { type: 'string' },
    'trailing-delimiter': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.out) {
  console.log('usage: gen-cli --sf <scale factor, 0.001..1000> --out <dir> [--seed <n>] [--tables lineitem,orders,...] [--trailing-delimiter]');
  process.exit(values.help ? 0 : 2);
}
const sf = Number(values.sf);
const tables = values.tables ? values.tables.split(',').map((t) => t.trim()) : undefined;
for (const t of tables ?? []) {
  if (!(TPCH_TABLES as readonly string[]).includes(t)) {
    console.error(`unknown table "${t}" (one of ${TPCH_TABLES.join(', ')})`);
    process.exit(2);
  }
}
const t0 = performance.now();
const counts = generateTpch({
  sf, outDir: values.out, trailingDelimiter: values['trailing-delimiter'],
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  ...(tables ? { tables: tables as TpchTable[] } : {}),
});
const secs = (performance.now() - t0) / 1000;
for (const [t, n] of Object.entries(counts)) console.log(`${t.padEnd(9)} ${String(n).padStart(12)} rows`);
console.log(`sf ${sf} written to ${values.out} in ${secs.toFixed(1)} s`);
