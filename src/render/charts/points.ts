/**
 * The rows as points, shared by the boundary and activation pictures:
 * coloured by their label (or, without one, by the predicted class), a
 * wrongly classified row drawn as a cross. One symbol per drawn row, in a
 * layer named `rows`.
 */
import type { PlotRow } from '../../learn/plot-rows.js';
import { classScale, INK, type Spec, xy } from './style.js';

export interface PointsOptions {
  readonly classes: readonly [string, string];
  /** The --label column, or undefined: colour by predicted class. */
  readonly label: string | undefined;
  /** Where a row goes, in the chart's x and y fields. */
  readonly at: (row: PlotRow) => readonly [number, number];
}

export const WRONG = 'wrong';
export const RIGHT = 'right';

export function pointsLayer(rows: readonly PlotRow[], options: PointsOptions): Spec {
  const { classes, label } = options;
  const values = rows.map((r) => {
    const [x, y] = options.at(r);
    const shown = r.truth ?? r.predicted;
    return { x, y, row: r.row, class: classes[shown], result: r.truth === undefined ? RIGHT : r.truth === r.predicted ? RIGHT : WRONG };
  });
  const hasWrong = values.some((v) => v.result === WRONG);
  return {
    name: 'rows',
    data: { values },
    mark: { type: 'point', filled: true, size: 70, opacity: 0.9, stroke: INK, strokeWidth: 0.8 },
    encoding: {
      ...xy,
      color: { field: 'class', type: 'nominal', scale: classScale(classes), title: label === undefined ? 'predicted class' : `label (${label})` },
      shape:
        label === undefined
          ? { value: 'circle' }
          : {
              field: 'result',
              type: 'nominal',
              scale: { domain: [RIGHT, WRONG], range: ['circle', 'cross'] },
              title: 'classified',
              legend: hasWrong ? {} : null,
            },
    },
  };
}
