/**
 * eval's step for one row, shared by the command and the parallel eval's
 * worker threads (which must not load the command line): score a row,
 * check its label, format its output line.
 */
import type { MetricsAccumulator } from '../learn/metrics.js';
import { cellText } from '../neuron/cells.js';
import type { LabelReader } from '../neuron/labels.js';
import type { Score, Scorer } from '../neuron/scorer.js';
import type { RowWriter } from '../render/formats.js';
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

/** The parts of one run that each row goes through. */
export interface RowScoring {
  readonly scorer: Scorer;
  readonly writer: RowWriter;
  readonly labels: LabelReader | undefined;
  /** The metrics, or (the parallel eval's workers) a record of what they are fed. */
  readonly metrics: Pick<MetricsAccumulator, 'add'> | undefined;
  readonly file: string;
  readonly tally: Tally;
}

/**
 * eval's step for one row (the hot loop: no object per row): score it,
 * check its label, and append its output line to `out.text`. Only the kept
 * cells and the label become strings.
 */
export function scoreEach(scoring: RowScoring, width: number, out: { text: string }): RowVisitor {
  const { scorer, writer, labels, metrics, file, tally } = scoring;
  const score: Score = { z: 0, output: 0, cls: 0 };
  const keep = writer.reads;
  // One record's cells for the writer: only those it reads are filled in.
  const row: string[] = new Array<string>(width).fill('');
  return (records, r) => {
    if (scorer.scoreRow(records, r, file, score) === undefined) {
      if (tally.skipped++ < SKIPPED_SHOWN) tally.skippedLines.push(records.lines[r] as number);
      return;
    }
    let correct: boolean | undefined;
    if (labels !== undefined) {
      const truth = labels.truthIn(records, r, file);
      correct = truth === score.cls;
      metrics?.add(score.z, score.output, score.cls, truth);
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
