/**
 * A view on tensors' memory in the tfjs wasm backend's heap, so a fresh tensor can be filled in place
 * (the 10,000 test images as the model's input: one 31 MB copy fewer). The training kernels no longer
 * live here: see src/training/kernels.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend';

/** The parts of the tfjs wasm backend this path relies on (not public API, so checked at start). */
interface WasmBackendInternals {
  wasm: {
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    asm?: { memory?: WebAssembly.Memory };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

function wasmInternals(tf: Tf): WasmBackendInternals | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmBackendInternals>;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || typeof backend.wasm?._malloc !== 'function' || backend.dataIdMap === undefined) {
    return undefined;
  }
  return backend as WasmBackendInternals;
}

/**
 * A float view on a tensor's memory in the wasm heap (valid until the heap grows), or undefined on
 * other backends. Lets a fresh tensor be filled in place, without a second copy in JS.
 */
export function heapFloats(tf: Tf, tensor: Tensor): Float32Array | undefined {
  const backend = wasmInternals(tf);
  const entry = backend?.dataIdMap.get(tensor.dataId);
  const memory = backend?.wasm.asm?.memory;
  if (entry === undefined || memory === undefined || tensor.dtype !== 'float32') return undefined;
  return new Float32Array(memory.buffer, entry.memoryOffset, tensor.size);
}
