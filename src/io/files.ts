/**
 * Files: opening inputs, reading the weights file, writing outputs
 * atomically. Every file-system failure becomes a NeuronError naming the
 * file and saying what to do.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Stats, WriteStream } from 'node:fs';
import { chmod, chown, type FileHandle, lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { printParseErrorCode, visit } from 'jsonc-parser';
import { NeuronError } from '../core/errors.js';
import { type Model, parseModel } from '../core/model.js';

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

/** Weights files are small; a larger file is refused before it is read. */
export const MAX_WEIGHTS_BYTES = 1024 * 1024;

/** jsonc-parser's error names (from printParseErrorCode) in plain words. */
const SYNTAX: Record<string, string> = {
  InvalidCommentToken: 'comments are not allowed in JSON',
  InvalidSymbol: 'unexpected character (JSON has no NaN, Infinity or comments; strings take double quotes)',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma?)',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'unexpected text after the JSON object',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfComment: 'a comment is not closed',
  InvalidCharacter: 'a control character inside a string',
  InvalidEscapeCharacter: 'an invalid escape in a string',
  InvalidUnicode: 'an invalid \\u escape in a string',
};

/** Keys that would change an object's prototype if assigned: never a column name in a weights file. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function jsonPath(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * Parses strict JSON. jsonc-parser's scanner first checks the text without
 * building anything, so a syntax error, a duplicate key (JSON.parse keeps the
 * last silently) or a `__proto__` key is reported with its line and column;
 * then JSON.parse builds the value.
 */
export function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw new NeuronError('weights', 'the file is empty', { file }, 'a weights file is a JSON object with "weights" and "bias"');
  const problems: NeuronError[] = [];
  const keys: Set<string>[] = [];
  const at = (line: number, character: number) => ({ file, line: line + 1, column: character + 1 });
  visit(
    text,
    {
      onError(code, _offset, _length, line, character) {
        const name = printParseErrorCode(code);
        const what = SYNTAX[name] ?? name;
        problems.push(new NeuronError('weights', `invalid JSON: ${what}`, at(line, character), 'fix the syntax (a JSON linter shows it too)'));
      },
      onObjectBegin: () => {
        keys.push(new Set());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty(name, _offset, _length, line, character, pathSupplier) {
        const path = jsonPath([...pathSupplier(), name]);
        if (FORBIDDEN_KEYS.has(name)) {
          problems.push(new NeuronError('weights', `${path}: the key ${JSON.stringify(name)} is not allowed`, at(line, character), 'rename it'));
        }
        const seen = keys[keys.length - 1];
        if (seen?.has(name)) {
          problems.push(new NeuronError('weights', `${path}: duplicate key ${JSON.stringify(name)}`, at(line, character), 'keep one of them'));
        }
        seen?.add(name);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  const first = problems[0];
  if (first !== undefined) throw first;
  return JSON.parse(text);
}

/**
 * Reads at most MAX_WEIGHTS_BYTES from a file, in chunks: a pipe or a device
 * reports size 0, so the size from stat is only used to refuse early.
 */
async function readCapped(handle: FileHandle, path: string): Promise<Buffer> {
  const tooBig = (size?: number) =>
    new NeuronError(
      'weights',
      `the weights file is ${size === undefined ? '' : `${size} bytes, `}over the ${MAX_WEIGHTS_BYTES}-byte limit`,
      { file: path },
      'a weights file holds one small JSON object; check the path',
    );
  const stats = await handle.stat();
  if (stats.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  if (stats.size > MAX_WEIGHTS_BYTES) throw tooBig(stats.size);
  const buffer = Buffer.alloc(MAX_WEIGHTS_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
  // A pipe, a device, or a file that grew since stat: the size is unknown.
  throw tooBig();
}

/** Reads and validates a weights file. */
export async function readWeightsFile(path: string): Promise<Model> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      text = (await readCapped(handle, path)).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof NeuronError) throw error;
    throw fsError(error, path, 'the weights');
  }
  return parseModel(parseJson(text.replace(/^\uFEFF/, ''), path), path);
}

/**
 * An output file. A regular file (new or existing, or the file a symlink
 * points to) is written beside its target under a temporary name and renamed
 * over it only by `commit`: a failed or interrupted run leaves an existing
 * file as it was and no partial file behind, and the file keeps its mode (and,
 * as root, its owner). A symlink stays a symlink: the file it points to is
 * replaced. A FIFO, a device or a socket cannot be replaced atomically and must
 * not be replaced at all: it is written to directly.
 */
export interface AtomicFile {
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** What writing to a path means, decided before anything is opened. */
type OutputPlan =
  | { readonly kind: 'atomic'; readonly path: string; readonly mode: number; readonly owner?: { uid: number; gid: number } }
  | { readonly kind: 'direct'; readonly path: string };

/** The mode a newly created file gets: rw for all, less the umask. */
function newFileMode(): number {
  return 0o666 & ~process.umask();
}

function isDirectoryError(target: string): NeuronError {
  return new NeuronError('usage', 'is a directory, not a file (the output)', { file: target }, 'name a file inside it');
}

/** Follows `path` (through symlinks, even dangling ones) to what should be written. */
async function planOutput(target: string, path: string, depth = 0): Promise<OutputPlan> {
  if (depth > 40) throw fsError(Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' }), target, 'the output');
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'atomic', path, mode: newFileMode() };
    throw fsError(error, target, 'the output');
  }
  let stats = link;
  if (link.isSymbolicLink()) {
    try {
      stats = await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(error, target, 'the output');
      // A dangling link: create the file it names, relative to the link's directory.
      const text = await readlink(path).catch((error: unknown) => Promise.reject(fsError(error, target, 'the output')));
      return planOutput(target, resolve(dirname(path), text), depth + 1);
    }
  }
  if (stats.isDirectory()) throw isDirectoryError(target);
  if (!stats.isFile()) return { kind: 'direct', path };
  const resolved = link.isSymbolicLink() ? await realpath(path).catch((error: unknown) => Promise.reject(fsError(error, target, 'the output'))) : path;
  const owner = process.getuid?.() === 0 ? { uid: stats.uid, gid: stats.gid } : undefined;
  return { kind: 'atomic', path: resolved, mode: stats.mode & 0o7777, ...(owner === undefined ? {} : { owner }) };
}

/** Opens `target` for output as `planOutput` decides. */
export async function createAtomicFile(target: string): Promise<AtomicFile> {
  if (target.endsWith('/') || target.endsWith(sep)) throw isDirectoryError(target);
  const plan = await planOutput(target, target);
  return plan.kind === 'direct' ? openDirect(target, plan.path) : openAtomic(target, plan);
}

/** Written in place: a FIFO or device has no contents to protect, and its node must survive. */
async function openDirect(target: string, path: string): Promise<AtomicFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw fsError(error, target, 'the output');
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    commit: () => endStream(stream).catch((error: unknown) => Promise.reject(fsError(error, target, 'the output'))),
    abort: () => destroyStream(stream),
  };
}

async function openAtomic(target: string, plan: Extract<OutputPlan, { kind: 'atomic' }>): Promise<AtomicFile> {
  // Short whatever the target's name (a 255-byte name must still fit), unique, hidden.
  const temporary = join(dirname(plan.path), `.neuron-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    // Private while it is written; given the final mode just before the rename.
    handle = await open(temporary, 'wx', 0o600);
  } catch (error) {
    throw fsError(error, target, 'the output');
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    async commit() {
      try {
        await endStream(stream);
        if (plan.owner !== undefined) await chown(temporary, plan.owner.uid, plan.owner.gid).catch(() => {});
        await chmod(temporary, plan.mode);
        await rename(temporary, plan.path);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw fsError(error, target, 'the output');
      }
    },
    async abort() {
      await destroyStream(stream);
      await unlink(temporary).catch(() => {});
    },
  };
}

/** Ends the stream and waits until every byte is written: a write error (a full disk) rejects. */
function endStream(stream: WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (stream.errored) {
      reject(stream.errored);
      return;
    }
    // end's callback gets the error of a failed final write (before the 'error' event fires).
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

async function destroyStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close').catch(() => {});
  stream.destroy();
  await closed;
}
