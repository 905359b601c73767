/**
 * Newton's method for logistic regression driven by sums alone: a provider
 * (an engine running the step query of src/export/train-step.ts) returns, at
 * θ, the row count, the summed loss, the gradient and the Hessian; this loop
 * turns them into the mean objective (1/n)·Σℓᵢ + (λ/2)·|w|² (bias not
 * penalised), takes the Newton direction, backtracks until Armijo's
 * condition holds, and stops when the largest gradient entry is at most
 * `gtol`, as the in-process solver does.
 *
 * θ is in a frame of z-scored features (θ = b′, w′₁..w′d with
 * z = b′ + Σ w′ⱼ·(xⱼ − mⱼ)/sⱼ; the provider standardises), so that feature
 * scale does not condition the Hessian. Index 0 is the bias throughout, as in
 * the step query. Pure: no I/O, no clock (the provider does the I/O).
 *
 * The Cholesky factorisation is the in-process solver's (cholesky.ts), and
 * the line search and stopping rule are written as solvers.ts's Newton path
 * (Armijo 1e-4, 60 halvings, the 4-ulp flat rule); that Fit works on rows in
 * memory, this loop on sums.
 */
import { cholesky, solve } from './cholesky.js';

/** The sums at θ, as the step query returns them (index 0: the bias). */
export interface StepSums {
  readonly n: number;
  readonly loss: number;
  /** Rows whose class (z >= 0) is their label. */
  readonly correct: number;
  /** k = d + 1 entries. */
  readonly gradient: Float64Array;
  /** k × k, row-major, symmetric. */
  readonly hessian: Float64Array;
}

export type SumsAt = (theta: Float64Array) => Promise<StepSums>;

export interface NewtonOptions {
  /** λ of the penalty on the data's weights w = w′ / s. */
  readonly l2: number;
  /** sⱼ per feature (d entries), to penalise w on the data's scale. */
  readonly scale: Float64Array;
  readonly gtol: number;
  readonly maxIter: number;
  /** Told after each accepted iteration (progress, Ctrl-C). */
  readonly onIteration?: (state: NewtonState) => void;
}

/** The objective, its gradient and Hessian at θ (means, with the penalty). */
export interface NewtonState {
  readonly theta: Float64Array;
  readonly sums: StepSums;
  readonly loss: number;
  readonly objective: number;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  readonly gradientNorm: number;
  readonly iteration: number;
  /** Step queries run so far (one per trial point of the line search). */
  readonly queries: number;
}

export type NewtonStop = 'converged' | 'max-iter' | 'stalled';

const ARMIJO = 1e-4;
const HALVINGS = 60;

/** The mean objective and its derivatives from the sums. */
function stateOf(theta: Float64Array, sums: StepSums, options: NewtonOptions, iteration: number, queries: number): NewtonState {
  const k = theta.length;
  const n = sums.n;
  const gradient = Float64Array.from(sums.gradient, (g) => g / n);
  const hessian = Float64Array.from(sums.hessian, (h) => h / n);
  let penalty = 0;
  for (let j = 1; j < k; j++) {
    const s2 = (options.scale[j - 1] as number) ** 2;
    penalty += ((theta[j] as number) ** 2 / s2) * (options.l2 / 2);
    gradient[j] = (gradient[j] as number) + (options.l2 * (theta[j] as number)) / s2;
    hessian[j * k + j] = (hessian[j * k + j] as number) + options.l2 / s2;
  }
  const loss = sums.loss / n;
  let gradientNorm = 0;
  for (const g of gradient) gradientNorm = Math.max(gradientNorm, Math.abs(g));
  return { theta, sums, loss, objective: loss + penalty, gradient, hessian, gradientNorm, iteration, queries };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (b[j] as number);
  return sum;
}

/** Newton's method from θ = 0 (or `start`); one step query per trial point. */
export async function newtonOnSums(sumsAt: SumsAt, k: number, options: NewtonOptions, start?: Float64Array): Promise<{ state: NewtonState; stop: NewtonStop }> {
  let theta = start ?? new Float64Array(k);
  let queries = 1;
  let state = stateOf(theta, await sumsAt(theta), options, 0, queries);
  for (;;) {
    if (state.gradientNorm <= options.gtol) return { state, stop: 'converged' };
    if (state.iteration >= options.maxIter) return { state, stop: 'max-iter' };
    // The in-process solver's Cholesky, with its ridge fallback for a Hessian that is not positive definite.
    const factor = cholesky(state.hessian, k);
    if (factor === undefined) return { state, stop: 'stalled' };
    const step = solve(factor, state.gradient);
    const direction = Float64Array.from(step, (v) => -v);
    const slope = dot(state.gradient, direction);
    if (!(slope < 0)) return { state, stop: 'stalled' };
    // Near the optimum the decrease drowns in rounding: accept an objective equal to 4 ulps when the slope has fallen.
    const flat = 4 * Number.EPSILON * Math.abs(state.objective);
    let accepted: NewtonState | undefined;
    for (let t = 1, halvings = 0; halvings <= HALVINGS && accepted === undefined; t /= 2, halvings++) {
      theta = Float64Array.from(state.theta, (v, j) => v + t * (direction[j] as number));
      queries++;
      const trial = stateOf(theta, await sumsAt(theta), options, state.iteration + 1, queries);
      const armijo = trial.objective <= state.objective + ARMIJO * t * slope;
      const level = trial.objective <= state.objective + flat && Math.abs(dot(trial.gradient, direction)) <= 0.9 * Math.abs(slope);
      if (armijo || level) accepted = trial;
    }
    if (accepted === undefined) return { state, stop: 'stalled' };
    state = accepted;
    options.onIteration?.(state);
  }
}
