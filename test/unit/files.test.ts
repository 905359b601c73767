import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { fsError } from '../../src/io/fs-errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: oops`), { code });

describe('fsError', () => {
  it.each([
    ['ENOENT', 'w.json: no such file (the weights) — check the path'],
    ['EISDIR', 'w.json: is a directory, not a file (the weights) — name a file inside it'],
    // Tests run as root, who can read any file, so permission errors are checked here.
    ['EACCES', "w.json: permission denied (the weights) — check the file's permissions"],
    ['EPERM', "w.json: permission denied (the weights) — check the file's permissions"],
    ['EIO', 'w.json: cannot use the file (the weights): EIO: oops'],
  ])('%s', (code, message) => {
    expect(formatError(fsError(errno(code), 'w.json', 'the weights'))).toBe(message);
  });
});
