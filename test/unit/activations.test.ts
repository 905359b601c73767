import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Activation, activationNames, activations, sigmoid } from '../../src/neuron/activations.js';

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

/**
 * The table's own facts, checked against its functions for every entry, so
 * that a new activation cannot be added with a range, midpoint, rule or
 * exported code that disagrees with what it computes.
 */
describe.each(activationNames)('the %s entry of the table', (name) => {
  const entry: Activation = activations[name];
  const [low, high] = entry.range;
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('has every output inside its range', () => {
    fc.assert(fc.property(finite, (z) => entry.fn(z) >= low && entry.fn(z) <= high));
  });

  it('reaches the ends of its range (a finite end at z = ∓1000, an infinite one without bound)', () => {
    if (Number.isFinite(low)) expect(entry.fn(-1000)).toBe(low);
    else expect(entry.fn(-1e300)).toBeLessThanOrEqual(-1e300);
    if (Number.isFinite(high)) expect(entry.fn(1000)).toBe(high);
    else expect(entry.fn(1e300)).toBeGreaterThanOrEqual(1e300);
  });

  it('has the output at z = 0 as its midpoint', () => {
    expect(Object.is(entry.fn(0), entry.midpoint)).toBe(true);
  });

  it('is monotone (the class rule z >= 0 is a rule on the output too)', () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return entry.fn(lo) <= entry.fn(hi);
      }),
    );
  });

  it('states the rule on the output only where output >= midpoint tells z >= 0 (away from the rounding at 0)', () => {
    if (!entry.ruleOnOutput) return;
    const awayFromZero = finite.filter((z) => Math.abs(z) >= 1e-6);
    fc.assert(fc.property(awayFromZero, (z) => entry.fn(z) >= entry.midpoint === z >= 0));
  });

  it('is a probability only if its outputs lie in [0, 1]', () => {
    if (entry.probability) expect([low >= 0, high <= 1]).toEqual([true, true]);
  });

  it("writes explain's middle step as its formula (z put in as z)", () => {
    const middle = entry.substituted('z', '-z');
    expect(middle === undefined ? 'z' : middle.replace(/^\((.*)\)$/, '$1')).toBe(entry.formula);
  });

  it('exports JavaScript that computes fn bit for bit', () => {
    const exported = new Function('z', `${entry.js.join('\n')}\nreturn output;`) as (z: number) => number;
    fc.assert(fc.property(finite, (z) => Object.is(exported(z), entry.fn(z))));
    for (const z of [0, -0, 1000, -1000, 745.14, -745.14, 5e-324, -5e-324]) expect(Object.is(exported(z), entry.fn(z))).toBe(true);
  });
});

describe('activation facts live in the table alone', () => {
  const sourceRoot = fileURLToPath(new URL('../../src/', import.meta.url));
  const files = readdirSync(sourceRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('activations.ts'));
  const names = activationNames.join('|');
  // A test of an activation's name, or a table keyed by activation, outside src/neuron/activations.ts.
  const outside = new RegExp(String.raw`(?:[=!]==\s*['"](?:${names})['"]|['"](?:${names})['"]\s*[=!]==|case\s+['"](?:${names})['"]|Record<ActivationName)`);

  it.each(files)('%s tests no activation by name', (file) => {
    const text = readFileSync(join(sourceRoot, file), 'utf8');
    expect(text.split('\n').filter((line) => outside.test(line))).toEqual([]);
  });
});
