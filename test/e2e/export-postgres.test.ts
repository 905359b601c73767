/**
 * The exported PostgreSQL, run in a real server when one is given:
 * NEURON_TEST_POSTGRES=postgresql://user@host:port/db (and psql on PATH).
 * Without one the tests skip and say so; the generated text is still
 * pinned by the golden files (test/golden/export-sql-postgres*.txt).
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { linearModel } from '../../src/export/linear.js';
import { exportSql } from '../../src/export/sql.js';
import { cell, compare, MODEL_CASES, makeModel, makeRows, reference } from '../support/export-data.js';

const url = process.env.NEURON_TEST_POSTGRES;
const psqlFound = spawnSync('psql', ['--version']).status === 0;
const why = url === undefined ? 'NEURON_TEST_POSTGRES is not set' : psqlFound ? undefined : 'psql is not installed';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs a script through psql; returns its CSV output as records. */
function psql(script: string): Record<string, string>[] {
  const result = spawnSync('psql', [url ?? '', '--csv', '--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1'], {
    input: script,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.stderr).toBe('');
  return parse(result.stdout, { columns: true }) as Record<string, string>[];
}

let worst = { z: 0, output: 0, rows: 0 };
afterAll(() => {
  if (worst.rows > 0) {
    console.log(`export accuracy: postgres: ${worst.rows} rows, largest relative difference from neuron eval: z ${worst.z}, output ${worst.output}`);
  }
});

describe('PostgreSQL runs the exported SQL', () => {
  it.for(MODEL_CASES)('over random rows with z out to ±1000: $name', ({ activation, threshold, scaled }, context) => {
    if (why !== undefined) {
      context.skip(`${why}: the exported PostgreSQL was not run (its text is checked by golden files)`);
      return;
    }
    const model = makeModel(activation, threshold, undefined, scaled);
    // PostgreSQL refuses a product or quotient that underflows to 0 (1e-7 * 5e-324, 5e-324 / 3e9) with an error; eval gives 0.
    // Leave such inputs out (for a scaled model, also those whose (x - mean) / std is that small).
    const tiny = (x: number) => x !== 0 && Math.abs(x) <= 1e-290;
    const scaling = model.scaling;
    const rows = makeRows(model, 3000).filter((row) =>
      row.every((x, i) => !tiny(x) && (scaling === undefined || !tiny((x - (scaling.mean[i] as number)) / (scaling.std[i] as number)))),
    );
    const expected = reference(model, rows);
    expect([expected.some((s) => s.z >= 1000), expected.some((s) => s.z <= -1000), expected.some((s) => s.z < -745.5)]).toEqual([true, true, true]);
    const features = model.features ?? [];
    const copy = rows.map((row, i) => [i, ...row.map(cell)].join(',')).join('\n');
    const query = exportSql(linearModel(model), { dialect: 'postgres', table: 'neuron_rows' }).trimEnd().replace(/;$/, '');
    const items = exportSql(linearModel(model), { dialect: 'postgres', expression: true });
    const outputs = ['z', activation, 'class'].map(quote).join(', ');
    for (const select of [`SELECT ${outputs} FROM (\n${query}\n) AS exported ORDER BY id`, `SELECT\n${items}FROM neuron_rows ORDER BY id`]) {
      const records = psql(
        `CREATE TEMP TABLE neuron_rows (id integer, ${features.map((f) => `${quote(f)} text`).join(', ')});\n` +
          `COPY neuron_rows FROM STDIN WITH (FORMAT csv);\n${copy}\n\\.\n${select};\n`,
      );
      const actual = records.map((r) => ({ z: Number(r.z), output: Number(r[activation]), cls: r.class ?? '' }));
      const result = compare(model, expected, actual);
      worst = { z: Math.max(worst.z, result.z), output: Math.max(worst.output, result.output), rows: worst.rows + result.rows };
      expect(result.rows).toBe(rows.length);
      expect(result.wrongClasses).toEqual([]);
      expect(result.z).toBeLessThanOrEqual(1e-12);
      expect(result.output).toBeLessThanOrEqual(1e-12);
    }
  });
});
