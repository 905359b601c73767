/**
 * The solvers that find the optimum of logistic.ts's objective: Newton's
 * method (iteratively reweighted least squares, as R's glm and statsmodels)
 * and L-BFGS where the Hessian would be too large. Both run the one loop of
 * descent.ts (its line search and stopping rules) in the z-scored frame and,
 * without a penalty, watch for separation: a Newton or L-BFGS direction δ
 * with (2yᵢ − 1)·(x̃ᵢ·δ) >= 0 on every row and > 0 on some proves that the
 * loss falls for ever along δ (Albert and Anderson, 1984), so the weights
 * have no finite optimum.
 *
 * `step()` runs one iteration, so the caller reports progress and hears
 * Ctrl-C between iterations. Pure: no I/O, no clock.
 */

import { NeuronError } from '../errors.js';
import { Descent, type SolveOptions, type Stop, stepSync } from './descent.js';
import { jacobi, LbfgsDirection, NewtonDirection } from './directions.js';
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

export type { SolveOptions, Stop } from './descent.js';

export const DEFAULT_GTOL = 1e-10;
export const DEFAULT_MAX_ITER: Record<IterativeSolver, number> = { newton: 100, lbfgs: 10_000 };

export interface Separation {
  /** perfect: every row is classified right by a line; quasi: some rows are, and the rest lie on it. */
  readonly kind: 'perfect' | 'quasi';
  /** 0-based data rows predicted with certainty as the weights grow (every row for perfect). */
  readonly rows: number[];
  /** The direction in which the loss keeps falling, in the frame (d + 1, bias last). */
  readonly direction: Float64Array;
}

/** Margins within this fraction of the largest |x̃·δ| count as zero in the separation test. */
const MARGIN_TOLERANCE = 1e-9;

/** A run of Newton or L-BFGS over rows in memory, one `step()` an iteration (the interface the CLI's loop drives). */
export interface SteppedFit {
  readonly solver: IterativeSolver;
  /** Accepted steps so far (0 = the start). */
  readonly iteration: number;
  /** Data rows (for the accuracy, point.correct / rows). */
  readonly rows: number;
  readonly point: { readonly objective: number; readonly loss: number; readonly gradientNorm: number; readonly correct: number };
  step(): Stop | undefined;
}

export class Fit implements SteppedFit {
  readonly frame: Frame;
  separation: Separation | undefined;
  private previousZ: Float64Array;
  private nextZ: Float64Array;
  private readonly descent: Descent<Point>;
  private readonly direction: NewtonDirection<Point> | LbfgsDirection<Point>;

  constructor(
    private readonly problem: Problem,
    readonly solver: IterativeSolver,
    start: Float64Array | undefined,
    options: SolveOptions,
    frame?: Frame,
  ) {
    this.frame = frame ?? frameOf(problem.data);
    const k = problem.data.features + 1;
    this.previousZ = new Float64Array(problem.data.rows);
    this.nextZ = new Float64Array(problem.data.rows);
    const point = evaluateAt(problem, this.frame, start ?? new Float64Array(k), solver === 'newton' ? 'full' : 'diagonal', this.previousZ);
    if (!Number.isFinite(point.objective)) {
      throw new NeuronError('loss-overflow', `the loss is ${point.objective} at the starting weights`);
    }
    // L-BFGS's preconditioner: the Hessian's diagonal at the start (Jacobi), fixed so the pairs stay consistent.
    this.direction = solver === 'newton' ? new NewtonDirection() : new LbfgsDirection(jacobi(point.diagonal as Float64Array));
    const check = (before: Point, after: Point, direction: Float64Array) => {
      // The accepted point's z is nextZ: keep it, and let the next trials overwrite the one before.
      [this.previousZ, this.nextZ] = [this.nextZ, this.previousZ];
      if (this.problem.l2 !== 0) return false;
      this.separation = this.separated(before.z, after.z, direction);
      return this.separation !== undefined;
    };
    this.descent = new Descent(point, this.direction, options, check);
  }

  /** Iterations run so far (0 = the start). */
  get iteration(): number {
    return this.descent.iteration;
  }

  get point(): Point {
    return this.descent.point;
  }

  get rows(): number {
    return this.problem.data.rows;
  }

  /** The largest ridge the Newton steps needed (0: the Hessian was always well conditioned). */
  get ridge(): number {
    return this.direction instanceof NewtonDirection ? this.direction.ridge : 0;
  }

  /** Whether the start already meets the tolerance. */
  get done(): boolean {
    return this.descent.done;
  }

  /** One iteration; the reason to stop, or undefined to go on. */
  step(): Stop | undefined {
    const curvature = this.solver === 'newton' ? 'full' : 'none';
    return stepSync(this.descent, (theta) => evaluateAt(this.problem, this.frame, theta, curvature, this.nextZ));
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
