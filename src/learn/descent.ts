/**
 * The one iteration every fit runs (Newton or L-BFGS; binary in memory,
 * binary on an engine's sums, multinomial): from the current point take a
 * direction, backtrack along it until the objective falls enough, accept,
 * and decide whether to stop. The rules live here once:
 *
 * - the line search: t = 1, ½, ¼, ... (at most 60 halvings) until Armijo's
 *   condition f(θ + tδ) <= f(θ) + 1e-4·t·∇f·δ holds. Near the optimum the
 *   decrease drowns in rounding (it is about |g|²/H, below 2⁻⁵² of the
 *   objective): there a step is taken when the objective is the same to
 *   within 4 units of rounding and the slope along δ has fallen by a tenth
 *   (Wolfe's curvature condition, which the gradient still resolves);
 * - converged: the largest gradient entry is at most `gtol`;
 * - max-iter: `maxIter` accepted steps;
 * - stalled: no direction, no descent direction, no acceptable step, or no
 *   smaller gradient in 200 iterations (rounding, not the tolerance, limits it);
 * - separated: the fit's own check after a step says the loss has no minimum.
 *
 * The loop does not evaluate anything itself: `iterate()` is a generator that
 * yields each trial θ and is handed back the point there, so the same loop
 * runs over rows in memory (`stepSync`) and over sums an engine computes
 * (`stepAsync`). One call runs one iteration, so the caller reports progress
 * and hears Ctrl-C between iterations. Pure: no I/O, no clock.
 */

/** What the loop reads of a point: θ, the objective and its gradient there. */
export interface Iterate {
  readonly theta: Float64Array;
  readonly objective: number;
  readonly gradient: Float64Array;
  /** max |gradient entry|, in the fit's frame. */
  readonly gradientNorm: number;
}

/** Why a run ended. */
export type Stop = 'converged' | 'separated' | 'stalled' | 'max-iter';

export interface SolveOptions {
  /** Stop when max |∂objective/∂θ| in the frame is at most this. */
  readonly gtol: number;
  readonly maxIter: number;
}

/** How a fit picks its search direction: Newton's or L-BFGS's (directions.ts). */
export interface Direction<P extends Iterate> {
  /** The direction at `point`, or undefined when there is none (the run stalls). */
  at(point: P): Float64Array | undefined;
  /** Told of each accepted step, before the next direction is asked for. */
  accepted?(before: P, after: P): void;
}

/** Called after each accepted step; true stops the run as separated. */
export type SeparationCheck<P extends Iterate> = (before: P, after: P, direction: Float64Array) => boolean;

const ARMIJO = 1e-4;
const HALVINGS = 60;
/** Iterations without a smaller gradient after which a run has stalled. */
const STALL_ITERATIONS = 200;

/** A request to evaluate the objective at θ; the answer is the point there. */
export type Iteration<P extends Iterate> = Generator<Float64Array, Stop | undefined, P>;

export class Descent<P extends Iterate> {
  /** Accepted steps so far (0 = the start). */
  iteration = 0;
  /** Trial points evaluated so far, the start included. */
  evaluations = 1;
  /** The smallest gradient norm so far, and when. */
  private best = { norm: Number.POSITIVE_INFINITY, iteration: 0 };

  constructor(
    /** The current point: the start until a step is accepted. */
    public point: P,
    private readonly direction: Direction<P>,
    private readonly options: SolveOptions,
    private readonly separated?: SeparationCheck<P>,
  ) {}

  /** Whether the current point meets the tolerance. */
  get done(): boolean {
    return this.point.gradientNorm <= this.options.gtol;
  }

  /** One iteration: yields each trial θ, is given the point there; returns the reason to stop, or undefined to go on. */
  *iterate(): Iteration<P> {
    if (this.done) return 'converged';
    if (this.iteration >= this.options.maxIter) return 'max-iter';
    const before = this.point;
    const direction = this.direction.at(before);
    if (direction === undefined) return 'stalled';
    const slope = dot(before.gradient, direction);
    if (!(slope < 0)) return 'stalled';
    const { theta, objective } = before;
    const flat = 4 * Number.EPSILON * Math.abs(objective);
    let accepted: P | undefined;
    for (let t = 1, halvings = 0; halvings <= HALVINGS && accepted === undefined; t /= 2, halvings++) {
      const trial = new Float64Array(theta.length);
      for (let j = 0; j < theta.length; j++) trial[j] = (theta[j] as number) + t * (direction[j] as number);
      this.evaluations++;
      const point: P = yield trial;
      const armijo = point.objective <= objective + ARMIJO * t * slope;
      const level = point.objective <= objective + flat && Math.abs(dot(point.gradient, direction)) <= 0.9 * Math.abs(slope);
      if (armijo || level) accepted = point;
    }
    if (accepted === undefined) return 'stalled';
    this.iteration++;
    this.direction.accepted?.(before, accepted);
    this.point = accepted;
    if (accepted.gradientNorm < this.best.norm) this.best = { norm: accepted.gradientNorm, iteration: this.iteration };
    if (this.separated?.(before, accepted, direction) === true) return 'separated';
    if (this.done) return 'converged';
    if (this.iteration >= this.options.maxIter) return 'max-iter';
    return this.iteration - this.best.iteration > STALL_ITERATIONS ? 'stalled' : undefined;
  }
}

/** Runs one iteration, evaluating in memory. */
export function stepSync<P extends Iterate>(descent: Descent<P>, evaluate: (theta: Float64Array) => P): Stop | undefined {
  const iteration = descent.iterate();
  let next = iteration.next();
  while (next.done !== true) next = iteration.next(evaluate(next.value));
  return next.value;
}

/** Runs one iteration, evaluating through a provider that answers later (an engine's query). */
export async function stepAsync<P extends Iterate>(descent: Descent<P>, evaluate: (theta: Float64Array) => Promise<P>): Promise<Stop | undefined> {
  const iteration = descent.iterate();
  let next = iteration.next();
  while (next.done !== true) next = iteration.next(await evaluate(next.value));
  return next.value;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (b[j] as number);
  return sum;
}
