/** Gradient descent: the gradient against finite differences, standardisation, and the failures. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuronError } from '../../src/errors.js';
import { type Dataset, lossAndGradient, objective, runTrainer, standardizeDataset, Trainer, unscale } from '../../src/learn/train.js';

function dataset(rows: number[][], labels: number[]): Dataset {
  return { x: Float64Array.from(rows.flat()), y: Uint8Array.from(labels), rows: rows.length, features: rows[0]?.length ?? 0 };
}

/** The penalised objective at (w, b), as a plain function of the parameters. */
function f(data: Dataset, params: number[], l2: number): number {
  const w = Float64Array.from(params.slice(0, -1));
  const { loss } = lossAndGradient(data, w, params.at(-1) as number, l2, new Float64Array(params.length));
  return objective(loss, w, l2);
}

describe('lossAndGradient', () => {
  it('the loss at zero weights is ln 2 whatever the data', () => {
    const data = dataset(
      [
        [1, 2],
        [3, -4],
        [0.5, 0],
      ],
      [1, 0, 1],
    );
    expect(lossAndGradient(data, new Float64Array(2), 0, 0, new Float64Array(3)).loss).toBeCloseTo(Math.LN2, 15);
  });

  it('is the mean of -log sigmoid(±z), worked by hand for one row', () => {
    // z = 0.5 + 2·1 = 2.5; label 0: loss = -log(1 - sigmoid(2.5)) = log(1 + e^2.5); gradient = sigmoid(2.5)·(1, 1)
    const gradient = new Float64Array(2);
    const { loss, correct } = lossAndGradient(dataset([[1]], [0]), Float64Array.of(2), 0.5, 0, gradient);
    expect(loss).toBeCloseTo(Math.log(1 + Math.exp(2.5)), 14);
    expect(correct).toBe(0);
    const s = 1 / (1 + Math.exp(-2.5));
    expect([...gradient].map((g) => g - s).every((e) => Math.abs(e) < 1e-15)).toBe(true);
  });

  it('agrees with a central finite-difference gradient (with and without L2)', () => {
    const cell = fc.double({ min: -3, max: 3, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.record({
            rows: fc.array(fc.tuple(fc.array(cell, { minLength: d, maxLength: d }), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 12 }),
            params: fc.array(cell, { minLength: d + 1, maxLength: d + 1 }),
            l2: fc.constantFrom(0, 0.3),
          }),
        ),
        ({ rows, params, l2 }) => {
          const data = dataset(
            rows.map(([x]) => x),
            rows.map(([, y]) => y),
          );
          const gradient = new Float64Array(params.length);
          lossAndGradient(data, Float64Array.from(params.slice(0, -1)), params.at(-1) as number, l2, gradient);
          const h = 1e-6;
          params.forEach((_, k) => {
            const up = params.map((p, i) => (i === k ? p + h : p));
            const down = params.map((p, i) => (i === k ? p - h : p));
            const numeric = (f(data, up, l2) - f(data, down, l2)) / (2 * h);
            expect(Math.abs((gradient[k] as number) - numeric)).toBeLessThan(1e-6);
          });
        },
      ),
    );
  });

  it('stays finite for huge z (stable log(1 + e^z))', () => {
    const { loss } = lossAndGradient(dataset([[1000]], [0]), Float64Array.of(1), 0, 0, new Float64Array(2));
    expect(loss).toBe(1000);
  });
});

describe('standardizeDataset', () => {
  it('z-scores in place with the population standard deviation', () => {
    const data = dataset(
      [
        [1, 10],
        [3, 10.5],
      ],
      [0, 1],
    );
    const scaling = standardizeDataset(data, ['a', 'b']);
    expect(scaling).toEqual({ mean: [2, 10.25], std: [1, 0.25] });
    expect([...data.x]).toEqual([-1, -1, 1, 1]);
  });

  it('refuses a constant feature, naming it', () => {
    const data = dataset(
      [
        [1, 5],
        [2, 5],
      ],
      [0, 1],
    );
    expect(() => standardizeDataset(data, ['a', 'b'])).toThrow(/^feature "b" is constant \(5 on every row\)/);
  });

  it('unscale maps weights for standardised inputs back to raw units', () => {
    // w' = 2 on (x - 1) / 4, b' = 3  =>  w = 0.5, b = 3 - 2·1/4 = 2.5
    expect(unscale([2], 3, { mean: [1], std: [4] })).toEqual({ weights: [0.5], bias: 2.5 });
  });
});

describe('Trainer', () => {
  const data = dataset([[-2], [-1], [1], [2], [0.5], [-0.5]], [0, 0, 1, 1, 0, 1]);

  it('lowers the loss at every epoch with a small step', () => {
    const trainer = new Trainer(data, { weights: [0], bias: 0 }, { lr: 0.1, l2: 0 });
    let last = trainer.current.loss;
    for (let i = 0; i < 50; i++) {
      trainer.step(i % 2 === 0);
      expect(trainer.current.loss).toBeLessThan(last);
      last = trainer.current.loss;
    }
  });

  it('stops early when the loss falls by less than tol', () => {
    const result = runTrainer(new Trainer(data, { weights: [0], bias: 0 }, { lr: 0.5, l2: 0 }), { epochs: 100000, lr: 0.5, l2: 0, tol: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.epochs).toBeLessThan(100000);
  });

  it('with tol, a loss that rises is an error, not convergence', () => {
    // lr 50 overshoots: from w = b = 0 (loss ln 2) the gradient is mean((0.5 - y)·x) = -5/12 for w and 0 for b,
    // so w = 50·5/12 = 20.83..., where the loss is 3.4722321988642904
    // (NumPy: np.mean(np.logaddexp(0, z) - y*z) with z = w·x).
    const trainer = new Trainer(data, { weights: [0], bias: 0 }, { lr: 50, l2: 0 });
    expect(() => runTrainer(trainer, { epochs: 100, lr: 50, l2: 0, tol: 1e-9 })).toThrow(/^the loss rose at epoch 1 \(from 0\.693147 to 3\.472232\)$/);
  });

  it('without tol, a loss that rises but stays finite runs every epoch', () => {
    const result = runTrainer(new Trainer(data, { weights: [0], bias: 0 }, { lr: 50, l2: 0 }), { epochs: 7, lr: 50, l2: 0 });
    expect(result).toMatchObject({ epochs: 7, converged: false });
  });

  it('a loss that overflows is an error that says what to do', () => {
    const wild = dataset([[1e200], [-1e200]], [0, 1]);
    const trainer = new Trainer(wild, { weights: [0], bias: 0 }, { lr: 1e300, l2: 0 });
    expect(() => trainer.step()).toThrow(NeuronError);
    expect(() => new Trainer(wild, { weights: [1e300], bias: 0 }, { lr: 0.1, l2: 0 })).toThrow(/^the loss became NaN at epoch 0$/);
  });

  it('no rows is an error', () => {
    expect(() => new Trainer(dataset([], []), { weights: [], bias: 0 }, { lr: 0.1, l2: 0 })).toThrow(/no data rows/);
  });
});
