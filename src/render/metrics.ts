/** The metrics as text for people. */

import type { Metrics } from '../learn/metrics.js';
import { type ClassMetrics, type ClassReport, isClassMetrics } from '../learn/multiclass-metrics.js';
import { activationNames, activations } from '../neuron/activations.js';
import { visible } from './visible.js';

/** The activations with a log loss: those whose output is a probability. */
const withLogLoss = `${activationNames.filter((name) => activations[name].probability).join(', ')} only`;

/** Rows of cells as lines: the first column left-aligned, the others right-aligned, two spaces apart, indented by two. */
function alignTable(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  const cell = (text: string, c: number) => (c === 0 ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0));
  return rows.map((row) => `  ${row.map(cell).join('  ')}`.trimEnd());
}

/** One figure a line: `name       value`. */
function figureLines(figures: readonly (readonly [string, string])[]): string {
  return figures.map(([name, value]) => `${name.padEnd(10)} ${value}`).join('\n');
}

/** The confusion matrix labelled with the (escaped) class names, rows the label, columns the prediction. */
function confusionTable(confusion: readonly (readonly number[])[], classes: readonly string[]): string {
  return alignTable([['label \\ predicted', ...classes], ...confusion.map((row, t) => [classes[t] ?? '', ...row.map(String)])]).join('\n');
}

/**
 * The metrics for people: one figure a line, then the confusion matrix labelled with the class names (`neuron metrics`);
 * for a k-class model, also each class's precision, recall, F1 and support, and their averages.
 * @example
 * ```js
 * import { formatMetrics, metricsOf, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [1], bias: 0, classes: ['no', 'yes'] });
 * formatMetrics(metricsOf(model, [[-2], [1], [3]], ['no', 'no', 'yes']), model.classes).split('\n').slice(0, 3); // => ['rows       3', 'accuracy   0.6667  (2/3)', 'precision  0.5000']
 * const layer = parseModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
 * formatMetrics(metricsOf(layer, [[2], [-2]], ['a', 'c']), layer.classes).split('\n')[7]; // => '  b                0.0000  0.0000  0.0000        0'
 * ```
 */
export function formatMetrics(metrics: Metrics | ClassMetrics, names: readonly string[], precision = 4): string {
  // Class names reach a terminal: escaped.
  const classes = names.map(visible);
  const figure = (x: number | undefined, why: string) => (x === undefined ? `n/a (${why})` : x.toFixed(precision));
  const correct = metrics.confusion.reduce((sum, row, c) => sum + (row[c] ?? 0), 0);
  const accuracy = `${figure(metrics.accuracy, 'no rows')}${metrics.rows === 0 ? '' : `  (${correct}/${metrics.rows})`}`;
  if (isClassMetrics(metrics)) return formatClassMetrics(metrics, classes, accuracy, figure, precision);
  const lines = figureLines([
    ['rows', String(metrics.rows)],
    ['accuracy', accuracy],
    ['precision', figure(metrics.precision, 'no rows')],
    ['recall', figure(metrics.recall, 'no rows')],
    ['f1', figure(metrics.f1, 'no rows')],
    ['log loss', figure(metrics.logLoss, metrics.rows === 0 ? 'no rows' : withLogLoss)],
    ['roc auc', figure(metrics.rocAuc, 'needs both classes in the labels')],
  ]);
  return `${lines}\n(positive class: ${visible(JSON.stringify(names[1]))})\nconfusion matrix:\n${confusionTable(metrics.confusion, classes)}\n`;
}

/** A k-class model's metrics: the figures, the table of classes and averages, the k × k matrix. */
function formatClassMetrics(
  metrics: ClassMetrics,
  classes: readonly string[],
  accuracy: string,
  figure: (x: number | undefined, why: string) => string,
  precision: number,
): string {
  const auc = metrics.rocAuc === undefined ? '' : classes.length === 2 ? `  (of P(${classes[1]}))` : '  (one-vs-rest, macro average)';
  const lines = figureLines([
    ['rows', String(metrics.rows)],
    ['accuracy', accuracy],
    ['log loss', figure(metrics.logLoss, 'no rows')],
    ['roc auc', `${figure(metrics.rocAuc, 'needs every class in the labels')}${auc}`],
  ]);
  const plain = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(precision));
  const row = (name: string, r: ClassReport) => [name, plain(r.precision), plain(r.recall), plain(r.f1), String(r.support)];
  const table = alignTable([
    ['class', 'precision', 'recall', 'f1', 'support'],
    ...metrics.perClass.map((r, c) => row(classes[c] ?? '', r)),
    row('macro avg', metrics.macro),
    row('weighted avg', metrics.weighted),
  ]);
  return `${lines}\nper class:\n${table.join('\n')}\nconfusion matrix (rows: label, columns: predicted):\n${confusionTable(metrics.confusion, classes)}\n`;
}
