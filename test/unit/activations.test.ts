import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationNames, activations, sigmoid } from '../../src/neuron/activations.js';

describe('activations', () => {
  // Expected values: 1/(1+e^-2) = 0.880797077977882444... (Python decimal, 50 digits), whose nearest double is 0.8807970779778824.
  it.each([
    ['sigmoid', 0, 0.5],
    ['sigmoid', 2, 0.8807970779778824],
    ['sigmoid', -2, 0.11920292202211755],
    ['sigmoid', 1000, 1],
    ['sigmoid', -1000, 0],
    ['tanh', 0, 0],
    ['tanh', 1, 0.7615941559557649],
    ['relu', -3, 0],
    ['relu', 2.5, 2.5],
    ['identity', -7.25, -7.25],
    ['step', 0, 1],
    ['step', -1e-300, 0],
    ['step', 5, 1],
  ] as const)('%s(%d) = %d', (name, z, expected) => {
    expect(activations[name].fn(z)).toBe(expected);
  });

  it('lists every activation in the table', () => {
    expect(activationNames).toEqual(['sigmoid', 'tanh', 'relu', 'identity', 'step']);
  });

  it('sigmoid is never NaN and stays in [0, 1] for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (z) => {
        const s = sigmoid(z);
        return s >= 0 && s <= 1;
      }),
    );
  });

  it('sigmoid is >= 0.5 for z >= 0 and <= 0.5 for z < 0', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (z) => (z >= 0 ? sigmoid(z) >= 0.5 : sigmoid(z) <= 0.5)));
  });

  it('rounds to exactly 0.5 just below zero: why the class is decided on z', () => {
    expect(sigmoid(-5e-324)).toBe(0.5);
    expect(sigmoid(-1e-17)).toBe(0.5);
  });

  it('sigmoid is monotone', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return sigmoid(lo) <= sigmoid(hi);
      }),
    );
  });
});
