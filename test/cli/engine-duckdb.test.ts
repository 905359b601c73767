/**
 * `eval` and `metrics` with --engine duckdb give what they give in-process:
 * the same bytes on stdout and stderr for the row formats, the same numbers in
 * Parquet (z bit for bit; the activation from DuckDB's exp within 1e-15), and
 * the input rules' errors naming column, value and row. The Parquet, gzip and
 * NDJSON inputs are written here by DuckDB and node:zlib, not by neuron.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-duckdb-'));
const at = (name: string) => join(dir, name);
const OBESITY = fixture('obesity.csv');
const WEIGHTS = fixture('obesity.weights.json');

/** Runs SQL in a DuckDB of the test's own. */
async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await (await DuckDBInstance.create()).connect();
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Seeded rows with an id, three features of mixed scale and a label (a simple LCG, so the test owns its data). */
function randomCsv(rows: number, seed: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines = ['id,a,b,c,y'];
  for (let i = 0; i < rows; i++) {
    const a = (next() - 0.5) * 10;
    const b = next() * 1e4;
    const c = (next() - 0.5) * 1e-3;
    lines.push(`r${i},${a},${b},${c},${a + b / 5000 + next() > 1.5 ? 'pos' : 'neg'}`);
  }
  return `${lines.join('\n')}\n`;
}

const MODEL = {
  features: ['a', 'b', 'c'],
  weights: [0.7, 0.9, -0.4],
  bias: -0.25,
  classes: ['neg', 'pos'],
  scaling: { mean: [0.1, 5000, -1e-5], std: [2.9, 2887, 2.9e-4] },
};

beforeAll(async () => {
  writeFileSync(at('random.csv'), randomCsv(3000, 7));
  writeFileSync(at('model.json'), JSON.stringify(MODEL));
  writeFileSync(at('random.csv.gz'), gzipSync(readFileSync(at('random.csv'))));
  await duck(`COPY (SELECT * FROM read_csv('${at('random.csv')}')) TO '${at('random.parquet')}' (FORMAT parquet)`);
  await duck(`COPY (SELECT * FROM read_csv('${at('random.csv')}')) TO '${at('random.ndjson')}' (FORMAT json)`);
  await duck(`COPY (SELECT * FROM read_csv('${OBESITY}')) TO '${at('obesity.parquet')}' (FORMAT parquet)`);
});

describe('eval --engine duckdb: the same output as in-process eval', () => {
  it.each([
    ['csv', [OBESITY, '-w', WEIGHTS, '--label', 'Condition']],
    ['ndjson', [OBESITY, '-w', WEIGHTS, '--label', 'Condition', '--format', 'ndjson']],
    ['json, a threshold and an activation', [OBESITY, '-w', WEIGHTS, '--format', 'json', '--activation', 'tanh', '--threshold', '0.2']],
    ['a table with metrics', [OBESITY, '-w', WEIGHTS, '--label', 'Condition', '--format', 'table', '--precision', '3']],
    ['standardised, random rows', [at('random.csv'), '-w', at('model.json'), '--keep', 'id', '--label', 'y']],
    ['--seed', [fixture('patients.csv'), '--seed', '42', '--keep', 'id,name', '--label', 'Condition', '--classes', 'Not Obese,Obese']],
  ])('%s', async (_, args) => {
    const inProcess = await runInProcess(['eval', ...args]);
    const engine = await runInProcess(['eval', ...args, '--engine', 'duckdb']);
    expect(inProcess.code).toBe(0);
    expect(engine).toEqual(inProcess);
  });

  it.each([
    ['Parquet', 'random.parquet'],
    ['gzipped CSV', 'random.csv.gz'],
    ['NDJSON', 'random.ndjson'],
  ])('reads %s as the CSV it came from', async (_, name) => {
    const args = ['-w', at('model.json'), '--keep', 'id', '--label', 'y'];
    const inProcess = await runInProcess(['eval', at('random.csv'), ...args]);
    const engine = await runInProcess(['eval', at(name), ...args, '--engine', 'duckdb']);
    expect(engine).toEqual(inProcess);
  });

  it('reads a glob of files: every row of each', async () => {
    const lines = readFileSync(at('random.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(at('part-1.csv'), `${lines.slice(0, 1001).join('\n')}\n`);
    writeFileSync(at('part-2.csv'), `${[lines[0], ...lines.slice(1001)].join('\n')}\n`);
    const args = ['-w', at('model.json'), '--keep', 'id'];
    const inProcess = await runInProcess(['eval', at('random.csv'), ...args]);
    const engine = await runInProcess(['eval', at('part-*.csv'), ...args, '--engine', 'duckdb']);
    // Across the files of a glob the order is DuckDB's (seen once to differ on the loaded test machine): compare the rows.
    const sorted = (text: string) => text.trimEnd().split('\n').sort();
    expect({ ...engine, stdout: sorted(engine.stdout) }).toEqual({ ...inProcess, stdout: sorted(inProcess.stdout) });
  });

  it('writes Parquet with eval columns: z bit for bit, the sigmoid within 1e-15, the same classes and correct', async () => {
    const out = at('scores.parquet');
    const args = [at('random.csv'), '-w', at('model.json'), '--keep', 'id', '--label', 'y'];
    const engine = await runInProcess(['eval', ...args, '--engine', 'duckdb', '-o', out]);
    const inProcess = await runInProcess(['eval', ...args]);
    expect(engine.stderr).toBe(inProcess.stderr);
    expect(engine.code).toBe(0);
    const expected = parse(inProcess.stdout, { columns: true }) as Record<string, string>[];
    const rows = await duck(`SELECT * FROM '${out}'`);
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'z', 'sigmoid', 'class', 'correct']);
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      const want = expected[i] as Record<string, string>;
      expect(row.id).toBe(want.id);
      expect(row.z).toBe(Number(want.z));
      expect(Math.abs((row.sigmoid as number) - Number(want.sigmoid))).toBeLessThanOrEqual(1e-15 * Math.max(1e-300, Number(want.sigmoid)));
      expect(row.class).toBe(want.class);
      expect(String(row.correct)).toBe(want.correct);
    });
  });

  it('refuses Parquet to stdout or without DuckDB', async () => {
    const result = await runInProcess(['eval', OBESITY, '-w', WEIGHTS, '--format', 'parquet']);
    expect(result).toEqual({
      stdout: '',
      stderr: 'neuron: Parquet output is written by --engine duckdb, to a file — add --engine duckdb and -o FILE.parquet, or choose another --format\n',
      code: 2,
    });
  });
});

describe('metrics --engine duckdb', () => {
  it.each([
    ['a CSV', OBESITY, WEIGHTS, 'Condition'],
    ['Parquet', 'obesity.parquet', WEIGHTS, 'Condition'],
    ['random rows', 'random.csv', 'model.json', 'y'],
  ])('%s: the same figures as in-process', async (_, data, weights, label) => {
    const path = (name: string) => (name.startsWith('/') ? name : at(name));
    const inProcess = await runInProcess([
      'metrics',
      data === 'obesity.parquet' ? OBESITY : path(data),
      '-w',
      path(weights),
      '--label',
      label,
      '--format',
      'json',
    ]);
    const engine = await runInProcess(['metrics', path(data), '-w', path(weights), '--label', label, '--format', 'json', '--engine', 'duckdb']);
    expect(inProcess.code).toBe(0);
    expect(engine).toEqual(inProcess);
  });
});

describe('the input rules hold in the engine', () => {
  const weights = () => {
    writeFileSync(at('ab.json'), JSON.stringify({ features: ['a', 'b'], weights: [1, 1], bias: 0, classes: ['x', 'y'] }));
    return at('ab.json');
  };
  const run = (name: string, text: string, ...args: string[]) => {
    writeFileSync(at(name), text);
    return runInProcess(['eval', at(name), '-w', weights(), '--engine', 'duckdb', ...args]);
  };

  it.each([
    ['not a number', 'a,b\n1,2\n1,abc\n', 'row 2: column "b": "abc" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
    ['a comma decimal', 'a,b\n"4,5",2\n', 'row 1: column "a": "4,5" is not a number — use a point as the decimal separator (4.5, not 4,5)'],
    [
      'hex and underscores (which DuckDB itself would read)',
      'a,b\n1,1_000\n',
      'row 1: column "b": "1_000" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5',
    ],
    ['out of range', 'a,b\n1e400,1\n', 'row 1: column "a": "1e400" is out of range for a 64-bit float — use a value between -1.7e308 and 1.7e308'],
    [
      'an empty cell',
      'a,b\n1,2\n3,4\n,5\n',
      'row 3: column "a": empty cell where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero',
    ],
    [
      'NA',
      'a,b\n1,NA\n',
      'row 1: column "b": missing value "NA" where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero',
    ],
    [
      'the first problem in row order',
      'a,b\n1,\nx,2\n',
      'row 1: column "b": empty cell where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero',
    ],
  ])('%s', async (_, text, message) => {
    const result = await run('rule.csv', text);
    expect({ ...result, stdout: undefined }).toEqual({ stdout: undefined, stderr: `neuron: ${at('rule.csv')}: ${message}\n`, code: 1 });
    // As in-process, what came before the bad row may be on stdout already (DuckDB checks a chunk of rows at a time).
    expect(result.stdout).toBe('z,sigmoid,class\n');
    const toFile = await run('rule.csv', text, '-o', at('rule-out.csv'));
    expect(toFile.stderr).toBe(result.stderr);
    expect(() => readFileSync(at('rule-out.csv'))).toThrow();
  });

  it('--missing skip leaves out the rows, says which, and --strict fails', async () => {
    const text = 'a,b\n1,2\n,5\n3, 4 \nNA,1\n';
    const skipped = await run('skip.csv', text, '--missing', 'skip');
    expect(skipped).toEqual({
      stdout: 'z,sigmoid,class\n3,0.9525741268224333,y\n7,0.9990889488055994,y\n',
      stderr: 'neuron: skipped 2 rows with a missing value (rows 2, 4)\n',
      code: 0,
    });
    const strict = await run('skip.csv', text, '--missing', 'skip', '--strict', '-o', at('strict.csv'));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('--strict: 2 rows were skipped');
    expect(() => readFileSync(at('strict.csv'))).toThrow();
  });

  it('--missing zero reads a missing value as 0', async () => {
    const result = await run('zero.csv', 'a,b\n,5\n', '--missing', 'zero');
    expect(result.stdout).toBe('z,sigmoid,class\n5,0.9933071490757152,y\n');
  });

  it('a NULL, a NaN and an infinity in Parquet', async () => {
    await duck(`COPY (SELECT * FROM (VALUES (1.0, 2.0), (NULL, 1.0)) t(a, b)) TO '${at('null.parquet')}' (FORMAT parquet)`);
    await duck(`COPY (SELECT * FROM (VALUES (1.0, 'NaN'::DOUBLE)) t(a, b)) TO '${at('nan.parquet')}' (FORMAT parquet)`);
    await duck(`COPY (SELECT * FROM (VALUES ('inf'::DOUBLE, 1.0)) t(a, b)) TO '${at('inf.parquet')}' (FORMAT parquet)`);
    const fix = 'fill in the value, or pass --missing skip (drop the row) or --missing zero';
    for (const [name, message] of [
      ['null.parquet', `row 2: column "a": NULL where a number is needed — ${fix}`],
      ['nan.parquet', `row 1: column "b": missing value "nan" where a number is needed — ${fix}`],
      ['inf.parquet', 'row 1: column "a": "inf" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
    ]) {
      const result = await runInProcess(['eval', at(name as string), '-w', weights(), '--engine', 'duckdb', '-o', at('null-out.parquet')]);
      expect(result).toEqual({ stdout: '', stderr: `neuron: ${at(name as string)}: ${message}\n`, code: 1 });
      expect(() => readFileSync(at('null-out.parquet'))).toThrow();
    }
  });

  it('a column that is not numeric, a missing column, a missing file', async () => {
    await duck(`COPY (SELECT DATE '2020-01-01' AS a, 1.0 AS b) TO '${at('date.parquet')}' (FORMAT parquet)`);
    const date = await runInProcess(['eval', at('date.parquet'), '-w', weights(), '--engine', 'duckdb']);
    expect(date.stderr).toBe(
      `neuron: ${at('date.parquet')}: column "a" has the type DATE, not a number — choose numeric input columns, or cast this one to a number\n`,
    );
    expect(date.code).toBe(1);
    const column = await run('nocol.csv', 'a,c\n1,2\n');
    expect(column.code).toBe(1);
    expect(column.stderr).toContain('"b"');
    const file = await runInProcess(['eval', at('none-*.parquet'), '-w', weights(), '--engine', 'duckdb']);
    expect(file).toEqual({
      stdout: '',
      stderr: `neuron: no such file: DuckDB found no file matching ${JSON.stringify(at('none-*.parquet'))} — check the path or the glob\n`,
      code: 1,
    });
  });

  it('a label that is not a class', async () => {
    const result = await run('label.csv', 'a,b,y\n1,2,x\n1,2,z\n', '--label', 'y');
    expect(result.stderr).toBe(
      `neuron: ${at('label.csv')}: row 2: --label column "y": "z" is neither a class name ("x", "y") nor 0/1 — name the classes as the labels do, with --classes or "classes" in the weights file\n`,
    );
    expect(result.code).toBe(1);
  });
});
