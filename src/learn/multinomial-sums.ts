/**
 * Multinomial logistic regression (a softmax layer) fitted by Newton's
 * method on sums alone: a provider (an engine running the step query of
 * src/export/train-step-layer.ts) returns, at θ, the row count, the summed
 * softmax loss, the gradient and the Hessian's blocks; multinomial.ts's
 * layerPoint turns them into its point (means, penalty, the class-sum
 * regularisation), and descent.ts's loop with Newton's direction steps, as
 * in-process train does for k classes. Without a penalty, each trial point's
 * sums carry the margins' changes from the current point, for
 * multinomial.ts's separationKind.
 *
 * The step query numbers each block's entries bias first (index 0, then the
 * inputs); multinomial.ts puts the bias last: sumsOfStep reorders. Pure: no
 * I/O, no clock (the provider does the I/O).
 */
import { Descent, type Stop, stepAsync } from './descent.js';
import { NewtonDirection } from './directions.js';
import type { Frame } from './logistic.js';
import { type LayerShape, type LayerSums, layerPoint, type MarginSums, type SoftmaxPoint, separationKind } from './multinomial.js';

/** The step query's sums, in its order (bias first in each block). */
export interface LayerStepSums {
  readonly n: number;
  readonly loss: number;
  readonly correct: number;
  /** k blocks of d + 1: Σ (p_c − [c = y])·x̃, x̃ = 1 then the inputs. */
  readonly gradient: ArrayLike<number>;
  /** For class pairs c <= c′: the upper triangle (a <= b, row by row) of Σ p_c·([c = c′] − p_c′)·x̃x̃ᵀ. */
  readonly blocks: ArrayLike<number>;
  /** Given when the query had the point before: the margins after the step from it. */
  readonly margins?: Omit<MarginSums, 'counted'> | undefined;
}

/** A trial point: θ, and the weights of the point it steps from (for the margins), or undefined. */
export type LayerSumsAt = (theta: Float64Array, before: Float64Array | undefined) => Promise<LayerStepSums>;

export interface LayerOnSumsOptions {
  readonly d: number;
  readonly k: number;
  /** The frame the provider standardises with: θ's coordinates; its scale also says on what scale the penalty is. */
  readonly frame: Frame;
  /** λ of the mean objective (1/n)·Σ CEᵢ + (λ/2)·|W|². */
  readonly l2: number;
  readonly gtol: number;
  readonly maxIter: number;
}

interface SumsPoint extends SoftmaxPoint {
  readonly n: number;
  readonly margins: LayerStepSums['margins'];
}

export interface LayerOnSums {
  readonly point: SoftmaxPoint & { readonly n: number };
  readonly stop: Stop;
  readonly iterations: number;
  /** Step queries run (one per trial point, the start included). */
  readonly queries: number;
  /** With stop 'separated': perfect or quasi, and the direction along which the loss keeps falling (k rows of d + 1, bias last). */
  readonly separation?: { readonly kind: 'perfect' | 'quasi'; readonly direction: number[][] } | undefined;
}

/** Block-entry index, bias first (the query's), to multinomial.ts's (bias last). */
const biasLast = (j: number, d: number) => (j + d) % (d + 1);

/** The query's sums in multinomial.ts's layout. */
export function sumsOfStep(step: LayerStepSums, d: number, k: number): LayerSums {
  const width = d + 1;
  const triangle = (width * (width + 1)) / 2;
  const gradient = new Float64Array(k * width);
  for (let c = 0; c < k; c++) for (let j = 0; j < width; j++) gradient[c * width + biasLast(j, d)] = step.gradient[c * width + j] as number;
  const blocks = new Float64Array(((k * (k + 1)) / 2) * triangle);
  const packed = (a: number, b: number) => a * width - (a * (a - 1)) / 2 + (b - a);
  for (let block = 0; block < (k * (k + 1)) / 2; block++) {
    for (let a = 0, t = 0; a < width; a++) {
      for (let b = a; b < width; b++, t++) {
        const [a2, b2] = [biasLast(a, d), biasLast(b, d)];
        blocks[block * triangle + packed(Math.min(a2, b2), Math.max(a2, b2))] = step.blocks[block * triangle + t] as number;
      }
    }
  }
  return { loss: step.loss, gradient, blocks, correct: step.correct };
}

/** Newton's method from θ = 0 to its stop, one step query per trial point. */
export async function layerOnSums(sumsAt: LayerSumsAt, options: LayerOnSumsOptions): Promise<LayerOnSums> {
  const { d, k, frame, l2 } = options;
  const evaluate = async (theta: Float64Array, before: Float64Array | undefined): Promise<SumsPoint> => {
    const step = await sumsAt(theta, before);
    const shape: LayerShape = { n: step.n, d, k, frame, lambda: l2 };
    return { ...layerPoint(shape, theta, sumsOfStep(step, d, k)), n: step.n, margins: step.margins };
  };
  let separation: LayerOnSums['separation'];
  const check = (_before: SumsPoint, after: SumsPoint, direction: Float64Array) => {
    if (l2 !== 0 || after.margins === undefined) return false;
    const found = separationKind({ counted: after.n, ...after.margins });
    if (found === undefined) return false;
    const theta = found.kind === 'perfect' ? after.theta : direction;
    separation = { kind: found.kind, direction: Array.from({ length: k }, (_, c) => Array.from(theta.subarray(c * (d + 1), (c + 1) * (d + 1)))) };
    return true;
  };
  const descent = new Descent<SumsPoint>(await evaluate(new Float64Array(k * (d + 1)), undefined), new NewtonDirection<SumsPoint>(), options, check);
  let stop: Stop | undefined;
  do stop = await stepAsync(descent, (theta) => evaluate(theta, l2 === 0 ? descent.point.theta : undefined));
  while (stop === undefined);
  return { point: descent.point, stop, iterations: descent.iteration, queries: descent.evaluations, separation };
}
