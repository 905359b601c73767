/**
 * The parts the two-class and the k-class metrics share, each written once:
 * a growable array of scores, a compensated sum of row losses, the ROC AUC
 * of sorted scores, the clipping of probabilities for the log loss, and
 * precision, recall and F1 from a class's counts with scikit-learn's
 * zero_division behaviour.
 */

/** numpy.finfo(np.float64).eps: sklearn's default clipping of probabilities. */
export const LOG_LOSS_EPS = 2 ** -52;

/** A probability clipped to [eps, 1 - eps], as sklearn's log_loss clips it before renormalising. */
export function clipProbability(p: number): number {
  return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
}

/** A growable Float64Array. */
export class Floats {
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

/** A Neumaier-compensated running sum: the row losses of a long file add up without drift. */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * ROC AUC as the Mann–Whitney statistic: the share of (positive, negative)
 * pairs where the positive scores higher, a tie counting one half. Equal to
 * the trapezoidal area under sklearn's ROC curve. Inputs sorted ascending;
 * undefined when either is empty (sklearn raises).
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

/** Precision, recall and F1 of one class. */
export interface ClassFigures {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * One class's precision tp / (tp + fp), recall tp / (tp + fn) and F1
 * 2tp / (2tp + fp + fn); a ratio 0/0 is 0, as sklearn's default
 * zero_division="warn" sets it (with a warning neuron does not print).
 */
export function classFigures(tp: number, fp: number, fn: number): ClassFigures {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) };
}
