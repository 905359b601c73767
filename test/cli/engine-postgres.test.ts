/**
 * `eval` and `metrics` with --engine postgres against a real server
 * (NEURON_TEST_POSTGRES=postgresql://...; without it these tests skip and say
 * so): the same output as in-process eval on the same rows, scores written to
 * a new table, and the server's problems as clear errors with nothing written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const url = process.env.NEURON_TEST_POSTGRES;
const schema = `neuron_engines_${process.pid}`;
const WEIGHTS = fixture('obesity.weights.json');
const OBESITY = fixture('obesity.csv');

describe.skipIf(url === undefined)('--engine postgres', () => {
  const client = new pg.Client({ connectionString: url });
  const db = ['--engine', 'postgres', '--db', url ?? ''];
  const sql = (text: string, values?: unknown[]) => client.query(text, values);

  beforeAll(async () => {
    await client.connect();
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await sql(`CREATE TABLE ${schema}.people ("Height (in feet)" double precision, "Weight (in kgs)" double precision, "Condition" text)`);
    await sql(`CREATE TABLE ${schema}.texts ("Height (in feet)" text, "Weight (in kgs)" varchar(20), "Condition" text)`);
    const rows = readFileSync(OBESITY, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    for (const [h, w, c] of rows) {
      await client.query(`INSERT INTO ${schema}.people VALUES ($1, $2, $3)`, [Number(h), Number(w), c]);
      await client.query(`INSERT INTO ${schema}.texts VALUES ($1, $2, $3)`, [` ${h}\t`, w, c]);
    }
  });
  afterAll(async () => {
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it.each([
    ['double precision columns', 'people'],
    ['text columns, read by the number rule', 'texts'],
  ])('eval on %s: the same output as in-process', async (_, table) => {
    const inProcess = await runInProcess(['eval', OBESITY, '-w', WEIGHTS, '--label', 'Condition']);
    const engine = await runInProcess(['eval', '-w', WEIGHTS, '--label', 'Condition', ...db, '--table', `${schema}.${table}`]);
    expect(inProcess.code).toBe(0);
    expect(engine).toEqual(inProcess);
  });

  it('metrics: the same figures', async () => {
    const args = ['-w', WEIGHTS, '--label', 'Condition', '--format', 'json'];
    const engine = await runInProcess(['metrics', ...args, ...db, '--table', `${schema}.people`]);
    expect(engine).toEqual(await runInProcess(['metrics', OBESITY, ...args]));
  });

  it('--into writes a new table with the scores and refuses an existing one', async () => {
    const args = ['eval', '-w', WEIGHTS, '--label', 'Condition', ...db, '--table', `${schema}.people`, '--into', `${schema}.scores`];
    const created = await runInProcess(args);
    expect(created).toEqual({ stdout: '', stderr: 'neuron: accuracy 14/14 = 100.00% (label column "Condition")\n', code: 0 });
    const expected = (await runInProcess(['eval', OBESITY, '-w', WEIGHTS, '--label', 'Condition'])).stdout.trimEnd().split('\n').slice(1);
    const { rows } = await client.query({ text: `SELECT z, sigmoid, class, correct FROM ${schema}.scores`, rowMode: 'array' });
    expect(rows.length).toBe(14);
    rows.forEach((row: unknown[], i: number) => {
      const [z, p, cls, correct] = (expected[i] ?? '').split(',');
      expect(row[0]).toBe(Number(z));
      expect(Math.abs((row[1] as number) - Number(p))).toBeLessThanOrEqual(1e-15);
      expect([row[2], String(row[3])]).toEqual([cls, correct]);
    });
    const again = await runInProcess(args);
    expect(again).toEqual({
      stdout: '',
      stderr: `neuron: --into "${schema}.scores": the table already exists — name a new table, or drop the old one first\n`,
      code: 2,
    });
  });

  it('a NULL cell is named by its ctid; a column of another type is refused', async () => {
    await sql(`CREATE TABLE ${schema}.holes (a double precision, b double precision, d date)`);
    await sql(`INSERT INTO ${schema}.holes VALUES (1, 2, '2020-01-01'), (NULL, 2, '2020-01-02')`);
    writeWeights();
    const hole = await runInProcess(['eval', '-w', weightsFile, ...db, '--table', `${schema}.holes`, '--features', 'a,b']);
    expect(hole).toEqual({
      stdout: '',
      stderr: `neuron: ${schema}.holes: row ctid (0,2): column "a": NULL where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n`,
      code: 1,
    });
    const date = await runInProcess(['eval', '-w', weightsFile, ...db, '--table', `${schema}.holes`, '--features', 'a,d']);
    expect(date.stderr).toBe(
      `neuron: ${schema}.holes: column "d" has the type date, not a number — choose numeric input columns, or cast this one to a number\n`,
    );
  });

  it.each([
    ['a missing table', () => [...db, '--table', `${schema}.nope`], /no table "neuron_engines_\d+\.nope" — check --table/],
    [
      'a missing database',
      () => [...db.slice(0, 3), (url ?? '').replace(/\/postgres\b/, '/neuron_no_such_db'), '--table', 't'],
      /database "neuron_no_such_db" does not exist/,
    ],
    ['a URL that is not one', () => [...db.slice(0, 3), 'postgresql://a:b@[', '--table', 't'], /is not a connection URL/],
  ])('%s: exit 1 or 2 with the reason', async (_, args, message) => {
    const result = await runInProcess(['eval', '-w', WEIGHTS, ...args()]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').length).toBe(2);
    expect([1, 2]).toContain(result.code);
  });

  it('a server connection that goes away mid-run: exit 1, no table written', async () => {
    await sql(`CREATE TABLE ${schema}.big AS SELECT g::float8 AS a, (g % 7)::float8 AS b FROM generate_series(1, 1000000) AS g`);
    writeWeights();
    const running = runInProcess(['eval', '-w', weightsFile, '--features', 'a,b', ...db, '--table', `${schema}.big`, '--into', `${schema}.big_scores`]);
    // Terminate this run's backend once its query is running: the one reading this test's own schema (not another
    // neuron's on a shared server).
    for (let i = 0; i < 200; i++) {
      const { rowCount } = await sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'neuron' AND state = 'active' AND position($1 in query) > 0",
        [schema],
      );
      if ((rowCount ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the connection was lost: .* — nothing was written; run the command again when the server is back\n$/);
    const { rows } = await sql(`SELECT to_regclass('${schema}.big_scores') AS t`);
    expect(rows[0].t).toBeNull();
  }, 60_000);
});

let weightsFile = '';
function writeWeights(): void {
  weightsFile = `${process.env.TMPDIR ?? '/tmp'}/neuron-engines-ab-${process.pid}.json`;
  writeFileSync(weightsFile, JSON.stringify({ weights: [1, 1], bias: 0 }));
}

if (url === undefined) console.log('engine-postgres: skipped, NEURON_TEST_POSTGRES is not set');
