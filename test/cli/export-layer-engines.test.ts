/**
 * Issue 12: the exported SQL of a softmax layer and of an encoded model
 * ("categories", "impute"), run in real engines, gives what `neuron eval`
 * gives (its in-process scorers): every z bit for bit, every probability to
 * 1e-12 relative, every class equal; and NULL scores exactly where eval
 * refuses the row (a category the model does not know, a missing cell with
 * no fill), or with `unknown: 'zero'` eval --unknown zero's numbers. DuckDB
 * and SQLite (sql.js and the sqlite3 shell) here, PostgreSQL when
 * NEURON_TEST_POSTGRES is set, Spark and BigQuery after sqlglot has
 * transpiled them into DuckDB. The largest differences are printed.
 */
import { spawnSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../src/export/linear.js';
import { type DialectName, exportSql } from '../../src/export/sql.js';
import type { UnknownPolicy } from '../../src/neuron/encoding.js';
import { type AnyModel, isSoftmax } from '../../src/neuron/model.js';
import {
  type Cell,
  columnsOf,
  differences,
  type Expected,
  expected,
  makeCells,
  makeEncoded,
  makeLayer,
  outputColumns,
  PLAIN_CLASSES,
  PLAIN_COLUMNS,
  readBack,
} from '../support/export-encoded-data.js';
import { Database } from '../support/sqlite.js';

const ROWS = 400;
const url = process.env.NEURON_TEST_POSTGRES;
const postgres = url !== undefined && spawnSync('psql', ['--version']).status === 0;
const sqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
const sqlglot = spawnSync('/usr/bin/python3', ['-c', 'import sqlglot'], { encoding: 'utf8' }).status === 0;

const worst: Record<string, { z: number; p: number; rows: number }> = {};
afterAll(() => {
  if (!postgres) console.log('export k classes: PostgreSQL was not run: NEURON_TEST_POSTGRES is not set or psql is missing');
  if (!sqlglot) console.log('export k classes: Spark and BigQuery were not run: /usr/bin/python3 has no sqlglot');
  for (const [engine, w] of Object.entries(worst)) {
    console.log(`export k classes: ${engine}: ${w.rows} rows, largest relative difference from neuron eval: z ${w.z}, probability ${w.p}`);
  }
});

/** Every row back, NULL where eval refuses it, z exactly (Python-free engines run the same double operations), p to 1e-12. */
function expectAsEval(engine: string, want: readonly (Expected | null)[], actual: readonly (Expected | null)[]) {
  const d = differences(want, actual);
  const w = worst[engine] ?? { z: 0, p: 0, rows: 0 };
  worst[engine] = { z: Math.max(w.z, d.z), p: Math.max(w.p, d.p), rows: w.rows + d.rows };
  expect(d.rows, engine).toBe(want.length);
  expect(d.wrong, engine).toEqual([]);
  expect(d.z, engine).toBe(0);
  expect(d.p, engine).toBeLessThanOrEqual(1e-12);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: Cell) =>
  value === null ? 'NULL' : typeof value === 'number' ? (Object.is(value, -0) ? '-0e+0' : value.toExponential()) : `'${value.replaceAll("'", "''")}'`;

/** The test's own table: an id, DOUBLE PRECISION for numeric columns, TEXT for one-hot ones; NULL for a missing cell. */
function table(model: AnyModel, rows: readonly Cell[][]): string {
  const columns = columnsOf(model).map((c) => `${ident(c)} ${model.categories?.has(c) === true ? 'TEXT' : 'DOUBLE PRECISION'}`);
  return (
    `CREATE TABLE t (id INTEGER, ${columns.join(', ')});\n` +
    `INSERT INTO t VALUES ${rows.map((row, i) => `(${[String(i), ...row.map(literal)].join(', ')})`).join(',\n')};\n`
  );
}

/** Both forms, ordered by id, selecting the outputs by name: the whole query, and the bare items in a SELECT of our own. */
function queries(model: AnyModel, dialect: DialectName, unknown: UnknownPolicy, quote = ident): string[] {
  const exported = exportModel(model);
  const names = outputColumns(model);
  const outputs = [...names.z, ...names.p, names.cls].map(quote).join(', ');
  const query = exportSql(exported, { dialect, table: 't', unknown }).trimEnd().replace(/;$/, '');
  const items = exportSql(exported, { dialect, expression: true, unknown });
  return [`SELECT id, ${outputs} FROM (\n${query}\n) AS exported ORDER BY id`, `SELECT id,\n${items}FROM t ORDER BY id`];
}

const CASES: { name: string; model: AnyModel }[] = [
  { name: 'softmax layer', model: makeLayer() },
  { name: 'softmax layer, standardised', model: makeLayer(true) },
  { name: 'encoded neuron', model: makeEncoded('neuron') },
  { name: 'encoded neuron, standardised', model: makeEncoded('neuron', true) },
  { name: 'encoded softmax layer', model: makeEncoded('layer') },
  { name: 'encoded softmax layer, standardised', model: makeEncoded('layer', true) },
];
const POLICIES: UnknownPolicy[] = ['error', 'zero'];
const MATRIX = CASES.flatMap((c) => POLICIES.map((unknown) => ({ ...c, unknown })));
/** The same models with names sqlglot 10.6 can parse in every dialect (quotes in categories and classes, no backslash or backquote in names). */
const PLAIN_FEATURES = ['sepal length', 'select', 'petal width', 'x1'];
const PLAIN_CASES: { name: string; model: AnyModel }[] = [
  { name: 'softmax layer, standardised', model: makeLayer(true, PLAIN_FEATURES, PLAIN_CLASSES) },
  { name: 'encoded neuron, standardised', model: makeEncoded('neuron', true, PLAIN_COLUMNS, PLAIN_CLASSES.slice(1)) },
  { name: 'encoded softmax layer, standardised', model: makeEncoded('layer', true, PLAIN_COLUMNS, PLAIN_CLASSES) },
];

async function duckdb(setup: string) {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(setup);
  return connection;
}

const rowsOf = (model: AnyModel, records: Record<string, unknown>[]) => records.map((r) => readBack(model, (name) => r[name]));

describe('the exported SQL of k classes and encoded models gives eval’s numbers', { timeout: 180_000 }, () => {
  it.each(MATRIX)('DuckDB: $name, unknown $unknown', async ({ model, unknown }) => {
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    // The rows reach every verdict: scored, and (encoded) refused by eval.
    expect(want.some((e) => e !== null)).toBe(true);
    if (model.categories !== undefined) expect(want.some((e) => e === null)).toBe(true);
    // Some z of a layer is past 710, where exp(z) overflows: only a softmax with the largest z subtracted survives it.
    if (isSoftmax(model)) expect(want.some((e) => e !== null && Math.max(...e.z) > 710)).toBe(true);
    const connection = await duckdb(table(model, rows));
    for (const sql of queries(model, 'duckdb', unknown)) {
      expectAsEval('duckdb', want, rowsOf(model, (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]));
    }
  });

  it.each(MATRIX)('SQLite (sql.js): $name, unknown $unknown', ({ model, unknown }) => {
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    const db = new Database();
    db.exec(table(model, rows));
    for (const sql of queries(model, 'sqlite', unknown)) expectAsEval('sqlite', want, rowsOf(model, db.all(sql)));
  });

  it.skipIf(!sqlite3).each(MATRIX)('the sqlite3 shell: $name, unknown $unknown', ({ model, unknown }) => {
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    for (const sql of queries(model, 'sqlite', unknown)) {
      const run = spawnSync('sqlite3', ['-bail', '-header', '-quote', ':memory:'], { input: `${table(model, rows)}${sql};\n`, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const records = parse(run.stdout, { quote: "'", escape: "'", columns: true }) as Record<string, string>[];
      expectAsEval(
        'sqlite3 shell',
        want,
        records.map((r) => readBack(model, (name) => (r[name] === 'NULL' ? null : r[name]))),
      );
    }
  });

  it.skipIf(!postgres).each(MATRIX)('PostgreSQL: $name, unknown $unknown', ({ model, unknown }) => {
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    const schema = `export_layer_${process.pid}`;
    for (const sql of queries(model, 'postgres', unknown)) {
      const script =
        `SET client_min_messages = warning; DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema};\n` +
        `${table(model, rows)}${sql};\nDROP SCHEMA ${schema} CASCADE;\n`;
      const run = spawnSync('psql', [url ?? '', '-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1'], {
        input: script,
        encoding: 'utf8',
        env: { ...process.env, PGOPTIONS: '-c standard_conforming_strings=off' },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(run.stderr).toBe('');
      const records = parse(run.stdout, { columns: true }) as Record<string, string>[];
      expectAsEval(
        'postgres',
        want,
        records.map((r) => readBack(model, (name) => (r[name] === '' ? null : r[name]))),
      );
    }
  });

  // sqlglot takes seconds to parse the encoded layer's query (each z is written out again inside every probability).
  it
    .skipIf(!sqlglot)
    .each(PLAIN_CASES.flatMap((c) => POLICIES.flatMap((unknown) => (['spark', 'bigquery'] as const).map((dialect) => ({ ...c, unknown, dialect })))))(
    '$dialect, transpiled by sqlglot into DuckDB: $name, unknown $unknown',
    { timeout: 180_000 },
    async ({ model, unknown, dialect }) => {
      const rows = makeCells(model, ROWS);
      const want = expected(model, rows, unknown);
      const connection = await duckdb(table(model, rows));
      // sqlglot passes BigQuery's IS_NAN through by name; DuckDB spells it isnan.
      await connection.run('CREATE MACRO is_nan(x) AS isnan(x)');
      const backQuote = (name: string) => `\`${name.replaceAll('`', '``')}\``;
      const bigQuote = (name: string) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
      for (const sql of queries(model, dialect, unknown, dialect === 'spark' ? backQuote : bigQuote)) {
        const script =
          'import sys, sqlglot; print(sqlglot.transpile(sys.stdin.read(), read=sys.argv[1], write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)[0])';
        const transpiled = spawnSync('/usr/bin/python3', ['-c', script, dialect], { input: sql, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        expect(transpiled.stderr).toBe('');
        expectAsEval(dialect, want, rowsOf(model, (await connection.runAndReadAll(transpiled.stdout)).getRowObjectsJS() as Record<string, unknown>[]));
      }
    },
  );
});
