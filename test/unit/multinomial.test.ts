/**
 * The multinomial fit's behaviour beyond the reference optima: separation
 * without a penalty (Iris: setosa is separable from the rest), the solver
 * auto picks, stepping one iteration at a time, and the checks of its input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chooseMultinomialSolver, fitMultinomial, type MultinomialData, MultinomialFit } from '../../src/learn/multinomial.js';
import { NEWTON_MAX_FEATURES } from '../../src/learn/solvers.js';

interface Case {
  name: string;
  x: number[][];
  y: number[];
  k: number;
}

const reference = JSON.parse(readFileSync('fixtures/reference/multinomial.json', 'utf8')) as { cases: Case[] };
const iris = reference.cases.find((c) => c.name === 'iris, C=1') as Case;
const irisData: MultinomialData = { x: Float64Array.from(iris.x.flat()), n: iris.x.length, d: 4, y: Int32Array.from(iris.y), k: 3 };

describe('separation, without a penalty', () => {
  it('Iris is quasi-separated: the 50 setosa rows become certain, and the fit stops with finite weights', () => {
    const result = fitMultinomial(irisData, { l2: 0, solver: 'newton' });
    expect(result.stop).toBe('separated');
    expect(result.separation?.kind).toBe('quasi');
    expect(result.separation?.rows).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(result.weights.flat().every(Number.isFinite)).toBe(true);
    expect(result.correct).toBe(148);
  });

  it('classes a line separates are perfectly separated', () => {
    const x = Float64Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    const result = fitMultinomial({ x, n: 9, d: 1, y: Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]), k: 3 }, { l2: 0 });
    expect(result.stop).toBe('separated');
    expect(result.separation?.kind).toBe('perfect');
    expect(result.correct).toBe(9);
  });

  it('a penalty gives a finite optimum on the same data', () => {
    const result = fitMultinomial(irisData, { l2: 1 });
    expect(result.stop).toBe('converged');
    expect(result.separation).toBeUndefined();
  });
});

describe('auto', () => {
  it.each([
    [3, 4, 'newton'],
    [10, 19, 'newton'],
    [10, 20, 'lbfgs'],
  ] as const)('%i classes over %i features: %s (k·(d + 1) against NEWTON_MAX_FEATURES)', (k, d, solver) => {
    expect(k * (d + 1) <= NEWTON_MAX_FEATURES).toBe(solver === 'newton');
    expect(chooseMultinomialSolver(k, d)).toBe(solver);
  });
});

describe('stepping', () => {
  it('one step() an iteration, the objective never rising, to the same answer as fitMultinomial', () => {
    const fit = new MultinomialFit(irisData, { l2: 1 });
    const objectives = [fit.point.objective];
    let stop: string | undefined;
    do {
      stop = fit.step();
      objectives.push(fit.point.objective);
    } while (stop === undefined);
    expect(stop).toBe('converged');
    expect(fit.iteration).toBeGreaterThan(2);
    objectives.slice(1).forEach((o, i) => {
      expect(o).toBeLessThanOrEqual(objectives[i] as number);
    });
    expect(fit.result()).toEqual(fitMultinomial(irisData, { l2: 1 }));
    expect(fit.rows).toBe(150);
  });
});

describe('input checks', () => {
  it.each([
    ['a class index out of range', { ...irisData, k: 2 }, /label 101: 2 is not a class index 0\.\.1/],
    ['one class', { ...irisData, k: 1 }, /a softmax layer needs two classes or more, got 1/],
    ['x of the wrong length', { ...irisData, d: 3 }, /x holds 600 numbers, not n × d = 450/],
    ['row weights of the wrong length', { ...irisData, rowWeights: new Float64Array(3) }, /150 rows but 3 row weights/],
  ] as const)('%s', (_name, data, message) => {
    expect(() => fitMultinomial(data, { l2: 1 })).toThrow(message);
  });
});
