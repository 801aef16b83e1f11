// Builds the AssemblyScript kernels (kernels/index.ts) into build/kernels/{simd,scalar,debug}.wasm with the asc API,
// using the targets of asconfig.json, then checks each module against the rules of docs/kernel-abi.md: no data
// segments, no import but env.memory (shared), no runtime exports such as __new. Fails the build otherwise.
// Each target compiles in its own worker thread, so the targets build in parallel.
import asc from 'assemblyscript/asc';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (isMainThread) process.chdir(root);
const config = JSON.parse(readFileSync('asconfig.json', 'utf8'));
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(config.targets);
if (isMainThread) for (const t of Object.values(config.targets)) mkdirSync(dirname(t.outFile), { recursive: true });

/** Counts the entries of the wasm sections with the given ids (data = 11, data count = 12). */
function sectionEntryCount(bytes, wantedId) {
  let pos = 8;
  const leb = () => {
    let result = 0, shift = 0, b;
    do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  let count = 0;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const end = pos + size;
    if (id === wantedId) count += leb();
    pos = end;
  }
  return count;
}

function check(target, file) {
  const bytes = readFileSync(file);
  const problems = [];
  const mod = new WebAssembly.Module(bytes);
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (!(imp.module === 'env' && imp.name === 'memory' && imp.kind === 'memory')) problems.push(`imports ${imp.module}.${imp.name}`);
  }
  for (const exp of WebAssembly.Module.exports(mod)) {
    if (exp.name.startsWith('__')) problems.push(`exports runtime function ${exp.name}`);
  }
  const segments = sectionEntryCount(bytes, 11);
  if (segments > 0) problems.push(`has ${segments} data segment(s)`);
  if (problems.length > 0) throw new Error(`kernel module ${target} (${file}) breaks the kernel ABI rules: ${problems.join('; ')}`);
  const exports = WebAssembly.Module.exports(mod).filter((e) => e.kind === 'function').length;
  return `${file}: ${bytes.length} bytes, ${exports} kernels`;
}

if (!isMainThread) {
  const { error, stderr } = await asc.main(['--config', 'asconfig.json', '--target', workerData.target], {});
  parentPort.postMessage(error ? `${stderr.toString()}\n${error.message}` : null);
} else {
  const started = Date.now();
  const compile = (target) => new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { target } });
    w.once('message', (failure) => (failure ? reject(new Error(`asc failed for target ${target}:\n${failure}`)) : resolve()));
    w.once('error', reject);
  });
  const results = await Promise.all(targets.map(async (target) => {
    const t = config.targets[target];
    if (!t) throw new Error(`unknown kernel target ${target} (asconfig.json has ${Object.keys(config.targets).join(', ')})`);
    await compile(target);
    return check(target, t.outFile);
  }));
  for (const line of results) console.log(line);
  console.log(`kernels built in ${Date.now() - started} ms`);
}
