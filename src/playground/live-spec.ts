/**
 * A chart specification split so that a view can be kept while the weights
 * move: its inline data sets become named data sets (`datasets`, read by
 * `data: { name }`), and its numeric scale domains become parameters
 * (`domain: { expr: name }`). What is left, the shape, is the same for two
 * states of the page that differ only in numbers, so the page tells the view
 * it has the new data and signals (vega's view.data and view.signal) instead
 * of compiling and embedding the chart anew (src/playground/live-chart.ts).
 * Pure: no DOM, no vega.
 */
import type { Spec } from '../render/charts/style.js';

export interface LiveSpec {
  /** The specification to embed: the shape with the data sets and parameters' values filled in. */
  readonly spec: Spec;
  /** Everything but those values, as text: a view made from one spec can show another of the same shape. */
  readonly shape: string;
  /** The rows of each named data set, for view.data(name, rows). */
  readonly datasets: Readonly<Record<string, readonly unknown[]>>;
  /** The value of each domain's parameter, for view.signal(name, value). */
  readonly signals: Readonly<Record<string, readonly number[]>>;
}

/** Names neuron's charts never use, so they cannot meet Vega-Lite's own (data_0, ...) or a chart's layer names. */
const DATA_PREFIX = 'live_data_';
const DOMAIN_PREFIX = 'live_domain_';

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumbers = (value: Json): value is number[] => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number');

export function liveSpec(spec: Spec): LiveSpec {
  const datasets: Record<string, unknown[]> = {};
  const signals: Record<string, number[]> = {};
  /** The parameter for a channel's domain: one per channel and value, so layers that share a scale share its parameter. */
  const domainParam = (channel: string, domain: number[]): string => {
    const text = JSON.stringify(domain);
    for (let k = 0; ; k++) {
      const name = `${DOMAIN_PREFIX}${channel}${k === 0 ? '' : `_${k}`}`;
      const taken = signals[name];
      if (taken === undefined) {
        signals[name] = domain;
        return name;
      }
      if (JSON.stringify(taken) === text) return name;
    }
  };
  const lift = (node: Json, key: string | undefined, parentKey: string | undefined): Json => {
    if (Array.isArray(node)) return node.map((item) => lift(item, undefined, key));
    if (!isObject(node)) return node;
    const out: Record<string, Json> = {};
    for (const [name, value] of Object.entries(node)) {
      if (name === 'data' && isObject(value) && Array.isArray(value.values)) {
        const { values, ...rest } = value;
        const dataName = `${DATA_PREFIX}${Object.keys(datasets).length}`;
        datasets[dataName] = values;
        out[name] = { ...rest, name: dataName };
      } else if (name === 'domain' && key === 'scale' && parentKey !== undefined && isNumbers(value)) {
        out[name] = { expr: domainParam(parentKey, value) };
      } else {
        out[name] = lift(value, name, key);
      }
    }
    return out;
  };
  const body = lift(spec, undefined, undefined) as Record<string, Json>;
  if ('datasets' in body || 'params' in body) throw new Error('liveSpec: the chart has its own datasets or params');
  const names = { datasets: Object.keys(datasets), params: Object.keys(signals) };
  return {
    spec: { ...body, datasets, params: Object.entries(signals).map(([name, value]) => ({ name, value })) },
    shape: JSON.stringify({ body, names }),
    datasets,
    signals,
  };
}
