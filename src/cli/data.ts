/**
 * Opening the data for a command: the file or stdin, its header (or column
 * numbers with --no-header), Ctrl-C wiring, and the data rows in batches.
 * Every command that reads a CSV goes through `withCsvData`.
 */
import { NeuronError } from '../errors.js';
import { type CsvBatch, type CsvRow, readCsvBatches } from '../io/csv.js';
import type { Columns } from '../neuron/columns.js';
import { openData } from './input.js';
import type { World } from './world.js';

export interface DataOptions {
  readonly delimiter: string;
  /** false: --no-header, the first line is data and columns are named 1, 2, 3, ... */
  readonly header: boolean;
}

/** A batch and the index of its first data row (1 in the first batch, after the header). */
export interface DataBatch {
  readonly batch: CsvBatch;
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
      if (options.header) throw new NeuronError('data', 'the data is empty: no header line', { file }, 'the first line must name the columns');
      throw new NeuronError('data', 'the data is empty', { file }, 'give at least one row');
    }
    const head = first.value;
    const firstRecord = head.cells.slice(0, head.width);
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

/** The data rows one at a time, for commands off the hot path. */
export async function* rowsOf(data: CsvData): AsyncGenerator<CsvRow> {
  for await (const { batch, from } of data.batches) {
    for (let r = from; r < batch.count; r++) {
      yield { record: batch.cells.slice(r * batch.width, (r + 1) * batch.width), line: batch.lines[r] as number };
    }
  }
}
