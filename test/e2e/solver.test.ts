/**
 * End-to-end: `neuron train`'s default solver and `neuron summary` against
 * scikit-learn and statsmodels (fixtures/reference/solver.json, made by
 * fixtures/reference/solver_reference.py), separation, and --history.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unscale } from '../../src/learn/train.js';
import { fixture, runBin } from '../support/helpers.js';

interface Case {
  name: string;
  file: string;
  label: string;
  features: string[];
  C?: number;
  standardize?: boolean;
  sample_weight?: string;
  class_weight?: 'balanced' | Record<string, number>;
  weights: number[];
  bias: number;
  loss: number;
  statsmodels?: Record<string, number[] | number>;
}
const cases = (JSON.parse(readFileSync(fixture('reference/solver.json'), 'utf8')) as { cases: Case[] }).cases;
const dir = mkdtempSync(join(tmpdir(), 'neuron-solver-'));

function optionsOf(c: Case): string[] {
  const args = ['--label', c.label, '--features', c.features.join(',')];
  if (c.C !== undefined) args.push('--C', String(c.C));
  if (c.standardize) args.push('--standardize');
  if (c.sample_weight !== undefined) args.push('--sample-weight', c.sample_weight);
  if (c.class_weight !== undefined) {
    args.push(
      '--class-weight',
      c.class_weight === 'balanced'
        ? 'balanced'
        : Object.entries(c.class_weight)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
    );
  }
  return args;
}

function trainCase(c: Case, extra: string[] = []) {
  const out = join(dir, `${cases.indexOf(c)}-${extra.join('').replace(/\W/g, '')}.json`);
  const result = runBin(['train', c.file, ...optionsOf(c), '-o', out, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  const model = JSON.parse(readFileSync(out, 'utf8')) as { weights: number[]; bias: number; scaling?: { mean: number[]; std: number[] } };
  return { model, out, stderr: result.stderr };
}

const close = (actual: number, expected: number, relative: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

describe('train with the default options reaches scikit-learn optimum', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, (_name, c) => {
    const { model, stderr } = trainCase(c);
    model.weights.forEach((w, j) => {
      close(w, c.weights[j] as number, 1e-6);
    });
    close(model.bias, c.bias, 1e-6);
    expect(stderr).toMatch(/^neuron: trained by newton: \d+ iterations from zeros, converged \(gradient norm [^)]+ <= --gtol 1e-10\): /);
    const loss = Number(/mean log loss ([\d.]+)/.exec(stderr)?.[1]);
    expect(Math.abs(loss - c.loss)).toBeLessThanOrEqual(5e-7); // printed to 6 decimals
  });

  it('--standardize gives the same model in raw units, to 1e-8', () => {
    const c = cases.find((k) => k.name === 'unscaled, unpenalised') as Case;
    const raw = trainCase(c).model;
    const scaled = trainCase(c, ['--standardize']).model;
    const back = unscale(scaled.weights, scaled.bias, scaled.scaling as { mean: number[]; std: number[] });
    back.weights.forEach((w, j) => {
      close(w, raw.weights[j] as number, 1e-8);
    });
    close(back.bias, raw.bias, 1e-8);
  });
});

describe('neuron summary equals statsmodels Logit', () => {
  it.each(cases.filter((c) => c.statsmodels !== undefined).map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, (_name, c) => {
    // Trained with --standardize, so the raw units come from the stored scaling.
    const { out } = trainCase(c, ['--standardize']);
    const result = runBin(['summary', c.file, '-w', out, '--label', c.label, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      coefficients: { coef: number; stdErr: number; z: number; p: number; low: number; high: number }[];
      logLikelihood: number;
      nullLogLikelihood: number;
      pseudoR2: number;
      aic: number;
      bic: number;
      converged: boolean;
    };
    const sm = c.statsmodels as Record<string, number[]>;
    const scalar = (key: string) => sm[key] as unknown as number;
    const columns = [
      ['coef', 'params'],
      ['stdErr', 'bse'],
      ['z', 'z'],
      ['low', 'ci_low'],
      ['high', 'ci_high'],
    ] as const;
    summary.coefficients.forEach((row, j) => {
      for (const [ours, theirs] of columns) close(row[ours], (sm[theirs] as number[])[j] as number, 1e-6);
      // p-values are probabilities: within 1e-9 absolute (relative 1e-6 would ask z to 1e-6 / z², more than statsmodels' own fit holds).
      expect(Math.abs(row.p - ((sm.p as number[])[j] as number))).toBeLessThanOrEqual(1e-9);
    });
    close(summary.logLikelihood, scalar('llf'), 1e-9);
    close(summary.nullLogLikelihood, scalar('llnull'), 1e-9);
    close(summary.pseudoR2, scalar('prsquared'), 1e-8);
    close(summary.aic, scalar('aic'), 1e-9);
    close(summary.bic, scalar('bic'), 1e-9);
    expect(summary.converged).toBe(true);
  });

  it('with an L2 penalty says the usual standard errors do not apply, and shows none', () => {
    const c = cases.find((k) => k.name === 'unscaled, C=0.01') as Case;
    const { out } = trainCase(c);
    const result = runBin(['summary', c.file, '-w', out, '--label', c.label, '--C', '0.01']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('note: with an L2 penalty the estimate is not the maximum-likelihood one, so the usual standard errors');
    expect(result.stdout).toMatch(/converged +yes/);
    expect(result.stdout).not.toMatch(/\n\s*x1 +\S+ +\S+ +\S+/);
  });
});

describe('separated data', () => {
  it("the tutorial's 14 rows: explained on stderr, exit 0, and a finite model that classifies every row right", () => {
    const out = join(dir, 'separated.json');
    const result = runBin(['train', 'fixtures/obesity.csv', '--label', 'Condition', '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('neuron: the classes are perfectly separated');
    expect(result.stderr).toContain('--l2 or --C (such as --C 1) gives a finite, unique optimum');
    const model = JSON.parse(readFileSync(out, 'utf8')) as { weights: number[]; bias: number };
    expect([...model.weights, model.bias].every(Number.isFinite)).toBe(true);
    const metrics = runBin(['metrics', 'fixtures/obesity.csv', '-w', out, '--label', 'Condition', '--format', 'json']);
    expect((JSON.parse(metrics.stdout) as { accuracy: number }).accuracy).toBe(1);
  });

  it('--strict: exit 1 and nothing written', () => {
    const out = join(dir, 'strict.json');
    const result = runBin(['train', 'fixtures/wine-2.csv', '--label', 'class', '--strict', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('separated');
    expect(result.stderr).toContain('nothing written (--strict)');
    expect(() => readFileSync(out)).toThrow();
  });

  it('with --C the optimum is finite: no separation message', () => {
    const result = runBin(['train', 'fixtures/obesity.csv', '--label', 'Condition', '--C', '1', '--quiet']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('train --history', () => {
  it('one JSON line per iteration, line 0 the start (ln 2 from zeros)', () => {
    const history = join(dir, 'history.ndjson');
    const c = cases[0] as Case;
    trainCase(c, ['--history', history]);
    const lines = readFileSync(history, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(Object.keys(lines[0] as object)).toEqual(['iteration', 'objective', 'loss', 'gradientNorm', 'accuracy', 'solver']);
    expect(lines.map((l) => l.iteration)).toEqual(lines.map((_, i) => i));
    expect(Math.abs((lines[0]?.loss as number) - Math.LN2)).toBeLessThan(1e-14);
    expect(Math.abs((lines.at(-1)?.loss as number) - c.loss)).toBeLessThan(1e-9);
    expect(lines.every((l) => l.solver === 'newton')).toBe(true);
  });
});

describe('option errors', () => {
  it.each([
    [['--l2', '1', '--C', '1'], '--l2 and --C both set the penalty'],
    [['--solver', 'newton', '--lr', '1'], '--lr is for --solver gd, not newton'],
    [['--class-weight', 'nope=2'], '--class-weight names "nope", which is not a class'],
    [['--solver', 'gd', '--class-weight', 'balanced'], '--class-weight and --sample-weight need --solver newton or lbfgs'],
  ])('%j', (extra, message) => {
    const result = runBin(['train', 'fixtures/obesity.csv', '--label', 'Condition', ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('--standardize with values near the top of the double range', () => {
  it('scales a feature of ±1e300 (its variance overflows a plain sum) and trains to the same raw model as 1e-300 times it', () => {
    const rows = ['x,y', '1e300,1', '-1e300,0', '5e299,0', '-5e299,1', '2e299,1', '-3e299,0'];
    const big = runBin(['train', '-', '--label', 'y', '--standardize', '--quiet'], { input: `${rows.join('\n')}\n` });
    expect(big.code, big.stderr).toBe(0);
    const model = JSON.parse(big.stdout) as { weights: number[]; scaling: { std: number[] } };
    expect(model.scaling.std[0]).toBeGreaterThan(1e299);
    expect(model.weights.every(Number.isFinite)).toBe(true);
  });
});
