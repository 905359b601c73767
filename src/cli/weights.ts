/** The --weights argument: a file, or `-` for standard input when the data is a file. */
import { NeuronError } from '../errors.js';
import { readWeightsFile, readWeightsStream } from '../io/weights-file.js';
import { type AnyModel, type Model, plainModel } from '../neuron/model.js';
import type { World } from './world.js';

/** The weights' name in messages: `<stdin>` for `-`. */
export function weightsName(path: string): string;
export function weightsName(path: string | undefined): string | undefined;
export function weightsName(path: string | undefined): string | undefined {
  return path === '-' ? '<stdin>' : path;
}

/**
 * Loads the weights. `-w -` reads them from standard input
 * (`neuron random-init ... | neuron eval data.csv -w -`); standard input
 * cannot hold both the weights and the data, and a terminal is refused at
 * once, as for the data.
 */
export async function loadWeights(world: World, path: string, dataPath?: string): Promise<AnyModel> {
  if (path !== '-') return readWeightsFile(path);
  if (dataPath === '-') {
    throw new NeuronError('stdin-twice', 'the data and the weights are both "-" (standard input)', {}, 'name a file for one of them');
  }
  if (world.stdin.isTTY === true) {
    throw new NeuronError(
      'stdin-is-terminal',
      'the weights are "-" (standard input), but standard input is a terminal',
      {},
      'pipe the weights in (neuron random-init ... | neuron eval data.csv -w -) or name a file',
    );
  }
  return readWeightsStream(world.stdin, weightsName(path));
}

/**
 * The weights, for a command that takes only one two-class neuron over plain
 * numeric inputs: a softmax layer or an encoded model is refused by name.
 */
export async function loadPlainWeights(world: World, path: string, command: string, dataPath?: string): Promise<Model> {
  return plainModel(await loadWeights(world, path, dataPath), command, weightsName(path));
}
