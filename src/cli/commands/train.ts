/** `neuron train`: fit the weights and bias to labelled data (logistic regression: Newton, L-BFGS or gradient descent; softmax for k classes). */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { designOf, type ImputeSpec, standardizeDesign } from '../../learn/design.js';
import { frameGradientNorm, frameOf, fromData, type Problem, toData } from '../../learn/logistic.js';
import { type MultinomialData, MultinomialFit } from '../../learn/multinomial.js';
import { classWeightsFor, rowWeights } from '../../learn/row-weights.js';
import { chooseSolver, DEFAULT_GTOL, DEFAULT_MAX_ITER, Fit, type IterativeSolver, type SolverName, type Stop, solverNames } from '../../learn/solvers.js';
import { summarize } from '../../learn/statistics.js';
import { type Dataset, Trainer, result as trainResult } from '../../learn/train.js';
import { type InitScheme, initSchemes, randomWeights } from '../../neuron/init.js';
import { type AnyModel, formatModel, type Model, type ModelBase, type Scaling, SOFTMAX, type SoftmaxModel } from '../../neuron/model.js';
import { formatSummary } from '../../render/summary.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import {
  checkThreads,
  parseClassWeight,
  parseCount,
  parseImpute,
  parseList,
  parseNonNegativeNumber,
  parsePositiveNumber,
  parseSeed,
  parseTrainClasses,
  shared,
} from '../options.js';
import { writeText } from '../output-target.js';
import { describeLayerSeparation, describeSeparation, leadingFeatures } from '../separation-words.js';
import { loadData, RawReader, TRAIN_MISSING } from '../train-data.js';
import { formatHistory, type HistoryRecord, runDescent, runFit } from '../training.js';
import { say, type World } from '../world.js';

export interface TrainCommandOptions {
  label: string;
  features?: string[];
  categorical?: string[];
  impute?: ImputeSpec;
  solver: SolverName;
  epochs?: number;
  lr?: number;
  tol?: number;
  gtol: number;
  maxIter?: number;
  l2?: number;
  C?: number;
  classWeight?: 'balanced' | Map<string, number>;
  sampleWeight?: string;
  strict: boolean;
  summary: boolean;
  history?: string;
  seed?: number;
  init?: InitScheme;
  standardize: boolean;
  classes?: string[];
  missing: (typeof TRAIN_MISSING)[number];
  delimiter: string;
  header: boolean;
  quiet: boolean;
  output?: string;
  engine?: EngineName;
  db?: string;
  table?: string;
  threads?: number;
  blockBytes: number;
}

/** The trainer's errors in the words of the command line. */
const TRAIN_WORDING = {
  'constant-feature': (error: NeuronError) => ({
    message: `${error.message}, so --standardize cannot scale it`,
    hint: 'leave it out with --features, or train without --standardize',
  }),
  'loss-overflow': () => ({ hint: 'scale the inputs down, or use --standardize' }),
  'loss-diverged': () => ({ hint: 'lower --lr, or use --standardize' }),
  'loss-rose': () => ({ hint: 'lower --lr or use --standardize' }),
  'missing-value': () => ({ hint: 'fill in the value, pass --missing skip (drop the row), or fill the column with --impute (such as --impute median)' }),
} as const;

export function trainCommand(program: Command, world: World): void {
  program
    .command('train')
    .description(
      'fit the weights and bias to labelled data: logistic regression, to the optimum of the mean log loss (Newton or L-BFGS), or by gradient descent; three or more classes: a softmax layer (multinomial)',
    )
    .argument('[data]', 'CSV file with a header line, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .requiredOption('--label <column>', 'the column holding the class of each row (two values: one sigmoid neuron; three or more: a softmax layer)')
    .addOption(shared.features('input columns, comma-separated (default: every column but the label and --sample-weight)'))
    .option(
      '--categorical <columns>',
      'one-hot encode these input columns (comma-separated): one input column=category per category, stored in the model',
      parseList,
    )
    .option(
      '--impute <fills>',
      'fill missing cells: mean, median, zero or constant=V for every input, and/or COLUMN=STRATEGY per column (median,port=constant=S); stored in the model',
      parseImpute,
    )
    .addOption(
      new Option('--solver <name>', 'auto: Newton up to 200 features, else L-BFGS; gd: gradient descent (implied by --lr, --epochs or --tol)')
        .choices(solverNames)
        .default('auto'),
    )
    .option('--l2 <lambda>', 'L2 penalty (lambda / 2)·|w|², the bias excluded (default 0)', parseNonNegativeNumber)
    .option('--C <c>', "scikit-learn's C: the same penalty with lambda = 1 / (C · rows)", parsePositiveNumber)
    .option('--class-weight <weights>', 'balanced (n / (k · rows of the class), k classes), or class=weight,... by class name', parseClassWeight)
    .option('--sample-weight <column>', "a column holding each row's weight (a number >= 0)")
    .option('--standardize', 'z-score each feature; the mean and std go into the weights file as "scaling"', false)
    .option('--gtol <g>', 'newton/lbfgs: stop when the largest gradient entry (z-scored units) is at most g', parsePositiveNumber, DEFAULT_GTOL)
    .option('--max-iter <n>', 'newton/lbfgs: most iterations (default 100 newton, 10000 lbfgs)', parseCount)
    .option('--epochs <n>', 'gd: passes over the data (default 1000)', parseCount)
    .option('--lr <rate>', 'gd: learning rate (default 0.1)', parsePositiveNumber)
    .option('--tol <t>', 'gd: stop early when an epoch lowers the objective by less than t', parsePositiveNumber)
    .option('--seed <n>', "start from random-init's weights for this seed (default scheme xavier-uniform)", parseSeed)
    .addOption(new Option('--init <scheme>', 'starting weights (default: zeros; other schemes as random-init)').choices(initSchemes))
    .option('--classes <names>', 'the label value that is class 1, or both classes "class0,class1" (default: sorted label values)', parseTrainClasses)
    .addOption(shared.missing(TRAIN_MISSING, 'a missing value (empty, NA, N/A, NaN, null, None) in an input or the label'))
    .option('--strict', 'exit 1 (writing nothing) when the data is separated or the solver does not converge', false)
    .option('--summary', 'print the coefficient table (as `neuron summary`) on stderr after training', false)
    .option('--history <file>', 'write one JSON line per iteration or epoch (objective, loss, gradient norm, accuracy)')
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .option('-q, --quiet', 'no progress line and no summary line on stderr', false)
    .addOption(shared.output('write the weights to this file (atomically) instead of standard output'))
    .addOption(shared.threads('worker threads that read a large file into the training matrix (default: 1)'))
    .addOption(shared.blockBytes())
    .addOption(shared.engine("fit by Newton's method in an engine, one aggregate query per step: duckdb (a file or glob) or postgres (--db, --table)"))
    .addOption(shared.db())
    .addOption(shared.table())
    .action(async (data: string | undefined, options: TrainCommandOptions) => {
      try {
        checkThreads(options);
        if (options.engine !== undefined) {
          checkEngineOptions(options, data);
          refuseForEngine(options);
          await (await import('../engine-train.js')).trainInEngine(world, data, options);
          return;
        }
        if (data === undefined) throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
        await runTrain(world, data, options);
      } catch (error) {
        throw reword(error, TRAIN_WORDING);
      }
    });
}

/** --categorical and --impute are for in-process train (an engine fits two classes of numeric columns). */
function refuseForEngine(options: TrainCommandOptions): void {
  const given = [options.categorical === undefined ? '' : '--categorical', options.impute === undefined ? '' : '--impute'].filter((flag) => flag !== '');
  if (given.length > 0) {
    throw new NeuronError(
      'conflicting-options',
      `--engine fits numeric columns and does not take ${given.join(' or ')}`,
      {},
      `train in-process (without --engine) to ${given.length === 2 ? 'encode and fill columns' : given[0] === '--impute' ? 'fill missing cells' : 'one-hot encode columns'}`,
    );
  }
}

/** The starting weights: zeros, or random-init's for --seed/--init. */
function startingWeights(world: World, d: number, options: TrainCommandOptions): { weights: number[]; note: string } {
  const scheme = options.init ?? (options.seed === undefined ? 'zeros' : 'xavier-uniform');
  if (scheme === 'zeros') return { weights: new Array<number>(d).fill(0), note: 'from zeros' };
  const seed = options.seed ?? world.randomSeed();
  return { weights: randomWeights(d, seed, scheme), note: `from ${scheme} weights, --seed ${seed}` };
}

/** The solver to run: --solver, with auto meaning gd when a gd-only option is given. Usage errors for options that do not apply. */
function pickSolver(options: TrainCommandOptions, features: number): IterativeSolver | 'gd' {
  const gdOnly = (['lr', 'epochs', 'tol'] as const).filter((key) => options[key] !== undefined).map((key) => `--${key}`);
  if (options.l2 !== undefined && options.C !== undefined) {
    throw new NeuronError('conflicting-options', '--l2 and --C both set the penalty', {}, 'give one: --C c means --l2 1/(c · rows)');
  }
  const solver = options.solver === 'auto' ? (gdOnly.length > 0 ? 'gd' : chooseSolver(features)) : options.solver;
  if (solver !== 'gd' && gdOnly.length > 0) {
    throw new NeuronError(
      'conflicting-options',
      `${gdOnly.join(', ')} ${gdOnly.length === 1 ? 'is' : 'are'} for --solver gd, not ${solver}`,
      {},
      `drop ${gdOnly.join(', ')}, or add --solver gd`,
    );
  }
  if (solver === 'gd' && (options.classWeight !== undefined || options.sampleWeight !== undefined)) {
    throw new NeuronError(
      'conflicting-options',
      '--class-weight and --sample-weight need --solver newton or lbfgs',
      {},
      'gradient descent here weighs every row the same',
    );
  }
  return solver;
}

interface Trained {
  readonly solver: IterativeSolver | 'gd';
  readonly iterations: number;
  readonly loss: number;
  readonly objective: number;
  readonly gradientNorm: number;
  readonly correct: number;
  /** What ended the run, for the summary line. */
  readonly stopped: string;
  /** A reason the model is not the optimum: separation or no convergence (--strict makes it an error). */
  readonly problem?: string | undefined;
  readonly history: HistoryRecord[];
}

/** A two-class fit: one neuron. */
interface TrainedNeuron extends Trained {
  readonly weights: number[];
  readonly bias: number;
}

/** How a Newton or L-BFGS run ended, for the summary line, and the note when the model is not the optimum. */
function stopWords(
  fit: { readonly solver: IterativeSolver; readonly iteration: number },
  stop: Stop,
  gradientNorm: number,
  separation: string | undefined,
  options: TrainCommandOptions,
): { stopped: string; problem: string | undefined } {
  const gradient = gradientNorm.toExponential(2);
  const stopped =
    stop === 'converged'
      ? `converged (gradient norm ${gradient} <= --gtol ${options.gtol})`
      : stop === 'separated'
        ? 'stopped: separated data'
        : stop === 'stalled'
          ? `stopped: rounding limits the gradient norm to ${gradient} (above --gtol ${options.gtol})`
          : `stopped at --max-iter ${fit.iteration} without converging (gradient norm ${gradient})`;
  const problem =
    separation ??
    (stop === 'max-iter' || (stop === 'stalled' && gradientNorm > 1e-6)
      ? `${fit.solver} did not converge: ${stopped} — raise --max-iter, or add --l2/--C`
      : undefined);
  return { stopped, problem };
}

async function trainIterative(
  world: World,
  solver: IterativeSolver,
  problem: Problem,
  start: number[],
  names: string[],
  classes: readonly string[],
  options: TrainCommandOptions,
): Promise<TrainedNeuron> {
  const frame = frameOf(problem.data);
  const fit = new Fit(problem, solver, fromData(frame, start, 0), { gtol: options.gtol, maxIter: options.maxIter ?? DEFAULT_MAX_ITER[solver] });
  const { stop, history } = await runFit(world, fit, { quiet: options.quiet, history: options.history !== undefined });
  const { point, separation } = fit;
  const { weights, bias } = toData(fit.frame, point.theta);
  const [a, b] = classes.map((c) => JSON.stringify(c));
  const along = separation === undefined ? '' : leadingFeatures(Array.from(separation.direction.subarray(0, names.length), Math.abs), names);
  const separated =
    separation === undefined
      ? undefined
      : describeSeparation(
          separation.kind,
          separation.rows,
          along,
          `a line${along} puts every ${b} row on one side and every ${a} row on the other`,
          fit.iteration,
        );
  return {
    solver,
    weights,
    bias,
    iterations: fit.iteration,
    loss: point.loss,
    objective: point.objective,
    gradientNorm: point.gradientNorm,
    correct: point.correct,
    ...stopWords(fit, stop, point.gradientNorm, separated, options),
    history,
  };
}

async function trainDescent(world: World, dataset: Dataset, l2: number, start: number[], options: TrainCommandOptions): Promise<TrainedNeuron> {
  const epochs = options.epochs ?? 1000;
  const lr = options.lr ?? 0.1;
  const trainer = new Trainer(dataset, { weights: start, bias: 0 }, { lr, l2 });
  const frame = frameOf(dataset);
  const { converged, history } = await runDescent(world, trainer, frame, {
    quiet: options.quiet,
    history: options.history !== undefined,
    epochs,
    lr,
    l2,
    tol: options.tol,
  });
  const result = trainResult(trainer, converged);
  return {
    solver: 'gd',
    weights: result.weights,
    bias: result.bias,
    iterations: result.epochs,
    loss: result.loss,
    objective: trainer.objective,
    gradientNorm: frameGradientNorm(frame, trainer.gradient),
    correct: result.correct,
    stopped: converged ? `stopped early: the objective fell by less than --tol ${options.tol}` : '',
    history,
  };
}

/** The encoding train stores beside the weights: categories and fills (design.ts), and scaling. */
type Encoding = Pick<ModelBase, 'categories' | 'impute' | 'scaling'>;

/** What both fits start from: the encoded, scaled inputs, the labels, the row weights, the penalty. */
interface Prepared {
  readonly x: Float64Array;
  readonly rows: number;
  readonly names: string[];
  readonly y: Int32Array;
  readonly classes: string[];
  readonly rowWeights: Float64Array | undefined;
  readonly l2: number;
  readonly encoding: Encoding;
}

async function runTrain(world: World, dataPath: string, options: TrainCommandOptions): Promise<void> {
  // Usage errors before any reading, as far as the options alone decide them.
  pickSolver(options, 0);
  const started = performance.now();
  const { label, features, classes: named, sampleWeight, missing, delimiter, header, categorical, impute } = options;
  // The options a worker's RawReader is built from (plain data, to cross the thread).
  const raw = { label, features, classes: named, sampleWeight, missing, delimiter, header, categorical, impute };
  const parallel = { threads: options.threads ?? 1, blockBytes: options.blockBytes, options: raw };
  const loaded = await loadData(world, dataPath, options, (columns, file) => new RawReader(columns, options, file), parallel);
  const design = designOf(loaded.reader.table(loaded.x, loaded.rows), options.impute);
  const { rows, y, classes } = loaded;
  const d = design.names.length;
  // The dataset of the two-class fit; the layer reads its x and the class indices.
  const dataset: Dataset = { x: design.x, y: classes.length === 2 ? Uint8Array.from(y) : new Uint8Array(0), rows, features: d };
  const scaling: Scaling | undefined = options.standardize ? standardizeDesign(dataset, design.names, design.numeric) : undefined;
  const prepared: Prepared = {
    x: design.x,
    rows,
    names: design.names,
    y,
    classes,
    rowWeights: rowWeights(y, classWeightsFor(options.classWeight, classes), loaded.sample, classes.length),
    l2: options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * rows),
    encoding: {
      ...(design.categories === undefined ? {} : { categories: design.categories }),
      ...(design.impute === undefined ? {} : { impute: design.impute }),
      ...(scaling === undefined ? {} : { scaling }),
    },
  };
  const weighted = prepared.rowWeights !== undefined;
  if (classes.length > 2) {
    const { trained, model } = await trainLayer(world, prepared, options);
    await finish(world, model, trained, options);
    if (!options.quiet) say(world, summaryLine(world, trained, 'from zeros', rows, prepared.l2, weighted, started));
    return;
  }
  const solver = pickSolver(options, d);
  const start = startingWeights(world, d, options);
  const problem: Problem = { data: dataset, rowWeights: prepared.rowWeights, l2: prepared.l2 };
  const trained =
    solver === 'gd'
      ? await trainDescent(world, dataset, prepared.l2, start.weights, options)
      : await trainIterative(world, solver, problem, start.weights, design.names, classes, options);
  const model: Model = {
    features: design.names,
    weights: trained.weights,
    bias: trained.bias,
    activation: 'sigmoid',
    classes: [classes[0] ?? '', classes[1] ?? ''],
    threshold: undefined,
    init: undefined,
    ...prepared.encoding,
  };
  await finish(world, model, trained, options);
  if (!options.quiet) say(world, summaryLine(world, trained, start.note, rows, prepared.l2, weighted, started));
  if (options.summary) {
    world.stderr.write(formatSummary(summarize(problem, design.names, trained.weights, trained.bias, scaling), options.label));
  }
}

/** The note on a model that is not the optimum (nothing written under --strict), the weights file and the history. */
async function finish(world: World, model: AnyModel, trained: Trained, options: TrainCommandOptions): Promise<void> {
  if (trained.problem !== undefined) {
    say(world, trained.problem);
    if (options.strict) throw new NeuronError('not-optimal', 'nothing written (--strict)', {}, 'the message above says why and what to do');
  }
  await writeText(world, options.output, formatModel(model));
  if (options.history !== undefined) await writeText(world, options.history, formatHistory(trained.history));
}

/** Options of two-class train that a softmax layer does not take. */
function refuseForLayer(options: TrainCommandOptions, k: number): void {
  const flags: [string, boolean][] = [
    ['--solver gd', options.solver === 'gd'],
    ['--lr', options.lr !== undefined],
    ['--epochs', options.epochs !== undefined],
    ['--tol', options.tol !== undefined],
    ['--seed', options.seed !== undefined],
    ['--init', options.init !== undefined],
    ['--summary', options.summary],
  ];
  const given = flags.filter(([, set]) => set).map(([flag]) => flag);
  if (given.length > 0) {
    throw new NeuronError(
      'conflicting-options',
      `the --label column has ${k} classes, and a softmax layer is fitted by Newton or L-BFGS from zeros: it does not take ${given.join(', ')}`,
      {},
      `drop ${given.join(', ')}${options.summary ? ' (summary is for two classes)' : ''}`,
    );
  }
}

/** k >= 3 classes: multinomial logistic regression, one neuron per class (src/learn/multinomial.ts). */
async function trainLayer(world: World, prepared: Prepared, options: TrainCommandOptions): Promise<{ trained: Trained; model: SoftmaxModel }> {
  const { x, rows, names, y, classes } = prepared;
  refuseForLayer(options, classes.length);
  const solver = options.solver === 'newton' || options.solver === 'lbfgs' ? options.solver : 'auto';
  const data: MultinomialData = { x, n: rows, d: names.length, y, k: classes.length, rowWeights: prepared.rowWeights };
  const fit = new MultinomialFit(data, { l2: layerPenalty(prepared.l2, rows), gtol: options.gtol, maxIter: options.maxIter, solver });
  const { stop, history } = await runFit(world, fit, { quiet: options.quiet, history: options.history !== undefined });
  const result = fit.result();
  const separation = result.separation;
  const separated =
    separation === undefined ? undefined : describeLayerSeparation(separation.kind, separation.rows, separation.direction, names, fit.iteration);
  const trained: Trained = {
    solver: result.solver,
    iterations: result.iterations,
    loss: result.loss,
    objective: result.objective,
    gradientNorm: result.gradientNorm,
    correct: result.correct,
    ...stopWords(fit, stop, result.gradientNorm, separated, options),
    history,
  };
  const model: SoftmaxModel = {
    features: names,
    weights: result.weights,
    bias: result.bias,
    activation: SOFTMAX,
    classes,
    init: undefined,
    ...prepared.encoding,
  };
  return { trained, model };
}

/**
 * train's λ (mean loss + λ/2·|w|², logistic.ts's convention) as fitMultinomial's
 * `l2`, which is scikit-learn's 1/C on the summed loss: λ·n.
 */
function layerPenalty(l2: number, rows: number): number {
  return l2 * rows;
}

/** The line after training: solver, iterations, loss, gradient norm, accuracy, and on a terminal the time. */
function summaryLine(world: World, trained: Trained, from: string, rows: number, l2: number, weighted: boolean, started: number): string {
  const unit = trained.solver === 'gd' ? 'epochs' : trained.iterations === 1 ? 'iteration' : 'iterations';
  const stopped = trained.stopped === '' ? '' : `, ${trained.stopped}`;
  const loss = `${weighted ? 'weighted ' : ''}mean log loss ${trained.loss.toFixed(6)}${l2 > 0 ? ` (objective with the penalty ${trained.objective.toFixed(6)})` : ''}`;
  const percent = ((100 * trained.correct) / rows).toFixed(2);
  // The time only on a terminal, so that logs and scripted runs give the same bytes every time.
  const time = world.stderr.isTTY === true ? `, ${((performance.now() - started) / 1000).toFixed(2)} s` : '';
  return `trained by ${trained.solver}: ${trained.iterations} ${unit} ${from}${stopped}: ${loss}, gradient norm ${trained.gradientNorm.toExponential(2)}, accuracy ${trained.correct}/${rows} = ${percent}% on the training data${time}`;
}
