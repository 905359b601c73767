import { NeuronError } from '../errors.js';

/** A file-system error as a NeuronError about `file`. */
export function fsError(error: unknown, file: string, purpose: string): NeuronError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new NeuronError('no-such-file', `no such file (${purpose})`, { file }, 'check the path');
    case 'EISDIR':
      return new NeuronError('is-directory', `is a directory, not a file (${purpose})`, { file }, 'name a file inside it');
    case 'ENOTDIR':
      return new NeuronError('not-a-directory', `a part of the path is not a directory (${purpose})`, { file }, 'check the path');
    case 'EACCES':
    case 'EPERM':
      return new NeuronError('permission-denied', `permission denied (${purpose})`, { file }, "check the file's permissions");
    case 'ENOSPC':
    case 'EDQUOT':
      return new NeuronError('no-space', `no space left on the device (${purpose})`, { file }, 'free some space, or write elsewhere');
    default:
      return new NeuronError('io-failed', `cannot use the file (${purpose}): ${(error as Error).message}`, { file });
  }
}
