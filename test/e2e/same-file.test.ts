/**
 * Issue 10, defect 7: an output that is an input (or another output) is
 * refused before anything is read or written, exit 2, naming both; the
 * input is left byte for byte as it was. Through a symlink and a hard link too.
 */
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runBin } from '../support/helpers.js';

const DATA = 'a,b\n1,2\n3,4\n';
const WEIGHTS = readFileSync(fixture('ab.weights.json'), 'utf8');

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neuron-same-'));
  writeFileSync(join(dir, 'in.csv'), DATA);
  writeFileSync(join(dir, 'w.json'), WEIGHTS);
  symlinkSync('in.csv', join(dir, 'link.csv'));
  linkSync(join(dir, 'in.csv'), join(dir, 'hard.csv'));
  symlinkSync('m.json', join(dir, 'dangling.json'));
  return dir;
}

const destroys = (output: string, input: string) =>
  `neuron: ${output} is the same file as ${input}: writing it would destroy the input — write the output to another file\n`;

describe('an output that is an input is refused, exit 2, the input untouched', () => {
  it.each([
    { args: ['eval', 'in.csv', '-w', 'w.json', '-o', 'in.csv'], stderr: destroys('-o "in.csv"', 'the data "in.csv"') },
    { args: ['eval', 'in.csv', '-w', 'w.json', '-o', './link.csv'], stderr: destroys('-o "./link.csv"', 'the data "in.csv"') },
    { args: ['eval', 'in.csv', '-w', 'w.json', '-o', 'hard.csv'], stderr: destroys('-o "hard.csv"', 'the data "in.csv"') },
    { args: ['eval', 'in.csv', '-w', 'w.json', '-o', 'w.json'], stderr: destroys('-o "w.json"', '--weights "w.json"') },
    { args: ['eval', 'in.csv', '-w', 'w.json', '--label', 'a', '--metrics', 'in.csv'], stderr: destroys('--metrics "in.csv"', 'the data "in.csv"') },
    { args: ['train', 'in.csv', '--label', 'a', '-o', 'in.csv'], stderr: destroys('-o "in.csv"', 'the data "in.csv"') },
    { args: ['export', '-w', 'w.json', '--to', 'js', '-o', 'w.json'], stderr: destroys('-o "w.json"', '--weights "w.json"') },
    { args: ['metrics', 'link.csv', '-w', 'w.json', '--label', 'a', '-o', 'hard.csv'], stderr: destroys('-o "hard.csv"', 'the data "link.csv"') },
    { args: ['explain', 'in.csv', '-w', 'w.json', '-o', 'link.csv'], stderr: destroys('-o "link.csv"', 'the data "in.csv"') },
    { args: ['random-init', '--from', 'in.csv', '-o', 'in.csv'], stderr: destroys('-o "in.csv"', '--from "in.csv"') },
  ])('$args', ({ args, stderr }) => {
    const dir = workdir();
    const result = runBin(args, { cwd: dir });
    expect(result).toEqual({ stdout: '', stderr, code: 2 });
    expect(readFileSync(join(dir, 'in.csv'), 'utf8')).toBe(DATA);
    expect(readFileSync(join(dir, 'w.json'), 'utf8')).toBe(WEIGHTS);
  });

  it('two outputs that are one file (also through a dangling symlink) are refused before either is written', () => {
    const dir = workdir();
    const result = runBin(['eval', 'in.csv', '-w', 'w.json', '--label', 'a', '--metrics', 'dangling.json', '-o', 'm.json'], { cwd: dir });
    expect(result).toEqual({
      stdout: '',
      stderr: 'neuron: -o "m.json" and --metrics "dangling.json" are the same file — give each output its own file\n',
      code: 2,
    });
  });

  it('distinct files are fine', () => {
    const dir = workdir();
    const result = runBin(['eval', 'in.csv', '-w', 'w.json', '-o', 'out.csv'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('z,identity,class\n5.5,5.5,1\n11.5,11.5,1\n');
  });
});
