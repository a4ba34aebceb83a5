/**
 * Hand-written WebAssembly (SIMD) kernels for the tutorial's training step, sharing the memory of the
 * tfjs wasm backend so they read and write tensors where they lie: no copies, no tensor bookkeeping.
 * The two large matMuls (x·W1 and xᵀ·dz1) stay with tfjs, whose XNNPACK GEMM is fast; everything
 * else of a step is two calls here:
 *
 * - `head`: bias + relu of the hidden layer, the output layer (logits, softmax), the batch's loss
 *   (log-sum-exp form, as Keras computes cross-entropy from a softmax's logits) and correct count, and
 *   the gradients of the output layer's weights and biases, of the hidden bias, and dz1 (the gradient
 *   at the hidden layer's pre-activation), which tfjs turns into W1's gradient.
 * - `adam`: one Adam update over a parameter buffer, its gradient and its two moments, in place.
 *
 * Layouts (f32, row-major, byte addresses): a1ᵀ and dz1ᵀ: H×B (tfjs's matMuls take and give them
 * so, see fastTrainer.ts); h: B×H scratch. The small parameters live in one block
 * [b1 (H) | W2ᵀ (10×H) | b2 (10)], their gradients in a block of the same layout, so a single Adam
 * call updates all three. W2 is kept transposed so every inner loop runs along H in SIMD lanes
 * (H must be a multiple of 4). stats: two f64, the summed loss and the number of correct predictions.
 */
import {
  assembleModule,
  f32Max,

  call,
  f32,
  f32Add,
  f32Const,
  f32ConvertI32U,
  f32Div,
  f32Gt,
  f32Load,
  f32Mul,
  f32Sqrt,
  f32Store,
  f32Sub,
  f32x4Add,
  f32x4Div,
  f32x4ExtractLane,
  f32x4Gt,
  f32x4Mul,
  f32x4Splat,
  f32x4Sqrt,
  f32x4Sub,
  f64Add,
  f64ConvertI32U,
  f64Load,
  f64PromoteF32,
  f64Store,
  forRange,
  get,
  i32,
  i32Add,
  i32And,
  i32Const,
  i32Eq,
  i32Load,
  i32Mul,
  i32Shl,
  ifThen,
  seq,
  set,
  tee,
  v128,
  v128And,
  v128Load,
  v128Store,
  v128Zero,
  type Code,
  type FunctionSpec,
} from './wasmAssembler';

const CLASSES = 10;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// Imported functions (WebAssembly has no exp/log instructions; JS's Math provides them).
const EXP = 0;
const LOG = 1;

function adamKernel(): FunctionSpec {
  // Parameters.
  const [P, G, M, V, N, ALPHA, B1, OMB1, B2, OMB2, EPS] = range(11);
  // Locals.
  const I = 11;
  const END4 = 12;
  const END = 13;
  const GV = 14;
  const MV = 15;
  const VV = 16;
  const [VB1, VOMB1, VB2, VOMB2, VALPHA, VEPS] = [17, 18, 19, 20, 21, 22];
  const [GS, MS, VS] = [23, 24, 25];
  const at = (base: number): Code => seq(get(base), get(I), i32Add);
  const splat = (scalar: number, into: number): Code => seq(get(scalar), f32x4Splat, set(into));
  return {
    name: 'adam',
    params: [i32, i32, i32, i32, i32, f32, f32, f32, f32, f32, f32],
    locals: [i32, i32, i32, v128, v128, v128, v128, v128, v128, v128, v128, v128, f32, f32, f32],
    body: seq(
      get(N), i32Const(-4), i32And, i32Const(2), i32Shl, set(END4),
      get(N), i32Const(2), i32Shl, set(END),
      splat(B1, VB1), splat(OMB1, VOMB1), splat(B2, VB2), splat(OMB2, VOMB2), splat(ALPHA, VALPHA), splat(EPS, VEPS),
      // Four lanes at a time: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -= α·m / (√v + ε).
      forRange(I, i32Const(0), get(END4), 16,
        at(G), v128Load(), set(GV),
        at(M), get(VB1), at(M), v128Load(), f32x4Mul, get(VOMB1), get(GV), f32x4Mul, f32x4Add, tee(MV), v128Store(),
        at(V), get(VB2), at(V), v128Load(), f32x4Mul, get(VOMB2), get(GV), f32x4Mul, get(GV), f32x4Mul, f32x4Add, tee(VV), v128Store(),
        at(P), at(P), v128Load(), get(VALPHA), get(MV), f32x4Mul, get(VV), f32x4Sqrt, get(VEPS), f32x4Add, f32x4Div, f32x4Sub, v128Store(),
      ),
      // The remaining 0-3 elements, one at a time.
      forRange(I, get(END4), get(END), 4,
        at(G), f32Load(), set(GS),
        at(M), get(B1), at(M), f32Load(), f32Mul, get(OMB1), get(GS), f32Mul, f32Add, tee(MS), f32Store(),
        at(V), get(B2), at(V), f32Load(), f32Mul, get(OMB2), get(GS), f32Mul, get(GS), f32Mul, f32Add, tee(VS), f32Store(),
        at(P), at(P), f32Load(), get(ALPHA), get(MS), f32Mul, get(VS), f32Sqrt, get(EPS), f32Add, f32Div, f32Sub, f32Store(),
      ),
    ),
  };
}

function headKernel(): FunctionSpec {
  // Parameters: B, H, a1ᵀ, params block, labels (i32), h, z (B×10 scratch), dz1ᵀ, grads block, stats, 1/B.
  const [NB, H, A1, PB, LABELS, HB, Z, DZ1, GB, STATS, INVB] = range(11);
  // i32 locals.
  const I = 11;
  const J = 12;
  const ROW = 13;
  const H4 = 14;
  const ZROW = 15;
  const LABEL = 16;
  const BEST = 17;
  const B2P = 18;
  const GB2P = 19;
  const WROW = range(CLASSES).map((c) => 20 + c);
  const GWROW = range(CLASSES).map((c) => 30 + c);
  // f32 locals.
  const MX = 40;
  const SUM = 41;
  const ZL = 42;
  const E = 43;
  // v128 locals.
  const HV = 44;
  const ACC = range(CLASSES).map((c) => 45 + c);
  const TMP = 55;
  const locals = [...new Array<number>(29).fill(i32), ...new Array<number>(4).fill(f32), ...new Array<number>(12).fill(v128)];

  const rowPtr = (base: number): Code => seq(get(base), get(ROW), i32Add, get(J), i32Add);
  const setup = seq(
    get(H), i32Const(2), i32Shl, set(H4),
    get(PB), get(H4), i32Const(1 + CLASSES), i32Mul, i32Add, set(B2P),
    get(GB), get(H4), i32Const(1 + CLASSES), i32Mul, i32Add, set(GB2P),
    ...range(CLASSES).map((c) => seq(get(PB), get(H4), i32Const(1 + c), i32Mul, i32Add, set(WROW[c]))),
    ...range(CLASSES).map((c) => seq(get(GB), get(H4), i32Const(1 + c), i32Mul, i32Add, set(GWROW[c]))),
  );
  const rowStart = seq(
    get(I), get(H4), i32Mul, set(ROW),
    get(Z), get(I), i32Const(4 * CLASSES), i32Mul, i32Add, set(ZROW),
  );
  // h = relu(a1 + b1), turning a1ᵀ (H×B, as tfjs's matMul gives it) into rows of h (B×H).
  const hidden = forRange(J, i32Const(0), get(H4), 4,
    get(PB), get(J), i32Add, f32Load(), set(E),
    forRange(I, i32Const(0), get(NB), 1,
      get(HB), get(I), get(H4), i32Mul, i32Add, get(J), i32Add,
      get(A1), get(J), get(NB), i32Mul, i32Add, get(I), i32Const(2), i32Shl, i32Add, f32Load(),
      get(E), f32Add, f32Const(0), f32Max,
      f32Store(),
    ),
  );
  // z = h·W2 + b2, ten dot products along H at once.
  const logits = seq(
    ...ACC.map((acc) => seq(v128Zero, set(acc))),
    forRange(J, i32Const(0), get(H4), 16,
      rowPtr(HB), v128Load(), set(HV),
      ...range(CLASSES).map((c) => seq(get(ACC[c]), get(HV), get(WROW[c]), get(J), i32Add, v128Load(), f32x4Mul, f32x4Add, set(ACC[c]))),
    ),
    ...range(CLASSES).map((c) =>
      seq(
        get(ZROW),
        get(ACC[c]), f32x4ExtractLane(0), get(ACC[c]), f32x4ExtractLane(1), f32Add,
        get(ACC[c]), f32x4ExtractLane(2), f32Add, get(ACC[c]), f32x4ExtractLane(3), f32Add,
        get(B2P), f32Load(4 * c), f32Add,
        f32Store(4 * c),
      ),
    ),
  );
  // Softmax, loss = log Σ exp(z - max) - (z_label - max), correct = argmax == label, dz2 = (p - onehot)/B.
  const softmaxLoss = seq(
    get(ZROW), f32Load(0), set(MX), i32Const(0), set(BEST),
    ...range(CLASSES).slice(1).map((c) =>
      seq(get(ZROW), f32Load(4 * c), get(MX), f32Gt, ifThen([get(ZROW), f32Load(4 * c), set(MX), i32Const(c), set(BEST)])),
    ),
    get(LABELS), get(I), i32Const(2), i32Shl, i32Add, i32Load(), set(LABEL),
    get(ZROW), get(LABEL), i32Const(2), i32Shl, i32Add, f32Load(), set(ZL),
    f32Const(0), set(SUM),
    ...range(CLASSES).map((c) =>
      seq(get(ZROW), get(ZROW), f32Load(4 * c), get(MX), f32Sub, call(EXP), tee(E), f32Store(4 * c), get(SUM), get(E), f32Add, set(SUM)),
    ),
    get(STATS), get(STATS), f64Load(0), get(SUM), call(LOG), get(ZL), get(MX), f32Sub, f32Sub, f64PromoteF32, f64Add, f64Store(0),
    get(STATS), get(STATS), f64Load(8), get(BEST), get(LABEL), i32Eq, f64ConvertI32U, f64Add, f64Store(8),
    ...range(CLASSES).map((c) =>
      seq(
        get(ZROW),
        get(ZROW), f32Load(4 * c), get(SUM), f32Div, get(LABEL), i32Const(c), i32Eq, f32ConvertI32U, f32Sub, get(INVB), f32Mul,
        f32Store(4 * c),
      ),
    ),
  );
  const zeroGradients = forRange(J, i32Const(0), seq(get(H4), i32Const(1 + CLASSES), i32Mul, i32Const(4 * CLASSES), i32Add), 4,
    get(GB), get(J), i32Add, f32Const(0), f32Store(),
  );
  // dW2ᵀ[c] += dz2[c]·h, db2 += dz2, dz1 = (Σ_c dz2[c]·W2ᵀ[c]) ⊙ [h > 0], db1 += dz1.
  const backward = seq(
    ...range(CLASSES).map((c) =>
      seq(
        get(ZROW), f32Load(4 * c), f32x4Splat, set(ACC[c]),
        get(GB2P), get(GB2P), f32Load(4 * c), get(ZROW), f32Load(4 * c), f32Add, f32Store(4 * c),
      ),
    ),
    forRange(J, i32Const(0), get(H4), 16,
      rowPtr(HB), v128Load(), set(HV),
      ...range(CLASSES).map((c) =>
        seq(get(GWROW[c]), get(J), i32Add, get(GWROW[c]), get(J), i32Add, v128Load(), get(ACC[c]), get(HV), f32x4Mul, f32x4Add, v128Store()),
      ),
      v128Zero, set(TMP),
      ...range(CLASSES).map((c) => seq(get(TMP), get(ACC[c]), get(WROW[c]), get(J), i32Add, v128Load(), f32x4Mul, f32x4Add, set(TMP))),
      get(TMP), get(HV), v128Zero, f32x4Gt, v128And, set(TMP),
      // dz1ᵀ (H×B) for tfjs's matMul: lane l of this vector is dz1[i, j + l].
      ...range(4).map((lane) =>
        seq(
          get(DZ1), get(J), i32Const(4 * lane), i32Add, get(NB), i32Mul, i32Add, get(I), i32Const(2), i32Shl, i32Add,
          get(TMP), f32x4ExtractLane(lane), f32Store(),
        ),
      ),
      get(GB), get(J), i32Add, get(GB), get(J), i32Add, v128Load(), get(TMP), f32x4Add, v128Store(),
    ),
  );
  return {
    name: 'head',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, f32],
    locals: locals as FunctionSpec['locals'],
    body: seq(
      setup,
      hidden,
      forRange(I, i32Const(0), get(NB), 1, rowStart, logits, softmaxLoss),
      zeroGradients,
      forRange(I, i32Const(0), get(NB), 1, rowStart, backward),
    ),
  };
}

export interface TrainingKernels {
  adam(p: number, g: number, m: number, v: number, n: number, alpha: number, b1: number, omb1: number, b2: number, omb2: number, eps: number): void;
  head(batch: number, hidden: number, a1: number, params: number, labels: number, h: number, z: number, dz1: number, grads: number, stats: number, invBatch: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The kernels' module bytes (exported for tests that validate the encoding). */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule(
    [
      { module: 'math', name: 'exp', params: [f32], results: [f32] },
      { module: 'math', name: 'log', params: [f32], results: [f32] },
    ],
    [adamKernel(), headKernel()],
  );
}

/** Instantiates the kernels over a memory (the tfjs wasm backend's). Compiled once per process. */
export function instantiateKernels(memory: WebAssembly.Memory): TrainingKernels {
  compiled ??= new WebAssembly.Module(kernelModuleBytes());
  const instance = new WebAssembly.Instance(compiled, { env: { memory }, math: { exp: Math.exp, log: Math.log } });
  return instance.exports as unknown as TrainingKernels;
}

// Exported so the unit tests can check the block layout the kernels assume.
export const SMALL_BLOCK_FLOATS = (hidden: number): number => hidden * (1 + CLASSES) + CLASSES;
