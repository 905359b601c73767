/**
 * Scoring a batch of records into output text: the loop `eval` runs for
 * every chunk of input.
 * Pure: cells in, text and counts out.
 */
import type { RowWriter } from './format.js';
import type { MetricsAccumulator } from './metrics.js';
import type { LabelReader, Score, Scorer } from './score.js';

/** How many skipped line numbers are kept for the message. */
export const SKIPPED_SHOWN = 5;

export interface Tally {
  rows: number;
  correct: number;
  skipped: number;
  /** The first SKIPPED_SHOWN skipped lines. */
  skippedLines: number[];
}

export const emptyTally = (): Tally => ({ rows: 0, correct: 0, skipped: 0, skippedLines: [] });

export interface BatchScoring {
  readonly scorer: Scorer;
  readonly writer: RowWriter;
  readonly labels: LabelReader | undefined;
  readonly metrics: MetricsAccumulator | undefined;
  readonly file: string | undefined;
}

const score: Score = { z: 0, output: 0, cls: 0 };

/**
 * Scores records [from, count) of a batch (record r's cells start at
 * cells[r * width]) and returns their output text. A bad row ends the
 * batch: `error` is set and `text` holds the rows before it.
 */
export function scoreBatch(
  cells: readonly string[],
  lines: readonly number[],
  width: number,
  from: number,
  count: number,
  scoring: BatchScoring,
  tally: Tally,
): { text: string; error: unknown } {
  const { scorer, writer, labels, metrics, file } = scoring;
  let text = '';
  try {
    for (let r = from; r < count; r++) {
      const base = r * width;
      const line = lines[r] as number;
      if (scorer.scoreAt(cells, base, line, file, score) === undefined) {
        if (tally.skipped++ < SKIPPED_SHOWN) tally.skippedLines.push(line);
        continue;
      }
      let correct: boolean | undefined;
      if (labels !== undefined) {
        const truth = labels.truthAt(cells, base, line, file);
        correct = truth === score.cls;
        metrics?.add(score.z, score.output, score.cls, truth);
        if (correct) tally.correct++;
      }
      tally.rows++;
      text += writer.row(cells, base, score, correct);
    }
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}
