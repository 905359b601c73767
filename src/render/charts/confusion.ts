/** `plot --kind confusion`: the confusion matrix as a labelled heatmap, labels down, predictions across. */
import type { Metrics } from '../../learn/metrics.js';
import type { ChartModel } from './model.js';
import { chart, type Spec, short } from './style.js';

export function confusionChart(metrics: Metrics, model: ChartModel): Spec {
  const { classes } = model;
  const cells = metrics.confusion.flatMap((row, truth) =>
    row.map((count, predicted) => ({ label: classes[truth], predicted: classes[predicted], count, right: truth === predicted ? 'right' : 'wrong' })),
  );
  const largest = Math.max(...cells.map((c) => c.count));
  const accuracy = metrics.accuracy === undefined ? 'n/a' : short(metrics.accuracy);
  const order = [...classes];
  return chart(
    'Confusion matrix',
    [`${metrics.rows.toLocaleString('en-US')} rows, label column "${model.label}"; accuracy ${accuracy}; class "${classes[1]}" is the positive class`],
    {
      data: { values: cells },
      encoding: {
        x: { field: 'predicted', type: 'nominal', sort: order, title: 'predicted class', axis: { labelAngle: 0, orient: 'top' } },
        y: { field: 'label', type: 'nominal', sort: order, title: `label (${model.label})` },
      },
      layer: [
        {
          name: 'cells',
          mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
          encoding: { color: { field: 'count', type: 'quantitative', title: 'rows', scale: { scheme: 'blues', domain: [0, Math.max(1, largest)] } } },
        },
        {
          name: 'counts',
          mark: { type: 'text', fontSize: 28, fontWeight: 'bold' },
          encoding: {
            text: { field: 'count', type: 'quantitative', format: ',d' },
            color: { condition: { test: `datum.count > ${largest / 2}`, value: 'white' }, value: '#111111' },
          },
        },
      ],
    },
  );
}
