/**
 * Columns: a model bound to the data's columns. `bindModel` matches the
 * weights to column indices once, before the first row.
 */

import { NeuronError } from '../errors.js';
import { encodedInputs } from './encoding.js';
import { type AnyModel, inputCount, isEncoded } from './model.js';
import { refuseBadNames } from './name-rules.js';
import { didYouMean } from './suggest.js';

/** The data's column names, and whether they came from a header line. */
export interface Columns {
  /** Column names: the header, or "1", "2", ... without one. */
  readonly names: readonly string[];
  /** Whether the names came from a header line. */
  readonly fromHeader: boolean;
}

/**
 * How messages name the three options a caller binds with: the CLI passes
 * its flags (`--keep`), a library caller gets the option names.
 */
export interface OptionNames {
  readonly features: string;
  readonly keep: string;
  readonly label: string;
}

export const OPTION_NAMES: OptionNames = { features: 'features', keep: 'keep', label: 'label' };

/** How to bind: inputs named by the caller, kept columns, the label column, file names for messages. */
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
  /** How error messages name the options above (default OPTION_NAMES). */
  readonly names?: OptionNames | undefined;
}

/** A model with its inputs resolved to column indices (from `bindModel`). */
export interface BoundModel<M extends AnyModel = AnyModel> {
  readonly model: M;
  /** The inputs' names, in weight order (a one-hot input is `column=category`). */
  readonly inputNames: readonly string[];
  /** The column each input reads, in weight order (every one-hot input of a column reads that column). */
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
      'unknown-column',
      `${role} ${JSON.stringify(name)} is not a column of the data (columns: ${available})`,
      { file },
      suggestion ?? (columns.fromHeader ? 'check the spelling against the header' : 'without a header, columns are named 1, 2, 3, ...'),
    );
  }
  if (columns.names.indexOf(name, first + 1) !== -1) {
    throw new NeuronError(
      'duplicate-column',
      `${role} ${JSON.stringify(name)} names more than one column of the header`,
      { file, line: 1 },
      'rename the duplicate columns',
    );
  }
  return first;
}

/**
 * The inputs when none are named: every column that is not kept or the
 * label, and has a name (a trailing delimiter on every line makes a
 * column named ""). The one rule for eval, eval --seed, train and
 * random-init --from.
 */
export function defaultInputs(columns: Columns, options: Pick<BindOptions, 'keep' | 'label' | 'dataFile' | 'names'> = {}): string[] {
  const file = options.dataFile;
  const names = options.names ?? OPTION_NAMES;
  const excluded = new Set((options.keep ?? []).map((name) => findColumn(columns, name, `${names.keep} column`, file)));
  if (options.label !== undefined) excluded.add(findColumn(columns, options.label, `${names.label} column`, file));
  return columns.names.filter((name, i) => !excluded.has(i) && name !== '');
}

/** Refuses a list of input names with a name twice (it would score one column twice). */
export function checkUniqueInputs(names: readonly string[], role: string, where: { readonly file?: string | undefined; readonly line?: number } = {}): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      const fromData = where.file !== undefined;
      const hint = fromData ? 'rename the duplicate columns' : 'name each input column once';
      throw new NeuronError(fromData ? 'duplicate-column' : 'repeated-input', `${role} names ${JSON.stringify(name)} twice`, where, hint);
    }
    seen.add(name);
  }
}

/** Names that train and random-init write into a weights file: each once, and each one the loader accepts (names.ts). */
export function checkInputNames(names: readonly string[], role: string, where: { readonly file?: string | undefined; readonly line?: number } = {}): void {
  checkUniqueInputs(names, role, where);
  refuseBadNames(names, role, where);
}

/**
 * Matches a model's inputs to the data's columns (a header's names, or
 * Columns), checking that every feature is there, once, and that the counts
 * agree; `neuron eval` binds this way before its first row.
 * @example
 * ```js
 * import { bindModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4 });
 * bindModel(model, ['id', 'weight', 'height']).inputIndices; // => [2, 1]
 * bindModel(model, ['id', 'hieght', 'weight']); // throws 'feature "height" is not a column of the data (columns: "id", "hieght", "weight")'
 * ```
 */
export function bindModel<M extends AnyModel>(model: M, header: Columns | readonly string[], options: BindOptions = {}): BoundModel<M> {
  const columns: Columns = 'names' in header ? header : { names: header, fromHeader: true };
  const file = options.dataFile;
  const names = options.names ?? OPTION_NAMES;
  const keepIndices = (options.keep ?? []).map((name) => findColumn(columns, name, `${names.keep} column`, file));
  const labelIndex = options.label === undefined ? undefined : findColumn(columns, options.label, `${names.label} column`, file);

  let inputNames: readonly string[];
  let columnNames: readonly string[] | undefined;
  if (isEncoded(model)) {
    if (options.features !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `${names.features} cannot rename the inputs of a model with "categories" or "impute"`,
        { file: options.weightsFile },
        `drop ${names.features}: the model names its input columns`,
      );
    }
    const inputs = encodedInputs(model);
    inputNames = inputs.map((input) => input.name);
    columnNames = inputs.map((input) => input.column);
  } else if (options.features !== undefined) {
    inputNames = options.features;
    checkUniqueInputs(inputNames, names.features);
  } else if (model.features !== undefined) {
    inputNames = model.features;
  } else {
    inputNames = defaultInputs(columns, options);
    checkUniqueInputs(inputNames, 'the header', { file, line: 1 });
  }
  const role = options.features === undefined ? 'feature' : `${names.features} column`;
  const inputIndices = (columnNames ?? inputNames).map((name) => findColumn(columns, name, role, file));
  const count = inputCount(model);
  if (inputNames.length !== count) {
    const where = options.features !== undefined ? `${names.features} names` : 'the data has';
    throw new NeuronError(
      'weights-count',
      `the weights file has ${count} weights but ${where} ${inputNames.length} input columns (${inputNames.map((n) => JSON.stringify(n)).join(', ')})`,
      { file: options.weightsFile },
      `name the input columns with ${names.features}, or add "features" to the weights file`,
    );
  }
  if (labelIndex !== undefined && inputIndices.includes(labelIndex)) {
    throw new NeuronError(
      'label-is-input',
      `${names.label} column ${JSON.stringify(options.label)} is also an input of the model`,
      {},
      `a label cannot be a feature; choose another ${names.label}`,
    );
  }
  return { model, inputNames, inputIndices, keepIndices, labelIndex };
}
