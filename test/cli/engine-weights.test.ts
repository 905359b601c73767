/**
 * `train --engine` with row weights (--class-weight, --sample-weight), --summary
 * and --missing, and `summary --engine`: each case against in-process `train`
 * and `summary` on the same rows (which are tested against scikit-learn and
 * statsmodels), in DuckDB on CSV and Parquet, and in PostgreSQL on a table when
 * NEURON_TEST_POSTGRES is set. Coefficients and statistics within 1e-9 relative.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, type ModelFile } from '../support/close.js';
import { fixture, runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-weights-'));
const at = (name: string) => join(dir, name);
const url = process.env.NEURON_TEST_POSTGRES;
const FEATURES = ['--features', 'Height (in feet),Weight (in kgs),Age'];

function expectSameModel(got: ModelFile, want: ModelFile) {
  expect([got.features, got.classes]).toEqual([want.features, want.classes]);
  expectClose([...got.weights, got.bias], [...want.weights, want.bias]);
  expectClose(got.scaling?.std ?? [], want.scaling?.std ?? [], 1e-14);
}

/** Every number of two summaries (JSON) within 1e-9 relative; the gradient norm (about 1e-14) within 1e-9. */
function expectSameSummary(got: unknown, want: unknown, path = ''): void {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    const tolerance = path.endsWith('gradientNorm') ? 1e-9 : 1e-9 * Math.abs(want);
    expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(tolerance);
  } else if (want !== null && typeof want === 'object') {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [key, value] of Object.entries(want)) expectSameSummary((got as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(got, path).toEqual(want);
  }
}

/** The table's convergence line without its gradient norm (the last digits of a sum at the optimum, about 1e-14, differ). */
function maskGradient(table: string): string {
  return table.replace(/\(gradient norm [^)]*\)/, '(gradient norm G)');
}

/** obesity-200 with a weight column w (0 to 3.25, some 0: fixtures/reference/train_step_reference.py writes it) and, in holes.csv, missing labels, inputs and weights. */
beforeAll(async () => {
  const lines = readFileSync(fixture('obesity-200-weighted.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(at('w.csv'), `${lines.join('\n')}\n`);
  const rows = lines.slice(1);
  const holes = rows.map((row, i) => {
    const cells = row.split(',');
    if (i % 17 === 3) cells[3] = i % 2 === 0 ? '' : 'NA';
    if (i % 23 === 5) cells[1] = '';
    if (i % 29 === 7) cells[4] = 'n/a';
    return cells.join(',');
  });
  writeFileSync(at('holes.csv'), `${lines[0]}\n${holes.join('\n')}\n`);
  // The same rows without those with a hole (in the columns read): what --missing skip must train on.
  const hole = (cell: string | undefined) => cell === '' || cell === 'NA' || cell === 'n/a';
  const without = (columns: number[]) => holes.filter((row) => !columns.some((j) => hole(row.split(',')[j]))).join('\n');
  writeFileSync(at('filled.csv'), `${lines[0]}\n${without([1, 3])}\n`);
  writeFileSync(at('filled-w.csv'), `${lines[0]}\n${without([1, 3, 4])}\n`);
  const connection = await (await DuckDBInstance.create()).connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${at('w.csv')}')) TO '${at('w.parquet')}' (FORMAT parquet)`);
});

async function trained(args: string[]): Promise<ModelFile> {
  const result = await runInProcess(['train', ...args, '--label', 'Condition', '-q']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ModelFile;
}

const WEIGHTED: [string, string[]][] = [
  ['--class-weight balanced', ['--class-weight', 'balanced', ...FEATURES]],
  ['--class-weight Obese=3', ['--class-weight', 'Obese=3', ...FEATURES]],
  ['--sample-weight w', ['--sample-weight', 'w']],
  ['--sample-weight w --class-weight balanced --C 0.5', ['--sample-weight', 'w', '--class-weight', 'balanced', '--C', '0.5']],
  [
    '--sample-weight w --class-weight "Not Obese=0.25" --standardize --l2 0.01',
    ['--sample-weight', 'w', '--class-weight', 'Not Obese=0.25', '--standardize', '--l2', '0.01'],
  ],
];

describe('train --engine duckdb with row weights: the model of in-process train', () => {
  it.each(WEIGHTED)('%s (CSV and Parquet)', async (_, args) => {
    const want = await trained([at('w.csv'), ...args]);
    expectSameModel(await trained([at('w.csv'), '--engine', 'duckdb', ...args]), want);
    expectSameModel(await trained([at('w.parquet'), '--engine', 'duckdb', ...args]), want);
  });

  it('says "weighted mean log loss", as in-process', async () => {
    const result = await runInProcess(['train', at('w.csv'), '--label', 'Condition', '--sample-weight', 'w', '--engine', 'duckdb']);
    expect(result.stderr).toMatch(/^neuron: trained by Newton's method in duckdb: \d+ iterations \(\d+ step queries\), weighted mean log loss 0\.\d{6}, /);
  });
});

describe('train --engine duckdb --missing skip: rows without a label, an input or a weight are left out', () => {
  it.each([
    ['no weights', ['--features', 'Height (in feet),Weight (in kgs),Age']],
    ['--sample-weight w', ['--sample-weight', 'w']],
    ['--sample-weight w --class-weight balanced', ['--sample-weight', 'w', '--class-weight', 'balanced']],
  ])('%s: the model of in-process train, and of training without those rows', async (_, args) => {
    const engine = await runInProcess(['train', at('holes.csv'), '--label', 'Condition', '-q', '--missing', 'skip', '--engine', 'duckdb', ...args]);
    const inProcess = await runInProcess(['train', at('holes.csv'), '--label', 'Condition', '-q', '--missing', 'skip', ...args]);
    expect(engine.code).toBe(0);
    // The same rows, named by the engine's row numbers (in-process: file lines, one more for the header).
    const lines = /\(lines ([\d, ]+), \.\.\.\)/.exec(inProcess.stderr)?.[1]?.split(', ').map(Number) ?? [];
    expect(engine.stderr).toBe(
      `neuron: skipped ${/skipped (\d+) rows/.exec(inProcess.stderr)?.[1]} rows with a missing value (rows ${lines.map((l) => l - 1).join(', ')}, ...)\n`,
    );
    const model = JSON.parse(engine.stdout) as ModelFile;
    expectSameModel(model, JSON.parse(inProcess.stdout) as ModelFile);
    expectSameModel(model, await trained([at(args.includes('w') ? 'filled-w.csv' : 'filled.csv'), ...args]));
  });
});

describe('train --engine: bad labels and weights, located as in-process', () => {
  const run = async (text: string, ...args: string[]) => {
    writeFileSync(at('bad.csv'), text);
    const engine = await runInProcess(['train', at('bad.csv'), '--label', 'y', '--engine', 'duckdb', ...args]);
    const inProcess = await runInProcess(['train', at('bad.csv'), '--label', 'y', ...args]);
    return { engine, inProcess };
  };
  const DATA = 'a,w,y\n1,1,p\n2,0.5,q\n3,2,p\n4,1,q\n';
  it.each([
    [
      'an empty label',
      'a,y\n1,p\n2,\n3,q\n',
      [],
      'row 2: --label column "y": empty label — fill in the label, or pass --missing skip (drop the row)',
      'FILE:3:2: --label column "y": empty label',
    ],
    [
      'an NA label',
      'a,y\n1,p\n2,q\n3, NA\n',
      [],
      'row 3: --label column "y": missing label "NA" — fill in the label, or pass --missing skip (drop the row)',
      'FILE:4:2: --label column "y": missing label "NA"',
    ],
    [
      'a label before a bad cell of the same row',
      'a,y\n1,p\nx,\n3,q\n',
      [],
      'row 2: --label column "y": empty label — fill in the label, or pass --missing skip (drop the row)',
      'FILE:3:2: --label column "y": empty label',
    ],
    [
      'a negative weight',
      DATA.replace('0.5', '-0.5'),
      ['--sample-weight', 'w'],
      'row 2: --sample-weight column "w": -0.5 is not a weight — row weights are numbers >= 0',
      '--sample-weight column "w": -0.5 on data row 2 is not a weight',
    ],
    [
      'a weight that is not a number',
      DATA.replace('0.5', 'heavy'),
      ['--sample-weight', 'w'],
      'row 2: column "w": "heavy" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5',
      'FILE:3:2: column "w": "heavy" is not a number',
    ],
    [
      'an empty weight',
      DATA.replace('0.5', ''),
      ['--sample-weight', 'w'],
      'row 2: column "w": empty cell where a number is needed — fill in the value, pass --missing skip (drop the row), or fill the column with --impute (such as --impute median)',
      'FILE:3:2: column "w": empty cell where a number is needed',
    ],
    [
      'weights all 0',
      DATA.replace(/,[\d.]+,/g, ',0,'),
      ['--sample-weight', 'w'],
      '--sample-weight column "w" is 0 on every row — give some rows a weight above 0',
      '--sample-weight column "w" is 0 on every row',
    ],
  ])('%s', async (_, text, args, engineMessage, inProcessMessage) => {
    const { engine, inProcess } = await run(text as string, ...(args as string[]));
    const file = at('bad.csv');
    expect(engine).toEqual({ stdout: '', stderr: `neuron: ${file}: ${engineMessage}\n`, code: 1 });
    expect(inProcess.code).toBe(1);
    expect(inProcess.stderr).toContain((inProcessMessage as string).replace('FILE', file));
  });

  it('--missing skip drops a row without a label, and a row with a negative weight there is not checked', async () => {
    const text = 'a,w,y\n1,1,p\n2,-1,\n3,2,p\n4,1,q\n5,1,q\n0,2,q\n';
    const { engine, inProcess } = await run(text, '--sample-weight', 'w', '--missing', 'skip', '-q');
    expect([engine.code, inProcess.code]).toEqual([0, 0]);
    expect(engine.stderr).toBe('neuron: skipped 1 row with a missing value (row 2)\n');
    expectSameModel(JSON.parse(engine.stdout) as ModelFile, JSON.parse(inProcess.stdout) as ModelFile);
  });
});

describe('train --engine --summary: the table in-process train prints', () => {
  it.each([
    ['no penalty', FEATURES],
    ['--standardize', [...FEATURES, '--standardize']],
    ['--sample-weight w (coefficients only)', ['--sample-weight', 'w']],
    ['--C 1 (coefficients only)', [...FEATURES, '--C', '1']],
  ])('%s', async (_, args) => {
    const engine = await runInProcess(['train', at('w.parquet'), '--label', 'Condition', '--summary', '--engine', 'duckdb', ...args]);
    const inProcess = await runInProcess(['train', at('w.csv'), '--label', 'Condition', '--summary', ...args]);
    expect([engine.code, inProcess.code]).toEqual([0, 0]);
    // After the line on how training went: the same table, to its last digit (but the gradient norm's rounding noise, about 1e-14).
    const table = (stderr: string) => maskGradient(stderr.slice(stderr.indexOf('\n') + 1));
    expect(table(engine.stderr)).toBe(table(inProcess.stderr));
    expect(table(engine.stderr)).toContain('Logistic regression');
  });
});

describe('summary --engine duckdb: in-process summary', () => {
  const model =
    (args: string[], name: string, data = at('w.csv')) =>
    async () => {
      const result = await runInProcess(['train', data, '-q', '-o', at(name), ...args]);
      expect(result.code).toBe(0);
    };
  beforeAll(async () => {
    await model(['--label', 'Condition', ...FEATURES], 'raw.json')();
    await model(['--label', 'Condition', ...FEATURES, '--standardize'], 'scaled.json')();
    await model(['--label', 'Condition', '--sample-weight', 'w'], 'weighted.json')();
    await model(['--label', 'survived', '--categorical', 'sex,port', '--impute', 'median,port=constant=S'], 'passengers.json', fixture('passengers.csv'))();
  });
  it.each([
    ['a raw model', 'raw.json', 'w.csv', 'Condition', []],
    ['a standardised model', 'scaled.json', 'w.parquet', 'Condition', []],
    ['--sample-weight', 'weighted.json', 'w.csv', 'Condition', ['--sample-weight', 'w']],
    ['--C 0.5', 'raw.json', 'w.parquet', 'Condition', ['--C', '0.5']],
    ['--missing skip', 'raw.json', 'holes.csv', 'Condition', ['--missing', 'skip']],
    ['an encoded model (one-hot, fills)', 'passengers.json', fixture('passengers.csv'), 'survived', []],
  ])('%s', async (_, weights, data, label, args) => {
    const path = (data as string).startsWith('/') ? (data as string) : at(data as string);
    const common = ['summary', path, '-w', at(weights as string), '--label', label as string, '--format', 'json', ...(args as string[])];
    const inProcess = await runInProcess(common.map((arg) => arg.replace(/\.parquet$/, '.csv')));
    const engine = await runInProcess([...common, '--engine', 'duckdb']);
    expect([engine.code, inProcess.code]).toEqual([0, 0]);
    expectSameSummary(JSON.parse(engine.stdout), JSON.parse(inProcess.stdout));
  });

  it('the text table, to its last digit', async () => {
    const common = ['summary', at('w.csv'), '-w', at('raw.json'), '--label', 'Condition'];
    const engine = await runInProcess([...common, '--engine', 'duckdb']);
    const inProcess = await runInProcess(common);
    expect({ ...engine, stdout: maskGradient(engine.stdout) }).toEqual({ ...inProcess, stdout: maskGradient(inProcess.stdout) });
    expect(engine.stdout).toMatch(/converged {13}yes \(gradient norm \d\.\d\de-1[45]\)/);
  });

  it('a label that is not one of the model classes', async () => {
    writeFileSync(at('other.csv'), 'Height (in feet),Weight (in kgs),Age,Condition\n5,70,30,Obese\n6,80,40,Thin\n');
    const engine = await runInProcess(['summary', at('other.csv'), '-w', at('raw.json'), '--label', 'Condition', '--engine', 'duckdb']);
    expect(engine).toEqual({
      stdout: '',
      stderr: `neuron: ${at('other.csv')}: row 2: --label column "Condition": "Thin" is not one of --classes ("Not Obese", "Obese") — keep only rows of those two classes, or drop --classes to fit every class\n`,
      code: 1,
    });
  });
});

describe.skipIf(url === undefined)('PostgreSQL: a table with weights and a row without its label', () => {
  it('train --engine postgres and summary --engine postgres give in-process results', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const table = `engwt_weights_${process.pid}`;
    try {
      await client.query(`CREATE TABLE ${table} ("Height (in feet)" float8, "Weight (in kgs)" float8, "Age" int, "Condition" text, w float8)`);
      const rows = readFileSync(at('w.csv'), 'utf8').trimEnd().split('\n').slice(1);
      for (const [i, line] of rows.entries()) {
        const cells: (string | null)[] = line.split(',');
        if (i === 4) cells[3] = null;
        await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, cells);
      }
      const db = ['--engine', 'postgres', '--db', url ?? '', '--table', table];
      const refused = await runInProcess(['train', ...db, '--label', 'Condition', '--sample-weight', 'w']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /: row ctid \(0,5\): --label column "Condition": NULL label — fill in the label, or pass --missing skip \(drop the row\)\n$/,
      );
      writeFileSync(at('pg.csv'), `${readFileSync(at('w.csv'), 'utf8').split('\n')[0]}\n${rows.filter((_, i) => i !== 4).join('\n')}\n`);
      const args = ['--label', 'Condition', '--sample-weight', 'w', '--class-weight', 'balanced', '-q'];
      const engine = await runInProcess(['train', ...db, ...args, '--missing', 'skip']);
      expect(engine.stderr).toBe('neuron: skipped 1 row with a missing value (row (0,5))\n');
      const want = await runInProcess(['train', at('pg.csv'), ...args]);
      expectSameModel(JSON.parse(engine.stdout) as ModelFile, JSON.parse(want.stdout) as ModelFile);
      writeFileSync(at('pg.json'), want.stdout);
      const summary = ['-w', at('pg.json'), '--label', 'Condition', '--sample-weight', 'w', '--format', 'json'];
      const inEngine = await runInProcess(['summary', ...db, ...summary, '--missing', 'skip']);
      expect(inEngine.code).toBe(0);
      expectSameSummary(JSON.parse(inEngine.stdout), JSON.parse((await runInProcess(['summary', at('pg.csv'), ...summary])).stdout));
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});
