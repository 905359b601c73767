/**
 * `plot --kind roc` and `--kind pr`: the ROC curve with its AUC, or the
 * precision-recall curve with its average precision, in the legend, the
 * chance line, and the operating point of the class rule marked.
 */
import { averagePrecision, type CurvePoint, precisionRecallCurve, rocCurve, thin } from '../../learn/curves.js';
import type { Metrics } from '../../learn/metrics.js';
import { TEXT_HEIGHT, TEXT_WIDTH, type TextChart } from '../text-chart.js';
import { type ChartModel, ruleText } from './model.js';
import { axis, CLASS_COLOURS, chart, INK, type Spec, short, xy } from './style.js';

/** Points drawn of a curve at most (a curve over 1M rows has up to 1M distinct points). */
export const MAX_CURVE_POINTS = 1000;

export interface Scored {
  readonly scores: Float64Array;
  readonly truths: Uint8Array;
  readonly metrics: Metrics;
}

interface CurveChart {
  readonly title: string;
  readonly curve: readonly CurvePoint[];
  readonly name: string;
  readonly x: string;
  readonly y: string;
  readonly chance: readonly CurvePoint[];
  readonly operating: CurvePoint | undefined;
  readonly subtitle: string;
}

function curveChart(spec: CurveChart, model: ChartModel): Spec {
  const series = [
    ...thin(spec.curve, MAX_CURVE_POINTS).map((p, order) => ({ ...p, order, series: spec.name })),
    ...spec.chance.map((p, order) => ({ ...p, order, series: 'chance' })),
  ];
  const layers: Spec[] = [
    {
      name: 'curve',
      data: { values: series },
      mark: { type: 'line', strokeWidth: 2.5, interpolate: 'linear' },
      encoding: {
        x: axis('x', spec.x, [0, 1]),
        y: axis('y', spec.y, [0, 1.02]),
        order: { field: 'order', type: 'quantitative' },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: [spec.name, 'chance'], range: [CLASS_COLOURS[0], '#999999'] },
          legend: { orient: 'bottom-right', symbolType: 'stroke', symbolStrokeWidth: 3, labelFontSize: 14, symbolSize: 400 },
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: {
            domain: [spec.name, 'chance'],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
        },
      },
    },
  ];
  if (spec.operating !== undefined) {
    const text = `class rule ${ruleText(model, short)}: (${short(spec.operating.x)}, ${short(spec.operating.y)})`;
    layers.push({
      name: 'operating-point',
      data: { values: [{ ...spec.operating, text }] },
      layer: [
        { mark: { type: 'point', filled: true, size: 160, color: CLASS_COLOURS[1], stroke: INK, strokeWidth: 1.5 }, encoding: xy },
        {
          mark: { type: 'text', align: spec.operating.x > 0.5 ? 'right' : 'left', dx: spec.operating.x > 0.5 ? -12 : 12, dy: 14, fontSize: 12, color: INK },
          encoding: { ...xy, text: { field: 'text' } },
        },
      ],
    });
  }
  return chart(spec.title, [spec.subtitle], { layer: layers });
}

const rowsOf = (m: Metrics) => {
  const [[tn, fp], [fn, tp]] = m.confusion;
  return { tn, fp, fn, tp };
};

export function rocChart(data: Scored, model: ChartModel): Spec {
  const { tn, fp, fn, tp } = rowsOf(data.metrics);
  const auc = data.metrics.rocAuc;
  return curveChart(
    {
      title: `ROC curve: "${model.classes[1]}" against "${model.classes[0]}"`,
      curve: rocCurve(data.scores, data.truths),
      name: `ROC (AUC = ${auc === undefined ? 'n/a' : short(auc)})`,
      x: 'false positive rate (1 - specificity)',
      y: 'true positive rate (recall)',
      chance: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
      operating: fp + tn === 0 || tp + fn === 0 ? undefined : { x: fp / (fp + tn), y: tp / (tp + fn) },
      subtitle: `${data.metrics.rows.toLocaleString('en-US')} rows ranked by z, label column "${model.label}"`,
    },
    model,
  );
}

export function prChart(data: Scored, model: ChartModel): Spec {
  const { fp, fn, tp } = rowsOf(data.metrics);
  const curve = precisionRecallCurve(data.scores, data.truths);
  const ap = averagePrecision(curve);
  const prevalence = (tp + fn) / data.metrics.rows;
  return curveChart(
    {
      title: `Precision and recall of "${model.classes[1]}"`,
      curve,
      name: `PR (average precision = ${ap === undefined ? 'n/a' : short(ap)})`,
      x: 'recall',
      y: 'precision',
      chance: [
        { x: 0, y: prevalence },
        { x: 1, y: prevalence },
      ],
      operating: tp + fn === 0 || tp + fp === 0 ? undefined : { x: tp / (tp + fn), y: tp / (tp + fp) },
      subtitle: `${data.metrics.rows.toLocaleString('en-US')} rows ranked by z, label column "${model.label}"; chance = the share of "${model.classes[1]}" rows`,
    },
    model,
  );
}

/** The ROC curve in text, for a terminal. */
export function rocText(data: Scored, model: ChartModel): TextChart {
  const curve = rocCurve(data.scores, data.truths);
  const auc = data.metrics.rocAuc;
  // The curve between its points too, so that its steps read as lines.
  const dense = thin(curve, MAX_CURVE_POINTS).flatMap((p, i, all) => {
    const next = all[i + 1];
    if (next === undefined) return [[p.x, p.y] as const];
    const steps = Math.ceil(Math.max(Math.abs(next.x - p.x) * TEXT_WIDTH, Math.abs(next.y - p.y) * TEXT_HEIGHT)) + 1;
    return Array.from({ length: steps }, (_, k) => [p.x + ((next.x - p.x) * k) / steps, p.y + ((next.y - p.y) * k) / steps] as const);
  });
  const diagonal = Array.from({ length: TEXT_WIDTH }, (_, i) => [i / (TEXT_WIDTH - 1), i / (TEXT_WIDTH - 1)] as const);
  return {
    title: `ROC curve of "${model.classes[1]}" (AUC = ${auc === undefined ? 'n/a' : short(auc)}), ${data.metrics.rows} rows, label column "${model.label}"`,
    x: { title: 'false positive rate', domain: [0, 1] },
    y: { title: 'true positive rate', domain: [0, 1] },
    layers: [
      { points: diagonal, mark: '·' },
      { points: dense, mark: '●' },
    ],
    legend: ['● ROC curve   · chance'],
  };
}
