/**
 * Training from plain arrays, for the library: rows of numbers and 0/1
 * labels in, a Model out (ready for scoreValues, formatModel, export).
 * Gradient descent (train.ts) is the solver; `neuron train` runs the same
 * Trainer with the same defaults. Another solver goes beside it here, as a
 * `solver` option that picks the function that fits the Dataset.
 */

import { NeuronError, quote } from '../errors.js';
import { DEFAULT_CLASSES, type Model, type Scaling } from '../neuron/model.js';
import { type Dataset, runTrainer, standardizeDataset, Trainer, type TrainResult } from './train.js';

/**
 * Rows of numbers (one array per row, the same length each) and a 0/1 label
 * per row, packed as the Dataset that training reads.
 * @example
 * ```js
 * import { datasetOf } from 'neuron-cli';
 * const data = datasetOf([[4, 80], [6, 60]], [1, 0]);
 * [data.rows, data.features, Array.from(data.x)]; // => [2, 2, [4, 80, 6, 60]]
 * ```
 */
export function datasetOf(rows: readonly (readonly number[])[], labels: readonly (0 | 1)[]): Dataset {
  const d = rows[0]?.length ?? 0;
  if (labels.length !== rows.length) throw new NeuronError('labels-count', `${rows.length} rows but ${labels.length} labels`, {}, 'give one label per row');
  const x = new Float64Array(rows.length * d);
  const y = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    if (row.length !== d) throw new NeuronError('ragged-row', `row ${i + 1} has ${row.length} values, row 1 has ${d}`, {}, 'give every row the same inputs');
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new NeuronError('not-a-number', `row ${i + 1}, input ${j + 1}: expected a finite number, got ${typeof v === 'number' ? v : quote(v)}`);
      }
      x[i * d + j] = v;
    });
    const label = labels[i];
    if (label !== 0 && label !== 1)
      throw new NeuronError('bad-label', `label ${i + 1}: expected 0 or 1, got ${typeof label === 'number' ? label : quote(label)}`);
    y[i] = label;
  });
  return { x, y, rows: rows.length, features: d };
}

/** Options of trainModel; the numbers default to `neuron train`'s. */
export interface TrainModelOptions {
  /** Names of the inputs, in row order (default: none, the weights are positional). */
  readonly features?: readonly string[] | undefined;
  /** Names of class 0 and class 1 (default "0", "1"). */
  readonly classes?: readonly [string, string] | undefined;
  /** Passes over the data (1000). */
  readonly epochs?: number | undefined;
  /** Learning rate (0.1). */
  readonly lr?: number | undefined;
  /** L2 penalty (0), the bias excluded. */
  readonly l2?: number | undefined;
  /** Stop when an epoch lowers the loss by less. */
  readonly tol?: number | undefined;
  /** z-score each input and store the scaling in the model, as `train --standardize`. */
  readonly standardize?: boolean | undefined;
  /** Starting weights (default zeros) and bias (0). */
  readonly initial?: { readonly weights: readonly number[]; readonly bias: number } | undefined;
}

/** A trained model and how the training went. */
export interface TrainedModel {
  readonly model: Model;
  readonly result: TrainResult;
}

/**
 * Fits a sigmoid neuron (logistic regression) to rows of numbers and 0/1
 * labels by gradient descent, as `neuron train` does.
 * @example
 * ```js
 * import { scoreValues, trainModel } from 'neuron-cli';
 * const { model, result } = trainModel([[1], [2], [3], [4]], [0, 0, 1, 1], { features: ['x'], classes: ['low', 'high'], epochs: 2000, lr: 0.5 });
 * result.correct; // => 4
 * [model.features, model.classes, model.activation]; // => [['x'], ['low', 'high'], 'sigmoid']
 * scoreValues(model, [3.5]).class; // => 'high'
 * ```
 */
export function trainModel(rows: readonly (readonly number[])[], labels: readonly (0 | 1)[], options: TrainModelOptions = {}): TrainedModel {
  const data = datasetOf(rows, labels);
  if (!labels.includes(0) || !labels.includes(1)) {
    throw new NeuronError('one-class', `the labels hold one class only (${labels[0] ?? 'no rows'})`, {}, 'training needs rows of both classes');
  }
  const names = options.features ?? Array.from({ length: data.features }, (_, j) => String(j + 1));
  if (names.length !== data.features) {
    throw new NeuronError('inputs-count', `features names ${names.length} inputs but the rows have ${data.features}`, {}, 'name every input once');
  }
  const scaling: Scaling | undefined = options.standardize === true ? standardizeDataset(data, names) : undefined;
  const steps = { lr: options.lr ?? 0.1, l2: options.l2 ?? 0 };
  const trainer = new Trainer(data, options.initial ?? { weights: new Array<number>(data.features).fill(0), bias: 0 }, steps);
  const result = runTrainer(trainer, { ...steps, epochs: options.epochs ?? 1000, tol: options.tol });
  const model: Model = {
    features: options.features,
    weights: result.weights,
    bias: result.bias,
    activation: 'sigmoid',
    classes: options.classes ?? DEFAULT_CLASSES,
    threshold: undefined,
    init: undefined,
    ...(scaling === undefined ? {} : { scaling }),
  };
  return { model, result };
}
