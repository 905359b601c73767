/**
 * The exported SQL, run in real engines (embedded DuckDB and SQLite), must
 * give what `neuron eval` gives: every z and output to 1e-12 relative, every
 * class exactly, over the fixture and over thousands of random rows with z
 * out to ±1000. The largest differences seen are printed for the record.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { linearModel } from '../../src/export/linear.js';
import { type DialectName, exportSql } from '../../src/export/sql.js';
import type { Model } from '../../src/neuron/model.js';
import { cell, compare, type EngineRow, MODEL_CASES, makeModel, makeRows, reference, relativeDifference } from '../support/export-data.js';
import { fixture, neuronModel, runInProcess } from '../support/helpers.js';
import { Database } from '../support/sqlite.js';

const TOLERANCE = 1e-12;
const ROWS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'neuron-export-'));

/** Largest relative difference per engine, printed after the tests. */
const worst: Record<string, { z: number; output: number; rows: number }> = {};
function record(engine: string, result: { z: number; output: number; rows: number }) {
  const w = worst[engine] ?? { z: 0, output: 0, rows: 0 };
  worst[engine] = w;
  w.z = Math.max(w.z, result.z);
  w.output = Math.max(w.output, result.output);
  w.rows += result.rows;
}
afterAll(() => {
  for (const [engine, w] of Object.entries(worst)) {
    console.log(`export accuracy: ${engine}: ${w.rows} rows, largest relative difference from neuron eval: z ${w.z}, output ${w.output}`);
  }
});

/** Every row back, every class equal, z and output within TOLERANCE; recorded for the summary. */
function expectClose(engine: string, result: ReturnType<typeof compare>, rows: number) {
  record(engine, result);
  expect(result.rows).toBe(rows);
  expect(result.wrongClasses).toEqual([]);
  expect(result.z).toBeLessThanOrEqual(TOLERANCE);
  expect(result.output).toBeLessThanOrEqual(TOLERANCE);
}

/** RFC 4180 with every field quoted, written here rather than by neuron. */
function writeCsv(path: string, header: readonly string[], rows: readonly (readonly string[])[]) {
  const line = (fields: readonly string[]) => fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',');
  writeFileSync(path, `${[header, ...rows].map(line).join('\n')}\n`);
}

/** The exported query ordered by the table's id column, so rows line up with the reference. */
function ordered(sql: string, model: Model, quote: (name: string) => string): string {
  const outputs = ['z', model.activation, 'class'].map(quote).join(', ');
  return `SELECT id, ${outputs} FROM (\n${sql.trimEnd().replace(/;$/, '')}\n) AS exported ORDER BY CAST(id AS INTEGER)`;
}

const sqliteQuote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function toEngineRows(rows: Record<string, unknown>[], model: Model): EngineRow[] {
  return rows.map((r) => ({ z: Number(r.z), output: Number(r[model.activation]), cls: String(r.class) }));
}

function exported(model: Model, dialect: DialectName, table: string): string {
  return exportSql(linearModel(model), { dialect, table });
}

/** Both forms, each ordered by id: the whole query over `table`, and the --expression items in a SELECT of our own. */
function bothForms(model: Model, dialect: DialectName, table: string): string[] {
  const items = exportSql(linearModel(model), { dialect, expression: true });
  return [ordered(exported(model, dialect, table), model, sqliteQuote), `SELECT id,\n${items}FROM ${table} ORDER BY CAST(id AS INTEGER)`];
}

/** The fixture's weights files: one as given, one standardised ("scaling"). Both use the sigmoid. */
const WEIGHTS_FIXTURES = ['obesity.weights.json', 'obesity.scaled.weights.json'];

function readModel(path: string): Model {
  return neuronModel(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** `neuron eval`'s z, sigmoid and class for fixtures/obesity.csv, as it prints them in CSV. */
async function evalRows(weightsFile: string): Promise<EngineRow[]> {
  const evaluated = await runInProcess(['eval', fixture('obesity.csv'), '--weights', weightsFile, '--format', 'csv']);
  expect(evaluated.code).toBe(0);
  return (parse(evaluated.stdout, { columns: true }) as Record<string, string>[]).map((r) => ({
    z: Number(r.z),
    output: Number(r.sigmoid),
    cls: r.class ?? '',
  }));
}

/**
 * The engine's rows against eval's: the same z (bit for bit) and class, the
 * output to 1e-12 relative (the engine's exp is the C library's, which may
 * differ from V8's in the last bit).
 */
function expectAsEval(engine: string, actual: readonly EngineRow[], expected: readonly EngineRow[]) {
  expect(actual.map((r) => [r.z, r.cls])).toEqual(expected.map((r) => [r.z, r.cls]));
  const output = Math.max(0, ...actual.map((r, i) => relativeDifference(r.output, expected[i]?.output ?? Number.NaN)));
  record(engine, { z: 0, output, rows: actual.length });
  expect(output).toBeLessThanOrEqual(TOLERANCE);
}

async function duckdb() {
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

describe('DuckDB runs the exported SQL', () => {
  it.each(WEIGHTS_FIXTURES)('over the fixture, as neuron eval scores it: %s', async (weightsFile) => {
    const model = readModel(fixture(weightsFile));
    const sql = exportSql(linearModel(model), { dialect: 'duckdb', table: `read_csv('${fixture('obesity.csv')}')` });
    const connection = await duckdb();
    const actual = toEngineRows((await connection.runAndReadAll(sql)).getRowObjects(), model);
    expectAsEval('duckdb', actual, await evalRows(fixture(weightsFile)));
  });

  it('scores the fixture with a model just trained with --standardize as neuron eval does', async () => {
    const trained = await runInProcess(['train', fixture('obesity.csv'), '--label', 'Condition', '--standardize', '--epochs', '200']);
    expect(trained.code).toBe(0);
    const weightsFile = join(dir, 'trained.weights.json');
    writeFileSync(weightsFile, trained.stdout);
    const model = readModel(weightsFile);
    expect(model.scaling?.std.every((s) => s !== 1)).toBe(true);
    const exported = await runInProcess(['export', '--weights', weightsFile, '--to', 'sql', '--table', `read_csv('${fixture('obesity.csv')}')`]);
    expect(exported.code).toBe(0);
    const connection = await duckdb();
    const actual = toEngineRows((await connection.runAndReadAll(exported.stdout)).getRowObjects(), model);
    const expected = await evalRows(weightsFile);
    expectAsEval('duckdb', actual, expected);
    // Both classes occur, so a wrong sign or a dropped scaling would show.
    expect(new Set(expected.map((r) => r.cls))).toEqual(new Set(model.classes));
  });

  it.each(MODEL_CASES)(
    'over random rows with z out to ±1000, text and double columns, query and --expression: $name',
    async ({ activation, threshold, scaled }) => {
      const model = makeModel(activation, threshold, undefined, scaled);
      const rows = makeRows(model, ROWS);
      const expected = reference(model, rows);
      const csv = join(dir, `duckdb-${activation}-${threshold}-${scaled}.csv`);
      writeCsv(
        csv,
        ['id', ...(model.features ?? [])],
        rows.map((row, i) => [String(i), ...row.map(cell)]),
      );
      const connection = await duckdb();
      await connection.run(`CREATE TABLE as_text AS SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)`);
      await connection.run(`CREATE TABLE as_double AS SELECT * FROM read_csv('${csv}', header = true, auto_type_candidates = ['DOUBLE'])`);
      const types = (
        await connection.runAndReadAll(`SELECT DISTINCT data_type FROM information_schema.columns WHERE table_name = 'as_double' AND column_name <> 'id'`)
      ).getRows();
      expect(types).toEqual([['DOUBLE']]);

      for (const table of ['as_text', 'as_double']) {
        for (const sql of bothForms(model, 'duckdb', table)) {
          const actual = toEngineRows((await connection.runAndReadAll(sql)).getRowObjects(), model);
          expectClose('duckdb', compare(model, expected, actual), rows.length);
        }
      }
    },
  );
});

describe('SQLite runs the exported SQL', () => {
  it('has the math functions compiled in', () => {
    const db = new Database();
    expect(db.prepare(`SELECT sqlite_compileoption_used('ENABLE_MATH_FUNCTIONS') AS math, exp(1) AS e`).get()).toEqual({ math: 1, e: Math.E });
  });

  it.each(WEIGHTS_FIXTURES)('over the fixture, as neuron eval scores it: %s', async (weightsFile) => {
    const model = readModel(fixture(weightsFile));
    const [header, ...records] = parse(readFileSync(fixture('obesity.csv'))) as string[][];
    const db = new Database();
    // Untyped columns keep the cells as text: the query's CAST reads them.
    db.exec(`CREATE TABLE obesity (id INTEGER, ${(header ?? []).map(sqliteQuote).join(', ')})`);
    const insert = db.prepare(`INSERT INTO obesity VALUES (${['?', ...(header ?? []).map(() => '?')].join(', ')})`);
    records.forEach((r, i) => {
      insert.run(i, ...r);
    });
    const actual = toEngineRows(db.prepare(ordered(exported(model, 'sqlite', 'obesity'), model, sqliteQuote)).all() as Record<string, unknown>[], model);
    expectAsEval('sqlite', actual, await evalRows(fixture(weightsFile)));
  });

  it.each(MODEL_CASES)('over random rows with z out to ±1000, text and REAL columns, query and --expression: $name', ({ activation, threshold, scaled }) => {
    const model = makeModel(activation, threshold, undefined, scaled);
    const rows = makeRows(model, ROWS);
    const expected = reference(model, rows);
    const db = new Database();
    const features = model.features ?? [];
    db.exec(`CREATE TABLE as_text (id INTEGER, ${features.map((f) => `${sqliteQuote(f)} TEXT`).join(', ')})`);
    db.exec(`CREATE TABLE as_real (id INTEGER, ${features.map((f) => `${sqliteQuote(f)} REAL`).join(', ')})`);
    const placeholders = ['?', ...features.map(() => '?')].join(', ');
    const insertText = db.prepare(`INSERT INTO as_text VALUES (${placeholders})`);
    const insertReal = db.prepare(`INSERT INTO as_real VALUES (${placeholders})`);
    db.transaction(() => {
      rows.forEach((row, i) => {
        insertText.run(i, ...row.map(cell));
        insertReal.run(i, ...row);
      });
    })();

    for (const table of ['as_text', 'as_real']) {
      for (const sql of bothForms(model, 'sqlite', table)) {
        const actual = toEngineRows(db.prepare(sql).all() as Record<string, unknown>[], model);
        expectClose('sqlite', compare(model, expected, actual), rows.length);
      }
    }
  });
});

describe('the random rows', () => {
  it.each([
    ['as given', false],
    ['standardised', true],
  ])('reach z = ±1000, the subnormal range of exp and exactly representable ties: %s', (_, scaled) => {
    const model = makeModel('sigmoid', undefined, undefined, scaled);
    const scores = reference(model, makeRows(model, ROWS));
    expect(scores.some((s) => s.z >= 1000)).toBe(true);
    expect(scores.some((s) => s.z <= -1000)).toBe(true);
    // sigmoid(z) for -745 < z < -708 is a subnormal double: the hardest range for exp.
    expect(scores.filter((s) => s.output > 0 && s.output < 2.2250738585072014e-308).length).toBeGreaterThanOrEqual(6);
    expect(scores.some((s) => s.output === 1)).toBe(true);
    expect(scores.some((s) => s.output === 0)).toBe(true);
  });
});
