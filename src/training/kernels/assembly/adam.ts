// Adam, as Keras applies it: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -= α·m / (√v + ε), with the
// bias corrections folded into α by the caller (α = lr·√(1-β2^t)/(1-β1^t)). This is the only Adam in
// the kernels: the weight-gradient kernel calls `adamVector` on each gradient it sums, `adamUpdate`
// runs it over a parameter array whose gradient is in memory (the biases).

/** Smallest normal f32. TensorFlow's CPU kernels run with flush-to-zero; WebAssembly cannot, so the
 * moments are flushed here (subnormal moments of rarely lit pixels also made every step slow). */
const SMALLEST_NORMAL: f32 = 1.1754943508222875e-38;

/** The step's constants, written by the trainer before each step (f32 each). */
@unmanaged
export class AdamStep {
  alpha: f32;
  beta1: f32;
  oneMinusBeta1: f32;
  beta2: f32;
  oneMinusBeta2: f32;
  epsilon: f32;
}

@inline
function flushToZero(x: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), f32x4.splat(SMALLEST_NORMAL)));
}

/** One Adam update of four parameters at `parameter` (and their moments) with gradient `gradient`. */
@inline
export function adamVector(
  parameter: usize,
  moment1: usize,
  moment2: usize,
  gradient: v128,
  alpha: v128,
  beta1: v128,
  oneMinusBeta1: v128,
  beta2: v128,
  oneMinusBeta2: v128,
  epsilon: v128,
): void {
  const m = flushToZero(f32x4.add(f32x4.mul(beta1, v128.load(moment1)), f32x4.mul(oneMinusBeta1, gradient)));
  const squared = f32x4.mul(gradient, gradient);
  const v = flushToZero(f32x4.add(f32x4.mul(beta2, v128.load(moment2)), f32x4.mul(oneMinusBeta2, squared)));
  v128.store(moment1, m);
  v128.store(moment2, v);
  const step = f32x4.div(f32x4.mul(alpha, m), f32x4.add(f32x4.sqrt(v), epsilon));
  v128.store(parameter, f32x4.sub(v128.load(parameter), step));
}

/** Adam over `count` parameters (a multiple of 4) whose gradients are at `gradients`. */
export function adamUpdate(count: i32, parameters: usize, gradients: usize, moments1: usize, moments2: usize, settings: usize): void {
  const s = changetype<AdamStep>(settings);
  const alpha = f32x4.splat(s.alpha);
  const beta1 = f32x4.splat(s.beta1);
  const oneMinusBeta1 = f32x4.splat(s.oneMinusBeta1);
  const beta2 = f32x4.splat(s.beta2);
  const oneMinusBeta2 = f32x4.splat(s.oneMinusBeta2);
  const epsilon = f32x4.splat(s.epsilon);
  const bytes = <usize>count << 2;
  for (let offset: usize = 0; offset < bytes; offset += 16) {
    const gradient = v128.load(gradients + offset);
    adamVector(parameters + offset, moments1 + offset, moments2 + offset, gradient, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
  }
}
