/** The metrics as text for people. */

import type { Metrics } from '../learn/metrics.js';
import { activationNames, activations } from '../neuron/activations.js';
import { visible } from './visible.js';

/** The activations with a log loss: those whose output is a probability. */
const withLogLoss = `${activationNames.filter((name) => activations[name].probability).join(', ')} only`;

/**
 * The metrics for people: one figure a line, then the confusion matrix labelled with the class names (`neuron metrics`).
 * @example
 * ```js
 * import { formatMetrics, metricsOf, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * formatMetrics(metricsOf(model, [[-2], [1], [3]], ['no', 'no', 'yes']), model.classes).split('\n').slice(0, 3); // => ['rows       3', 'accuracy   0.6667  (2/3)', 'precision  0.5000']
 * ```
 */
export function formatMetrics(metrics: Metrics, names: readonly [string, string], precision = 4): string {
  // Class names reach a terminal: escaped.
  const classes = [visible(names[0]), visible(names[1])] as const;
  const figure = (x: number | undefined, why: string) => (x === undefined ? `n/a (${why})` : x.toFixed(precision));
  const [[tn, fp], [fn, tp]] = metrics.confusion;
  const lines = [
    ['rows', String(metrics.rows)],
    ['accuracy', `${figure(metrics.accuracy, 'no rows')}${metrics.rows === 0 ? '' : `  (${tn + tp}/${metrics.rows})`}`],
    ['precision', figure(metrics.precision, 'no rows')],
    ['recall', figure(metrics.recall, 'no rows')],
    ['f1', figure(metrics.f1, 'no rows')],
    ['log loss', figure(metrics.logLoss, metrics.rows === 0 ? 'no rows' : withLogLoss)],
    ['roc auc', figure(metrics.rocAuc, 'needs both classes in the labels')],
  ].map(([name, value]) => `${(name ?? '').padEnd(10)} ${value}`);
  const head = ['label \\ predicted', classes[0], classes[1]];
  const body = [
    [classes[0], String(tn), String(fp)],
    [classes[1], String(fn), String(tp)],
  ];
  const widths = head.map((h, c) => Math.max([...h].length, ...body.map((row) => [...(row[c] ?? '')].length)));
  const cell = (text: string, c: number) => (c === 0 ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0));
  const table = [head, ...body].map((row) => `  ${row.map(cell).join('  ')}`.trimEnd());
  return `${lines.join('\n')}\n(positive class: ${visible(JSON.stringify(names[1]))})\nconfusion matrix:\n${table.join('\n')}\n`;
}
