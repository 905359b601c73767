/**
 * `eval` and `metrics` with --engine for a softmax layer and for an encoded
 * model ("categories", "impute"): the same stdout, stderr and exit code as
 * in-process on the same rows (models trained here by in-process `neuron
 * train`), in DuckDB over CSV and Parquet and in PostgreSQL; Parquet and
 * --into written by the engine hold eval's columns and numbers; an unknown
 * category and a missing one are the errors eval gives, the row named as the
 * engine paths name rows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-encoded-'));
const at = (name: string) => join(dir, name);
const IRIS = fixture('iris.csv');
const WINE = fixture('wine.csv');
const PASSENGERS = fixture('passengers.csv');
const HOLDOUT = fixture('passengers-holdout.csv');
const SAMPLE = fixture('passengers-sample.csv');
const UNSEEN = fixture('passengers-unseen.csv');
const TIERS = fixture('train-categorical.csv');
/** A softmax layer with "categories" and "impute", and rows with missing cells. */
const DECKS = fixture('categorical.softmax.weights.json');
const DECK_ROWS = fixture('categorical-missing.csv');

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await (await DuckDBInstance.create()).connect();
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

async function train(args: string[], out: string): Promise<void> {
  const result = await runInProcess(['train', ...args, '-o', at(out)]);
  expect(result.code).toBe(0);
}

beforeAll(async () => {
  await train([IRIS, '--label', 'species'], 'iris.json');
  await train([WINE, '--label', 'cultivar', '--standardize'], 'wine.json');
  // Two classes, one-hot sex and port, every column filled.
  await train([PASSENGERS, '--label', 'survived', '--categorical', 'sex,port', '--impute', 'median,port=constant=S'], 'passengers.json');
  // The same without fills: a missing cell follows --missing.
  await train([PASSENGERS, '--label', 'survived', '--categorical', 'sex,port', '--missing', 'skip'], 'passengers-nofill.json');
  // Three classes, one-hot and filled.
  await train([TIERS, '--label', 'tier', '--categorical', 'sex,port', '--impute', 'median,port=constant=S', '--standardize'], 'tiers.json');
  await duck(`COPY (SELECT * FROM read_csv('${HOLDOUT}')) TO '${at('holdout.parquet')}' (FORMAT parquet)`);
  await duck(`COPY (SELECT * FROM read_csv('${IRIS}')) TO '${at('iris.parquet')}' (FORMAT parquet)`);
}, 120_000);

const cases: [string, string[]][] = [
  ['iris, softmax, csv', [IRIS, '-w', at('iris.json'), '--label', 'species']],
  ['iris, softmax, table with metrics', [IRIS, '-w', at('iris.json'), '--label', 'species', '--format', 'table']],
  ['wine, standardised softmax, ndjson', [WINE, '-w', at('wine.json'), '--label', 'cultivar', '--format', 'ndjson']],
  ['passengers, encoded, csv', [PASSENGERS, '-w', at('passengers.json'), '--label', 'survived']],
  ['holdout, encoded, json', [HOLDOUT, '-w', at('passengers.json'), '--label', 'survived', '--format', 'json']],
  ['sample, missing cells filled, --keep', [SAMPLE, '-w', at('passengers.json'), '--keep', 'name,port', '--label', 'survived']],
  ['unseen, --unknown zero', [UNSEEN, '-w', at('passengers.json'), '--label', 'survived', '--unknown', 'zero']],
  ['sample without fills, --missing zero', [SAMPLE, '-w', at('passengers-nofill.json'), '--keep', 'name', '--missing', 'zero']],
  ['tiers, encoded standardised softmax', [TIERS, '-w', at('tiers.json'), '--label', 'tier', '--keep', 'port']],
  ['decks, encoded softmax, table', [DECK_ROWS, '-w', DECKS, '--label', 'deck', '--format', 'table']],
];

describe('eval and metrics --engine duckdb: the same output as in-process', () => {
  it.each(cases)('eval: %s', async (_, args) => {
    const inProcess = await runInProcess(['eval', ...args]);
    expect(inProcess.code).toBe(0);
    expect(await runInProcess(['eval', ...args, '--engine', 'duckdb'])).toEqual(inProcess);
  });

  it.each(cases.filter(([, args]) => args.includes('--label')))(
    'metrics: %s',
    async (_, args) => {
      const model = args.slice(0, 3);
      const label = ['--label', args[args.indexOf('--label') + 1] as string];
      const unknown = args.includes('--unknown') ? ['--unknown', 'zero'] : [];
      for (const format of ['table', 'json']) {
        const all = [...model, ...label, ...unknown, '--format', format];
        const inProcess = await runInProcess(['metrics', ...all]);
        expect(inProcess.code).toBe(0);
        expect(await runInProcess(['metrics', ...all, '--engine', 'duckdb'])).toEqual(inProcess);
      }
    },
    60_000,
  );

  it.each([
    ['encoded', 'holdout.parquet', HOLDOUT, 'passengers.json', 'survived'],
    ['softmax', 'iris.parquet', IRIS, 'iris.json', 'species'],
  ])('eval of a Parquet file (%s): the rows of the CSV', async (_, data, csv, model, label) => {
    const inProcess = await runInProcess(['eval', csv, '-w', at(model), '--label', label]);
    expect(await runInProcess(['eval', at(data), '-w', at(model), '--label', label, '--engine', 'duckdb'])).toEqual(inProcess);
  });

  it.each([
    ['softmax', IRIS, 'iris.json', 'species'],
    ['encoded softmax', TIERS, 'tiers.json', 'tier'],
  ])('-o scores.parquet (%s): eval columns, z bit for bit, probabilities within 1e-15', async (_, csv, model, label) => {
    const out = at(`${model}.parquet`);
    const args = [csv, '-w', at(model), '--label', label];
    const engine = await runInProcess(['eval', ...args, '--engine', 'duckdb', '-o', out]);
    const inProcess = await runInProcess(['eval', ...args]);
    expect(engine).toEqual({ stdout: '', stderr: inProcess.stderr, code: 0 });
    const expected = parse(inProcess.stdout, { columns: true }) as Record<string, string>[];
    const rows = await duck(`SELECT * FROM '${out}'`);
    expect(Object.keys(rows[0] ?? {})).toEqual(Object.keys(expected[0] ?? {}));
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      const want = expected[i] as Record<string, string>;
      for (const [name, value] of Object.entries(want)) {
        if (name.startsWith('z_')) expect(row[name]).toBe(Number(value));
        else if (name.startsWith('softmax_')) expect(Math.abs((row[name] as number) - Number(value))).toBeLessThanOrEqual(1e-15);
        else expect(String(row[name])).toBe(value);
      }
    });
  });
});

describe('the input rules of an encoded model in DuckDB', () => {
  it('a category the model never saw: unknown-category, exit 1, naming column, value and row; no score written', async () => {
    const result = await runInProcess(['eval', UNSEEN, '-w', at('passengers.json'), '--engine', 'duckdb']);
    expect(result).toEqual({
      stdout: 'z,sigmoid,class\n',
      stderr:
        `neuron: ${UNSEEN}: row 1: column "port": "B" is not one of the model's categories ("C", "Q", "S") — ` +
        'fix the cell, or pass --unknown zero (score it with every indicator of the column 0)\n',
      code: 1,
    });
    const inProcess = await runInProcess(['eval', UNSEEN, '-w', at('passengers.json')]);
    expect(inProcess.stderr).toContain(`${UNSEEN}:2:4: column "port": "B" is not one of the model's categories`);
    expect(inProcess.code).toBe(1);
  });

  it('a missing cell without a fill: an error, or --missing skip leaves its row out', async () => {
    const error = await runInProcess(['eval', SAMPLE, '-w', at('passengers-nofill.json'), '--engine', 'duckdb']);
    expect(error).toEqual({
      stdout: 'z,sigmoid,class\n',
      stderr: `neuron: ${SAMPLE}: row 2: column "age": empty cell where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n`,
      code: 1,
    });
    const args = [SAMPLE, '-w', at('passengers-nofill.json'), '--keep', 'name', '--missing', 'skip'];
    const engine = await runInProcess(['eval', ...args, '--engine', 'duckdb']);
    const inProcess = await runInProcess(['eval', ...args]);
    expect(engine.stdout).toBe(inProcess.stdout);
    expect(inProcess.stderr).toBe('neuron: skipped 3 rows with a missing value (lines 3, 4, 5)\n');
    expect(engine).toEqual({ stdout: inProcess.stdout, stderr: 'neuron: skipped 3 rows with a missing value (rows 2, 3, 4)\n', code: 0 });
  });

  it('a missing category without a fill is named as eval names it', async () => {
    // Only the port column is one-hot without a fill here: age and fare are filled.
    const model = JSON.parse(readFileSync(at('passengers.json'), 'utf8')) as { impute: Record<string, unknown> };
    delete model.impute.port;
    const weights = at('no-port-fill.json');
    writeFileSync(weights, JSON.stringify(model));
    const result = await runInProcess(['eval', SAMPLE, '-w', weights, '--engine', 'duckdb']);
    expect(result).toEqual({
      stdout: 'z,sigmoid,class\n',
      stderr: `neuron: ${SAMPLE}: row 3: column "port": empty cell where a category is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n`,
      code: 1,
    });
    expect((await runInProcess(['eval', SAMPLE, '-w', weights])).stderr).toContain(`${SAMPLE}:4:5: column "port": empty cell where a category is needed`);
  });
});

const url = process.env.NEURON_TEST_POSTGRES;
const schema = `neuron_engkscore_${process.pid}`;

describe.skipIf(url === undefined)('--engine postgres: softmax and encoded models', () => {
  const client = new pg.Client({ connectionString: url });
  const db = ['--engine', 'postgres', '--db', url ?? ''];

  /** The CSV as a table of text columns (an empty cell NULL, as a loader would make it). */
  async function load(table: string, csv: string): Promise<void> {
    const [header, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const names = (header ?? '').split(',');
    await client.query(`CREATE TABLE ${schema}.${table} (${names.map((n) => `"${n}" text`).join(', ')})`);
    for (const line of lines) {
      const cells = line.split(',').map((cell) => (cell === '' ? null : cell));
      await client.query(`INSERT INTO ${schema}.${table} VALUES (${cells.map((_, i) => `$${i + 1}`).join(', ')})`, cells);
    }
  }

  beforeAll(async () => {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await load('iris', IRIS);
    await load('passengers', PASSENGERS);
    await load('sample', SAMPLE);
    await load('unseen', UNSEEN);
    await load('tiers', TIERS);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it.each([
    ['iris softmax', IRIS, 'iris', ['-w', at('iris.json'), '--label', 'species']],
    ['passengers encoded', PASSENGERS, 'passengers', ['-w', at('passengers.json'), '--label', 'survived']],
    ['sample, filled', SAMPLE, 'sample', ['-w', at('passengers.json'), '--keep', 'name']],
    ['unseen, --unknown zero', UNSEEN, 'unseen', ['-w', at('passengers.json'), '--unknown', 'zero']],
    ['tiers encoded softmax', TIERS, 'tiers', ['-w', at('tiers.json'), '--label', 'tier', '--format', 'ndjson']],
  ])('eval and metrics: %s', async (_, csv, table, args) => {
    const inProcess = await runInProcess(['eval', csv, ...args]);
    expect(inProcess.code).toBe(0);
    expect(await runInProcess(['eval', ...args, ...db, '--table', `${schema}.${table}`])).toEqual(inProcess);
    if (args.includes('--label')) {
      const metrics = ['metrics', ...args.slice(0, 4), '--format', 'json'];
      expect(await runInProcess([...metrics, ...db, '--table', `${schema}.${table}`])).toEqual(
        await runInProcess([...metrics.slice(0, 1), csv, ...metrics.slice(1)]),
      );
    }
  });

  it('an unknown category names the row by its ctid', async () => {
    const result = await runInProcess(['eval', '-w', at('passengers.json'), ...db, '--table', `${schema}.unseen`]);
    expect(result).toEqual({
      stdout: '',
      stderr:
        `neuron: ${schema}.unseen: row ctid (0,1): column "port": "B" is not one of the model's categories ("C", "Q", "S") — ` +
        'fix the cell, or pass --unknown zero (score it with every indicator of the column 0)\n',
      code: 1,
    });
  });

  it('--into writes a softmax layer scores table: eval columns and numbers', async () => {
    const args = ['eval', '-w', at('iris.json'), '--label', 'species', ...db, '--table', `${schema}.iris`, '--into', `${schema}.iris_scores`];
    const created = await runInProcess(args);
    const inProcess = await runInProcess(['eval', IRIS, '-w', at('iris.json'), '--label', 'species']);
    expect(created).toEqual({ stdout: '', stderr: inProcess.stderr, code: 0 });
    const expected = parse(inProcess.stdout, { columns: true }) as Record<string, string>[];
    const { rows } = await client.query(`SELECT * FROM ${schema}.iris_scores`);
    expect(Object.keys(rows[0] ?? {})).toEqual(Object.keys(expected[0] ?? {}));
    expect(rows.length).toBe(150);
    rows.forEach((row: Record<string, unknown>, i: number) => {
      const want = expected[i] as Record<string, string>;
      for (const [name, value] of Object.entries(want)) {
        if (name.startsWith('z_')) expect(row[name]).toBe(Number(value));
        else if (name.startsWith('softmax_')) expect(Math.abs((row[name] as number) - Number(value))).toBeLessThanOrEqual(1e-15);
        else expect(String(row[name])).toBe(value);
      }
    });
  });
});
