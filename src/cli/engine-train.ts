/**
 * `train --engine duckdb|postgres`: logistic regression fitted where the data
 * lives. The engine checks every cell by neuron's input rules, finds the
 * label's values and the features' moments, then runs the step query
 * (src/export/train-step.ts) once per Newton trial point; only sums come
 * back. The loop is src/learn/newton-sums.ts (descent.ts's, on sums). The model file is the one
 * in-process `train` writes for the same rows.
 */
import { NeuronError } from '../errors.js';
import { type CellsQuery, usedRowsSql } from '../export/engine-query.js';
import { labelSql, stepColumns, stepSql } from '../export/train-step.js';
import type { Engine, EngineValue } from '../io/engines/engine.js';
import { newtonOnSums, type StepSums } from '../learn/newton-sums.js';
import { DEFAULT_MAX_ITER } from '../learn/solvers.js';
import { checkUniqueInputs, defaultInputs, findColumn } from '../neuron/columns.js';
import { sortLabels } from '../neuron/labels.js';
import { type AnyModel, formatModel, type Model } from '../neuron/model.js';
import { checkCells, type EngineOptions, engineColumns, inputColumns, withEngine } from './engine-data.js';
import { engineFrame } from './engine-frame.js';
import { fitLayerInEngine, layerClasses } from './engine-train-layer.js';
import { checkInterrupt } from './input.js';
import { writeText } from './output-target.js';
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
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly output?: string | undefined;
  // In-process train's options that an engine does not run (refused).
  readonly solver: string;
  readonly classWeight?: unknown;
  readonly sampleWeight?: string | undefined;
  readonly summary: boolean;
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
    ['--class-weight', options.classWeight !== undefined],
    ['--sample-weight', options.sampleWeight !== undefined],
    ['--summary', options.summary],
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

/** Class 0 and class 1 from the label's distinct values (at most three are read), as in-process train chooses them. */
async function labelClasses(engine: Engine, cells: CellsQuery, options: EngineTrainOptions): Promise<[string, string]> {
  const rows = await engine.rows(`SELECT DISTINCT trim(COALESCE(neuron_label, '')) FROM (${usedRowsSql(cells, 'error')}) AS neuron_used LIMIT 3`);
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
  if (values.length > 2) {
    throw new NeuronError(
      'bad-label',
      `--label column ${label} has more than two values (${listed(values)})`,
      { file: engine.name },
      '--engine fits two classes; train three or more in-process (without --engine), or keep only rows of two classes',
    );
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

/** The step query's row as sums (the Hessian filled in from its upper triangle). */
function sumsOf(row: readonly EngineValue[], k: number): StepSums {
  const names = stepColumns(k - 1);
  const at = (name: string) => Number(row[names.indexOf(name)] ?? Number.NaN);
  const hessian = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let m = j; m < k; m++) {
      const h = at(`h${j}_${m}`);
      hessian[j * k + m] = h;
      hessian[m * k + j] = h;
    }
  }
  return { n: at('n'), loss: at('loss'), correct: at('correct'), gradient: Float64Array.from({ length: k }, (_, j) => at(`g${j}`)), hessian };
}

export interface EngineFit {
  readonly model: AnyModel;
  readonly summary: string;
  /** Converged, and not on data a line separates. */
  readonly optimal: boolean;
}

async function fitInEngine(world: World, engine: Engine, options: EngineTrainOptions): Promise<EngineFit> {
  const { columns, source } = await engineColumns(engine);
  const file = engine.name;
  const labelIndex = findColumn(columns, options.label, '--label column', file);
  const names = options.features ?? defaultInputs(columns, { label: options.label, dataFile: file });
  checkUniqueInputs(names, options.features === undefined ? 'the header' : '--features');
  const indices = names.map((name) => findColumn(columns, name, '--features column', file));
  if (indices.includes(labelIndex)) {
    throw new NeuronError('label-is-input', `--label column ${JSON.stringify(options.label)} is also in --features`, {}, 'a label cannot be a feature');
  }
  if (names.length === 0) throw new NeuronError('no-inputs', 'no input columns: the data has only the label column', { file }, 'add feature columns');
  const cells: CellsQuery = { dialect: engine.dialect, from: engine.from, inputs: inputColumns(engine, source, indices), keep: [], label: source[labelIndex] };
  const checked = await checkCells(world, engine, cells, 'error');
  const layer = await layerClasses(engine, cells, options);
  if (layer !== undefined) return fitLayerInEngine(world, engine, { cells, names, rows: checked.rows, classes: layer }, options);
  const classes = await labelClasses(engine, cells, options);
  const used = `(${usedRowsSql(cells, 'error')}) AS neuron_used`;

  const d = names.length;
  const { mean, scale, inputs } = await engineFrame(engine, used, names, options.standardize);
  // An empty label cell is a label value, as in-process (DuckDB reads it from a CSV as NULL).
  const y = labelSql(engine.dialect, "COALESCE(neuron_label, '')", classes);
  const sumsAt = async (theta: Float64Array) => {
    checkInterrupt(world);
    const query = stepSql({ dialect: engine.dialect, from: used, inputs, y, bias: theta[0] as number, weights: Array.from(theta.subarray(1)) });
    const [row] = await engine.rows(query);
    return sumsOf(row ?? [], d + 1);
  };
  // --C c is scikit-learn's C: lambda = 1 / (c · rows), as in-process.
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * checked.rows);
  const maxIter = options.maxIter ?? DEFAULT_MAX_ITER.newton;
  // The penalty is on the model's weights: the standardised ones with --standardize (as in-process, which trains on
  // the standardised data), else the data's own.
  const penalised = options.standardize ? new Float64Array(d).fill(1) : scale;
  const { state, stop, iterations, queries } = await newtonOnSums(sumsAt, d + 1, { l2, scale: penalised, gtol: options.gtol, maxIter });

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
  const summary =
    `trained by Newton's method in ${engine.dialect}: ${iterations} iterations (${queries} step queries), mean log loss ${state.loss.toFixed(6)}, ` +
    `gradient norm ${state.gradientNorm.toExponential(1)}, accuracy ${state.sums.correct}/${n} = ${percent}% on the training data${ended}`;
  return { model, summary, optimal: stop === 'converged' && separated === '' };
}

/** Fits in the engine, writes the model (atomically with -o) and says how it went. */
export async function trainInEngine(world: World, dataPath: string | undefined, options: EngineTrainOptions): Promise<void> {
  refuseInProcessOnly(options);
  const { model, summary, optimal } = await withEngine(world, dataPath, options, (engine) => fitInEngine(world, engine, options));
  if (!optimal && options.strict) {
    say(world, summary);
    throw new NeuronError('not-optimal', 'nothing written (--strict)', {}, 'the message above says why and what to do');
  }
  await writeText(world, options.output, formatModel(model));
  if (!options.quiet) say(world, summary);
}
