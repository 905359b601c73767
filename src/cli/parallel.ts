/**
 * Parallel eval of a large file: the main thread reads blocks of whole
 * lines (about 1 MiB), worker threads split and score them (eval-worker.ts),
 * and the main thread writes their output back in file order. At most a few
 * blocks are in flight, so memory stays bounded whatever the file's size.
 *
 * Only for what the fast path handles: a block with a double quote or
 * invalid UTF-8 (or a line longer than a block) stops the parallel run at
 * that block, and the caller reads the rest of the file on one thread, with
 * csv-parse where needed, so results and errors are the same as ever.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type BatchScoring, emptyTally, SKIPPED_SHOWN, scoreBatch, type Tally } from '../core/batch.js';
import { type ErrorCode, NeuronError } from '../core/errors.js';
import type { FormatName, OutputSpec } from '../core/format.js';
import { createRowWriter } from '../core/format.js';
import type { Model } from '../core/model.js';
import type { BindOptions, Columns, ScoreOptions } from '../core/score.js';
import { bindModel, Scorer } from '../core/score.js';
import { splitBlock } from '../io/csv.js';
import type { OutputSink } from '../io/output.js';

/** What every worker needs to rebuild the scorer and the writer. */
export interface WorkerSetup {
  readonly model: Model;
  readonly columns: Columns;
  readonly bind: BindOptions;
  readonly score: ScoreOptions;
  readonly format: FormatName;
  readonly spec: OutputSpec;
  readonly delimiter: string;
  readonly file: string;
}

export interface BlockResult {
  seq: number;
  text: string;
  /** Line breaks in the block. */
  lines: number;
  tally: Tally;
  error?: { code: ErrorCode; message: string; line: number | undefined; column: number | undefined; hint: string | undefined };
}

const BLOCK_BYTES = 256 << 10;

/** Splits and scores one block: the work of a worker, or of the main thread's share. */
export function blockScorer(setup: WorkerSetup): (seq: number, bytes: Uint8Array) => BlockResult {
  const bound = bindModel(setup.model, setup.columns, setup.bind);
  const scoring: BatchScoring = {
    scorer: new Scorer(bound, setup.score),
    writer: createRowWriter(setup.format, setup.spec),
    labels: undefined,
    metrics: undefined,
    file: setup.file,
  };
  const width = setup.columns.names.length;
  return (seq, bytes) => {
    const tally = emptyTally();
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const { batch, error: splitError, lines } = splitBlock(text, setup.delimiter, width, setup.file);
    const scored = scoreBatch(batch.cells, batch.lines, batch.width, 0, batch.count, scoring, tally);
    const failure = scored.error ?? splitError;
    const result: BlockResult = { seq, text: scored.text, lines, tally };
    if (failure instanceof NeuronError) {
      result.error = { code: failure.code, message: failure.message, line: failure.where.line, column: failure.where.column, hint: failure.hint };
    } else if (failure !== undefined) {
      result.error = { code: 'data', message: `internal error: ${String(failure)}`, line: undefined, column: undefined, hint: undefined };
    }
    return result;
  };
}
/** Smaller files are done on one thread: starting the workers costs more than they save. */
export const PARALLEL_MIN_BYTES = 8 << 20;

/**
 * Worker threads to use: one per core, at most NEURON_THREADS (default 2;
 * 1 turns the parallel eval off).
 */
export function parallelWorkers(env: Readonly<Record<string, string | undefined>>): number {
  const limit = /^\d+$/.test(env.NEURON_THREADS ?? '') ? Number(env.NEURON_THREADS) : 2;
  return Math.max(1, Math.min(limit, availableParallelism()));
}

/** Where a single thread must take over: the byte offset and its line number. */
export interface Handover {
  readonly offset: number;
  readonly line: number;
}

/**
 * Scores the file from byte `offset` (line `line`) on worker threads,
 * writing in order into `sink` and counting into `tally`. Returns where a
 * single thread must go on, or undefined when the file is done. Throws the
 * first bad row's error (after writing the rows before it).
 */
export async function scoreInParallel(
  path: string,
  start: Handover,
  setup: WorkerSetup,
  sink: OutputSink,
  tally: Tally,
  signal: AbortSignal | undefined,
  count: number,
): Promise<Handover | undefined> {
  // count - 1 workers; the main thread scores every count-th block itself.
  const workers = Array.from(
    { length: count - 1 },
    () => new Worker(new URL('./eval-worker.js', import.meta.url), { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 16 } }),
  );
  const local = blockScorer(setup);
  const handle = await open(path, 'r');
  const pending = new Map<number, BlockResult>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', (result: BlockResult) => {
      pending.set(result.seq, result);
      wake?.();
    });
    worker.on('error', (error) => {
      failure = error;
      wake?.();
    });
  }
  const next = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  let offset = start.offset;
  let line = start.line;
  let sent = 0;
  let written = 0;
  let stop: Handover | undefined;
  let done = false;
  const inFlight = 2 * count;
  try {
    for (;;) {
      // Keep the workers busy, a bounded number of blocks ahead.
      while (!done && stop === undefined && sent - written < inFlight) {
        const block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
        const { bytesRead } = await handle.read(block, 0, BLOCK_BYTES, offset);
        if (bytesRead === 0) {
          done = true;
          break;
        }
        const end = bytesRead < BLOCK_BYTES ? bytesRead : block.lastIndexOf(10, bytesRead - 1) + 1;
        const bytes = block.subarray(0, end);
        if (end === 0 || bytes.indexOf(34) !== -1 || !isUtf8(bytes)) {
          stop = { offset, line: -1 }; // the line is known once the blocks before are counted
          break;
        }
        const worker = workers[sent % count];
        if (worker === undefined) pending.set(sent, local(sent, bytes));
        else worker.postMessage({ seq: sent, bytes }, [block.buffer]);
        sent++;
        offset += end;
        if (end < BLOCK_BYTES && bytesRead < BLOCK_BYTES) done = true;
      }
      if (written === sent) break;
      // Write the next block in file order once it is back.
      while (!pending.has(written) && failure === undefined) await next();
      if (failure !== undefined) throw failure;
      if (signal?.aborted === true) throw new NeuronError('interrupted', 'interrupted');
      const result = pending.get(written) as BlockResult;
      pending.delete(written);
      written++;
      if (sink.append(result.text) && result.error === undefined) await sink.flush();
      tally.rows += result.tally.rows;
      for (const skipped of result.tally.skippedLines) {
        if (tally.skippedLines.length < SKIPPED_SHOWN) tally.skippedLines.push(line + skipped - 1);
      }
      tally.skipped += result.tally.skipped;
      if (result.error !== undefined) {
        const { code, message, column, hint } = result.error;
        const at = result.error.line === undefined ? undefined : line + result.error.line - 1;
        throw new NeuronError(code, message, { file: setup.file, line: at, column }, hint);
      }
      line += result.lines;
      if (sink.closed) return undefined;
    }
    return stop === undefined ? undefined : { offset: stop.offset, line };
  } finally {
    await handle.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
