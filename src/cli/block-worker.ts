/**
 * A worker thread of the parallel block reader (parallel.ts): it reads the
 * blocks it is sent from the file itself, gives their rows to its job
 * (eval's and metrics' in parallel-eval.ts, train's in parallel-train.ts)
 * and sends back each block's result, its buffers moved, not copied.
 */
import { closeSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { NeuronError } from '../errors.js';
import { BlockInput } from '../io/block-bytes.js';
import { nextLineStart } from '../io/line-starts.js';
import { countLineBreaks } from '../io/utf8.js';
import { type BlockJob, type BlockOrder, type BlockResult, type PartSetup, readPart, sendError } from './parallel.js';

const setup = workerData as PartSetup & { readonly kind: 'eval' | 'train' };
const fd = openSync(setup.path, 'r');
/** One buffer for every block's bytes: a block is parsed before the next is read. */
const input = new BlockInput();
// Only the job's own modules are loaded.
const job: BlockJob<unknown> =
  setup.kind === 'train' ? (await import('./parallel-train.js')).trainBlocks(workerData) : (await import('./parallel-eval.js')).evalBlocks(workerData);

/**
 * A block's bytes in pieces of PIECE_BYTES, as the one thread reads a file: each piece's
 * rows are a batch, whose output is encoded before the next is parsed, so little is alive
 * on the heap when the young generation is collected.
 */
const PIECE_BYTES = 64 * 1024;

function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) yield bytes.subarray(at, at + PIECE_BYTES);
}

async function readBlock({ seq, from, to, first, size }: BlockOrder): Promise<{ result: BlockResult<unknown>; transfer: ArrayBuffer[] }> {
  const start = first ? from : nextLineStart(fd, from, size);
  const end = nextLineStart(fd, to, size);
  const bytes = input.read(fd, start, Math.max(start, end));
  const breaks = countLineBreaks(bytes, bytes.length, false).breaks;
  const rows = job.block();
  const error = await readPart(Readable.from(pieces(bytes)), setup, rows.visit, () => {
    rows.afterBatch();
    return true;
  });
  // The block ends inside a quoted field: where the next block starts is no record start.
  if (error instanceof NeuronError && error.reason === 'unclosed-quote') {
    return { result: { seq, start, quoted: true, breaks, part: undefined, error: undefined }, transfer: [] };
  }
  const { part, transfer } = rows.finish();
  return { result: { seq, start, quoted: false, breaks, part, error: error === undefined ? undefined : sendError(error) }, transfer };
}

// Blocks are read one at a time, in the order they come.
let queue = Promise.resolve();
parentPort?.on('message', (block: BlockOrder) => {
  queue = queue.then(async () => {
    const { result, transfer } = await readBlock(block);
    parentPort?.postMessage(result, transfer);
  });
});
parentPort?.on('close', () => closeSync(fd));
