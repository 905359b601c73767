/**
 * Shared by `metrics` and `explain`: open the data, read its header, bind
 * the weights to its columns and hand over the rows, as `eval` does.
 */

import { type BoundModel, bindModel } from '../neuron/columns.js';
import type { AnyModel, Model } from '../neuron/model.js';
import { type CsvData, withCsvData } from './data.js';
import { FLAG_NAMES } from './options.js';
import { loadPlainWeights, weightsName } from './weights.js';
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
 * inputs (a softmax layer or an encoded model is refused by name).
 */
export async function withScoringInput<T>(
  world: World,
  dataPath: string,
  options: ScoringOptions,
  command: string,
  use: (input: ScoringInput) => Promise<T>,
): Promise<T> {
  return withBoundInput(world, dataPath, options, await loadPlainWeights(world, options.weights, command, dataPath), use);
}

/** As withScoringInput, for a model already loaded (of any kind the command takes). */
export async function withBoundInput<M extends AnyModel, T>(
  world: World,
  dataPath: string,
  options: ScoringOptions,
  loaded: M,
  use: (input: ScoringInput<M>) => Promise<T>,
): Promise<T> {
  const model: M = options.classes === undefined ? loaded : { ...loaded, classes: options.classes };
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
