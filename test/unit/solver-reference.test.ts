/**
 * The solvers against scikit-learn's optima (fixtures/reference/solver.json,
 * made by solver_reference.py): coefficients within 1e-6 relative, the loss
 * within 1e-9, on real and on unscaled data, for Newton and for L-BFGS.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateAt, frameOf, type Problem, toData } from '../../src/learn/logistic.js';
import { type ClassWeights, rowWeights } from '../../src/learn/row-weights.js';
import { DEFAULT_MAX_ITER, Fit, type IterativeSolver } from '../../src/learn/solvers.js';
import type { Dataset } from '../../src/learn/train.js';

interface Case {
  name: string;
  file: string;
  label: string;
  features: string[];
  standardize?: boolean;
  sample_weight?: string;
  class_weight?: 'balanced' | Record<string, number>;
  l2: number;
  weights: number[];
  bias: number;
  loss: number;
  objective: number;
}

const reference = JSON.parse(readFileSync('fixtures/reference/solver.json', 'utf8')) as { cases: Case[] };

/** The fixture's columns as numbers (these files hold plain numbers only). */
function loadCase(c: Case): { data: Dataset; sample: Float64Array | undefined } {
  const [header, ...lines] = readFileSync(c.file, 'utf8').trimEnd().split('\n');
  const names = (header as string).split(',');
  const rows = lines.map((line) => line.split(',').map(Number));
  const at = (name: string) => names.indexOf(name);
  const d = c.features.length;
  const x = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    c.features.forEach((f, j) => {
      x[i * d + j] = row[at(f)] as number;
    });
  });
  if (c.standardize) {
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < rows.length; i++) mean += x[i * d + j] as number;
      mean /= rows.length;
      let v = 0;
      for (let i = 0; i < rows.length; i++) v += ((x[i * d + j] as number) - mean) ** 2;
      const std = Math.sqrt(v / rows.length);
      for (let i = 0; i < rows.length; i++) x[i * d + j] = ((x[i * d + j] as number) - mean) / std;
    }
  }
  const y = Uint8Array.from(rows, (row) => row[at(c.label)] as number);
  const sample = c.sample_weight === undefined ? undefined : Float64Array.from(rows, (row) => row[at(c.sample_weight as string)] as number);
  return { data: { x, y, rows: rows.length, features: d }, sample };
}

function classWeightsOf(c: Case): ClassWeights | undefined {
  if (c.class_weight === undefined || c.class_weight === 'balanced') return c.class_weight;
  return [c.class_weight['0'] ?? 1, c.class_weight['1'] ?? 1];
}

function solveCase(c: Case, solver: IterativeSolver) {
  const { data, sample } = loadCase(c);
  const problem: Problem = { data, rowWeights: rowWeights(data.y, classWeightsOf(c), sample), l2: c.l2 };
  const fit = new Fit(problem, solver, undefined, { gtol: 1e-10, maxIter: DEFAULT_MAX_ITER[solver] });
  let stop: string | undefined;
  do stop = fit.step();
  while (stop === undefined);
  return { fit, stop, problem };
}

describe.each(['newton', 'lbfgs'] as const)('%s reaches the reference optimum', (solver) => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, (_name, c) => {
    const { fit, stop } = solveCase(c, solver);
    // L-BFGS may stall at rounding a little above 1e-10 (checked: still within the tolerances below).
    expect(stop).toBe(solver === 'newton' ? 'converged' : stop === 'stalled' ? 'stalled' : 'converged');
    if (stop === 'stalled') expect(fit.point.gradientNorm).toBeLessThan(1e-8);
    const { weights, bias } = toData(fit.frame, fit.point.theta);
    weights.forEach((w, j) => {
      const want = c.weights[j] as number;
      expect(Math.abs(w - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want));
    });
    expect(Math.abs(bias - c.bias)).toBeLessThanOrEqual(1e-6 * Math.abs(c.bias));
    expect(Math.abs(fit.point.loss - c.loss)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(fit.point.objective - c.objective)).toBeLessThanOrEqual(1e-9);
  });
});

describe('the frame', () => {
  it('does not change the objective: the same loss at the same raw weights whatever frame evaluates it', () => {
    const c = reference.cases.find((k) => k.name.startsWith('unscaled, unpenalised')) as Case;
    const { data } = loadCase(c);
    const frame = frameOf(data);
    const identity = { mean: new Float64Array(data.features), scale: new Float64Array(data.features).fill(1) };
    const theta = Float64Array.from([...c.weights, c.bias]);
    const raw = evaluateAt({ data, l2: 0 }, identity, theta, 'none', new Float64Array(data.rows));
    const { fit } = solveCase(c, 'newton');
    expect(toData(frame, fit.point.theta).bias).toBeCloseTo(c.bias, 3);
    expect(Math.abs(raw.loss - c.loss)).toBeLessThan(1e-9);
  });
});
