/**
 * What a picture needs from the data, gathered in one pass over any number
 * of rows in bounded memory but for the scores: every input's extent and
 * mean, the z extent, a deterministic sample of rows to draw, and, with a
 * label, every row's z and true class (for the ROC and PR curves) and the
 * metrics (AUC, confusion matrix).
 */
import type { Score } from '../neuron/scorer.js';
import { type Metrics, MetricsAccumulator } from './metrics.js';
import type { Extent } from './plane.js';
import { Reservoir } from './sample.js';

/** Rows drawn as points at most; beyond, a sample (said in the subtitle). */
export const MAX_DRAWN_ROWS = 2000;

export interface PlotRow {
  /** 1-based data row. */
  readonly row: number;
  /** The input values in weight order, in the data's units. */
  readonly values: readonly number[];
  readonly z: number;
  readonly output: number;
  readonly predicted: 0 | 1;
  readonly truth: 0 | 1 | undefined;
}

export interface PlotData {
  readonly count: number;
  /** The drawn rows: all of them, or a sample of MAX_DRAWN_ROWS. */
  readonly rows: readonly PlotRow[];
  readonly sampled: boolean;
  readonly extents: readonly Extent[];
  readonly means: readonly number[];
  readonly z: Extent;
  /** With `scored`: every row's z and true class, and the metrics. */
  readonly scores: Float64Array | undefined;
  readonly truths: Uint8Array | undefined;
  readonly metrics: Metrics | undefined;
}

export class PlotCollector {
  private readonly sample: Reservoir<PlotRow>;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private zMin = Number.POSITIVE_INFINITY;
  private zMax = Number.NEGATIVE_INFINITY;
  private scores = new Float64Array(1024);
  private truths = new Uint8Array(1024);
  private readonly metrics: MetricsAccumulator | undefined;
  private count = 0;

  /**
   * `inputs`: how many; `scored`: keep every labelled row's z and true class and
   * the metrics (for ROC, PR and confusion pictures; the others need neither);
   * `probability`: the output is P(class 1) (log loss).
   */
  constructor(
    private readonly inputs: number,
    private readonly scored: boolean,
    probability: boolean,
    sampleSize = MAX_DRAWN_ROWS,
  ) {
    this.sample = new Reservoir(sampleSize);
    this.min = new Float64Array(inputs).fill(Number.POSITIVE_INFINITY);
    this.max = new Float64Array(inputs).fill(Number.NEGATIVE_INFINITY);
    this.sum = new Float64Array(inputs);
    this.metrics = scored ? new MetricsAccumulator(probability) : undefined;
  }

  /** One row: its input values (read before the next row), its score and, with a label, its true class. */
  add(values: ArrayLike<number>, score: Score, truth: 0 | 1 | undefined): void {
    for (let j = 0; j < this.inputs; j++) {
      const x = values[j] as number;
      if (x < (this.min[j] as number)) this.min[j] = x;
      if (x > (this.max[j] as number)) this.max[j] = x;
      this.sum[j] = (this.sum[j] as number) + x;
    }
    if (score.z < this.zMin) this.zMin = score.z;
    if (score.z > this.zMax) this.zMax = score.z;
    if (this.metrics !== undefined && truth !== undefined) {
      this.metrics.add(score.z, score.output, score.cls, truth);
      this.keepScore(score.z, truth);
    }
    const row = ++this.count;
    const { z, output, cls } = score;
    this.sample.offer(() => ({ row, values: Array.from(values), z, output, predicted: cls, truth }));
  }

  private keepScore(z: number, truth: 0 | 1): void {
    if (this.count === this.scores.length) {
      const scores = new Float64Array(this.count * 2);
      scores.set(this.scores);
      this.scores = scores;
      const truths = new Uint8Array(this.count * 2);
      truths.set(this.truths);
      this.truths = truths;
    }
    this.scores[this.count] = z;
    this.truths[this.count] = truth;
  }

  result(): PlotData {
    const n = this.count;
    return {
      count: n,
      rows: this.sample.rows,
      sampled: this.sample.sampled,
      extents: Array.from(this.min, (min, j) => ({ min, max: this.max[j] as number })),
      means: Array.from(this.sum, (s) => s / n),
      z: { min: this.zMin, max: this.zMax },
      scores: this.scored ? this.scores.slice(0, n) : undefined,
      truths: this.scored ? this.truths.slice(0, n) : undefined,
      metrics: this.metrics?.result(),
    };
  }
}
