/**
 * `train --engine` on a label of three or more values: the softmax layer of
 * in-process train (which test/unit/multinomial-reference.test.ts holds to
 * scikit-learn's optimum), from DuckDB on a CSV and on Parquet, and from
 * PostgreSQL on a table (when NEURON_TEST_POSTGRES is set): every weight and
 * bias within 1e-9 relative, the classes in the same order, the same
 * iterations; separated data stops where in-process stops, and what an
 * engine layer does not take is refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const WINE = fixture('wine.csv');
const IRIS = fixture('iris.csv');
const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-train-layer-'));
const at = (name: string) => join(dir, name);
const url = process.env.NEURON_TEST_POSTGRES;

interface LayerFile {
  features: string[];
  weights: number[][];
  bias: number[];
  classes: string[];
  activation: string;
  scaling?: { mean: number[]; std: number[] };
}

function expectClose(got: readonly number[], want: readonly number[], tolerance = 1e-9) {
  expect(got.length).toBe(want.length);
  got.forEach((g, j) => {
    expect(Math.abs(g - (want[j] as number))).toBeLessThanOrEqual(tolerance * Math.abs(want[j] as number));
  });
}

function expectSameLayer(got: LayerFile, want: LayerFile) {
  expect([got.activation, got.features, got.classes]).toEqual([want.activation, want.features, want.classes]);
  expect(got.weights.length).toBe(want.weights.length);
  got.weights.forEach((row, c) => {
    expectClose([...row, got.bias[c] as number], [...(want.weights[c] ?? []), want.bias[c] as number]);
  });
  expectClose(got.scaling?.mean ?? [], want.scaling?.mean ?? [], 1e-13);
  expectClose(got.scaling?.std ?? [], want.scaling?.std ?? [], 1e-13);
}

/** In-process train on `data`, and its iteration count. */
async function inProcess(data: string, label: string, args: string[]): Promise<{ model: LayerFile; iterations: string }> {
  const result = await runInProcess(['train', data, '--label', label, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return { model: JSON.parse(result.stdout) as LayerFile, iterations: /(\d+ iterations?)/.exec(result.stderr)?.[1] ?? '' };
}

async function inEngine(source: string[], label: string, args: string[]): Promise<{ model: LayerFile; stderr: string }> {
  const result = await runInProcess(['train', ...source, '--label', label, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return { model: JSON.parse(result.stdout) as LayerFile, stderr: result.stderr };
}

beforeAll(async () => {
  const connection = await (await DuckDBInstance.create()).connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${WINE}')) TO '${at('wine.parquet')}' (FORMAT parquet)`);
});

const PENALTIES: [string, string[]][] = [
  ['--C 1', ['--C', '1']],
  ['--C 1 --standardize', ['--C', '1', '--standardize']],
  ['--l2 0.01', ['--l2', '0.01']],
];

describe('train --engine duckdb: three classes, the layer of in-process train', () => {
  it.each(PENALTIES)('CSV, %s', async (_, args) => {
    const want = await inProcess(WINE, 'cultivar', args);
    const got = await inEngine([WINE, '--engine', 'duckdb'], 'cultivar', args);
    expectSameLayer(got.model, want.model);
    expect(got.stderr).toMatch(
      new RegExp(
        `^neuron: trained a softmax layer of 3 classes by Newton's method in duckdb: ${want.iterations} \\(\\d+ step queries\\), mean log loss 0\\.\\d{6} \\(objective with the penalty 0\\.\\d{6}\\), gradient norm .*, accuracy \\d+/178 = [\\d.]+% on the training data\\n$`,
      ),
    );
  });

  it.each(PENALTIES)('Parquet, %s', async (_, args) => {
    const want = await inProcess(WINE, 'cultivar', args);
    const got = await inEngine([at('wine.parquet'), '--engine', 'duckdb'], 'cultivar', args);
    expectSameLayer(got.model, want.model);
  });

  it('numeric labels in numeric order, as in-process', async () => {
    writeFileSync(at('numbers.csv'), `a,b,y\n${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => `${i},${(i * 7) % 5},${[10, 9, 100][i % 3]}`).join('\n')}\n`);
    const want = await inProcess(at('numbers.csv'), 'y', ['--l2', '0.1']);
    const got = await inEngine([at('numbers.csv'), '--engine', 'duckdb'], 'y', ['--l2', '0.1']);
    expect(got.model.classes).toEqual(['9', '10', '100']);
    expectSameLayer(got.model, want.model);
  });

  it('separated data (iris, no penalty): stops where in-process stops, with its words', async () => {
    const want = await inProcess(IRIS, 'species', []);
    const got = await inEngine([IRIS, '--engine', 'duckdb'], 'species', []);
    // Not an optimum: the last step's weights, which rounding moves more than an optimum's.
    expectSameLayer(got.model, want.model);
    expect(got.stderr).toContain(`duckdb: ${want.iterations} (`);
    expect(got.stderr).toContain(
      '; the data is quasi-separated: some rows are predicted with certainty by a direction (mostly along "petal length (cm)", "petal width (cm)", "sepal length (cm)") in which the loss keeps falling as the weights grow; the unpenalised weights are not unique and have no finite optimum;',
    );
    const strict = await runInProcess(['train', IRIS, '--label', 'species', '--engine', 'duckdb', '--strict', '-o', at('strict.json')]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/nothing written \(--strict\)/);
  });
});

describe.skipIf(url === undefined)('train --engine postgres: three classes', () => {
  it('a table gives the layer of in-process train', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const table = `engktrain_wine_${process.pid}`;
    const [header, ...lines] = readFileSync(WINE, 'utf8').trimEnd().split('\n');
    const names = (header ?? '').split(',');
    try {
      const columns = names.map((name, j) => `"${name}" ${j === names.length - 1 ? 'text' : 'float8'}`);
      await client.query(`CREATE TABLE ${table} (${columns.join(', ')})`);
      const slots = names.map((_, j) => `$${j + 1}`).join(', ');
      for (const line of lines) await client.query(`INSERT INTO ${table} VALUES (${slots})`, line.split(','));
      for (const [, args] of PENALTIES) {
        const want = await inProcess(WINE, 'cultivar', args);
        const got = await inEngine(['--engine', 'postgres', '--db', url ?? '', '--table', table], 'cultivar', args);
        expectSameLayer(got.model, want.model);
        expect(got.stderr).toContain(`in postgres: ${want.iterations} (`);
      }
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});

describe('train --engine duckdb: three classes with missing cells and labels', () => {
  // wine with one empty label and one empty input cell: --missing skip leaves both rows out, as in-process does.
  const lines = readFileSync(WINE, 'utf8').trimEnd().split('\n');
  const holed = lines.map((line, i) => (i === 5 ? line.replace(/,[^,]*$/, ',') : i === 9 ? line.replace(/^[^,]*/, '') : line));
  const without = lines.filter((_, i) => i !== 5 && i !== 9);

  it('--missing skip: the layer of in-process train on the file without those rows', async () => {
    writeFileSync(at('wine-holes.csv'), `${holed.join('\n')}\n`);
    writeFileSync(at('wine-without.csv'), `${without.join('\n')}\n`);
    const want = await inProcess(at('wine-without.csv'), 'cultivar', ['--C', '1']);
    const got = await inEngine([at('wine-holes.csv'), '--engine', 'duckdb', '--missing', 'skip'], 'cultivar', ['--C', '1']);
    expectSameLayer(got.model, want.model);
    expect(got.stderr).toMatch(/skipped 2 rows/);
  });

  it('an empty label is the missing-label error naming its row, as in-process (exit 1)', async () => {
    writeFileSync(at('wine-label.csv'), `${lines.map((line, i) => (i === 5 ? line.replace(/,[^,]*$/, ',') : line)).join('\n')}\n`);
    const engine = await runInProcess(['train', at('wine-label.csv'), '--label', 'cultivar', '--engine', 'duckdb']);
    const local = await runInProcess(['train', at('wine-label.csv'), '--label', 'cultivar']);
    expect([engine.stdout, engine.code, local.code]).toEqual(['', 1, 1]);
    expect(engine.stderr).toMatch(/row 5\b.*label/);
    expect(engine.stderr).toMatch(/--missing skip/);
  });
});

describe('train --engine: three classes, refused', () => {
  const THREE = 'a,y\n1,p\n2,q\n3,r\n4,p\n';
  const run = (text: string, ...args: string[]) => {
    writeFileSync(at('three.csv'), text);
    return runInProcess(['train', at('three.csv'), '--label', 'y', '--engine', 'duckdb', ...args]);
  };
  it.each([
    [
      '--classes naming class 1 of two',
      THREE,
      ['--classes', 'p'],
      'neuron: --classes "p" names class 1 of two, but the --label column has 3 classes — drop --classes to fit every class (softmax), or keep only rows of two classes\n',
      2,
    ],
    [
      'too many parameters for Newton',
      `${Array.from({ length: 67 }, (_, j) => `x${j}`).join(',')},y\n${['p', 'q', 'r'].map((c, i) => `${Array.from({ length: 67 }, (_, j) => (i * j) % 7).join(',')},${c}`).join('\n')}\n`,
      [],
      "neuron: the --label column has 3 classes over 67 features: 204 parameters, more than Newton's method on an engine takes (200) — train in-process (without --engine), which switches to L-BFGS, or use fewer features or classes\n",
      2,
    ],
    [
      'a constant feature with --standardize',
      'a,b,y\n1,1,p\n1,2,q\n1,3,r\n',
      ['--standardize'],
      'neuron: FILE: feature "a" is constant, so --standardize cannot scale it — leave it out with --features, or train without --standardize\n',
      1,
    ],
  ])('%s', async (_, text, args, message, code) => {
    const result = await run(text, ...(args as string[]));
    expect(result).toEqual({ stdout: '', stderr: (message as string).replace('FILE', at('three.csv')), code });
  });

  it.each([
    ['--class-weight', ['--class-weight', 'balanced']],
    ['--sample-weight', ['--sample-weight', 'a']],
  ])('%s: row weights are for in-process train (exit 2)', async (flag, args) => {
    const result = await run('a,b,y\n1,1,p\n2,2,q\n3,3,r\n', '--features', 'b', ...args);
    expect([result.stdout, result.code]).toEqual(['', 2]);
    expect(result.stderr).toMatch(new RegExp(`^neuron: .*does not take ${flag}.* in-process \\(without --engine\\)\n$`));
  });

  it('--summary is for two classes (exit 2), as in-process', async () => {
    const result = await run(THREE, '--summary');
    expect(result).toEqual({
      stdout: '',
      stderr: 'neuron: the --label column has 3 classes, and a softmax layer does not take --summary — drop --summary (summary is for two classes)\n',
      code: 2,
    });
  });

  it('export --train-step of a softmax layer takes no row weights (exit 2)', async () => {
    writeFileSync(
      at('layer.json'),
      JSON.stringify({ features: ['a'], weights: [[0], [0], [0]], bias: [0, 0, 0], activation: 'softmax', classes: ['p', 'q', 'r'] }),
    );
    const result = await runInProcess([
      'export',
      '-w',
      at('layer.json'),
      '--to',
      'sql',
      '--train-step',
      '--table',
      't',
      '--label',
      'y',
      '--sample-weight',
      'w',
    ]);
    expect([result.stdout, result.code]).toEqual(['', 2]);
    expect(result.stderr).toMatch(/^neuron: --train-step for a softmax layer does not take --sample-weight/);
  });

  it('no file is half-written when the fit is refused', async () => {
    const result = await run(THREE, '--classes', 'p', '-o', at('never.json'));
    expect(result.code).toBe(2);
    expect(() => readFileSync(at('never.json'))).toThrow();
  });
});
