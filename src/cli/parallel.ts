/**
 * The parallel block reader, for eval, metrics and train. The data of a
 * regular file after the header is cut into blocks of whole lines
 * (line-starts.ts); worker threads (block-worker.ts) each read their
 * blocks from the file, parse them into the one shape of cells and run a
 * job over the rows (parallel-eval.ts: score and format; parallel-train.ts:
 * the training matrix), returning one result per block; the main thread
 * takes the results in file order. A worker has one block to read and one
 * queued, and at most WINDOW blocks a worker are done ahead of the one
 * being taken, so memory does not grow with the file.
 *
 * The outcome is the one thread's, byte for byte:
 * - each block is read by the same reader and each row goes through the
 *   same step as on one thread, with line numbers counted from the block's
 *   start and moved by the lines before it (known once the blocks before
 *   are back);
 * - errors: a block stops at its first bad row and returns the rows before
 *   it; blocks are taken in order, so the first bad row in the file is the
 *   one reported, and nothing after it is used;
 * - a quoted field may hold line breaks, and a cut at a line start could
 *   fall inside one. A block's start is a record start if the block before
 *   it started at one and its parse ended outside any quote; so a block
 *   whose parse ends inside an open quoted field (the reader's unclosed-quote
 *   error at its end) is not used, and from its start the rest of the file
 *   is read on the main thread, as one stream (`rest`).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { type ErrorReason, NeuronError } from '../errors.js';
import { readCsvBatches } from '../io/csv.js';
import { isGzip } from '../io/gzip.js';
import { afterLines } from '../io/line-starts.js';
import type { RowVisitor } from './data.js';

/** The bytes of input per block (the hidden --block-bytes changes it, for tests). */
export const BLOCK_BYTES = 256 * 1024;

/** Blocks read ahead of the one being taken, per worker. */
const WINDOW = 4;

/**
 * Each worker's young generation, MB. With blocks read in 64 KiB pieces little survives a
 * scavenge (--trace-gc-nvp at 1M rows: 7.1 MB copied at 8 or 16 MB), so 8 MB costs about
 * 5% more CPU than 16 and keeps a 2-thread eval under 150 MB (136-138 MB against 153-155).
 */
const YOUNG_MB = 8;

/** Files with fewer blocks than this (8 MiB) are read on one thread: starting workers would cost more than they save. */
export const MIN_BLOCKS = 32;

/** What every job's worker needs to read its blocks. */
export interface PartSetup {
  readonly path: string;
  readonly file: string;
  readonly delimiter: string;
  /** Every record's width (the header's). */
  readonly width: number;
}

/** Where the data of a file starts (after the header) and ends. */
export interface BlockPlan {
  readonly start: number;
  readonly size: number;
}

/**
 * Where the blocks of a data file start and end, or undefined when it is
 * read on one thread: standard input, a pipe, gzip (which cannot be cut),
 * or a file of fewer than MIN_BLOCKS blocks. `headerLines`: the lines before the data.
 */
export function planBlocks(path: string, headerLines: number, blockBytes: number): BlockPlan | undefined {
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

/**
 * Reads a piece of the file (starting at a line after the header) and
 * gives each row to `visit`, then calls `afterBatch` after each batch,
 * until it resolves to false. Returns the first error (its line counted
 * from the piece's start), or undefined; the rows before it have been
 * visited and their batch's `afterBatch` called.
 */
export async function readPart(
  input: Readable,
  setup: Omit<PartSetup, 'path'>,
  visit: RowVisitor,
  afterBatch: () => boolean | Promise<boolean>,
): Promise<unknown> {
  try {
    for await (const batch of readCsvBatches(input, { file: setup.file, delimiter: setup.delimiter, part: { width: setup.width } })) {
      let error: unknown;
      try {
        for (let r = 0; r < batch.count; r++) visit(batch, r);
      } catch (thrown) {
        error = thrown;
      }
      const more = await afterBatch();
      if (error !== undefined) return error;
      if (!more) return undefined;
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * The file from byte `from` (after `lines` lines) to its end, on this
 * thread, as one stream: the rows go to `visit` with line numbers counted
 * from `from` (the caller moves those it keeps); an error is thrown with
 * its line in the whole file.
 */
export async function readRest(setup: PartSetup, from: number, lines: number, visit: RowVisitor, afterBatch: () => boolean | Promise<boolean>): Promise<void> {
  const input = createReadStream(setup.path, { start: from, highWaterMark: 64 * 1024 });
  const error = await readPart(input, setup, visit, afterBatch);
  if (error !== undefined) throw receiveError(sendError(error), lines);
}

/** A job's work on one block's rows. */
export interface BlockRows<P> {
  readonly visit: RowVisitor;
  /** After each batch of rows. */
  afterBatch(): void;
  /** The block's result (the rows before an error, if one stopped it) and the buffers to move with it. */
  finish(): { part: P; transfer: ArrayBuffer[] };
}

/** A job, as a worker runs it: the work for each block. */
export interface BlockJob<P> {
  block(): BlockRows<P>;
}

/** What a worker sends back for a block; `P` is the job's own result. */
export interface BlockResult<P> {
  readonly seq: number;
  /** Where the block starts (its first line start). */
  readonly start: number;
  /** The block ends inside a quoted field: its rows are not used, and the next block's start is no record start. */
  readonly quoted: boolean;
  /** Line breaks in the block. */
  readonly breaks: number;
  readonly part: P | undefined;
  readonly error: SentError | undefined;
}

/** A block as the main thread sends it to a worker. */
export interface BlockOrder {
  readonly seq: number;
  /** The block's nominal range: it holds the lines that start in it. */
  readonly from: number;
  readonly to: number;
  /** `from` is the data's first byte, a line start by construction. */
  readonly first: boolean;
  readonly size: number;
}

export interface ParallelRead<P> {
  /** The worker's data (block-worker.ts): its job's setup. */
  readonly job: PartSetup & { readonly kind: string };
  readonly threads: number;
  readonly blockBytes: number;
  readonly plan: BlockPlan;
  /** The lines before the data (the header's). */
  readonly lines: number;
  /** Takes a block's result, its rows after `lines` lines of the file, in file order; false stops the reading. */
  readonly take: (part: P, lines: number) => boolean | Promise<boolean>;
  /** Reads the file from byte `from` (after `lines` lines) to its end on this thread: a block ended inside a quoted field. */
  readonly rest: (from: number, lines: number) => Promise<void>;
  /** Throws when the run must stop (Ctrl-C). */
  readonly check: () => void;
}

/** Reads the data of `run.job.path` on worker threads, each block's result taken in file order. */
export async function readInParallel<P>(run: ParallelRead<P>): Promise<void> {
  const { threads, blockBytes, plan } = run;
  const { start, size } = plan;
  const blocks = Math.ceil((size - start) / blockBytes);
  const results = new Map<number, BlockResult<P>>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  // Loaded only here: a small file never needs threads (start-up time).
  const { Worker } = await import('node:worker_threads');
  const busy = new Map<Worker, number>();
  const workers = Array.from({ length: Math.min(threads, blocks) }, () => {
    const worker = new Worker(new URL('./block-worker.js', import.meta.url), { workerData: run.job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    worker.on('message', (result: BlockResult<P>) => {
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
  // Each worker has one block to read and one queued, so it never waits for the main thread;
  // blocks done but not yet taken (a slower worker has the next one) are at most WINDOW a worker.
  for (const worker of workers) busy.set(worker, 0);
  let next = 0;
  let taken = 0;
  let stopped = false;
  function dispatch(): void {
    for (const worker of workers) {
      while (!stopped && next < blocks && next - taken < WINDOW * workers.length && (busy.get(worker) as number) < 2) {
        const from = start + next * blockBytes;
        const order: BlockOrder = { seq: next, from, to: Math.min(size, from + blockBytes), first: next === 0, size };
        worker.postMessage(order);
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
      const result = results.get(seq) as BlockResult<P>;
      results.delete(seq);
      taken++;
      run.check();
      if (result.quoted) {
        stopped = true;
        await run.rest(result.start, lines);
        return;
      }
      dispatch();
      const more = result.part === undefined || (await run.take(result.part, lines));
      if (result.error !== undefined) {
        stopped = true;
        throw receiveError(result.error, lines);
      }
      if (!more) return;
      lines += result.breaks;
    }
  } finally {
    stopped = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
