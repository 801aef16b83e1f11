// The piscina worker of the kernel benchmark: instantiates both kernel builds over the shared memory once, then
// for each task pulls morsels from an atomic counter in shared memory until the rows run out.

import { workerData } from 'piscina';
import { instantiateKernels, type KernelExports } from '../../host/wasm/kernels.js';
import { views } from '../../host/wasm/memory.js';
import { runMorsels, type BenchTask } from './cases.js';

const { memory, simd, scalar } = workerData as { memory: WebAssembly.Memory; simd: WebAssembly.Module; scalar: WebAssembly.Module };
const kernels: Record<string, KernelExports> = { simd: instantiateKernels(simd, memory), scalar: instantiateKernels(scalar, memory) };

export default function run(task: BenchTask): number {
  return runMorsels(kernels[task.build]!, task, views(memory));
}
