/**
 * Training the neuron: logistic regression by full-batch gradient descent
 * on the mean log loss, plus an optional L2 penalty (l2 / 2)·|w|² that
 * leaves the bias alone. The data is one Float64Array, row after row, and
 * the labels one Uint8Array of 0/1: 8 bytes a feature cell, 1 a label.
 *
 * Pure: no I/O, no clock. `Trainer.step` runs one epoch, so the caller
 * decides when to report progress or stop.
 */

import { NeuronError } from '../errors.js';
import type { Scaling } from '../neuron/model.js';
import { columnMoments } from './logistic.js';
import { kernelFor } from './train-kernel.js';

/** Training data: rows of numbers in one Float64Array, a 0/1 label per row (see datasetOf). */
export interface Dataset {
  /** rows × features values, row-major. */
  readonly x: Float64Array;
  /** 0 or 1 per row. */
  readonly y: Uint8Array;
  readonly rows: number;
  readonly features: number;
}

export interface Evaluation {
  /** Mean log loss over the rows (no penalty). */
  readonly loss: number;
  /** Rows whose predicted class (z >= 0) is their label. */
  readonly correct: number;
}

/**
 * The mean log loss at (w, b) and its gradient, written into `gradient`
 * (one entry per weight, then the bias), with the L2 term's share added.
 * z is summed as the Scorer sums it: the bias first, then each w·x.
 * One pass over the rows (train-kernel.ts); the sigmoid and the log loss share one exp.
 */
export function lossAndGradient(data: Dataset, w: Float64Array, b: number, l2: number, gradient: Float64Array): Evaluation {
  const stats = new Float64Array(3);
  kernelFor(data.features, true)(data.x, data.y, data.rows, w, b, gradient, stats);
  finishGradient(gradient, data.rows, w, l2);
  return { loss: (stats[0] as number) / data.rows, correct: stats[1] as number };
}

/**
 * The gradient alone, as `lossAndGradient` computes it (the same sums in the
 * same order, so the same bits), without the loss's log per row: the hot
 * path of training. Returns whether every |z| was at most TAME_Z, so that
 * the loss is certainly finite; if not, compute it before trusting it.
 */
export function gradientOnly(data: Dataset, w: Float64Array, b: number, l2: number, gradient: Float64Array): boolean {
  const stats = new Float64Array(3);
  kernelFor(data.features, false)(data.x, data.y, data.rows, w, b, gradient, stats);
  finishGradient(gradient, data.rows, w, l2);
  return stats[2] === 1;
}

/** Sums to means, and the L2 term's share. */
function finishGradient(gradient: Float64Array, rows: number, w: Float64Array, l2: number): void {
  const d = w.length;
  for (let j = 0; j <= d; j++) gradient[j] = (gradient[j] as number) / rows;
  for (let j = 0; j < d; j++) gradient[j] = (gradient[j] as number) + l2 * (w[j] as number);
}

/** The penalised objective that gradient descent minimises. */
export function objective(loss: number, w: Float64Array, l2: number): number {
  if (l2 === 0) return loss;
  let squares = 0;
  for (const v of w) squares += v * v;
  return loss + (l2 / 2) * squares;
}

/**
 * Z-scores each feature in place (population standard deviation, as
 * scikit-learn's StandardScaler) and returns the mean and std used. A
 * constant feature cannot be scaled: it is an error naming the feature.
 * @example
 * ```js
 * import { datasetOf, standardizeDataset } from 'neuron-cli';
 * const data = datasetOf([[1], [3]], [0, 1]);
 * standardizeDataset(data, ['x']); // => { mean: [2], std: [1] }
 * Array.from(data.x); // => [-1, 1]
 * ```
 */
export function standardizeDataset(data: Dataset, names: readonly string[]): Scaling {
  const { x, rows, features: d } = data;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let i = 0, offset = 0; i < rows; i++, offset += d) {
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x[offset + j] as number);
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / rows;
  for (let i = 0, offset = 0; i < rows; i++, offset += d) {
    for (let j = 0; j < d; j++) {
      const delta = (x[offset + j] as number) - (mean[j] as number);
      variance[j] = (variance[j] as number) + delta * delta;
    }
  }
  const std = Array.from(variance, (v) => Math.sqrt(v / rows));
  std.forEach((s, j) => {
    if (Number.isFinite(s) && Number.isFinite(mean[j])) return;
    // The sums overflowed (values near ±1e308): the same moments, computed on x / max|x|.
    const moments = columnMoments(data, j);
    mean[j] = moments.mean;
    std[j] = moments.std;
  });
  std.forEach((s, j) => {
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new NeuronError(
        'constant-feature',
        `feature ${JSON.stringify(names[j] ?? String(j + 1))} is constant (${x[j]} on every row)`,
        {},
        'leave it out, or do not standardize the inputs',
      );
    }
  });
  for (let i = 0, offset = 0; i < rows; i++, offset += d) {
    for (let j = 0; j < d; j++) x[offset + j] = ((x[offset + j] as number) - (mean[j] as number)) / (std[j] as number);
  }
  return { mean: Array.from(mean), std };
}

/**
 * Weights for standardised inputs expressed for raw inputs: w / std, and b - Σ w·mean / std.
 * @example
 * ```js
 * import { unscale } from 'neuron-cli';
 * // 2 · (x - 2) / 0.5 + 1 = 4x - 7
 * unscale([2], 1, { mean: [2], std: [0.5] }); // => { weights: [4], bias: -7 }
 * ```
 */
export function unscale(weights: readonly number[], bias: number, scaling: Scaling): { weights: number[]; bias: number } {
  let b = bias;
  const raw = weights.map((w, j) => {
    const s = scaling.std[j] as number;
    b -= (w * (scaling.mean[j] as number)) / s;
    return w / s;
  });
  return { weights: raw, bias: b };
}

/** The learning rate and the L2 penalty of a gradient step. */
export interface StepOptions {
  /** Learning rate, > 0. */
  readonly lr: number;
  /** L2 penalty strength, >= 0. */
  readonly l2: number;
}

/**
 * Gradient descent, one epoch (one pass over the data) per `step`. The loss
 * costs a log per row, more than the rest of an epoch, so a step computes it
 * only when asked and `current` otherwise computes it on demand; a step
 * still fails at once, at the same epoch, when the loss becomes infinite or
 * NaN, since `gradientOnly` says when it might have.
 * @example
 * ```js
 * import { datasetOf, Trainer } from 'neuron-cli';
 * const trainer = new Trainer(datasetOf([[1], [2], [3], [4]], [0, 0, 1, 1]), { weights: [0], bias: 0 }, { lr: 0.5, l2: 0 });
 * // at w = b = 0 every p is 1/2: the loss is log 2, the gradient mean((p - y)·x) = -0.5 for w and 0 for b
 * trainer.current.loss; // => Math.LN2
 * trainer.step();
 * [trainer.epoch, Array.from(trainer.weights), trainer.bias]; // => [1, [0.25], 0]
 * ```
 */
export class Trainer {
  readonly weights: Float64Array;
  bias: number;
  /** Epochs run so far. */
  epoch = 0;
  /** The penalised objective's gradient at the current weights (weights, then the bias). */
  readonly gradient: Float64Array;
  /** The loss and correct rows at the current weights, once computed. */
  private evaluation: Evaluation | undefined;

  constructor(
    private readonly data: Dataset,
    initial: { readonly weights: readonly number[]; readonly bias: number },
    private readonly options: StepOptions,
  ) {
    if (data.rows === 0) throw new NeuronError('no-rows', 'no data rows to train on', {}, 'the data needs rows under its header');
    this.weights = Float64Array.from(initial.weights);
    this.bias = initial.bias;
    this.gradient = new Float64Array(data.features + 1);
    this.evaluation = lossAndGradient(data, this.weights, this.bias, options.l2, this.gradient);
    this.check();
  }

  get rows(): number {
    return this.data.rows;
  }

  /** Mean log loss and correct rows at the current weights (a pass over the data if the last step did not compute them). */
  get current(): Evaluation {
    this.evaluation ??= evaluate(this.data, this.weights, this.bias);
    return this.evaluation;
  }

  /** The penalised loss at the current weights. */
  get objective(): number {
    return objective(this.current.loss, this.weights, this.options.l2);
  }

  /** One gradient step; then the gradient at the new weights, and with `withLoss` the loss too, in the same pass. */
  step(withLoss = false): void {
    const { weights, gradient, options, data } = this;
    const d = weights.length;
    for (let j = 0; j < d; j++) weights[j] = (weights[j] as number) - options.lr * (gradient[j] as number);
    this.bias -= options.lr * (gradient[d] as number);
    this.epoch++;
    if (withLoss) {
      this.evaluation = lossAndGradient(data, weights, this.bias, options.l2, gradient);
    } else {
      this.evaluation = undefined;
      const tame = gradientOnly(data, weights, this.bias, options.l2, gradient);
      // A finite loss and a finite penalty: the objective is finite, nothing to check.
      if (tame && Number.isFinite(objective(0, weights, options.l2))) return;
    }
    this.check();
  }

  private check(): void {
    const value = this.objective;
    if (!Number.isFinite(value)) {
      throw new NeuronError(
        this.epoch === 0 ? 'loss-overflow' : 'loss-diverged',
        `the loss became ${value} at epoch ${this.epoch}`,
        {},
        this.epoch === 0 ? 'scale the inputs down, or standardize them' : 'lower the learning rate, or standardize the inputs',
      );
    }
  }
}

/** The mean log loss and correct rows at (w, b): `lossAndGradient` without the gradient. */
export function evaluate(data: Dataset, w: Float64Array, b: number): Evaluation {
  const { x, y, rows, features: d } = data;
  let loss = 0;
  let correct = 0;
  for (let i = 0, offset = 0; i < rows; i++, offset += d) {
    let z = b;
    for (let j = 0; j < d; j++) z += (w[j] as number) * (x[offset + j] as number);
    const label = y[i] as number;
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - label * z;
    if (z >= 0 === (label === 1)) correct++;
  }
  return { loss: loss / rows, correct };
}

/** Gradient descent's options: the step's, the number of epochs, and the tolerance that stops it early. */
export interface GradientDescentOptions extends StepOptions {
  readonly epochs: number;
  /** Stop when an epoch lowers the objective by less than this. */
  readonly tol?: number | undefined;
}

/** What training ends with: the weights and bias, the epochs run, the loss and correct rows, whether --tol stopped it. */
export interface TrainResult {
  readonly weights: number[];
  readonly bias: number;
  readonly epochs: number;
  readonly loss: number;
  readonly correct: number;
  /** Stopped by --tol before the last epoch. */
  readonly converged: boolean;
}

/**
 * Runs `trainer` to the end: `epochs` steps, or fewer if the objective falls
 * by less than `tol`. With `tol`, an epoch that raises the objective is an
 * error: the run is diverging, not converging.
 * @example
 * ```js
 * import { datasetOf, runTrainer, Trainer } from 'neuron-cli';
 * const trainer = new Trainer(datasetOf([[1], [2], [3], [4]], [0, 0, 1, 1]), { weights: [0], bias: 0 }, { lr: 0.5, l2: 0 });
 * runTrainer(trainer, { epochs: 1, lr: 0.5, l2: 0 }).weights; // => [0.25]
 * ```
 */
export function runTrainer(trainer: Trainer, options: GradientDescentOptions): TrainResult {
  return result(trainer, trainEpochs(trainer, options));
}

/**
 * `runTrainer` without the result: steps up to epoch `epochs` (or to
 * convergence, which it returns), so the caller can run a long training in
 * slices and ask for the loss only when it shows it.
 */
export function trainEpochs(trainer: Trainer, options: GradientDescentOptions): boolean {
  while (trainer.epoch < options.epochs) {
    if (options.tol === undefined) {
      trainer.step();
      continue;
    }
    const before = trainer.objective;
    trainer.step(true);
    const gain = before - trainer.objective;
    if (gain < 0) {
      throw new NeuronError(
        'loss-rose',
        `the loss rose at epoch ${trainer.epoch} (from ${before.toFixed(6)} to ${trainer.objective.toFixed(6)})`,
        {},
        'lower the learning rate, or standardize the inputs',
      );
    }
    if (gain < options.tol) return true;
  }
  return false;
}

export function result(trainer: Trainer, converged: boolean): TrainResult {
  return {
    weights: Array.from(trainer.weights),
    bias: trainer.bias,
    epochs: trainer.epoch,
    loss: trainer.current.loss,
    correct: trainer.current.correct,
    converged,
  };
}
