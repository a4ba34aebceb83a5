// The one multiply-add of the kernels. The relaxed-SIMD build (compile.mjs, ASC_FEATURE_RELAXED_SIMD)
// emits f32x4.relaxed_madd, a fused multiply-add where the CPU has one (one rounding instead of two);
// the plain build a multiply then an add. Both are a·b + c to within the tests' tolerances.

/** a·b + c, four lanes. */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * The roofline's peak: `iterations` rounds of 12 independent multiply-add chains held in registers
 * (enough to cover the latency of a multiply-add on the CPUs we run on), 12 × 4 lanes × 2 flops a
 * round, computing a = a·scale + offset. Returns a lane of the sum so the loop is not optimized away.
 */
export function peakMultiplyAdd(iterations: i32, scale: f32, offset: f32): f32 {
  // Given, not constants: a constant operand is rebuilt inside the loop by some engines.
  const x = f32x4.splat(scale);
  const y = f32x4.splat(offset);
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(1);
  let a2 = f32x4.splat(2);
  let a3 = f32x4.splat(3);
  let a4 = f32x4.splat(4);
  let a5 = f32x4.splat(5);
  let a6 = f32x4.splat(6);
  let a7 = f32x4.splat(7);
  let a8 = f32x4.splat(8);
  let a9 = f32x4.splat(9);
  let a10 = f32x4.splat(10);
  let a11 = f32x4.splat(11);
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, x, y);
    a1 = madd(a1, x, y);
    a2 = madd(a2, x, y);
    a3 = madd(a3, x, y);
    a4 = madd(a4, x, y);
    a5 = madd(a5, x, y);
    a6 = madd(a6, x, y);
    a7 = madd(a7, x, y);
    a8 = madd(a8, x, y);
    a9 = madd(a9, x, y);
    a10 = madd(a10, x, y);
    a11 = madd(a11, x, y);
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(f32x4.add(sum, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
}
