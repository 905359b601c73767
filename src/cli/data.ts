/**
 * Opening the data for a command: the file or stdin, its header (or column
 * numbers with --no-header), Ctrl-C wiring, and the data rows in batches.
 * Every command that reads a CSV goes through `withCsvData`.
 */
import { NeuronError } from '../errors.js';
import { readCsvBatches } from '../io/csv.js';
import { type Records, recordOf } from '../neuron/cells.js';
import type { Columns } from '../neuron/columns.js';
import { checkInterrupt, openData } from './input.js';
import type { World } from './world.js';

export interface DataOptions {
  readonly delimiter: string;
  /** false: --no-header, the first line is data and columns are named 1, 2, 3, ... */
  readonly header: boolean;
}

/** A batch and the index of its first data row (1 in the first batch, after the header). */
export interface DataBatch {
  readonly batch: Records;
  readonly from: number;
}

export interface CsvData {
  /** The name used in messages (`<stdin>` for standard input). */
  readonly file: string;
  /** The path as given (`-` for standard input). */
  readonly path: string;
  readonly columns: Columns;
  /** The lines up to the end of the header (0 with --no-header): the data rows start after them. */
  readonly headerLines: number;
  /** The data rows, never the header, in batches. Read once. */
  readonly batches: AsyncIterable<DataBatch>;
}

/** Runs `use` over the data, and closes the input afterwards, also on error or Ctrl-C. */
export async function withCsvData<T>(world: World, dataPath: string, options: DataOptions, use: (data: CsvData) => Promise<T>): Promise<T> {
  const input = await openData(world, dataPath);
  const file = input.file;
  const batches = readCsvBatches(input.stream, { file, delimiter: options.delimiter });
  const abort = () => input.stream.destroy(new NeuronError('interrupted', 'interrupted'));
  world.signal?.addEventListener('abort', abort, { once: true });
  try {
    const first = await batches.next();
    if (first.done === true) {
      if (options.header) throw new NeuronError('empty-data', 'the data is empty: no header line', { file }, 'the first line must name the columns');
      throw new NeuronError('empty-data', 'the data is empty', { file }, 'give at least one row');
    }
    const head = first.value;
    const firstRecord = recordOf(head, 0);
    const columns: Columns = options.header ? { names: firstRecord, fromHeader: true } : { names: firstRecord.map((_, i) => String(i + 1)), fromHeader: false };
    async function* all(): AsyncGenerator<DataBatch> {
      yield { batch: head, from: options.header ? 1 : 0 };
      for await (const batch of batches) yield { batch, from: 0 };
    }
    const headerLines = options.header ? (head.lines[0] as number) : 0;
    return await use({ file, path: dataPath, columns, headerLines, batches: all() });
  } finally {
    world.signal?.removeEventListener('abort', abort);
    await batches.return(undefined);
  }
}

/** What a command does with one data row, record `r` of `records`: `false` stops the reading. */
export type RowVisitor = (records: Records, r: number) => unknown;

/**
 * The one loop over the data rows, for every command: each batch's rows in
 * order, Ctrl-C heard between batches. `afterBatch` (eval writes its output
 * there) returns false to stop. A visitor that throws stops the reading.
 */
export async function eachRow(world: World, data: CsvData, visit: RowVisitor, afterBatch?: () => Promise<boolean>): Promise<void> {
  for await (const { batch, from } of data.batches) {
    checkInterrupt(world);
    for (let r = from; r < batch.count; r++) if (visit(batch, r) === false) return;
    if (afterBatch !== undefined && !(await afterBatch())) return;
  }
}
