/**
 * Reading labelled data for `train` and `summary`: the input cells of every
 * row into one Float64Array (doubled when full), the label as a class
 * index, the --sample-weight column, with located errors as `eval` gives
 * them; rows dropped by --missing skip are counted on stderr. What an input
 * cell becomes is the reader's business: train's raw reader keeps numbers
 * and categorical codes (src/learn/design.ts encodes them), summary's
 * applies a model's stored encoding (RowEncoder).
 */
import { NeuronError } from '../errors.js';
import { type ImputeSpec, type RawColumn, type RawTable, strategyFor } from '../learn/design.js';
import { cellNumber, cellText, type Records } from '../neuron/cells.js';
import { type Columns, checkInputNames, defaultInputs, findColumn } from '../neuron/columns.js';
import { oneHotName } from '../neuron/encoding.js';
import { sortLabels } from '../neuron/labels.js';
import { nameProblem } from '../neuron/name-rules.js';
import { badCellError, isMissing, parseNumberCell } from '../neuron/numbers.js';
import { eachRow, withCsvData } from './data.js';
import { checkInterrupt } from './input.js';
import { FLAG_NAMES, LABEL_ROLE, missingHint } from './options.js';
import { planBlocks } from './parallel.js';
import { readTrainingInParallel } from './parallel-train.js';
import { saySkipped } from './skipped.js';
import { TrainRows } from './train-rows.js';
import type { World } from './world.js';

/** train's (and summary's) --missing policies: a missing label cannot be zero. */
export const TRAIN_MISSING = ['error', 'skip'] as const;

/** A missing input in the words of train and summary, which have --missing error|skip. */
export const TRAIN_MISSING_WORDING = { 'missing-value': () => ({ hint: missingHint(TRAIN_MISSING) }) } as const;

/** What the loader reads of the options (summary passes the same). */
export interface DataOptions {
  readonly label: string;
  readonly features?: string[] | undefined;
  /** One label value (class 1), or both classes of two. */
  readonly classes?: readonly string[] | undefined;
  readonly sampleWeight?: string | undefined;
  readonly missing: (typeof TRAIN_MISSING)[number];
  readonly delimiter: string;
  readonly header: boolean;
}

/**
 * Writes the inputs of one record at `into[at ...]`; false when the row is
 * dropped (a missing cell under --missing skip). Throws a located error for
 * a cell it cannot read.
 */
export interface InputReader {
  readonly width: number;
  read(records: Records, r: number, into: Float64Array, at: number): boolean;
}

export interface LoadedData {
  /** rows × reader.width, row-major. */
  readonly x: Float64Array;
  readonly rows: number;
  /** Each row's class: an index into `classes`. */
  readonly y: Int32Array;
  /** Two classes as two-class train orders them (class 0, class 1), or k >= 3 sorted (see sortedLabels). */
  readonly classes: string[];
  readonly sample: Float64Array | undefined;
}

/** Reads the data with the reader `makeReader` builds for its header. */
export async function loadData<R extends InputReader>(
  world: World,
  dataPath: string,
  options: DataOptions,
  makeReader: (columns: Columns, file: string) => R,
  /** train's: a large file read on worker threads (with a RawReader, which they build from these options). */
  parallel?: { readonly threads: number; readonly blockBytes: number; readonly options: RawOptions },
): Promise<LoadedData & { reader: R }> {
  return withCsvData(world, dataPath, options, async (data) => {
    const { file } = data;
    const labelIndex = findColumn(data.columns, options.label, LABEL_ROLE, file);
    const sampleIndex = options.sampleWeight === undefined ? -1 : findColumn(data.columns, options.sampleWeight, '--sample-weight column', file);
    const reader = makeReader(data.columns, file);
    const rows = new TrainRows(reader, options, labelIndex, sampleIndex, file);
    const threads = parallel?.threads ?? 1;
    const plan =
      parallel !== undefined && threads > 1 && reader instanceof RawReader ? planBlocks(data.path, data.headerLines, parallel.blockBytes) : undefined;
    if (plan === undefined || parallel === undefined || !(reader instanceof RawReader)) await eachRow(world, data, rows.visit);
    else {
      const width = data.columns.names.length;
      const setup = { path: data.path, file, delimiter: options.delimiter, width, columns: data.columns, options: parallel.options, labelIndex, sampleIndex };
      const check = () => checkInterrupt(world);
      await readTrainingInParallel({ setup, threads, blockBytes: parallel.blockBytes, plan, lines: data.headerLines, rows, reader, check });
    }
    const { count, skipped, skippedLines, labels } = rows;
    const d = reader.width;
    if (count === 0) {
      const why = skipped > 0 ? `: all ${skipped} had a missing value` : '';
      throw new NeuronError('no-rows', `no data rows to train on${why}`, { file }, 'the data needs rows under its header');
    }
    const codes = rows.y.subarray(0, count);
    const classes = chooseClasses(labels.seen, labels.occurring, options, file);
    // Codes are in order of appearance; the classes' order decides the indices.
    const index = labels.seen.map((value) => classes.indexOf(value));
    for (let i = 0; i < count; i++) codes[i] = index[codes[i] as number] as number;
    saySkipped(world, skipped, skippedLines);
    const weights = rows.sample === undefined ? undefined : checkSampleWeights(rows.sample.subarray(0, count), options.sampleWeight ?? '');
    return { x: rows.x.subarray(0, count * d), rows: count, y: codes, classes, sample: weights, reader };
  });
}

/** Each --sample-weight a number >= 0, not all 0. */
function checkSampleWeights(sample: Float64Array, column: string): Float64Array {
  let total = 0;
  for (let i = 0; i < sample.length; i++) {
    const w = sample[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new NeuronError(
        'bad-row-weight',
        `--sample-weight column ${JSON.stringify(column)}: ${w} on data row ${i + 1} is not a weight`,
        {},
        'row weights are numbers >= 0',
      );
    }
    total += w;
  }
  if (!(total > 0))
    throw new NeuronError('bad-row-weight', `--sample-weight column ${JSON.stringify(column)} is 0 on every row`, {}, 'give some rows a weight above 0');
  return sample;
}

/** The input columns: --features, or every column but the label and --sample-weight; checked against the header. */
export function trainInputs(columns: Columns, options: DataOptions, file: string): { names: string[]; indices: number[] } {
  const labelIndex = findColumn(columns, options.label, LABEL_ROLE, file);
  const features =
    options.features ?? defaultInputs(columns, { label: options.label, dataFile: file, names: FLAG_NAMES }).filter((name) => name !== options.sampleWeight);
  checkInputNames(features, options.features === undefined ? 'the header' : FLAG_NAMES.features, options.features === undefined ? { file, line: 1 } : {});
  if (options.sampleWeight !== undefined && features.includes(options.sampleWeight)) {
    throw new NeuronError(
      'conflicting-options',
      `--sample-weight column ${JSON.stringify(options.sampleWeight)} is also in --features`,
      {},
      'a row weight cannot be a feature',
    );
  }
  const indices = features.map((name) => findColumn(columns, name, '--features column', file));
  if (indices.includes(labelIndex)) {
    throw new NeuronError('label-is-input', `--label column ${JSON.stringify(options.label)} is also in --features`, {}, 'a label cannot be a feature');
  }
  if (features.length === 0) throw new NeuronError('no-inputs', 'no input columns: the data has only the label column', { file }, 'add feature columns');
  return { names: features, indices };
}

/** What train reads of its input options. */
export interface RawOptions extends DataOptions {
  readonly categorical?: readonly string[] | undefined;
  readonly impute?: ImputeSpec | undefined;
}

/**
 * train's reader: each input cell as read, a number (NaN for a missing cell
 * of a column --impute fills), or for a --categorical column the code of its
 * exact text (case and spaces count, as RowEncoder matches categories).
 */
export class RawReader implements InputReader {
  readonly width: number;
  readonly names: readonly string[];
  private readonly indices: readonly number[];
  private readonly imputed: readonly boolean[];
  /** Per input: the categorical column's codes by cell text, or undefined for a numeric column. */
  private readonly codes: readonly (Map<string, number> | undefined)[];

  constructor(
    columns: Columns,
    private readonly options: RawOptions,
    private readonly file: string,
  ) {
    const { names, indices } = trainInputs(columns, options, file);
    for (const [flag, listed] of [
      ['--categorical', options.categorical ?? []],
      ['--impute', [...(options.impute?.columns.keys() ?? [])]],
    ] as const) {
      for (const name of listed) {
        if (names.includes(name)) continue;
        findColumn(columns, name, `${flag} column`, file);
        throw new NeuronError(
          'conflicting-options',
          `${flag} column ${JSON.stringify(name)} is not an input`,
          {},
          `${flag} names input columns (${names.map((n) => JSON.stringify(n)).join(', ')}); add it to --features, or drop it`,
        );
      }
    }
    this.names = names;
    this.indices = indices;
    this.width = names.length;
    this.imputed = names.map((name) => strategyFor(options.impute, name) !== undefined);
    this.codes = names.map((name) => (options.categorical?.includes(name) === true ? new Map<string, number>() : undefined));
  }

  /** The columns as read, for design.ts: a categorical column's levels in order of appearance. */
  table(x: Float64Array, rows: number): RawTable {
    const columns: RawColumn[] = this.names.map((name, j) => {
      const codes = this.codes[j];
      return codes === undefined ? { name } : { name, levels: [...codes.keys()] };
    });
    return { x, rows, columns };
  }

  /** Per input: a categorical column's levels by code (in order of appearance), else undefined. */
  levels(): (string[] | undefined)[] {
    return this.codes.map((codes) => (codes === undefined ? undefined : [...codes.keys()]));
  }

  /** Maps the codes of another reader's `levels` (a block's) to this one's, adding the levels new here. */
  adopt(levels: readonly (readonly string[] | undefined)[]): (Int32Array | undefined)[] {
    return this.codes.map((codes, j) => {
      const theirs = levels[j];
      if (codes === undefined || theirs === undefined) return undefined;
      const map = new Int32Array(theirs.length);
      for (const [code, level] of theirs.entries()) {
        let mine = codes.get(level);
        if (mine === undefined) {
          mine = codes.size;
          codes.set(level, mine);
        }
        map[code] = mine;
      }
      return map;
    });
  }

  read(records: Records, r: number, into: Float64Array, at: number): boolean {
    for (let j = 0; j < this.width; j++) {
      const column = this.indices[j] as number;
      const codes = this.codes[j];
      if (codes !== undefined) {
        const cell = cellText(records, r, column);
        if (isMissing(cell)) {
          if (!this.imputed[j]) return this.missing(cell, j, records, r);
          into[at + j] = Number.NaN;
          continue;
        }
        let code = codes.get(cell);
        if (code === undefined) {
          this.checkCategory(cell, j, records, r);
          code = codes.size;
          codes.set(cell, code);
        }
        into[at + j] = code;
        continue;
      }
      const value = cellNumber(records, r, column);
      if (Number.isNaN(value)) {
        const cell = cellText(records, r, column);
        if (!isMissing(cell)) throw this.notANumber(cell, j, records, r);
        if (!this.imputed[j]) return this.missing(cell, j, records, r);
      }
      into[at + j] = value;
    }
    return true;
  }

  /** A category becomes an input's name in the weights file: it may not hold a control character (name-rules.ts). */
  private checkCategory(cell: string, j: number, records: Records, r: number): void {
    const name = this.names[j] as string;
    const problem = nameProblem(oneHotName(name, cell));
    if (problem !== undefined) {
      throw new NeuronError(
        'bad-column-name',
        `--categorical column ${JSON.stringify(name)}: the category ${JSON.stringify(cell)} ${problem}, and would name an input of the model`,
        this.where(j, records, r),
        'categories become input names: clean the cell',
      );
    }
  }

  /** A missing cell with no fill: the row is dropped (--missing skip), or the error. */
  private missing(cell: string, j: number, records: Records, r: number): false {
    if (this.options.missing === 'skip') return false;
    throw badCellError(cell, this.names[j] as string, this.where(j, records, r));
  }

  /** A cell that is not a number in a column train reads as numbers: perhaps the column is categorical. */
  private notANumber(cell: string, j: number, records: Records, r: number): NeuronError {
    const error = badCellError(cell, this.names[j] as string, this.where(j, records, r));
    const name = this.names[j] as string;
    const flag = /^[A-Za-z0-9_.-]+$/.test(name) ? name : JSON.stringify(name);
    return new NeuronError(error.reason, error.message, error.where, `${error.hint}; if the column holds categories, pass --categorical ${flag}`);
  }

  private where(j: number, records: Records, r: number) {
    return { file: this.file, line: records.lines[r] as number, column: (this.indices[j] as number) + 1 };
  }
}

/**
 * Label values in train's order when nothing names the classes: numeric
 * order when every value is a number, else by UTF-16 code unit (ties in
 * value, such as "1" and "1.0", by code unit).
 */
export function sortedLabels(values: readonly string[]): string[] {
  const numbers = values.map((value) => parseNumberCell(value));
  const numeric = numbers.every((x) => !Number.isNaN(x));
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const order = values.map((_, i) => i);
  order.sort((i, j) =>
    numeric && numbers[i] !== numbers[j] ? (numbers[i] as number) - (numbers[j] as number) : byCodeUnit(values[i] as string, values[j] as string),
  );
  return order.map((i) => values[i] as string);
}

/** The classes from the label values seen and --classes: two as two-class train chooses them, or k >= 3 sorted. */
function chooseClasses(seen: string[], occurring: ReadonlySet<string>, options: DataOptions, file: string): string[] {
  if (occurring.size < 2) {
    throw new NeuronError(
      'one-class',
      `--label column ${JSON.stringify(options.label)} has one class only (${JSON.stringify([...occurring][0] ?? '')})`,
      { file },
      'training needs rows of both classes',
    );
  }
  if (options.classes?.length === 2) return [options.classes[0] ?? '', options.classes[1] ?? ''];
  const wanted = options.classes?.[0];
  if (seen.length > 2) {
    if (wanted !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `--classes ${JSON.stringify(wanted)} names class 1 of two, but the --label column has ${seen.length} classes`,
        {},
        'drop --classes to fit every class (softmax), or keep only rows of two classes',
      );
    }
    return sortedLabels(seen);
  }
  const [a, b] = [seen[0] ?? '', seen[1] ?? ''];
  if (wanted !== undefined) {
    if (wanted !== a && wanted !== b) {
      throw new NeuronError(
        'unknown-class',
        `--classes ${JSON.stringify(wanted)} is not a value of the --label column (${JSON.stringify(a)}, ${JSON.stringify(b)})`,
        {},
        'name one of the label values',
      );
    }
    return wanted === a ? [b, a] : [a, b];
  }
  return sortLabels(a, b);
}
