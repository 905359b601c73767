/**
 * Binary classification metrics, computed as scikit-learn 1.2 computes
 * them, so that `neuron metrics` and sklearn agree on the same data:
 * - precision, recall and F1 of class 1, 0 when undefined (sklearn's
 *   `zero_division="warn"` returns 0);
 * - log loss of the activation output taken as P(class 1), clipped to
 *   [eps, 1 - eps] with eps = 2^-52 and renormalised, as `log_loss`;
 * - ROC AUC of z with ties counted as half (`roc_auc_score`), undefined
 *   when the labels hold one class only (sklearn raises).
 *
 * `MetricsAccumulator` takes one row at a time, so `eval` can feed it as it
 * streams; it keeps only the rows' z (8 bytes a row) for the ROC AUC.
 */

import { NeuronError } from '../errors.js';
import { activations } from '../neuron/activations.js';
import { labelClass } from '../neuron/labels.js';
import { type AnyModel, type Model, plainModel } from '../neuron/model.js';
import { type PredictOptions, valueScorer } from '../neuron/values.js';

/** numpy.finfo(np.float64).eps: sklearn's default clipping of probabilities. */
export const LOG_LOSS_EPS = 2 ** -52;

/** Accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix, as scikit-learn computes them. */
export interface Metrics {
  readonly rows: number;
  readonly accuracy: number | undefined;
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly f1: number | undefined;
  /** Only for an activation whose output is a probability (sigmoid). */
  readonly logLoss: number | undefined;
  /** Undefined when the labels hold one class only. */
  readonly rocAuc: number | undefined;
  /** [[true 0 predicted 0, true 0 predicted 1], [true 1 predicted 0, true 1 predicted 1]], as sklearn's confusion_matrix. */
  readonly confusion: readonly [readonly [number, number], readonly [number, number]];
}

/** A growable Float64Array. */
class Floats {
  private data = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  /** The values sorted ascending (a view, sorted in place). */
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

/** -log of the probability sklearn's log_loss gives the true class, for output p = P(class 1). */
export function rowLogLoss(p: number, truth: 0 | 1): number {
  const clipped = Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  const q = 1 - clipped;
  const sum = q + clipped; // sklearn renormalises the [1 - p, p] pair
  return -Math.log((truth === 1 ? clipped : q) / sum);
}

/**
 * ROC AUC as the Mann–Whitney statistic: the share of (positive, negative)
 * pairs where the positive scores higher, a tie counting one half. Equal to
 * the trapezoidal area under sklearn's ROC curve. Inputs sorted ascending.
 */
export function rocAucSorted(positives: Float64Array, negatives: Float64Array): number | undefined {
  if (positives.length === 0 || negatives.length === 0) return undefined;
  let below = 0; // negatives < s
  let upTo = 0; // negatives <= s
  let wins = 0;
  for (const s of positives) {
    while (below < negatives.length && (negatives[below] as number) < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives.length && (negatives[upTo] as number) <= s) upTo++;
    wins += below + (upTo - below) / 2;
  }
  return wins / (positives.length * negatives.length);
}

/**
 * Metrics fed one row at a time (z, output, predicted and true class), as `eval --label` streams them.
 * @example
 * ```js
 * import { MetricsAccumulator } from 'neuron-cli';
 * const metrics = new MetricsAccumulator(true);
 * metrics.add(2, 0.8807970779778824, 1, 1);
 * metrics.add(-1, 0.2689414213699951, 0, 1);
 * [metrics.result().recall, metrics.result().precision]; // => [0.5, 1]
 * ```
 */
export class MetricsAccumulator {
  private readonly counts = [
    [0, 0],
    [0, 0],
  ] as [[number, number], [number, number]];
  private readonly positives = new Floats();
  private readonly negatives = new Floats();
  // Neumaier-compensated sum of the row losses.
  private lossSum = 0;
  private lossCompensation = 0;

  /** `withLogLoss`: the output is a probability of class 1 (sigmoid). */
  constructor(private readonly withLogLoss: boolean) {}

  /** One row: its z, activation output and predicted class, and its true class. */
  add(z: number, output: number, predicted: 0 | 1, truth: 0 | 1): void {
    this.counts[truth][predicted]++;
    (truth === 1 ? this.positives : this.negatives).push(z);
    if (this.withLogLoss) {
      const loss = rowLogLoss(output, truth);
      const t = this.lossSum + loss;
      this.lossCompensation += Math.abs(this.lossSum) >= Math.abs(loss) ? this.lossSum - t + loss : loss - t + this.lossSum;
      this.lossSum = t;
    }
  }

  result(): Metrics {
    const [[tn, fp], [fn, tp]] = this.counts;
    const rows = tn + fp + fn + tp;
    const ratio = (a: number, b: number) => (rows === 0 ? undefined : b === 0 ? 0 : a / b);
    return {
      rows,
      accuracy: rows === 0 ? undefined : (tp + tn) / rows,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      // sklearn's F-beta with beta = 1: 2tp / (2tp + fn + fp)
      f1: ratio(2 * tp, 2 * tp + fn + fp),
      logLoss: this.withLogLoss && rows > 0 ? (this.lossSum + this.lossCompensation) / rows : undefined,
      rocAuc: rocAucSorted(this.positives.sorted(), this.negatives.sorted()),
      confusion: [
        [tn, fp],
        [fn, tp],
      ],
    };
  }
}

/**
 * The metrics as a JSON object (undefined figures are null), as `--metrics` and `metrics --format json` write them.
 * @example
 * ```js
 * import { metricsOf, metricsToJson, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * const json = metricsToJson(metricsOf(model, [[1]], ['yes']), model.classes);
 * [json.roc_auc, json.positive_class, json.confusion_matrix.matrix]; // => [null, 'yes', [[0, 0], [0, 1]]]
 * ```
 */
export function metricsToJson(metrics: Metrics, classes: readonly [string, string]): Record<string, unknown> {
  const orNull = (x: number | undefined) => x ?? null;
  return {
    rows: metrics.rows,
    accuracy: orNull(metrics.accuracy),
    precision: orNull(metrics.precision),
    recall: orNull(metrics.recall),
    f1: orNull(metrics.f1),
    log_loss: orNull(metrics.logLoss),
    roc_auc: orNull(metrics.rocAuc),
    positive_class: classes[1],
    confusion_matrix: {
      labels: [...classes],
      rows: 'label',
      columns: 'predicted',
      matrix: metrics.confusion.map((row) => [...row]),
    },
  };
}

/**
 * The metrics of a model on rows of numbers (in weight order) and their
 * labels (class names or 0/1), as `neuron metrics` computes them on a CSV.
 * @example
 * ```js
 * import { metricsOf, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * // z = -2, 1, 3: predicted no, yes, yes; two of three right
 * const m = metricsOf(model, [[-2], [1], [3]], ['no', 'no', 'yes']);
 * m.accuracy; // => 2 / 3
 * m.confusion; // => [[1, 1], [0, 1]]
 * metricsOf(model, [[1]], ['maybe']); // throws 'label 1: "maybe" is neither a class name ("no", "yes") nor 0/1'
 * ```
 */
export function metricsOf(
  anyModel: AnyModel,
  rows: readonly (readonly number[])[],
  labels: readonly (string | number)[],
  options: PredictOptions = {},
): Metrics {
  if (labels.length !== rows.length) {
    throw new NeuronError('labels-count', `${rows.length} rows but ${labels.length} labels`, {}, 'give one label per row');
  }
  const model = plainModel(anyModel, 'metricsOf');
  const { scorer, score } = valueScorer(model, options);
  const metrics = new MetricsAccumulator(activations[scorer.activation].probability);
  rows.forEach((row, i) => {
    const label = String(labels[i]);
    const truth = labelClass(label, model.classes);
    if (truth === undefined) {
      const classes = model.classes.map((c) => JSON.stringify(c)).join(', ');
      throw new NeuronError(
        'bad-label',
        `label ${i + 1}: ${JSON.stringify(label)} is neither a class name (${classes}) nor 0/1`,
        {},
        'give labels as class names or 0/1',
      );
    }
    const p = score(row);
    metrics.add(p.z, p.output, p.classIndex, truth);
  });
  return metrics.result();
}
