/**
 * `train --engine duckdb|postgres` on a label of three or more values: a
 * softmax layer fitted where the data lives, by the Newton iteration of
 * in-process k-class train (src/learn/multinomial.ts: its objective, frame,
 * penalty, class order and stopping rule), one step query
 * (src/export/train-step-layer.ts) per trial point; the loop on its sums is
 * src/learn/multinomial-sums.ts. The model file is the one in-process
 * `train` writes for the same rows. engine-train.ts reads the columns and
 * checks the cells, then hands over here when the label has k >= 3 values.
 */
import { NeuronError } from '../errors.js';
import { labelSql } from '../export/train-step.js';
import { layerStepColumns, layerStepSql } from '../export/train-step-layer.js';
import type { Engine } from '../io/engines/engine.js';
import type { Frame } from '../learn/logistic.js';
import { centredLayer } from '../learn/multinomial.js';
import { type LayerStepSums, layerOnSums } from '../learn/multinomial-sums.js';
import { DEFAULT_MAX_ITER, NEWTON_MAX_FEATURES } from '../learn/solvers.js';
import { SOFTMAX, type SoftmaxModel } from '../neuron/model.js';
import { engineFrame } from './engine-frame.js';
import type { EngineFit, EngineTrainOptions } from './engine-train.js';
import { checkInterrupt } from './input.js';
import { describeLayerSeparation } from './separation-words.js';
import { sortedLabels } from './train-data.js';
import type { World } from './world.js';

/** More label values than this are not read (Newton's k·(d + 1) parameters stay within NEWTON_MAX_FEATURES). */
const MOST_CLASSES = NEWTON_MAX_FEATURES;

/** The label's values in in-process train's order when there are three or more, else undefined (two classes: engine-train.ts). */
export async function layerClasses(engine: Engine, used: string, options: EngineTrainOptions): Promise<string[] | undefined> {
  if (options.classes?.length === 2) return undefined;
  const rows = await engine.rows(`SELECT DISTINCT trim(neuron_label) FROM ${used} LIMIT ${MOST_CLASSES + 1}`);
  if (rows.length < 3) return undefined;
  const wanted = options.classes?.[0];
  if (wanted !== undefined) {
    throw new NeuronError(
      'conflicting-options',
      `--classes ${JSON.stringify(wanted)} names class 1 of two, but the --label column has ${rows.length > MOST_CLASSES ? `more than ${MOST_CLASSES}` : rows.length} classes`,
      {},
      'drop --classes to fit every class (softmax), or keep only rows of two classes',
    );
  }
  return sortedLabels(rows.map((row) => String(row[0] ?? '')));
}

/** What engine-train.ts has read: the checked rows (a FROM item), the features and the classes. */
export interface LayerInput {
  readonly used: string;
  readonly names: readonly string[];
  readonly classes: readonly string[];
}

/** The options of in-process k-class train that an engine does not run yet. */
function refuseForEngineLayer(options: EngineTrainOptions, k: number, d: number): void {
  if (options.summary) {
    throw new NeuronError(
      'conflicting-options',
      `the --label column has ${k} classes, and a softmax layer does not take --summary`,
      {},
      'drop --summary (summary is for two classes)',
    );
  }
  const given = [options.classWeight === undefined ? '' : '--class-weight', options.sampleWeight === undefined ? '' : '--sample-weight'].filter(
    (f) => f !== '',
  );
  if (given.length > 0) {
    throw new NeuronError(
      'conflicting-options',
      `the --label column has ${k} classes, and --engine fits a softmax layer without row weights: it does not take ${given.join(' or ')}`,
      {},
      `drop ${given.join(' and ')}, or train the layer in-process (without --engine)`,
    );
  }
  if (k * (d + 1) > NEWTON_MAX_FEATURES) {
    throw new NeuronError(
      'conflicting-options',
      `the --label column has ${k > MOST_CLASSES ? `more than ${MOST_CLASSES}` : k} classes over ${d} features: ${k > MOST_CLASSES ? 'too many' : k * (d + 1)} parameters, more than Newton's method on an engine takes (${NEWTON_MAX_FEATURES})`,
      {},
      'train in-process (without --engine), which switches to L-BFGS, or use fewer features or classes',
    );
  }
}

/** Fits the layer in the engine: the model, the line that says how it went, and whether it is the optimum. */
export async function fitLayerInEngine(world: World, engine: Engine, input: LayerInput, options: EngineTrainOptions): Promise<EngineFit> {
  const { used, names, classes } = input;
  const d = names.length;
  const k = classes.length;
  refuseForEngineLayer(options, k, d);
  const { mean, scale, inputs, rows } = await engineFrame(engine, used, names, options.standardize);
  const y = labelSql(engine.dialect, 'neuron_label', classes);
  const columns = layerStepColumns(k, d, true);
  const width = d + 1;
  // θ: k blocks of d + 1, bias last (multinomial.ts's), as the query's biases and weights.
  const layerOf = (theta: Float64Array) => ({
    bias: Array.from({ length: k }, (_, c) => theta[c * width + d] as number),
    weights: Array.from({ length: k }, (_, c) => Array.from(theta.subarray(c * width, c * width + d))),
  });
  const sumsAt = async (theta: Float64Array, before: Float64Array | undefined): Promise<LayerStepSums> => {
    checkInterrupt(world);
    const query = layerStepSql({
      dialect: engine.dialect,
      from: used,
      inputs,
      y,
      ...layerOf(theta),
      before: before === undefined ? undefined : layerOf(before),
    });
    const [row] = await engine.rows(query);
    const at = (name: string) => Number(row?.[columns.indexOf(name)] ?? Number.NaN);
    const values = (row ?? []).map((v) => Number(v ?? Number.NaN));
    const g = 4 + k * width;
    const h = g + ((k * (k + 1)) / 2) * ((width * (width + 1)) / 2);
    return {
      n: at('n'),
      loss: at('loss'),
      correct: at('correct'),
      gradient: values.slice(4, g),
      blocks: values.slice(g, h),
      margins: before === undefined ? undefined : { right: at('right'), low: at('low'), high: at('high') },
    };
  };
  // --C c is scikit-learn's C: λ = 1 / (c · rows), as in-process.
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * rows);
  const maxIter = options.maxIter ?? DEFAULT_MAX_ITER.newton;
  // With --standardize the model's inputs are the z-scored features (in-process trains on them, in a frame of
  // mean 0 and scale 1): the penalty is on θ itself and θ is the model. Else the data's own weights.
  const ones: Frame = { mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
  const penaltyFrame: Frame = options.standardize ? ones : { mean, scale };
  const { point, stop, iterations, queries, separation } = await layerOnSums(sumsAt, { d, k, frame: penaltyFrame, l2, gtol: options.gtol, maxIter });
  const { weights, bias } = centredLayer(options.standardize ? ones : { mean, scale }, point.theta, k);
  const model: SoftmaxModel = {
    features: [...names],
    weights,
    bias,
    activation: SOFTMAX,
    classes: [...classes],
    init: undefined,
    ...(options.standardize ? { scaling: { mean: Array.from(mean), std: Array.from(scale) } } : {}),
  };
  const n = point.n;
  const percent = ((100 * point.correct) / n).toFixed(2);
  const ended =
    stop === 'converged'
      ? ''
      : stop === 'separated' && separation !== undefined
        ? `; ${describeLayerSeparation(separation.kind, undefined, separation.direction, names, iterations)}`
        : `; did not converge (${stop === 'max-iter' ? `--max-iter ${maxIter}` : 'no step lowered the objective'}: raise --max-iter, or add --l2/--C)`;
  const line =
    `trained a softmax layer of ${k} classes by Newton's method in ${engine.dialect}: ${iterations} ${iterations === 1 ? 'iteration' : 'iterations'} (${queries} step queries), ` +
    `mean log loss ${point.loss.toFixed(6)}${l2 > 0 ? ` (objective with the penalty ${point.objective.toFixed(6)})` : ''}, ` +
    `gradient norm ${point.gradientNorm.toExponential(1)}, accuracy ${point.correct}/${n} = ${percent}% on the training data${ended}`;
  return { model, line, summary: undefined, optimal: stop === 'converged' };
}
