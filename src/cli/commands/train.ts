/** `neuron train`: fit the weights and bias to labelled data (logistic regression: Newton, L-BFGS or gradient descent). */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { frameGradientNorm, frameOf, fromData, type Problem, toData } from '../../learn/logistic.js';
import { type ClassWeights, rowWeights } from '../../learn/row-weights.js';
import { chooseSolver, DEFAULT_GTOL, DEFAULT_MAX_ITER, Fit, type IterativeSolver, type Separation, type SolverName, solverNames } from '../../learn/solvers.js';
import { summarize } from '../../learn/statistics.js';
import { type Dataset, standardizeDataset, Trainer, result as trainResult } from '../../learn/train.js';
import { cellNumber, cellText, type Records } from '../../neuron/cells.js';
import { type Columns, checkInputNames, defaultInputs, findColumn } from '../../neuron/columns.js';
import { type InitScheme, initSchemes, randomWeights } from '../../neuron/init.js';
import { sortLabels } from '../../neuron/labels.js';
import { formatModel, type Model, type Scaling } from '../../neuron/model.js';
import { badCellError, isMissing } from '../../neuron/numbers.js';
import { formatSummary } from '../../render/summary.js';
import { eachRow, withCsvData } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import {
  FLAG_NAMES,
  LABEL_ROLE,
  missingHint,
  parseClassWeight,
  parseCount,
  parseNonNegativeNumber,
  parsePositiveNumber,
  parseSeed,
  parseTrainClasses,
  shared,
} from '../options.js';
import { writeText } from '../output-target.js';
import { SKIPPED_SHOWN, saySkipped } from '../skipped.js';
import { formatHistory, type HistoryRecord, runDescent, runFit } from '../training.js';
import { say, type World } from '../world.js';

export interface TrainCommandOptions {
  label: string;
  features?: string[];
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
}

/** train's (and summary's) --missing policies: a missing label cannot be zero. */
export const TRAIN_MISSING = ['error', 'skip'] as const;

/** A missing input in the words of train and summary, which have --missing error|skip. */
export const TRAIN_MISSING_WORDING = { 'missing-value': () => ({ hint: missingHint(TRAIN_MISSING) }) } as const;

/** The trainer's errors in the words of the command line. */
const TRAIN_WORDING = {
  'constant-feature': (error: NeuronError) => ({
    message: `${error.message}, so --standardize cannot scale it`,
    hint: 'leave it out with --features, or train without --standardize',
  }),
  'loss-overflow': () => ({ hint: 'scale the inputs down, or use --standardize' }),
  'loss-diverged': () => ({ hint: 'lower --lr, or use --standardize' }),
  'loss-rose': () => ({ hint: 'lower --lr or use --standardize' }),
  ...TRAIN_MISSING_WORDING,
} as const;

export function trainCommand(program: Command, world: World): void {
  program
    .command('train')
    .description(
      'fit the weights and bias to labelled data: logistic regression, to the optimum of the mean log loss (Newton or L-BFGS), or by gradient descent',
    )
    .argument('[data]', 'CSV file with a header line, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .requiredOption('--label <column>', 'the column holding the class of each row (two distinct values)')
    .addOption(shared.features('input columns, comma-separated (default: every column but the label and --sample-weight)'))
    .addOption(
      new Option('--solver <name>', 'auto: Newton up to 200 features, else L-BFGS; gd: gradient descent (implied by --lr, --epochs or --tol)')
        .choices(solverNames)
        .default('auto'),
    )
    .option('--l2 <lambda>', 'L2 penalty (lambda / 2)·|w|², the bias excluded (default 0)', parseNonNegativeNumber)
    .option('--C <c>', "scikit-learn's C: the same penalty with lambda = 1 / (C · rows)", parsePositiveNumber)
    .option('--class-weight <weights>', 'balanced (n / (2 · rows of the class)), or class=weight,... by class name', parseClassWeight)
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
    .addOption(shared.engine("fit by Newton's method in an engine, one aggregate query per step: duckdb (a file or glob) or postgres (--db, --table)"))
    .addOption(shared.db())
    .addOption(shared.table())
    .action(async (data: string | undefined, options: TrainCommandOptions) => {
      try {
        if (options.engine !== undefined) {
          checkEngineOptions(options, data);
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

interface LoadedData {
  readonly dataset: Dataset;
  readonly names: string[];
  readonly classes: [string, string];
}

/**
 * Reads the whole data set into one Float64Array (doubled when full) and
 * one Uint8Array, numbers read in place as `eval` reads them, with located
 * errors as `eval`; rows dropped by --missing skip are counted on stderr.
 */
/** What the loader reads of the options (summary passes the same). */
export type DataOptions = Pick<TrainCommandOptions, 'label' | 'features' | 'classes' | 'sampleWeight' | 'missing' | 'delimiter' | 'header'>;

export async function loadData(world: World, dataPath: string, options: DataOptions): Promise<LoadedData> {
  return withCsvData(world, dataPath, options, async (data) => {
    const { file } = data;
    const { names, indices, labelIndex } = trainColumns(data.columns, options, file);
    const labels = new LabelCodes(options, labelIndex, file);
    const d = names.length;
    let x = new Float64Array(1024 * d);
    let y = new Uint8Array(1024);
    let count = 0;
    let skipped = 0;
    const skippedLines: number[] = [];
    /** A missing label or input under --missing skip drops the row; under error (the default) it stops the run. */
    const skip = (line: number) => {
      if (skipped++ < SKIPPED_SHOWN) skippedLines.push(line);
    };
    await eachRow(world, data, (records, r) => {
      if (count === y.length) {
        const bigger = new Float64Array(2 * x.length);
        bigger.set(x);
        x = bigger;
        const biggerY = new Uint8Array(2 * y.length);
        biggerY.set(y);
        y = biggerY;
      }
      const line = records.lines[r] as number;
      const code = labels.codeAt(records, r);
      if (code === MISSING_LABEL) {
        if (options.missing === 'skip') return skip(line);
        throw labels.missingError(records, r);
      }
      const offset = count * d;
      for (let j = 0; j < d; j++) {
        const column = indices[j] as number;
        const value = cellNumber(records, r, column);
        if (Number.isNaN(value)) {
          const cell = cellText(records, r, column);
          if (options.missing === 'skip' && isMissing(cell)) return skip(line);
          throw badCellError(cell, names[j] as string, { file, line, column: column + 1 });
        }
        x[offset + j] = value;
      }
      y[count++] = code;
    });
    if (count === 0) {
      const why = skipped > 0 ? `: all ${skipped} had a missing value` : '';
      throw new NeuronError('no-rows', `no data rows to train on${why}`, { file }, 'the data needs rows under its header');
    }
    const classes = chooseClasses(labels.seen, labels.occurring, options, file);
    if (classes[1] === labels.seen[0]) {
      for (let i = 0; i < count; i++) y[i] = 1 - (y[i] as number);
    }
    saySkipped(world, skipped, skippedLines);
    return { dataset: { x: x.subarray(0, count * d), y: y.subarray(0, count), rows: count, features: d }, names, classes };
  });
}

/** The input columns (--features, or all but the label) and the label's, checked against the header. */
function trainColumns(columns: Columns, options: DataOptions, file: string): { names: string[]; indices: number[]; labelIndex: number } {
  const labelIndex = findColumn(columns, options.label, LABEL_ROLE, file);
  const features =
    options.features ?? defaultInputs(columns, { label: options.label, dataFile: file, names: FLAG_NAMES }).filter((name) => name !== options.sampleWeight);
  checkInputNames(features, options.features === undefined ? 'the header' : FLAG_NAMES.features, options.features === undefined ? { file, line: 1 } : {});
  if (options.sampleWeight !== undefined && features.includes(options.sampleWeight)) {
    throw new NeuronError(
      'conflicting-options',
      `--sample-weight column ${JSON.stringify(options.sampleWeight)} is also in --features`,
      {},
      'a row weight cannot be a feature',
    );
  }
  // The --sample-weight column is read as one more number column, after the features (split off by the caller).
  const names = options.sampleWeight === undefined ? features : [...features, options.sampleWeight];
  const indices = names.map((name, j) => findColumn(columns, name, j < features.length ? '--features column' : '--sample-weight column', file));
  if (indices.includes(labelIndex)) {
    throw new NeuronError('label-is-input', `--label column ${JSON.stringify(options.label)} is also in --features`, {}, 'a label cannot be a feature');
  }
  if (names.length === 0) throw new NeuronError('no-inputs', 'no input columns: the data has only the label column', { file }, 'add feature columns');
  return { names, indices, labelIndex };
}

/** codeAt's answer for a missing label (empty, NA, ...): never a class. */
const MISSING_LABEL = -1;

/** Label values as class codes, in order of appearance: 0 for the first seen, 1 for the second; a third is an error. */
class LabelCodes {
  /** The label values by code: with two --classes, both before any row. */
  readonly seen: string[];
  /** The label values that actually occur. */
  readonly occurring = new Set<string>();
  // The last label cell and its code: labels repeat, so most rows need no trim and no lookup.
  private lastLabel: string | undefined;
  private lastCode = 0;

  constructor(
    private readonly options: DataOptions,
    private readonly labelIndex: number,
    private readonly file: string,
  ) {
    this.seen = options.classes?.length === 2 ? [...options.classes] : [];
  }

  /** The class code of record `r`'s label; MISSING_LABEL for a missing one ("" or "NA" would train a model no one asked for). */
  codeAt(records: Records, r: number): number {
    const cell = cellText(records, r, this.labelIndex);
    if (cell !== this.lastLabel) {
      const value = cell.trim();
      if (isMissing(value)) {
        this.lastCode = MISSING_LABEL;
      } else {
        this.lastCode = this.codeOf(value, records.lines[r] as number);
        this.occurring.add(value);
      }
      this.lastLabel = cell;
    }
    return this.lastCode;
  }

  /** The error for record `r`'s missing label, under --missing error. */
  missingError(records: Records, r: number): NeuronError {
    const value = cellText(records, r, this.labelIndex).trim();
    const what = value === '' ? 'empty label' : `missing label ${JSON.stringify(value)}`;
    return new NeuronError(
      'missing-label',
      `--label column ${JSON.stringify(this.options.label)}: ${what}`,
      { file: this.file, line: records.lines[r] as number, column: this.labelIndex + 1 },
      'fill in the label, or pass --missing skip (drop the row)',
    );
  }

  private codeOf(value: string, line: number): number {
    const { seen, options } = this;
    const code = seen.indexOf(value);
    if (code !== -1) return code;
    if (seen.length === 2) {
      const what = options.classes?.length === 2 ? 'is not one of --classes' : 'is a third class';
      throw new NeuronError(
        'bad-label',
        `--label column ${JSON.stringify(options.label)}: ${JSON.stringify(value)} ${what} (${seen.map((s) => JSON.stringify(s)).join(', ')})`,
        { file: this.file, line, column: this.labelIndex + 1 },
        'train fits two classes; keep only rows of two classes',
      );
    }
    return seen.push(value) - 1;
  }
}

/** Class 0 and class 1 from the label values seen and --classes. */
function chooseClasses(seen: string[], occurring: ReadonlySet<string>, options: DataOptions, file: string): [string, string] {
  const present = options.classes?.length === 2 ? seen : seen.slice(0, 2);
  if (occurring.size < 2) {
    throw new NeuronError(
      'one-class',
      `--label column ${JSON.stringify(options.label)} has one class only (${JSON.stringify([...occurring][0] ?? '')})`,
      { file },
      'training needs rows of both classes',
    );
  }
  if (options.classes?.length === 2) return [options.classes[0] ?? '', options.classes[1] ?? ''];
  const [a, b] = [present[0] ?? '', present[1] ?? ''];
  const wanted = options.classes?.[0];
  if (wanted !== undefined) {
    if (wanted !== a && wanted !== b) {
      throw new NeuronError(
        'unknown-class',
        `--classes ${JSON.stringify(wanted)} is not a value of the --label column (${JSON.stringify(a)}, ${JSON.stringify(b)})`,
        {},
        'name one of the label values',
      );
    }
    return wanted === a ? [b, a] : [a, b];
  }
  return sortLabels(a, b);
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

/** Splits the --sample-weight column (read as the last column) off the features; each weight a number >= 0, not all 0. */
export function splitSampleWeights(data: Dataset, column: string | undefined): { dataset: Dataset; sample: Float64Array | undefined } {
  if (column === undefined) return { dataset: data, sample: undefined };
  const { rows, features: width } = data;
  const d = width - 1;
  const x = new Float64Array(rows * d);
  const sample = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    x.set(data.x.subarray(i * width, i * width + d), i * d);
    const w = data.x[i * width + d] as number;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new NeuronError(
        'bad-row-weight',
        `--sample-weight column ${JSON.stringify(column)}: ${w} on data row ${i + 1} is not a weight`,
        {},
        'row weights are numbers >= 0',
      );
    }
    sample[i] = w;
    total += w;
  }
  if (!(total > 0))
    throw new NeuronError('bad-row-weight', `--sample-weight column ${JSON.stringify(column)} is 0 on every row`, {}, 'give some rows a weight above 0');
  return { dataset: { x, y: data.y, rows, features: d }, sample };
}

/** --class-weight by class name to class 0's and class 1's weight (a class not named weighs 1, as in scikit-learn). */
function classWeightsFor(option: TrainCommandOptions['classWeight'], classes: [string, string]): ClassWeights | undefined {
  if (option === undefined || option === 'balanced') return option;
  for (const name of option.keys()) {
    if (!classes.includes(name)) {
      throw new NeuronError(
        'unknown-class',
        `--class-weight names ${JSON.stringify(name)}, which is not a class (${classes.map((c) => JSON.stringify(c)).join(', ')})`,
        {},
        'name the classes as the label column writes them',
      );
    }
  }
  return [option.get(classes[0]) ?? 1, option.get(classes[1]) ?? 1];
}

interface Trained {
  readonly solver: IterativeSolver | 'gd';
  readonly weights: number[];
  readonly bias: number;
  readonly iterations: number;
  readonly loss: number;
  readonly objective: number;
  readonly gradientNorm: number;
  readonly correct: number;
  /** What ended the run, for the summary line. */
  readonly stopped: string;
  /** A reason the model is not the optimum: separation or no convergence (--strict makes it an error). */
  readonly problem?: string;
  readonly history: HistoryRecord[];
}

/** Where the loss keeps falling: the features that carry most of the direction, in z-scored units. */
function describeSeparation(separation: Separation, names: readonly string[], classes: [string, string], iteration: number): string {
  const d = names.length;
  const size = Math.max(...Array.from(separation.direction.subarray(0, d), Math.abs));
  const leading = names
    .map((name, j) => ({ name, size: Math.abs(separation.direction[j] as number) }))
    .filter((f) => f.size >= 0.1 * size && f.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((f) => JSON.stringify(f.name));
  const [a, b] = classes.map((c) => JSON.stringify(c));
  const along = leading.length > 0 ? ` (mostly along ${leading.join(', ')})` : '';
  const head =
    separation.kind === 'perfect'
      ? `the classes are perfectly separated: a line${along} puts every ${b} row on one side and every ${a} row on the other, so without a penalty the loss falls toward 0 as the weights grow without bound`
      : `the data is quasi-separated: ${separation.rows.length} rows (data rows ${separation.rows
          .slice(0, 5)
          .map((r) => r + 1)
          .join(
            ', ',
          )}${separation.rows.length > 5 ? ', ...' : ''}) are predicted with certainty by a direction${along} in which the loss keeps falling as the weights grow`;
  const wrote =
    separation.kind === 'perfect'
      ? `the weights written are iteration ${iteration}'s, which classify every training row right`
      : `the weights written are iteration ${iteration}'s`;
  return `${head}; the unpenalised weights are not unique and have no finite optimum; ${wrote} — --l2 or --C (such as --C 1) gives a finite, unique optimum`;
}

async function trainIterative(
  world: World,
  solver: IterativeSolver,
  problem: Problem,
  start: number[],
  names: string[],
  classes: [string, string],
  options: TrainCommandOptions,
): Promise<Trained> {
  const frame = frameOf(problem.data);
  const fit = new Fit(problem, solver, fromData(frame, start, 0), { gtol: options.gtol, maxIter: options.maxIter ?? DEFAULT_MAX_ITER[solver] });
  const { stop, history } = await runFit(world, fit, { quiet: options.quiet, history: options.history !== undefined });
  const { point } = fit;
  const { weights, bias } = toData(fit.frame, point.theta);
  const gradient = point.gradientNorm.toExponential(2);
  const stopped =
    stop === 'converged'
      ? `converged (gradient norm ${gradient} <= --gtol ${options.gtol})`
      : stop === 'separated'
        ? 'stopped: separated data'
        : stop === 'stalled'
          ? `stopped: rounding limits the gradient norm to ${gradient} (above --gtol ${options.gtol})`
          : `stopped at --max-iter ${fit.iteration} without converging (gradient norm ${gradient})`;
  const problemNote =
    fit.separation !== undefined
      ? describeSeparation(fit.separation, names, classes, fit.iteration)
      : stop === 'max-iter' || (stop === 'stalled' && point.gradientNorm > 1e-6)
        ? `${solver} did not converge: ${stopped} — raise --max-iter, or add --l2/--C`
        : undefined;
  return {
    solver,
    weights,
    bias,
    iterations: fit.iteration,
    loss: point.loss,
    objective: point.objective,
    gradientNorm: point.gradientNorm,
    correct: point.correct,
    stopped,
    ...(problemNote === undefined ? {} : { problem: problemNote }),
    history,
  };
}

async function trainDescent(world: World, dataset: Dataset, l2: number, start: number[], options: TrainCommandOptions): Promise<Trained> {
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

async function runTrain(world: World, dataPath: string, options: TrainCommandOptions): Promise<void> {
  // Usage errors before any reading, as far as the options alone decide them.
  pickSolver(options, 0);
  const started = performance.now();
  const loaded = await loadData(world, dataPath, options);
  const { dataset, sample } = splitSampleWeights(loaded.dataset, options.sampleWeight);
  const names = options.sampleWeight === undefined ? loaded.names : loaded.names.slice(0, -1);
  const { classes } = loaded;
  const solver = pickSolver(options, dataset.features);
  const scaling: Scaling | undefined = options.standardize ? standardizeDataset(dataset, names) : undefined;
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * dataset.rows);
  const start = startingWeights(world, dataset.features, options);
  const problem: Problem = { data: dataset, rowWeights: rowWeights(dataset.y, classWeightsFor(options.classWeight, classes), sample), l2 };
  const trained =
    solver === 'gd'
      ? await trainDescent(world, dataset, l2, start.weights, options)
      : await trainIterative(world, solver, problem, start.weights, names, classes, options);

  if (trained.problem !== undefined) {
    say(world, trained.problem);
    if (options.strict) throw new NeuronError('not-optimal', 'nothing written (--strict)', {}, 'the message above says why and what to do');
  }
  const model: Model = {
    features: names,
    weights: trained.weights,
    bias: trained.bias,
    activation: 'sigmoid',
    classes,
    threshold: undefined,
    init: undefined,
    ...(scaling === undefined ? {} : { scaling }),
  };
  await writeText(world, options.output, formatModel(model));
  if (options.history !== undefined) await writeText(world, options.history, formatHistory(trained.history));
  if (!options.quiet) say(world, summaryLine(world, trained, start.note, dataset.rows, l2, problem.rowWeights !== undefined, started));
  if (options.summary) {
    world.stderr.write(formatSummary(summarize(problem, names, trained.weights, trained.bias, scaling), options.label));
  }
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
