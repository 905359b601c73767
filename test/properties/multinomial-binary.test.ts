/**
 * Two paths that must agree: a softmax over two classes is logistic
 * regression. The multinomial fit with penalty l2 (on both centred rows
 * ±w/2, so (l2/4)·|w|²) and the binary solver with λ = l2/(2n) give the
 * same probabilities and the same objective, on any data (the objective:
 * the loss alone is first-order in the weights at a penalised optimum, and
 * can be tiny).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toData } from '../../src/learn/logistic.js';
import { fitMultinomial } from '../../src/learn/multinomial.js';
import { Fit } from '../../src/learn/solvers.js';

const sample = fc
  .record({ d: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 4, max: 30 }), l2: fc.double({ min: 0.01, max: 10, noNaN: true }) })
  .chain(({ d, n, l2 }) =>
    fc.record({
      d: fc.constant(d),
      l2: fc.constant(l2),
      x: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: n * d, maxLength: n * d }),
      // Both classes present: the first two rows are one of each.
      y: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n - 2, maxLength: n - 2 }).map((y) => [0, 1, ...y]),
      weights: fc.option(fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: n, maxLength: n }), { nil: undefined }),
    }),
  );

describe('two classes', () => {
  it('fitMultinomial(k = 2, l2) and the binary solver (λ = l2/(2n)) agree in probability and objective', () => {
    fc.assert(
      fc.property(sample, ({ d, l2, x, y, weights }) => {
        const n = y.length;
        const data = Float64Array.from(x);
        const rowWeights = weights === undefined ? undefined : Float64Array.from(weights, (w) => w + 0.1);
        const softmax = fitMultinomial({ x: data, n, d, y: Int32Array.from(y), k: 2, rowWeights }, { l2, gtol: 1e-12 });
        const fit = new Fit({ data: { x: data, y: Uint8Array.from(y), rows: n, features: d }, rowWeights, l2: l2 / (2 * n) }, 'newton', undefined, {
          gtol: 1e-12,
          maxIter: 100,
        });
        while (fit.step() === undefined);
        const binary = toData(fit.frame, fit.point.theta);
        for (let i = 0; i < n; i++) {
          const row = Array.from(data.subarray(i * d, (i + 1) * d));
          const z = (w: readonly number[], b: number) => w.reduce((s, wj, j) => s + wj * (row[j] as number), b);
          const z0 = z(softmax.weights[0] as number[], softmax.bias[0] as number);
          const z1 = z(softmax.weights[1] as number[], softmax.bias[1] as number);
          const p1 = 1 / (1 + Math.exp(z0 - z1));
          const q1 = 1 / (1 + Math.exp(-z(binary.weights, binary.bias)));
          expect(Math.abs(p1 - q1)).toBeLessThanOrEqual(1e-8);
        }
        expect(Math.abs(softmax.objective - fit.point.objective)).toBeLessThanOrEqual(1e-10 * fit.point.objective);
      }),
      { numRuns: 60 },
    );
  });
});
