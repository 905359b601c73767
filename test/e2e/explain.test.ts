/**
 * End-to-end: `neuron explain`. The tutorial row's numbers are worked by
 * hand in test/unit/explain.test.ts (z = -1.5·4 + 0.1·80 + 0 = 2,
 * sigmoid(2) = 0.8808); the scaled model's row 1 by hand:
 * x' = ((4 - 5) / 0.5, (80 - 80) / 20) = (-2, 0), z = -1·-2 + 2·0 + 0.5 = 2.5, sigmoid = 0.9241.
 */
import { describe, expect, it } from 'vitest';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { runBin } from '../support/helpers.js';

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
