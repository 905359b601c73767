/**
 * No output may be an input, nor two outputs one file: `eval in.csv -o in.csv`
 * would replace the data it reads, and `--metrics m.json -o m.json` would
 * keep only one of the two. Checked once for every command, before anything
 * is read or written (a commander preAction hook in program.ts), by device
 * and inode, so a symlink or a hard link to an input is caught too.
 */
import type { Stats } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { NeuronError } from '../errors.js';

/** Option attributes that name files read, and how messages call them. */
const INPUTS: Record<string, string> = { weights: '--weights', from: '--from' };
/** Option attributes that name files written. */
const OUTPUTS: Record<string, string> = { output: '-o', metrics: '--metrics', saveWeights: '--save-weights', history: '--history' };

interface NamedFile {
  readonly role: string;
  readonly path: string;
}

/** The file's identity: device and inode if it exists, else the real path it would be created at. */
async function identity(path: string, depth = 0): Promise<string> {
  let stats: Stats | undefined;
  try {
    stats = await stat(path);
  } catch {
    stats = undefined;
  }
  if (stats !== undefined) return `${stats.dev}:${stats.ino}`;
  // Not there (yet): a dangling symlink names the file that writing would create.
  const link = await lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink() === true && depth < 40) {
    const target = await readlink(path).catch(() => undefined);
    if (target !== undefined) return identity(resolve(dirname(path), target), depth + 1);
  }
  const folder = await realpath(dirname(path)).catch(() => resolve(dirname(path)));
  return `path:${resolve(folder, basename(path))}`;
}

function described(file: NamedFile): string {
  return `${file.role} ${JSON.stringify(file.path)}`;
}

/**
 * Refuses (usage error, exit 2) an output that is the same file as an input
 * or as another output. `-` (a standard stream) is never a file here.
 */
export async function checkDistinctFiles(dataArgument: string | undefined, options: Readonly<Record<string, unknown>>): Promise<void> {
  const pick = (roles: Record<string, string>): NamedFile[] =>
    Object.entries(roles).flatMap(([key, role]) => {
      const path = options[key];
      return typeof path === 'string' && path !== '-' ? [{ role, path }] : [];
    });
  const inputs = [...(dataArgument === undefined || dataArgument === '-' ? [] : [{ role: 'the data', path: dataArgument }]), ...pick(INPUTS)];
  const outputs = pick(OUTPUTS);
  if (outputs.length === 0) return;
  const ids = new Map<NamedFile, string>();
  for (const file of [...inputs, ...outputs]) ids.set(file, await identity(file.path));
  outputs.forEach((output, i) => {
    const id = ids.get(output);
    const input = inputs.find((file) => ids.get(file) === id);
    if (input !== undefined) {
      throw new NeuronError(
        'same-file',
        `${described(output)} is the same file as ${described(input)}: writing it would destroy the input`,
        {},
        'write the output to another file',
      );
    }
    const earlier = outputs.slice(0, i).find((file) => ids.get(file) === id);
    if (earlier !== undefined) {
      throw new NeuronError('same-file', `${described(earlier)} and ${described(output)} are the same file`, {}, 'give each output its own file');
    }
  });
}
