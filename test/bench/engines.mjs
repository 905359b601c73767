#!/usr/bin/env node
/**
 * `npm run bench:engines`: the engines against their peers in the same run
 * (medians of alternating runs; compare the ratios, the machine is shared):
 *   - eval --engine duckdb, Parquet to Parquet, against the same query written
 *     by hand in DuckDB (the export's SQL in a COPY, in a fresh process);
 *   - train --engine duckdb on Parquet, against in-process train on the same
 *     rows as CSV and scikit-learn (pandas' read of the CSV plus
 *     LogisticRegression(penalty=None, solver="newton-cholesky" if it has it,
 *     else its default), as a whole process;
 *   - train --engine postgres on a table (NEURON_TEST_POSTGRES), with the
 *     server's rows per second.
 * Peak memory is /usr/bin/time's maximum RSS of neuron's process (DuckDB,
 * embedded, included); CPU s is its user + system time, steadier than the
 * wall time when other work shares the machine. The machine's load
 * (`uptime`) is printed before and after. Options:
 *   --rows N      rows for eval and train (default 1000000)
 *   --pg-rows N   rows in the PostgreSQL table (default 1000000)
 *   --db URL      the PostgreSQL server (default: NEURON_TEST_POSTGRES; none: no PostgreSQL row)
 *   --pg-table T  the bench's table there (default neuron_bench_N; dropped afterwards)
 *   --only NAME   one comparison: eval, train or postgres
 *   --runs N      alternating runs of each command (default 3)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dataDir = join(here, 'data');
const bin = join(root, 'bin', 'neuron.js');
const args = process.argv.slice(2);
const text = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const option = (name, fallback) => {
  const value = text(name, undefined);
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`bench: --${name} takes a positive whole number, not ${JSON.stringify(value)}`);
  return Number(value);
};
const ROWS = option('rows', 1_000_000);
const PG_ROWS = option('pg-rows', 1_000_000);
const RUNS = option('runs', 3);
const DB = text('db', process.env.NEURON_TEST_POSTGRES);
const PG_TABLE = text('pg-table', `neuron_bench_${PG_ROWS}`);
const ONLY = text('only', undefined);
const COMPARISONS = ['eval', 'train', 'postgres'];
if (ONLY !== undefined && !COMPARISONS.includes(ONLY)) throw new Error(`bench: --only takes one of ${COMPARISONS.join(', ')}, not ${JSON.stringify(ONLY)}`);
const runs = (name) => ONLY === undefined || ONLY === name;
const FEATURES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'];
const WEIGHTS = [0.8, -0.35, 0.12, -1.1, 0.05, 0.6, -0.25, 0.4];

mkdirSync(dataDir, { recursive: true });
const weights = join(dataDir, 'engines-weights.json');
writeFileSync(weights, JSON.stringify({ features: FEATURES, weights: WEIGHTS, bias: -1.5 }));

/** Runs node code in a fresh process (the DuckDB API from this checkout). */
function node(code) {
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The data set of `rows` rows, as CSV and Parquet, made once (DuckDB, seeded). */
function dataSet(rows) {
  const csv = join(dataDir, `engines-${rows}.csv`);
  const parquet = join(dataDir, `engines-${rows}.parquet`);
  if (!existsSync(parquet)) {
    process.stderr.write(`bench: generating ${rows} rows (DuckDB, seeded) in ${csv} and ${parquet}\n`);
    const xs = FEATURES.map((f) => `round(random() * 10 - 5, 2) AS ${f}`).join(', ');
    const z = FEATURES.map((f, i) => `${WEIGHTS[i]} * ${f}`).join(' + ');
    node(`
import { DuckDBInstance } from '@duckdb/node-api';
const db = await (await DuckDBInstance.create()).connect();
await db.run("SELECT setseed(0.42)");
await db.run("CREATE TABLE t AS SELECT 'r' || i AS id, ${xs}, random() AS u FROM range(${rows}) r(i)");
await db.run("CREATE TABLE d AS SELECT id, ${FEATURES.join(', ')}, CASE WHEN u < 1 / (1 + exp(-(-1.5 + ${z}))) THEN 1 ELSE 0 END AS label FROM t ORDER BY id");
await db.run("COPY d TO '${csv}' (HEADER)");
await db.run("COPY d TO '${parquet}' (FORMAT parquet)");
`);
  }
  return { csv, parquet };
}
const { csv, parquet } = runs('eval') || runs('train') ? dataSet(ROWS) : {};
const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
console.log(`machine: ${availableParallelism()} cores; ${load()}`);

/** Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one command. */
function timed(command, commandArgs, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...commandArgs], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stderr}`);
  const [rss, user, system] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, cpu: user + system, rss: rss / 1024, stderr: result.stderr };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Alternating runs of each named job; their medians. */
function compare(jobs) {
  const results = Object.fromEntries(jobs.map(([name]) => [name, []]));
  for (let r = 0; r < RUNS; r++) for (const [name, run] of jobs) results[name].push(run());
  return Object.fromEntries(
    jobs.map(([name]) => [
      name,
      {
        seconds: median(results[name].map((x) => x.seconds)),
        cpu: median(results[name].map((x) => x.cpu)),
        rss: median(results[name].map((x) => x.rss)),
        last: results[name].at(-1),
      },
    ]),
  );
}

const row = (name, r, base) =>
  `| ${name} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(ROWS / r.seconds / 1e6).toFixed(2)}M | ${r.rss.toFixed(0)} | ${(r.seconds / base.seconds).toFixed(2)} | ${(r.cpu / base.cpu).toFixed(2)} |`;
const header = (title, peer) =>
  `\n| ${title} (median of ${RUNS}) | wall s | CPU s | rows/s | peak RSS MB | wall x ${peer} | CPU x ${peer} |\n|---|---|---|---|---|---|---|`;

const trainArgs = ['--label', 'label', '--features', FEATURES.join(',')];

if (runs('eval')) {
  // eval: Parquet to Parquet, against the export's query run by hand in DuckDB.
  const sql = execFileSync(process.execPath, [bin, 'export', '-w', weights, '--to', 'sql', '--table', `read_parquet('${parquet}')`], { encoding: 'utf8' });
  const byHand = join(dataDir, 'engines-hand.mjs');
  writeFileSync(
    byHand,
    `import { DuckDBInstance } from '@duckdb/node-api';
const db = await (await DuckDBInstance.create()).connect();
await db.run(${JSON.stringify(`COPY (SELECT id, z, sigmoid, class FROM (${sql.replace(/;\s*$/, '')})) TO '${join(dataDir, 'engines-hand.parquet')}' (FORMAT parquet)`)});
`,
  );
  const byHandName = 'the same query by hand in DuckDB (COPY)';
  const evals = compare([
    [
      'neuron eval --engine duckdb, Parquet to Parquet',
      () => timed(process.execPath, [bin, 'eval', parquet, '-w', weights, '--keep', 'id', '--engine', 'duckdb', '-o', join(dataDir, 'engines-out.parquet')]),
    ],
    [byHandName, () => timed(process.execPath, [byHand])],
  ]);
  console.log(header(`${ROWS} rows, eval`, 'by hand'));
  for (const [name, r] of Object.entries(evals)) console.log(row(name, r, evals[byHandName]));
}

if (runs('train')) {
  // train: the engine on Parquet, in-process on the CSV, scikit-learn on the CSV.
  const sklearn = join(dataDir, 'engines-sklearn.py');
  writeFileSync(
    sklearn,
    `import sys, pandas as pd
from sklearn.linear_model import LogisticRegression
d = pd.read_csv(sys.argv[1])
x, y = d[${JSON.stringify(FEATURES)}].to_numpy(), d["label"].to_numpy()
try:
    m = LogisticRegression(penalty=None, solver="newton-cholesky", tol=1e-10).fit(x, y)
except ValueError:
    m = LogisticRegression(penalty=None, max_iter=1000).fit(x, y)
print(list(m.coef_[0]) + [m.intercept_[0]], file=sys.stderr)
`,
  );
  const engineName = 'neuron train --engine duckdb (Parquet)';
  const engineModel = join(dataDir, 'engines-model.json');
  const inProcessModel = join(dataDir, 'engines-model-inprocess.json');
  const trains = compare([
    [engineName, () => timed(process.execPath, [bin, 'train', parquet, ...trainArgs, '--engine', 'duckdb', '-o', engineModel])],
    ['neuron train --engine duckdb (CSV)', () => timed(process.execPath, [bin, 'train', csv, ...trainArgs, '--engine', 'duckdb', '-o', engineModel])],
    ['neuron train in-process (CSV, default options)', () => timed(process.execPath, [bin, 'train', csv, ...trainArgs, '-o', inProcessModel])],
    ['scikit-learn, pandas read + fit (CSV)', () => timed('/usr/bin/python3', [sklearn, csv])],
  ]);
  console.log(header(`${ROWS} rows x 8, train`, 'engine'));
  for (const [name, r] of Object.entries(trains)) console.log(row(name, r, trains[engineName]));
  console.log(`engine: ${trains[engineName].last.stderr.split('\n')[0]}`);
  const coefficients = (file) => {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return [...m.weights, m.bias];
  };
  const [a, b] = [coefficients(engineModel), coefficients(inProcessModel)];
  const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
  console.log(`engine (CSV, the last run) against in-process: coefficients within ${worst.toExponential(1)} relative`);
}

if (runs('postgres') && DB !== undefined) {
  // train --engine postgres over a table COPYed in from the CSV of PG_ROWS rows.
  const data = dataSet(PG_ROWS);
  const psql = (...commands) => {
    const result = spawnSync('psql', [DB, '-q', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed:\n${result.stderr}`);
  };
  const started = process.hrtime.bigint();
  psql(
    `DROP TABLE IF EXISTS ${PG_TABLE}; CREATE TABLE ${PG_TABLE} (id text, ${FEATURES.map((f) => `${f} float8`).join(', ')}, label int)`,
    `\\copy ${PG_TABLE} FROM '${data.csv}' WITH (FORMAT csv, HEADER)`,
    `ANALYZE ${PG_TABLE}`,
  );
  const copied = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const name = 'neuron train --engine postgres (table)';
    const pg = compare([
      [
        name,
        () =>
          timed(process.execPath, [
            bin,
            'train',
            '--engine',
            'postgres',
            '--db',
            DB,
            '--table',
            PG_TABLE,
            ...trainArgs,
            '-o',
            join(dataDir, 'engines-model-pg.json'),
          ]),
      ],
    ]);
    const r = pg[name];
    const queries = Number(/\((\d+) step queries\)/.exec(r.last.stderr)?.[1] ?? 0);
    // Each step query reads every row, and so do the check, the label's values and the moments.
    const scans = queries + 3;
    console.log(
      `\ntrain --engine postgres, ${PG_ROWS} rows (COPY in: ${copied.toFixed(1)} s; median of ${RUNS}): ${r.seconds.toFixed(2)} s wall, neuron's CPU ${r.cpu.toFixed(2)} s, ` +
        `${queries} step queries + 3 other scans, the server read ${((PG_ROWS * scans) / r.seconds / 1e6).toFixed(2)}M rows/s; neuron's peak RSS ${r.rss.toFixed(0)} MB`,
    );
    console.log(`postgres: ${r.last.stderr.split('\n')[0]}`);
  } finally {
    psql(`DROP TABLE IF EXISTS ${PG_TABLE}`);
  }
}
console.log(`\nmachine after: ${load()}`);
