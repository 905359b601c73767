/** The CLI in-process: behaviour that depends on the World (terminals, environment, files). */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const W = fixture('obesity.weights.json');
const DATA = fixture('obesity.csv');
const tutorialRow = 'Height (in feet),Weight (in kgs)\n4,80\n';
const ESC = '\u001b[';

describe('output format by default', () => {
  it('is a table when stdout is a terminal, without colour when NO_COLOR is set', async () => {
    const result = await runInProcess(['eval', '-', '-w', W], { stdin: tutorialRow, stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    // The table shows the input columns first (issue 10): which row is which.
    expect(result.stdout).toBe(
      'Height (in feet)  Weight (in kgs)       z  sigmoid             class\n               4               80  2.0000   0.8808 ████████▊   Obese\n',
    );
    expect(result.code).toBe(0);
  });

  it('is a coloured table on a terminal', async () => {
    const result = await runInProcess(['eval', '-', '-w', W], { stdin: tutorialRow, stdoutIsTTY: true, env: { TERM: 'xterm' } });
    expect(result.stdout).toContain(`${ESC}35mObese${ESC}39m`);
  });

  it('shows --keep columns instead of the inputs when --keep is given, and the inputs never in CSV', async () => {
    const table = await runInProcess(['eval', '-', '-w', W, '--keep', 'Weight (in kgs)'], { stdin: tutorialRow, stdoutIsTTY: true });
    expect(table.stdout).toBe('Weight (in kgs)       z  sigmoid             class\n80               2.0000   0.8808 ████████▊   Obese\n');
    const csv = await runInProcess(['eval', '-', '-w', W, '--format', 'csv'], { stdin: tutorialRow, stdoutIsTTY: true });
    expect(csv.stdout).toBe('z,sigmoid,class\n2,0.8807970779778824,Obese\n');
  });

  it('pads by display width through the CLI: 肥満 takes four columns (issue 10, defect 11)', async () => {
    const result = await runInProcess(['eval', '-', '-w', fixture('ab.weights.json'), '--keep', 'name', '--format', 'table'], {
      stdin: 'a,b,name\n1,2,ab\n1,2,肥満\n',
    });
    // z = 1 + 2·2 + 0.5 = 5.5; "name" and 肥満 are both 4 columns wide, "ab" is padded by 2.
    expect(result.stdout).toBe('name       z  identity  class\nab    5.5000    5.5000  1\n肥満  5.5000    5.5000  1\n');
  });

  it('is csv in a pipe, and never has escape codes even with FORCE_COLOR', async () => {
    const result = await runInProcess(['eval', '-', '-w', W], { stdin: tutorialRow, env: { FORCE_COLOR: '3' } });
    expect(result.stdout).toBe('z,sigmoid,class\n2,0.8807970779778824,Obese\n');
  });

  it.each([
    ['out.json', '[\n{"z":2,"sigmoid":0.8807970779778824,"class":"Obese"}\n]\n'],
    ['out.jsonl', '{"z":2,"sigmoid":0.8807970779778824,"class":"Obese"}\n'],
    ['out.tsv', 'z\tsigmoid\tclass\n2\t0.8807970779778824\tObese\n'],
    ['out.txt', 'z,sigmoid,class\n2,0.8807970779778824,Obese\n'],
  ])('follows the extension of -o %s', async (name, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-'));
    const result = await runInProcess(['eval', '-', '-w', W, '-o', join(dir, name)], { stdin: tutorialRow, stdoutIsTTY: true });
    expect(result).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(join(dir, name), 'utf8')).toBe(expected);
  });
});

describe('help and exit codes', () => {
  it.each([
    [[], 2, 'stderr'],
    [['--help'], 0, 'stdout'],
    [['help'], 0, 'stdout'],
    [['help', 'eval'], 0, 'stdout'],
    [['eval', '--help'], 0, 'stdout'],
  ] as const)('neuron %j exits %d with the help on %s', async (argv, code, stream) => {
    const result = await runInProcess([...argv]);
    expect(result.code).toBe(code);
    expect(result[stream]).toMatch(/^Usage: neuron /);
  });
});

describe('standard input', () => {
  it('refuses "-" when stdin is a terminal instead of waiting', async () => {
    const result = await runInProcess(['eval', '-', '-w', W], { stdinIsTTY: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'neuron: the data is "-" (standard input), but standard input is a terminal — pipe the data in (neuron eval - < data.csv) or name a file\n',
    );
  });
});

describe('-o writes atomically', () => {
  it('leaves an existing file untouched and no temporary file when a row is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-'));
    const out = join(dir, 'scores.csv');
    writeFileSync(out, 'previous results\n');
    const result = await runInProcess(['eval', fixture('bad-number.csv'), '-w', W, '-o', out]);
    expect(result.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous results\n');
    expect(readdirSync(dir)).toEqual(['scores.csv']);
  });

  it('replaces the file on success', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-'));
    const out = join(dir, 'scores.csv');
    writeFileSync(out, 'previous results\n');
    const result = await runInProcess(['eval', '-', '-w', W, '-o', out], { stdin: tutorialRow });
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('z,sigmoid,class\n2,0.8807970779778824,Obese\n');
    expect(readdirSync(dir)).toEqual(['scores.csv']);
  });

  it('names a directory that does not exist', async () => {
    const result = await runInProcess(['eval', '-', '-w', W, '-o', '/nonexistent-dir/out.csv'], { stdin: tutorialRow });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'neuron: /nonexistent-dir/out.csv: the directory "/nonexistent-dir" does not exist (the output) — create it first (mkdir -p /nonexistent-dir), or check the path\n',
    );
  });
});

describe('--seed', () => {
  it('is repeatable: the weights saved by --save-weights give the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-'));
    const saved = join(dir, 'w.json');
    const first = await runInProcess(['eval', DATA, '--seed', '7', '--features', 'Weight (in kgs),Height (in feet)', '--save-weights', saved]);
    const again = await runInProcess(['eval', DATA, '-w', saved]);
    expect(first.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(JSON.parse(readFileSync(saved, 'utf8')).init).toEqual({ seed: 7, scheme: 'xavier-uniform', generator: 'mt19937' });
  });
});

describe('random-init', () => {
  it('without --seed picks one and records it', async () => {
    const result = await runInProcess(['random-init', '--inputs', '2'], { seed: 42 });
    expect(JSON.parse(result.stdout)).toEqual({
      weights: [-0.3548541309195532, 1.2748125697609727],
      bias: 0,
      activation: 'sigmoid',
      classes: ['0', '1'],
      init: { seed: 42, scheme: 'xavier-uniform', generator: 'mt19937' },
    });
  });

  it("writes NumPy's weights for --seed and --init", async () => {
    const result = await runInProcess(['random-init', '--features', 'a,b,c', '--seed', '2024', '--init', 'xavier-normal']);
    expect(result.code).toBe(0);
    // np.random.seed(2024); np.random.normal(0, np.sqrt(2/4), 3)   (xavier-normal, 3 inputs: sqrt(2/(3+1)))
    expect(JSON.parse(result.stdout).weights).toEqual([1.1794875722397387, 0.5213835776808718, -0.14250871490263775]);
  });
});

describe('interruption', () => {
  it('stops with exit 130 when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const big = `a,b\n${'1,2\n'.repeat(10000)}`;
    const model = join(mkdtempSync(join(tmpdir(), 'neuron-')), 'w.json');
    writeFileSync(model, '{"weights": [1, 1], "bias": 0}');
    const result = await runInProcess(['eval', '-', '-w', model], { stdin: big, signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
  });
});
