/**
 * `neuron export` of a softmax layer and of an encoded model, end to end:
 * the built binary's output (golden files), the query it writes run in
 * DuckDB over a raw CSV with empty cells and a category the model does not
 * know, the JavaScript it writes run over the same rows, both against the
 * scorers `neuron eval` runs; and the refusals, with exit code and message.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/neuron/model.js';
import { type Cell, differences, expected, readBack } from '../support/export-encoded-data.js';
import { checkGolden, type GoldenCase } from '../support/golden.js';
import { fixture, runBin } from '../support/helpers.js';

const layer = ['--weights', 'fixtures/export-layer.weights.json'];
const encoded = ['--weights', 'fixtures/export-encoded.weights.json'];
const encodedLayer = ['--weights', 'fixtures/export-encoded-layer.weights.json'];

const cases: GoldenCase[] = [
  { name: 'export-sql-sqlite-layer', args: ['export', ...layer, '--to', 'sql', '--dialect', 'sqlite', '--table', 'iris'] },
  { name: 'export-js-layer', args: ['export', ...layer, '--to', 'js'] },
  { name: 'export-python-layer', args: ['export', ...layer, '--to', 'python'] },
  { name: 'export-sql-duckdb-encoded', args: ['export', ...encoded, '--to', 'sql', '--expression'] },
  {
    name: 'export-sql-postgres-encoded-zero',
    args: ['export', ...encoded, '--to', 'sql', '--dialect', 'postgres', '--table', 'passengers', '--unknown', 'zero'],
  },
  { name: 'export-js-encoded', args: ['export', ...encoded, '--to', 'js'] },
  { name: 'export-python-encoded-layer', args: ['export', ...encodedLayer, '--to', 'python', '--unknown', 'zero'] },
  // Refusals: exit 2.
  { name: 'export-error-train-step-encoded-layer', args: ['export', ...encodedLayer, '--to', 'sql', '--train-step', '--table', 't', '--label', 'survived'] },
  { name: 'export-error-features-encoded', args: ['export', ...encoded, '--to', 'js', '--features', 'a,b,c,d,e,f,g'] },
  { name: 'export-error-class-collision', args: ['export', '--weights', 'fixtures/export-clash.weights.json', '--to', 'sql', '--table', 't'] },
];

describe('export of k classes and encoded models: golden files', () => {
  it.each(cases)('$name', (c) => {
    checkGolden(c);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'neuron-export-layer-e2e-'));
const CSV = fixture('export-passengers.csv');
const [header, ...records] = parse(readFileSync(CSV)) as string[][];
const cells: Cell[][] = records.map((r) => r.map((v) => (v === '' ? null : v)));

describe.each([
  ['export-encoded.weights.json', 'error'],
  ['export-encoded-layer.weights.json', 'error'],
  ['export-encoded-layer.weights.json', 'zero'],
] as const)('the built binary’s export of %s (unknown %s) scores the raw CSV as eval does', (file, unknown) => {
  const model = parseModel(JSON.parse(readFileSync(fixture(file), 'utf8')));
  // eval's scorers over the CSV's columns in the file's order.
  const want = expected(model, cells, unknown, header);

  it('in DuckDB, reading the CSV (an empty cell is NULL)', async () => {
    const result = runBin(['export', '--weights', fixture(file), '--to', 'sql', '--table', `read_csv('${CSV}')`, '--unknown', unknown]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await connection.runAndReadAll(result.stdout)).getRowObjectsJS() as Record<string, unknown>[];
    const d = differences(
      want,
      rows.map((r) => readBack(model, (name) => r[name])),
    );
    expect(d.wrong).toEqual([]);
    expect(d.z).toBe(0);
    expect(d.p).toBeLessThanOrEqual(1e-12);
    // The fills, the NULL row (sex missing) and, by default, the unknown port's NULL row all occur.
    expect(d.scored).toBe(unknown === 'zero' ? rows.length - 1 : rows.length - 2);
  });

  it('in node, with the CSV’s cells as text', async () => {
    const result = runBin(['export', '--weights', fixture(file), '--to', 'js', '--unknown', unknown]);
    expect(result.code).toBe(0);
    const path = join(dir, `${file}-${unknown}.mjs`);
    writeFileSync(path, result.stdout);
    const { score } = (await import(pathToFileURL(path).href)) as { score: (row: Record<string, unknown>) => Record<string, unknown> };
    const got = records.map((r) => {
      try {
        const out = score(Object.fromEntries((header ?? []).map((name, j) => [name, r[j]])));
        return readBack(model, (name) => out[name]);
      } catch {
        return null;
      }
    });
    const d = differences(want, got);
    expect(d.wrong).toEqual([]);
    expect([d.z, d.p]).toEqual([0, 0]);
  });
});
