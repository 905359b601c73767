/** Opening the data argument: a file path, or `-` for standard input. */
import type { Readable } from 'node:stream';
import { NeuronError } from '../errors.js';
import { openInput } from '../io/input-file.js';
import type { World } from './world.js';

export interface DataInput {
  readonly stream: Readable;
  /** The name used in messages. */
  readonly file: string;
}

export async function openData(world: World, path: string): Promise<DataInput> {
  if (path !== '-') return { stream: await openInput(path), file: path };
  if (world.stdin.isTTY === true) {
    throw new NeuronError(
      'stdin-is-terminal',
      'the data is "-" (standard input), but standard input is a terminal',
      {},
      'pipe the data in (neuron eval - < data.csv) or name a file',
    );
  }
  return { stream: world.stdin, file: '<stdin>' };
}

/** Throws the interruption error if Ctrl-C was pressed. */
export function checkInterrupt(world: World): void {
  if (world.signal?.aborted === true) throw new NeuronError('interrupted', 'interrupted');
}
