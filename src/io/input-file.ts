import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fsError } from './fs-errors.js';

/** A readable stream over a file; fails now, not later, if the file cannot be opened. */
export async function openInput(path: string): Promise<Readable> {
  try {
    const handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream({ highWaterMark: 64 * 1024 });
  } catch (error) {
    throw fsError(error, path, 'the data');
  }
}
