/**
 * End-to-end: `neuron explain`. The tutorial row's numbers are worked by
 * hand in test/unit/explain.test.ts (z = -1.5·4 + 0.1·80 + 0 = 2,
 * sigmoid(2) = 0.8808); the scaled model's row 1 by hand:
 * x' = ((4 - 5) / 0.5, (80 - 80) / 20) = (-2, 0), z = -1·-2 + 2·0 + 0.5 = 2.5, sigmoid = 0.9241.
 * The softmax layer's and the encoded model's numbers are NumPy's
 * (fixtures/reference/explain_reference.py → explain.json), checked below.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LayerSteps, Steps } from '../../src/learn/explain.js';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { fixture, runBin } from '../support/helpers.js';

const data = 'fixtures/obesity.csv';
const weights = 'fixtures/obesity.weights.json';

const cases: GoldenCase[] = [
  { name: 'explain-tutorial-row', args: ['explain', data, '-w', weights, '--label', 'Condition'] },
  { name: 'explain-rows-json', args: ['explain', data, '-w', weights, '--rows', '1-2', '--format', 'json', '--label', 'Condition'] },
  { name: 'explain-scaled', args: ['explain', data, '-w', 'fixtures/obesity.scaled.weights.json', '--row', '1'] },
  { name: 'explain-tanh-threshold', args: ['explain', data, '-w', weights, '--row', '7', '--activation', 'tanh', '--threshold', '-0.5', '--no-plot'] },
  { name: 'explain-open-range', args: ['explain', data, '-w', weights, '--rows', '13-', '--no-plot'] },
  { name: 'explain-row-past-end', args: ['explain', data, '-w', weights, '--row', '15'] },
  { name: 'explain-row-and-rows', args: ['explain', data, '-w', weights, '--row', '1', '--rows', '1-2'] },
  { name: 'explain-bad-range', args: ['explain', data, '-w', weights, '--rows', '5-2'] },
];

const iris = 'fixtures/iris-sample.csv';
const layer = 'fixtures/iris-sample.softmax.weights.json';
const scaledLayer = 'fixtures/iris-sample.scaled.softmax.weights.json';
const passengers = 'fixtures/passengers-sample.csv';
const encoded = 'fixtures/passengers-sample.encoded.weights.json';

const layerCases: GoldenCase[] = [
  { name: 'explain-softmax-row', args: ['explain', iris, '-w', layer, '--label', 'species'] },
  { name: 'explain-softmax-scaled-wrong', args: ['explain', iris, '-w', scaledLayer, '--row', '12', '--label', 'species', '--no-plot'] },
  { name: 'explain-softmax-json', args: ['explain', iris, '-w', layer, '--rows', '7-8', '--format', 'json', '--label', 'species'] },
  { name: 'explain-softmax-dumb-terminal', args: ['explain', iris, '-w', layer, '--row', '8'], env: { TERM: 'dumb' } },
  { name: 'explain-softmax-classes', args: ['explain', iris, '-w', layer, '--classes', 'a,b'] },
  { name: 'explain-softmax-threshold', args: ['explain', iris, '-w', layer, '--threshold', '0.5'] },
  { name: 'explain-encoded', args: ['explain', passengers, '-w', encoded, '--rows', '2-4', '--label', 'survived', '--no-plot'] },
  { name: 'explain-encoded-json', args: ['explain', passengers, '-w', encoded, '--row', '3', '--format', 'json'] },
  { name: 'plot-softmax-refused', args: ['plot', iris, '-w', layer, '-o', 'never-written.svg'] },
];

describe('explain golden files: a softmax layer and an encoded model', () => {
  it.each(layerCases.map((c) => [c.name, c] as const))('%s', (_, c) => checkGolden(c));
});

const reference = JSON.parse(readFileSync(fixture('reference/explain.json'), 'utf8')) as {
  softmax: Record<string, { z: number[]; exp: number[]; sum: number; p: number[]; winner: number }[]>;
  'passengers-sample.encoded.weights.json': { x: number[]; z: number; sigmoid: number; class: number }[];
};
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

describe('explain agrees with NumPy', () => {
  it.each([layer, scaledLayer])('%s: every row of the sample', (weightsFile) => {
    const explained = JSON.parse(runBin(['explain', iris, '-w', weightsFile, '--rows', '1-12', '--format', 'json']).stdout) as LayerSteps[];
    const expected = reference.softmax[weightsFile.replace('fixtures/', '')] ?? [];
    expect(explained).toHaveLength(expected.length);
    explained.forEach((steps, i) => {
      const row = expected[i] as (typeof expected)[number];
      steps.layer.forEach((neuron, c) => {
        close(neuron.z, row.z[c] as number);
      });
      steps.softmax.exp.forEach((e, c) => {
        close(e, row.exp[c] as number);
      });
      close(steps.softmax.sum, row.sum);
      steps.softmax.probabilities.forEach((p, c) => {
        close(p, row.p[c] as number);
      });
      expect(steps.classIndex).toBe(row.winner);
    });
  });

  it('the encoded model: one-hot indicators and fills (encoded by hand in pandas), z and sigmoid for every row', () => {
    const explained = JSON.parse(runBin(['explain', passengers, '-w', encoded, '--rows', '1-6', '--format', 'json']).stdout) as Steps[];
    const expected = reference['passengers-sample.encoded.weights.json'];
    expect(explained).toHaveLength(expected.length);
    explained.forEach((steps, i) => {
      const row = expected[i] as (typeof expected)[number];
      expect(steps.inputs.map((input) => input.value)).toEqual(row.x);
      close(steps.z, row.z);
      close(steps.activation.output, row.sigmoid);
      expect(steps.class).toBe(String(row.class));
    });
  });

  it('shows the same z and probabilities as eval', () => {
    const evaluated = runBin(['eval', iris, '-w', layer, '--format', 'ndjson']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const rows = evaluated.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number | string>);
    const explained = JSON.parse(runBin(['explain', iris, '-w', layer, '--rows', '1-12', '--format', 'json']).stdout) as LayerSteps[];
    explained.forEach((steps, i) => {
      steps.layer.forEach((neuron, c) => {
        expect(rows[i]?.[`z_${neuron.class}`]).toBe(neuron.z);
        expect(rows[i]?.[`softmax_${neuron.class}`]).toBe(steps.softmax.probabilities[c]);
      });
      expect(rows[i]?.class).toBe(steps.class);
    });
  });
});

describe('explain golden files', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => checkGolden(c));
});

describe('explain agrees with eval', () => {
  it('shows the same z as eval for every row', () => {
    const evaluated = runBin(['eval', data, '-w', weights, '--format', 'csv']).stdout.trim().split('\n').slice(1);
    const explained = JSON.parse(runBin(['explain', data, '-w', weights, '--rows', '1-14', '--format', 'json']).stdout) as { z: number }[];
    expect(explained.map((s) => s.z)).toEqual(evaluated.map((line) => Number(line.split(',')[0])));
  });
});
