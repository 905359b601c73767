/**
 * The multinomial solver against scikit-learn's (issue 12's bench case: 10
 * classes, 20 features, 1M rows), solver against solver, data in memory.
 * Usage: node test/bench/multinomial_fit.mjs [ROWS]   (after npm run build)
 * Runs multinomial_sklearn.py (which writes the data and times
 * LogisticRegression().fit), then MultinomialFit with auto's solver and
 * l2 = 1 (C = 1): the time to reach scikit-learn's objective, and to the
 * default --gtol 1e-10.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultinomialFit } from '../../dist/learn/multinomial.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'neuron-multinomial-bench-'));
const here = dirname(fileURLToPath(import.meta.url));
const sklearn = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'multinomial_sklearn.py'), dir, String(rows)], { encoding: 'utf8' }));
const bytes = readFileSync(join(dir, 'x.f64'));
const x = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
const labels = readFileSync(join(dir, 'y.i32'));
const y = new Int32Array(labels.buffer, labels.byteOffset, labels.byteLength / 4);
rmSync(dir, { recursive: true });

const start = performance.now();
const cpu = process.cpuUsage();
const cpuSeconds = () => {
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6;
};
const fit = new MultinomialFit({ x, n: rows, d: 20, y, k: 10 }, { l2: 1 });
let reached;
let stop;
do {
  stop = fit.step();
  if (reached === undefined && fit.point.objective <= sklearn.objective)
    reached = { seconds: (performance.now() - start) / 1000, cpu: cpuSeconds(), iterations: fit.iteration };
} while (stop === undefined);
const seconds = (performance.now() - start) / 1000;
const allCpu = cpuSeconds();
const result = fit.result();
const f = (v) => v.toFixed(2);
console.log(`${rows} rows x 20 features x 10 classes, C = 1 (wall s / CPU s)`);
console.log(
  `scikit-learn LogisticRegression().fit: ${f(sklearn.seconds)} / ${f(sklearn.cpu)} s, ${sklearn.iterations} iterations, objective ${sklearn.objective}`,
);
console.log(
  `neuron ${result.solver}: to scikit-learn's objective ${f(reached.seconds)} / ${f(reached.cpu)} s (${reached.iterations} iterations): ` +
    `${f(reached.seconds / sklearn.seconds)} x wall (goal <= 0.5); to --gtol 1e-10 (${result.stop}) ${f(seconds)} / ${f(allCpu)} s, ` +
    `${result.iterations} iterations, objective ${result.objective}`,
);
