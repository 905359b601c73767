/**
 * `train --engine duckdb|postgres`: logistic regression fitted where the data
 * lives. The engine checks every cell by neuron's input rules, finds the
 * label's values and the features' moments, then runs the step query
 * (src/export/train-step.ts) once per Newton trial point; only sums come
 * back. The loop is src/learn/newton-sums.ts (descent.ts's, on sums). The model file is the one
 * in-process `train` writes for the same rows.
 */
import { NeuronError } from '../errors.js';
import type { CellsQuery } from '../export/engine-query.js';
import { labelSql, stepSql, stepSumsOf } from '../export/train-step.js';
import type { Engine } from '../io/engines/engine.js';
import { newtonOnSums } from '../learn/newton-sums.js';
import { type ClassWeightOption, classWeightsFor } from '../learn/row-weights.js';
import { DEFAULT_MAX_ITER } from '../learn/solvers.js';
import type { Summary } from '../learn/statistics.js';
import { findColumn } from '../neuron/columns.js';
import { sortLabels } from '../neuron/labels.js';
import { type AnyModel, formatModel, type Model } from '../neuron/model.js';
import { formatSummary } from '../render/summary.js';
import { checkedRows, type EngineOptions, engineColumns, inputColumns, withEngine } from './engine-data.js';
import { engineFrame } from './engine-frame.js';
import { summaryInEngine } from './engine-summary.js';
import { fitLayerInEngine, layerClasses } from './engine-train-layer.js';
import { rowWeightsInEngine, sampleWeightColumn } from './engine-weights.js';
import { checkInterrupt } from './input.js';
import { writeText } from './output-target.js';
import { type TRAIN_MISSING, trainInputs } from './train-data.js';
import { say, type World } from './world.js';

export interface EngineTrainOptions extends EngineOptions {
  readonly label: string;
  readonly features?: string[] | undefined;
  readonly l2?: number | undefined;
  readonly C?: number | undefined;
  readonly gtol: number;
  readonly maxIter?: number | undefined;
  readonly standardize: boolean;
  readonly classes?: string[] | undefined;
  readonly missing: (typeof TRAIN_MISSING)[number];
  readonly classWeight?: ClassWeightOption | undefined;
  readonly sampleWeight?: string | undefined;
  readonly summary: boolean;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly output?: string | undefined;
  // In-process train's options that an engine does not run (refused).
  readonly solver: string;
  readonly history?: string | undefined;
  readonly epochs?: number | undefined;
  readonly lr?: number | undefined;
  readonly tol?: number | undefined;
  readonly seed?: number | undefined;
  readonly init?: string | undefined;
}

/** Refuses the options of in-process train that --engine does not run. */
function refuseInProcessOnly(options: EngineTrainOptions): void {
  const flags: [string, boolean][] = [
    [`--solver ${options.solver}`, options.solver !== 'auto' && options.solver !== 'newton'],
    ['--history', options.history !== undefined],
    ['--epochs', options.epochs !== undefined],
    ['--lr', options.lr !== undefined],
    ['--tol', options.tol !== undefined],
    ['--seed', options.seed !== undefined],
    ['--init', options.init !== undefined],
  ];
  const given = flags.filter(([, set]) => set).map(([flag]) => flag);
  if (given.length > 0) {
    throw new NeuronError(
      'conflicting-options',
      `--engine fits by Newton's method from zeros and does not take ${given.join(', ')}`,
      {},
      `drop ${given.join(', ')}, or train in-process (without --engine)`,
    );
  }
  if (options.l2 !== undefined && options.C !== undefined) {
    throw new NeuronError('conflicting-options', '--l2 and --C both set the penalty', {}, 'give one: --C c means --l2 1/(c · rows)');
  }
}

/**
 * Class 0 and class 1 from the label's distinct values, as in-process train chooses them. Three or more values went to
 * the softmax layer (layerClasses) unless --classes names two, and then one of the three read is not one of them.
 */
async function labelClasses(engine: Engine, used: string, options: EngineTrainOptions): Promise<[string, string]> {
  const rows = await engine.rows(`SELECT DISTINCT trim(neuron_label) FROM ${used} LIMIT 3`);
  // In a stable order for messages (DISTINCT has none); sortLabels decides the classes.
  const values = rows.map((row) => String(row[0] ?? '')).sort();
  const label = JSON.stringify(options.label);
  const listed = (list: readonly string[]) => list.map((v) => JSON.stringify(v)).join(', ');
  const given = options.classes;
  if (given?.length === 2) {
    const stranger = values.find((v) => !given.includes(v));
    if (stranger !== undefined) {
      throw new NeuronError(
        'bad-label',
        `--label column ${label}: ${JSON.stringify(stranger)} is not one of --classes (${listed(given)})`,
        { file: engine.name },
        'train fits two classes; keep only rows of two classes',
      );
    }
  }
  if (values.length < 2) {
    throw new NeuronError(
      'one-class',
      `--label column ${label} has one class only (${JSON.stringify(values[0] ?? '')})`,
      { file: engine.name },
      'training needs rows of both classes',
    );
  }
  if (given?.length === 2) return [given[0] ?? '', given[1] ?? ''];
  const [a, b] = [values[0] ?? '', values[1] ?? ''];
  const wanted = given?.[0];
  if (wanted !== undefined) {
    if (wanted !== a && wanted !== b) {
      throw new NeuronError(
        'unknown-class',
        `--classes ${JSON.stringify(wanted)} is not a value of the --label column (${listed([a, b])})`,
        {},
        'name one of the label values',
      );
    }
    return wanted === a ? [b, a] : [a, b];
  }
  return sortLabels(a, b);
}

export interface EngineFit {
  readonly model: AnyModel;
  /** The line on stderr: how the fit went. */
  readonly line: string;
  /** --summary: the coefficient table. */
  readonly summary: Summary | undefined;
  /** Converged, and not on data a line separates. */
  readonly optimal: boolean;
}

async function fitInEngine(world: World, engine: Engine, options: EngineTrainOptions): Promise<EngineFit> {
  const { columns, source } = await engineColumns(engine);
  const file = engine.name;
  const { names, indices } = trainInputs(columns, options, file);
  const labelIndex = findColumn(columns, options.label, '--label column', file);
  const d = names.length;
  // The --sample-weight column is one more cell (after the inputs, as train reads a row), input d of the used rows.
  const sample = options.sampleWeight === undefined ? [] : [sampleWeightColumn(engine, columns, source, options.sampleWeight)];
  const cells: CellsQuery = {
    dialect: engine.dialect,
    from: engine.from,
    inputs: [...inputColumns(engine, source, indices), ...sample],
    keep: [],
    label: source[labelIndex],
    labelMissing: true,
  };
  const used = await checkedRows(world, engine, cells, options.missing);
  const layer = await layerClasses(engine, used, options);
  if (layer !== undefined) return fitLayerInEngine(world, engine, { used, names, classes: layer }, options);
  const classes = await labelClasses(engine, used, options);
  const y = labelSql(engine.dialect, 'neuron_label', classes);
  const rowWeights = await rowWeightsInEngine({
    engine,
    cells,
    missing: options.missing,
    sample: options.sampleWeight === undefined ? undefined : { cell: d, input: d, name: options.sampleWeight },
    classWeights: classWeightsFor(options.classWeight, classes),
    y,
  });

  const { mean, scale, inputs, rows } = await engineFrame(engine, used, names, options.standardize);
  const step = { dialect: engine.dialect, from: used, inputs, y, sample: rowWeights.sample, classWeights: rowWeights.classWeights };
  const sumsAt = async (theta: Float64Array) => {
    checkInterrupt(world);
    const [row] = await engine.rows(stepSql({ ...step, bias: theta[0] as number, weights: Array.from(theta.subarray(1)) }));
    return stepSumsOf(row ?? [], d + 1);
  };
  // --C c is scikit-learn's C: lambda = 1 / (c · rows), as in-process.
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * rows);
  const maxIter = options.maxIter ?? DEFAULT_MAX_ITER.newton;
  // The penalty is on the model's weights: the standardised ones with --standardize (as in-process, which trains on
  // the standardised data), else the data's own.
  const penalised = options.standardize ? new Float64Array(d).fill(1) : scale;
  const { state, stop, iterations, queries } = await newtonOnSums(sumsAt, d + 1, { l2, scale: penalised, gtol: options.gtol, maxIter });
  const summary = options.summary
    ? await summaryInEngine({
        engine,
        from: used,
        inputs,
        y,
        weights: rowWeights,
        names,
        frame: { mean, scale },
        scaling: undefined,
        l2,
        penaltyScale: penalised,
        theta: state.theta,
        sums: state.sums,
      })
    : undefined;

  // θ in the frame to the model: standardizedTerm (its scaling is the frame), or the data's own weights.
  const frameWeights = Array.from(state.theta.subarray(1));
  let bias = state.theta[0] as number;
  const weights = frameWeights.map((w, j) => {
    const raw = w / (scale[j] as number);
    bias -= raw * (mean[j] as number);
    return raw;
  });
  const model: Model = {
    features: names,
    weights: options.standardize ? frameWeights : weights,
    bias: options.standardize ? (state.theta[0] as number) : bias,
    activation: 'sigmoid',
    classes,
    threshold: undefined,
    init: undefined,
    ...(options.standardize ? { scaling: { mean: Array.from(mean), std: Array.from(scale) } } : {}),
  };
  const n = state.sums.n;
  const percent = ((100 * state.sums.correct) / n).toFixed(2);
  // Every row right at an unpenalised fit: a line separates the classes, and the loss has no minimum.
  const separated =
    l2 === 0 && state.sums.correct === n
      ? '; every row is classified right: a line separates the classes, so the weights grow as far as the tolerance lets them and are not unique (--l2 or --C gives a finite optimum)'
      : '';
  const ended =
    stop === 'converged'
      ? separated
      : `; did not converge (${stop === 'max-iter' ? `--max-iter ${maxIter}` : 'no step lowered the objective'}: the data may be separable, try --l2)`;
  const weighted = rowWeights.sample !== undefined || rowWeights.classWeights !== undefined ? 'weighted ' : '';
  const line =
    `trained by Newton's method in ${engine.dialect}: ${iterations} iterations (${queries} step queries), ${weighted}mean log loss ${state.loss.toFixed(6)}, ` +
    `gradient norm ${state.gradientNorm.toExponential(1)}, accuracy ${state.sums.correct}/${n} = ${percent}% on the training data${ended}`;
  return { model, line, summary, optimal: stop === 'converged' && separated === '' };
}

/** Fits in the engine, writes the model (atomically with -o) and says how it went. */
export async function trainInEngine(world: World, dataPath: string | undefined, options: EngineTrainOptions): Promise<void> {
  refuseInProcessOnly(options);
  const { model, line, summary, optimal } = await withEngine(world, dataPath, options, (engine) => fitInEngine(world, engine, options));
  if (!optimal && options.strict) {
    say(world, line);
    throw new NeuronError('not-optimal', 'nothing written (--strict)', {}, 'the message above says why and what to do');
  }
  await writeText(world, options.output, formatModel(model));
  if (!options.quiet) say(world, line);
  if (summary !== undefined) world.stderr.write(formatSummary(summary, options.label));
}
