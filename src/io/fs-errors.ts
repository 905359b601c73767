import { NeuronError } from '../errors.js';

/** A file-system error as a NeuronError about `file`. */
export function fsError(error: unknown, file: string, purpose: string): NeuronError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new NeuronError('io', `no such file (${purpose})`, { file }, 'check the path');
    case 'EISDIR':
      return new NeuronError('io', `is a directory, not a file (${purpose})`, { file }, 'name a file inside it');
    case 'ENOTDIR':
      return new NeuronError('io', `a part of the path is not a directory (${purpose})`, { file }, 'check the path');
    case 'EACCES':
    case 'EPERM':
      return new NeuronError('io', `permission denied (${purpose})`, { file }, "check the file's permissions");
    case 'ENOSPC':
    case 'EDQUOT':
      return new NeuronError('io', `no space left on the device (${purpose})`, { file }, 'free some space, or write elsewhere');
    default:
      return new NeuronError('io', `cannot use the file (${purpose}): ${(error as Error).message}`, { file });
  }
}
