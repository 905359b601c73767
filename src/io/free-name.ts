import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { NeuronError } from '../errors.js';
import { fsError } from './fs-errors.js';

/** The first `folder/nameOf(n)`, n = 1, 2, ..., that names nothing yet (not even a dangling link). */
export async function firstFreePath(folder: string, nameOf: (n: number) => string, limit = 10_000): Promise<string> {
  for (let n = 1; n <= limit; n++) {
    const path = join(folder, nameOf(n));
    try {
      await lstat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
      throw fsError(error, path, 'the saved weights');
    }
  }
  throw new NeuronError('io-failed', `${limit} saved files already`, { file: folder }, 'move some away');
}
