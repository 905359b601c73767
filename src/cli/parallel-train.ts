/**
 * train's job on the parallel block reader (parallel.ts): a worker reads
 * each block's rows into a training matrix of its own (TrainRows, with a
 * RawReader built from the same options), its label and category codes in
 * the block's order of appearance; the main thread appends the blocks in
 * file order, mapping their codes to the run's, so the matrix, the codes
 * and the classes are the one thread's.
 */
import type { Columns } from '../neuron/columns.js';
import { type BlockJob, type BlockPlan, type PartSetup, readInParallel, readRest } from './parallel.js';
import { type RawOptions, RawReader } from './train-data.js';
import { type TrainPart, TrainRows } from './train-rows.js';

/** What a worker needs to read blocks as the main thread would. */
export interface TrainSetup extends PartSetup {
  readonly columns: Columns;
  readonly options: RawOptions;
  readonly labelIndex: number;
  /** The --sample-weight column, or -1. */
  readonly sampleIndex: number;
}

/** A fresh reader and rows for one piece of the file: its codes start from nothing. */
function pieceRows(setup: TrainSetup): { reader: RawReader; rows: TrainRows } {
  const reader = new RawReader(setup.columns, setup.options, setup.file);
  return { reader, rows: new TrainRows(reader, setup.options, setup.labelIndex, setup.sampleIndex, setup.file) };
}

/** The worker's side: each block's rows read into a part. */
export function trainBlocks(setup: TrainSetup): BlockJob<TrainPart> {
  return {
    block() {
      const { reader, rows } = pieceRows(setup);
      return {
        visit: rows.visit,
        afterBatch() {},
        finish() {
          const { part, buffers } = rows.part(reader.levels());
          return { part, transfer: buffers };
        },
      };
    },
  };
}

export interface ParallelTraining {
  readonly setup: TrainSetup;
  readonly threads: number;
  readonly blockBytes: number;
  readonly plan: BlockPlan;
  /** The lines before the data (the header's). */
  readonly lines: number;
  /** The run's rows and reader: the blocks are appended to them. */
  readonly rows: TrainRows;
  readonly reader: RawReader;
  /** Throws when the run must stop (Ctrl-C). */
  readonly check: () => void;
}

/** Reads the training data of `run.setup.path` on worker threads into `run.rows`. */
export async function readTrainingInParallel(run: ParallelTraining): Promise<void> {
  const { setup, rows, reader } = run;
  const take = (part: TrainPart, lines: number) => {
    rows.append(part, lines, reader.adopt(part.levels));
    return true;
  };
  await readInParallel<TrainPart>({
    job: { kind: 'train', ...setup },
    threads: run.threads,
    blockBytes: run.blockBytes,
    plan: run.plan,
    lines: run.lines,
    check: run.check,
    take,
    rest: async (from, lines) => {
      // The rest as one more piece, read here.
      const piece = pieceRows(setup);
      await readRest(setup, from, lines, piece.rows.visit, () => {
        run.check();
        return true;
      });
      take(piece.rows.part(piece.reader.levels()).part, lines);
    },
  });
}
