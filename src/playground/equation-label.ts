/**
 * The boundary line's equation, placed for the page's small chart. `plot`'s
 * 800 × 600 picture puts it 60% along the line, running away from it; in
 * the page's few hundred pixels that text ran past the plot's edge and was
 * cut off. The page knows its plot's size in pixels (a fixed inner size,
 * src/playground/picture-specs.ts), so it places the label's centre where
 * the whole text box lies inside the plot and off the line, in two lines
 * when one is too wide, drawn over the rows. Only the layer's data changes
 * (the text and its centre), never its mark, so a slider move keeps the
 * chart's shape (src/playground/live-spec.ts). Pure.
 */
import type { Spec } from '../render/charts/style.js';

/** The label's type on the page. */
export const LABEL_FONT_SIZE = 12;
/** A bound on DejaVu Sans Bold's advance per character, in em (its digits are 0.70 em, `·` and spaces less). */
const EM_PER_CHAR = 0.72;
/** Pixels between the text box and the line, and between the box and the plot's edge. */
const GAP = 4;

type Point = readonly [number, number];
interface Box {
  readonly width: number;
  readonly height: number;
}

/** The equation in one line, or split before its constant term when one line is wider than most of the plot. */
export function labelLines(text: string, plotWidth: number): string[] {
  if (textWidth(text) <= 0.9 * plotWidth) return [text];
  const cut = Math.max(text.lastIndexOf(' + '), text.lastIndexOf(' - '));
  return cut <= 0 ? [text] : [text.slice(0, cut), text.slice(cut + 1)];
}

function textWidth(line: string): number {
  return line.length * EM_PER_CHAR * LABEL_FONT_SIZE;
}

function boxOf(lines: readonly string[]): Box {
  return { width: Math.max(...lines.map(textWidth)), height: lines.length * LABEL_FONT_SIZE * 1.25 };
}

/**
 * Where the box's centre goes, in pixels (y down): a point along the line
 * (the middle first, then out towards the ends), moved off the line on
 * either side by the box's half-extent across it; of the places that keep
 * the box inside the plot, the one that covers the fewest of `points` (the
 * rows drawn), the earliest on a tie; if none is inside, the middle one
 * moved inside.
 */
export function labelCentre(segment: readonly [Point, Point], plot: Box, box: Box, points: readonly Point[] = []): Point {
  const [[x1, y1], [x2, y2]] = segment;
  const length = Math.hypot(x2 - x1, y2 - y1) || 1;
  const normal: Point = [-(y2 - y1) / length, (x2 - x1) / length];
  const across = Math.abs(normal[0]) * (box.width / 2) + Math.abs(normal[1]) * (box.height / 2) + GAP;
  const inside = ([cx, cy]: Point) =>
    cx - box.width / 2 >= GAP && cx + box.width / 2 <= plot.width - GAP && cy - box.height / 2 >= GAP && cy + box.height / 2 <= plot.height - GAP;
  const candidates: Point[] = [];
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
    const on: Point = [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
    for (const side of [1, -1]) candidates.push([on[0] + side * across * normal[0], on[1] + side * across * normal[1]]);
  }
  const covered = ([cx, cy]: Point) => points.filter(([x, y]) => Math.abs(x - cx) <= box.width / 2 + GAP && Math.abs(y - cy) <= box.height / 2 + GAP).length;
  let best: { at: Point; covers: number } | undefined;
  for (const at of candidates.filter(inside)) {
    const covers = covered(at);
    if (best === undefined || covers < best.covers) best = { at, covers };
    if (covers === 0) break;
  }
  if (best !== undefined) return best.at;
  const [cx, cy] = candidates[0] as Point;
  const clamp = (v: number, half: number, size: number) => Math.min(Math.max(v, half + GAP), Math.max(half + GAP, size - half - GAP));
  return [clamp(cx, box.width / 2, plot.width), clamp(cy, box.height / 2, plot.height)];
}

interface Layer {
  readonly name?: string;
  readonly data?: { readonly values?: readonly Record<string, unknown>[] };
  readonly mark?: Record<string, unknown>;
  readonly encoding?: Record<string, { readonly scale?: { readonly domain?: unknown } } | undefined>;
}

const domainOf = (layers: readonly Layer[], channel: 'x' | 'y'): [number, number] | undefined => {
  for (const layer of layers) {
    const domain = layer.encoding?.[channel]?.scale?.domain;
    if (Array.isArray(domain) && domain.length === 2) return domain as [number, number];
  }
  return undefined;
};

/** The boundary chart with its `equation` layer placed for a plot of `plot` pixels; any other chart as it was. */
export function placeEquation(spec: Spec, plot: Box): Spec {
  const layers = spec.layer as readonly Layer[] | undefined;
  const line = layers?.find((l) => l.name === 'boundary')?.data?.values;
  const label = layers?.find((l) => l.name === 'equation');
  const xs = layers === undefined ? undefined : domainOf(layers, 'x');
  const ys = layers === undefined ? undefined : domainOf(layers, 'y');
  const text = label?.data?.values?.[0]?.text;
  if (layers === undefined || line?.length !== 2 || label === undefined || xs === undefined || ys === undefined || typeof text !== 'string') return spec;
  const toPixel = (p: Record<string, unknown>): Point => [
    (((p.x as number) - xs[0]) / (xs[1] - xs[0])) * plot.width,
    plot.height - (((p.y as number) - ys[0]) / (ys[1] - ys[0])) * plot.height,
  ];
  const lines = labelLines(text, plot.width);
  const drawn = (layers.find((l) => l.name === 'rows')?.data?.values ?? []).map(toPixel);
  const [cx, cy] = labelCentre([toPixel(line[0] as Record<string, unknown>), toPixel(line[1] as Record<string, unknown>)], plot, boxOf(lines), drawn);
  const at = { x: xs[0] + (cx / plot.width) * (xs[1] - xs[0]), y: ys[0] + ((plot.height - cy) / plot.height) * (ys[1] - ys[0]) };
  const placed: Layer = {
    ...label,
    data: { values: [{ ...at, text: lines }] },
    mark: { ...label.mark, align: 'center', baseline: 'middle', dx: 0, dy: 0, fontSize: LABEL_FONT_SIZE },
  };
  // Drawn last, over the rows, so that where it cannot avoid them it is still read whole.
  return { ...spec, layer: [...layers.filter((l) => l !== label), placed] };
}
