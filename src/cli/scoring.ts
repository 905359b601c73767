/**
 * Shared by `metrics` and `explain`: open the data, read its header, bind
 * the weights to its columns and hand over the rows, as `eval` does.
 */
import { NeuronError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import { type BoundModel, bindModel, type Columns, labelClass } from '../core/score.js';
import { type CsvRow, readCsv } from '../io/csv.js';
import { readWeightsFile } from '../io/files.js';
import { openData } from './input.js';
import type { World } from './world.js';

export interface ScoringOptions {
  weights: string;
  features?: string[];
  label?: string;
  delimiter: string;
  header: boolean;
}

export interface ScoringInput {
  readonly model: Model;
  readonly bound: BoundModel;
  readonly file: string;
  /** The data rows, without the header; row numbers count from 1 in this order. */
  readonly rows: AsyncIterable<CsvRow>;
}

/**
 * Runs `use` over the bound data and closes the input afterwards, also on
 * error or Ctrl-C.
 */
export async function withScoringInput<T>(world: World, dataPath: string, options: ScoringOptions, use: (input: ScoringInput) => Promise<T>): Promise<T> {
  const model = await readWeightsFile(options.weights);
  const input = await openData(world, dataPath);
  const rows = readCsv(input.stream, { file: input.file, delimiter: options.delimiter });
  const abort = () => input.stream.destroy(new NeuronError('interrupted', 'interrupted'));
  world.signal?.addEventListener('abort', abort, { once: true });
  try {
    const first = await rows.next();
    if (first.done === true) {
      throw new NeuronError('data', 'the data is empty: no header line', { file: input.file }, 'the first line must name the columns');
    }
    const columns: Columns = options.header
      ? { names: first.value.record, fromHeader: true }
      : { names: first.value.record.map((_, i) => String(i + 1)), fromHeader: false };
    const bound = bindModel(model, columns, { features: options.features, label: options.label, weightsFile: options.weights, dataFile: input.file });
    const headerless = options.header ? [] : [first.value];
    async function* all(): AsyncGenerator<CsvRow> {
      yield* headerless;
      yield* rows;
    }
    return await use({ model, bound, file: input.file, rows: all() });
  } finally {
    world.signal?.removeEventListener('abort', abort);
    await rows.return(undefined);
  }
}

/** The row's true class from the --label column: a class name or 0/1, else a located error (as `eval`). */
export function truthOf(row: CsvRow, bound: BoundModel, label: string, file: string): 0 | 1 {
  const index = bound.labelIndex as number;
  const classes = bound.model.classes;
  const truth = labelClass(row.record[index] ?? '', classes);
  if (truth === undefined) {
    throw new NeuronError(
      'data',
      `--label column ${JSON.stringify(label)}: ${JSON.stringify(row.record[index])} is neither a class name (${classes.map((c) => JSON.stringify(c)).join(', ')}) nor 0/1`,
      { file, line: row.line, column: index + 1 },
      'set "classes" in the weights file to the label values',
    );
  }
  return truth;
}
