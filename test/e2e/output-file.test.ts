/**
 * What `-o` does to what is already at the path: a symlink stays a symlink,
 * a FIFO stays a FIFO (written to, not replaced), a file keeps its mode and
 * owner, a directory is refused. Device files take the same path as a FIFO
 * (anything that is neither a regular file nor a symlink is written in place);
 * they are not tested here, so that no test ever writes to a real device.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  createReadStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, runBin, runInProcess } from '../support/helpers.js';

const AB = fixture('ab.weights.json');
// z = a + 2b + 0.5 with the identity activation: 1 + 4 + 0.5 = 5.5.
const INPUT = 'a,b\n1,2\n';
const OUTPUT = 'z,identity,class\n5.5,5.5,1\n';
const evalTo = (path: string) => runInProcess(['eval', '-', '-w', AB, '-o', path], { stdin: INPUT });
const tempDir = () => mkdtempSync(join(tmpdir(), 'neuron-out-'));

describe('-o onto a symlink', () => {
  it('writes the file the link points to and keeps the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'scores.csv'), 'before\n');
    symlinkSync('real/scores.csv', join(dir, 'link.csv'));
    expect(await evalTo(join(dir, 'link.csv'))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.csv'))).toBe('real/scores.csv');
    expect(readFileSync(join(dir, 'real', 'scores.csv'), 'utf8')).toBe(OUTPUT);
    expect(readdirSync(join(dir, 'real'))).toEqual(['scores.csv']);
  });

  it('creates the file a dangling link names, relative to the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    mkdirSync(join(dir, 'links'));
    symlinkSync('../real/new.csv', join(dir, 'links', 'link.csv'));
    expect(await evalTo(join(dir, 'links', 'link.csv'))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(lstatSync(join(dir, 'links', 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'new.csv'), 'utf8')).toBe(OUTPUT);
  });
});

describe('-o onto a FIFO', () => {
  it('writes into the FIFO and leaves it a FIFO', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (chunk) => chunks.push(chunk as Buffer));
    const read = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    expect(await evalTo(fifo)).toEqual({ stdout: '', stderr: '', code: 0 });
    await read;
    expect(Buffer.concat(chunks).toString('utf8')).toBe(OUTPUT);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['fifo']);
  });
});

describe('-o onto an existing file', () => {
  it.each([
    ['0600', 0o600],
    ['0640', 0o640],
    ['0755', 0o755],
  ])('keeps mode %s', async (_, mode) => {
    const dir = tempDir();
    const out = join(dir, 'scores.csv');
    writeFileSync(out, 'before\n');
    chmodSync(out, mode);
    expect((await evalTo(out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(OUTPUT);
    expect(statSync(out).mode & 0o777).toBe(mode);
  });

  it('gives a new file the usual mode: 0666 less the umask', async () => {
    const out = join(tempDir(), 'scores.csv');
    expect((await evalTo(out)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  const root = process.getuid?.() === 0;
  // Only root can give a file to another user; elsewhere this test is skipped at run time.
  it.skipIf(!root)("keeps the file's owner when run as root", async () => {
    const out = join(tempDir(), 'scores.csv');
    writeFileSync(out, 'before\n');
    chownSync(out, 4321, 4322);
    expect((await evalTo(out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(OUTPUT);
    expect({ uid: statSync(out).uid, gid: statSync(out).gid }).toEqual({ uid: 4321, gid: 4322 });
  });
});

describe('-o that cannot be a file', () => {
  const existing = (folder: string) => `the output is a directory, not a file — name a file inside it, such as ${folder}/FILE`;
  it.each([
    ['a directory', (dir: string) => dir, existing],
    [
      'a path ending in / that does not exist (issue 10, minor: not "is a directory")',
      (dir: string) => `${join(dir, 'missing')}/`,
      (folder: string) =>
        `the output ends in "/", so it names a directory, and there is no such directory — name the output file, such as ${folder}/FILE, after creating the directory (mkdir -p ${folder})`,
    ],
    ['an existing directory with a trailing /', (dir: string) => `${dir}/`, existing],
  ])('%s is a usage error', async (_, path, message) => {
    const dir = tempDir();
    const target = path(dir);
    const result = await evalTo(target);
    expect(result).toEqual({ stdout: '', stderr: `neuron: ${target}: ${message(target.replace(/\/+$/, ''))}\n`, code: 2 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file in a directory that does not exist says so', async () => {
    const dir = tempDir();
    const target = join(dir, 'nodir', 'out.csv');
    const result = await evalTo(target);
    expect(result).toEqual({
      stdout: '',
      stderr: `neuron: ${target}: the directory ${JSON.stringify(join(dir, 'nodir'))} does not exist (the output) — create it first (mkdir -p ${join(dir, 'nodir')}), or check the path\n`,
      code: 1,
    });
  });

  it('says which path is not a directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'out.csv');
    const result = await evalTo(target);
    expect(result).toEqual({ stdout: '', stderr: `neuron: ${target}: a part of the path is not a directory (the output) — check the path\n`, code: 1 });
  });
});

describe('a full disk (/dev/full) is an error, exit 1, for every command', () => {
  const commands: [string, string[]][] = [
    ['eval', ['eval', fixture('obesity.csv'), '-w', fixture('obesity.weights.json')]],
    ['random-init', ['random-init', '--inputs', '2', '--seed', '7']],
    ['export', ['export', '-w', fixture('obesity.weights.json'), '--to', 'js']],
    ['metrics', ['metrics', fixture('obesity.csv'), '-w', fixture('obesity.weights.json'), '--label', 'Condition']],
    ['explain', ['explain', fixture('obesity.csv'), '-w', fixture('obesity.weights.json')]],
    ['train', ['train', fixture('obesity.csv'), '--label', 'Condition', '--standardize', '--epochs', '5']],
  ];
  it.each(commands)('%s -o /dev/full', (_, args) => {
    expect(runBin([...args, '-o', '/dev/full'])).toEqual({
      stdout: '',
      stderr: 'neuron: /dev/full: no space left on the device (the output) — free some space, or write elsewhere\n',
      code: 1,
    });
  });

  it.each(commands)('%s > /dev/full', (_, args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect({ stderr: result.stderr, code: result.status }).toEqual({
        stderr: 'neuron: <stdout>: no space left on the device (the output) — free some space, or write elsewhere\n',
        code: 1,
      });
    } finally {
      closeSync(full);
    }
  });
});
