/**
 * `train --engine`: the same model from DuckDB on a CSV, on Parquet and on
 * gzipped CSV, and from PostgreSQL on a table (when NEURON_TEST_POSTGRES is
 * set), and it is scikit-learn's optimum (fixtures/reference/train.json,
 * LogisticRegression(penalty=None) at tol 1e-14): coefficients within 1e-9
 * relative, raw and --standardize.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, type ModelFile } from '../support/close.js';
import { fixture, runInProcess } from '../support/helpers.js';

const DATA = fixture('obesity-200.csv');
const reference = JSON.parse(readFileSync(fixture('reference/train.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-train-'));
const at = (name: string) => join(dir, name);
const url = process.env.NEURON_TEST_POSTGRES;

async function train(args: string[]): Promise<ModelFile> {
  const result = await runInProcess(['train', ...args, '--label', 'Condition']);
  expect(result.stderr).toMatch(
    /^neuron: trained by Newton's method in (duckdb|postgres): \d+ iterations \(\d+ step queries\), mean log loss 0\.399209, gradient norm .*, accuracy 158\/200 = 79\.00% on the training data\n$/,
  );
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ModelFile;
}

beforeAll(async () => {
  const connection = await (await DuckDBInstance.create()).connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${DATA}')) TO '${at('o200.parquet')}' (FORMAT parquet)`);
  writeFileSync(at('o200.csv.gz'), gzipSync(readFileSync(DATA)));
});

describe('train --engine duckdb over a CSV: the scratch table of its checked rows', () => {
  // Engine.keep writes it under os.tmpdir(): a TMPDIR of the test's own shows it is made, then removed.
  async function inTmpdir(run: () => Promise<unknown>): Promise<string[]> {
    const own = mkdtempSync(join(dir, 'tmp-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      await run();
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    return readdirSync(own);
  }

  it('is removed after the fit, which is the optimum', async () => {
    let model: ModelFile | undefined;
    expect(await inTmpdir(async () => (model = await train([DATA, '--engine', 'duckdb'])))).toEqual([]);
    expectClose([...(model?.weights ?? []), model?.bias ?? 0], [...reference.weights, reference.bias]);
  });

  it('is removed after a failure once it is written (a constant feature with --standardize)', async () => {
    writeFileSync(at('constant.csv'), 'a,b,y\n1,5,0\n2,5,1\n3,5,0\n4,5,1\n');
    let result: Awaited<ReturnType<typeof runInProcess>> | undefined;
    const left = await inTmpdir(
      async () => (result = await runInProcess(['train', at('constant.csv'), '--label', 'y', '--engine', 'duckdb', '--standardize'])),
    );
    expect(result?.stderr).toMatch(/feature "b" is constant/);
    expect(result?.code).toBe(1);
    expect(left).toEqual([]);
  });
});

describe('train --engine duckdb: scikit-learn optimum', () => {
  it.each([
    ['CSV', DATA],
    ['Parquet', 'o200.parquet'],
    ['gzipped CSV', 'o200.csv.gz'],
  ])('%s', async (_, name) => {
    const model = await train([name.startsWith('/') ? name : at(name), '--engine', 'duckdb']);
    expect(model.features).toEqual(reference.features);
    expect(model.classes).toEqual(reference.classes);
    expectClose([...model.weights, model.bias], [...reference.weights, reference.bias]);
  });

  it('--standardize: the scaling and the standardised weights', async () => {
    const model = await train([DATA, '--engine', 'duckdb', '--standardize']);
    expectClose(model.scaling?.mean ?? [], reference.scaling.mean, 1e-14);
    expectClose(model.scaling?.std ?? [], reference.scaling.std, 1e-14);
    expectClose([...model.weights, model.bias], [...reference.standardized_weights, reference.standardized_bias]);
  });
});

describe('train --engine duckdb: the model of in-process train', () => {
  it.each([
    ['no penalty', []],
    ['--standardize', ['--standardize']],
    ['--C 0.5', ['--C', '0.5']],
    ['--l2 0.01 --standardize', ['--l2', '0.01', '--standardize']],
  ])('%s', async (_, args) => {
    const inProcess = await runInProcess(['train', DATA, '--label', 'Condition', '-q', ...args]);
    const engine = await runInProcess(['train', at('o200.parquet'), '--label', 'Condition', '-q', '--engine', 'duckdb', ...args]);
    expect([inProcess.code, engine.code]).toEqual([0, 0]);
    const want = JSON.parse(inProcess.stdout) as ModelFile;
    const got = JSON.parse(engine.stdout) as ModelFile;
    expect([got.features, got.classes]).toEqual([want.features, want.classes]);
    expectClose([...got.weights, got.bias], [...want.weights, want.bias]);
    expectClose(got.scaling?.std ?? [], want.scaling?.std ?? [], 1e-14);
  });
});

describe.skipIf(url === undefined)('train --engine postgres', () => {
  it('a table gives the same model', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const table = `neuron_train_${process.pid}`;
    try {
      await client.query(`CREATE TABLE ${table} ("Height (in feet)" float8, "Weight (in kgs)" float8, "Age" int, "Condition" text)`);
      for (const line of readFileSync(DATA, 'utf8').trimEnd().split('\n').slice(1)) {
        await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4)`, line.split(','));
      }
      const model = await train(['--engine', 'postgres', '--db', url ?? '', '--table', table]);
      expectClose([...model.weights, model.bias], [...reference.weights, reference.bias]);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});

describe('train --engine: errors', () => {
  const run = (text: string, ...args: string[]) => {
    writeFileSync(at('bad.csv'), text);
    return runInProcess(['train', at('bad.csv'), '--label', 'y', '--engine', 'duckdb', ...args]);
  };
  it.each([
    ['one class', 'a,y\n1,p\n2,p\n', [], 'neuron: FILE: --label column "y" has one class only ("p") — training needs rows of both classes\n', 1],
    [
      'a constant feature with --standardize',
      'a,y\n1,p\n1,q\n',
      ['--standardize'],
      'neuron: FILE: feature "a" is constant, so --standardize cannot scale it — leave it out with --features, or train without --standardize\n',
      1,
    ],
    ['a bad cell', 'a,y\n1,p\nx,q\n', [], 'neuron: FILE: row 2: column "a": "x" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n', 1],
    [
      'a gradient-descent option',
      'a,y\n1,p\n2,q\n',
      ['--tol', '1e-3'],
      "neuron: --engine fits by Newton's method from zeros and does not take --tol — drop --tol, or train in-process (without --engine)\n",
      2,
    ],
  ])('%s', async (_, text, args, message, code) => {
    const result = await run(text, ...(args as string[]));
    expect(result).toEqual({ stdout: '', stderr: (message as string).replace('FILE', at('bad.csv')), code });
  });
});
