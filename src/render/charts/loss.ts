/**
 * `plot --kind loss`: a training history, one panel per figure: the
 * objective (and the loss, where a penalty makes them differ), the gradient
 * norm and the accuracy, against the iteration or epoch. A panel uses a log
 * scale where it helps: every value positive and spanning a factor of 10 or
 * more (the objective of a converging fit, a gradient norm falling to 1e-10).
 */
import type { History, HistoryPoint } from '../../learn/history.js';
import { CLASS_COLOURS, chart, HEIGHT, type Spec, short, WIDTH } from './style.js';

/** Iterations of these solvers are epochs (a pass over the data), of the others steps. */
const EPOCH_SOLVERS = new Set(['gd', 'sgd']);

/** Whether a log scale shows these values better than a linear one. */
export function wantsLog(values: readonly number[]): boolean {
  const low = Math.min(...values);
  return low > 0 && Math.max(...values) / low >= 10;
}

interface Series {
  readonly name: string;
  readonly pick: (p: HistoryPoint) => number | undefined;
}

function panel(points: readonly HistoryPoint[], series: readonly Series[], title: string, xTitle: string, height: number, last: boolean): Spec | undefined {
  const shown = series.filter((s) => points.every((p) => s.pick(p) !== undefined));
  if (shown.length === 0) return undefined;
  const values = shown.flatMap((s) => points.map((p) => ({ x: p.iteration, y: s.pick(p) as number, series: s.name })));
  const log = wantsLog(values.map((v) => v.y));
  return {
    name: title.replace(/\W+/g, '-'),
    title: { text: log ? `${title} (log scale)` : title, anchor: 'start', fontSize: 13, subtitle: [] },
    width: WIDTH - 110,
    height,
    data: { values },
    mark: { type: 'line', point: points.length <= 60, strokeWidth: 2.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: last ? xTitle : null, axis: { tickMinStep: 1, labels: true }, scale: { nice: false } },
      y: { field: 'y', type: 'quantitative', title: null, scale: log ? { type: 'log' } : { zero: false } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: shown.map((s) => s.name), range: [CLASS_COLOURS[0], CLASS_COLOURS[1]] },
        legend: shown.length > 1 ? { orient: 'top-right' } : null,
      },
    },
  };
}

export function lossChart(history: History, file: string): Spec {
  const { points, solver } = history;
  const unit = solver !== undefined && EPOCH_SOLVERS.has(solver) ? 'epoch' : 'iteration';
  const differs = points.some((p) => p.loss !== undefined && p.loss !== p.objective);
  const objective: Series[] = differs
    ? [
        { name: 'objective (loss + penalty)', pick: (p) => p.objective },
        { name: 'loss', pick: (p) => p.loss },
      ]
    : [{ name: 'objective', pick: (p) => p.objective }];
  const panels = [
    { series: objective, title: differs ? 'objective and loss' : 'objective (mean log loss)' },
    { series: [{ name: 'gradient norm', pick: (p: HistoryPoint) => p.gradientNorm }], title: 'gradient norm' },
    { series: [{ name: 'accuracy', pick: (p: HistoryPoint) => p.accuracy }], title: 'accuracy' },
  ].filter((p) => p.series.every((s) => points.every((point) => s.pick(point) !== undefined)));
  const height = (HEIGHT - 110 - 65 * panels.length) / panels.length;
  const specs = panels
    .map((p, i) => panel(points, p.series, p.title, unit, Math.max(80, Math.floor(height)), i === panels.length - 1))
    .filter((s): s is Spec => s !== undefined);
  const first = points[0] as HistoryPoint;
  const last = points.at(-1) as HistoryPoint;
  const count = last.iteration - first.iteration;
  const subtitle = [
    `${file}: ${solver ?? 'solver not named'}, ${count} ${unit}${count === 1 ? '' : 's'}; objective ${short(first.objective)} at ${unit} ${first.iteration}, ${short(last.objective)} at ${unit} ${last.iteration}`,
  ];
  return chart(
    'Training history',
    subtitle,
    { vconcat: specs, spacing: 16, resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } },
    'concat',
  );
}
