/**
 * What every picture shares: the size (800 × 600), the font that ships with
 * neuron (so text renders the same with no system fonts), the two classes'
 * colours, the title block, and the note on how many rows are drawn.
 * Charts are Vega-Lite specifications: plain JSON, built by pure functions.
 */
import type { PlotData } from '../../learn/plot-rows.js';
import { SAMPLE_SEED } from '../../learn/sample.js';
import { readable } from '../steps.js';

/** A Vega-Lite specification (validated against vega-lite's JSON schema in the tests). */
export type Spec = { readonly [key: string]: unknown };

export const WIDTH = 800;
export const HEIGHT = 600;
/** The family of the TTF files the rasteriser is given (dejavu-fonts-ttf); also what a browser is asked for. */
export const FONT = 'DejaVu Sans';
/** Class 0 and class 1: blue and orange, told apart in greyscale print by the point shapes too. */
export const CLASS_COLOURS = ['#1f5fa8', '#e0701b'] as const;
/** The field's light tints of the same two colours, and the neutral middle. */
export const FIELD_COLOURS = ['#9fc0e8', '#ffffff', '#f6bf92'] as const;
export const INK = '#222222';

/**
 * A whole chart: size, title, subtitle lines, font, then the body (data,
 * marks, layers). A single view is fitted to 800 × 600; a `concat` body
 * (the loss panels) sizes its own views, which Vega-Lite cannot fit.
 */
export function chart(title: string, subtitle: readonly string[], body: Spec, layout: 'single' | 'concat' = 'single'): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(layout === 'single' ? { width: WIDTH, height: HEIGHT, autosize: { type: 'fit', contains: 'padding' } } : {}),
    padding: 16,
    background: 'white',
    title: { text: title, subtitle: [...subtitle], anchor: 'start' },
    ...body,
    config: {
      font: FONT,
      title: { fontSize: 17, subtitleFontSize: 12, subtitleColor: '#444444', offset: 12, limit: WIDTH - 2 * 16 },
      axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'bold' },
      legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 320 },
      view: { stroke: '#888888' },
    },
  };
}

/** A number as the pictures print it: at most 4 decimals, no trailing zeros. */
export const short = (x: number) => readable(x, 4);

/** "all 14 rows", or what was sampled and how. */
export function rowsNote(data: Pick<PlotData, 'count' | 'rows' | 'sampled'>): string {
  const n = data.count.toLocaleString('en-US');
  if (!data.sampled) return `all ${n} row${data.count === 1 ? '' : 's'} drawn`;
  return `a random sample of ${data.rows.length.toLocaleString('en-US')} of ${n} rows drawn (reservoir sampling, seed ${SAMPLE_SEED}); extents, means and figures use every row`;
}

/** The colour of each class, by name, for a nominal scale. */
export function classScale(classes: readonly [string, string]): Spec {
  return { domain: [...classes], range: [...CLASS_COLOURS] };
}

/** A quantitative axis over a fixed domain, with the column's name as its title. */
export function axis(field: string, title: string, domain: readonly [number, number], extra: Spec = {}): Spec {
  return { field, type: 'quantitative', title, scale: { domain: [...domain], nice: false, zero: false }, ...extra };
}

/** The extent of a data range padded by 5% on each side (±1 around a single value). */
export function padded(min: number, max: number): [number, number] {
  if (!(max > min)) return [min - 1, max + 1];
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** The x and y encodings of a layer whose data has fields x and y. */
export const xy = { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } as const;
