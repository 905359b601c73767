/**
 * A softmax layer of two classes is one sigmoid neuron: with w = w1 − w0 and
 * b = b1 − b0, softmax_1 = sigmoid(z1 − z0) and the class is the same. On
 * random layers and rows, `neuron eval` with the two files agrees (rows where
 * z1 − z0 is within rounding of 0 are left out: there the class rules differ
 * on purpose, softmax gives a tie to the first class and sigmoid z >= 0 to
 * the second). The library's scoreValues gives eval's numbers bit for bit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSoftmax, parseModel } from '../../src/neuron/model.js';
import { scoreValues } from '../../src/neuron/values.js';
import { runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-softmax-sigmoid-'));
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const small = fc.double({ min: -10, max: 10, noNaN: true });
const x = fc.double({ min: -100, max: 100, noNaN: true });

const input = fc.integer({ min: 1, max: 4 }).chain((d) =>
  fc.record({
    w0: fc.array(small, { minLength: d, maxLength: d }),
    w1: fc.array(small, { minLength: d, maxLength: d }),
    b0: small,
    b1: small,
    rows: fc.array(fc.array(x, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 20 }),
  }),
);

async function evalJson(weights: object, csv: string): Promise<Record<string, number | string>[]> {
  const path = join(dir, 'w.json');
  writeFileSync(path, JSON.stringify(weights));
  const result = await runInProcess(['eval', '-', '-w', path, '--format', 'json'], { stdin: csv });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, number | string>[];
}

describe('a two-class softmax layer and the equivalent sigmoid neuron', () => {
  it('give the same class and softmax_1 = sigmoid(z1 − z0) on random rows', async () => {
    await fc.assert(
      fc.asyncProperty(input, async ({ w0, w1, b0, b1, rows }) => {
        const features = w0.map((_, j) => `x${j + 1}`);
        const classes = ['no', 'yes'];
        const csv = `${features.join(',')}\n${rows.map((row) => row.map((v) => JSON.stringify(v)).join(',')).join('\n')}\n`;
        const layerFile = { features, weights: [w0, w1], bias: [b0, b1], activation: 'softmax', classes };
        const layer = await evalJson(layerFile, csv);
        const neuron = await evalJson({ features, weights: w1.map((w, j) => w - (w0[j] as number)), bias: b1 - b0, classes }, csv);
        const model = parseModel(layerFile);
        if (!isSoftmax(model)) throw new Error('expected a softmax layer');
        rows.forEach((row, r) => {
          const soft = layer[r] as Record<string, number | string>;
          const one = neuron[r] as Record<string, number | string>;
          const gap = (soft.z_yes as number) - (soft.z_no as number);
          // The two z's are the same sums in another order: equal within rounding of the terms.
          const scale = 1 + Math.abs(b0) + Math.abs(b1) + row.reduce((s, v, j) => s + Math.abs(v) * (Math.abs(w0[j] as number) + Math.abs(w1[j] as number)), 0);
          expect(Math.abs((one.z as number) - gap)).toBeLessThanOrEqual(1e-13 * scale);
          expect(Math.abs((soft.softmax_yes as number) - (one.sigmoid as number))).toBeLessThanOrEqual(1e-13 * scale);
          expect(Math.abs((soft.softmax_no as number) + (soft.softmax_yes as number) - 1)).toBeLessThanOrEqual(1e-15);
          if (Math.abs(gap) > 1e-13 * scale) expect(soft.class).toBe(one.class);
          // The library: the same doubles as eval's lossless JSON (which writes -0 as 0).
          const p = scoreValues(model, row);
          expect([...p.z.map((v) => v + 0), ...p.probabilities, p.class]).toEqual(
            [soft.z_no, soft.z_yes, soft.softmax_no, soft.softmax_yes, soft.class].map((v) => (typeof v === 'number' ? v + 0 : v)),
          );
        });
      }),
      { numRuns: RUNS },
    );
  });
});
