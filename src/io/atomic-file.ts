import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Stats, WriteStream } from 'node:fs';
import { chmod, chown, type FileHandle, lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { NeuronError } from '../errors.js';
import { fsError } from './fs-errors.js';

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
  /** The file being written (the temporary one, for an atomic file): for a writer that needs a path, such as DuckDB's COPY. */
  readonly path: string;
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

/** The output names a directory: one that exists, or (ending in /) one that does not. */
function isDirectoryError(target: string, exists = true): NeuronError {
  const folder = target.replace(/[/\\]+$/, '');
  if (!exists) {
    return new NeuronError(
      'output-is-directory',
      'the output ends in "/", so it names a directory, and there is no such directory',
      { file: target },
      `name the output file, such as ${folder}/FILE, after creating the directory (mkdir -p ${folder})`,
    );
  }
  return new NeuronError('output-is-directory', 'the output is a directory, not a file', { file: target }, `name a file inside it, such as ${folder}/FILE`);
}

/** A temporary file could not be created beside the target: say when its directory does not exist. */
async function createError(error: unknown, target: string, folder: string): Promise<NeuronError> {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await stat(folder).catch(() => undefined))) {
    return new NeuronError(
      'no-such-file',
      `the directory ${JSON.stringify(folder)} does not exist (the output)`,
      { file: target },
      `create it first (mkdir -p ${folder}), or check the path`,
    );
  }
  return fsError(error, target, 'the output');
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
  if (target.endsWith('/') || target.endsWith(sep)) {
    const exists = (await stat(target).catch(() => undefined))?.isDirectory() === true;
    throw isDirectoryError(target, exists);
  }
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
    path,
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
    throw await createError(error, target, dirname(target));
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    path: temporary,
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
