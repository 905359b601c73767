/**
 * The solvers that find the optimum of logistic.ts's objective: Newton's
 * method (iteratively reweighted least squares, as R's glm and statsmodels)
 * and L-BFGS where the Hessian would be too large. Both work in the z-scored
 * frame, take steps from a backtracking line search that never raises the
 * objective, stop when the largest gradient entry is at most `gtol`, and,
 * without a penalty, watch for separation: a Newton or L-BFGS direction δ
 * with (2yᵢ − 1)·(x̃ᵢ·δ) >= 0 on every row and > 0 on some proves that the
 * loss falls for ever along δ (Albert and Anderson, 1984), so the weights
 * have no finite optimum.
 *
 * `step()` runs one iteration, so the caller reports progress and hears
 * Ctrl-C between iterations. Pure: no I/O, no clock.
 */

import { NeuronError } from '../errors.js';
import { cholesky, solve } from './cholesky.js';
import { evaluateAt, type Frame, frameOf, type Point, type Problem } from './logistic.js';

export const solverNames = ['auto', 'newton', 'lbfgs', 'gd'] as const satisfies readonly string[];
export type SolverName = (typeof solverNames)[number];
export type IterativeSolver = 'newton' | 'lbfgs';

/** Newton's Hessian costs (d + 1)²/2 per row a pass; beyond this many features L-BFGS (2·(d + 1) a pass) is cheaper overall. */
export const NEWTON_MAX_FEATURES = 200;

/** `auto`'s choice for d features. */
export function chooseSolver(features: number): IterativeSolver {
  return features <= NEWTON_MAX_FEATURES ? 'newton' : 'lbfgs';
}

export interface SolveOptions {
  /** Stop when max |∂objective/∂θ| in the frame is at most this. */
  readonly gtol: number;
  readonly maxIter: number;
}

export const DEFAULT_GTOL = 1e-10;
export const DEFAULT_MAX_ITER: Record<IterativeSolver, number> = { newton: 100, lbfgs: 10_000 };

/** Why a run ended. */
export type Stop = 'converged' | 'separated' | 'stalled' | 'max-iter';

export interface Separation {
  /** perfect: every row is classified right by a line; quasi: some rows are, and the rest lie on it. */
  readonly kind: 'perfect' | 'quasi';
  /** 0-based data rows predicted with certainty as the weights grow (every row for perfect). */
  readonly rows: number[];
  /** The direction in which the loss keeps falling, in the frame (d + 1, bias last). */
  readonly direction: Float64Array;
}

/** Armijo's sufficient decrease, and the most halvings of the step before giving up. */
const ARMIJO = 1e-4;
const HALVINGS = 60;
/** Margins within this fraction of the largest |x̃·δ| count as zero in the separation test. */
const MARGIN_TOLERANCE = 1e-9;
/** Iterations without a smaller gradient after which a run has stalled. */
const STALL_ITERATIONS = 200;

export class Fit {
  readonly frame: Frame;
  /** Iterations run so far (0 = the start). */
  iteration = 0;
  point: Point;
  separation: Separation | undefined;
  /** The largest ridge the Newton steps needed (0: the Hessian was always well conditioned). */
  ridge = 0;
  private previousZ: Float64Array;
  private nextZ: Float64Array;
  /** The smallest gradient norm so far, and when. */
  private best = { norm: Number.POSITIVE_INFINITY, iteration: 0 };
  private readonly memory: { s: Float64Array; y: Float64Array; rho: number }[] = [];

  constructor(
    private readonly problem: Problem,
    readonly solver: IterativeSolver,
    start: Float64Array | undefined,
    private readonly options: SolveOptions,
    frame?: Frame,
  ) {
    this.frame = frame ?? frameOf(problem.data);
    const k = problem.data.features + 1;
    this.previousZ = new Float64Array(problem.data.rows);
    this.nextZ = new Float64Array(problem.data.rows);
    this.point = evaluateAt(problem, this.frame, start ?? new Float64Array(k), solver === 'newton' ? 'full' : 'diagonal', this.previousZ);
    if (!Number.isFinite(this.point.objective)) {
      throw new NeuronError('loss-overflow', `the loss is ${this.point.objective} at the starting weights`);
    }
    // L-BFGS's preconditioner: the Hessian's diagonal at the start (Jacobi), fixed so the pairs stay consistent.
    this.preconditioner = Float64Array.from(this.point.diagonal as Float64Array, (h) => (h > 0 ? 1 / h : 1));
  }

  private readonly preconditioner: Float64Array;

  /** Whether the start already meets the tolerance. */
  get done(): boolean {
    return this.point.gradientNorm <= this.options.gtol;
  }

  /** One iteration; the reason to stop, or undefined to go on. */
  step(): Stop | undefined {
    if (this.done) return 'converged';
    if (this.iteration >= this.options.maxIter) return 'max-iter';
    const direction = this.solver === 'newton' ? this.newtonDirection() : this.lbfgsDirection();
    if (direction === undefined) return 'stalled';
    const before = this.point;
    const accepted = this.lineSearch(direction);
    if (accepted === undefined) return 'stalled';
    this.iteration++;
    if (this.solver === 'lbfgs') this.remember(before, accepted);
    [this.previousZ, this.nextZ] = [this.nextZ, this.previousZ];
    this.point = accepted;
    if (accepted.gradientNorm < this.best.norm) this.best = { norm: accepted.gradientNorm, iteration: this.iteration };
    if (this.problem.l2 === 0) {
      this.separation = this.separated(before.z, accepted.z, direction);
      if (this.separation !== undefined) return 'separated';
    }
    if (this.done) return 'converged';
    if (this.iteration >= this.options.maxIter) return 'max-iter';
    // Rounding, not the tolerance, limits the gradient when it has not shrunk for many iterations.
    return this.iteration - this.best.iteration > STALL_ITERATIONS ? 'stalled' : undefined;
  }

  /** The Newton direction −H⁻¹g (with Cholesky's ridge fallback). */
  private newtonDirection(): Float64Array | undefined {
    const { hessian, gradient } = this.point;
    const k = gradient.length;
    const factor = cholesky(hessian as Float64Array, k);
    if (factor === undefined) return undefined;
    this.ridge = Math.max(this.ridge, factor.ridge);
    const direction = solve(factor, gradient);
    for (let j = 0; j < k; j++) direction[j] = -(direction[j] as number);
    return direction;
  }

  /** L-BFGS's two-loop recursion over the last pairs; plain steepest descent when none is usable. */
  private lbfgsDirection(): Float64Array {
    const q = Float64Array.from(this.point.gradient);
    const alphas: number[] = [];
    for (let m = this.memory.length - 1; m >= 0; m--) {
      const { s, y, rho } = this.memory[m] as { s: Float64Array; y: Float64Array; rho: number };
      const alpha = rho * dot(s, q);
      alphas[m] = alpha;
      for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) - alpha * (y[j] as number);
    }
    // H₀ = γ·diag(H)⁻¹, γ from the last pair (Nocedal and Wright's scaling, preconditioned).
    const last = this.memory.at(-1);
    const inverse = this.preconditioner;
    const gamma = last === undefined ? 1 : dot(last.s, last.y) / weightedSquare(last.y, inverse);
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) * gamma * (inverse[j] as number);
    for (let m = 0; m < this.memory.length; m++) {
      const { s, y, rho } = this.memory[m] as { s: Float64Array; y: Float64Array; rho: number };
      const beta = rho * dot(y, q);
      const alpha = alphas[m] as number;
      for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) + (alpha - beta) * (s[j] as number);
    }
    for (let j = 0; j < q.length; j++) q[j] = -(q[j] as number);
    if (!(dot(q, this.point.gradient) < 0)) {
      // Not a descent direction (curvature lost to rounding): forget the pairs.
      this.memory.length = 0;
      return Float64Array.from(this.point.gradient, (g, j) => -g * (this.preconditioner[j] as number));
    }
    return q;
  }

  private remember(before: Point, after: Point): void {
    const s = Float64Array.from(after.theta, (v, j) => v - (before.theta[j] as number));
    const y = Float64Array.from(after.gradient, (v, j) => v - (before.gradient[j] as number));
    const sy = dot(s, y);
    if (!(sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) return;
    this.memory.push({ s, y, rho: 1 / sy });
    if (this.memory.length > 10) this.memory.shift();
  }

  /**
   * Backtracking from the full step: the first t = 1, ½, ¼, ... whose
   * objective meets Armijo's condition. Near the optimum the decrease
   * drowns in rounding (it is about |g|²/H, below 2⁻⁵² of the objective):
   * there a step is taken when the objective is the same to within 4 units
   * of rounding and the slope along the direction has fallen by a tenth
   * (Wolfe's curvature condition, which the gradient still resolves).
   */
  private lineSearch(direction: Float64Array): Point | undefined {
    const { theta, objective, gradient } = this.point;
    const slope = dot(gradient, direction);
    if (!(slope < 0)) return undefined;
    const flat = 4 * Number.EPSILON * Math.abs(objective);
    const trial = new Float64Array(theta.length);
    for (let t = 1, halvings = 0; halvings <= HALVINGS; t /= 2, halvings++) {
      for (let j = 0; j < theta.length; j++) trial[j] = (theta[j] as number) + t * (direction[j] as number);
      const point = evaluateAt(this.problem, this.frame, trial, this.solver === 'newton' ? 'full' : 'none', this.nextZ);
      if (point.objective <= objective + ARMIJO * t * slope) return point;
      if (point.objective <= objective + flat && Math.abs(dot(point.gradient, direction)) <= 0.9 * Math.abs(slope)) return point;
    }
    return undefined;
  }

  /**
   * Separation, proved by the iterates: every row classified right with
   * z ≠ 0 (perfect), or a step whose change of z has the sign of every
   * row's label, or none, and moves some row (quasi).
   */
  private separated(before: Float64Array, after: Float64Array, direction: Float64Array): Separation | undefined {
    const { y, rows } = this.problem.data;
    const weights = this.problem.rowWeights;
    let right = 0;
    let counted = 0;
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      if (weights !== undefined && weights[i] === 0) continue;
      counted++;
      const z = after[i] as number;
      if (y[i] === 1 ? z > 0 : z < 0) right++;
      largest = Math.max(largest, Math.abs(z - (before[i] as number)));
    }
    if (right === counted) {
      return { kind: 'perfect', rows: Array.from({ length: rows }, (_, i) => i), direction: Float64Array.from(this.point.theta) };
    }
    const tolerance = MARGIN_TOLERANCE * largest;
    const certain: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (weights !== undefined && weights[i] === 0) continue;
      const change = (after[i] as number) - (before[i] as number);
      const margin = y[i] === 1 ? change : -change;
      if (margin < -tolerance) return undefined;
      if (margin > tolerance) certain.push(i);
    }
    return certain.length > 0 ? { kind: 'quasi', rows: certain, direction } : undefined;
  }
}

function weightedSquare(a: Float64Array, weights: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (a[j] as number) * (weights[j] as number);
  return sum;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (b[j] as number);
  return sum;
}
