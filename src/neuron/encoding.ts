/**
 * Encoding: what a model does to a row's cells before the weights apply,
 * stored in the model so that every command (and every export) does the
 * same. Per input, in weight order:
 * - a numeric input reads its column as a number; a missing cell takes the
 *   column's `impute` fill, if the model has one;
 * - a one-hot input `column=category` (the column is in `categories`) is 1
 *   when the cell is exactly that category (case and spaces count), else 0;
 *   a missing cell takes the column's `impute` category, if any;
 * then `scaling`, if any, standardises each input.
 * The one place that knows these rules: the scorers call `RowEncoder`,
 * the exports read `encodedInputs`.
 */

import { type Location, NeuronError, quote } from '../errors.js';
import type { Records } from './cells.js';
import type { BoundModel } from './columns.js';
import type { ModelBase } from './model.js';
import { badCellError, isMissing, type MissingPolicy, parseNumberIn } from './numbers.js';

/** One input of an encoded model, in weight order. */
export interface EncodedInput {
  /** The input's name in `features`: the column, or `column=category`. */
  readonly name: string;
  /** The data column it reads. */
  readonly column: string;
  /** For a one-hot input: the category that makes it 1. */
  readonly category: string | undefined;
  /** The fill for a missing cell: a number, or (one-hot) a category; undefined: none. */
  readonly fill: number | string | undefined;
}

/** The name of the one-hot input for `category` of `column`. */
export function oneHotName(column: string, category: string): string {
  return `${column}=${category}`;
}

/**
 * What a category the model does not know does at scoring time: an error (default), or every indicator of its column 0 (`--unknown zero`).
 * @example
 * ```js
 * import { unknownPolicies } from 'neuron-cli';
 * unknownPolicies; // => ['error', 'zero']
 * ```
 */
export const unknownPolicies = ['error', 'zero'] as const;
/** One of unknownPolicies. */
export type UnknownPolicy = (typeof unknownPolicies)[number];

type Fail = (path: string, message: string, hint?: string) => never;

/**
 * Each input of an encoded model (`features` must name them), in weight order.
 * @example
 * ```js
 * import { encodedInputs, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: { age: 0.1, 'sex=f': 1, 'sex=m': -1 }, bias: 0, categories: { sex: ['f', 'm'] }, impute: { age: 30 } });
 * encodedInputs(model).map((input) => [input.column, input.category, input.fill]); // => [['age', undefined, 30], ['sex', 'f', undefined], ['sex', 'm', undefined]]
 * ```
 */
export function encodedInputs(model: ModelBase): EncodedInput[] {
  return checkEncoding(model, (path, message, hint) => {
    throw new NeuronError('conflicting-keys', `${path}: ${message}`, {}, hint);
  });
}

/**
 * The inputs of an encoded model, checking that `features`, `categories`
 * and `impute` agree: every category has its one input, no numeric input
 * has a one-hot column's name, every fill names an input and has its type.
 * parseModel calls it with its own `fail`, so the messages name the JSON path.
 */
export function checkEncoding(model: ModelBase, fail: Fail): EncodedInput[] {
  const features = model.features;
  if (features === undefined) {
    return fail('features', 'missing', 'a model with "categories" or "impute" names its inputs: add "features" or give "weights" as an object');
  }
  const categories = model.categories ?? new Map<string, readonly string[]>();
  const oneHot = new Map<string, { column: string; category: string }>();
  for (const [column, list] of categories) {
    for (const category of list) {
      const name = oneHotName(column, category);
      if (oneHot.has(name)) fail(`categories[${JSON.stringify(column)}]`, `${quote(name)} could be two one-hot inputs`, 'rename a column or a category');
      oneHot.set(name, { column, category });
    }
  }
  const fills = model.impute ?? new Map<string, number | string>();
  const inputs = features.map((name, i): EncodedInput => {
    const hot = oneHot.get(name);
    if (hot !== undefined) {
      const fill = fills.get(hot.column);
      return { name, column: hot.column, category: hot.category, fill };
    }
    if (categories.has(name)) {
      fail(
        `features[${i}]`,
        `${quote(name)} is a one-hot column ("categories"), so it is not an input itself`,
        `name its inputs ${quote(oneHotName(name, '<category>'))}`,
      );
    }
    return { name, column: name, category: undefined, fill: fills.get(name) };
  });
  for (const [name, hot] of oneHot) {
    if (!features.includes(name)) {
      fail(
        `categories[${JSON.stringify(hot.column)}]`,
        `the category ${quote(hot.category)} has no input ${quote(name)} in "features"`,
        'give each category its input and weight',
      );
    }
  }
  for (const [column, fill] of fills) {
    const path = `impute[${JSON.stringify(column)}]`;
    const list = categories.get(column);
    if (list !== undefined) {
      if (typeof fill !== 'string' || !list.includes(fill))
        fail(path, `expected one of the categories of ${quote(column)} (${list.map((name) => quote(name)).join(', ')}), got ${JSON.stringify(fill)}`);
    } else if (!features.includes(column)) {
      fail(path, `${quote(column)} is not an input of the model`, 'impute names input columns');
    } else if (typeof fill !== 'number') {
      fail(path, `expected a number (${quote(column)} is a numeric input), got ${JSON.stringify(fill)}`);
    }
  }
  return inputs;
}

export interface EncodeOptions {
  /** A missing cell with no fill: an error (default), skip the row, or 0 (every indicator 0 for a one-hot column). */
  readonly missing?: MissingPolicy | undefined;
  /** A category the model does not know: an error (default), or every indicator of its column 0. */
  readonly unknown?: UnknownPolicy | undefined;
}

/** A one-hot column as the encoder reads it: the cell once, then which input (if any) is 1. */
interface OneHotColumn {
  readonly name: string;
  readonly index: number;
  /** category → the input (weight index) it sets. */
  readonly inputs: ReadonlyMap<string, number>;
  /** The weight index the fill category sets, or -1: none. */
  readonly fillInput: number;
  /** Every weight index of this column (all set to 0 first). */
  readonly all: readonly number[];
}

/** A numeric input as the encoder reads it. */
interface NumericInput {
  readonly input: number;
  readonly index: number;
  readonly name: string;
  readonly fill: number | undefined;
}

/**
 * Turns a row's cells into the model's inputs (encoded, filled, scaled), in
 * weight order. Built once per bound model; `encodeRow` allocates nothing.
 */
export class RowEncoder {
  readonly width: number;
  private readonly numeric: readonly NumericInput[];
  private readonly oneHot: readonly OneHotColumn[];
  private readonly missing: MissingPolicy;
  private readonly unknown: UnknownPolicy;
  private readonly mean: Float64Array | undefined;
  private readonly std: Float64Array | undefined;

  constructor(bound: BoundModel, options: EncodeOptions = {}) {
    const model = bound.model;
    const inputs = model.features !== undefined && (model.categories !== undefined || model.impute !== undefined) ? encodedInputs(model) : undefined;
    this.width = bound.inputIndices.length;
    this.missing = options.missing ?? 'error';
    this.unknown = options.unknown ?? 'error';
    const numeric: NumericInput[] = [];
    const columns = new Map<string, { index: number; inputs: Map<string, number>; fill: string | undefined; all: number[] }>();
    bound.inputIndices.forEach((index, j) => {
      const input = inputs?.[j];
      if (input?.category === undefined) {
        numeric.push({ input: j, index, name: bound.inputNames[j] ?? String(j + 1), fill: typeof input?.fill === 'number' ? input.fill : undefined });
        return;
      }
      let column = columns.get(input.column);
      if (column === undefined) {
        column = { index, inputs: new Map(), fill: typeof input.fill === 'string' ? input.fill : undefined, all: [] };
        columns.set(input.column, column);
      }
      column.inputs.set(input.category, j);
      column.all.push(j);
    });
    this.numeric = numeric;
    this.oneHot = [...columns].map(([name, c]) => ({
      name,
      index: c.index,
      inputs: c.inputs,
      all: c.all,
      fillInput: c.fill === undefined ? -1 : (c.inputs.get(c.fill) ?? -1),
    }));
    const scaling = model.scaling;
    this.mean = scaling === undefined ? undefined : Float64Array.from(scaling.mean);
    this.std = scaling === undefined ? undefined : Float64Array.from(scaling.std);
  }

  /**
   * Writes record `r`'s inputs into `into` (length `width`); false when the
   * row is skipped (--missing skip). Throws a NeuronError naming the file,
   * line and column for a cell that cannot be read.
   */
  encodeRow(records: Records, r: number, file: string | undefined, into: Float64Array): boolean {
    const { text, bounds } = records;
    const base = 2 * r * records.width;
    const line = records.lines[r] as number;
    for (const input of this.numeric) {
      const from = bounds[base + 2 * input.index] as number;
      const to = bounds[base + 2 * input.index + 1] as number;
      let x = parseNumberIn(text, from, to);
      if (Number.isNaN(x)) {
        const cell = text.slice(from, to);
        if (input.fill !== undefined && isMissing(cell)) x = input.fill;
        else if (this.missing === 'error' || !isMissing(cell)) throw badCellError(cell, input.name, { file, line, column: input.index + 1 });
        else if (this.missing === 'skip') return false;
        else x = 0;
      }
      into[input.input] = x;
    }
    for (const column of this.oneHot) {
      for (const j of column.all) into[j] = 0;
      const cell = text.slice(bounds[base + 2 * column.index], bounds[base + 2 * column.index + 1]);
      const hot = column.inputs.get(cell);
      if (hot !== undefined) {
        into[hot] = 1;
      } else if (isMissing(cell)) {
        if (column.fillInput !== -1) into[column.fillInput] = 1;
        else if (this.missing === 'error') throw this.missingCategory(cell, column, file, line);
        else if (this.missing === 'skip') return false;
      } else if (this.unknown === 'error') {
        throw this.unknownCategory(cell, column, file, line);
      }
    }
    const { mean, std } = this;
    if (mean !== undefined && std !== undefined) {
      for (let j = 0; j < this.width; j++) into[j] = ((into[j] as number) - (mean[j] as number)) / (std[j] as number);
    }
    return true;
  }

  private unknownCategory(cell: string, column: OneHotColumn, file: string | undefined, line: number): NeuronError {
    return unknownCategoryError(cell, column.name, [...column.inputs.keys()], { file, line, column: column.index + 1 });
  }

  private missingCategory(cell: string, column: OneHotColumn, file: string | undefined, line: number): NeuronError {
    return missingCategoryError(cell, column.name, { file, line, column: column.index + 1 });
  }
}

/**
 * The error for a category the model does not know (eval's, and the engines'):
 * `prefix` places the cell where a line cannot ("row 3: " in an engine).
 */
export function unknownCategoryError(cell: string, column: string, categories: readonly string[], at: Location, prefix = ''): NeuronError {
  const shown = JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);
  const listed = categories
    .slice(0, 10)
    .map((name) => quote(name))
    .join(', ');
  const all = categories.length > 10 ? `${listed}, … (${categories.length} in all)` : listed;
  return new NeuronError(
    'unknown-category',
    `${prefix}column ${JSON.stringify(column)}: ${shown} is not one of the model's categories (${all})`,
    at,
    'fix the cell, or score it with every indicator of the column 0 (the unknown: "zero" option)',
  );
}

/** The error for a missing cell of a one-hot column without a fill. */
export function missingCategoryError(cell: string, column: string, at: Location, prefix = ''): NeuronError {
  const what = cell.trim() === '' ? 'empty cell' : `missing value ${JSON.stringify(cell)}`;
  return new NeuronError(
    'missing-value',
    `${prefix}column ${JSON.stringify(column)}: ${what} where a category is needed`,
    at,
    'fill in the value or drop the row',
  );
}
