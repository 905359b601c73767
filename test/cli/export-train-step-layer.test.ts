/**
 * `neuron export --to sql --train-step -w layer.json` (a softmax layer),
 * run in real engines, gives NumPy's sums
 * (fixtures/reference/train_step_layer_reference.py: correctly rounded fsum)
 * to 1e-12 relative: DuckDB and SQLite here, PostgreSQL when
 * NEURON_TEST_POSTGRES is set, and the Spark and BigQuery queries after
 * sqlglot (/usr/bin/python3) has parsed them in their dialect and
 * transpiled them into DuckDB's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { layerStepColumns } from '../../src/export/train-step-layer.js';
import { fixture, runInProcess } from '../support/helpers.js';
import { Database } from '../support/sqlite.js';

interface Reference {
  model: { features: string[]; classes: string[] };
  n: number;
  loss: number;
  correct: number;
  gradient: number[][];
  hessian: Record<string, number[][]>;
}
const reference = JSON.parse(readFileSync(fixture('reference/train-step-layer.json'), 'utf8')).models as Record<string, Reference>;
const DATA = fixture('iris.csv');
const K = 3;
const D = 4;
const dir = mkdtempSync(join(tmpdir(), 'neuron-train-step-layer-'));
const sqlglot = spawnSync('/usr/bin/python3', ['-c', 'import sqlglot'], { encoding: 'utf8' }).status === 0;
const url = process.env.NEURON_TEST_POSTGRES;
const LINES = readFileSync(DATA, 'utf8').trimEnd().split('\n').slice(1);

async function exported(model: string, dialect: string, table: string): Promise<string> {
  const weights = join(dir, `${model}.json`);
  writeFileSync(weights, JSON.stringify(reference[model]?.model));
  const result = await runInProcess(['export', '-w', weights, '--to', 'sql', '--dialect', dialect, '--train-step', '--table', table, '--label', 'species']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.replace(/;\s*$/, '');
}

function expectReference(row: Record<string, unknown>, want: Reference) {
  const at = (name: string) => Number(row[name]);
  const close = (a: number, b: number) => {
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
  };
  expect([at('n'), at('rows'), at('correct')]).toEqual([want.n, want.n, want.correct]);
  close(at('loss'), want.loss);
  for (let c = 0; c < K; c++) for (let j = 0; j <= D; j++) close(at(`g${c}_${j}`), want.gradient[c]?.[j] as number);
  for (let c = 0; c < K; c++) {
    for (let e = c; e < K; e++) {
      for (let a = 0; a <= D; a++) for (let b = a; b <= D; b++) close(at(`h${c}_${e}_${a}_${b}`), want.hessian[`${c}_${e}`]?.[a]?.[b] as number);
    }
  }
}

async function duckdb(sql: string, setup = ''): Promise<Record<string, unknown>> {
  const connection = await (await DuckDBInstance.create()).connect();
  if (setup !== '') await connection.run(setup);
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  expect(Object.keys(rows[0] ?? {})).toEqual(layerStepColumns(K, D, false));
  return rows[0] as Record<string, unknown>;
}

const FLOWERS = `CREATE TABLE flowers AS SELECT * FROM read_csv('${DATA}')`;
const COLUMNS = ['"sepal length (cm)"', '"sepal width (cm)"', '"petal length (cm)"', '"petal width (cm)"'];

describe.each(Object.keys(reference))('export --train-step of a softmax layer, model %s: the sums NumPy gives', (model) => {
  const want = reference[model] as Reference;

  it('DuckDB', async () => {
    expectReference(await duckdb(await exported(model, 'duckdb', `read_csv('${DATA}')`)), want);
  });

  it('SQLite', async () => {
    const db = new Database();
    db.exec(`CREATE TABLE flowers (${COLUMNS.map((c) => `${c} REAL`).join(', ')}, species TEXT)`);
    const insert = db.prepare('INSERT INTO flowers VALUES (?, ?, ?, ?, ?)');
    for (const line of LINES) {
      const cells = line.split(',');
      insert.run(...cells.slice(0, D).map(Number), cells[D]);
    }
    const [row] = db.all(await exported(model, 'sqlite', 'flowers'));
    expectReference(row ?? {}, want);
  });

  it.skipIf(url === undefined)('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const table = `engktrain_step_${process.pid}`;
      await client.query(`CREATE TEMP TABLE ${table} (${COLUMNS.map((c) => `${c} float8`).join(', ')}, species text)`);
      for (const line of LINES) await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, line.split(','));
      const { rows } = await client.query(await exported(model, 'postgres', table));
      expectReference(rows[0], want);
    } finally {
      await client.end();
    }
  });

  it.skipIf(!sqlglot).each(['spark', 'bigquery'])('%s, transpiled by sqlglot into DuckDB', async (dialect) => {
    const sql = await exported(model, dialect, 'flowers');
    const script =
      'import sys, sqlglot; print(sqlglot.transpile(sys.stdin.read(), read=sys.argv[1], write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)[0])';
    const result = spawnSync('/usr/bin/python3', ['-c', script, dialect], { input: sql, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expectReference(await duckdb(result.stdout, FLOWERS), want);
  });
});

describe('export --train-step of a softmax layer: the label', () => {
  it('a class index counts as its class; another label leaves the row out', async () => {
    const sql = await exported('raw', 'duckdb', 'flowers');
    const setup = `CREATE TABLE flowers AS SELECT * REPLACE (CASE WHEN species = 'setosa' THEN '0' WHEN species = 'virginica' AND "sepal width (cm)" > 3.5 THEN 'rose' ELSE species END AS species) FROM read_csv('${DATA}')`;
    const row = await duckdb(sql, setup);
    const named = await duckdb(sql, FLOWERS);
    const left = LINES.filter((line) => line.endsWith(',virginica') && Number(line.split(',')[1]) > 3.5).length;
    expect(left).toBeGreaterThan(0);
    expect([Number(row.n), Number(row.rows)]).toEqual([150 - left, 150]);
    expect(Number(named.n)).toBe(150);
  });
});
