/**
 * Multinomial logistic regression: a layer of k neurons, one per class,
 * whose z values softmax turns into class probabilities, fitted by the one
 * Newton/L-BFGS loop (descent.ts) to scikit-learn's optimum:
 *
 *   minimise  Σᵢ sᵢ·CEᵢ + (l2/2)·|W|²,   CEᵢ = −log softmax(zᵢ)[yᵢ],  zᵢ = W·xᵢ + b,
 *
 * the biases not penalised; l2 = 1/C of LogisticRegression(C=C). The loop
 * works on the mean, (1/n)·Σ sᵢ·CEᵢ + (l2/(2n))·|W|², so that `gtol` means
 * what it means for two classes, and in the z-scored frame of logistic.ts.
 * The softmax is src/neuron/softmax.ts's (the row's largest z subtracted).
 *
 * Not identifiable: adding one vector to every class's row of W (or one
 * number to every bias) changes no probability. The answer returned is the
 * centred one: each feature's weights, and the biases, sum to 0 over the
 * classes (what scikit-learn's lbfgs reaches from zero, since the softmax
 * gradient sums to 0 over classes). Newton's Hessian is singular along those
 * class-sum directions (where no penalty holds them); it is made regular by
 * adding μⱼ·(11ᵀ/k) on each such direction j (μⱼ the Hessian's mean diagonal
 * entry for j): that acts on the class sums only, which the gradient never
 * has, so the step is the centred Newton step, exactly. Any other singularity
 * (collinear columns) is cholesky.ts's tiny ridge (directions.ts says why
 * that reaches the optimum in probability). L-BFGS is preconditioned by the
 * Hessian's diagonal averaged over the classes, so its steps stay centred too.
 *
 * Separation (no penalty): a step along which every row's margins
 * z_y − z_c (c ≠ y) grow or stay, and some grow, proves that the loss falls
 * for ever along it, so there is no finite optimum (the multinomial case of
 * Albert and Anderson, 1984); so do weights that classify every row right.
 * Iris is such data (setosa is separable from the rest): scikit-learn's
 * penalty=None runs to its iteration cap with a warning and growing
 * weights; this fit stops with 'separated' and the current finite weights.
 *
 * Pure: no I/O, no clock.
 */

import { NeuronError } from '../errors.js';
import { softmaxInto } from '../neuron/softmax.js';
import { Descent, type Stop, stepSync } from './descent.js';
import { type CurvedIterate, jacobi, LbfgsDirection, NewtonDirection } from './directions.js';
import { type Frame, frameOf, toData } from './logistic.js';
import { DEFAULT_GTOL, DEFAULT_MAX_ITER, type IterativeSolver, NEWTON_MAX_FEATURES, type SteppedFit } from './solvers.js';

/** The rows fitMultinomial reads: numbers, a class index per row, optional row weights. */
export interface MultinomialData {
  /** n × d, row-major: the features as the model will read them (encoded, scaled as the caller wants). */
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  /** The class index of each row, 0..k − 1. */
  readonly y: Int32Array;
  readonly k: number;
  /** sᵢ per row (sample weight × class weight); undefined means 1 for every row. */
  readonly rowWeights?: Float64Array | undefined;
}

/** fitMultinomial's penalty, stopping rule and solver. */
export interface MultinomialOptions {
  /** 0 = no penalty; the objective is Σ sᵢ·CEᵢ + (l2/2)·|W|² (biases not penalised): scikit-learn's C = 1/l2. */
  readonly l2: number;
  /** Stop when the largest entry of the mean objective's gradient (z-scored frame) is at most this (1e-10). */
  readonly gtol?: number | undefined;
  /** Accepted steps at most (Newton 100, L-BFGS 10,000). */
  readonly maxIter?: number | undefined;
  /** auto: Newton while k·(d + 1) <= NEWTON_MAX_FEATURES (the full Hessian), else L-BFGS. */
  readonly solver?: 'auto' | IterativeSolver | undefined;
}

export interface MultinomialSeparation {
  /** perfect: every row is classified right; quasi: the loss falls for ever along a step that moves some rows only. */
  readonly kind: 'perfect' | 'quasi';
  /** 0-based rows predicted with certainty as the weights grow (every row for perfect). */
  readonly rows: number[];
  /** The direction in which the loss keeps falling: k rows of d + 1 (bias last), in the z-scored frame. */
  readonly direction: number[][];
}

/** The fitted layer (centred) and how the run went. */
export interface MultinomialResult {
  /** k rows of d, on the data as given; each column sums to 0. */
  readonly weights: number[][];
  /** k; sums to 0. */
  readonly bias: number[];
  readonly iterations: number;
  /** (1/n)·Σ sᵢ·CEᵢ, the mean cross-entropy (weighted; unweighted rows weigh 1). */
  readonly loss: number;
  /** loss + (l2/(2n))·|W|²: the mean objective minimised. */
  readonly objective: number;
  readonly stop: Stop;
  /** max |gradient entry| of the mean objective, in the z-scored frame. */
  readonly gradientNorm: number;
  readonly solver: IterativeSolver;
  /** Rows whose most probable class (the first on ties) is their label, unweighted. */
  readonly correct: number;
  readonly separation?: MultinomialSeparation | undefined;
}

/** `auto`'s choice for k classes over d features. */
export function chooseMultinomialSolver(k: number, d: number): IterativeSolver {
  return k * (d + 1) <= NEWTON_MAX_FEATURES ? 'newton' : 'lbfgs';
}

/** The objective and its derivatives at θ (k blocks of d + 1, bias last), in the frame. */
export interface SoftmaxPoint extends CurvedIterate {
  readonly loss: number;
  /** The Hessian's diagonal, with curvature 'diagonal' (L-BFGS's start). */
  readonly diagonal: Float64Array | undefined;
  readonly correct: number;
}

type Curvature = 'none' | 'diagonal' | 'full';

/** Margins within this fraction of the largest margin change count as zero in the separation test. */
const MARGIN_TOLERANCE = 1e-9;

/** The layer's shape, the frame and the penalty: what turns sums over rows into a point. */
export interface LayerShape {
  /** Rows (the mean's divisor). */
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly frame: Frame;
  /** The mean objective's λ: l2 / n. */
  readonly lambda: number;
}

/** The data, the frame and the penalty as the passes read them. */
interface Problem extends LayerShape {
  readonly data: MultinomialData;
}

/** Sums over the rows at θ (k blocks of d + 1, bias last), before the means and the penalty. */
export interface LayerSums {
  /** Σ sᵢ·CEᵢ. */
  readonly loss: number;
  /** Σ sᵢ·(pᵢ − [c = yᵢ])·x̃ᵢ, k blocks of d + 1. */
  readonly gradient: Float64Array;
  /** Σ sᵢ·pᵢc·([c = c′] − pᵢc′)·x̃ᵢx̃ᵢᵀ for class pairs c <= c′, each block a packed upper triangle; undefined: no Hessian. */
  readonly blocks?: Float64Array | undefined;
  /** The Hessian's diagonal sums, for L-BFGS's start. */
  readonly diagonal?: Float64Array | undefined;
  /** Rows whose most probable class (the first on ties) is their label. */
  readonly correct: number;
}

/**
 * Rows a pass takes at a time. z and the gradient are the pass's cost (2·k·(d + 1) multiply-adds a row); eight
 * rows side by side read each weight, and each gradient entry, once for eight rows, and keep the eight sums in
 * registers (measured: 4 rows 1.45×, 8 rows 1.6× fewer CPU seconds than one). Every sum still runs in row order,
 * so the numbers are the same to the bit as one row at a time.
 */
const BLOCK = 8;

/**
 * One pass over the rows at θ: the loss, the gradient and, as asked, the
 * Hessian Σ sᵢ·(diag(pᵢ) − pᵢpᵢᵀ) ⊗ x̃ᵢx̃ᵢᵀ / n (x̃ = the row in the frame,
 * then 1) with the penalty's, and the class-sum regularisation Newton needs.
 */
function evaluate(problem: Problem, theta: Float64Array, curvature: Curvature): SoftmaxPoint {
  const { data, frame } = problem;
  const { x, y, n, d, k, rowWeights } = data;
  const width = d + 1;
  const size = k * width;
  const gradient = new Float64Array(size);
  const triangle = (width * (width + 1)) / 2;
  // The Hessian's blocks for class pairs c <= c', each a packed upper triangle (every block is symmetric).
  const blocks = curvature === 'full' ? new Float64Array(((k * (k + 1)) / 2) * triangle) : undefined;
  const outer = blocks === undefined ? undefined : new Float64Array(triangle);
  const diagonal = curvature === 'diagonal' ? new Float64Array(size) : undefined;
  const inv = Float64Array.from(frame.scale, (s) => 1 / s);
  const shift = Float64Array.from(frame.mean, (m, j) => m * (inv[j] as number));
  // The block's rows in the frame (each then 1), and per row its z, p and residuals sᵢ·(pᵢ − [c = yᵢ]);
  // a block past the last row keeps zero rows with zero residuals, which add exactly nothing.
  const rows = new Float64Array(BLOCK * width);
  const zs = new Float64Array(BLOCK * k);
  const ps = new Float64Array(BLOCK * k);
  const residuals = new Float64Array(BLOCK * k);
  const views = (array: Float64Array, length: number) => Array.from({ length: BLOCK }, (_, b) => array.subarray(b * length, (b + 1) * length));
  const rowOf = views(rows, width);
  const zOf = views(zs, k);
  const pOf = views(ps, k);
  const w2 = 2 * width;
  const w3 = 3 * width;
  const w4 = 4 * width;
  const w5 = 5 * width;
  const w6 = 6 * width;
  const w7 = 7 * width;
  let loss = 0;
  let compensation = 0;
  let correct = 0;
  for (let first = 0; first < n; first += BLOCK) {
    const count = Math.min(BLOCK, n - first);
    rows.fill(0);
    residuals.fill(0);
    for (let b = 0; b < count; b++) {
      const offset = (first + b) * d;
      const at = b * width;
      for (let j = 0; j < d; j++) rows[at + j] = (x[offset + j] as number) * (inv[j] as number) - (shift[j] as number);
      rows[at + d] = 1;
    }
    for (let c = 0, at = 0; c < k; c++, at += width) {
      let z0 = 0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      let z4 = 0;
      let z5 = 0;
      let z6 = 0;
      let z7 = 0;
      for (let j = 0; j < width; j++) {
        const t = theta[at + j] as number;
        z0 += t * (rows[j] as number);
        z1 += t * (rows[width + j] as number);
        z2 += t * (rows[w2 + j] as number);
        z3 += t * (rows[w3 + j] as number);
        z4 += t * (rows[w4 + j] as number);
        z5 += t * (rows[w5 + j] as number);
        z6 += t * (rows[w6 + j] as number);
        z7 += t * (rows[w7 + j] as number);
      }
      zs[c] = z0;
      zs[k + c] = z1;
      zs[2 * k + c] = z2;
      zs[3 * k + c] = z3;
      zs[4 * k + c] = z4;
      zs[5 * k + c] = z5;
      zs[6 * k + c] = z6;
      zs[7 * k + c] = z7;
    }
    for (let b = 0; b < count; b++) {
      const z = zOf[b] as Float64Array;
      const p = pOf[b] as Float64Array;
      const row = rowOf[b] as Float64Array;
      const winner = softmaxInto(z, p);
      const label = y[first + b] as number;
      if (winner === label) correct++;
      const s = rowWeights === undefined ? 1 : (rowWeights[first + b] as number);
      if (s === 0) continue;
      // CEᵢ = log Σ exp(z − max z) − (z_y − max z), and that sum is 1/p_winner (the winner's term is exp(0)).
      // Neumaier's compensated sum: over a million rows a plain sum's rounding (1e-12 of the loss) would exceed
      // the line search's 4-ulp flat band, and L-BFGS's last steps would halve for ever.
      const term = s * (-Math.log(p[winner] as number) - ((z[label] as number) - (z[winner] as number)));
      const total = loss + term;
      compensation += Math.abs(loss) >= Math.abs(term) ? loss - total + term : term - total + loss;
      loss = total;
      for (let c = 0; c < k; c++) residuals[b * k + c] = s * ((p[c] as number) - (c === label ? 1 : 0));
      if (blocks !== undefined && outer !== undefined) {
        for (let a = 0, at = 0; a < width; a++) {
          const ra = row[a] as number;
          for (let b2 = a; b2 < width; b2++, at++) outer[at] = ra * (row[b2] as number);
        }
        for (let c = 0, block = 0; c < k; c++) {
          const pc = p[c] as number;
          for (let c2 = c; c2 < k; c2++, block += triangle) {
            const h = s * pc * ((c === c2 ? 1 : 0) - (p[c2] as number));
            for (let t = 0; t < triangle; t++) blocks[block + t] = (blocks[block + t] as number) + h * (outer[t] as number);
          }
        }
      } else if (diagonal !== undefined) {
        for (let c = 0, at = 0; c < k; c++, at += width) {
          const pc = p[c] as number;
          const h = s * pc * (1 - pc);
          for (let j = 0; j < width; j++) diagonal[at + j] = (diagonal[at + j] as number) + h * (row[j] as number) * (row[j] as number);
        }
      }
    }
    for (let c = 0, at = 0; c < k; c++, at += width) {
      const r0 = residuals[c] as number;
      const r1 = residuals[k + c] as number;
      const r2 = residuals[2 * k + c] as number;
      const r3 = residuals[3 * k + c] as number;
      const r4 = residuals[4 * k + c] as number;
      const r5 = residuals[5 * k + c] as number;
      const r6 = residuals[6 * k + c] as number;
      const r7 = residuals[7 * k + c] as number;
      for (let j = 0; j < width; j++) {
        gradient[at + j] =
          (gradient[at + j] as number) +
          r0 * (rows[j] as number) +
          r1 * (rows[width + j] as number) +
          r2 * (rows[w2 + j] as number) +
          r3 * (rows[w3 + j] as number) +
          r4 * (rows[w4 + j] as number) +
          r5 * (rows[w5 + j] as number) +
          r6 * (rows[w6 + j] as number) +
          r7 * (rows[w7 + j] as number);
      }
    }
  }
  return layerPoint(problem, theta, { loss: loss + compensation, gradient, blocks, diagonal, correct });
}

/** The point at θ from the sums over its rows: the means, the penalty (λ/2)·Σ (θ/s)² on the weights of the data as given, the Hessian. */
export function layerPoint(shape: LayerShape, theta: Float64Array, sums: LayerSums): SoftmaxPoint {
  const { frame, lambda, n, d, k } = shape;
  const width = d + 1;
  const gradient = Float64Array.from(sums.gradient);
  const { blocks, correct } = sums;
  const diagonal = sums.diagonal === undefined ? undefined : Float64Array.from(sums.diagonal);
  let penalty = 0;
  for (let c = 0, at = 0; c < k; c++, at += width) {
    for (let j = 0; j < width; j++) gradient[at + j] = (gradient[at + j] as number) / n;
    for (let j = 0; j < d; j++) {
      const s2 = (frame.scale[j] as number) ** 2;
      const w = theta[at + j] as number;
      penalty += (w * w) / s2;
      gradient[at + j] = (gradient[at + j] as number) + (lambda * w) / s2;
    }
  }
  penalty *= lambda / 2;
  const hessian = blocks === undefined ? undefined : assembleHessian(shape, blocks);
  if (diagonal !== undefined) {
    for (let c = 0, at = 0; c < k; c++, at += width) {
      for (let j = 0; j < width; j++) diagonal[at + j] = (diagonal[at + j] as number) / n + (j < d ? lambda / (frame.scale[j] as number) ** 2 : 0);
    }
  }
  let gradientNorm = 0;
  for (const g of gradient) gradientNorm = Math.max(gradientNorm, Math.abs(g));
  const loss = sums.loss / n;
  return { theta, loss, objective: loss + penalty, gradient, gradientNorm, hessian, diagonal, correct };
}

/** The full Hessian (k(d + 1))² from the packed blocks, the penalty's diagonal, and μⱼ·11ᵀ/k on each unpenalised class-sum direction. */
function assembleHessian(shape: LayerShape, blocks: Float64Array): Float64Array {
  const { frame, lambda, n, d, k } = shape;
  const width = d + 1;
  const size = k * width;
  const triangle = (width * (width + 1)) / 2;
  const hessian = new Float64Array(size * size);
  for (let c = 0, block = 0; c < k; c++) {
    for (let c2 = c; c2 < k; c2++, block += triangle) {
      for (let a = 0, t = block; a < width; a++) {
        for (let b = a; b < width; b++, t++) {
          const v = (blocks[t] as number) / n;
          const [r1, r2] = [c * width + a, c2 * width + b];
          const [r3, r4] = [c * width + b, c2 * width + a];
          hessian[r1 * size + r2] = v;
          hessian[r2 * size + r1] = v;
          hessian[r3 * size + r4] = v;
          hessian[r4 * size + r3] = v;
        }
      }
    }
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const m = c * width + j;
      hessian[m * size + m] = (hessian[m * size + m] as number) + lambda / (frame.scale[j] as number) ** 2;
    }
  }
  // The class sums the objective does not see: the biases', and without a penalty every feature's.
  for (let j = lambda === 0 ? 0 : d; j < width; j++) {
    let mu = 0;
    for (let c = 0; c < k; c++) mu += hessian[(c * width + j) * (size + 1)] as number;
    mu /= k * k;
    for (let c = 0; c < k; c++) {
      for (let c2 = 0; c2 < k; c2++) {
        const at = (c * width + j) * size + c2 * width + j;
        hessian[at] = (hessian[at] as number) + mu;
      }
    }
  }
  return hessian;
}

/** What a separation test reads of the rows after a step: how many are right with a margin, and the margin changes' range. */
export interface MarginSums {
  /** Rows counted (weight above 0). */
  readonly counted: number;
  /** Counted rows whose own class's z exceeds every other class's after the step. */
  readonly right: number;
  /** The smallest and the largest change z_y − z_c (c ≠ y) the step made, over the counted rows. */
  readonly low: number;
  readonly high: number;
}

/**
 * The separation the margins show (no penalty): every counted row right
 * (perfect), or margins that the step moves up or not at all (within
 * MARGIN_TOLERANCE of the largest change), some of them up (quasi); undefined: neither.
 * Returns the tolerance too, for the caller that lists the rows.
 */
export function separationKind(margins: MarginSums): { kind: 'perfect' | 'quasi'; tolerance: number } | undefined {
  const { counted, right, low, high } = margins;
  const tolerance = MARGIN_TOLERANCE * Math.max(Math.abs(low), Math.abs(high));
  if (right === counted) return { kind: 'perfect', tolerance };
  if (low < -tolerance) return undefined;
  return high > tolerance ? { kind: 'quasi', tolerance } : undefined;
}

/**
 * Separation after the step from θ to θ′ (no penalty), by separationKind. One pass over the rows, and one more
 * for the rows a quasi-separating step predicts with certainty.
 */
function separationOf(problem: Problem, before: Float64Array, after: Float64Array, step: Float64Array): MultinomialSeparation | undefined {
  const { data, frame } = problem;
  const { x, y, n, d, k, rowWeights } = data;
  const width = d + 1;
  const inv = Float64Array.from(frame.scale, (s) => 1 / s);
  const shift = Float64Array.from(frame.mean, (m, j) => m * (inv[j] as number));
  const row = new Float64Array(width);
  row[d] = 1;
  const z = new Float64Array(k);
  const change = new Float64Array(n * k);
  let right = 0;
  let counted = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0, offset = 0; i < n; i++, offset += d) {
    if (rowWeights !== undefined && rowWeights[i] === 0) continue;
    counted++;
    for (let j = 0; j < d; j++) row[j] = (x[offset + j] as number) * (inv[j] as number) - (shift[j] as number);
    for (let c = 0, at = 0; c < k; c++, at += width) {
      let zc = 0;
      let dc = 0;
      for (let j = 0; j < width; j++) {
        zc += (after[at + j] as number) * (row[j] as number);
        dc += ((after[at + j] as number) - (before[at + j] as number)) * (row[j] as number);
      }
      z[c] = zc;
      change[i * k + c] = dc;
    }
    const label = y[i] as number;
    let margin = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === label) continue;
      margin = Math.min(margin, (z[label] as number) - (z[c] as number));
      const moved = (change[i * k + label] as number) - (change[i * k + c] as number);
      low = Math.min(low, moved);
      high = Math.max(high, moved);
    }
    if (margin > 0) right++;
  }
  const rowsOf = (theta: Float64Array) => Array.from({ length: k }, (_, c) => Array.from(theta.subarray(c * width, (c + 1) * width)));
  const found = separationKind({ counted, right, low, high });
  if (found === undefined) return undefined;
  if (found.kind === 'perfect') return { kind: 'perfect', rows: Array.from({ length: n }, (_, i) => i), direction: rowsOf(after) };
  const certain: number[] = [];
  for (let i = 0; i < n; i++) {
    if (rowWeights !== undefined && rowWeights[i] === 0) continue;
    const label = y[i] as number;
    let all = true;
    for (let c = 0; c < k; c++) {
      if (c !== label && (change[i * k + label] as number) - (change[i * k + c] as number) <= found.tolerance) all = false;
    }
    if (all) certain.push(i);
  }
  return { kind: 'quasi', rows: certain, direction: rowsOf(step) };
}

/** Checks the shapes; a NeuronError names what does not fit. */
function checkData(data: MultinomialData): void {
  const { x, n, d, y, k, rowWeights } = data;
  if (!(k >= 2)) throw new NeuronError('one-class', `a softmax layer needs two classes or more, got ${k}`, {}, 'give rows of two classes or more');
  if (x.length !== n * d) throw new NeuronError('inputs-count', `x holds ${x.length} numbers, not n × d = ${n * d}`, {}, 'give n rows of d numbers, row-major');
  if (y.length !== n) throw new NeuronError('labels-count', `${n} rows but ${y.length} labels`, {}, 'give one class index per row');
  if (rowWeights !== undefined && rowWeights.length !== n) {
    throw new NeuronError('labels-count', `${n} rows but ${rowWeights.length} row weights`, {}, 'give one weight per row');
  }
  const stranger = y.findIndex((c) => !(c >= 0 && c < k));
  if (stranger >= 0)
    throw new NeuronError('bad-label', `label ${stranger + 1}: ${y[stranger]} is not a class index 0..${k - 1}`, {}, 'give class indices below k');
}

/**
 * A multinomial fit run one iteration a `step()` (the shape train's loop
 * drives, as solvers.ts's Fit): `point` for progress, `result()` at the end.
 */
export class MultinomialFit implements SteppedFit {
  readonly solver: IterativeSolver;
  readonly frame: Frame;
  separation: MultinomialSeparation | undefined;
  private readonly problem: Problem;
  private readonly descent: Descent<SoftmaxPoint>;
  private stopped: Stop | undefined;

  constructor(
    readonly data: MultinomialData,
    options: MultinomialOptions,
  ) {
    checkData(data);
    const { n, d, k } = data;
    this.solver = options.solver === undefined || options.solver === 'auto' ? chooseMultinomialSolver(k, d) : options.solver;
    this.frame = frameOf({ x: data.x, rows: n, features: d });
    this.problem = { data, n, d, k, frame: this.frame, lambda: options.l2 / n };
    const start = evaluate(this.problem, new Float64Array(k * (d + 1)), this.solver === 'newton' ? 'full' : 'diagonal');
    if (!Number.isFinite(start.objective)) throw new NeuronError('loss-overflow', `the loss is ${start.objective} at the starting weights`);
    const direction =
      this.solver === 'newton' ? new NewtonDirection<SoftmaxPoint>() : new LbfgsDirection<SoftmaxPoint>(jacobi(classMean(start.diagonal as Float64Array, k)));
    const check = (before: SoftmaxPoint, after: SoftmaxPoint, step: Float64Array) => {
      if (options.l2 !== 0) return false;
      this.separation = separationOf(this.problem, before.theta, after.theta, step);
      return this.separation !== undefined;
    };
    const maxIter = options.maxIter ?? DEFAULT_MAX_ITER[this.solver];
    this.descent = new Descent(start, direction, { gtol: options.gtol ?? DEFAULT_GTOL, maxIter }, check);
  }

  get iteration(): number {
    return this.descent.iteration;
  }

  get rows(): number {
    return this.data.n;
  }

  get point(): SoftmaxPoint {
    return this.descent.point;
  }

  /** One iteration; the reason to stop, or undefined to go on. */
  step(): Stop | undefined {
    const curvature = this.solver === 'newton' ? 'full' : 'none';
    this.stopped = stepSync(this.descent, (theta) => evaluate(this.problem, theta, curvature));
    return this.stopped;
  }

  /** The centred weights and biases on the data as given, and how the run went (`stop` as the last step said). */
  result(): MultinomialResult {
    const point = this.descent.point;
    return {
      ...centredLayer(this.frame, point.theta, this.data.k),
      iterations: this.descent.iteration,
      loss: point.loss,
      objective: point.objective,
      stop: this.stopped ?? (this.descent.done ? 'converged' : 'max-iter'),
      gradientNorm: point.gradientNorm,
      solver: this.solver,
      correct: point.correct,
      ...(this.separation === undefined ? {} : { separation: this.separation }),
    };
  }
}

/** θ in the frame (k blocks of d + 1, bias last) as the centred weights and biases on the data as given. */
export function centredLayer(frame: Frame, theta: Float64Array, k: number): { weights: number[][]; bias: number[] } {
  const d = frame.mean.length;
  const weights: number[][] = [];
  const bias: number[] = [];
  for (let c = 0; c < k; c++) {
    const fitted = toData(frame, theta.subarray(c * (d + 1), (c + 1) * (d + 1)));
    weights.push(fitted.weights);
    bias.push(fitted.bias);
  }
  for (let j = 0; j <= d; j++) {
    const column = j < d ? weights.map((w) => w[j] as number) : bias;
    const mean = column.reduce((a, b) => a + b, 0) / k;
    for (let c = 0; c < k; c++) {
      if (j < d) (weights[c] as number[])[j] = (column[c] as number) - mean;
      else bias[c] = (column[c] as number) - mean;
    }
  }
  return { weights, bias };
}

/** Each feature's diagonal entry averaged over the classes, for every class: a preconditioner that keeps steps centred. */
function classMean(diagonal: Float64Array, k: number): Float64Array {
  const width = diagonal.length / k;
  const mean = new Float64Array(diagonal.length);
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += diagonal[c * width + j] as number;
    for (let c = 0; c < k; c++) mean[c * width + j] = sum / k;
  }
  return mean;
}

/**
 * Fits multinomial logistic regression (softmax over k neurons) to its
 * optimum, as scikit-learn's LogisticRegression(C = 1/l2) defines it; the
 * weights are centred over the classes (each column, and the biases, sum to 0).
 * @example
 * ```js
 * import { fitMultinomial } from 'neuron-cli';
 * const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * const y = Int32Array.from([0, 0, 1, 0, 1, 2, 1, 2, 2]);
 * const fit = fitMultinomial({ x, n: 9, d: 1, y, k: 3 }, { l2: 1 });
 * [fit.stop, fit.solver, fit.weights.length, fit.bias.length]; // => ['converged', 'newton', 3, 3]
 * [fit.weights[0][0].toFixed(4), fit.weights[2][0].toFixed(4)]; // => ['-0.7471', '0.7471']
 * Math.abs(fit.bias[0] + fit.bias[1] + fit.bias[2]) < 1e-12; // => true
 * ```
 */
export function fitMultinomial(data: MultinomialData, options: MultinomialOptions): MultinomialResult {
  const fit = new MultinomialFit(data, options);
  while (fit.step() === undefined);
  return fit.result();
}
