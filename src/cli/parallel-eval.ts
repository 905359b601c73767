/**
 * eval's and metrics' job on the parallel block reader (parallel.ts): a
 * worker scores each block's rows with eval's row step (eval-rows.ts),
 * formats them (eval; metrics writes nothing) and records the metrics'
 * inputs; the main thread writes the blocks' output in file order, adds
 * their counts, and adds each row's (z, output, class, truth), or a layer's
 * (k probabilities, class, truth), to the metrics in file order, so every
 * sum is the one thread's.
 */
import { Utf8Builder } from '../io/block-bytes.js';
import type { OutputSink } from '../io/output-sink.js';
import type { MetricsAccumulator } from '../learn/metrics.js';
import type { ClassMetricsAccumulator } from '../learn/multiclass-metrics.js';
import type { BoundModel } from '../neuron/columns.js';
import { LabelReader, type LabelWording } from '../neuron/labels.js';
import { LayerScorer } from '../neuron/layer-scorer.js';
import type { AnyModel } from '../neuron/model.js';
import type { ScoreOptions } from '../neuron/scorer.js';
import { createRowWriter, type FormatName, NO_OUTPUT, type OutputSpec } from '../render/formats.js';
import type { RowVisitor } from './data.js';
import { scoreEach, scorerFor, type Tally } from './eval-rows.js';
import { type BlockJob, type BlockPlan, type PartSetup, readInParallel, readRest } from './parallel.js';
import { SKIPPED_SHOWN } from './skipped.js';

/** What a worker needs to score blocks as the main thread would. */
export interface EvalSetup extends PartSetup {
  /** A softmax layer or one neuron, encoded or not (a model's Maps cross the thread by structured clone). */
  readonly bound: BoundModel<AnyModel>;
  readonly score: ScoreOptions;
  /** The output's format and columns; none for metrics, which writes no rows. */
  readonly output: { readonly format: FormatName; readonly spec: OutputSpec } | undefined;
  readonly label: string | undefined;
  readonly labelWording: LabelWording;
  /** Whether to record the metrics' inputs (one neuron's, or a softmax layer's). */
  readonly metrics: boolean;
}

/** Adds a block's counts to the run's, its skipped lines moved by `lines`. */
function addTally(into: Tally, part: Tally, lines: number): void {
  into.rows += part.rows;
  into.correct += part.correct;
  for (const line of part.skippedLines) if (into.skippedLines.length < SKIPPED_SHOWN) into.skippedLines.push((line as number) + lines);
  into.skipped += part.skipped;
}

export const emptyTally = (): Tally => ({ rows: 0, correct: 0, skipped: 0, skippedLines: [] });

/** The metrics inputs of a block's rows, as they cross the thread: `width` numbers a row, then its predicted and true class. */
export interface RecordedRows {
  readonly width: number;
  readonly values: Float64Array;
  readonly classes: Int32Array;
  readonly length: number;
}

/** Each scored row's metrics inputs, in order, to be added on the main thread. */
class RowRecord implements RecordedRows {
  values: Float64Array;
  classes = new Int32Array(2048);
  length = 0;

  constructor(readonly width: number) {
    this.values = new Float64Array(1024 * width);
  }

  /** Room for one more row; its index. */
  protected next(predicted: number, truth: number): number {
    if (2 * this.length === this.classes.length) {
      const values = new Float64Array(2 * this.values.length);
      values.set(this.values);
      this.values = values;
      const classes = new Int32Array(2 * this.classes.length);
      classes.set(this.classes);
      this.classes = classes;
    }
    this.classes[2 * this.length] = predicted;
    this.classes[2 * this.length + 1] = truth;
    return this.length++;
  }
}

/** One neuron's rows: z and the output (MetricsAccumulator's inputs). */
class MetricsRecord extends RowRecord {
  constructor() {
    super(2);
  }

  add(z: number, output: number, cls: 0 | 1, truth: 0 | 1): void {
    const i = this.next(cls, truth);
    this.values[2 * i] = z;
    this.values[2 * i + 1] = output;
  }
}

/** A softmax layer's rows: the k probabilities (ClassMetricsAccumulator's inputs). */
class ClassMetricsRecord extends RowRecord {
  add(p: ArrayLike<number>, predicted: number, truth: number): void {
    const i = this.next(predicted, truth);
    for (let c = 0; c < this.width; c++) this.values[i * this.width + c] = p[c] as number;
  }
}

/** A block's scored rows, from a worker. */
export interface EvalPart {
  /** The rows' output as UTF-8 (empty for metrics). */
  readonly text: Uint8Array;
  readonly tally: Tally;
  readonly metrics: RecordedRows | undefined;
}

/** The worker's side: each block's rows scored, formatted and recorded. */
export function evalBlocks(setup: EvalSetup): BlockJob<EvalPart> {
  const scorer = scorerFor(setup.bound, setup.score);
  const writer = setup.output === undefined ? NO_OUTPUT : createRowWriter(setup.output.format, setup.output.spec);
  const labels = setup.label === undefined ? undefined : new LabelReader(setup.bound, setup.label, setup.labelWording);
  const layer = scorer instanceof LayerScorer;
  /** The output of the rows of the batch being scored, then of the block, as UTF-8. */
  const rows = { text: '' };
  const out = new Utf8Builder();
  return {
    block() {
      const tally = emptyTally();
      const metrics = setup.metrics && !layer ? new MetricsRecord() : undefined;
      const classMetrics = setup.metrics && layer ? new ClassMetricsRecord(scorer.k) : undefined;
      const recorded = metrics ?? classMetrics;
      const visit = scoreEach({ scorer, writer, labels, metrics, classMetrics, file: setup.file, tally }, setup.width, rows);
      return {
        visit,
        afterBatch() {
          out.append(rows.text);
          rows.text = '';
        },
        finish() {
          const text = out.take();
          const transfer = [text.buffer as ArrayBuffer];
          if (recorded !== undefined) transfer.push(recorded.values.buffer as ArrayBuffer, recorded.classes.buffer as ArrayBuffer);
          return { part: { text, tally, metrics: recorded }, transfer };
        },
      };
    },
  };
}

/** A block's rows added, in order, to the run's metrics of either kind. */
function replay(record: RecordedRows, run: Pick<ParallelEval, 'metrics' | 'classMetrics'>): void {
  const { values, classes, width } = record;
  for (let i = 0; i < record.length; i++) {
    const predicted = classes[2 * i] as number;
    const truth = classes[2 * i + 1] as number;
    run.metrics?.add(values[2 * i] as number, values[2 * i + 1] as number, predicted as 0 | 1, truth as 0 | 1);
    run.classMetrics?.add(values.subarray(i * width, (i + 1) * width), predicted, truth);
  }
}

export interface ParallelEval {
  readonly setup: EvalSetup;
  readonly threads: number;
  readonly blockBytes: number;
  readonly plan: BlockPlan;
  /** The lines before the data (the header's). */
  readonly lines: number;
  /** Where the rows' output goes (none for metrics). */
  readonly sink: OutputSink | undefined;
  readonly tally: Tally;
  readonly metrics: Pick<MetricsAccumulator, 'add'> | undefined;
  /** A softmax layer's metrics (then `metrics` is undefined). */
  readonly classMetrics: Pick<ClassMetricsAccumulator, 'add'> | undefined;
  /** The main thread's own step for a row and its output text, for the rest of a file after a quote. */
  readonly visit: RowVisitor;
  readonly out: { text: string };
  /** Throws when the run must stop (Ctrl-C). */
  readonly check: () => void;
}

/** Scores the data of `run.setup.path` on worker threads, written in order into the sink. */
export async function scoreInParallel(run: ParallelEval): Promise<void> {
  const { setup, sink, tally } = run;
  await readInParallel<EvalPart>({
    job: { kind: 'eval', ...setup },
    threads: run.threads,
    blockBytes: run.blockBytes,
    plan: run.plan,
    lines: run.lines,
    check: run.check,
    take: async (part, lines) => {
      if (part.metrics !== undefined) replay(part.metrics, run);
      addTally(tally, part.tally, lines);
      if (sink === undefined) return true;
      await sink.writeBytes(part.text);
      return !sink.closed;
    },
    rest: async (from, lines) => {
      // The visitor counts into the run's tally: its skipped lines from here on are moved afterwards.
      const shown = tally.skippedLines.length;
      try {
        await readRest(setup, from, lines, run.visit, async () => {
          run.check();
          const text = run.out.text;
          run.out.text = '';
          if (sink === undefined) return true;
          if (sink.append(text)) await sink.flush();
          return !sink.closed;
        });
      } finally {
        for (let i = shown; i < tally.skippedLines.length; i++) tally.skippedLines[i] = (tally.skippedLines[i] as number) + lines;
      }
    },
  });
}
