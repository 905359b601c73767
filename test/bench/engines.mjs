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
 * embedded, included). Options: --rows N (default 1000000), --runs N (3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dataDir = join(here, 'data');
const bin = join(root, 'bin', 'neuron.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const ROWS = option('rows', 1_000_000);
const RUNS = option('runs', 3);
const FEATURES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'];
const WEIGHTS = [0.8, -0.35, 0.12, -1.1, 0.05, 0.6, -0.25, 0.4];

mkdirSync(dataDir, { recursive: true });
const csv = join(dataDir, `engines-${ROWS}.csv`);
const parquet = join(dataDir, `engines-${ROWS}.parquet`);
const weights = join(dataDir, 'engines-weights.json');
writeFileSync(weights, JSON.stringify({ features: FEATURES, weights: WEIGHTS, bias: -1.5 }));

/** Runs node code in a fresh process (the DuckDB API from this checkout). */
function node(code) {
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (!existsSync(parquet)) {
  process.stderr.write(`bench: generating ${ROWS} rows (DuckDB, seeded) in ${csv} and ${parquet}\n`);
  const xs = FEATURES.map((f) => `round(random() * 10 - 5, 2) AS ${f}`).join(', ');
  const z = FEATURES.map((f, i) => `${WEIGHTS[i]} * ${f}`).join(' + ');
  node(`
import { DuckDBInstance } from '@duckdb/node-api';
const db = await (await DuckDBInstance.create()).connect();
await db.run("SELECT setseed(0.42)");
await db.run("CREATE TABLE t AS SELECT 'r' || i AS id, ${xs}, random() AS u FROM range(${ROWS}) r(i)");
await db.run("CREATE TABLE d AS SELECT id, ${FEATURES.join(', ')}, CASE WHEN u < 1 / (1 + exp(-(-1.5 + ${z}))) THEN 1 ELSE 0 END AS label FROM t ORDER BY id");
await db.run("COPY d TO '${csv}' (HEADER)");
await db.run("COPY d TO '${parquet}' (FORMAT parquet)");
`);
}

/** Wall seconds and peak RSS (MB) of one command. */
function timed(command, commandArgs, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...commandArgs], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stderr}`);
  const rss = Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  return { seconds, rss, stderr: result.stderr };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Alternating runs of each named job; their medians. */
function compare(jobs) {
  const results = Object.fromEntries(jobs.map(([name]) => [name, []]));
  for (let r = 0; r < RUNS; r++) for (const [name, run] of jobs) results[name].push(run());
  return Object.fromEntries(
    jobs.map(([name]) => [
      name,
      { seconds: median(results[name].map((x) => x.seconds)), rss: median(results[name].map((x) => x.rss)), last: results[name].at(-1) },
    ]),
  );
}

const row = (name, r, base) =>
  `| ${name} | ${r.seconds.toFixed(2)} | ${(ROWS / r.seconds / 1e6).toFixed(2)}M | ${r.rss.toFixed(0)} | ${(r.seconds / base.seconds).toFixed(2)} |`;

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
const evals = compare([
  [
    'neuron eval --engine duckdb, Parquet to Parquet',
    () => timed(process.execPath, [bin, 'eval', parquet, '-w', weights, '--keep', 'id', '--engine', 'duckdb', '-o', join(dataDir, 'engines-out.parquet')]),
  ],
  ['the same query by hand in DuckDB (COPY)', () => timed(process.execPath, [byHand])],
]);
const evalBase = evals['the same query by hand in DuckDB (COPY)'];
console.log(`\n| ${ROWS} rows, eval | wall s | rows/s | peak RSS MB | x by hand |\n|---|---|---|---|---|`);
for (const [name, r] of Object.entries(evals)) console.log(row(name, r, evalBase));

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
const trains = compare([
  [
    'neuron train --engine duckdb (Parquet)',
    () =>
      timed(process.execPath, [
        bin,
        'train',
        parquet,
        '--label',
        'label',
        '--features',
        FEATURES.join(','),
        '--engine',
        'duckdb',
        '-o',
        join(dataDir, 'engines-model.json'),
      ]),
  ],
  [
    'neuron train in-process (CSV, default options)',
    () =>
      timed(process.execPath, [bin, 'train', csv, '--label', 'label', '--features', FEATURES.join(','), '-o', join(dataDir, 'engines-model-inprocess.json')]),
  ],
  ['scikit-learn, pandas read + fit (CSV)', () => timed('/usr/bin/python3', [sklearn, csv])],
]);
const trainBase = trains['neuron train --engine duckdb (Parquet)'];
console.log(`\n| ${ROWS} rows x 8, train | wall s | rows/s | peak RSS MB | x engine |\n|---|---|---|---|---|`);
for (const [name, r] of Object.entries(trains)) console.log(row(name, r, trainBase));
console.log(`engine: ${trains['neuron train --engine duckdb (Parquet)'].last.stderr.split('\n')[0]}`);

const url = process.env.NEURON_TEST_POSTGRES;
if (url !== undefined) {
  const table = `neuron_bench_${ROWS}`;
  spawnSync('psql', [
    url,
    '-q',
    '-c',
    `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id text, ${FEATURES.map((f) => `${f} float8`).join(', ')}, label int)`,
    '-c',
    `\\copy ${table} FROM '${csv}' WITH (FORMAT csv, HEADER)`,
  ]);
  const pg = compare([
    [
      'neuron train --engine postgres (table)',
      () =>
        timed(process.execPath, [
          bin,
          'train',
          '--engine',
          'postgres',
          '--db',
          url,
          '--table',
          table,
          '--label',
          'label',
          '--features',
          FEATURES.join(','),
          '-o',
          join(dataDir, 'engines-model-pg.json'),
        ]),
    ],
  ]);
  const r = pg['neuron train --engine postgres (table)'];
  const queries = Number(/\((\d+) step queries\)/.exec(r.last.stderr)?.[1] ?? 0);
  console.log(
    `\ntrain --engine postgres, ${ROWS} rows: ${r.seconds.toFixed(2)} s, ${queries} step queries + 3 other scans, the server read ${((ROWS * (queries + 3)) / r.seconds / 1e6).toFixed(2)}M rows/s; neuron's peak RSS ${r.rss.toFixed(0)} MB`,
  );
  spawnSync('psql', [url, '-q', '-c', `DROP TABLE IF EXISTS ${table}`]);
}
