/**
 * Scoring: the neuron itself. `bindModel` matches the weights to column
 * indices once, before the first row; `Scorer.score` then evaluates one
 * record (an array of cell strings) with no allocation beyond its result.
 */
import { type ActivationName, activations } from './activations.js';
import { NeuronError } from './errors.js';
import type { Model } from './model.js';
import { explainBadNumber, isMissing, type MissingPolicy, parseNumberCell, parseNumberIn } from './numbers.js';
import { didYouMean } from './suggest.js';

export interface Columns {
  /** Column names: the header, or "1", "2", ... without one. */
  readonly names: readonly string[];
  /** Whether the names came from a header line. */
  readonly fromHeader: boolean;
}

export interface BindOptions {
  /** Input columns named on the command line; weights are then taken in this order. */
  readonly features?: readonly string[] | undefined;
  /** Columns passed through to the output. */
  readonly keep?: readonly string[] | undefined;
  /** Ground-truth column, never an input. */
  readonly label?: string | undefined;
  /** For error messages. */
  readonly weightsFile?: string | undefined;
  readonly dataFile?: string | undefined;
}

/** A model with its inputs resolved to column indices. */
export interface BoundModel {
  readonly model: Model;
  readonly inputNames: readonly string[];
  readonly inputIndices: readonly number[];
  readonly keepIndices: readonly number[];
  readonly labelIndex: number | undefined;
}

/** Index of column `name`, or a NeuronError listing the columns there are. */
export function findColumn(columns: Columns, name: string, role: string, file: string | undefined): number {
  const first = columns.names.indexOf(name);
  if (first === -1) {
    const available = columns.names.map((n) => JSON.stringify(n)).join(', ');
    const suggestion = didYouMean(name, columns.names);
    throw new NeuronError(
      'data',
      `${role} ${JSON.stringify(name)} is not a column of the data (columns: ${available})`,
      { file },
      suggestion ?? (columns.fromHeader ? 'check the spelling against the header' : 'without a header, columns are named 1, 2, 3, ...'),
    );
  }
  if (columns.names.indexOf(name, first + 1) !== -1) {
    throw new NeuronError(
      'data',
      `${role} ${JSON.stringify(name)} names more than one column of the header`,
      { file, line: 1 },
      'rename the duplicate columns',
    );
  }
  return first;
}

/**
 * The inputs when none are named: every column that is not --keep or the
 * --label, and has a name (a trailing delimiter on every line makes a
 * column named ""). The one rule for eval, eval --seed, train and
 * random-init --from.
 */
export function defaultInputs(columns: Columns, options: Pick<BindOptions, 'keep' | 'label' | 'dataFile'> = {}): string[] {
  const file = options.dataFile;
  const excluded = new Set((options.keep ?? []).map((name) => findColumn(columns, name, '--keep column', file)));
  if (options.label !== undefined) excluded.add(findColumn(columns, options.label, '--label column', file));
  return columns.names.filter((name, i) => !excluded.has(i) && name !== '');
}

/** Refuses a list of input names with a name twice (it would score one column twice). */
export function checkUniqueInputs(names: readonly string[], role: string, where: { readonly file?: string | undefined; readonly line?: number } = {}): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      const fromData = where.file !== undefined;
      const hint = fromData ? 'rename the duplicate columns' : 'name each input column once';
      throw new NeuronError(fromData ? 'data' : 'usage', `${role} names ${JSON.stringify(name)} twice`, where, hint);
    }
    seen.add(name);
  }
}

export function bindModel(model: Model, columns: Columns, options: BindOptions = {}): BoundModel {
  const file = options.dataFile;
  const keepIndices = (options.keep ?? []).map((name) => findColumn(columns, name, '--keep column', file));
  const labelIndex = options.label === undefined ? undefined : findColumn(columns, options.label, '--label column', file);

  let inputNames: readonly string[];
  if (options.features !== undefined) {
    inputNames = options.features;
    checkUniqueInputs(inputNames, '--features');
  } else if (model.features !== undefined) {
    inputNames = model.features;
  } else {
    inputNames = defaultInputs(columns, options);
    checkUniqueInputs(inputNames, 'the header', { file, line: 1 });
  }
  const role = options.features === undefined ? 'feature' : '--features column';
  const inputIndices = inputNames.map((name) => findColumn(columns, name, role, file));

  if (inputNames.length !== model.weights.length) {
    const where = options.features !== undefined ? '--features names' : 'the data has';
    throw new NeuronError(
      'weights',
      `the weights file has ${model.weights.length} weights but ${where} ${inputNames.length} input columns (${inputNames.map((n) => JSON.stringify(n)).join(', ')})`,
      { file: options.weightsFile },
      'name the input columns with --features, or add "features" to the weights file',
    );
  }
  if (labelIndex !== undefined && inputIndices.includes(labelIndex)) {
    throw new NeuronError(
      'usage',
      `--label column ${JSON.stringify(options.label)} is also an input of the model`,
      {},
      'a label cannot be a feature; choose another --label',
    );
  }
  return { model, inputNames, inputIndices, keepIndices, labelIndex };
}

/**
 * A standardised model's input (train --standardize): x' = (x - mean) / std.
 * The one formula for eval, explain and export (which writes it out).
 */
export function standardise(x: number, mean: number, std: number): number {
  return (x - mean) / std;
}

/** The result of scoring one row. */
export interface Score {
  z: number;
  output: number;
  /** 0 or 1: index into model.classes. */
  cls: 0 | 1;
}

export interface ScoreOptions {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
  /** A missing value (empty, NA, ...) in an input: an error (default), skip the row, or read it as 0. */
  readonly missing?: MissingPolicy | undefined;
}

export class Scorer {
  readonly activation: ActivationName;
  readonly threshold: number | undefined;
  private readonly fn: (z: number) => number;
  private readonly weights: Float64Array;
  private readonly indices: Int32Array;
  private readonly bias: number;
  private readonly missing: MissingPolicy;
  /** Whether the command has --missing, so that errors can point to it. */
  private readonly missingOption: boolean;
  private readonly mean: Float64Array | undefined;
  private readonly std: Float64Array | undefined;

  constructor(
    readonly bound: BoundModel,
    options: ScoreOptions = {},
  ) {
    this.activation = options.activation ?? bound.model.activation;
    this.threshold = options.threshold ?? bound.model.threshold;
    this.fn = activations[this.activation].fn;
    this.weights = Float64Array.from(bound.model.weights);
    this.indices = Int32Array.from(bound.inputIndices);
    this.bias = bound.model.bias;
    this.missing = options.missing ?? 'error';
    this.missingOption = options.missing !== undefined;
    const scaling = bound.model.scaling;
    this.mean = scaling === undefined ? undefined : Float64Array.from(scaling.mean);
    this.std = scaling === undefined ? undefined : Float64Array.from(scaling.std);
  }

  /**
   * z, the activation output and the class for one record, written into
   * `into`; undefined when the row is skipped for a missing value
   * (--missing skip). `line` and `file` only serve error messages. Throws a
   * NeuronError for a cell that is not a number or a z that overflows.
   */
  score(record: readonly string[], line: number, file: string | undefined, into: Score): Score | undefined {
    return this.scoreAt(record, 0, line, file, into);
  }

  /** As `score`, for the record whose first cell is cells[base] (a batch of records in one array). */
  scoreAt(cells: readonly string[], base: number, line: number, file: string | undefined, into: Score): Score | undefined {
    const { weights, indices, mean, std } = this;
    let z = this.bias;
    for (let i = 0; i < indices.length; i++) {
      const column = indices[i] as number;
      const cell = cells[base + column] as string;
      let x = parseNumberCell(cell);
      if (Number.isNaN(x)) {
        const value = this.unreadable(cell, column, line, file);
        if (value === undefined) return undefined;
        x = value;
      }
      if (mean !== undefined && std !== undefined) x = standardise(x, mean[i] as number, std[i] as number);
      z += (weights[i] as number) * x;
    }
    return this.finish(z, line, file, into);
  }

  /**
   * As `scoreAt`, for cells given as ranges of `text`: cell i of the batch
   * is text.slice(bounds[2 * i], bounds[2 * i + 1]) (see CsvBatch).
   */
  scoreIn(text: string, bounds: Int32Array, base: number, line: number, file: string | undefined, into: Score): Score | undefined {
    const { weights, indices, mean, std } = this;
    let z = this.bias;
    for (let i = 0; i < indices.length; i++) {
      const column = indices[i] as number;
      const at = 2 * (base + column);
      const from = bounds[at] as number;
      const to = bounds[at + 1] as number;
      let x = parseNumberIn(text, from, to);
      if (Number.isNaN(x)) {
        const value = this.unreadable(text.slice(from, to), column, line, file);
        if (value === undefined) return undefined;
        x = value;
      }
      if (mean !== undefined && std !== undefined) x = standardise(x, mean[i] as number, std[i] as number);
      z += (weights[i] as number) * x;
    }
    return this.finish(z, line, file, into);
  }

  /**
   * What a cell that is not a number counts as: an error, or with --missing,
   * a missing value counts as 0 (zero) or skips the row (undefined).
   */
  private unreadable(cell: string, column: number, line: number, file: string | undefined): 0 | undefined {
    if (this.missing === 'error' || !isMissing(cell)) throw this.badCell(cell, column, line, file);
    return this.missing === 'skip' ? undefined : 0;
  }

  /** The activation and class for a z already computed. */
  finish(z: number, line: number, file: string | undefined, into: Score): Score {
    if (!Number.isFinite(z)) {
      throw new NeuronError('data', `z = w·x + b overflows to ${z} on this row`, { file, line }, 'scale the inputs or the weights down');
    }
    const output = this.fn(z);
    into.z = z;
    into.output = output;
    into.cls = (this.threshold === undefined ? z >= 0 : output >= this.threshold) ? 1 : 0;
    return into;
  }

  private badCell(cell: string, column: number, line: number, file: string | undefined): NeuronError {
    const { problem, hint: generic } = explainBadNumber(cell);
    const hint = this.missingOption && isMissing(cell) ? 'fill in the value, or pass --missing skip (drop the row) or --missing zero' : generic;
    const name = this.bound.inputNames[this.indices.indexOf(column)] ?? String(column + 1);
    return new NeuronError('data', `column ${JSON.stringify(name)}: ${problem}`, { file, line, column: column + 1 }, hint);
  }
}

/**
 * Reads the true class from the --label column: a class name or 0/1, else
 * a NeuronError naming the row and the value.
 */
export class LabelReader {
  /** The label's column. */
  readonly index: number;

  constructor(
    private readonly bound: BoundModel,
    private readonly label: string,
    private readonly hint = 'set "classes" in the weights file to the label values',
  ) {
    this.index = bound.labelIndex ?? -1;
  }

  /** The class of the record at cells[base]. */
  truthAt(cells: readonly string[], base: number, line: number, file: string | undefined): 0 | 1 {
    return this.truthOf(cells[base + this.index] ?? '', line, file);
  }

  /** The class of a label cell's text. */
  truthOf(value: string, line: number, file: string | undefined): 0 | 1 {
    const classes = this.bound.model.classes;
    const truth = labelClass(value, classes);
    if (truth !== undefined) return truth;
    throw new NeuronError(
      'data',
      `--label column ${JSON.stringify(this.label)}: ${JSON.stringify(value)} is neither a class name (${classes.map((c) => JSON.stringify(c)).join(', ')}) nor 0/1`,
      { file, line, column: this.index + 1 },
      this.hint,
    );
  }
}

/** Is `label` class 0 or class 1? Labels may be class names or 0/1. */
export function labelClass(label: string, classes: readonly [string, string]): 0 | 1 | undefined {
  const text = label.trim();
  if (text === classes[0]) return 0;
  if (text === classes[1]) return 1;
  if (text === '0') return 0;
  if (text === '1') return 1;
  return undefined;
}
