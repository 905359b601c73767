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
 * The loop is the in-process solver's (descent.ts: its line search and
 * stopping rules, the Newton direction of directions.ts), stepped through an
 * asynchronous provider: that Fit evaluates rows in memory, this one sums.
 */
import { Descent, type SolveOptions, type Stop, stepAsync } from './descent.js';
import { NewtonDirection } from './directions.js';

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

export interface NewtonOptions extends SolveOptions {
  /** λ of the penalty on the data's weights w = w′ / s. */
  readonly l2: number;
  /** sⱼ per feature (d entries), to penalise w on the data's scale. */
  readonly scale: Float64Array;
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
}

/** The mean objective and its derivatives from the sums. */
export function stateOf(theta: Float64Array, sums: StepSums, options: Pick<NewtonOptions, 'l2' | 'scale'>): NewtonState {
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
  return { theta, sums, loss, objective: loss + penalty, gradient, hessian, gradientNorm };
}

export interface NewtonOnSums {
  readonly state: NewtonState;
  /** converged, max-iter or stalled (the sums do not show separation: the caller checks the accuracy). */
  readonly stop: Stop;
  readonly iterations: number;
  /** Step queries run (one per trial point of the line search, the start included). */
  readonly queries: number;
}

/** Newton's method from θ = 0 (or `start`), to its stop; one step query per trial point. */
export async function newtonOnSums(sumsAt: SumsAt, k: number, options: NewtonOptions, start?: Float64Array): Promise<NewtonOnSums> {
  const evaluate = async (theta: Float64Array) => stateOf(theta, await sumsAt(theta), options);
  const theta = start ?? new Float64Array(k);
  const descent = new Descent(await evaluate(theta), new NewtonDirection<NewtonState>(), options);
  let stop: Stop | undefined;
  do stop = await stepAsync(descent, evaluate);
  while (stop === undefined);
  return { state: descent.point, stop, iterations: descent.iteration, queries: descent.evaluations };
}
