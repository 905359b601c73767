import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datasetOf } from '../../src/learn/fit.js';
import { Trainer } from '../../src/learn/train.js';
import { roundTo, safeLearningRate, sliderRange } from '../../src/playground/compute.js';
import { LESSON_CSV } from '../../src/serve/lesson.js';

const lesson = LESSON_CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const lessonData = datasetOf(
  lesson.map((cells) => [Number(cells[0]), Number(cells[1])]),
  lesson.map((cells) => (cells[2] === 'Obese' ? 1 : 0)),
);

describe('the sliders', () => {
  it.each([
    [0.1, 120],
    [-1.5, 6.2],
    [0, 1],
    [2.3, 1],
    [-40, 1],
    [1234.5, 0.001],
    [0, 0],
  ])('value %d over inputs up to %d: inside a range of round steps, about ±10 of z', (value, largest) => {
    const { min, max, step } = sliderRange(value, largest);
    expect(Math.log10(step)).toBe(Math.round(Math.log10(step)));
    expect(min).toBeLessThanOrEqual(value);
    expect(max).toBeGreaterThanOrEqual(value);
    expect(min).toBe(-max);
    expect((max - min) / step).toBeGreaterThanOrEqual(500);
    expect((max - min) / step).toBeLessThanOrEqual(10_000);
    if (largest > 0) expect(max * largest).toBeGreaterThanOrEqual(10 - 1e-9);
  });

  it('rounds a slider value to its step without float noise', () => {
    expect(roundTo(0.1 + 0.0001 * 3, 0.0001)).toBe(0.1003);
    expect(roundTo(-0.30000000000000004, 0.001)).toBe(-0.3);
    expect(roundTo(12.5, 1)).toBe(13);
  });
});

describe('the learning rate from the data', () => {
  it("is 4n / (n + Σx²) rounded down to one digit: 0.0006 on the lesson's raw table", () => {
    // Σ height² + Σ weight² of the 14 rows (pandas: 93168.85), and n = 14 for the bias column of ones.
    let squares = 0;
    for (const cells of lesson) squares += Number(cells[0]) ** 2 + Number(cells[1]) ** 2;
    expect(squares).toBeCloseTo(93168.85, 9);
    expect((4 * 14) / (14 + squares)).toBeCloseTo(0.000600968955, 12);
    expect(safeLearningRate(lessonData)).toBe(0.0006);
  });

  it('never lets gradient descent raise the loss (property, random data and starts)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), {
          minLength: 2,
          maxLength: 30,
        }),
        fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })),
        (rows, start) => {
          const data = datasetOf(
            rows.map(([a, b]) => [a, b]),
            rows.map(([, , y]) => (y ? 1 : 0)),
          );
          const trainer = new Trainer(data, { weights: start, bias: 0 }, { lr: safeLearningRate(data), l2: 0 });
          let before = trainer.current.loss;
          for (let i = 0; i < 50; i++) {
            trainer.step(true);
            const after = trainer.current.loss;
            expect(after).toBeLessThanOrEqual(before + 1e-12 * Math.max(1, before));
            before = after;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
