/**
 * The statistics of a fitted logistic regression, as statsmodels'
 * Logit(...).fit().summary() reports them: per coefficient the standard
 * error (from the inverse of the log-likelihood's Hessian at the weights),
 * z, P>|z| (two-sided, normal), the 95% confidence interval and the odds
 * ratio; then the log-likelihood, the null model's, McFadden's pseudo R²,
 * AIC and BIC. Always in the units of the data's columns: a model that
 * stores `scaling` is mapped back. With an L2 penalty or row weights the
 * usual standard errors do not apply (the estimate is not the maximum
 * likelihood one, or the rows are not independent draws): only the
 * coefficients and odds ratios are given, with a note saying so.
 *
 * Pure: no I/O.
 */

import type { Scaling } from '../neuron/model.js';
import { inverse, rank } from './cholesky.js';
import { evaluateAt, type Frame, frameOf, fromData, type Problem } from './logistic.js';
import type { Dataset } from './train.js';

export interface Coefficient {
  readonly name: string;
  readonly coef: number;
  readonly stdErr?: number;
  readonly z?: number;
  readonly p?: number;
  readonly low?: number;
  readonly high?: number;
  readonly oddsRatio: number;
}

export interface Summary {
  readonly rows: number;
  readonly dfModel: number;
  readonly dfResid: number;
  readonly logLikelihood: number;
  readonly nullLogLikelihood: number;
  readonly pseudoR2: number;
  readonly aic: number;
  readonly bic: number;
  /** The gradient of the objective (with the penalty given) at the weights is at most 1e-6 in z-scored units. */
  readonly converged: boolean;
  readonly gradientNorm: number;
  readonly coefficients: Coefficient[];
  /** Why standard errors are missing, if they are. */
  readonly note?: string;
}

/** The normal quantile for a 95% interval (scipy.stats.norm.ppf(0.975)). */
const Z95 = 1.959963984540054;

/** erfc(x) for x >= 0 to about 1e-15 relative: the series of erf below 2.5, Lentz's continued fraction above. */
export function erfc(x: number): number {
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Two-sided normal p-value of z. */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/**
 * The summary at the model's weights (on the data as given to the model:
 * already standardised with `scaling` when there is one), reported in raw units.
 */
export function summarize(problem: Problem, names: readonly string[], weights: readonly number[], bias: number, scaling: Scaling | undefined): Summary {
  const { data } = problem;
  const { rows, y } = data;
  const frame = frameOf(data);
  const point = evaluateAt(problem, frame, fromData(frame, weights, bias), 'full', new Float64Array(rows));
  const weightsOf = problem.rowWeights;
  let totalWeight = 0;
  let positiveWeight = 0;
  for (let i = 0; i < rows; i++) {
    const s = weightsOf === undefined ? 1 : (weightsOf[i] as number);
    totalWeight += s;
    positiveWeight += s * (y[i] as number);
  }
  const rank = designRank(data, frame);
  return summaryOf({ names, rows, frame, scaling, point, totalWeight, positiveWeight, rank, l2: problem.l2, weighted: weightsOf !== undefined });
}

/** What a summary is made of: the fit's point in the solvers' frame, and the data's totals (in-process, or an engine's sums). */
export interface SummaryParts {
  readonly names: readonly string[];
  readonly rows: number;
  /** The frame of θ: feature j is read as (x − mean[j]) / scale[j]. */
  readonly frame: Frame;
  /** The model's scaling, when the frame's x is the data standardised by it; undefined when x is the data as given. */
  readonly scaling: Scaling | undefined;
  /** At θ (bias last): the mean (weighted) loss, the gradient norm with the penalty, the Hessian of the mean loss (k × k). */
  readonly point: { readonly theta: Float64Array; readonly loss: number; readonly gradientNorm: number; readonly hessian: Float64Array | undefined };
  /** Σ sᵢ and Σ sᵢ·yᵢ: the rows and the rows of class 1 when unweighted. */
  readonly totalWeight: number;
  readonly positiveWeight: number;
  /** The rank of the design [x̃ 1], bias included. */
  readonly rank: number;
  readonly l2: number;
  /** Rows carry weights (--class-weight, --sample-weight). */
  readonly weighted: boolean;
}

/** The summary from its parts. */
export function summaryOf(parts: SummaryParts): Summary {
  const { names, rows, frame, scaling, point, rank: used } = parts;
  const d = names.length;
  const k = d + 1;
  const mean = parts.positiveWeight / parts.totalWeight;
  const nullLogLikelihood = mean <= 0 || mean >= 1 ? 0 : parts.totalWeight * (mean * Math.log(mean) + (1 - mean) * Math.log(1 - mean));
  const logLikelihood = -rows * point.loss;
  // Raw = J·θ: wⱼ = θⱼ/(sⱼσⱼ), b = θ_b − Σ θⱼ·(mⱼ + μⱼ/σⱼ)/sⱼ (σ, μ: the model's scaling, or 1 and 0).
  const jacobian = new Float64Array(k * k);
  const raw = new Float64Array(k);
  const theta = point.theta;
  raw[d] = theta[d] as number;
  jacobian[d * k + d] = 1;
  for (let j = 0; j < d; j++) {
    const sigma = scaling === undefined ? 1 : (scaling.std[j] as number);
    const mu = scaling === undefined ? 0 : (scaling.mean[j] as number);
    const s = frame.scale[j] as number;
    jacobian[j * k + j] = 1 / (s * sigma);
    jacobian[d * k + j] = -((frame.mean[j] as number) + mu / sigma) / s;
    raw[j] = (theta[j] as number) * (jacobian[j * k + j] as number);
    raw[d] = (raw[d] as number) + (theta[j] as number) * (jacobian[d * k + j] as number);
  }
  const note =
    parts.l2 > 0
      ? 'with an L2 penalty the estimate is not the maximum-likelihood one, so the usual standard errors, z, p-values and intervals do not apply: only the coefficients are shown'
      : parts.weighted
        ? 'with row weights (--class-weight, --sample-weight) the usual standard errors do not apply: only the coefficients are shown'
        : undefined;
  // Covariance of θ: (n·H)⁻¹ of the mean loss, then J·Cov·Jᵀ.
  const hessian = point.hessian as Float64Array;
  const covariance =
    note === undefined
      ? inverse(
          Float64Array.from(hessian, (h) => h * rows),
          k,
        )
      : undefined;
  const singular =
    note === undefined && covariance === undefined
      ? 'the Hessian is singular (collinear or constant features, or separated data): no standard errors'
      : undefined;
  const order = [d, ...Array.from({ length: d }, (_, j) => j)];
  const coefficients = order.map((j): Coefficient => {
    const coef = raw[j] as number;
    const base = { name: j === d ? 'bias' : (names[j] as string), coef, oddsRatio: Math.exp(coef) };
    if (covariance === undefined) return base;
    let variance = 0;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) variance += (jacobian[j * k + a] as number) * (covariance[a * k + b] as number) * (jacobian[j * k + b] as number);
    }
    const stdErr = Math.sqrt(variance);
    const z = coef / stdErr;
    return { ...base, stdErr, z, p: twoSidedP(z), low: coef - Z95 * stdErr, high: coef + Z95 * stdErr };
  });
  const why = note ?? singular;
  // Degrees of freedom count the design's independent columns (bias included, parts.rank), as statsmodels does:
  // one-hot columns for every category beside a bias are one fewer than their number.
  return {
    rows,
    dfModel: used - 1,
    dfResid: rows - used,
    logLikelihood,
    nullLogLikelihood,
    pseudoR2: 1 - logLikelihood / nullLogLikelihood,
    aic: -2 * logLikelihood + 2 * used,
    bic: -2 * logLikelihood + used * Math.log(rows),
    converged: point.gradientNorm <= 1e-6,
    gradientNorm: point.gradientNorm,
    coefficients,
    ...(why === undefined ? {} : { note: why }),
  };
}

/** The rank of the design [x̃ 1] (in the solver's frame, so columns are comparable): its Gram matrix's rank. */
function designRank(data: Dataset, frame: Frame): number {
  const { x, rows, features: d } = data;
  const k = d + 1;
  const gram = new Float64Array(k * k);
  const row = new Float64Array(k);
  row[d] = 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) row[j] = ((x[i * d + j] as number) - (frame.mean[j] as number)) / (frame.scale[j] as number);
    for (let a = 0; a < k; a++) {
      const ra = row[a] as number;
      for (let b = 0; b <= a; b++) gram[a * k + b] = (gram[a * k + b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) gram[a * k + b] = gram[b * k + a] as number;
  return rank(gram, k);
}
