/**
 * gzip input (README, Input rules: gzip): recognised by its magic bytes, not
 * the name, on a file or on standard input, read as the plain text would be
 * (the same output, errors and line numbers), and a damaged stream is one
 * located error, exit 1. Expected outputs are the plain file's own run.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, runBin } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-gzip-'));
const AB = fixture('ab.weights.json');
const OBESITY = fixture('obesity.csv');
const plain = readFileSync(OBESITY);

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const args = ['-w', fixture('obesity.weights.json'), '--label', 'Condition', '--format', 'ndjson'];

describe('Input rules: gzip', () => {
  const expected = runBin(['eval', OBESITY, ...args]);

  it('a .csv.gz file reads as the plain file', () => {
    expect(expected.code).toBe(0);
    expect(runBin(['eval', write('obesity.csv.gz', gzipSync(plain)), ...args])).toEqual(expected);
  });

  it('gzip on standard input reads as the plain file', () => {
    expect(runBin(['eval', '-', ...args], { input: gzipSync(plain) })).toEqual(runBin(['eval', '-', ...args], { input: plain }));
  });

  it('is recognised by its bytes, not its name', () => {
    expect(runBin(['eval', write('named-plain.csv', gzipSync(plain)), ...args])).toEqual(expected);
    const path = join(dir, 'not-compressed.csv.gz');
    copyFileSync(OBESITY, path);
    expect(runBin(['eval', path, ...args])).toEqual(expected);
  });

  it('concatenated gzip members (cat a.gz b.gz) read as one text', () => {
    const text = plain.toString('utf8');
    const cutAt = text.indexOf('\n', 100) + 1;
    const joined = Buffer.concat([gzipSync(text.slice(0, cutAt)), gzipSync(text.slice(cutAt))]);
    expect(runBin(['eval', write('joined.csv.gz', joined), ...args])).toEqual(expected);
  });

  it('a bad cell has the same message and line as in the plain file', () => {
    const bad = Buffer.from('a,b,name\n1,2,"x\ny"\n\n5,oops,z\n');
    const plainRun = runBin(['eval', '-', '-w', AB], { input: bad });
    expect(plainRun.stderr).toBe('neuron: <stdin>:5:2: column "b": "oops" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n');
    expect(runBin(['eval', '-', '-w', AB], { input: gzipSync(bad) })).toEqual(plainRun);
  });

  it('a truncated gzip stream (here, only the checksum is cut off: every row is there) is an error, exit 1', () => {
    const text = 'a,b\n1,2\n3,4\n5,6\n7,8\n';
    const whole = gzipSync(text);
    const result = runBin(['eval', '-', '-w', AB], { input: whole.subarray(0, whole.length - 4) });
    expect(result).toEqual({
      stdout: 'z,identity,class\n5.5,5.5,1\n11.5,11.5,1\n17.5,17.5,1\n23.5,23.5,1\n',
      stderr:
        'neuron: <stdin>: the gzip data ends early: the file is truncated — check it with gzip -t; zcat shows how much of it can be read; compress or copy it again\n',
      code: 1,
    });
  });

  it('a corrupt gzip stream (a damaged checksum) is an error, exit 1, and -o leaves no file', () => {
    const whole = gzipSync('a,b\n1,2\n');
    whole[whole.length - 6] = (whole[whole.length - 6] as number) ^ 0xff;
    const out = join(dir, 'out.csv');
    const result = runBin(['eval', write('corrupt.csv.gz', whole), '-w', AB, '-o', out]);
    expect(result.stderr).toMatch(/^neuron: .*corrupt\.csv\.gz: the gzip data is corrupt \(incorrect data check\) — check it with gzip -t/);
    expect(result.code).toBe(1);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('an empty gzip stream is empty data', () => {
    expect(runBin(['eval', '-', '-w', AB], { input: gzipSync('') })).toEqual(runBin(['eval', '-', '-w', AB], { input: '' }));
  });
});
