/**
 * `neuron export --to sql --train-step`, run in real engines, gives NumPy's
 * sums (fixtures/reference/train_step_reference.py: correctly rounded fsum)
 * to 1e-12 relative: DuckDB and SQLite here, PostgreSQL when
 * NEURON_TEST_POSTGRES is set, and the Spark and BigQuery queries after
 * sqlglot (Debian's python3-sqlglot, /usr/bin/python3) has parsed them in
 * their dialect and transpiled them into DuckDB's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { stepColumns } from '../../src/export/train-step.js';
import { fixture, runInProcess } from '../support/helpers.js';
import { Database } from '../support/sqlite.js';

interface Reference {
  model: Record<string, unknown>;
  options: { sample_weight?: string; class_weight?: 'balanced' | Record<string, number> };
  n: number;
  loss: number;
  gradient: number[];
  hessian: number[][];
}
const reference = JSON.parse(readFileSync(fixture('reference/train-step.json'), 'utf8')).models as Record<string, Reference>;
// obesity-200 with a row-weight column w (written by the reference script).
const DATA = fixture('obesity-200-weighted.csv');
const dir = mkdtempSync(join(tmpdir(), 'neuron-train-step-'));
const sqlglot = spawnSync('/usr/bin/python3', ['-c', 'import sqlglot'], { encoding: 'utf8' }).status === 0;
const url = process.env.NEURON_TEST_POSTGRES;

async function exported(model: string, dialect: string, table: string): Promise<string> {
  const weights = join(dir, `${model}.json`);
  writeFileSync(weights, JSON.stringify(reference[model]?.model));
  const { sample_weight: sample, class_weight: classes } = reference[model]?.options ?? {};
  const weighted = [
    ...(sample === undefined ? [] : ['--sample-weight', sample]),
    ...(classes === undefined
      ? []
      : [
          '--class-weight',
          classes === 'balanced'
            ? classes
            : Object.entries(classes)
                .map(([c, w]) => `${c}=${w}`)
                .join(','),
        ]),
  ];
  const result = await runInProcess([
    'export',
    '-w',
    weights,
    '--to',
    'sql',
    '--dialect',
    dialect,
    '--train-step',
    '--table',
    table,
    '--label',
    'Condition',
    ...weighted,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.replace(/;\s*$/, '');
}

/** The step's row in the reference's shape. */
function sums(row: Record<string, unknown>, d: number) {
  const at = (name: string) => Number(row[name]);
  return {
    n: at('n'),
    rows: at('rows'),
    loss: at('loss'),
    gradient: Array.from({ length: d + 1 }, (_, j) => at(`g${j}`)),
    hessian: Array.from({ length: d + 1 }, (_, j) => Array.from({ length: d + 1 }, (_, k) => at(j <= k ? `h${j}_${k}` : `h${k}_${j}`))),
  };
}

function expectReference(got: ReturnType<typeof sums>, want: Reference) {
  const close = (a: number, b: number) => {
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
  };
  expect([got.n, got.rows]).toEqual([want.n, want.n]);
  close(got.loss, want.loss);
  got.gradient.forEach((g, j) => {
    close(g, want.gradient[j] as number);
  });
  got.hessian.forEach((row, j) => {
    row.forEach((h, k) => {
      close(h, want.hessian[j]?.[k] as number);
    });
  });
}

async function duckdb(sql: string, setup = ''): Promise<Record<string, unknown>> {
  const connection = await (await DuckDBInstance.create()).connect();
  if (setup !== '') await connection.run(setup);
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  expect(Object.keys(rows[0] ?? {})).toEqual(stepColumns(3));
  return rows[0] as Record<string, unknown>;
}

const PEOPLE = `CREATE TABLE people AS SELECT * FROM read_csv('${DATA}')`;

describe.each(Object.keys(reference))('export --train-step, model %s: the sums NumPy gives', (model) => {
  const want = reference[model] as Reference;

  it('DuckDB', async () => {
    expectReference(sums(await duckdb(await exported(model, 'duckdb', `read_csv('${DATA}')`)), 3), want);
  });

  it('SQLite', async () => {
    const db = new Database();
    db.exec('CREATE TABLE people ("Height (in feet)" REAL, "Weight (in kgs)" REAL, "Age" REAL, "Condition" TEXT, w REAL)');
    const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?)');
    for (const line of readFileSync(DATA, 'utf8').trimEnd().split('\n').slice(1)) {
      const [h, w, a, c, s] = line.split(',');
      insert.run(Number(h), Number(w), Number(a), c, Number(s));
    }
    const [row] = db.all(await exported(model, 'sqlite', 'people'));
    expectReference(sums(row ?? {}, 3), want);
  });

  it.skipIf(url === undefined)('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const table = `neuron_step_${process.pid}`;
      await client.query(`CREATE TEMP TABLE ${table} ("Height (in feet)" float8, "Weight (in kgs)" float8, "Age" int, "Condition" text, w float8)`);
      for (const line of readFileSync(DATA, 'utf8').trimEnd().split('\n').slice(1)) {
        await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, line.split(','));
      }
      const { rows } = await client.query(await exported(model, 'postgres', table));
      expectReference(sums(rows[0], 3), want);
    } finally {
      await client.end();
    }
  });

  it.skipIf(!sqlglot).each(['spark', 'bigquery'])('%s, transpiled by sqlglot into DuckDB', async (dialect) => {
    const sql = await exported(model, dialect, 'people');
    const script =
      'import sys, sqlglot; print(sqlglot.transpile(sys.stdin.read(), read=sys.argv[1], write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)[0])';
    const result = spawnSync('/usr/bin/python3', ['-c', script, dialect], { input: sql, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expectReference(sums(await duckdb(result.stdout, PEOPLE), 3), want);
  });
});

describe('export --train-step: usage', () => {
  it.each([
    [['--to', 'sql', '--train-step', '--table', 't'], '--train-step needs --table and --label'],
    [['--to', 'js', '--train-step', '--table', 't', '--label', 'y'], '--table, --train-step, --label only go with --to sql'],
    [['--to', 'sql', '--label', 'y', '--table', 't'], '--label only goes with --train-step'],
    [['--to', 'sql', '--sample-weight', 'w', '--class-weight', 'balanced', '--table', 't'], '--sample-weight, --class-weight only go with --train-step'],
    [['--to', 'js', '--sample-weight', 'w'], '--sample-weight only goes with --to sql'],
    [['--to', 'sql', '--train-step', '--table', 't', '--label', 'y', '--class-weight', 'Thin=2'], '--class-weight names "Thin", which is not a class'],
  ])('%j', async (args, message) => {
    const result = await runInProcess(['export', '-w', fixture('obesity.weights.json'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

if (!sqlglot) console.log('export-train-step: Spark and BigQuery skipped: /usr/bin/python3 has no sqlglot (apt-get install python3-sqlglot)');

describe.skipIf(!sqlglot).each(['spark', 'bigquery'])('export --to sql --dialect %s, transpiled by sqlglot into DuckDB', (dialect) => {
  it.each([
    ['plain', fixture('obesity.weights.json')],
    ['standardised', 'scaled'],
  ])('scores the fixture as eval does (%s)', async (_, weights) => {
    const path = weights === 'scaled' ? join(dir, 'scaled.json') : weights;
    if (weights === 'scaled') writeFileSync(path, JSON.stringify(reference.scaled?.model));
    const data = weights === 'scaled' ? DATA : fixture('obesity.csv');
    const result = await runInProcess(['export', '-w', path, '--to', 'sql', '--dialect', dialect, '--table', 'people']);
    const script =
      'import sys, sqlglot; print(sqlglot.transpile(sys.stdin.read(), read=sys.argv[1], write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)[0])';
    const transpiled = spawnSync('/usr/bin/python3', ['-c', script, dialect], { input: result.stdout, encoding: 'utf8' });
    expect(transpiled.stderr).toBe('');
    const connection = await (await DuckDBInstance.create()).connect();
    await connection.run(`CREATE TABLE people AS SELECT * FROM read_csv('${data}')`);
    // sqlglot 10.6 passes BigQuery's IS_NAN through by name; DuckDB spells it isnan.
    await connection.run('CREATE MACRO is_nan(x) AS isnan(x)');
    const rows = (await connection.runAndReadAll(transpiled.stdout)).getRowObjectsJS();
    const expected = (await runInProcess(['eval', data, '-w', path])).stdout.trimEnd().split('\n').slice(1);
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      const [z, p, cls] = (expected[i] ?? '').split(',');
      expect(row.z).toBe(Number(z));
      expect(Math.abs((row.sigmoid as number) - Number(p))).toBeLessThanOrEqual(1e-15);
      expect(row.class).toBe(cls);
    });
  });
});
