/**
 * `neuron export` end to end: the built binary's output for every target
 * (golden files; the runnable ones are also executed by the engine tests),
 * and its refusals, each with its exit code and message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { fixture, runInProcess } from '../support/helpers.js';

const obesity = ['--weights', 'fixtures/obesity.weights.json'];
const awkward = ['--weights', 'fixtures/awkward.weights.json'];
const obesityScaled = ['--weights', 'fixtures/obesity.scaled.weights.json'];
const awkwardScaled = ['--weights', 'fixtures/awkward.scaled.weights.json'];

const cases: GoldenCase[] = [
  { name: 'export-sql-duckdb', args: ['export', ...obesity, '--to', 'sql', '--table', "read_csv('fixtures/obesity.csv')"] },
  { name: 'export-sql-duckdb-expression', args: ['export', ...obesity, '--to', 'sql', '--expression'] },
  { name: 'export-sql-sqlite', args: ['export', ...obesity, '--to', 'sql', '--dialect', 'sqlite', '--table', 'obesity'] },
  { name: 'export-sql-postgres', args: ['export', ...awkward, '--to', 'sql', '--dialect', 'postgres', '--table', 'public.people'] },
  { name: 'export-sql-postgres-expression', args: ['export', ...obesity, '--to', 'sql', '--dialect', 'postgres', '--expression'] },
  { name: 'export-sql-spark', args: ['export', ...awkward, '--to', 'sql', '--dialect', 'spark', '--table', 'lake.people'] },
  { name: 'export-sql-bigquery', args: ['export', ...awkward, '--to', 'sql', '--dialect', 'bigquery', '--table', '`project.dataset.people`'] },
  { name: 'export-js', args: ['export', ...obesity, '--to', 'js'] },
  { name: 'export-python', args: ['export', ...awkward, '--to', 'python'] },
  // Standardised models: each input as ((x - mean) / std); a negative mean is written as an addition.
  { name: 'export-sql-duckdb-scaled', args: ['export', ...obesityScaled, '--to', 'sql', '--table', "read_csv('fixtures/obesity.csv')"] },
  { name: 'export-sql-postgres-scaled', args: ['export', ...awkwardScaled, '--to', 'sql', '--dialect', 'postgres', '--table', 'public.people'] },
  { name: 'export-js-scaled', args: ['export', ...obesityScaled, '--to', 'js'] },
  { name: 'export-python-scaled', args: ['export', ...awkwardScaled, '--to', 'python'] },
  {
    name: 'export-positional-features',
    args: ['export', '--weights', 'fixtures/positional.weights.json', '--to', 'sql', '--features', 'height,weight', '--table', 't'],
  },
  // Refusals: exit 1 for the weights file, 2 for the command line.
  { name: 'export-error-positional', args: ['export', '--weights', 'fixtures/positional.weights.json', '--to', 'sql', '--table', 't'] },
  { name: 'export-error-features-count', args: ['export', ...obesity, '--to', 'js', '--features', 'a,b,c'] },
  { name: 'export-error-no-table', args: ['export', ...obesity, '--to', 'sql'] },
  { name: 'export-error-table-and-expression', args: ['export', ...obesity, '--to', 'sql', '--table', 't', '--expression'] },
  { name: 'export-error-dialect-with-js', args: ['export', ...obesity, '--to', 'js', '--dialect', 'postgres'] },
  { name: 'export-error-unknown-dialect', args: ['export', ...obesity, '--to', 'sql', '--dialect', 'oracle', '--table', 't'] },
  { name: 'export-error-no-target', args: ['export', ...obesity] },
  { name: 'export-error-output-name-clash', args: ['export', ...obesity, '--to', 'sql', '--table', 't', '--features', 'Z,weight'] },
  { name: 'export-error-missing-weights', args: ['export', '--weights', 'fixtures/nope.json', '--to', 'js'] },
];

describe('neuron export (built binary)', () => {
  it.each(cases)('$name', (c) => {
    checkGolden(c);
  });
});

describe('neuron export -o', () => {
  it('writes the same text to a file as to standard output', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'neuron-export-o-')), 'score.sql');
    const args = ['export', '--weights', fixture('obesity.weights.json'), '--to', 'sql', '--table', 'obesity'];
    const toFile = await runInProcess([...args, '-o', out]);
    const toStdout = await runInProcess(args);
    expect(toFile).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(out, 'utf8')).toBe(toStdout.stdout);
    expect(toStdout.stdout).toMatch(/^SELECT$/m);
  });
});
