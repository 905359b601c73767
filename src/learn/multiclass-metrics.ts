/**
 * Metrics of a softmax layer (k classes), computed as scikit-learn 1.2
 * computes them with every class named (`labels=range(k)`), so that a class
 * absent from the data keeps its row and column of the confusion matrix and
 * its place in the macro average:
 * - accuracy; per class precision, recall, F1 and support
 *   (`precision_recall_fscore_support`, a 0/0 ratio is 0 as its default
 *   zero_division sets it); their macro and support-weighted averages;
 * - the k × k confusion matrix, rows the true class, columns the predicted;
 * - the log loss of the k probabilities, each clipped to [eps, 1 - eps]
 *   and renormalised, as `log_loss`;
 * - ROC AUC: for k > 2 one-vs-rest, the macro average of each class's AUC
 *   of its probability (`roc_auc_score(multi_class="ovr")`); for k = 2 the
 *   AUC of P(class 1) (sklearn's binary `roc_auc_score(y, p[:, 1])`, equal
 *   to that average). Undefined when a class is absent from the labels
 *   (sklearn raises).
 *
 * `ClassMetricsAccumulator` takes one row at a time, as eval streams; it
 * keeps the rows' k probabilities (8k bytes a row) for the ROC AUC.
 */

import { type ClassFigures, CompensatedSum, classFigures, clipProbability, Floats, rocAucSorted } from './metric-parts.js';

/** One class's figures in a k-class model's metrics; undefined without rows. */
export interface ClassReport {
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly f1: number | undefined;
  /** How many rows are labelled this class. */
  readonly support: number;
}

/** A k-class model's metrics, as scikit-learn computes them (see the module's doc). */
export interface ClassMetrics {
  readonly rows: number;
  readonly accuracy: number | undefined;
  /** One per class, in `classes` order. */
  readonly perClass: readonly ClassReport[];
  /** The unweighted mean over the k classes. */
  readonly macro: ClassReport;
  /** The mean weighted by each class's support. */
  readonly weighted: ClassReport;
  readonly logLoss: number | undefined;
  /** Undefined when a class is absent from the labels. */
  readonly rocAuc: number | undefined;
  /** k rows (the true class) of k counts (the predicted class), as sklearn's confusion_matrix. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Whether metrics are a k-class model's (rather than one neuron's).
 * @example
 * ```js
 * import { ClassMetricsAccumulator, isClassMetrics, MetricsAccumulator } from 'neuron-cli';
 * [isClassMetrics(new ClassMetricsAccumulator(3).result()), isClassMetrics(new MetricsAccumulator(true).result())]; // => [true, false]
 * ```
 */
export function isClassMetrics(metrics: object): metrics is ClassMetrics {
  return 'perClass' in metrics;
}

/** -log of the probability sklearn's log_loss gives the true class: the k probabilities clipped, then renormalised. */
export function rowClassLogLoss(p: ArrayLike<number>, truth: number): number {
  let sum = 0;
  for (let c = 0; c < p.length; c++) sum += clipProbability(p[c] as number);
  return -Math.log(clipProbability(p[truth] as number) / sum);
}

/**
 * A k-class model's metrics fed one row at a time (its k probabilities, predicted and true class), as `eval --label` streams them.
 * @example
 * ```js
 * import { ClassMetricsAccumulator } from 'neuron-cli';
 * const metrics = new ClassMetricsAccumulator(3);
 * metrics.add([0.7, 0.2, 0.1], 0, 0);
 * metrics.add([0.2, 0.5, 0.3], 1, 2);
 * const m = metrics.result();
 * [m.accuracy, m.confusion]; // => [0.5, [[1, 0, 0], [0, 0, 0], [0, 1, 0]]]
 * ```
 */
export class ClassMetricsAccumulator {
  /** counts[t * k + p]: rows of true class t predicted p. */
  private readonly counts: Float64Array;
  /** For each class c: its probability on the rows labelled c, and on the others. */
  private readonly positives: Floats[];
  private readonly negatives: Floats[];
  private readonly loss = new CompensatedSum();

  constructor(readonly k: number) {
    this.counts = new Float64Array(k * k);
    this.positives = Array.from({ length: k }, () => new Floats());
    this.negatives = Array.from({ length: k }, () => new Floats());
  }

  /** One row: its k probabilities (softmax), its predicted class and its true class (indices 0 to k - 1). */
  add(p: ArrayLike<number>, predicted: number, truth: number): void {
    const k = this.k;
    const cell = truth * k + predicted;
    this.counts[cell] = (this.counts[cell] as number) + 1;
    for (let c = 0; c < k; c++) (c === truth ? this.positives : this.negatives)[c]?.push(p[c] as number);
    this.loss.add(rowClassLogLoss(p, truth));
  }

  result(): ClassMetrics {
    const k = this.k;
    const confusion = Array.from({ length: k }, (_, t) => Array.from(this.counts.subarray(t * k, (t + 1) * k)));
    const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
    const predicted = confusion.map((_, p) => confusion.reduce((sum, row) => sum + (row[p] as number), 0));
    const rows = support.reduce((a, b) => a + b, 0);
    const correct = confusion.reduce((sum, row, c) => sum + (row[c] as number), 0);
    const figures: ClassFigures[] = confusion.map((row, c) => {
      const tp = row[c] as number;
      return classFigures(tp, (predicted[c] as number) - tp, (support[c] as number) - tp);
    });
    const none = rows === 0;
    const average = (weight: (c: number) => number, total: number): ClassReport => {
      const mean = (key: keyof ClassFigures) => (none ? undefined : figures.reduce((sum, f, c) => sum + weight(c) * f[key], 0) / total);
      return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: rows };
    };
    return {
      rows,
      accuracy: none ? undefined : correct / rows,
      perClass: figures.map((f, c) => ({
        precision: none ? undefined : f.precision,
        recall: none ? undefined : f.recall,
        f1: none ? undefined : f.f1,
        support: support[c] as number,
      })),
      macro: average(() => 1, k),
      weighted: average((c) => support[c] as number, rows),
      logLoss: none ? undefined : this.loss.value() / rows,
      rocAuc: this.rocAuc(),
      confusion,
    };
  }

  private rocAuc(): number | undefined {
    const aucs = this.positives.map((positives, c) => rocAucSorted(positives.sorted(), (this.negatives[c] as Floats).sorted()));
    if (aucs.some((auc) => auc === undefined)) return undefined;
    if (this.k === 2) return aucs[1];
    return (aucs as number[]).reduce((a, b) => a + b, 0) / this.k;
  }
}

/**
 * A k-class model's metrics as a JSON object (undefined figures are null), as `--metrics` and `metrics --format json` write them.
 * @example
 * ```js
 * import { ClassMetricsAccumulator, classMetricsToJson } from 'neuron-cli';
 * const metrics = new ClassMetricsAccumulator(3);
 * metrics.add([0.7, 0.2, 0.1], 0, 0);
 * const json = classMetricsToJson(metrics.result(), ['a', 'b', 'c']);
 * [json.accuracy, json.roc_auc, json.per_class[0]]; // => [1, null, { class: 'a', precision: 1, recall: 1, f1: 1, support: 1 }]
 * ```
 */
export function classMetricsToJson(metrics: ClassMetrics, classes: readonly string[]): Record<string, unknown> & { per_class: Record<string, unknown>[] } {
  const orNull = (x: number | undefined) => x ?? null;
  const report = (r: ClassReport) => ({ precision: orNull(r.precision), recall: orNull(r.recall), f1: orNull(r.f1), support: r.support });
  return {
    rows: metrics.rows,
    accuracy: orNull(metrics.accuracy),
    log_loss: orNull(metrics.logLoss),
    roc_auc: orNull(metrics.rocAuc),
    per_class: metrics.perClass.map((r, c) => ({ class: classes[c], ...report(r) })),
    macro_avg: report(metrics.macro),
    weighted_avg: report(metrics.weighted),
    confusion_matrix: {
      labels: [...classes],
      rows: 'label',
      columns: 'predicted',
      matrix: metrics.confusion.map((row) => [...row]),
    },
  };
}
