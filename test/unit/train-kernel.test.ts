/**
 * The epoch kernels: the unrolled ones compiled from text give the loop's
 * bits, the inlined sigmoid is activations.ts's, the "tame" flag, and a
 * Trainer that skips the loss fails at the same epoch as one that computes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Dataset, Trainer } from '../../src/learn/train.js';
import { type Kernel, kernelFor, loopKernel, UNROLL_LIMIT } from '../../src/learn/train-kernel.js';
import { sigmoid } from '../../src/neuron/activations.js';

function runKernel(kernel: Kernel, data: Dataset, w: number[], b: number): { gradient: number[]; stats: number[] } {
  const gradient = new Float64Array(data.features + 1);
  const stats = new Float64Array(3);
  kernel(data.x, data.y, data.rows, Float64Array.from(w), b, gradient, stats);
  return { gradient: [...gradient], stats: [...stats] };
}

/** Random data of `d` features, weights and bias, from cells of any size (so z may overflow). */
const problem = fc.integer({ min: 0, max: UNROLL_LIMIT }).chain((d) => {
  const cell = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ noNaN: true, noDefaultInfinity: true }));
  return fc.record({
    d: fc.constant(d),
    rows: fc.array(fc.tuple(fc.array(cell, { minLength: d, maxLength: d }), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 20 }),
    w: fc.array(cell, { minLength: d, maxLength: d }),
    b: cell,
  });
});

function toDataset(d: number, rows: [number[], number][]): Dataset {
  return { x: Float64Array.from(rows.flatMap(([x]) => x)), y: Uint8Array.from(rows.map(([, y]) => y)), rows: rows.length, features: d };
}

describe('kernels', () => {
  it.each([false, true])('unrolled for up to UNROLL_LIMIT features, gives the loop kernel bits (withLoss %s)', (withLoss) => {
    fc.assert(
      fc.property(problem, ({ d, rows, w, b }) => {
        const data = toDataset(d, rows);
        expect(runKernel(kernelFor(d, withLoss), data, w, b)).toEqual(runKernel(loopKernel(withLoss), data, w, b));
      }),
    );
  });

  it.each([
    [1, false],
    [1, true],
    [UNROLL_LIMIT + 1, false],
    [UNROLL_LIMIT + 1, true],
  ])('with %s features (withLoss %s), the bias gradient is sigmoid(z) - y, bit for bit', (d, withLoss) => {
    // One row with x = 0: z is the bias, so the bias slot holds exactly activations.ts's sigmoid(b) - y.
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -800, max: 800 }), fc.constantFrom(0, 1), (b, label) => {
        const data = toDataset(d, [[new Array<number>(d).fill(0), label]]);
        const { gradient } = runKernel(kernelFor(d, withLoss), data, new Array<number>(d).fill(1), b);
        expect(gradient[d]).toBe(sigmoid(b) - label);
      }),
    );
  });

  it.each([
    // z = 2 + 1e300 · x: tame only when no |z| exceeds 1e290.
    ['every |z| small', [0, 1e-300], 1],
    ['a |z| of 1e300', [0, 1], 0],
    ['an infinite z', [0, 1e10], 0],
  ])('flags whether the loss is certainly finite: %s', (_, cells, tame) => {
    // The first feature carries the cell, the others are 0: unrolled (1) and looped (UNROLL_LIMIT + 1).
    for (const d of [1, UNROLL_LIMIT + 1]) {
      const rest = new Array<number>(d - 1).fill(0);
      const data = toDataset(
        d,
        cells.map((c) => [[c, ...rest], 0]),
      );
      expect(runKernel(kernelFor(d, false), data, [1e300, ...rest], 2).stats[2]).toBe(tame);
    }
  });
});

describe('Trainer without the loss', () => {
  it('fails at the same epoch, and otherwise ends at the same weights, as a trainer computing the loss every epoch', () => {
    const run = (data: Dataset, w: number[], lr: number, l2: number, withLoss: boolean): string => {
      try {
        const trainer = new Trainer(data, { weights: w, bias: 0 }, { lr, l2 });
        for (let i = 0; i < 5; i++) trainer.step(withLoss);
        return JSON.stringify([...trainer.weights, trainer.bias, trainer.current.loss]);
      } catch (error) {
        return (error as Error).message;
      }
    };
    fc.assert(
      fc.property(problem, fc.constantFrom(0.1, 10, 1e200), fc.constantFrom(0, 0.01), ({ d, rows, w }, lr, l2) => {
        const data = toDataset(d, rows);
        expect(run(data, w, lr, l2, false)).toBe(run(data, w, lr, l2, true));
      }),
    );
  });
});
