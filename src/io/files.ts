/**
 * Files: opening inputs, reading the weights file, writing outputs
 * atomically. Every file-system failure becomes a NeuronError naming the
 * file and saying what to do.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
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
    case 'EACCES':
    case 'EPERM':
      return new NeuronError('io', `permission denied (${purpose})`, { file }, "check the file's permissions");
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

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/** Parses JSON, turning a syntax error into a NeuronError with line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? text.length : Number(position);
    const { line, column } = lineAndColumn(text, offset);
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the JSON ends too early');
    throw new NeuronError('weights', `invalid JSON: ${what}`, { file, line, column }, 'fix the syntax (a JSON linter shows it too)');
  }
}

/** Reads and validates a weights file. */
export async function readWeightsFile(path: string): Promise<Model> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      if (stats.size > MAX_WEIGHTS_BYTES) {
        throw new NeuronError(
          'weights',
          `the weights file is ${stats.size} bytes, over the ${MAX_WEIGHTS_BYTES}-byte limit`,
          { file: path },
          'a weights file holds one small JSON object; check the path',
        );
      }
      text = await handle.readFile('utf8');
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
 * An output file written beside its target under a temporary name and
 * renamed over it only by `commit`: a failed or interrupted run leaves an
 * existing file as it was and no partial file behind.
 */
export interface AtomicFile {
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function createAtomicFile(target: string): Promise<AtomicFile> {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temporary, 'wx', 0o644);
  } catch (error) {
    throw fsError(error, target, 'the output');
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    async commit() {
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      try {
        await rename(temporary, target);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw fsError(error, target, 'the output');
      }
    },
    async abort() {
      if (!stream.closed) {
        const closed = once(stream, 'close').catch(() => {});
        stream.destroy();
        await closed;
      }
      await unlink(temporary).catch(() => {});
    },
  };
}
