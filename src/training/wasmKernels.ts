/**
 * Hand-written WebAssembly (SIMD) kernels for the tutorial's training step. They share the memory of
 * the tfjs wasm backend (buffers come from its allocator) and a step is five calls, with no tensor
 * created and nothing read back:
 *
 * - `gather`: from the batch's uint8 images, the lists of non-zero pixels per sample and per pixel.
 * - `forward`: h = relu(x·W1 + b1), reading only non-zero pixels (zeros add exact zeros).
 * - `head`: the output layer (logits, softmax), the batch's loss (log-sum-exp form, as Keras computes
 *   cross-entropy from a softmax's logits) and correct count, the gradients of W2, b2 and b1, and dz1
 *   (the gradient at the hidden layer's pre-activation).
 * - `backwardAdam`: W1's gradient summed in registers and applied by Adam at once.
 * - `adam`: Adam for the small parameters, in place.
 *
 * Layouts (f32, row-major, byte addresses): W1 784×H; h and dz1 B×H. The small parameters live in one
 * block [b1 (H) | W2ᵀ (10×H) | b2 (10)], their gradients in a block of the same layout, so a single
 * Adam call updates all three; W2 is kept transposed so every inner loop runs along H in SIMD lanes.
 * H must be a multiple of 32 (COLUMN_BLOCK). stats: two f64, the summed loss and the number correct.
 */
import {
  assembleModule,
  f32Abs,
  f32Ge,
  f32x4Abs,
  f32x4Ge,
  select,
  f32x4Max,

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
  i32Load8U,
  i32ShrS,
  i32Store,
  i32Sub,
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

/**
 * Adam's moments are flushed to zero once below the smallest normal float. TensorFlow runs its CPU
 * kernels with flush-to-zero on, so Keras does the same; WebAssembly has no such mode, and moments
 * that decay through the subnormal range (pixels that are rarely lit) make every step several times
 * slower on x86, where subnormal arithmetic is microcoded.
 */
const SMALLEST_NORMAL = 1.1754943508222875e-38;
const flushVector = (local: number): Code =>
  seq(get(local), get(local), f32x4Abs, f32Const(SMALLEST_NORMAL), f32x4Splat, f32x4Ge, v128And, set(local));
const flushScalar = (local: number): Code =>
  seq(get(local), f32Const(0), get(local), f32Abs, f32Const(SMALLEST_NORMAL), f32Ge, select, set(local));

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
        get(VB1), at(M), v128Load(), f32x4Mul, get(VOMB1), get(GV), f32x4Mul, f32x4Add, set(MV), flushVector(MV),
        at(M), get(MV), v128Store(),
        get(VB2), at(V), v128Load(), f32x4Mul, get(VOMB2), get(GV), f32x4Mul, get(GV), f32x4Mul, f32x4Add, set(VV), flushVector(VV),
        at(V), get(VV), v128Store(),
        at(P), at(P), v128Load(), get(VALPHA), get(MV), f32x4Mul, get(VV), f32x4Sqrt, get(VEPS), f32x4Add, f32x4Div, f32x4Sub, v128Store(),
      ),
      // The remaining 0-3 elements, one at a time.
      forRange(I, get(END4), get(END), 4,
        at(G), f32Load(), set(GS),
        get(B1), at(M), f32Load(), f32Mul, get(OMB1), get(GS), f32Mul, f32Add, set(MS), flushScalar(MS),
        at(M), get(MS), f32Store(),
        get(B2), at(V), f32Load(), f32Mul, get(OMB2), get(GS), f32Mul, get(GS), f32Mul, f32Add, set(VS), flushScalar(VS),
        at(V), get(VS), f32Store(),
        at(P), at(P), f32Load(), get(ALPHA), get(MS), f32Mul, get(VS), f32Sqrt, get(EPS), f32Add, f32Div, f32Sub, f32Store(),
      ),
    ),
  };
}

function headKernel(): FunctionSpec {
  // Parameters: B, H, (unused), params block, labels (i32), h (from `forward`), z (B×10 scratch), dz1, grads block, stats, 1/B.
  const [NB, H, , PB, LABELS, HB, Z, DZ1, GB, STATS, INVB] = range(11);
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
      rowPtr(DZ1), get(TMP), v128Store(),
      get(GB), get(J), i32Add, get(GB), get(J), i32Add, v128Load(), get(TMP), f32x4Add, v128Store(),
    ),
  );
  return {
    name: 'head',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, f32],
    locals: locals as FunctionSpec['locals'],
    body: seq(
      setup,
      forRange(I, i32Const(0), get(NB), 1, rowStart, logits, softmaxLoss),
      zeroGradients,
      forRange(I, i32Const(0), get(NB), 1, rowStart, backward),
    ),
  };
}

/** Floats per register block along H in the first layer's kernels: eight SIMD registers. */
export const COLUMN_BLOCK = 32;
const BLOCK_VECTORS = COLUMN_BLOCK / 4;
const PIXEL_BYTES = 784 * 4;

/**
 * h = relu(x·W1 + b1) for a batch, from each sample's list of non-zero pixels (built by the gather in
 * wasmKernelTrainer.ts): a zero pixel adds exactly 0·w = 0 to every sum, so leaving it out gives the same
 * result to the bit, and about half of Fashion-MNIST's pixels are background. A list entry is the
 * byte offset of the pixel's row in W1 (k·H·4, in `rows`) and the pixel's value (in `values`);
 * sample i's entries start at entry i·784, `counts` holds how many. Each row of h is built 32
 * columns at a time in eight SIMD registers. W1 is 784×H, b1 H, h B×H.
 */
function forwardKernel(): FunctionSpec {
  const [NB, H, ROWS, VALUES, COUNTS, W1, B1, HOUT] = range(8);
  const [I, LBASE, LEND, HROW, JB, P, WP, H4] = range(8).map((n) => 8 + n);
  const VS = 16;
  const ACC = range(BLOCK_VECTORS).map((q) => 17 + q);
  return {
    name: 'forward',
    params: [i32, i32, i32, i32, i32, i32, i32, i32],
    locals: [i32, i32, i32, i32, i32, i32, i32, i32, v128, ...ACC.map(() => v128 as typeof v128)],
    body: seq(
      get(H), i32Const(2), i32Shl, set(H4),
      forRange(I, i32Const(0), get(NB), 1,
        get(I), i32Const(PIXEL_BYTES), i32Mul, set(LBASE),
        get(LBASE), get(COUNTS), get(I), i32Const(2), i32Shl, i32Add, i32Load(), i32Const(2), i32Shl, i32Add, set(LEND),
        get(HOUT), get(I), get(H4), i32Mul, i32Add, set(HROW),
        forRange(JB, i32Const(0), get(H4), 4 * COLUMN_BLOCK,
          ...ACC.map((acc, q) => seq(get(B1), get(JB), i32Add, v128Load(16 * q), set(acc))),
          forRange(P, get(LBASE), get(LEND), 4,
            get(W1), get(ROWS), get(P), i32Add, i32Load(), i32Add, get(JB), i32Add, set(WP),
            get(VALUES), get(P), i32Add, f32Load(), f32x4Splat, set(VS),
            ...ACC.map((acc, q) => seq(get(acc), get(VS), get(WP), v128Load(16 * q), f32x4Mul, f32x4Add, set(acc))),
          ),
          ...ACC.map((acc, q) => seq(get(HROW), get(JB), i32Add, get(acc), v128Zero, f32x4Max, v128Store(16 * q))),
        ),
      ),
    ),
  };
}

/**
 * W1's gradient and its Adam update in one pass: for each pixel k and block of 32 columns,
 * g = Σ_i x[i, k]·dz1[i, :] over the samples where pixel k is not zero (lists as in `forward`, per
 * pixel: entry = byte offset of dz1's row i (i·H·4) and the value; pixel k's entries start at entry
 * k·B) is summed in registers and applied at once: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * W1 -= α·m / (√v + ε). The gradient never goes to memory. dz1 is B×H; W1, m, v 784×H.
 */
function backwardAdamKernel(): FunctionSpec {
  const [NB, H, ROWS, VALUES, COUNTS, DZ1, W1, M, V, ALPHA, B1, OMB1, B2, OMB2, EPS] = range(15);
  const [KK, JB, P, LBASE, LEND, DP, BASE, H4] = range(8).map((n) => 15 + n);
  const VS = 23;
  const G = range(BLOCK_VECTORS).map((q) => 24 + q);
  const [VB1, VOMB1, VB2, VOMB2, VALPHA, VEPS, MV, VV] = range(8).map((n) => 24 + BLOCK_VECTORS + n);
  const splat = (scalar: number, into: number): Code => seq(get(scalar), f32x4Splat, set(into));
  const at = (base: number): Code => seq(get(base), get(BASE), i32Add);
  return {
    name: 'backwardAdam',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32, f32, f32, f32, f32, f32, f32],
    locals: [i32, i32, i32, i32, i32, i32, i32, i32, v128, ...G.map(() => v128 as typeof v128), ...range(8).map(() => v128 as typeof v128)],
    body: seq(
      get(H), i32Const(2), i32Shl, set(H4),
      splat(B1, VB1), splat(OMB1, VOMB1), splat(B2, VB2), splat(OMB2, VOMB2), splat(ALPHA, VALPHA), splat(EPS, VEPS),
      forRange(KK, i32Const(0), i32Const(PIXEL_BYTES), 4,
        // Pixel k's entries start at byte k·B·4 = KK·B.
        get(KK), get(NB), i32Mul, set(LBASE),
        get(LBASE), get(COUNTS), get(KK), i32Add, i32Load(), i32Const(2), i32Shl, i32Add, set(LEND),
        forRange(JB, i32Const(0), get(H4), 4 * COLUMN_BLOCK,
          ...G.map((g) => seq(v128Zero, set(g))),
          forRange(P, get(LBASE), get(LEND), 4,
            get(DZ1), get(ROWS), get(P), i32Add, i32Load(), i32Add, get(JB), i32Add, set(DP),
            get(VALUES), get(P), i32Add, f32Load(), f32x4Splat, set(VS),
            ...G.map((g, q) => seq(get(g), get(VS), get(DP), v128Load(16 * q), f32x4Mul, f32x4Add, set(g))),
          ),
          get(KK), get(H), i32Mul, get(JB), i32Add, set(BASE),
          ...G.map((g, q) =>
            seq(
              get(VB1), at(M), v128Load(16 * q), f32x4Mul, get(VOMB1), get(g), f32x4Mul, f32x4Add, set(MV), flushVector(MV),
              at(M), get(MV), v128Store(16 * q),
              get(VB2), at(V), v128Load(16 * q), f32x4Mul, get(VOMB2), get(g), f32x4Mul, get(g), f32x4Mul, f32x4Add, set(VV), flushVector(VV),
              at(V), get(VV), v128Store(16 * q),
              at(W1), at(W1), v128Load(16 * q), get(VALPHA), get(MV), f32x4Mul, get(VV), f32x4Sqrt, get(VEPS), f32x4Add, f32x4Div, f32x4Sub, v128Store(16 * q),
            ),
          ),
        ),
      ),
    ),
  };
}

/**
 * Builds the lists `forward` and `backwardAdam` read, from a batch of uint8 images (B×784, copied
 * into the heap): per sample its non-zero pixels, per pixel the samples where it is not zero, each
 * with the pixel's value in 0..1 from `table` (256 floats, the same i/255 as everywhere else).
 * Branch-free: every pixel is written, and a list grows only when the pixel is not zero.
 */
function gatherKernel(): FunctionSpec {
  const [NB, H, IMAGES, TABLE, SROWS, SVALUES, SCOUNTS, PROWS, PVALUES, PCOUNTS] = range(10);
  const [I, K, SRC, BASE, N, BYTE, NZ, COUNT, AT, H4, DZROW] = range(11).map((n) => 10 + n);
  const VALUE = 21;
  return {
    name: 'gather',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32],
    locals: [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, f32],
    body: seq(
      get(H), i32Const(2), i32Shl, set(H4),
      forRange(K, i32Const(0), i32Const(PIXEL_BYTES), 4, get(PCOUNTS), get(K), i32Add, i32Const(0), i32Store()),
      forRange(I, i32Const(0), get(NB), 1,
        get(IMAGES), get(I), i32Const(784), i32Mul, i32Add, set(SRC),
        get(I), i32Const(PIXEL_BYTES), i32Mul, tee(BASE), set(N),
        get(I), get(H4), i32Mul, set(DZROW),
        forRange(K, i32Const(0), i32Const(784), 1,
          get(SRC), get(K), i32Add, i32Load8U(), tee(BYTE),
          i32Const(2), i32Shl, get(TABLE), i32Add, f32Load(), set(VALUE),
          get(BYTE), i32Const(255), i32Add, i32Const(8), i32ShrS, set(NZ),
          get(SROWS), get(N), i32Add, get(K), get(H4), i32Mul, i32Store(),
          get(SVALUES), get(N), i32Add, get(VALUE), f32Store(),
          get(N), get(NZ), i32Const(2), i32Shl, i32Add, set(N),
          get(PCOUNTS), get(K), i32Const(2), i32Shl, i32Add, i32Load(), set(COUNT),
          get(K), get(NB), i32Mul, get(COUNT), i32Add, i32Const(2), i32Shl, set(AT),
          get(PROWS), get(AT), i32Add, get(DZROW), i32Store(),
          get(PVALUES), get(AT), i32Add, get(VALUE), f32Store(),
          get(PCOUNTS), get(K), i32Const(2), i32Shl, i32Add, get(COUNT), get(NZ), i32Add, i32Store(),
        ),
        get(SCOUNTS), get(I), i32Const(2), i32Shl, i32Add, get(N), get(BASE), i32Sub, i32Const(2), i32ShrS, i32Store(),
      ),
    ),
  };
}

export interface TrainingKernels {
  adam(p: number, g: number, m: number, v: number, n: number, alpha: number, b1: number, omb1: number, b2: number, omb2: number, eps: number): void;
  head(batch: number, hidden: number, unused: number, params: number, labels: number, h: number, z: number, dz1: number, grads: number, stats: number, invBatch: number): void;
  gather(batch: number, hidden: number, images: number, table: number, sampleRows: number, sampleValues: number, sampleCounts: number, pixelRows: number, pixelValues: number, pixelCounts: number): void;
  forward(batch: number, hidden: number, rows: number, values: number, counts: number, w1: number, b1: number, h: number): void;
  backwardAdam(batch: number, hidden: number, rows: number, values: number, counts: number, dz1: number, w1: number, m: number, v: number, alpha: number, b1: number, omb1: number, b2: number, omb2: number, eps: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The kernels' module bytes (exported for tests that validate the encoding). */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule(
    [
      { module: 'math', name: 'exp', params: [f32], results: [f32] },
      { module: 'math', name: 'log', params: [f32], results: [f32] },
    ],
    [adamKernel(), headKernel(), forwardKernel(), backwardAdamKernel(), gatherKernel()],
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
