/**
 * The linear algebra of a Newton step: solving H·x = r for a symmetric
 * positive semi-definite H (k × k, row-major, both triangles filled) by a
 * Cholesky factorisation, with a fallback for an ill-conditioned or
 * singular H.
 *
 * Written here rather than taken from npm: the matrices are small (one row
 * and column per weight, plus the bias), the routine is 40 lines, and the
 * maintained numeric libraries (ml-matrix, mathjs) bring general matrix
 * types and copies per call where this needs one factorisation in a
 * preallocated buffer, plus a documented fallback they do not have.
 *
 * The fallback: H is first equilibrated (D·H·D with D = diag(H)^-1/2, so
 * every diagonal entry is 1 and the pivots are comparable); if a pivot is
 * not clearly positive (below k·2⁻⁵² of the diagonal, a condition number
 * beyond what doubles resolve), a ridge τ·I is added and the factorisation
 * retried with τ growing tenfold from 1e-10. A ridge turns the Newton step
 * into a Levenberg–Marquardt step: still a descent direction, shorter along
 * the directions H cannot tell apart. The ridge used is reported.
 */

export interface Factor {
  /** Lower triangle L of D·H·D + τ·I = L·Lᵀ, row-major k × k. */
  readonly lower: Float64Array;
  /** The equilibration D (diag(H)^-1/2, or 1 where the diagonal is 0). */
  readonly scale: Float64Array;
  /** The ridge τ that was needed: 0 when H itself was factorised. */
  readonly ridge: number;
  readonly size: number;
}

/** Tries L·Lᵀ = A in place of `lower`; false at the first pivot not clearly positive. */
function factorInto(a: Float64Array, k: number, ridge: number, lower: Float64Array): boolean {
  const floor = k * Number.EPSILON;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (a[i * k + j] as number) + (i === j ? ridge : 0);
      for (let m = 0; m < j; m++) sum -= (lower[i * k + m] as number) * (lower[j * k + m] as number);
      if (i === j) {
        if (!(sum > floor)) return false;
        lower[i * k + i] = Math.sqrt(sum);
      } else {
        lower[i * k + j] = sum / (lower[j * k + j] as number);
      }
    }
  }
  return true;
}

/** Factorises the symmetric matrix `h` (k × k), with the ridge fallback. Undefined only if H holds NaN or infinities. */
export function cholesky(h: Float64Array, k: number): Factor | undefined {
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const diagonal = h[i * k + i] as number;
    scale[i] = diagonal > 0 ? 1 / Math.sqrt(diagonal) : 1;
  }
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) a[i * k + j] = (h[i * k + j] as number) * (scale[i] as number) * (scale[j] as number);
  }
  const lower = new Float64Array(k * k);
  for (let ridge = 0; ridge <= 1e10; ridge = ridge === 0 ? 1e-10 : ridge * 10) {
    if (factorInto(a, k, ridge, lower)) return { lower, scale, ridge, size: k };
  }
  return undefined;
}

/** x with (H + ridge·D⁻²)·x = r, from the factor: forward and back substitution between the two scalings. */
export function solve(factor: Factor, r: Float64Array): Float64Array {
  const { lower, scale, size: k } = factor;
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = (r[i] as number) * (scale[i] as number);
    for (let m = 0; m < i; m++) sum -= (lower[i * k + m] as number) * (y[m] as number);
    y[i] = sum / (lower[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let m = i + 1; m < k; m++) sum -= (lower[m * k + i] as number) * (y[m] as number);
    y[i] = sum / (lower[i * k + i] as number);
  }
  for (let i = 0; i < k; i++) y[i] = (y[i] as number) * (scale[i] as number);
  return y;
}

/** H⁻¹ (k × k), column by column; undefined when H needed a ridge (singular: no inverse to report). */
export function inverse(h: Float64Array, k: number): Float64Array | undefined {
  const factor = cholesky(h, k);
  if (factor === undefined || factor.ridge > 0) return undefined;
  const result = new Float64Array(k * k);
  const unit = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    unit.fill(0);
    unit[c] = 1;
    const column = solve(factor, unit);
    for (let r = 0; r < k; r++) result[r * k + c] = column[r] as number;
  }
  return result;
}

/**
 * The rank of a symmetric positive semi-definite `h` (k × k): Cholesky on the
 * equilibrated matrix, where a column whose remaining pivot is below
 * `tolerance` of its diagonal depends on the columns before it and is left
 * out. `summary` counts the design's rank this way for its degrees of freedom,
 * as statsmodels does (numpy.linalg.matrix_rank of the design).
 */
export function rank(h: Float64Array, k: number, tolerance = 1e-10): number {
  const scale = Float64Array.from({ length: k }, (_, i) => {
    const diagonal = h[i * k + i] as number;
    return diagonal > 0 ? 1 / Math.sqrt(diagonal) : 0;
  });
  const lower = new Float64Array(k * k);
  let count = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (h[i * k + j] as number) * (scale[i] as number) * (scale[j] as number);
      for (let m = 0; m < j; m++) sum -= (lower[i * k + m] as number) * (lower[j * k + m] as number);
      if (i === j) {
        if (sum > tolerance) {
          lower[i * k + i] = Math.sqrt(sum);
          count++;
        }
      } else {
        const pivot = lower[j * k + j] as number;
        lower[i * k + j] = pivot === 0 ? 0 : sum / pivot;
      }
    }
  }
  return count;
}
