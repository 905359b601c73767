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
import { labelIndex } from '../neuron/labels.js';
import { type AnyModel, isSoftmax, type Model, type SoftmaxModel } from '../neuron/model.js';
import { layerValueScorer, type PredictOptions, valueScorer } from '../neuron/values.js';
import { CompensatedSum, classFigures, clipProbability, Floats, rocAucSorted } from './metric-parts.js';
import { type ClassMetrics, ClassMetricsAccumulator, classMetricsToJson, isClassMetrics } from './multiclass-metrics.js';

export { LOG_LOSS_EPS, rocAucSorted } from './metric-parts.js';

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

/** -log of the probability sklearn's log_loss gives the true class, for output p = P(class 1). */
export function rowLogLoss(p: number, truth: 0 | 1): number {
  const clipped = clipProbability(p);
  const q = 1 - clipped;
  const sum = q + clipped; // sklearn renormalises the [1 - p, p] pair
  return -Math.log((truth === 1 ? clipped : q) / sum);
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
  private readonly loss = new CompensatedSum();

  /** `withLogLoss`: the output is a probability of class 1 (sigmoid). */
  constructor(private readonly withLogLoss: boolean) {}

  /** One row: its z, activation output and predicted class, and its true class. */
  add(z: number, output: number, predicted: 0 | 1, truth: 0 | 1): void {
    this.counts[truth][predicted]++;
    (truth === 1 ? this.positives : this.negatives).push(z);
    if (this.withLogLoss) this.loss.add(rowLogLoss(output, truth));
  }

  result(): Metrics {
    const [[tn, fp], [fn, tp]] = this.counts;
    const rows = tn + fp + fn + tp;
    const figures = rows === 0 ? undefined : classFigures(tp, fp, fn);
    return {
      rows,
      accuracy: rows === 0 ? undefined : (tp + tn) / rows,
      precision: figures?.precision,
      recall: figures?.recall,
      f1: figures?.f1,
      logLoss: this.withLogLoss && rows > 0 ? this.loss.value() / rows : undefined,
      rocAuc: rocAucSorted(this.positives.sorted(), this.negatives.sorted()),
      confusion: [
        [tn, fp],
        [fn, tp],
      ],
    };
  }
}

/**
 * The metrics as a JSON object (undefined figures are null), as `--metrics` and `metrics --format json` write them:
 * a two-class model's, or a k-class model's (see classMetricsToJson).
 * @example
 * ```js
 * import { metricsOf, metricsToJson, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * const json = metricsToJson(metricsOf(model, [[1]], ['yes']), model.classes);
 * [json.roc_auc, json.positive_class, json.confusion_matrix.matrix]; // => [null, 'yes', [[0, 0], [0, 1]]]
 * ```
 */
export function metricsToJson(metrics: Metrics | ClassMetrics, classes: readonly string[]): Record<string, unknown> {
  if (isClassMetrics(metrics)) return classMetricsToJson(metrics, classes);
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

/** The class index of each label (a class name, or an index 0 to k - 1), else a NeuronError naming the label. */
function labelIndices(labels: readonly (string | number)[], classes: readonly string[]): number[] {
  const indices = classes.length === 2 ? '0/1' : `0 to ${classes.length - 1}`;
  return labels.map((value, i) => {
    const label = String(value);
    const truth = labelIndex(label, classes);
    if (truth !== undefined) return truth;
    throw new NeuronError(
      'bad-label',
      `label ${i + 1}: ${JSON.stringify(label)} is neither a class name (${classes.map((c) => JSON.stringify(c)).join(', ')}) nor ${indices}`,
      {},
      `give labels as class names or ${indices}`,
    );
  });
}

/**
 * The metrics of a model on rows of numbers (in weight order; for a model
 * with "categories", the one-hot inputs too) and their labels (class names,
 * or indices 0/1, 0 to k - 1), as `neuron metrics` computes them on a CSV.
 * A softmax model gives a k-class model's metrics (ClassMetrics).
 * @example
 * ```js
 * import { metricsOf, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * // z = -2, 1, 3: predicted no, yes, yes; two of three right
 * const m = metricsOf(model, [[-2], [1], [3]], ['no', 'no', 'yes']);
 * m.accuracy; // => 2 / 3
 * m.confusion; // => [[1, 1], [0, 1]]
 * metricsOf(model, [[1]], ['maybe']); // throws 'label 1: "maybe" is neither a class name ("no", "yes") nor 0/1'
 * const layer = parseModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
 * // z = (2, 0, -2), then (-2, 0, 2): predicted a, then c
 * const k = metricsOf(layer, [[2], [-2]], ['a', 'b']);
 * [k.accuracy, k.perClass[0].precision, k.confusion[1]]; // => [0.5, 1, [0, 0, 1]]
 * ```
 */
export function metricsOf(model: Model, rows: readonly (readonly number[])[], labels: readonly (string | number)[], options?: PredictOptions): Metrics;
export function metricsOf(model: SoftmaxModel, rows: readonly (readonly number[])[], labels: readonly (string | number)[]): ClassMetrics;
export function metricsOf(
  model: AnyModel,
  rows: readonly (readonly number[])[],
  labels: readonly (string | number)[],
  options?: PredictOptions,
): Metrics | ClassMetrics;
export function metricsOf(
  model: AnyModel,
  rows: readonly (readonly number[])[],
  labels: readonly (string | number)[],
  options: PredictOptions = {},
): Metrics | ClassMetrics {
  if (labels.length !== rows.length) {
    throw new NeuronError('labels-count', `${rows.length} rows but ${labels.length} labels`, {}, 'give one label per row');
  }
  const truths = labelIndices(labels, model.classes);
  if (isSoftmax(model)) {
    if (options.activation !== undefined || options.threshold !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        'a softmax model takes no activation or threshold',
        {},
        'its class is the largest z; drop the activation and threshold options',
      );
    }
    const metrics = new ClassMetricsAccumulator(model.classes.length);
    const score = layerValueScorer(model);
    rows.forEach((row, i) => {
      const s = score(row);
      metrics.add(s.p, s.cls, truths[i] as number);
    });
    return metrics.result();
  }
  const { scorer, score } = valueScorer(model, options);
  const metrics = new MetricsAccumulator(activations[scorer.activation].probability);
  rows.forEach((row, i) => {
    const p = score(row);
    metrics.add(p.z, p.output, p.classIndex, truths[i] as 0 | 1);
  });
  return metrics.result();
}
