/**
 * Scoring a batch of records into output text: the loop `eval` runs for
 * every chunk of input.
 * Pure: cells in, text and counts out.
 */

import type { MetricsAccumulator } from '../learn/metrics.js';
import type { RowWriter } from '../render/formats.js';
import type { LabelReader } from './labels.js';
import type { Score, Scorer } from './scorer.js';

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
  /** The metrics, or (the parallel eval's workers) a record of what they are fed. */
  readonly metrics: Pick<MetricsAccumulator, 'add'> | undefined;
  readonly file: string | undefined;
}

const score: Score = { z: 0, output: 0, cls: 0 };

/**
 * A batch of records of one width (see CsvBatch in src/io/csv.ts): record
 * r's cells start at cell r * width; either as strings in `cells`, or, from
 * the CSV fast path, as ranges of `text` (cell i is text.slice(bounds[2i],
 * bounds[2i + 1])), read without making a string per cell.
 */
export interface RecordBatch {
  readonly cells: readonly string[];
  readonly lines: readonly number[];
  readonly width: number;
  readonly count: number;
  readonly text: string | undefined;
  readonly bounds: Int32Array | undefined;
}

/**
 * Scores records [from, count) of a batch and returns their output text. A
 * bad row ends the batch: `error` is set and `text` holds the rows before it.
 */
export function scoreBatch(batch: RecordBatch, from: number, scoring: BatchScoring, tally: Tally): { text: string; error: unknown } {
  const { text: source, bounds } = batch;
  if (source !== undefined && bounds !== undefined) return scoreText(source, bounds, batch, from, scoring, tally);
  const { cells, lines, width, count } = batch;
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

/** scoreBatch for cells as ranges of `source`: only the kept cells and the label become strings. */
function scoreText(
  source: string,
  bounds: Int32Array,
  batch: RecordBatch,
  from: number,
  scoring: BatchScoring,
  tally: Tally,
): { text: string; error: unknown } {
  const { lines, width, count } = batch;
  const { scorer, writer, labels, metrics, file } = scoring;
  const keep = writer.reads;
  // One record's cells for the writer: only those it reads are filled in.
  const row: string[] = new Array<string>(width).fill('');
  let text = '';
  try {
    for (let r = from; r < count; r++) {
      const base = r * width;
      const line = lines[r] as number;
      if (scorer.scoreIn(source, bounds, base, line, file, score) === undefined) {
        if (tally.skipped++ < SKIPPED_SHOWN) tally.skippedLines.push(line);
        continue;
      }
      let correct: boolean | undefined;
      if (labels !== undefined) {
        const at = 2 * (base + labels.index);
        const truth = labels.truthOf(source.slice(bounds[at], bounds[at + 1]), line, file);
        correct = truth === score.cls;
        metrics?.add(score.z, score.output, score.cls, truth);
        if (correct) tally.correct++;
      }
      tally.rows++;
      for (let i = 0; i < keep.length; i++) {
        const column = keep[i] as number;
        const at = 2 * (base + column);
        row[column] = source.slice(bounds[at], bounds[at + 1]);
      }
      text += writer.row(row, 0, score, correct);
    }
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}
