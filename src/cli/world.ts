/**
 * Everything a command touches outside its arguments, passed in so that
 * tests run commands in-process with their own streams, environment and
 * randomness. `bin.ts` builds the real one from `process`.
 */
import type { Readable, Writable } from 'node:stream';
import { visible } from '../render/visible.js';

export interface World {
  readonly stdin: Readable & { isTTY?: boolean };
  /** `columns`: the terminal's width, when stdout is one (the table fits itself to it). */
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A fresh 32-bit seed, for random weights when the user gives none. */
  readonly randomSeed: () => number;
  /** Aborted on Ctrl-C: commands stop at the next row and exit 130. */
  readonly signal?: AbortSignal;
}

/** One line on stderr, prefixed with the program name. */
export function say(world: World, message: string): void {
  // Messages quote file names and values from the data: no control character reaches the terminal.
  world.stderr.write(`neuron: ${visible(message)}\n`);
}
