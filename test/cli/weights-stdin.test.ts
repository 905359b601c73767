/**
 * Issue 10, minor: `-w -` reads the weights from standard input when the
 * data is a file (`neuron random-init ... | neuron eval data.csv -w -`);
 * both on standard input, or a terminal there, is a usage error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runBin, runInProcess } from '../support/helpers.js';

const DATA = fixture('obesity.csv');

describe('-w - (weights on standard input)', () => {
  it('random-init | eval data.csv -w - equals eval with the same weights from a file', async () => {
    const weights = (await runInProcess(['random-init', '--seed', '42', '--from', DATA, '--label', 'Condition'])).stdout;
    const file = join(mkdtempSync(join(tmpdir(), 'neuron-wstdin-')), 'w.json');
    writeFileSync(file, weights);
    const piped = runBin(['eval', DATA, '-w', '-', '--keep', 'Condition'], { input: weights });
    const fromFile = runBin(['eval', DATA, '-w', file, '--keep', 'Condition']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(fromFile.stdout);
    expect(piped.stdout.split('\n').length).toBe(16);
  });

  it.each([
    ['metrics', ['metrics', DATA, '-w', '-', '--label', 'Condition', '--format', 'json']],
    ['explain', ['explain', DATA, '-w', '-']],
    ['export', ['export', '-w', '-', '--to', 'python']],
  ])('%s reads them too', async (_, argv) => {
    const weights = (await runInProcess(['random-init', '--seed', '7', '--from', DATA, '--label', 'Condition', '--classes', 'Not Obese,Obese'])).stdout;
    const file = join(mkdtempSync(join(tmpdir(), 'neuron-wstdin-')), 'w.json');
    writeFileSync(file, weights);
    const piped = await runInProcess(argv, { stdin: weights });
    const fromFile = await runInProcess(argv.map((a) => (a === '-' ? file : a)));
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(fromFile.stdout);
  });

  it('errors in piped weights name <stdin>', async () => {
    const result = await runInProcess(['eval', DATA, '-w', '-'], { stdin: '{"weights": [1, 2], "bias": "0"}' });
    expect(result).toEqual({ stdout: '', stderr: 'neuron: <stdin>: bias: expected a finite number, got "0"\n', code: 1 });
  });

  it('the data and the weights both on standard input: exit 2', async () => {
    const result = await runInProcess(['eval', '-', '-w', '-'], { stdin: 'a,b\n1,2\n' });
    expect(result).toEqual({ stdout: '', stderr: 'neuron: the data and the weights are both "-" (standard input) — name a file for one of them\n', code: 2 });
  });

  it('standard input a terminal: refused at once, exit 2', async () => {
    const result = await runInProcess(['eval', DATA, '-w', '-'], { stdinIsTTY: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'neuron: the weights are "-" (standard input), but standard input is a terminal — pipe the weights in (neuron random-init ... | neuron eval data.csv -w -) or name a file\n',
    );
  });
});
