/**
 * A worker thread of the parallel eval (parallel.ts): it reads the blocks
 * it is sent from the file itself, scores them as the main thread would,
 * and sends back each block's output as UTF-8 bytes (moved, not copied).
 */
import { closeSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { NeuronError } from '../errors.js';
import { nextLineStart, readRange } from '../io/line-starts.js';
import { countLineBreaks } from '../io/utf8.js';
import { LabelReader } from '../neuron/labels.js';
import { LayerScorer } from '../neuron/layer-scorer.js';
import { createRowWriter } from '../render/formats.js';
import { scoreEach, scorerFor } from './eval-rows.js';
import { type BlockResult, ClassMetricsRecord, emptyTally, MetricsRecord, scorePart, sendError, type WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const fd = openSync(setup.path, 'r');
const scorer = scorerFor(setup.bound, setup.score);
const writer = createRowWriter(setup.format, setup.spec);
const labels = setup.label === undefined ? undefined : new LabelReader(setup.bound, setup.label, setup.labelWording);
/** The output of the rows of the batch being scored. */
const rows = { text: '' };

interface Block {
  seq: number;
  /** The block's nominal range: it holds the lines that start in it. */
  from: number;
  to: number;
  /** `from` is the data's first byte, a line start by construction. */
  first: boolean;
  size: number;
}

async function scoreBlock({ seq, from, to, first, size }: Block): Promise<{ result: BlockResult; transfer: ArrayBuffer[] }> {
  const start = first ? from : nextLineStart(fd, from, size);
  const end = nextLineStart(fd, to, size);
  const bytes = readRange(fd, start, Math.max(start, end));
  const tally = emptyTally();
  const empty = { seq, start, end, breaks: 0, text: new Uint8Array(0), tally, metrics: undefined, error: undefined };
  const breaks = countLineBreaks(bytes, bytes.length, false).breaks;
  const layer = scorer instanceof LayerScorer;
  const metrics = setup.metrics && !layer ? new MetricsRecord() : undefined;
  const classMetrics = setup.metrics && layer ? new ClassMetricsRecord(scorer.k) : undefined;
  const recorded = metrics ?? classMetrics;
  let out = '';
  const visit = scoreEach({ scorer, writer, labels, metrics, classMetrics, file: setup.file, tally }, setup.width, rows);
  const error = await scorePart(Readable.from([bytes]), setup, visit, rows, (text) => {
    out += text;
    return true;
  });
  // The block ends inside a quoted field: where the next block starts is no record start.
  if (error instanceof NeuronError && error.reason === 'unclosed-quote') return { result: { ...empty, quoted: true }, transfer: [] };
  // A buffer of its own (not from Buffer's shared pool), so it can be moved to the main thread.
  const text = Buffer.allocUnsafeSlow(Buffer.byteLength(out));
  text.write(out);
  const result: BlockResult = { ...empty, quoted: false, breaks, text, metrics: recorded, error: error === undefined ? undefined : sendError(error) };
  const transfer = [text.buffer as ArrayBuffer];
  if (recorded !== undefined) transfer.push(recorded.values.buffer as ArrayBuffer, recorded.classes.buffer as ArrayBuffer);
  return { result, transfer };
}

// Blocks are scored one at a time, in the order they come.
let queue = Promise.resolve();
parentPort?.on('message', (block: Block) => {
  queue = queue.then(async () => {
    const { result, transfer } = await scoreBlock(block);
    parentPort?.postMessage(result, transfer);
  });
});
parentPort?.on('close', () => closeSync(fd));
