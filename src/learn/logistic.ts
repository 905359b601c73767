/**
 * The objective every solver minimises, as scikit-learn defines it:
 *   (1/n)·Σ sᵢ·ℓᵢ + (λ/2)·|w|²,  ℓᵢ = log(1 + e^zᵢ) − yᵢ·zᵢ,  zᵢ = b + w·xᵢ,
 * with sᵢ the row's weight (1 without --sample-weight/--class-weight), n the
 * number of rows and the bias not penalised. With λ = 1/(C·n) its minimiser
 * is LogisticRegression(C=C)'s, sample and class weights included.
 *
 * The solvers work in a frame of z-scored features: θ = (w′, b′) with
 * zᵢ = b′ + Σ w′ⱼ·(xᵢⱼ − mⱼ)/sⱼ, so that feature scale and offset do not
 * condition the problem (unscaled data converges as standardised data does);
 * the data itself is never copied or changed. `toData`/`fromData` map θ to
 * the weights of the data as given, where the penalty applies.
 *
 * Pure: no I/O, no clock.
 */

import type { Dataset } from './train.js';

export interface Problem {
  readonly data: Dataset;
  /** sᵢ per row; undefined means 1 for every row. */
  readonly rowWeights?: Float64Array | undefined;
  /** λ, >= 0. */
  readonly l2: number;
}

/** The rows of numbers a frame is taken from (n × d, row-major); the labels do not matter. */
export type Columns = Pick<Dataset, 'x' | 'rows' | 'features'>;

/** The solver's coordinates: feature j is read as (x − mean[j]) / scale[j]. */
export interface Frame {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/**
 * Mean and population standard deviation of feature j, computed on
 * x / max|x| so that values up to ±1.8e308 do not overflow (a sum of
 * squares of 1e300 would). NaN for an empty column.
 */
export function columnMoments(data: Columns, j: number): { mean: number; std: number } {
  const { x, rows, features: d } = data;
  let big = 0;
  for (let i = 0; i < rows; i++) big = Math.max(big, Math.abs(x[i * d + j] as number));
  if (big === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += (x[i * d + j] as number) / big;
  const m = sum / rows;
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    const delta = (x[i * d + j] as number) / big - m;
    squares += delta * delta;
  }
  return { mean: m * big, std: Math.sqrt(squares / rows) * big };
}

/** The solvers' frame: each feature's mean and standard deviation; a constant feature keeps mean 0 and scale 1 (the bias's twin, not centred away). */
export function frameOf(data: Columns): Frame {
  const d = data.features;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  for (let j = 0; j < d; j++) {
    const moments = columnMoments(data, j);
    // 1/std² must be finite too (the penalty divides by it): a column that varies by less than 1e-154 is read as given.
    if (moments.std > 0 && Number.isFinite(moments.std) && Number.isFinite(1 / (moments.std * moments.std))) {
      mean[j] = moments.mean;
      scale[j] = moments.std;
    }
  }
  return { mean, scale };
}

/** The weights and bias on the data as given, from θ in the frame. */
export function toData(frame: Frame, theta: Float64Array): { weights: number[]; bias: number } {
  const d = frame.mean.length;
  let bias = theta[d] as number;
  const weights: number[] = [];
  for (let j = 0; j < d; j++) {
    const w = (theta[j] as number) / (frame.scale[j] as number);
    weights.push(w);
    bias -= w * (frame.mean[j] as number);
  }
  return { weights, bias };
}

/** θ in the frame for weights and bias on the data as given. */
export function fromData(frame: Frame, weights: readonly number[], bias: number): Float64Array {
  const d = frame.mean.length;
  const theta = new Float64Array(d + 1);
  let b = bias;
  for (let j = 0; j < d; j++) {
    const w = weights[j] as number;
    theta[j] = w * (frame.scale[j] as number);
    b += w * (frame.mean[j] as number);
  }
  theta[d] = b;
  return theta;
}

/**
 * The largest entry of a gradient on the data's weights (then the bias),
 * taken in the frame: ∂f/∂w′ⱼ = (gⱼ − mⱼ·g_b)/sⱼ and ∂f/∂b′ = g_b, by the
 * chain rule through wⱼ = w′ⱼ/sⱼ and b = b′ − Σ wⱼmⱼ. This is the gradient
 * norm every solver reports and stops on: it does not depend on units.
 */
export function frameGradientNorm(frame: Frame, gradient: Float64Array): number {
  const d = frame.mean.length;
  const gb = gradient[d] as number;
  let norm = Math.abs(gb);
  for (let j = 0; j < d; j++) {
    norm = Math.max(norm, Math.abs(((gradient[j] as number) - (frame.mean[j] as number) * gb) / (frame.scale[j] as number)));
  }
  return norm;
}

/** The objective, its gradient and (when asked) its Hessian at θ, all in the frame. */
export interface Point {
  readonly theta: Float64Array;
  /** zᵢ per row. */
  readonly z: Float64Array;
  /** (1/n)·Σ sᵢ·ℓᵢ. */
  readonly loss: number;
  /** loss + (λ/2)·|w|². */
  readonly objective: number;
  /** ∂objective/∂θ, d + 1 entries (bias last). */
  readonly gradient: Float64Array;
  /** ∂²objective/∂θ², (d + 1)², row-major; only with curvature 'full'. */
  readonly hessian: Float64Array | undefined;
  /** Its diagonal; with curvature 'full' or 'diagonal'. */
  readonly diagonal: Float64Array | undefined;
  /** Rows whose class (z >= 0) is their label, unweighted. */
  readonly correct: number;
  /** max |gradient|. */
  readonly gradientNorm: number;
}

/** The penalty (λ/2)·|w|² at θ, w on the data as given. */
export function penalty(problem: Problem, frame: Frame, theta: Float64Array): number {
  if (problem.l2 === 0) return 0;
  let squares = 0;
  for (let j = 0; j < frame.scale.length; j++) {
    const w = (theta[j] as number) / (frame.scale[j] as number);
    squares += w * w;
  }
  return (problem.l2 / 2) * squares;
}

/** How much of the Hessian a pass computes: none, its diagonal (d + 1 a row), or all of it ((d + 1)²/2 a row). */
export type Curvature = 'none' | 'diagonal' | 'full';

/**
 * One pass over the rows at θ: z, the loss, the gradient and, as asked,
 * the Hessian Σ sᵢ·pᵢ(1 − pᵢ)·x̃ᵢx̃ᵢᵀ / n (x̃ = the row in the frame, then 1)
 * plus the penalty's. `z` is written into the buffer given (one entry per row).
 */
export function evaluateAt(problem: Problem, frame: Frame, theta: Float64Array, curvature: Curvature, z: Float64Array): Point {
  const { data, rowWeights, l2 } = problem;
  const { x, y, rows, features: d } = data;
  const k = d + 1;
  const { mean, scale } = frame;
  const gradient = new Float64Array(k);
  const packed = curvature === 'full' ? new Float64Array((k * (k + 1)) / 2) : undefined;
  const diagonal = curvature === 'none' ? undefined : new Float64Array(k);
  const row = new Float64Array(k);
  row[d] = 1;
  // The frame folded into the row: x̃ⱼ = xⱼ·invⱼ − shiftⱼ.
  const inv = Float64Array.from(scale, (s) => 1 / s);
  const shift = Float64Array.from(mean, (m, j) => m * (inv[j] as number));
  let loss = 0;
  let correct = 0;
  for (let i = 0, offset = 0; i < rows; i++, offset += d) {
    let zi = theta[d] as number;
    for (let j = 0; j < d; j++) {
      const v = (x[offset + j] as number) * (inv[j] as number) - (shift[j] as number);
      row[j] = v;
      zi += (theta[j] as number) * v;
    }
    z[i] = zi;
    const label = y[i] as number;
    const s = rowWeights === undefined ? 1 : (rowWeights[i] as number);
    const e = Math.exp(-Math.abs(zi));
    const q = e / (1 + e);
    const p = zi >= 0 ? 1 - q : q;
    if (zi >= 0 === (label === 1)) correct++;
    if (s === 0) continue;
    loss += s * (Math.max(zi, 0) + Math.log1p(e) - label * zi);
    const residual = s * (p - label);
    for (let j = 0; j < k; j++) gradient[j] = (gradient[j] as number) + residual * (row[j] as number);
    // p(1 − p) = q(1 − q) whichever side z is on.
    if (packed !== undefined) {
      const h = s * q * (1 - q);
      let at = 0;
      for (let a = 0; a < k; a++) {
        const ha = h * (row[a] as number);
        for (let b = a; b < k; b++, at++) packed[at] = (packed[at] as number) + ha * (row[b] as number);
      }
    } else if (diagonal !== undefined) {
      const h = s * q * (1 - q);
      for (let j = 0; j < k; j++) diagonal[j] = (diagonal[j] as number) + h * (row[j] as number) * (row[j] as number);
    }
  }
  for (let j = 0; j < k; j++) gradient[j] = (gradient[j] as number) / rows;
  for (let j = 0; j < d; j++) gradient[j] = (gradient[j] as number) + (l2 * (theta[j] as number)) / ((scale[j] as number) * (scale[j] as number));
  let hessian: Float64Array | undefined;
  if (packed !== undefined) {
    hessian = new Float64Array(k * k);
    let at = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        const v = (packed[at++] as number) / rows;
        hessian[a * k + b] = v;
        hessian[b * k + a] = v;
      }
    }
    for (let j = 0; j < d; j++) hessian[j * k + j] = (hessian[j * k + j] as number) + l2 / ((scale[j] as number) * (scale[j] as number));
    for (let j = 0; j < k; j++) (diagonal as Float64Array)[j] = hessian[j * k + j] as number;
  } else if (diagonal !== undefined) {
    for (let j = 0; j < k; j++) diagonal[j] = (diagonal[j] as number) / rows + (j < d ? l2 / ((scale[j] as number) * (scale[j] as number)) : 0);
  }
  let gradientNorm = 0;
  for (const g of gradient) gradientNorm = Math.max(gradientNorm, Math.abs(g));
  loss /= rows;
  return { theta, z, loss, objective: loss + penalty(problem, frame, theta), gradient, hessian, diagonal, correct, gradientNorm };
}
