#!/usr/bin/env node
// The `wasmshift` command line (package.json "bin"): dispatches to subcommands; `serve` starts the PostgreSQL
// wire server over the engine (host/cli/serve.ts). Exit codes: 0 ok, 1 error, 2 usage.
import { createRequire } from 'node:module';
import { loadCommand } from './load.js';
import { serveCommand } from './serve.js';
import { UsageError } from './usage.js';

const HELP = `Usage: wasmshift <command> [options]

A Redshift-compatible data warehouse for Node.js.

Commands:
  serve      Run the PostgreSQL wire server (port 5439) over a data directory
  load       Load files into a table with COPY, with a progress line

Options:
  -h, --help     Show help (also: wasmshift <command> --help)
  -v, --version  Print the version
`;

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '-v': case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'serve':
      return serveCommand(rest);
    case 'load':
      return loadCommand(rest);
    default:
      process.stderr.write(`wasmshift: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code !== 0 || process.exitCode === undefined) process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError) { process.stderr.write(`wasmshift: ${e.message}\n`); process.exitCode = 2; return; }
    process.stderr.write(`wasmshift: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
