/**
 * Shared data for the k-class and encoded export tests: softmax layers and
 * models with one-hot columns and fills, with awkward names; rows of cells
 * that hit every encoding rule (a fill, a missing cell with no fill, a
 * category the model does not know, the category "NA" that eval reads as a
 * category before it reads it as missing); and eval's answer for each row:
 * the in-process Scorer / LayerScorer that `neuron eval` runs, or null where
 * eval refuses the row (where the exported SQL gives NULL and the exported
 * code throws).
 */
import fc from 'fast-check';
import { NeuronError } from '../../src/errors.js';
import { bindModel } from '../../src/neuron/columns.js';
import { encodedInputs, type UnknownPolicy } from '../../src/neuron/encoding.js';
import { LayerScorer, layerScore } from '../../src/neuron/layer-scorer.js';
import { type AnyModel, isEncoded, isSoftmax, parseModel } from '../../src/neuron/model.js';
import { Scorer } from '../../src/neuron/scorer.js';
import { AWKWARD_FEATURES, cell } from './export-data.js';

/** Three classes whose names need quoting everywhere. */
export const LAYER_CLASSES = ['setosa', 'it\'s "b"', 'C \\ `c`'];
/** Two classes, as awkward. */
export const NEURON_CLASSES = ['it\'s "no"', 'yes \\ `ok`'];
/** Class names that sqlglot 10.6 parses and writes back as column names (no backslash, backquote or double quote): still a quote. */
export const PLAIN_CLASSES = ['setosa', "it's b", 'Virginica (v)'];

/** The columns of the encoded models: two numeric (one with a fill), two one-hot (one with a fill). */
export const ENCODED_COLUMNS: EncodedColumns = { age: 'age "years"', fare: 'fare', sex: "sex 'x'", port: 'port \\ `p`' };
/** Plainer names, for sqlglot (10.6 cannot parse a BigQuery name with an escaped backquote). */
export const PLAIN_COLUMNS: EncodedColumns = { age: 'age', fare: 'fare', sex: 'sex', port: 'port of call' };
export interface EncodedColumns {
  readonly age: string;
  readonly fare: string;
  readonly sex: string;
  readonly port: string;
}
export const SEX = ['female', 'male', 'NA'];
export const PORT = ['C', 'Q', "S 'south'"];

const WEIGHT_POOL = [0.7, -1.3e-3, 2.5, -0.5, 0.30000000000000004, 1e-7, -3.75, 12.125, 0.0625, -2];
const cycle = (count: number, offset: number) => Array.from({ length: count }, (_, i) => WEIGHT_POOL[(i * 3 + offset) % WEIGHT_POOL.length] as number);
const scalingFor = (count: number) => ({
  mean: Array.from({ length: count }, (_, i) => [5.3, -78.25, 0.5, 0, -1e-3, 0.125][i % 6] as number),
  std: Array.from({ length: count }, (_, i) => [0.62, 1e-3, 22.05, 3, 0.1, 0.5][i % 6] as number),
});

/** A softmax layer over the awkward features (as `neuron train` would write it), optionally standardised. */
export function makeLayer(scaled = false, features: readonly string[] = AWKWARD_FEATURES, classes: readonly string[] = LAYER_CLASSES): AnyModel {
  return parseModel({
    activation: 'softmax',
    classes,
    features,
    weights: classes.map((_, c) => cycle(features.length, c)),
    bias: [-0.25, 0.5, 0],
    ...(scaled ? { scaling: scalingFor(features.length) } : {}),
  });
}

/**
 * A two-class neuron or a softmax layer with "categories" and "impute" (age
 * and port have fills; fare and sex none), its inputs interleaved so that a
 * column's one-hot inputs are not adjacent.
 */
export function makeEncoded(
  kind: 'neuron' | 'layer',
  scaled = false,
  columns: EncodedColumns = ENCODED_COLUMNS,
  classes: readonly string[] = kind === 'layer' ? LAYER_CLASSES : NEURON_CLASSES,
): AnyModel {
  const { age, fare, sex, port } = columns;
  const features = [age, `${sex}=${SEX[0]}`, fare, `${port}=${PORT[0]}`, `${sex}=${SEX[1]}`, `${port}=${PORT[1]}`, `${sex}=${SEX[2]}`, `${port}=${PORT[2]}`];
  const n = features.length;
  const layer = kind === 'layer';
  return parseModel({
    features,
    ...(layer ? { activation: 'softmax' } : {}),
    classes,
    weights: layer ? classes.map((_, c) => cycle(n, c)) : cycle(n, 0),
    bias: layer ? classes.map((_, c) => [-0.25, 0.5, 0][c % 3]) : -0.25,
    categories: { [sex]: SEX, [port]: PORT },
    impute: { [age]: 28.5, [port]: PORT[1] },
    ...(scaled ? { scaling: scalingFor(n) } : {}),
  });
}

/** The data columns a model reads, each once. */
export function columnsOf(model: AnyModel): string[] {
  return isEncoded(model) ? [...new Set(encodedInputs(model).map((input) => input.column))] : [...(model.features ?? [])];
}

/** One cell: a number, a category (text), or null (missing: NULL in SQL, an empty cell to eval, null to the code). */
export type Cell = number | string | null;

/** Inputs, none so small that a product with a weight underflows to 0 (which PostgreSQL refuses as an error, never a wrong number). */
const number = fc.oneof(
  fc.double({ min: -200, max: 200, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-200),
  fc.integer({ min: -100, max: 100 }),
  fc.constantFrom(0, -0, 0.1, 1e-200),
);
const category = (names: readonly string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constant('other') });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });

/** Deterministic rows over `columns`: numbers for a numeric column, categories (sometimes unknown) for a one-hot one, some cells missing. */
export function makeCells(model: AnyModel, count: number, seed = 20261202): Cell[][] {
  const columns = columnsOf(model);
  const arbs = columns.map((column): fc.Arbitrary<Cell> => {
    const list = model.categories?.get(column);
    if (list !== undefined) return maybe(category(list));
    return model.impute !== undefined || model.categories !== undefined ? maybe(number) : number;
  });
  return fc.sample(fc.tuple(...arbs), { seed, numRuns: count }) as Cell[][];
}

/** eval's answer for one row: each class's z and probability (two classes: z and the output) and the class; null: eval refuses the row. */
export interface Expected {
  readonly z: readonly number[];
  readonly p: readonly number[];
  readonly cls: string;
}

/** The text eval reads for a cell. */
export const textOf = (value: Cell) => (value === null ? '' : typeof value === 'number' ? cell(value) : value);

/** What `neuron eval` (its in-process scorers) gives for each row (cells in the order of `names`), or null where it stops with an error. */
export function expected(model: AnyModel, rows: readonly Cell[][], unknown: UnknownPolicy = 'error', names = columnsOf(model)): (Expected | null)[] {
  const verdict = <T>(score: () => T): T | null => {
    try {
      return score();
    } catch (error) {
      if (error instanceof NeuronError) return null;
      throw error;
    }
  };
  if (isSoftmax(model)) {
    const scorer = new LayerScorer(bindModel(model, { names, fromHeader: true }), { unknown });
    const into = layerScore(model.classes.length);
    return rows.map((row, i) =>
      verdict(() => {
        const s = scorer.score(row.map(textOf), i + 2, 'rows.csv', into);
        if (s === undefined) throw new Error('no row is skipped without --missing skip');
        return { z: Array.from(s.z), p: Array.from(s.p), cls: model.classes[s.cls] as string };
      }),
    );
  }
  const scorer = new Scorer(bindModel(model, { names, fromHeader: true }), { unknown });
  return rows.map((row, i) =>
    verdict(() => {
      const s = scorer.score(row.map(textOf), i + 2, 'rows.csv', { z: 0, output: 0, cls: 0 });
      if (s === undefined) throw new Error('no row is skipped without --missing skip');
      return { z: [s.z], p: [s.output], cls: model.classes[s.cls] as string };
    }),
  );
}

/** The output column names of a model, as eval names them: [z names, probability names, class]. */
export function outputColumns(model: AnyModel): { z: string[]; p: string[]; cls: string } {
  if (isSoftmax(model)) return { z: model.classes.map((c) => `z_${c}`), p: model.classes.map((c) => `softmax_${c}`), cls: 'class' };
  return { z: ['z'], p: [model.activation], cls: 'class' };
}

/** A result row read back from an engine or the generated code, null where it gave NULL scores (or threw). */
export function readBack(model: AnyModel, get: (name: string) => unknown): Expected | null {
  const names = outputColumns(model);
  const cls = get(names.cls);
  const z = names.z.map((n) => get(n));
  const p = names.p.map((n) => get(n));
  if (cls === null || cls === undefined) {
    // NULL scores are all NULL together.
    if (![...z, ...p].every((v) => v === null || v === undefined)) throw new Error(`a NULL class with scores ${JSON.stringify([...z, ...p])}`);
    return null;
  }
  return { z: z.map(Number), p: p.map(Number), cls: String(cls) };
}

/** |a - b| relative to the larger magnitude; 0 when equal. */
const relative = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** The largest differences of `actual` from eval's rows, and the rows whose class (or NULL-ness) differs. */
export function differences(want: readonly (Expected | null)[], actual: readonly (Expected | null)[]) {
  let z = 0;
  let p = 0;
  const wrong: number[] = [];
  want.forEach((e, i) => {
    const a = actual[i];
    if (e === null || a === null || a === undefined) {
      if (e !== a) wrong.push(i);
      return;
    }
    if (a.cls !== e.cls) wrong.push(i);
    e.z.forEach((v, c) => {
      z = Math.max(z, relative(v, a.z[c] as number));
    });
    // Probabilities below 1e-300 may be 0 in one engine (PostgreSQL's exp underflow guard) and subnormal in another.
    e.p.forEach((v, c) => {
      const w = a.p[c] as number;
      if (Math.max(Math.abs(v), Math.abs(w)) > 1e-300) p = Math.max(p, relative(v, w));
    });
  });
  return { z, p, wrong, rows: actual.length, scored: want.filter((e) => e !== null).length };
}
