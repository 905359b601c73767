/**
 * Shared by `metrics`, `explain` and `plot`: open the data, read its header,
 * bind the weights to its columns and hand over the rows, as `eval` does.
 */

import { NeuronError } from '../errors.js';
import { type BoundModel, bindModel } from '../neuron/columns.js';
import { type AnyModel, isSoftmax, type Model, plainModel } from '../neuron/model.js';
import { type CsvData, withCsvData } from './data.js';
import { FLAG_NAMES } from './options.js';
import { loadWeights, weightsName } from './weights.js';
import type { World } from './world.js';

export interface ScoringOptions {
  weights: string;
  features?: string[];
  label?: string;
  /** --classes: the two class names, instead of the weights file's. */
  classes?: [string, string];
  delimiter: string;
  header: boolean;
}

export interface ScoringInput<M extends AnyModel = Model> {
  readonly model: M;
  readonly bound: BoundModel<M>;
  readonly file: string;
  /** The data rows, without the header (read them with `eachRow`); row numbers count from 1 in this order. */
  readonly data: CsvData;
}

/**
 * Runs `use` over the bound data and closes the input afterwards, also on
 * error or Ctrl-C. For a command that takes one two-class neuron over plain
 * numeric inputs: a softmax layer or an encoded model is refused by name.
 */
export async function withScoringInput<T>(
  world: World,
  dataPath: string,
  options: ScoringOptions,
  command: string,
  use: (input: ScoringInput) => Promise<T>,
): Promise<T> {
  const model = plainModel(await loadWeights(world, options.weights, dataPath), command, weightsName(options.weights));
  return withModelInput(world, dataPath, options, model, use);
}

/** As withScoringInput, for a command that takes any model: a softmax layer, an encoded model. */
export async function withAnyScoringInput<T>(
  world: World,
  dataPath: string,
  options: ScoringOptions,
  use: (input: ScoringInput<AnyModel>) => Promise<T>,
): Promise<T> {
  return withModelInput(world, dataPath, options, await loadWeights(world, options.weights, dataPath), use);
}

async function withModelInput<M extends AnyModel, T>(
  world: World,
  dataPath: string,
  options: ScoringOptions,
  loaded: M,
  use: (input: ScoringInput<M>) => Promise<T>,
): Promise<T> {
  const model = options.classes === undefined ? loaded : withClasses(loaded, options.classes, weightsName(options.weights));
  return withCsvData(world, dataPath, options, (data) => {
    const bound = bindModel(model, data.columns, {
      features: options.features,
      label: options.label,
      weightsFile: weightsName(options.weights),
      dataFile: data.file,
      names: FLAG_NAMES,
    });
    return use({ model, bound, file: data.file, data });
  });
}

/** --classes: two names, in place of the weights file's; a softmax layer of more than two classes is refused. */
function withClasses<M extends AnyModel>(model: M, classes: [string, string], file: string): M {
  if (isSoftmax(model) && model.classes.length !== 2) {
    throw new NeuronError(
      'conflicting-options',
      `--classes names two classes, but the model is a softmax layer of ${model.classes.length} (${model.classes.map((name) => JSON.stringify(name)).join(', ')})`,
      { file },
      'drop --classes, or set "classes" in the weights file',
    );
  }
  return { ...model, classes };
}
