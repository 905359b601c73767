/**
 * eval's step for one row, shared by the command and the parallel eval's
 * worker threads (which must not load the command line): score a row,
 * check its label, format its output line.
 */
import { MetricsAccumulator } from '../learn/metrics.js';
import { ClassMetricsAccumulator } from '../learn/multiclass-metrics.js';
import { activations } from '../neuron/activations.js';
import { cellText, type Records } from '../neuron/cells.js';
import type { BoundModel } from '../neuron/columns.js';
import type { LabelReader } from '../neuron/labels.js';
import { type LayerScore, LayerScorer, layerScore } from '../neuron/layer-scorer.js';
import { type AnyModel, isSoftmax } from '../neuron/model.js';
import { type Score, type ScoreOptions, Scorer } from '../neuron/scorer.js';
import type { RowScore, RowWriter } from '../render/formats.js';
import type { RowVisitor } from './data.js';

/** How many skipped line numbers are kept for the message. */
import { SKIPPED_SHOWN } from './skipped.js';

/** What the summary on stderr counts. */
export interface Tally {
  rows: number;
  correct: number;
  skipped: number;
  /** The first SKIPPED_SHOWN skipped lines (in an engine: rows, or PostgreSQL ctids). */
  skippedLines: (number | string)[];
  /** What skippedLines count: lines of a file (the default), or rows in an engine. */
  unit?: 'line' | 'row';
}

/** One neuron's scorer, or a softmax layer's. */
export type AnyScorer = Scorer | LayerScorer;

/**
 * The scorer for a bound model: a LayerScorer for a softmax layer (which
 * takes no --activation or --threshold: the command refuses them), else a Scorer.
 */
export function scorerFor(bound: BoundModel<AnyModel>, options: ScoreOptions): AnyScorer {
  const model = bound.model;
  if (isSoftmax(model)) return new LayerScorer({ ...bound, model }, options);
  return new Scorer({ ...bound, model }, options);
}

/** The metrics of a scorer's rows (as neuron metrics computes them): one neuron's, or a softmax layer's. */
export function metricsFor(scorer: AnyScorer): { metrics: MetricsAccumulator | undefined; classMetrics: ClassMetricsAccumulator | undefined } {
  if (scorer instanceof LayerScorer) return { metrics: undefined, classMetrics: new ClassMetricsAccumulator(scorer.k) };
  return { metrics: new MetricsAccumulator(activations[scorer.activation].probability), classMetrics: undefined };
}

/** The parts of one run that each row goes through. */
export interface RowScoring {
  readonly scorer: AnyScorer;
  readonly writer: RowWriter;
  readonly labels: LabelReader | undefined;
  /** One neuron's metrics, or (the parallel eval's workers) a record of what they are fed. */
  readonly metrics: Pick<MetricsAccumulator, 'add'> | undefined;
  /** The same for a softmax layer. */
  readonly classMetrics?: Pick<ClassMetricsAccumulator, 'add'> | undefined;
  readonly file: string;
  readonly tally: Tally;
}

/**
 * One reused score for the scorer, and the step that fills it from record
 * `r` (false: the row is skipped, --missing skip).
 */
function scoreStep(
  scorer: AnyScorer,
  file: string,
): { score: RowScore; neuron: Score | undefined; layer: LayerScore | undefined; step: (records: Records, r: number) => boolean } {
  if (scorer instanceof LayerScorer) {
    const layer = layerScore(scorer.k);
    return { score: layer, neuron: undefined, layer, step: (records, r) => scorer.scoreRow(records, r, file, layer) !== undefined };
  }
  const score: Score = { z: 0, output: 0, cls: 0 };
  return { score, neuron: score, layer: undefined, step: (records, r) => scorer.scoreRow(records, r, file, score) !== undefined };
}

/**
 * eval's step for one row (the hot loop: no object per row): score it,
 * check its label, and append its output line to `out.text`. Only the kept
 * cells and the label become strings.
 */
export function scoreEach(scoring: RowScoring, width: number, out: { text: string }): RowVisitor {
  const { scorer, writer, labels, file, tally } = scoring;
  const { score, neuron, layer, step } = scoreStep(scorer, file);
  const metrics = neuron === undefined ? undefined : scoring.metrics;
  const classMetrics = layer === undefined ? undefined : scoring.classMetrics;
  const keep = writer.reads;
  // One record's cells for the writer: only those it reads are filled in.
  const row: string[] = new Array<string>(width).fill('');
  return (records, r) => {
    if (!step(records, r)) {
      if (tally.skipped++ < SKIPPED_SHOWN) tally.skippedLines.push(records.lines[r] as number);
      return;
    }
    let correct: boolean | undefined;
    if (labels !== undefined) {
      const truth = labels.classIn(records, r, file);
      correct = truth === score.cls;
      if (metrics !== undefined && neuron !== undefined) metrics.add(neuron.z, neuron.output, neuron.cls, truth as 0 | 1);
      if (classMetrics !== undefined && layer !== undefined) classMetrics.add(layer.p, layer.cls, truth);
      if (correct) tally.correct++;
    }
    tally.rows++;
    for (let i = 0; i < keep.length; i++) {
      const column = keep[i] as number;
      row[column] = cellText(records, r, column);
    }
    out.text += writer.row(row, 0, score, correct);
  };
}
