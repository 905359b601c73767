/** The model seen on two axes: z in the data's units, the boundary line and its clipping. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryZ, clipLine, planeOf, zAt } from '../../src/learn/plane.js';
import { activations, sigmoid } from '../../src/neuron/activations.js';
import { bindModel } from '../../src/neuron/columns.js';
import { Scorer } from '../../src/neuron/scorer.js';
import { neuronModel } from '../support/helpers.js';

const model = (json: object) => neuronModel(json, 'test.json');

describe('planeOf', () => {
  it('is z = w·x + b for a plain model (the tutorial: -1.5 h + 0.1 w)', () => {
    const plane = planeOf(model({ weights: [-1.5, 0.1], bias: 0 }), 0, 1, [0, 0]);
    expect(plane).toEqual({ a: -1.5, c: 0.1, d: 0 });
    expect(zAt(plane, 4, 80)).toBeCloseTo(2, 12); // the lesson's row: z = -6 + 8
  });

  it('gives the Scorer’s z for any row of a standardised model with a third input held', () => {
    const m = model({ weights: [0.7, -1.2, 0.4], bias: 0.3, scaling: { mean: [5, 70, 1], std: [0.5, 20, 2] } });
    const bound = bindModel(m, { names: ['a', 'b', 'c'], fromHeader: true });
    const scorer = new Scorer(bound);
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (x, y, held) => {
          const expected = scorer.score([String(x), String(y), String(held)], 2, undefined, { z: 0, output: 0, cls: 0 })?.z as number;
          expect(zAt(planeOf(m, 0, 1, [0, 0, held]), x, y)).toBeCloseTo(expected, 9);
        },
      ),
    );
  });
});

describe('boundaryZ', () => {
  it('is 0 without a threshold, the logit of a sigmoid threshold, and undefined where no z passes or every z does', () => {
    expect(boundaryZ(sigmoid, undefined)).toBe(0);
    expect(boundaryZ(sigmoid, 0.8)).toBeCloseTo(Math.log(0.8 / 0.2), 9);
    expect(boundaryZ(activations.tanh.fn, 0.5)).toBeCloseTo(Math.atanh(0.5), 9);
    expect(boundaryZ(activations.relu.fn, 2)).toBeCloseTo(2, 9);
    expect(boundaryZ(activations.relu.fn, 0)).toBeUndefined();
    expect(boundaryZ(sigmoid, 1.5)).toBeUndefined();
  });
});

describe('clipLine', () => {
  it('clips the tutorial boundary w = 15 h to the box', () => {
    const plane = { a: -1.5, c: 0.1, d: 0 };
    expect(clipLine(plane, 0, { min: 4, max: 6 }, { min: 40, max: 120 })).toEqual([
      [4, 60],
      [6, 90],
    ]);
    // Leaving through the top: h = 120 / 15 = 8.
    const top = clipLine(plane, 0, { min: 4, max: 10 }, { min: 40, max: 120 });
    expect(top?.[1][0]).toBeCloseTo(8, 12);
    expect(top?.[1][1]).toBeCloseTo(120, 12);
  });

  it('misses a box the line does not cross, and handles a vertical line', () => {
    expect(clipLine({ a: 0, c: 1, d: -500 }, 0, { min: 0, max: 1 }, { min: 0, max: 1 })).toBeUndefined();
    expect(clipLine({ a: 1, c: 0, d: -0.5 }, 0, { min: 0, max: 1 }, { min: 0, max: 2 })).toEqual([
      [0.5, 0],
      [0.5, 2],
    ]);
  });
});
