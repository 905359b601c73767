/**
 * statsmodels' Logit summary from an engine's sums (`train --engine
 * --summary`, `summary --engine`): the step query at the model's weights
 * gives the loss and the Hessian, one more query the total weight, the
 * positives and the Gram matrix (the design's rank); statistics.ts's
 * summaryOf turns them into the table in-process `summary` prints.
 */
import { NeuronError } from '../errors.js';
import { type CellsQuery, usedInput } from '../export/engine-query.js';
import { standardizedTerm } from '../export/linear.js';
import { dialects } from '../export/sql.js';
import { gramSql, labelSql, type StepQuery, stepSql, stepSumsOf, upperPairs } from '../export/train-step.js';
import type { Engine } from '../io/engines/engine.js';
import { rank } from '../learn/cholesky.js';
import { type Frame, fromData } from '../learn/logistic.js';
import { type StepSums, stateOf } from '../learn/newton-sums.js';
import { type Summary, summaryOf } from '../learn/statistics.js';
import { bindModel } from '../neuron/columns.js';
import type { Model, Scaling } from '../neuron/model.js';
import { checkedRows, type EngineOptions, engineColumns, inputCells, withEngine } from './engine-data.js';
import { type EngineRowWeights, rowWeightsInEngine, sampleWeightColumn } from './engine-weights.js';
import { FLAG_NAMES } from './options.js';
import type { TRAIN_MISSING } from './train-data.js';
import { notAClass } from './train-rows.js';
import type { World } from './world.js';

/** The rows used (`from`), each input in the frame ((x − mean) / scale, over `from`), the label as 0 or 1 (`y`). */
export interface EngineSummaryQuery extends Pick<StepQuery, 'from' | 'inputs' | 'y'> {
  readonly engine: Engine;
  readonly weights: EngineRowWeights;
  readonly names: readonly string[];
  readonly frame: Frame;
  /** The model's scaling when the frame's x is the data standardised by it. */
  readonly scaling: Scaling | undefined;
  readonly l2: number;
  /** The penalty's scale per feature (newton-sums.ts's `scale`). */
  readonly penaltyScale: Float64Array;
  /** θ in the frame, bias first (the step query's order). */
  readonly theta: Float64Array;
  /** The step query's sums at θ, when the caller has them. */
  readonly sums?: StepSums | undefined;
}

/** Bias first (the step query's order) to bias last (the in-process solvers' and statistics.ts's). */
function biasLast(values: Float64Array, k: number, matrix: boolean): Float64Array {
  const at = (i: number) => (i === k - 1 ? 0 : i + 1);
  if (!matrix) return Float64Array.from({ length: k }, (_, i) => values[at(i)] as number);
  return Float64Array.from({ length: k * k }, (_, i) => values[at(Math.floor(i / k)) * k + at(i % k)] as number);
}

/** One summary query's row as a k × k Gram matrix (bias first) and the totals. */
function gramOf(row: readonly unknown[], k: number): { rows: number; weight: number; positive: number; gram: Float64Array } {
  const gram = new Float64Array(k * k);
  upperPairs(k).forEach(([j, m], i) => {
    const v = Number(row[3 + i]);
    gram[j * k + m] = v;
    gram[m * k + j] = v;
  });
  return { rows: Number(row[0]), weight: Number(row[1]), positive: Number(row[2]), gram };
}

export async function summaryInEngine(q: EngineSummaryQuery): Promise<Summary> {
  const { engine, theta } = q;
  const k = theta.length;
  const base = { dialect: engine.dialect, from: q.from, inputs: q.inputs, y: q.y, sample: q.weights.sample };
  const sums =
    q.sums ??
    (await (async () => {
      const [row] = await engine.rows(
        stepSql({ ...base, classWeights: q.weights.classWeights, bias: theta[0] as number, weights: Array.from(theta.subarray(1)) }),
      );
      return stepSumsOf(row ?? [], k);
    })());
  const state = stateOf(theta, sums, { l2: q.l2, scale: q.penaltyScale });
  const [row] = await engine.rows(gramSql({ ...base, classWeights: q.weights.classWeights }));
  const totals = gramOf(row ?? [], k);
  return summaryOf({
    names: q.names,
    rows: sums.n,
    frame: q.frame,
    scaling: q.scaling,
    point: {
      theta: biasLast(theta, k, false),
      loss: state.loss,
      gradientNorm: state.gradientNorm,
      hessian: biasLast(state.hessian, k, true),
    },
    totalWeight: totals.weight,
    positiveWeight: totals.positive,
    rank: rank(biasLast(totals.gram, k, true), k),
    l2: q.l2,
    weighted: q.weights.sample !== undefined || q.weights.classWeights !== undefined,
  });
}

export interface EngineSummaryOptions extends EngineOptions {
  readonly label: string;
  readonly l2?: number | undefined;
  readonly C?: number | undefined;
  readonly sampleWeight?: string | undefined;
  readonly missing: (typeof TRAIN_MISSING)[number];
}

/** θ in the frame, bias first, from a model's weights and bias. */
function biasFirst(frame: Frame, weights: readonly number[], bias: number): Float64Array {
  const theta = fromData(frame, weights, bias);
  const d = weights.length;
  return Float64Array.from({ length: d + 1 }, (_, i) => theta[i === 0 ? d : i - 1] as number);
}

/** `summary --engine`: the model's statistics on the rows in the engine, read as in-process summary reads a CSV. */
export async function summaryOfEngineData(world: World, dataPath: string | undefined, model: Model, options: EngineSummaryOptions): Promise<Summary> {
  return withEngine(world, dataPath, options, async (engine) => {
    const { columns, source } = await engineColumns(engine);
    const file = engine.name;
    const bound = bindModel({ ...model, scaling: undefined }, columns, { label: options.label, dataFile: file, names: FLAG_NAMES });
    const cellsOf = inputCells(engine, source, bound);
    const d = bound.inputNames.length;
    const sampleCell = cellsOf.inputs.length;
    const sample = options.sampleWeight === undefined ? [] : [sampleWeightColumn(engine, columns, source, options.sampleWeight)];
    const cells: CellsQuery = {
      dialect: engine.dialect,
      from: engine.from,
      ...cellsOf,
      inputs: [...cellsOf.inputs, ...sample],
      ...(cellsOf.encoded === undefined || sample.length === 0 ? {} : { encoded: [...cellsOf.encoded, { cell: sampleCell }] }),
      keep: [],
      label: source[bound.labelIndex as number],
      labelMissing: true,
    };
    const classes = model.classes;
    const used = await checkedRows(world, engine, cells, options.missing, {
      classes,
      refuse: (value) => {
        throw notAClass(options.label, value, classes, {});
      },
    });
    const y = labelSql(engine.dialect, 'neuron_label', classes);
    const weights = await rowWeightsInEngine({
      engine,
      cells,
      missing: options.missing,
      sample: options.sampleWeight === undefined ? undefined : { cell: sampleCell, input: d, name: options.sampleWeight },
      y,
    });
    const number = dialects[engine.dialect].number;
    const { scaling } = model;
    // The model's inputs as it reads them (standardised by its scaling), then the frame of those, as in-process.
    const given = Array.from({ length: d }, (_, j) =>
      scaling === undefined
        ? usedInput(j)
        : standardizedTerm(
            { feature: usedInput(j), weight: 1, scaling: { mean: scaling.mean[j] as number, std: scaling.std[j] as number } },
            usedInput(j),
            number,
          ),
    );
    const [moments] = await engine.rows(`SELECT ${given.map((x) => `avg(${x}), stddev_pop(${x})`).join(', ')}, count(*), sum(${y}) FROM ${used}`);
    const rows = Number(moments?.[2 * d]);
    const positive = Number(moments?.[2 * d + 1]);
    if (positive === 0 || positive === rows) {
      throw new NeuronError(
        'one-class',
        `--label column ${JSON.stringify(options.label)} has one class only (${JSON.stringify(classes[positive === 0 ? 0 : 1])})`,
        { file },
        'training needs rows of both classes',
      );
    }
    const frame: Frame = { mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
    for (let j = 0; j < d; j++) {
      const std = Number(moments?.[2 * j + 1]);
      if (!(std > 0 && Number.isFinite(std) && Number.isFinite(1 / (std * std)))) continue;
      frame.mean[j] = Number(moments?.[2 * j]);
      frame.scale[j] = std;
    }
    const inputs = given.map((x, j) =>
      standardizedTerm({ feature: x, weight: 1, scaling: { mean: frame.mean[j] as number, std: frame.scale[j] as number } }, x, number),
    );
    return summaryInEngine({
      engine,
      from: used,
      inputs,
      y,
      weights,
      names: model.features ?? [],
      frame,
      scaling,
      l2: options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * rows),
      penaltyScale: frame.scale,
      theta: biasFirst(frame, model.weights, model.bias),
    });
  });
}
