/**
 * A worker thread of the parallel eval (see parallel.ts): it gets blocks of
 * whole lines, scores them and sends back the output text; the main thread
 * puts the blocks back in file order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { blockScorer, type WorkerSetup } from './parallel.js';

const score = blockScorer(workerData as WorkerSetup);
parentPort?.on('message', ({ seq, bytes }: { seq: number; bytes: Uint8Array }) => {
  parentPort?.postMessage(score(seq, bytes));
});
