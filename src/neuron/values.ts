/**
 * Scoring numbers directly, for the library: `scoreValues(model, [4, 80])`.
 * No file names, header flags, string cells, line numbers or result objects
 * to pass in. Built on the Scorer and LayerScorer that `neuron eval` runs, so
 * z, the output and the class are the same doubles (test/properties/values.test.ts
 * checks it against the command line on random models and rows).
 */

import { NeuronError, quote } from '../errors.js';
import type { ActivationName } from './activations.js';
import { type BoundModel, bindModel } from './columns.js';
import { encodedInputs, type UnknownPolicy } from './encoding.js';
import { type LayerScore, LayerScorer, layerScore } from './layer-scorer.js';
import { type AnyModel, inputCount, isEncoded, isSoftmax, type Model, type SoftmaxModel } from './model.js';
import { badCellError, parseNumberCell } from './numbers.js';
import { type Score, Scorer, standardizeValue } from './scorer.js';

/** What scoring one row gives: z = w·x + b, the activation output, and the class by name and index. */
export interface Prediction {
  readonly z: number;
  readonly output: number;
  /** The class name: `model.classes[classIndex]`. */
  readonly class: string;
  /** 0 or 1: the index into `model.classes`. */
  readonly classIndex: 0 | 1;
}

/** What scoring one row with a softmax layer gives: each class's z = wᵢ·x + bᵢ and probability, in `classes` order, and the class. */
export interface SoftmaxPrediction {
  readonly z: readonly number[];
  /** softmax(z): k probabilities that sum to 1. */
  readonly probabilities: readonly number[];
  /** The class name: the largest z, the first in `classes` order on a tie. */
  readonly class: string;
  /** Its index into `model.classes`. */
  readonly classIndex: number;
}

/** Overrides of the model's activation and threshold, as `eval --activation` and `--threshold` (one neuron only). */
export interface PredictOptions {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
  /** scoreRecord with a model with "categories": a category it does not know is an error (default), or every indicator of the column 0. */
  readonly unknown?: UnknownPolicy | undefined;
}

/** The names of a model's inputs: its features, else "1", "2", ... in weight order. */
export function inputNamesOf(model: AnyModel): readonly string[] {
  return model.features ?? Array.from({ length: inputCount(model) }, (_, i) => String(i + 1));
}

/** A model bound to inputs given in weight order (no data columns to match). */
function boundInOrder<M extends AnyModel>(model: M): BoundModel<M> {
  const names = inputNamesOf(model);
  return { model, inputNames: names, inputIndices: names.map((_, i) => i), keepIndices: [], labelIndex: undefined };
}

/**
 * Checks that `values` are the inputs `names` call for: a list of finite
 * numbers, one per input (a NeuronError naming the first that is not).
 */
export function checkValues(names: readonly string[], values: ArrayLike<number>): void {
  const isList = Array.isArray(values) || values instanceof Float64Array || values instanceof Float32Array;
  if (!isList || values.length !== names.length) {
    const got = isList ? `${values.length} value${values.length === 1 ? '' : 's'}` : quote(values);
    throw new NeuronError(
      'ragged-row',
      `expected ${names.length} input value${names.length === 1 ? '' : 's'}, one per weight (${names.map((n) => JSON.stringify(n)).join(', ')}), got ${got}`,
      {},
      'give the inputs as an array of numbers in weight order',
    );
  }
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NeuronError(
        'not-a-number',
        `input ${JSON.stringify(names[i])}: expected a finite number, got ${typeof x === 'number' ? x : quote(x)}`,
        {},
        'give every input as a finite number',
      );
    }
  }
}

/** --activation and --threshold belong to one neuron: refused for a softmax layer. */
function checkLayerOptions(model: SoftmaxModel, options: PredictOptions): void {
  for (const key of ['activation', 'threshold'] as const) {
    if (options[key] !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `${key} does not apply to a softmax model (${model.classes.length} classes): the class is the largest z`,
        {},
        `drop the ${key} option`,
      );
    }
  }
}

function layerPrediction(model: SoftmaxModel, score: { readonly z: Float64Array; readonly p: Float64Array; readonly cls: number }): SoftmaxPrediction {
  return { z: Array.from(score.z), probabilities: Array.from(score.p), class: model.classes[score.cls] as string, classIndex: score.cls };
}

/**
 * A softmax layer's scorer over numbers in weight order (encoded, before
 * scaling): checks each row, standardises it by the model's scaling, and
 * gives the same sums as a record's row in `neuron eval`. The LayerScore it
 * returns is reused from call to call. Shared by scoreValues and metricsOf.
 */
export function layerValueScorer(model: SoftmaxModel): (values: ArrayLike<number>) => LayerScore {
  const names = inputNamesOf(model);
  const scorer = new LayerScorer(boundInOrder(model));
  const into = layerScore(model.classes.length);
  const x = new Float64Array(names.length);
  const scaling = model.scaling;
  return (values) => {
    checkValues(names, values);
    for (let j = 0; j < x.length; j++) {
      const v = values[j] as number;
      x[j] = scaling === undefined ? v : standardizeValue(v, scaling.mean[j] as number, scaling.std[j] as number);
    }
    return scorer.finish(x, undefined, undefined, into);
  };
}

/**
 * One model's scorer over numbers in weight order: checks each row (one
 * finite number per weight) and returns its prediction. Shared by
 * scoreValues, explainValues and metricsOf, so a loop over rows builds the
 * Scorer once.
 */
export function valueScorer(
  model: Model,
  options: PredictOptions = {},
): { readonly scorer: Scorer; readonly score: (values: ArrayLike<number>) => Prediction } {
  const names = inputNamesOf(model);
  const scorer = new Scorer(boundInOrder(model), options);
  const score = (values: ArrayLike<number>): Prediction => {
    checkValues(names, values);
    const result: Score = { z: 0, output: 0, cls: 0 };
    scorer.scoreValues(values, result);
    return { z: result.z, output: result.output, class: model.classes[result.cls], classIndex: result.cls };
  };
  return { scorer, score };
}

/**
 * Scores one row given as numbers in weight order: the same z, output and
 * class as `neuron eval` gives for a CSV row with these numbers. For a
 * softmax layer, each class's z and probability and the winning class. For
 * a model with "categories" the numbers are its inputs after encoding (each
 * `column=category` input 1 or 0; scoreRecord encodes a record's cells).
 * @example
 * ```js
 * import { parseModel, scoreValues } from 'neuron-cli';
 * const model = parseModel({ weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * // z = 0.5·4 + 0.05·80 - 4 = 2; sigmoid(2) = 1 / (1 + e^-2) = 0.88079707797788...
 * scoreValues(model, [4, 80]); // => { z: 2, output: 0.8807970779778824, class: 'Obese', classIndex: 1 }
 * scoreValues(model, [4, 80], { threshold: 0.9 }).class; // => 'Not Obese'
 * scoreValues(model, Float64Array.of(4, 80)).z; // => 2
 * scoreValues(model, [4, Number.NaN]); // throws 'input "2": expected a finite number, got NaN'
 * scoreValues(model, [4]); // throws 'expected 2 input values, one per weight ("1", "2"), got 1 value'
 * const layer = parseModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
 * // z = (2, 0, -2); softmax = exp(z - 2) / Σ exp(z - 2)
 * const p = scoreValues(layer, [2]);
 * [p.z, p.class, p.classIndex, p.probabilities.map((x) => x.toFixed(4))]; // => [[2, 0, -2], 'a', 0, ['0.8668', '0.1173', '0.0159']]
 * scoreValues(layer, [2], { threshold: 0.5 }); // throws 'threshold does not apply to a softmax model (3 classes): the class is the largest z'
 * ```
 */
export function scoreValues(model: Model, values: ArrayLike<number>, options?: PredictOptions): Prediction;
export function scoreValues(model: SoftmaxModel, values: ArrayLike<number>, options?: PredictOptions): SoftmaxPrediction;
export function scoreValues(model: AnyModel, values: ArrayLike<number>, options?: PredictOptions): Prediction | SoftmaxPrediction;
export function scoreValues(model: AnyModel, values: ArrayLike<number>, options: PredictOptions = {}): Prediction | SoftmaxPrediction {
  if (isSoftmax(model)) {
    checkLayerOptions(model, options);
    return layerPrediction(model, layerValueScorer(model)(values));
  }
  return valueScorer(model, options).score(values);
}

/**
 * Scores one record given by column name (an object such as a CSV row read
 * with column names, or a JSON row): the model's features are taken from it
 * by name, in any order; other keys are ignored. A string value is read as
 * `neuron eval` reads a cell (`" 4.5"` is 4.5, `"4,5"` is an error). For a
 * model with "categories" and "impute", a one-hot column's value is its
 * category by name, and a missing value (`""`, `"NA"`, ...) takes the fill,
 * as in `neuron eval`.
 * @example
 * ```js
 * import { parseModel, scoreRecord } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4 });
 * scoreRecord(model, { id: 'p01', weight: '80', height: 4 }).z; // => 2
 * scoreRecord(model, { height: '4,5', weight: 80 }); // throws 'column "height": "4,5" is not a number'
 * const encoded = parseModel({ weights: { age: 0.1, 'sex=f': 1, 'sex=m': -1 }, bias: 0, categories: { sex: ['f', 'm'] }, impute: { age: 30 } });
 * scoreRecord(encoded, { sex: 'm', age: 20 }).z; // => 1
 * scoreRecord(encoded, { sex: 'f', age: 'NA' }).z; // => 4
 * scoreRecord(encoded, { sex: 'x', age: 20 }); // throws 'column "sex": "x" is not one of the model\'s categories ("f", "m")'
 * scoreRecord(encoded, { sex: 'x', age: 20 }, { unknown: 'zero' }).z; // => 2
 * ```
 */
export function scoreRecord(model: Model, record: Readonly<Record<string, number | string>>, options?: PredictOptions): Prediction;
export function scoreRecord(model: SoftmaxModel, record: Readonly<Record<string, number | string>>, options?: PredictOptions): SoftmaxPrediction;
export function scoreRecord(model: AnyModel, record: Readonly<Record<string, number | string>>, options?: PredictOptions): Prediction | SoftmaxPrediction;
export function scoreRecord(model: AnyModel, record: Readonly<Record<string, number | string>>, options: PredictOptions = {}): Prediction | SoftmaxPrediction {
  if (typeof record !== 'object' || record === null) {
    throw new NeuronError('not-a-record', `expected a record (an object of column name to value), got ${quote(record)}`, {}, 'give the row as an object');
  }
  if (isEncoded(model)) return scoreEncodedRecord(model, record, options);
  return scoreValues(model, recordValues(model, record), options);
}

/** The value of `name` in a record, or an error naming the keys it has. */
function recordValue(record: Readonly<Record<string, number | string>>, name: string, role: string, hint: string): number | string {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  const available = Object.keys(record)
    .map((key) => JSON.stringify(key))
    .join(', ');
  throw new NeuronError('unknown-column', `${role} ${JSON.stringify(name)} is not in the record (keys: ${available})`, {}, hint);
}

/** The model's inputs read from a record by name, in weight order. */
function recordValues(model: AnyModel, record: Readonly<Record<string, number | string>>): number[] {
  const features = model.features;
  if (features === undefined) {
    throw new NeuronError(
      'positional-weights',
      'the weights are positional (no "features"), so a record cannot be matched by name',
      {},
      'use scoreValues, or add "features"',
    );
  }
  return features.map((name) => {
    const value = recordValue(record, name, 'feature', 'give every feature of the model');
    if (typeof value === 'number') return value;
    const x = parseNumberCell(value);
    if (Number.isNaN(x)) throw badCellError(value, name, {});
    return x;
  });
}

/**
 * An encoded model on a record: its columns' values as cells, through the
 * encoder `neuron eval` runs (RowEncoder), so one-hot, fills and scaling
 * follow the one set of rules. A number is its shortest round-trip text,
 * which reads back as the same double.
 */
function scoreEncodedRecord(model: AnyModel, record: Readonly<Record<string, number | string>>, options: PredictOptions): Prediction | SoftmaxPrediction {
  const columns = [...new Set(encodedInputs(model).map((input) => input.column))];
  const cells = columns.map((column) => {
    const value = recordValue(record, column, 'column', 'give every input column of the model');
    if (typeof value === 'string') return value;
    if (!Number.isFinite(value))
      throw new NeuronError(
        'not-a-number',
        `column ${JSON.stringify(column)}: expected a finite number, got ${value}`,
        {},
        'give every input as a finite number',
      );
    return String(value);
  });
  const encode = { unknown: options.unknown };
  try {
    if (isSoftmax(model)) {
      checkLayerOptions(model, options);
      const into = layerScore(model.classes.length);
      new LayerScorer(bindModel(model, columns), encode).score(cells, 1, undefined, into);
      return layerPrediction(model, into);
    }
    const into: Score = { z: 0, output: 0, cls: 0 };
    new Scorer(bindModel(model, columns), { ...options, ...encode }).score(cells, 1, undefined, into);
    return { z: into.z, output: into.output, class: model.classes[into.cls], classIndex: into.cls };
  } catch (error) {
    // A record has no line or column number: the message names the column.
    if (error instanceof NeuronError) throw new NeuronError(error.reason, error.message, {}, error.hint);
    throw error;
  }
}
