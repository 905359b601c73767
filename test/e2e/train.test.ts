/**
 * End-to-end: `neuron train`. Convergence is checked against the optimum
 * scikit-learn's LogisticRegression(penalty=None) reaches on
 * fixtures/obesity-200.csv, recorded in fixtures/reference/train.json by
 * fixtures/reference/train_reference.py.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import type { World } from '../../src/cli/world.js';
import { unscale } from '../../src/learn/train.js';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { BIN, fixture, ROOT, runBin, runInProcess } from '../support/helpers.js';

const reference = JSON.parse(readFileSync(fixture('reference/train.json'), 'utf8')) as {
  weights: number[];
  bias: number;
  mean_log_loss: number;
  classes: string[];
  features: string[];
};

interface Trained {
  features: string[];
  weights: number[];
  bias: number;
  classes: string[];
  scaling: { mean: number[]; std: number[] };
}

function train(args: string[]): { model: Trained; stderr: string; stdout: string } {
  const result = runBin(['train', 'fixtures/obesity-200.csv', '--label', 'Condition', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return { model: JSON.parse(result.stdout) as Trained, stderr: result.stderr, stdout: result.stdout };
}

/** The mean log loss of a raw-units model on the fixture, computed here from the CSV (not by neuron). */
function meanLogLoss(weights: number[], bias: number): number {
  const lines = readFileSync(fixture('obesity-200.csv'), 'utf8').trim().split('\n').slice(1);
  let total = 0;
  for (const line of lines) {
    const cells = line.split(',');
    const z = bias + weights.reduce((sum, w, j) => sum + w * Number(cells[j]), 0);
    const y = cells[3] === 'Obese' ? 1 : 0;
    total += Math.log(1 + Math.exp(-Math.abs(z))) + Math.max(z, 0) - y * z;
  }
  return total / lines.length;
}

describe('train converges to the unpenalised optimum (scikit-learn)', () => {
  it('with --standardize --lr 1: loss within 1e-4, raw-unit weights within 1e-3', () => {
    const { model } = train(['--standardize', '--lr', '1']);
    expect(model.features).toEqual(reference.features);
    expect(model.classes).toEqual(reference.classes);
    const raw = unscale(model.weights, model.bias, model.scaling);
    raw.weights.forEach((w, j) => {
      expect(Math.abs(w - (reference.weights[j] as number))).toBeLessThan(1e-3);
    });
    expect(Math.abs(raw.bias - reference.bias)).toBeLessThan(1e-3);
    expect(Math.abs(meanLogLoss(raw.weights, raw.bias) - reference.mean_log_loss)).toBeLessThan(1e-4);
  });

  it('gd with its default options (lr 0.1, 1000 epochs): loss within 1e-4', () => {
    const { model } = train(['--standardize', '--solver', 'gd']);
    const raw = unscale(model.weights, model.bias, model.scaling);
    expect(Math.abs(meanLogLoss(raw.weights, raw.bias) - reference.mean_log_loss)).toBeLessThan(1e-4);
  });

  it('the summary reports the final loss and training accuracy', () => {
    const { stderr } = train(['--standardize', '--lr', '1']);
    // sklearn's optimum: mean log loss 0.399209..., training accuracy 0.79 = 158/200
    expect(stderr).toMatch(
      /^neuron: trained by gd: 1000 epochs from zeros: mean log loss 0\.399209, gradient norm \d\.\d\de-\d+, accuracy 158\/200 = 79\.00% on the training data\n$/,
    );
  });
});

describe('train output', () => {
  it('is byte-identical for the same data, options and seed', () => {
    const a = train(['--standardize', '--seed', '3', '--epochs', '50']);
    const b = train(['--standardize', '--seed', '3', '--epochs', '50']);
    expect(a.stdout).toBe(b.stdout);
    expect(train(['--standardize', '--seed', '4', '--epochs', '50']).stdout).not.toBe(a.stdout);
  });

  it('eval applies the stored scaling: z equals w·((x - mean) / std) + b', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-train-'));
    const weights = join(dir, 'w.json');
    expect(runBin(['train', 'fixtures/obesity-200.csv', '--label', 'Condition', '--standardize', '--epochs', '20', '-o', weights]).code).toBe(0);
    const model = JSON.parse(readFileSync(weights, 'utf8')) as Trained;
    const evaluated = runBin(['eval', 'fixtures/obesity-200.csv', '-w', weights, '--format', 'csv']);
    const firstZ = Number(evaluated.stdout.split('\n')[1]?.split(',')[0]);
    const x = [6.35, 44.7, 18]; // row 1 of the fixture
    const z = x.reduce(
      (sum, v, j) => sum + (model.weights[j] as number) * ((v - (model.scaling.mean[j] as number)) / (model.scaling.std[j] as number)),
      model.bias,
    );
    expect(firstZ).toBe(z);
  });
});

describe('progress bar', () => {
  async function runWithStderr(isTTY: boolean, extra: string[] = []): Promise<string> {
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stderr.on('data', (c: Buffer) => chunks.push(c));
    const world: World = {
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      stdout: Object.assign(new PassThrough().resume(), { isTTY: false }),
      stderr: Object.assign(stderr, { isTTY, columns: 100 }),
      env: {},
      randomSeed: () => 1,
    };
    const code = await run(['train', fixture('obesity-200.csv'), '--label', 'Condition', '--standardize', '--solver', 'gd', ...extra], world);
    expect(code).toBe(0);
    return Buffer.concat(chunks).toString('utf8');
  }

  it('is drawn on a terminal, with the epoch, objective and gradient norm, and the summary line gives the time', async () => {
    const text = await runWithStderr(true);
    expect(text).toMatch(/epoch 1000\/1000 \| objective 0\.399215 \| gradient norm \d\.\d\de-\d/);
    expect(text).toMatch(/neuron: trained by gd: 1000 epochs[^\n]*training data, \d+\.\d\d s\n/);
  });

  it('is not drawn when stderr is not a terminal, and --quiet silences the summary too', async () => {
    expect(await runWithStderr(false)).toMatch(/^neuron: trained by gd: 1000 epochs[^\n]*training data\n$/);
    expect(await runWithStderr(true, ['--quiet'])).toBe('');
  });
});

describe('reading the data', () => {
  const obesity = readFileSync(fixture('obesity.csv'), 'utf8');
  const [header = '', ...rows] = obesity.trim().split('\n');
  const weights = (stdout: string) => {
    const model = JSON.parse(stdout) as Trained;
    return [...model.weights, model.bias];
  };

  it('trains on the rows repeated 300 times (4200 rows, past several buffer doublings) as on the rows once', async () => {
    // Repeating every row leaves the mean gradient unchanged, so the weights agree up to rounding.
    const once = await runInProcess(['train', '-', '--label', 'Condition', '--standardize', '--epochs', '50', '--quiet'], { stdin: obesity });
    const repeated = `${header}\n${Array.from({ length: 300 }, () => rows.join('\n')).join('\n')}\n`;
    const many = await runInProcess(['train', '-', '--label', 'Condition', '--standardize', '--epochs', '50', '--quiet'], { stdin: repeated });
    expect([once.code, many.code]).toEqual([0, 0]);
    const expected = weights(once.stdout);
    weights(many.stdout).forEach((w, j) => {
      expect(Math.abs(w - (expected[j] as number))).toBeLessThan(1e-7 * Math.max(1, Math.abs(expected[j] as number)));
    });
  });

  it('with --no-header, trains on the same rows by column number', async () => {
    const named = await runInProcess(['train', '-', '--label', 'Condition', '--standardize', '--epochs', '20', '--quiet'], { stdin: obesity });
    const numbered = await runInProcess(['train', '-', '--no-header', '--label', '3', '--standardize', '--epochs', '20', '--quiet'], {
      stdin: `${rows.join('\n')}\n`,
    });
    expect(numbered.code).toBe(0);
    expect(weights(numbered.stdout)).toEqual(weights(named.stdout));
    expect((JSON.parse(numbered.stdout) as Trained).features).toEqual(['1', '2']);
  });

  it.each([
    [[], 'neuron: <stdin>: the data is empty: no header line — the first line must name the columns\n'],
    [['--no-header'], 'neuron: <stdin>: the data is empty — give at least one row\n'],
  ])('an empty input %j is a data error', async (extra, message) => {
    const result = await runInProcess(['train', '-', '--label', '1', ...extra], { stdin: '' });
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
  });
});

describe('Ctrl-C', () => {
  it('while reading: exit 130, nothing written', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runInProcess(['train', fixture('obesity-200.csv'), '--label', 'Condition'], { signal: controller.signal });
    expect(result).toEqual({ code: 130, stdout: '', stderr: '' });
  });

  it('while training: exit 130 within a moment, nothing written', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const args = ['train', fixture('obesity-200.csv'), '--label', 'Condition', '--standardize', '--epochs', '1000000'];
    const result = await runInProcess(args, { signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^neuron: interrupted at epoch \d+, nothing written\n$/);
  });
});

describe('train --l2 0, however it is written', () => {
  const base = ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--standardize', '--epochs', '3'];
  const unpenalised = runBin(base);
  it.each(['0', '0.0', '0e0', '-0'])('--l2 %s trains as no --l2 at all', (l2) => {
    expect(unpenalised.code).toBe(0);
    expect(runBin([...base, '--l2', l2])).toEqual(unpenalised);
  });
});

// The trained weights in train-obesity-standardize and train-numeric-labels were checked against
// plain NumPy gradient descent (w -= lr·Xᵀ(σ(Xw + b) - y)/n from zeros, population-std z-scores):
// [-1.26886552, 2.66572556], bias -0.4465159723132471, loss 0.093092, 14/14 correct; and
// [0.23260888], bias -0.14042095342170202, loss 0.605017, 3/6 correct.
const cases: GoldenCase[] = [
  { name: 'train-obesity-standardize', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--standardize', '--epochs', '200'] },
  { name: 'train-classes-option', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--classes', 'Not Obese', '--standardize', '--epochs', '3'] },
  { name: 'train-numeric-labels', args: ['train', 'fixtures/train-numeric-labels.csv', '--label', 'label', '--epochs', '3', '--lr', '0.5'] },
  { name: 'train-one-class', args: ['train', 'fixtures/train-one-class.csv', '--label', 'label'] },
  { name: 'train-one-class-with-classes', args: ['train', 'fixtures/train-one-class.csv', '--label', 'label', '--classes', 'no,yes'] },
  { name: 'train-three-classes', args: ['train', 'fixtures/train-three-classes.csv', '--label', 'label', '--C', '1'] },
  { name: 'train-constant-feature', args: ['train', 'fixtures/train-constant.csv', '--label', 'label', '--standardize'] },
  { name: 'train-bad-cell', args: ['train', 'fixtures/train-bad-cell.csv', '--label', 'label'] },
  { name: 'train-no-label', args: ['train', 'fixtures/obesity.csv'] },
  { name: 'train-diverges', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--lr', '1e307', '--epochs', '5'] },
  // One epoch at --lr 5 from zeros takes the loss from ln 2 to 588.3609693877551 (NumPy, same update).
  { name: 'train-tol-diverges', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--lr', '5', '--tol', '1e-9'] },
  { name: 'train-bad-classes', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--classes', 'Obese,'] },
  { name: 'train-bad-lr', args: ['train', 'fixtures/obesity.csv', '--label', 'Condition', '--lr', '0'] },
];

describe('train golden files', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => checkGolden(c));
});

describe('train where code generation is disabled', () => {
  it('falls back to the plain loop and writes the same weights', () => {
    const args = [BIN, 'train', 'fixtures/obesity.csv', '--label', 'Condition', '--standardize', '--epochs', '20'];
    const normal = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    const locked = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(normal.status).toBe(0);
    expect({ stdout: locked.stdout, stderr: locked.stderr, code: locked.status }).toEqual({ stdout: normal.stdout, stderr: normal.stderr, code: 0 });
  });
});

describe('train reads quoted and unquoted data alike', () => {
  it('gives the same weights for the obesity data with every field quoted (csv-parse) as without (the fast path)', async () => {
    const plain = readFileSync(fixture('obesity.csv'), 'utf8');
    const quoted = plain
      .trimEnd()
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .map((cell) => `"${cell}"`)
          .join(','),
      )
      .join('\n');
    const args = ['train', '-', '--label', 'Condition', '--standardize', '--epochs', '50'];
    const fast = await runInProcess(args, { stdin: plain });
    const slow = await runInProcess(args, { stdin: `${quoted}\n` });
    expect(fast.code).toBe(0);
    expect(slow).toEqual(fast);
  });
});
