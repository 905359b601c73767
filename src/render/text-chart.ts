/**
 * A chart in text for a terminal (`plot` without -o on a terminal, as
 * `explain` draws its curve): layers of points on a grid of characters,
 * later layers on top, with the axes' ends labelled.
 */
import { readable } from './steps.js';

export interface TextLayer {
  readonly points: readonly (readonly [number, number])[];
  readonly mark: string;
}

export interface TextChart {
  readonly title: string;
  readonly x: { readonly title: string; readonly domain: readonly [number, number] };
  readonly y: { readonly title: string; readonly domain: readonly [number, number] };
  readonly layers: readonly TextLayer[];
  /** Lines under the chart: what each mark means. */
  readonly legend: readonly string[];
}

export const TEXT_WIDTH = 61;
export const TEXT_HEIGHT = 15;

/** Any C0/C1 control character (an escape sequence in a column name) shown as `?`: text for a terminal. */
export const printable = (text: string) => text.replace(/\p{Cc}/gu, '?');

export function renderTextChart(chart: TextChart): string {
  const grid = Array.from({ length: TEXT_HEIGHT }, () => Array.from({ length: TEXT_WIDTH }, () => ' '));
  const [x0, x1] = chart.x.domain;
  const [y0, y1] = chart.y.domain;
  for (const layer of chart.layers) {
    for (const [x, y] of layer.points) {
      const c = Math.round(((x - x0) / (x1 - x0 || 1)) * (TEXT_WIDTH - 1));
      const r = Math.round(((y1 - y) / (y1 - y0 || 1)) * (TEXT_HEIGHT - 1));
      const row = grid[r];
      if (row !== undefined && c >= 0 && c < TEXT_WIDTH) row[c] = layer.mark;
    }
  }
  const top = readable(y1, 2);
  const bottom = readable(y0, 2);
  const labelWidth = Math.max(top.length, bottom.length);
  const lines = [printable(chart.title), `${' '.repeat(labelWidth + 2)}${printable(chart.y.title)}`];
  grid.forEach((cells, r) => {
    const label = r === 0 ? top : r === TEXT_HEIGHT - 1 ? bottom : '';
    lines.push(`${label.padStart(labelWidth)} ${label === '' ? '│' : '┤'}${cells.join('')}`.trimEnd());
  });
  const indent = ' '.repeat(labelWidth + 1);
  lines.push(`${indent}└${'─'.repeat(TEXT_WIDTH)}`);
  const left = readable(x0, 2);
  const right = readable(x1, 2);
  lines.push(`${indent} ${left}${' '.repeat(Math.max(1, TEXT_WIDTH - left.length - right.length))}${right}  ${printable(chart.x.title)}`);
  lines.push(...chart.legend.map((line) => `${indent} ${printable(line)}`));
  return `${lines.join('\n')}\n`;
}
