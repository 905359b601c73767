/**
 * The library's scoreValues gives the numbers `neuron eval` gives: on random
 * models (every activation, with and without a threshold, scaling and
 * overrides) and random rows, z, the output and the class agree bit for bit
 * with eval's lossless NDJSON for the same rows written as a CSV. Likewise
 * trainModel and `neuron train` on the same rows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainModel } from '../../src/learn/fit.js';
import { activationNames } from '../../src/neuron/activations.js';
import { scoreRecord, scoreValues } from '../../src/neuron/values.js';
import { neuronModel, runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-values-'));
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
/** A cell that reads back as exactly x: the shortest round-trip text, and "-0" for -0 (JSON.stringify writes "0"). */
const cell = (x: number) => (Object.is(x, -0) ? '-0' : JSON.stringify(x));
/** z as JSON carries it: -0 becomes 0. */
const json = (x: number) => x + 0;

const input = fc.integer({ min: 1, max: 5 }).chain((d) =>
  fc.record({
    weights: fc.array(finite, { minLength: d, maxLength: d }),
    bias: finite,
    activation: fc.constantFrom(...activationNames),
    threshold: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
    scaling: fc.option(
      fc.record({
        mean: fc.array(finite, { minLength: d, maxLength: d }),
        std: fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: d, maxLength: d }),
      }),
      { nil: undefined },
    ),
    overrides: fc.record({
      activation: fc.option(fc.constantFrom(...activationNames), { nil: undefined }),
      threshold: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
    }),
    rows: fc.array(fc.array(finite, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 20 }),
  }),
);

describe('scoreValues and neuron eval', () => {
  it('give the same z, output and class, bit for bit, on random models and rows', async () => {
    await fc.assert(
      fc.asyncProperty(input, async ({ rows, overrides, ...file }) => {
        const features = file.weights.map((_, j) => `x${j + 1}`);
        const weights = join(dir, 'w.json');
        writeFileSync(weights, JSON.stringify({ features, ...file }));
        const csv = `${features.join(',')}\n${rows.map((row) => row.map(cell).join(',')).join('\n')}\n`;
        const flags = [
          ...(overrides.activation === undefined ? [] : ['--activation', overrides.activation]),
          ...(overrides.threshold === undefined ? [] : ['--threshold', String(overrides.threshold)]),
        ];
        const run = await runInProcess(['eval', '-', '-w', weights, '--format', 'ndjson', ...flags], { stdin: csv });
        expect(run.stderr).toBe('');
        const printed = run.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);

        const model = neuronModel(JSON.parse(readFileSync(weights, 'utf8')));
        const activation = overrides.activation ?? file.activation;
        rows.forEach((row, r) => {
          const p = scoreValues(model, row, overrides);
          expect([json(p.z), json(p.output), p.class], `row ${r + 1}`).toEqual([printed[r]?.z, printed[r]?.[activation], printed[r]?.class]);
          const byName = scoreRecord(model, Object.fromEntries(features.map((name, j) => [name, cell(row[j] as number)])), overrides);
          expect(byName).toEqual(p);
        });
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('trainModel and neuron train', () => {
  it('fit the same weights and bias, bit for bit, on random separable-or-not data', async () => {
    const data = fc.integer({ min: 1, max: 3 }).chain((d) =>
      fc.record({
        rows: fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 4, maxLength: 30 }),
        standardize: fc.boolean(),
        epochs: fc.integer({ min: 1, max: 50 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(data, async ({ rows, standardize, epochs }) => {
        // Both classes present: the first half is 0, the rest 1 (the CLI sorts "0" < "1" the same way).
        const labels = rows.map((_, i) => (i < rows.length / 2 ? 0 : 1)) as (0 | 1)[];
        const features = (rows[0] ?? []).map((_, j) => `x${j + 1}`);
        const csv = `${[...features, 'y'].join(',')}\n${rows.map((row, i) => [...row.map(cell), labels[i]].join(',')).join('\n')}\n`;
        const flags = ['--epochs', String(epochs), ...(standardize ? ['--standardize'] : [])];
        const run = await runInProcess(['train', '-', '--label', 'y', '--quiet', ...flags], { stdin: csv });
        fc.pre(run.code === 0); // a constant feature cannot be standardised: both refuse it (unit tests cover the message)
        const cli = JSON.parse(run.stdout) as { weights: number[]; bias: number; scaling?: unknown };
        const { model } = trainModel(rows, labels, { features, epochs, standardize });
        expect({ weights: model.weights.map(json), bias: json(model.bias), scaling: model.scaling }).toEqual({
          weights: cli.weights,
          bias: cli.bias,
          scaling: cli.scaling,
        });
      }),
      { numRuns: Math.max(10, Math.floor(RUNS / 4)) },
    );
  }, 600_000);
});
