/**
 * Parallel eval of a regular file. The data after the header is cut into
 * blocks of whole lines (line-starts.ts); worker threads (eval-worker.ts)
 * each read, parse, score and format a block into a buffer of output, and
 * the main thread writes the buffers in file order. At most two blocks per
 * worker are in flight, so memory does not grow with the file.
 *
 * The result is the one thread's, byte for byte:
 * - each block is read by the same reader and scored by the same loop as
 *   the whole file is, with line numbers counted from the block's start and
 *   moved by the lines before it (known once the blocks before are back);
 * - errors: a block stops at its first bad row and returns the rows before
 *   it; blocks are written in order, so the first bad row in the file is
 *   the one reported, and nothing after it is written;
 * - the metrics: workers return each row's (z, output, class, truth), or a
 *   layer's (k probabilities, class, truth), and
 *   the main thread adds them in file order, so every sum is the same;
 * - a quoted field may hold line breaks, and a cut at a line start could
 *   fall inside one. A block's start is a record start if the block before
 *   it started at one and its parse ended outside any quote; so a block
 *   whose parse ends inside an open quoted field (the reader's unclosed-quote
 *   error at its end) is not used, and from its start the rest of the file
 *   is read on the main thread, as one stream.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { type ErrorReason, NeuronError } from '../errors.js';
import { readCsvBatches } from '../io/csv.js';
import { isGzip } from '../io/gzip.js';
import { afterLines } from '../io/line-starts.js';
import type { OutputSink } from '../io/output-sink.js';
import type { MetricsAccumulator } from '../learn/metrics.js';
import type { ClassMetricsAccumulator } from '../learn/multiclass-metrics.js';
import type { BoundModel } from '../neuron/columns.js';
import type { LabelWording } from '../neuron/labels.js';
import type { AnyModel } from '../neuron/model.js';
import type { ScoreOptions } from '../neuron/scorer.js';
import type { FormatName, OutputSpec } from '../render/formats.js';
import type { RowVisitor } from './data.js';
import type { Tally } from './eval-rows.js';
import { SKIPPED_SHOWN } from './skipped.js';

/** The bytes of input per block (the hidden --block-bytes changes it, for tests). */
export const BLOCK_BYTES = 256 * 1024;

/** Blocks scored ahead of the one being written, per worker. */
const WINDOW = 4;

/** Files with fewer blocks than this (8 MiB) are read on one thread: starting workers would cost more than they save. */
export const MIN_BLOCKS = 32;

/** What a worker needs to score blocks as the main thread would. */
export interface WorkerSetup {
  readonly path: string;
  readonly file: string;
  readonly delimiter: string;
  readonly width: number;
  /** A softmax layer or one neuron, encoded or not (a model's Maps cross the thread by structured clone). */
  readonly bound: BoundModel<AnyModel>;
  readonly score: ScoreOptions;
  readonly format: FormatName;
  readonly spec: OutputSpec;
  readonly label: string | undefined;
  readonly labelWording: LabelWording;
  /** Whether to record the metrics' inputs (one neuron's, or a softmax layer's). */
  readonly metrics: boolean;
}

/**
 * Where the blocks of a data file start and end, or undefined when it is
 * read on one thread: standard input, a pipe, gzip (which cannot be cut),
 * or a file of fewer than MIN_BLOCKS blocks. `headerLines`: the lines before the data.
 */
export function planBlocks(path: string, headerLines: number, blockBytes: number): { start: number; size: number } | undefined {
  if (path === '-') return undefined;
  let found: ReturnType<typeof afterLines>;
  try {
    found = afterLines(path, headerLines);
  } catch {
    return undefined; // the one-thread reader reports what is wrong with the file
  }
  if (found === undefined || isGzip(found.head)) return undefined;
  // Without a header, the data starts at the file's start: after its byte-order mark, if any.
  const bom = found.offset === 0 && found.head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  const start = bom ? 3 : found.offset;
  if (found.size - start < MIN_BLOCKS * blockBytes) return undefined;
  return { start, size: found.size };
}

/** A NeuronError as plain data, to cross a thread; `internal` for anything else. */
export type SentError =
  | {
      readonly kind: 'neuron';
      readonly reason: ErrorReason;
      readonly message: string;
      readonly where: NeuronError['where'];
      readonly hint: string | undefined;
    }
  | { readonly kind: 'internal'; readonly message: string };

export function sendError(error: unknown): SentError {
  if (error instanceof NeuronError) return { kind: 'neuron', reason: error.reason, message: error.message, where: error.where, hint: error.hint };
  return { kind: 'internal', message: (error as Error)?.message ?? String(error) };
}

/** The error back as it was, its line moved by `lines` (the lines before the block). */
function receiveError(sent: SentError, lines: number): Error {
  if (sent.kind === 'internal') return new Error(sent.message);
  const line = sent.where.line === undefined ? undefined : sent.where.line + lines;
  return new NeuronError(sent.reason, sent.message, { ...sent.where, line }, sent.hint);
}

/** Adds a block's counts to the run's, its skipped lines moved by `lines`. */
function addTally(into: Tally, part: Tally, lines: number): void {
  into.rows += part.rows;
  into.correct += part.correct;
  for (const line of part.skippedLines) if (into.skippedLines.length < SKIPPED_SHOWN) into.skippedLines.push((line as number) + lines);
  into.skipped += part.skipped;
}

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
export class MetricsRecord extends RowRecord {
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
export class ClassMetricsRecord extends RowRecord {
  add(p: ArrayLike<number>, predicted: number, truth: number): void {
    const i = this.next(predicted, truth);
    for (let c = 0; c < this.width; c++) this.values[i * this.width + c] = p[c] as number;
  }
}

/** A block's rows added, in order, to the run's metrics of either kind. */
function replay(record: RecordedRows, run: Pick<ParallelRun, 'metrics' | 'classMetrics'>): void {
  const { values, classes, width } = record;
  for (let i = 0; i < record.length; i++) {
    const predicted = classes[2 * i] as number;
    const truth = classes[2 * i + 1] as number;
    run.metrics?.add(values[2 * i] as number, values[2 * i + 1] as number, predicted as 0 | 1, truth as 0 | 1);
    run.classMetrics?.add(values.subarray(i * width, (i + 1) * width), predicted, truth);
  }
}

/**
 * Reads a piece of the file (starting at a line after the header) and
 * scores it with `visit`, which appends each row's output to `out.text`:
 * that goes to `emit` after each batch, until it resolves to false.
 * Returns the first error (its line counted from the piece's start), or
 * undefined; the rows before it have been emitted.
 */
export async function scorePart(
  input: Readable,
  setup: Pick<WorkerSetup, 'file' | 'delimiter' | 'width'>,
  visit: RowVisitor,
  out: { text: string },
  emit: (text: string) => boolean | Promise<boolean>,
): Promise<unknown> {
  try {
    for await (const batch of readCsvBatches(input, { file: setup.file, delimiter: setup.delimiter, part: { width: setup.width } })) {
      let error: unknown;
      try {
        for (let r = 0; r < batch.count; r++) visit(batch, r);
      } catch (thrown) {
        error = thrown;
      }
      const text = out.text;
      out.text = '';
      const more = await emit(text);
      if (error !== undefined) return error;
      if (!more) return undefined;
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

export const emptyTally = (): Tally => ({ rows: 0, correct: 0, skipped: 0, skippedLines: [] });

/** A block's outcome, from a worker. */
export interface BlockResult {
  readonly seq: number;
  /** Where the block starts and ends (its first and next line starts). */
  readonly start: number;
  readonly end: number;
  /** The block ends inside a quoted field: its rows are not used, and the next block's start is no record start. */
  readonly quoted: boolean;
  /** Line breaks in the block. */
  readonly breaks: number;
  readonly text: Uint8Array;
  readonly tally: Tally;
  readonly metrics: RecordedRows | undefined;
  readonly error: SentError | undefined;
}

export interface ParallelRun {
  readonly setup: WorkerSetup;
  readonly threads: number;
  readonly blockBytes: number;
  /** The data's first byte (after the header) and the lines before it. */
  readonly start: number;
  readonly lines: number;
  readonly size: number;
  readonly sink: OutputSink;
  readonly tally: Tally;
  readonly metrics: MetricsAccumulator | undefined;
  /** A softmax layer's metrics (then `metrics` is undefined). */
  readonly classMetrics: ClassMetricsAccumulator | undefined;
  /** The main thread's own step for a row and its output text, for the rest of a file after a quote. */
  readonly visit: RowVisitor;
  readonly out: { text: string };
  /** Throws when the run must stop (Ctrl-C). */
  readonly check: () => void;
}

/** Scores the data of `run.setup.path` on worker threads, written in order into the sink. */
export async function scoreInParallel(run: ParallelRun): Promise<void> {
  const { setup, threads, blockBytes, start, size, sink, tally } = run;
  const blocks = Math.ceil((size - start) / blockBytes);
  const results = new Map<number, BlockResult>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  // Loaded only here: a small file never needs threads (start-up time).
  const { Worker } = await import('node:worker_threads');
  const busy = new Map<Worker, number>();
  const workers = Array.from({ length: Math.min(threads, blocks) }, () => {
    const worker = new Worker(new URL('./eval-worker.js', import.meta.url), { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    worker.on('message', (result: BlockResult) => {
      results.set(result.seq, result);
      busy.set(worker, (busy.get(worker) as number) - 1);
      dispatch();
      wake?.();
    });
    worker.on('error', (error) => {
      failure = error;
      wake?.();
    });
    return worker;
  });
  // Each worker has one block to score and one queued, so it never waits for the main thread;
  // blocks done but not yet written (a slower worker has the next one) are at most WINDOW.
  for (const worker of workers) busy.set(worker, 0);
  let next = 0;
  let written = 0;
  let stopped = false;
  function dispatch(): void {
    for (const worker of workers) {
      while (!stopped && next < blocks && next - written < WINDOW * workers.length && (busy.get(worker) as number) < 2) {
        const from = start + next * blockBytes;
        worker.postMessage({ seq: next, from, to: Math.min(size, from + blockBytes), first: next === 0, size });
        busy.set(worker, (busy.get(worker) as number) + 1);
        next++;
      }
    }
  }
  let lines = run.lines;
  try {
    dispatch();
    for (let seq = 0; seq < blocks; seq++) {
      while (!results.has(seq) && failure === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failure !== undefined) throw failure;
      const result = results.get(seq) as BlockResult;
      results.delete(seq);
      written++;
      run.check();
      if (result.quoted) {
        stopped = true;
        await scoreRest(run, result.start, lines);
        return;
      }
      dispatch();
      if (result.metrics !== undefined) replay(result.metrics, run);
      addTally(tally, result.tally, lines);
      await sink.writeBytes(result.text);
      if (result.error !== undefined) {
        stopped = true;
        throw receiveError(result.error, lines);
      }
      if (sink.closed) return;
      lines += result.breaks;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The file from byte `from` (after `lines` lines) to its end, on this thread, as one stream. */
async function scoreRest(run: ParallelRun, from: number, lines: number): Promise<void> {
  const { setup, sink, tally } = run;
  // The visitor counts into the run's tally: its skipped lines from here on are moved afterwards.
  const shown = tally.skippedLines.length;
  const input = createReadStream(setup.path, { start: from, highWaterMark: 64 * 1024 });
  const error = await scorePart(input, setup, run.visit, run.out, async (text) => {
    run.check();
    if (sink.append(text)) await sink.flush();
    return !sink.closed;
  });
  for (let i = shown; i < tally.skippedLines.length; i++) tally.skippedLines[i] = (tally.skippedLines[i] as number) + lines;
  if (error !== undefined) throw receiveError(sendError(error), lines);
}
