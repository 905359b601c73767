/**
 * End-to-end: `neuron metrics` and `eval --label --metrics` on the built
 * CLI. The exact figures are checked against scikit-learn's in
 * fixtures/reference/metrics.json (case "obesity.csv with obesity.weights.json")
 * and, for a softmax model, fixtures/reference/multiclass_metrics.json
 * (case "iris-15.csv with iris-petals.weights.json").
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
const iris = ['fixtures/iris-15.csv', '-w', 'fixtures/iris-petals.weights.json', '--label', 'species'];
const irisReference = (
  JSON.parse(readFileSync(fixture('reference/multiclass_metrics.json'), 'utf8')) as { cases: { name: string; expected: Record<string, unknown> }[] }
).cases.find((c) => c.name === 'iris-15.csv with iris-petals.weights.json')?.expected as {
  accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: Record<string, number>;
  weighted: Record<string, number>;
  confusion: number[][];
  log_loss: number;
  roc_auc: number;
};

const cases: GoldenCase[] = [
  { name: 'metrics-table', args: ['metrics', data, '-w', weights, '--label', 'Condition'] },
  { name: 'metrics-json', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--format', 'json'] },
  { name: 'metrics-threshold', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--threshold', '0.9', '--precision', '6'] },
  { name: 'metrics-tanh-no-log-loss', args: ['metrics', data, '-w', weights, '--label', 'Condition', '--activation', 'tanh'] },
  { name: 'metrics-bad-label', args: ['metrics', 'fixtures/obesity-badlabel.csv', '-w', weights, '--label', 'Condition'] },
  { name: 'metrics-no-label', args: ['metrics', data, '-w', weights] },
  { name: 'eval-label-table-metrics', args: ['eval', data, '-w', weights, '--label', 'Condition', '--format', 'table', '--precision', '2'] },
  { name: 'eval-metrics-without-label', args: ['eval', data, '-w', weights, '--metrics', 'm.json'] },
  { name: 'metrics-classes-table', args: ['metrics', ...iris] },
  { name: 'metrics-classes-json', args: ['metrics', ...iris, '--format', 'json'] },
  {
    name: 'metrics-classes-bad-label',
    args: ['metrics', '-', '-w', 'fixtures/iris-petals.weights.json', '--label', 'species'],
    stdin: 'petal length (cm),petal width (cm),species\n1.4,0.2,setosa\n5.1,1.9,2\n4.5,1.5,rose\n',
  },
  { name: 'metrics-classes-threshold', args: ['metrics', ...iris, '--threshold', '0.5'] },
  { name: 'metrics-classes-engine', args: ['metrics', ...iris, '--engine', 'duckdb'] },
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

  it('a softmax model: metrics --format json agrees with scikit-learn to 1e-12', () => {
    const result = runBin(['metrics', ...iris, '--format', 'json']);
    expect(result.code).toBe(0);
    type Report = { precision: number; recall: number; f1: number; support: number };
    const got = JSON.parse(result.stdout) as {
      accuracy: number;
      log_loss: number;
      roc_auc: number;
      per_class: (Report & { class: string })[];
      macro_avg: Report;
      weighted_avg: Report;
      confusion_matrix: { labels: string[]; matrix: number[][] };
    };
    const e = irisReference;
    const close = (a: number, b: number | undefined, what: string) => expect(Math.abs(a - (b as number)), what).toBeLessThanOrEqual(1e-12);
    close(got.accuracy, e.accuracy, 'accuracy');
    close(got.log_loss, e.log_loss, 'log loss');
    close(got.roc_auc, e.roc_auc, 'roc auc');
    got.per_class.forEach((r, c) => {
      close(r.precision, e.precision[c], `precision ${r.class}`);
      close(r.recall, e.recall[c], `recall ${r.class}`);
      close(r.f1, e.f1[c], `f1 ${r.class}`);
      expect(r.support).toBe(e.support[c]);
    });
    for (const key of ['precision', 'recall', 'f1']) {
      close(got.macro_avg[key as 'f1'], e.macro[key], `macro ${key}`);
      close(got.weighted_avg[key as 'f1'], e.weighted[key], `weighted ${key}`);
    }
    expect(got.per_class.map((r) => r.class)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(got.confusion_matrix.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(got.confusion_matrix.matrix).toEqual(e.confusion);
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
