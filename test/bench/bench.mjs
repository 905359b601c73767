#!/usr/bin/env node
/**
 * `npm run bench`: neuron eval's throughput, memory and start-up, side by
 * side with DuckDB (through @duckdb/node-api, every core, run alternately
 * with neuron so that both see the same machine; quoted and gzip input
 * against the plain file), pandas + NumPy, Miller and LIBLINEAR in the same run (each only
 * if installed), and neuron train against the same gradient descent in
 * NumPy. Figures are medians over several runs; compare ratios, not seconds
 * (the machine is shared). Options:
 *   --rows N       rows in the main data set (default 1000000)
 *   --big N        rows for the memory check (default 10000000; 0 skips it)
 *   --runs N       runs per measurement (default 5)
 *   --no-train     skip the training comparisons
 *   --train-only   only the training comparisons
 *   --no-plot      skip plot --kind boundary on the main data set
 *   --no-softmax   skip the 10-class case (issue 12)
 *   --softmax-only only the 10-class case: ROWS rows x 20 features, 10 classes; eval against
 *                  the two-class eval of the same rows and pandas + NumPy's softmax
 *                  (score_softmax_pandas.py), train against scikit-learn (train_softmax_sklearn.py)
 *   --no-playground  skip the playground's redraw in Chromium (test/bench/playground.mjs)
 * Data goes to test/bench/data/ (git-ignored), made once by a seeded MT19937.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, createReadStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dataDir = join(here, 'data');
const bin = join(root, 'bin', 'neuron.js');
const { NumpyRandom } = await import(join(root, 'dist', 'neuron', 'random.js'));
// neuron's output columns: id,z,sigmoid,class (--keep id); z is column 1.

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const ROWS = option('rows', 1_000_000);
const BIG = option('big', 10_000_000);
const RUNS = option('runs', 5);
const TRAIN = !args.includes('--no-train');
const TRAIN_ONLY = args.includes('--train-only');
const PLOT = !args.includes('--no-plot');
const SOFTMAX = !args.includes('--no-softmax');
const MAIN = !args.includes('--softmax-only');
const PLAYGROUND = !args.includes('--no-playground');

const FEATURES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'];
const WEIGHTS = [0.8, -0.35, 0.12, -1.1, 0.05, 0.6, -0.25, 0.4];
const BIAS = -1.5;

mkdirSync(dataDir, { recursive: true });
const weightsPath = join(dataDir, 'weights.json');
writeFileSync(weightsPath, JSON.stringify({ features: FEATURES, weights: WEIGHTS, bias: BIAS }));

/**
 * Writes `header` and `rows` lines made by `line(rng, r)` (r from 1) to `path`, with a
 * seeded NumpyRandom; once: an existing file is kept (it is the same bytes).
 */
function generate(path, rows, header, seed, line) {
  if (existsSync(path)) return;
  process.stderr.write(`bench: generating ${rows} rows in ${path}\n`);
  const rng = new NumpyRandom(seed);
  const partial = `${path}.partial`;
  writeFileSync(partial, `${header}\n`);
  let chunk = '';
  for (let r = 1; r <= rows; r++) {
    chunk += `${line(rng, r)}\n`;
    if (chunk.length > 1 << 26) {
      appendFileSync(partial, chunk);
      chunk = '';
    }
  }
  appendFileSync(partial, chunk);
  renameSync(partial, path);
}

/** A feature value: two decimals in [-5, 5). */
const feature = (rng) => Math.floor(rng.randomSample() * 1000 - 500) / 100;

/** id, x1..x8, label 0/1 from the model plus a normal: about 50 bytes a row. */
function generateBinary(rows, path) {
  generate(path, rows, `id,${FEATURES.join(',')},label`, 20241126, (rng, r) => {
    let z = BIAS;
    let line = `r${r}`;
    for (let i = 0; i < 8; i++) {
      const x = feature(rng);
      z += WEIGHTS[i] * x;
      line += `,${x}`;
    }
    return `${line},${z + rng.gauss() > 0 ? 1 : 0}`;
  });
}

/** A copy of `from` with the header's fields (or every field) in double quotes. */
async function quote(from, to, everyField) {
  if (existsSync(to)) return;
  const partial = `${to}.partial`;
  writeFileSync(partial, '');
  const lines = createInterface({ input: createReadStream(from) });
  const parts = [];
  let first = true;
  for await (const line of lines) {
    parts.push(first || everyField ? `"${line.replaceAll(',', '","')}"\n` : `${line}\n`);
    first = false;
    if (parts.length >= 65536) {
      appendFileSync(partial, parts.join(''));
      parts.length = 0;
    }
  }
  appendFileSync(partial, parts.join(''));
  renameSync(partial, to);
}

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once: wall seconds, peak RSS in MB, CPU seconds (user + system; via /usr/bin/time -f, if present) and its stdout. */
function measure(command, commandArgs) {
  const started = process.hrtime.bigint();
  const result = timeBin
    ? spawnSync(timeBin, ['-f', '%M %U %S', command, ...commandArgs], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stderr}`);
  const [rss, user, system] = timeBin ? result.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [];
  return { seconds, rss: timeBin ? rss / 1024 : Number.NaN, cpu: timeBin ? user + system : Number.NaN, stdout: result.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Medians of the runs' times, the largest peak RSS, and the last run's stdout. */
const summarise = (all) => ({
  seconds: median(all.map((m) => m.seconds)),
  rss: Math.max(...all.map((m) => m.rss)),
  cpu: median(all.map((m) => m.cpu)),
  stdout: all.at(-1)?.stdout,
});

function repeat(runs, command, commandArgs) {
  return summarise(Array.from({ length: runs }, () => measure(command, commandArgs)));
}

/**
 * Runs the commands in turn, `runs` rounds of A, B, C, ...: a change in the
 * machine's load then falls on all of them alike, and their ratios hold.
 */
function alternate(runs, commands) {
  const all = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([command, commandArgs], k) => {
      all[k].push(measure(command, commandArgs));
    });
  }
  return all.map(summarise);
}

const sameBytes = (a, b) => readFileSync(a).equals(readFileSync(b));

/** A two-class row (id,z,sigmoid,class) whose class may differ by rounding: z within rounding of 0. */
const zNearZero = (fields) => Math.abs(Number(fields[1])) <= 1e-12;

/**
 * Compares two CSV outputs row by row: each pair in `numbers` ([column in A, column in B]) to
 * `tolerance` relative, the class columns `cls` exactly, except on a row where `tie(fields of A)`
 * says the scores deciding the class are equal up to rounding (another summation order, as
 * BLAS's, may land on the other side). Defaults: neuron's two-class id,z,sigmoid,class on both sides.
 */
async function agree(
  pathA,
  pathB,
  {
    tolerance = 1e-9,
    numbers = [
      [1, 1],
      [2, 2],
    ],
    cls = [3, 3],
    sep = ',',
    tie = zNearZero,
  } = {},
) {
  const a = createInterface({ input: createReadStream(pathA) })[Symbol.asyncIterator]();
  const b = createInterface({ input: createReadStream(pathB) })[Symbol.asyncIterator]();
  await a.next();
  await b.next();
  let rows = 0;
  let worst = 0;
  let ties = 0;
  for (;;) {
    const [x, y] = await Promise.all([a.next(), b.next()]);
    if (x.done || y.done) {
      if (x.done !== y.done) return { ok: false, why: `row counts differ after ${rows} rows` };
      break;
    }
    rows++;
    const fa = x.value.split(',');
    const fb = y.value.split(sep);
    for (const [ia, ib] of numbers) {
      const va = Number(fa[ia]);
      const vb = Number(fb[ib]);
      const diff = Math.abs(va - vb) / Math.max(1, Math.abs(va));
      worst = Math.max(worst, diff);
      if (!(diff <= tolerance)) return { ok: false, why: `row ${rows}: column ${ia + 1} ${va} vs ${vb}` };
    }
    if (fa[cls[0]] !== fb[cls[1]]) {
      if (tie(fa)) ties++;
      else return { ok: false, why: `row ${rows}: class ${fa[cls[0]]} vs ${fb[cls[1]]}` };
    }
  }
  return { ok: true, rows, worst, ties };
}

function findPandasPython() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import pandas, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return undefined;
}
const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined;

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
/** An `agree` result for a table cell; `tieText` names the rows whose class differed by rounding. */
const agreement = (check, tieText = 'class ties at z = 0') =>
  check === undefined
    ? ''
    : !check.ok
      ? `NO: ${check.why}`
      : check.same
        ? 'yes (byte for byte)'
        : `yes (${check.rows} rows, max rel. diff ${check.worst.toExponential(1)}${check.ties ? `, ${check.ties} ${tieText}` : ''})`;
const table = [];
const note = (line) => console.log(line);

// ---- the machine
const node = process.version;
const CORES = availableParallelism();
note(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'} (${CORES} available), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${node}`);
// Whether this build has --threads (parallel eval); the one-thread path is then measured beside it.
const THREADS = spawnSync(process.execPath, [bin, 'eval', '--help'], { encoding: 'utf8' }).stdout.includes('--threads');

// ---- throughput at ROWS
const dataPath = join(dataDir, `data-${ROWS}.csv`);
if (MAIN) generateBinary(ROWS, dataPath);
const megabytes = MAIN ? statSync(dataPath).size / 1e6 : Number.NaN;
if (MAIN) note(`data: ${ROWS} rows, ${megabytes.toFixed(1)} MB (${dataPath})`);
const neuronOut = join(dataDir, 'out-neuron.csv');
const python = findPandasPython();
/** The two-class eval's measurement at ROWS (8 features), for the 10-class case to compare with. */
let twoClassEval;
if (MAIN && !TRAIN_ONLY) {
  const evalArgs = (data, out, extra = []) => [bin, 'eval', data, '-w', weightsPath, '--keep', 'id', '-o', out, ...extra];
  // DuckDB runs neuron's own exported SQL (the same z, sigmoid and class), on every core.
  const duckQuery = join(dataDir, 'duckdb-query.sql');
  const duckOut = join(dataDir, 'out-duckdb.csv');
  const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;
  execFileSync(process.execPath, [bin, 'export', '-w', weightsPath, '--to', 'sql', '--table', `read_csv(${sqlString(dataPath)})`, '-o', duckQuery]);
  const pair = [
    [process.execPath, evalArgs(dataPath, neuronOut, THREADS ? ['--threads', String(CORES)] : [])],
    [process.execPath, [join(here, 'score_duckdb.mjs'), duckQuery, duckOut, String(CORES)]],
  ];
  const oneThreadOut = join(dataDir, 'out-neuron-1.csv');
  if (THREADS) pair.push([process.execPath, evalArgs(dataPath, oneThreadOut, ['--threads', '1'])]);
  const [neuron, duckdb, oneThread] = alternate(RUNS, pair);
  twoClassEval = neuron;
  table.push([`neuron eval (lossless${THREADS ? `, ${CORES} threads` : ''})`, neuron]);
  if (oneThread) {
    table.push([
      'neuron eval --threads 1',
      oneThread,
      sameBytes(neuronOut, oneThreadOut) ? { ok: true, same: true } : { ok: false, why: 'output differs from the default run' },
    ]);
  }
  const duckVersion = execFileSync(process.execPath, ['-e', "console.log(require('@duckdb/node-api/package.json').version)"], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  table.push([`DuckDB ${duckVersion} (${CORES} threads)`, duckdb, await agree(neuronOut, duckOut)]);

  let pandas;
  if (python) {
    const out = join(dataDir, 'out-pandas.csv');
    pandas = repeat(RUNS, python, [join(here, 'score_pandas.py'), dataPath, weightsPath, out]);
    const check = await agree(neuronOut, out);
    table.push(['pandas + NumPy', pandas, check]);
  } else note('skipped: pandas (no python3 with pandas and numpy)');

  if (which('mlr')) {
    const out = join(dataDir, 'out-miller.csv');
    const miller = repeat(Math.min(RUNS, 3), join(here, 'score_miller.sh'), [dataPath, out, ...WEIGHTS.map(String), String(BIAS)]);
    table.push(['Miller mlr put', miller, await agree(neuronOut, out)]);
  } else note('skipped: Miller (no mlr)');

  let liblinear;
  const predict = which('liblinear-predict') ?? which('predict');
  if (predict) {
    // LIBLINEAR reads its own sparse format and model file: converted once, not timed.
    const sparse = join(dataDir, `data-${ROWS}.svm`);
    if (!existsSync(sparse)) {
      execFileSync('sh', [
        '-c',
        `awk -F, 'NR > 1 { printf "%s", $10; for (i = 2; i <= 9; i++) printf " %d:%s", i - 1, $i; printf "\\n" }' "${dataPath}" > "${sparse}"`,
      ]);
    }
    const model = join(dataDir, 'liblinear.model');
    writeFileSync(model, `solver_type L2R_LR\nnr_class 2\nlabel 1 0\nnr_feature 8\nbias 1\nw\n${[...WEIGHTS, BIAS].map((w) => `${w} `).join('\n')}\n`);
    const out = join(dataDir, 'out-liblinear.txt');
    liblinear = repeat(RUNS, predict, ['-b', '1', sparse, model, out]);
    // predict prints "label p(1) p(0)" with 6 significant digits: checked to that precision, no z.
    const check = await agree(neuronOut, out, { tolerance: 5e-6, numbers: [[2, 1]], cls: [3, 0], sep: ' ' });
    table.push(['LIBLINEAR predict -b 1', liblinear, check]);
  } else note('skipped: LIBLINEAR (no liblinear-predict)');

  console.log('');
  console.log(`| ${ROWS} rows to a file, ${CORES} cores | wall s (median of ${RUNS}) | CPU s | rows/s | MB/s | peak RSS MB | x neuron | agrees with neuron |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, m, check] of table) {
    console.log(
      `| ${name} | ${fmt(m.seconds)} | ${fmt(m.cpu)} | ${fmt(ROWS / m.seconds / 1e6, 2)}M | ${fmt(megabytes / m.seconds, 1)} | ${fmt(m.rss, 0)} | ${fmt(m.seconds / neuron.seconds)} | ${agreement(check)} |`,
    );
  }
  console.log('');
  console.log(`neuron / DuckDB: ${fmt(neuron.seconds / duckdb.seconds)} (goal <= 1.0); peak RSS ${fmt(neuron.rss, 0)} MB (goal < 150)`);
  if (pandas) console.log(`neuron / pandas: ${fmt(neuron.seconds / pandas.seconds)} (goal <= 0.5)`);
  if (liblinear) console.log(`neuron / LIBLINEAR: ${fmt(neuron.seconds / liblinear.seconds)} (goal <= 1)`);

  // ---- the same rows quoted, and compressed: against the plain file, alternately
  {
    const variants = [
      ['quoted header (R write.csv, pandas QUOTE_NONNUMERIC)', `data-${ROWS}-header-quoted.csv`, (to) => quote(dataPath, to, false), 1.3],
      ['every field quoted', `data-${ROWS}-all-quoted.csv`, (to) => quote(dataPath, to, true), 1.3],
      ['gzip (.csv.gz, level 6)', `data-${ROWS}.csv.gz`, (to) => existsSync(to) || writeFileSync(to, gzipSync(readFileSync(dataPath))), 1.5],
    ];
    const runs = [[process.execPath, evalArgs(dataPath, neuronOut)]];
    for (const [, name, make] of variants) {
      const path = join(dataDir, name);
      await make(path);
      runs.push([process.execPath, evalArgs(path, join(dataDir, `out-${name}.csv`))]);
    }
    const [plain, ...measured] = alternate(RUNS, runs);
    console.log('');
    console.log(`| ${ROWS} rows, neuron eval, ${CORES} cores | wall s (median of ${RUNS}) | CPU s | peak RSS MB | x plain | goal | output |`);
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| plain | ${fmt(plain.seconds)} | ${fmt(plain.cpu)} | ${fmt(plain.rss, 0)} | 1.00 | | |`);
    variants.forEach(([label, name, , goal], k) => {
      const m = measured[k];
      const same = sameBytes(neuronOut, join(dataDir, `out-${name}.csv`)) ? 'same bytes' : 'DIFFERS';
      console.log(`| ${label} | ${fmt(m.seconds)} | ${fmt(m.cpu)} | ${fmt(m.rss, 0)} | ${fmt(m.seconds / plain.seconds)} | <= ${goal} | ${same} |`);
    });
    console.log('');
  }

  // ---- memory at BIG rows
  if (BIG > 0) {
    const bigPath = join(dataDir, `data-${BIG}.csv`);
    generateBinary(BIG, bigPath);
    const big = measure(process.execPath, evalArgs(bigPath, join(dataDir, 'out-big.csv')));
    console.log(
      `neuron eval at ${BIG} rows: ${fmt(big.seconds)} s (CPU ${fmt(big.cpu)} s), ${fmt(BIG / big.seconds / 1e6)}M rows/s (at ${ROWS}: ${fmt(ROWS / neuron.seconds / 1e6)}M), peak RSS ${fmt(big.rss, 0)} MB (goal < 150; at ${ROWS} rows: ${fmt(neuron.rss, 0)} MB)`,
    );
  }

  // ---- start-up
  const startupRuns = Math.max(RUNS * 4, 20);
  const nodeAlone = repeat(startupRuns, process.execPath, ['-e', '0']);
  const small = repeat(startupRuns, process.execPath, [
    bin,
    'eval',
    join(root, 'fixtures', 'obesity.csv'),
    '-w',
    join(root, 'fixtures', 'obesity.weights.json'),
    '-o',
    join(dataDir, 'out-small.csv'),
  ]);
  console.log(
    `start-up: neuron eval on the example ${fmt(small.seconds, 3)} s, node -e 0 ${fmt(nodeAlone.seconds, 3)} s: ${fmt(small.seconds / nodeAlone.seconds)} x (goal <= 2.5)`,
  );

  // ---- a picture of every row: the boundary on x1 and x2, the other six held at their mean
  if (PLOT) {
    const picture = join(dataDir, 'boundary.svg');
    const plot = repeat(Math.min(RUNS, 3), process.execPath, [
      bin,
      'plot',
      dataPath,
      '-w',
      weightsPath,
      '--label',
      'label',
      '--kind',
      'boundary',
      '-o',
      picture,
    ]);
    const megabytesOut = statSync(picture).size / 1e6;
    console.log(
      `plot --kind boundary: ${ROWS} rows: ${fmt(plot.seconds)} s (goal < 5), peak RSS ${fmt(plot.rss, 0)} MB (goal < 300), SVG ${fmt(megabytesOut)} MB (goal < 2); ${fmt(plot.seconds / neuron.seconds)} x neuron eval in this run`,
    );
  }

  // ---- the playground: a slider moved in Chromium, the charts redrawn
  if (PLAYGROUND) spawnSync(process.execPath, [join(here, 'playground.mjs')], { stdio: 'inherit' });
}

// ---- training
/** neuron train on the bench data, quiet, with more options. */
const trainArgs = (...extra) => [bin, 'train', dataPath, '--label', 'label', '--features', FEATURES.join(','), '--quiet', ...extra];
if (MAIN && TRAIN) {
  const epochs = 100;
  const trained = join(dataDir, 'trained.json');
  const train = repeat(Math.min(RUNS, 3), process.execPath, trainArgs('--epochs', String(epochs), '-o', trained));
  let line = `train: ${ROWS} rows x 8 features x ${epochs} epochs: neuron ${fmt(train.seconds)} s (peak RSS ${fmt(train.rss, 0)} MB)`;
  if (python) {
    const numpy = repeat(Math.min(RUNS, 3), python, [join(here, 'train_numpy.py'), dataPath, String(epochs), join(dataDir, 'trained-numpy.json')]);
    line += `, NumPy ${fmt(numpy.seconds)} s: ${fmt(train.seconds / numpy.seconds)} x (goal <= 1.5)`;
  }
  console.log(line);
}

// ---- training to the optimum: neuron train's defaults against scikit-learn's, each a whole process
if (MAIN && TRAIN && python) {
  const sklearnPython = spawnSync('/usr/bin/python3', ['-c', 'import sklearn, pandas'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/python3' : undefined;
  if (sklearnPython) {
    const trained = join(dataDir, 'trained-newton.json');
    const history = join(dataDir, 'trained-newton.ndjson');
    // Alternating runs, so both see the same machine.
    const [n, k] = alternate(Math.min(RUNS, 3), [
      [process.execPath, trainArgs('--history', history, '-o', trained)],
      [sklearnPython, [join(here, 'train_sklearn.py'), dataPath]],
    ]);
    const sklearnResult = JSON.parse(k.stdout);
    const optimum = JSON.parse(execFileSync(sklearnPython, [join(here, 'train_sklearn.py'), dataPath, '--optimum'], { encoding: 'utf8' })).loss;
    const lines = readFileSync(history, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1));
    console.log('');
    console.log(
      `| train to the optimum, ${ROWS} rows x 8 (median of ${Math.min(RUNS, 3)}) | wall s | peak RSS MB | iterations | mean log loss | above the optimum |`,
    );
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| neuron train (defaults: newton) | ${fmt(n.seconds)} | ${fmt(n.rss, 0)} | ${last.iteration} | ${last.loss.toFixed(12)} | ${(last.loss - optimum).toExponential(1)} |`,
    );
    console.log(
      `| scikit-learn LogisticRegression(penalty=None), pandas read + fit | ${fmt(k.seconds)} | ${fmt(k.rss, 0)} | ${sklearnResult.iterations} | ${sklearnResult.loss.toFixed(12)} | ${(sklearnResult.loss - optimum).toExponential(1)} |`,
    );
    console.log(
      `neuron train / scikit-learn: ${fmt(n.seconds / k.seconds)} (goal <= 0.3); optimum (NumPy Newton) ${optimum.toFixed(12)}; data in memory ${fmt((ROWS * 9 * 8) / 1e6, 0)} MB`,
    );
  } else note('skipped: scikit-learn training (no /usr/bin/python3 with sklearn and pandas)');
}

// ---- 10 classes (issue 12): a softmax layer of 10 neurons over 20 features
if (SOFTMAX) {
  const K_FEATURES = Array.from({ length: 20 }, (_, j) => `x${j + 1}`);
  const K_CLASSES = Array.from({ length: 10 }, (_, c) => `c${c}`);
  // The generating model, drawn once (two decimals): z_c = w_c·x + b_c, the class drawn from softmax(z).
  const modelRng = new NumpyRandom(20261202);
  const round2 = (x) => Math.round(x * 100) / 100;
  const K_WEIGHTS = K_CLASSES.map(() => K_FEATURES.map(() => round2(modelRng.uniform(-0.4, 0.4))));
  const K_BIAS = K_CLASSES.map(() => round2(modelRng.uniform(-1, 1)));
  const softmaxWeights = join(dataDir, 'weights-k10.json');
  writeFileSync(softmaxWeights, JSON.stringify({ features: K_FEATURES, weights: K_WEIGHTS, bias: K_BIAS, activation: 'softmax', classes: K_CLASSES }));
  // A two-class neuron on the same 20 columns (class 1 against class 0 of the layer): the same rows, one z instead of ten.
  const binaryWeights = join(dataDir, 'weights-k10-binary.json');
  writeFileSync(
    binaryWeights,
    JSON.stringify({ features: K_FEATURES, weights: K_WEIGHTS[1].map((w, j) => round2(w - K_WEIGHTS[0][j])), bias: round2(K_BIAS[1] - K_BIAS[0]) }),
  );
  const softmaxLine = (rng, r) => {
    const x = K_FEATURES.map(() => feature(rng));
    const z = K_WEIGHTS.map((w, c) => w.reduce((sum, wj, j) => sum + wj * x[j], K_BIAS[c]));
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    let u = rng.randomSample() * e.reduce((a, b) => a + b, 0);
    let c = 0;
    while (c < e.length - 1 && u >= e[c]) u -= e[c++];
    return `r${r},${x.join(',')},${K_CLASSES[c]}`;
  };
  const header = `id,${K_FEATURES.join(',')},label`;
  const kData = join(dataDir, `data-k10-${ROWS}.csv`);
  generate(kData, ROWS, header, 20261203, softmaxLine);
  const kMegabytes = statSync(kData).size / 1e6;
  note('');
  note(`10 classes: ${ROWS} rows x 20 features, ${kMegabytes.toFixed(1)} MB (${kData})`);

  // Does this build score and train a softmax layer? Asked on the first rows, so that a missing feature is one line, not a crash.
  const sample = join(dataDir, 'data-k10-50.csv');
  generate(sample, 50, header, 20261203, softmaxLine);
  const refusal = (argv) => {
    const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8' });
    return r.status === 0 ? undefined : (r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`);
  };
  const threads = THREADS ? ['--threads', String(CORES)] : [];
  const kEvalArgs = (weights, out) => [bin, 'eval', kData, '-w', weights, '--keep', 'id', '-o', out, ...threads];
  const evalRefused = refusal(['eval', sample, '-w', softmaxWeights, '--keep', 'id', '-o', join(dataDir, 'out-k10-sample.csv')]);
  if (!TRAIN_ONLY && evalRefused) note(`skipped: 10-class eval (this build refuses it: ${evalRefused})`);
  else if (!TRAIN_ONLY) {
    const kOut = join(dataDir, 'out-k10-neuron.csv');
    const binaryOut = join(dataDir, 'out-k10-binary.csv');
    const pandasOut = join(dataDir, 'out-k10-pandas.csv');
    const runs = [
      [process.execPath, kEvalArgs(softmaxWeights, kOut)],
      [process.execPath, kEvalArgs(binaryWeights, binaryOut)],
    ];
    if (python) runs.push([python, [join(here, 'score_softmax_pandas.py'), kData, softmaxWeights, pandasOut]]);
    else note('skipped: pandas (no python3 with pandas and numpy)');
    const [layer, binary, pandas] = alternate(RUNS, runs);
    // Columns: id, z_c0..z_c9, softmax_c0..softmax_c9, class; a tie is two top z values equal up to rounding.
    const kClass = 1 + 2 * K_CLASSES.length;
    const topTwoEqual = (fields) => {
      const z = fields.slice(1, 1 + K_CLASSES.length).map(Number);
      const [first, second] = [...z].sort((a, b) => b - a);
      return first - second <= 1e-12 * Math.max(1, Math.abs(first));
    };
    const check = pandas
      ? await agree(kOut, pandasOut, { numbers: Array.from({ length: kClass - 1 }, (_, i) => [i + 1, i + 1]), cls: [kClass, kClass], tie: topTwoEqual })
      : undefined;
    console.log('');
    console.log(
      `| ${ROWS} rows x 20 features to a file, ${CORES} cores | wall s (median of ${RUNS}) | CPU s | rows/s | MB/s | peak RSS MB | x neuron 10 classes | agrees with neuron |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    const rows = [
      [`neuron eval, 10 classes (softmax)${THREADS ? `, ${CORES} threads` : ''}`, layer],
      ['neuron eval, 2 classes (sigmoid), same rows', binary],
      ...(pandas ? [['pandas + NumPy softmax', pandas, check]] : []),
    ];
    for (const [name, m, agreed] of rows) {
      console.log(
        `| ${name} | ${fmt(m.seconds)} | ${fmt(m.cpu)} | ${fmt(ROWS / m.seconds / 1e6)}M | ${fmt(kMegabytes / m.seconds, 1)} | ${fmt(m.rss, 0)} | ${fmt(m.seconds / layer.seconds)} | ${agreement(agreed, 'class ties (two top z equal)')} |`,
      );
    }
    console.log('');
    console.log(`neuron eval 10 classes / 2 classes, rows/s on the same rows: ${fmt(binary.seconds / layer.seconds)} (goal >= 0.5)`);
    if (twoClassEval) {
      console.log(`neuron eval 10 classes x 20 features / the 2-class x 8 features figure above, rows/s: ${fmt(twoClassEval.seconds / layer.seconds)}`);
    }
    if (pandas) console.log(`neuron / pandas, 10 classes: ${fmt(layer.seconds / pandas.seconds)} (lower is faster)`);
  }

  // Training: neuron train's defaults against scikit-learn's, each a whole process, alternating.
  const sklearnPython = spawnSync('/usr/bin/python3', ['-c', 'import sklearn, pandas'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/python3' : undefined;
  const kTrainArgs = (data, out, ...extra) => [bin, 'train', data, '--label', 'label', '--features', K_FEATURES.join(','), '--quiet', '-o', out, ...extra];
  const trainRefused = TRAIN && sklearnPython ? refusal(kTrainArgs(sample, join(dataDir, 'trained-k10-sample.json')).slice(1)) : undefined;
  if (TRAIN && !sklearnPython) note('skipped: 10-class training (no /usr/bin/python3 with sklearn and pandas)');
  else if (trainRefused) note(`skipped: 10-class train (this build refuses it: ${trainRefused})`);
  else if (TRAIN) {
    const script = join(here, 'train_softmax_sklearn.py');
    const trained = join(dataDir, 'trained-k10.json');
    const history = join(dataDir, 'trained-k10.ndjson');
    const [n, k] = alternate(Math.min(RUNS, 3), [
      [process.execPath, kTrainArgs(kData, trained, '--history', history)],
      [sklearnPython, [script, kData]],
    ]);
    const sklearnResult = JSON.parse(k.stdout);
    const python3 = (...extra) => JSON.parse(execFileSync(sklearnPython, [script, kData, ...extra], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const neuronLoss = python3('--loss-of', trained).loss;
    // The optimum costs minutes at 1M rows (a 210 x 210 Hessian per Newton step): computed once per data set.
    const optimumFile = join(dataDir, `optimum-k10-${ROWS}.json`);
    if (!existsSync(optimumFile)) writeFileSync(optimumFile, JSON.stringify(python3('--optimum')));
    const optimum = JSON.parse(readFileSync(optimumFile, 'utf8')).loss;
    const iterations = existsSync(history) ? (JSON.parse(readFileSync(history, 'utf8').trimEnd().split('\n').at(-1)).iteration ?? 'n/a') : 'n/a';
    console.log('');
    console.log(
      `| train to the optimum, ${ROWS} rows x 20, 10 classes (median of ${Math.min(RUNS, 3)}) | wall s | peak RSS MB | iterations | mean cross-entropy | above the optimum |`,
    );
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| neuron train (defaults) | ${fmt(n.seconds)} | ${fmt(n.rss, 0)} | ${iterations} | ${neuronLoss.toFixed(12)} | ${(neuronLoss - optimum).toExponential(1)} |`,
    );
    console.log(
      `| scikit-learn LogisticRegression(penalty=None) (multinomial, lbfgs), pandas read + fit | ${fmt(k.seconds)} | ${fmt(k.rss, 0)} | ${sklearnResult.iterations} | ${sklearnResult.loss.toFixed(12)} | ${(sklearnResult.loss - optimum).toExponential(1)} |`,
    );
    console.log(
      `neuron train / scikit-learn, 10 classes: ${fmt(n.seconds / k.seconds)} (goal <= 0.5, at the same loss); optimum (NumPy Newton) ${optimum.toFixed(12)}`,
    );
  }
}
