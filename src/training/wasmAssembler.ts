/**
 * A very small WebAssembly encoder: just enough to write the training kernels of wasmKernels.ts as
 * code, with no toolchain and no binary blob in the repository. Each instruction helper returns its
 * bytes; a function body is the concatenation of those arrays. Numbers are in the binary format's
 * encodings (LEB128 integers, little-endian floats); opcodes follow the WebAssembly 2.0 spec
 * (SIMD ones behind the 0xfd prefix).
 */

export const i32 = 0x7f;
export const i64 = 0x7e;
export const f32 = 0x7d;
export const f64 = 0x7c;
export const v128 = 0x7b;
export type ValueType = typeof i32 | typeof i64 | typeof f32 | typeof f64 | typeof v128;

export type Code = number[];

export function uleb(value: number): Code {
  const out: Code = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): Code {
  const out: Code = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f32Bytes(value: number): Code {
  const bytes = new Uint8Array(new Float32Array([value]).buffer);
  return Array.from(bytes);
}

function name(text: string): Code {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content];
}

/** Concatenates pieces of code (so kernels read top to bottom). */
export function seq(...parts: Code[]): Code {
  return parts.flat();
}

// --- Variables and constants -------------------------------------------------------------------
export const get = (index: number): Code => [0x20, ...uleb(index)];
export const set = (index: number): Code => [0x21, ...uleb(index)];
export const tee = (index: number): Code => [0x22, ...uleb(index)];
export const i32Const = (value: number): Code => [0x41, ...sleb(value)];
export const f32Const = (value: number): Code => [0x43, ...f32Bytes(value)];

// --- Memory (natural alignment hints; addresses are byte offsets) --------------------------------
export const i32Load = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
export const i32Load8U = (offset = 0): Code => [0x2d, 0, ...uleb(offset)];
export const f32Load = (offset = 0): Code => [0x2a, 2, ...uleb(offset)];
export const f64Load = (offset = 0): Code => [0x2b, 3, ...uleb(offset)];
export const i32Store = (offset = 0): Code => [0x36, 2, ...uleb(offset)];
export const f32Store = (offset = 0): Code => [0x38, 2, ...uleb(offset)];
export const f64Store = (offset = 0): Code => [0x39, 3, ...uleb(offset)];

// --- Scalar arithmetic ---------------------------------------------------------------------------
export const i32Add: Code = [0x6a];
export const i32Sub: Code = [0x6b];
export const i32Mul: Code = [0x6c];
export const i32And: Code = [0x71];
export const i32Shl: Code = [0x74];
export const i32ShrS: Code = [0x75];
export const i32Eq: Code = [0x46];
export const i32LtS: Code = [0x48];
export const i32GeS: Code = [0x4e];
export const f32Gt: Code = [0x5e];
export const f32Ne: Code = [0x5c];
export const f32Ge: Code = [0x60];
export const f32Abs: Code = [0x8b];
export const f32Neg: Code = [0x8c];
export const f32Sqrt: Code = [0x91];
export const f32Add: Code = [0x92];
export const f32Sub: Code = [0x93];
export const f32Mul: Code = [0x94];
export const f32Div: Code = [0x95];
export const f32Max: Code = [0x97];
export const f64Add: Code = [0xa0];
export const f64PromoteF32: Code = [0xbb];
export const f32DemoteF64: Code = [0xb6];
export const f32ConvertI32U: Code = [0xb3];
export const f64ConvertI32U: Code = [0xb8];
export const select: Code = [0x1b];
export const drop: Code = [0x1a];

// --- SIMD (128-bit, four f32 lanes) --------------------------------------------------------------
const simd = (op: number, ...immediates: number[]): Code => [0xfd, ...uleb(op), ...immediates];
export const v128Load = (offset = 0): Code => simd(0x00, 4, ...uleb(offset));
export const v128Store = (offset = 0): Code => simd(0x0b, 4, ...uleb(offset));
export const v128And: Code = simd(0x4e);
export const f32x4Splat: Code = simd(0x13);
export const f32x4ExtractLane = (lane: number): Code => simd(0x1f, lane);
export const f32x4Gt: Code = simd(0x44);
export const f32x4Ge: Code = simd(0x46);
export const f32x4Abs: Code = simd(0xe0);
export const f32x4Sqrt: Code = simd(0xe3);
export const f32x4Add: Code = simd(0xe4);
export const f32x4Sub: Code = simd(0xe5);
export const f32x4Mul: Code = simd(0xe6);
export const f32x4Div: Code = simd(0xe7);
export const f32x4Max: Code = simd(0xe9);
export const v128Zero: Code = simd(0x0c, ...new Array<number>(16).fill(0));

// --- Control -------------------------------------------------------------------------------------
export const call = (index: number): Code => [0x10, ...uleb(index)];
export const block = (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: Code[]): Code => [0x03, 0x40, ...body.flat(), 0x0b];
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const ifThen = (then: Code[], otherwise?: Code[]): Code =>
  otherwise === undefined ? [0x04, 0x40, ...then.flat(), 0x0b] : [0x04, 0x40, ...then.flat(), 0x05, ...otherwise.flat(), 0x0b];

/**
 * `for (local = from; local < to; local += step) body`, all i32 (from, to: code pushing an i32).
 * Inside `body`, depth 0 is the loop and depth 1 the enclosing block (br 1 = break).
 */
export function forRange(local: number, from: Code, to: Code, step: number, ...body: Code[]): Code {
  return seq(
    from,
    set(local),
    block(
      loop(
        get(local),
        to,
        i32GeS,
        brIf(1),
        ...body,
        get(local),
        i32Const(step),
        i32Add,
        set(local),
        br(0),
      ),
    ),
  );
}

export interface FunctionSpec {
  name: string;
  params: ValueType[];
  results?: ValueType[];
  /** Extra locals after the parameters, in order. */
  locals?: ValueType[];
  body: Code;
}

export interface ImportedFunction {
  module: string;
  name: string;
  params: ValueType[];
  results: ValueType[];
}

/**
 * A module importing `env.memory` (any size, not shared) and the given functions, exporting each
 * function by its name. Imported functions take the first indices, so `call(i)` with i < imports.length
 * calls an import.
 */
export function assembleModule(imports: ImportedFunction[], functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const signatures: Code[] = [];
  const signatureIndex = (params: ValueType[], results: ValueType[]): number => {
    const encoded = [0x60, ...vector(params.map((p) => [p])), ...vector(results.map((r) => [r]))];
    const key = encoded.join(',');
    const found = signatures.findIndex((s) => s.join(',') === key);
    if (found >= 0) return found;
    signatures.push(encoded);
    return signatures.length - 1;
  };
  const importEntries: Code[] = [
    [...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)],
    ...imports.map((f) => [...name(f.module), ...name(f.name), 0x00, ...uleb(signatureIndex(f.params, f.results))]),
  ];
  const functionTypes = functions.map((f) => uleb(signatureIndex(f.params, f.results ?? [])));
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(imports.length + i)]);
  const bodies = functions.map((f) => {
    const locals = (f.locals ?? []).map((type) => [1, type]);
    const body = [...vector(locals), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(signatures)),
    ...section(2, vector(importEntries)),
    ...section(3, vector(functionTypes)),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
