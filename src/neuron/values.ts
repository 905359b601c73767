/**
 * Scoring numbers directly, for the library: `scoreValues(model, [4, 80])`.
 * No file names, header flags, string cells, line numbers or result objects
 * to pass in. Built on the Scorer that `neuron eval` runs, so z, the output
 * and the class are the same doubles (test/properties/values.test.ts checks
 * it against the command line on random models and rows).
 */

import { NeuronError, quote } from '../errors.js';
import type { ActivationName } from './activations.js';
import type { BoundModel } from './columns.js';
import { type AnyModel, inputCount, type Model, plainModel } from './model.js';
import { badCellError, parseNumberCell } from './numbers.js';
import { type Score, Scorer } from './scorer.js';

/** What scoring one row gives: z = w·x + b, the activation output, and the class by name and index. */
export interface Prediction {
  readonly z: number;
  readonly output: number;
  /** The class name: `model.classes[classIndex]`. */
  readonly class: string;
  /** 0 or 1: the index into `model.classes`. */
  readonly classIndex: 0 | 1;
}

/** Overrides of the model's activation and threshold, as `eval --activation` and `--threshold`. */
export interface PredictOptions {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
}

/** The names of a model's inputs: its features, else "1", "2", ... in weight order. */
export function inputNamesOf(model: AnyModel): readonly string[] {
  return model.features ?? Array.from({ length: inputCount(model) }, (_, i) => String(i + 1));
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
  const bound: BoundModel<Model> = { model, inputNames: names, inputIndices: names.map((_, i) => i), keepIndices: [], labelIndex: undefined };
  const scorer = new Scorer(bound, options);
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
 * class as `neuron eval` gives for a CSV row with these numbers.
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
 * ```
 */
export function scoreValues(model: AnyModel, values: ArrayLike<number>, options: PredictOptions = {}): Prediction {
  return valueScorer(plainModel(model, 'scoreValues'), options).score(values);
}

/**
 * Scores one record given by column name (an object such as a CSV row read
 * with column names, or a JSON row): the model's features are taken from it
 * by name, in any order; other keys are ignored. A string value is read as
 * `neuron eval` reads a cell (`" 4.5"` is 4.5, `"4,5"` is an error).
 * @example
 * ```js
 * import { parseModel, scoreRecord } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4 });
 * scoreRecord(model, { id: 'p01', weight: '80', height: 4 }).z; // => 2
 * scoreRecord(model, { height: '4,5', weight: 80 }); // throws 'column "height": "4,5" is not a number'
 * ```
 */
export function scoreRecord(model: AnyModel, record: Readonly<Record<string, number | string>>, options: PredictOptions = {}): Prediction {
  const neuron = plainModel(model, 'scoreRecord');
  return scoreValues(neuron, recordValues(neuron, record), options);
}

/** The model's inputs read from a record by name, in weight order. */
function recordValues(model: Model, record: Readonly<Record<string, number | string>>): number[] {
  if (typeof record !== 'object' || record === null) {
    throw new NeuronError('not-a-record', `expected a record (an object of column name to value), got ${quote(record)}`, {}, 'give the row as an object');
  }
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
    const value = Object.hasOwn(record, name) ? record[name] : undefined;
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') {
      const available = Object.keys(record)
        .map((key) => JSON.stringify(key))
        .join(', ');
      throw new NeuronError(
        'unknown-column',
        `feature ${JSON.stringify(name)} is not in the record (keys: ${available})`,
        {},
        'give every feature of the model',
      );
    }
    const x = parseNumberCell(value);
    if (Number.isNaN(x)) throw badCellError(value, name, {});
    return x;
  });
}
