/**
 * The search directions of the Newton loop (descent.ts): Newton's −H⁻¹g from
 * the Hessian at the point, and L-BFGS's from the last ten steps, for where
 * the Hessian would be too large to form.
 *
 * A singular Hessian (collinear columns, such as one-hot columns of every
 * category beside the bias; or a softmax's class-sum directions) is left to
 * cholesky.ts's fallback: a ridge 1e-10·I, growing tenfold, on the
 * equilibrated matrix. Such a tiny damping makes the step the minimum-norm
 * Newton step to within the ridge: the gradient has no part along the null
 * directions (they do not change the loss), so neither has the step, the
 * iterates do not drift along them, and the loop reaches the optimum in
 * probability, where the coefficients themselves are not unique.
 *
 * Pure: no I/O, no clock.
 */
import { cholesky, solve } from './cholesky.js';
import { type Direction, dot, type Iterate } from './descent.js';

/** A point that carries its Hessian (k × k, row-major). */
export interface CurvedIterate extends Iterate {
  readonly hessian: Float64Array | undefined;
}

/** Newton's direction −H⁻¹g (with Cholesky's ridge fallback). */
export class NewtonDirection<P extends CurvedIterate> implements Direction<P> {
  /** The largest ridge the steps needed (0: the Hessian was always well conditioned). */
  ridge = 0;

  at(point: P): Float64Array | undefined {
    const { hessian, gradient } = point;
    const k = gradient.length;
    if (hessian === undefined) return undefined;
    const factor = cholesky(hessian, k);
    if (factor === undefined) return undefined;
    this.ridge = Math.max(this.ridge, factor.ridge);
    const direction = solve(factor, gradient);
    for (let j = 0; j < k; j++) direction[j] = -(direction[j] as number);
    return direction;
  }
}

/** Pairs of steps and gradient changes kept. */
const MEMORY = 10;

/**
 * L-BFGS's two-loop recursion over the last pairs, preconditioned by a fixed
 * diagonal (the Hessian's at the start, inverted: Jacobi), so that the pairs
 * stay consistent; plain preconditioned steepest descent when no pair is usable.
 */
export class LbfgsDirection<P extends Iterate> implements Direction<P> {
  private readonly memory: { s: Float64Array; y: Float64Array; rho: number }[] = [];

  /** `preconditioner`: 1 / the Hessian's diagonal at the start (1 where it is not positive). */
  constructor(private readonly preconditioner: Float64Array) {}

  at(point: P): Float64Array {
    const q = Float64Array.from(point.gradient);
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
    if (!(dot(q, point.gradient) < 0)) {
      // Not a descent direction (curvature lost to rounding): forget the pairs.
      this.memory.length = 0;
      return Float64Array.from(point.gradient, (g, j) => -g * (this.preconditioner[j] as number));
    }
    return q;
  }

  accepted(before: P, after: P): void {
    const s = Float64Array.from(after.theta, (v, j) => v - (before.theta[j] as number));
    const y = Float64Array.from(after.gradient, (v, j) => v - (before.gradient[j] as number));
    const sy = dot(s, y);
    if (!(sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) return;
    this.memory.push({ s, y, rho: 1 / sy });
    if (this.memory.length > MEMORY) this.memory.shift();
  }
}

/** The Jacobi preconditioner from a Hessian diagonal: 1/h, or 1 where h is not positive. */
export function jacobi(diagonal: Float64Array): Float64Array {
  return Float64Array.from(diagonal, (h) => (h > 0 ? 1 / h : 1));
}

function weightedSquare(a: Float64Array, weights: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (a[j] as number) * (weights[j] as number);
  return sum;
}
