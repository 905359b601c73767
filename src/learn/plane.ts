/**
 * The model seen on two of its inputs: z as a function of (x, y) in the
 * data's units, the other inputs held at given values (their means), the
 * scaling of a standardised model folded in. z = a·x + c·y + d, so the
 * class boundary is the line a·x + c·y + d = zBoundary.
 */
import type { Model } from '../neuron/model.js';

export interface Plane {
  /** z = a·x + c·y + d. */
  readonly a: number;
  readonly c: number;
  readonly d: number;
}

export interface Extent {
  readonly min: number;
  readonly max: number;
}

/** `xi`, `yi`: the indices (in weight order) of the two axes; `held`: every input's value when not on an axis. */
export function planeOf(model: Model, xi: number, yi: number, held: readonly number[]): Plane {
  const mean = model.scaling?.mean;
  const std = model.scaling?.std;
  // z = b + Σ w_j (x_j - m_j) / s_j: each input contributes (w_j / s_j) x_j - w_j m_j / s_j.
  const slope = (j: number) => (model.weights[j] as number) / (std?.[j] ?? 1);
  const offset = (j: number) => -slope(j) * (mean?.[j] ?? 0);
  let d = model.bias;
  model.weights.forEach((_, j) => {
    d += offset(j);
    if (j !== xi && j !== yi) d += slope(j) * (held[j] as number);
  });
  return { a: slope(xi), c: slope(yi), d };
}

export function zAt(plane: Plane, x: number, y: number): number {
  return plane.a * x + plane.c * y + plane.d;
}

/**
 * The smallest z at which `fn(z) >= threshold`, found by bisection (every
 * activation is non-decreasing); undefined when no z in [-1e6, 1e6] or every
 * z there passes (a relu threshold of 0 or less): no boundary to draw.
 */
export function boundaryZ(fn: (z: number) => number, threshold: number | undefined): number | undefined {
  if (threshold === undefined) return 0;
  let low = -1e6;
  let high = 1e6;
  if (fn(high) < threshold || fn(low) >= threshold) return undefined;
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, Math.abs(high)); i++) {
    const middle = (low + high) / 2;
    if (fn(middle) >= threshold) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The segment of the line a·x + c·y + d = level inside the box, as its two
 * end points; undefined when it misses the box (or a = c = 0).
 */
export function clipLine(plane: Plane, level: number, xs: Extent, ys: Extent): [[number, number], [number, number]] | undefined {
  const { a, c } = plane;
  const d = plane.d - level;
  const points: [number, number][] = [];
  const add = (x: number, y: number) => {
    const inside = x >= xs.min - 1e-9 * Math.abs(xs.max - xs.min) && x <= xs.max + 1e-9 * Math.abs(xs.max - xs.min);
    const insideY = y >= ys.min - 1e-9 * Math.abs(ys.max - ys.min) && y <= ys.max + 1e-9 * Math.abs(ys.max - ys.min);
    if (inside && insideY && !points.some(([px, py]) => px === x && py === y)) points.push([x, y]);
  };
  if (c !== 0) {
    add(xs.min, -(a * xs.min + d) / c);
    add(xs.max, -(a * xs.max + d) / c);
  }
  if (a !== 0) {
    add(-(c * ys.min + d) / a, ys.min);
    add(-(c * ys.max + d) / a, ys.max);
  }
  if (points.length < 2) return undefined;
  points.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return [points[0] as [number, number], points[points.length - 1] as [number, number]];
}
