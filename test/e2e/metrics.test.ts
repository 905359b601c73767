/**
 * End-to-end: `neuron metrics` and `eval --label --metrics` on the built
 * CLI. The exact figures are checked against scikit-learn's in
 * fixtures/reference/metrics.json (case "obesity.csv with obesity.weights.json").
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { fixture, runBin } from '../support/helpers.js';

const reference = JSON.parse(readFileSync(fixture('reference/metrics.json'), 'utf8')) as {
  cases: { name: string; expected: Record<string, unknown> }[];
};
const obesity = reference.cases.find((c) => c.name === 'obesity.csv with obesity.weights.json')?.expected ?? {};

const data = 'fixtures/obesity.csv';
const weights = 'fixtures/obesity.weights.json';

const cases: GoldenCase[] = [
  { name: 'metrics-table', args: ['metrics', data, '-w', weights, '--label', 'Condition'] },
  { name: 'metrics-json', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--format', 'json'] },
  { name: 'metrics-threshold', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--threshold', '0.9', '--precision', '6'] },
  { name: 'metrics-tanh-no-log-loss', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--activation', 'tanh'] },
  { name: 'metrics-bad-label', args: ['metrics', 'fixtures/obesity-badlabel.csv', '-w', weights, '--label', 'Condition'] },
  { name: 'metrics-no-label', args: ['metrics', data, '-w', weights] },
  { name: 'eval-label-table-metrics', args: ['eval', data, '-w', weights, '--label', 'Condition', '--format', 'table', '--precision', '2'] },
  { name: 'eval-metrics-without-label', args: ['eval', data, '-w', weights, '--metrics', 'm.json'] },
];

describe('metrics golden files', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => checkGolden(c));
});

describe('metrics figures', () => {
  it('metrics --format json agrees with scikit-learn to 1e-9', () => {
    const result = runBin(['metrics', data, '-w', weights, '--label', 'Condition', '--format', 'json']);
    expect(result.code).toBe(0);
    const got = JSON.parse(result.stdout) as Record<string, number> & { confusion_matrix: { matrix: number[][] } };
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc']) {
      expect(Math.abs((got[key] as number) - (obesity[key] as number)), key).toBeLessThanOrEqual(1e-9);
    }
    expect(got.confusion_matrix.matrix).toEqual(obesity.confusion);
  });

  it('eval --metrics writes the same JSON as metrics --format json, in any output format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-metrics-'));
    const file = join(dir, 'metrics.json');
    const evalRun = runBin(['eval', data, '-w', weights, '--label', 'Condition', '--format', 'csv', '--metrics', file]);
    expect(evalRun.code).toBe(0);
    const metricsRun = runBin(['metrics', data, '-w', weights, '--label', 'Condition', '--format', 'json']);
    expect(readFileSync(file, 'utf8')).toBe(metricsRun.stdout);
  });
});
