/**
 * The design matrix `train` fits: the input columns as read (numbers, or a
 * categorical column's cells as codes), turned into the model's inputs by
 * the rules of encoding.ts, with the preprocessing to store in the model:
 * - a categorical column becomes one 0/1 input `column=category` per
 *   category, the categories sorted by code unit (as scikit-learn's
 *   OneHotEncoder sorts strings), all kept, in place of the column;
 * - a missing cell (NaN here) takes its column's fill, computed over the
 *   non-missing cells of the training rows as scikit-learn's SimpleImputer
 *   computes it: mean, median (numpy.median: the mean of the two middle
 *   values for an even count), zero, or a constant; for a categorical
 *   column mean and median mean the most frequent category (ties: the first
 *   in sorted order, as most_frequent), and a constant may be a category of
 *   its own, added to the categories.
 * The encoding is computed here once; RowEncoder applies the stored model
 * to any later row the same way (test/properties/design-encoder.test.ts).
 *
 * Pure: no I/O.
 */

import { NeuronError, quote } from '../errors.js';
import { oneHotName } from '../neuron/encoding.js';
import type { Scaling } from '../neuron/model.js';
import { parseNumberCell } from '../neuron/numbers.js';
import { type Dataset, standardizeDataset } from './train.js';

/** How a column's missing cells are filled (train --impute). */
export type ImputeStrategy =
  | { readonly kind: 'mean' }
  | { readonly kind: 'median' }
  | { readonly kind: 'zero' }
  | { readonly kind: 'constant'; readonly value: string };

/** --impute: a strategy for every input column, and per-column ones that override it. */
export interface ImputeSpec {
  readonly all?: ImputeStrategy | undefined;
  readonly columns: ReadonlyMap<string, ImputeStrategy>;
}

/** The strategy for `column` under `spec`, if any. */
export function strategyFor(spec: ImputeSpec | undefined, column: string): ImputeStrategy | undefined {
  return spec?.columns.get(column) ?? spec?.all;
}

/** A strategy as the command line writes it. */
export function strategyName(strategy: ImputeStrategy): string {
  return strategy.kind === 'constant' ? `constant=${strategy.value}` : strategy.kind;
}

/** One input column as read: numeric, or categorical with its distinct cells in order of appearance (a cell's code is its index). */
export interface RawColumn {
  readonly name: string;
  /** For a categorical column: the distinct non-missing cells seen; cell values in the table are indices into it. */
  readonly levels?: readonly string[] | undefined;
}

/** The input columns of the training rows: n × columns.length, row-major; NaN is a missing cell. */
export interface RawTable {
  readonly x: Float64Array;
  readonly rows: number;
  readonly columns: readonly RawColumn[];
}

export interface Design {
  /** rows × names.length, row-major: the model's inputs before scaling. */
  readonly x: Float64Array;
  /** The inputs' names in weight order (`column` or `column=category`). */
  readonly names: string[];
  /** Per input: whether it is a numeric column's (not a one-hot indicator). */
  readonly numeric: boolean[];
  readonly categories?: Map<string, string[]> | undefined;
  readonly impute?: Map<string, number | string> | undefined;
}

/**
 * The encoded inputs of `table`, with the categories and fills to store;
 * `impute` names only input columns (the caller checks). Without a
 * categorical column the design is `table.x` itself, its missing cells
 * filled in place (no copy of what may be most of memory).
 */
export function designOf(table: RawTable, impute: ImputeSpec | undefined): Design {
  const { x, rows, columns } = table;
  const m = columns.length;
  if (columns.every((column) => column.levels === undefined)) return filledInPlace(table, impute);
  const names: string[] = [];
  const numeric: boolean[] = [];
  const categories = new Map<string, string[]>();
  const fills = new Map<string, number | string>();
  /** Per raw column: the first input, and for a categorical column each code's input offset (-1 none). */
  const layout: { start: number; offsets: Int32Array | undefined; fill: number }[] = [];
  columns.forEach((column, c) => {
    const strategy = strategyFor(impute, column.name);
    const start = names.length;
    if (column.levels === undefined) {
      const fill = strategy === undefined ? Number.NaN : numericFill(x, rows, m, c, column.name, strategy);
      if (strategy !== undefined) fills.set(column.name, fill);
      names.push(column.name);
      numeric.push(true);
      layout.push({ start, offsets: undefined, fill });
      return;
    }
    const levels = column.levels;
    const sorted = [...levels].sort(byCodeUnit);
    const fill = strategy === undefined ? undefined : categoryFill(x, rows, m, c, column.name, levels, sorted, strategy);
    if (fill !== undefined && !sorted.includes(fill)) {
      sorted.push(fill);
      sorted.sort(byCodeUnit);
    }
    if (fill !== undefined) fills.set(column.name, fill);
    categories.set(column.name, sorted);
    for (const category of sorted) {
      names.push(oneHotName(column.name, category));
      numeric.push(false);
    }
    const position = new Map(sorted.map((category, at) => [category, at]));
    const offsets = Int32Array.from(levels, (level) => position.get(level) ?? -1);
    layout.push({ start, offsets, fill: fill === undefined ? -1 : (position.get(fill) ?? -1) });
  });
  const d = names.length;
  const out = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < m; c++) {
      const v = x[i * m + c] as number;
      const { start, offsets, fill } = layout[c] as (typeof layout)[number];
      if (offsets === undefined) {
        out[i * d + start] = Number.isNaN(v) ? fill : v;
      } else {
        const hot = Number.isNaN(v) ? fill : (offsets[v] as number);
        if (hot >= 0) out[i * d + start + hot] = 1;
      }
    }
  }
  return {
    x: out,
    names,
    numeric,
    ...(categories.size > 0 ? { categories } : {}),
    ...(fills.size > 0 ? { impute: fills } : {}),
  };
}

/** designOf for numeric columns only: each missing cell takes its column's fill, in place. */
function filledInPlace(table: RawTable, impute: ImputeSpec | undefined): Design {
  const { x, rows, columns } = table;
  const m = columns.length;
  const fills = new Map<string, number>();
  columns.forEach((column, c) => {
    const strategy = strategyFor(impute, column.name);
    if (strategy === undefined) return;
    const fill = numericFill(x, rows, m, c, column.name, strategy);
    fills.set(column.name, fill);
    for (let i = 0; i < rows; i++) if (Number.isNaN(x[i * m + c])) x[i * m + c] = fill;
  });
  return { x, names: columns.map((column) => column.name), numeric: columns.map(() => true), ...(fills.size > 0 ? { impute: fills } : {}) };
}

/** Sorted as JavaScript sorts strings, by UTF-16 code unit. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The non-missing cells of column c. */
function present(x: Float64Array, rows: number, m: number, c: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = x[i * m + c] as number;
    if (!Number.isNaN(v)) values.push(v);
  }
  return values;
}

function noValues(column: string, strategy: ImputeStrategy): NeuronError {
  return new NeuronError(
    'no-rows',
    `--impute ${strategyName(strategy)}: column ${JSON.stringify(column)} has no value in the training rows to compute its fill from`,
    {},
    `give it a constant (--impute ${column}=constant=V), or leave the column out`,
  );
}

function numericFill(x: Float64Array, rows: number, m: number, c: number, column: string, strategy: ImputeStrategy): number {
  if (strategy.kind === 'zero') return 0;
  if (strategy.kind === 'constant') {
    const value = parseNumberCell(strategy.value);
    if (Number.isNaN(value)) {
      throw new NeuronError(
        'conflicting-options',
        `--impute constant=${strategy.value}: column ${JSON.stringify(column)} holds numbers, and ${quote(strategy.value)} is not one`,
        {},
        `give the column a number (--impute ${column}=constant=0), or pass --categorical ${column}`,
      );
    }
    return value;
  }
  const values = present(x, rows, m, c);
  if (values.length === 0) throw noValues(column, strategy);
  if (strategy.kind === 'mean') {
    let sum = 0;
    for (const v of values) sum += v;
    return sum / values.length;
  }
  values.sort((a, b) => a - b);
  const half = values.length >> 1;
  return values.length % 2 === 1 ? (values[half] as number) : ((values[half - 1] as number) + (values[half] as number)) / 2;
}

/** A categorical column's fill: the most frequent category for mean and median, or the constant. */
function categoryFill(
  x: Float64Array,
  rows: number,
  m: number,
  c: number,
  column: string,
  levels: readonly string[],
  sorted: readonly string[],
  strategy: ImputeStrategy,
): string {
  if (strategy.kind === 'constant') return strategy.value;
  if (strategy.kind === 'zero') {
    throw new NeuronError(
      'conflicting-options',
      `--impute zero: column ${JSON.stringify(column)} is categorical, and 0 is not one of its categories`,
      {},
      `give it its own fill: --impute ${column}=mean (the most frequent category) or ${column}=constant=V`,
    );
  }
  const counts = new Map<string, number>();
  for (const v of present(x, rows, m, c)) {
    const level = levels[v] as string;
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const category of sorted) {
    const count = counts.get(category) ?? 0;
    if (count > bestCount) {
      best = category;
      bestCount = count;
    }
  }
  if (best === undefined) throw noValues(column, strategy);
  return best;
}

/**
 * --standardize over a design: z-scores the numeric inputs (standardizeDataset's
 * rule) and leaves the one-hot indicators 0/1 (mean 0, std 1 in the scaling),
 * as a ColumnTransformer scales the numeric columns and one-hot encodes the others.
 */
export function standardizeDesign(data: Dataset, names: readonly string[], numeric: readonly boolean[]): Scaling {
  if (numeric.every(Boolean)) return standardizeDataset(data, names);
  const { x, rows, features: d } = data;
  const scaled = numeric.flatMap((isNumeric, j) => (isNumeric ? [j] : []));
  const m = scaled.length;
  const part = new Float64Array(rows * m);
  const copy = (toPart: boolean) => {
    for (let i = 0; i < rows; i++) {
      for (let at = 0; at < m; at++) {
        const j = scaled[at] as number;
        if (toPart) part[i * m + at] = x[i * d + j] as number;
        else x[i * d + j] = part[i * m + at] as number;
      }
    }
  };
  copy(true);
  const moments = standardizeDataset(
    { x: part, y: data.y, rows, features: m },
    scaled.map((j) => names[j] as string),
  );
  copy(false);
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(1);
  scaled.forEach((j, at) => {
    mean[j] = moments.mean[at] as number;
    std[j] = moments.std[at] as number;
  });
  return { mean, std };
}
