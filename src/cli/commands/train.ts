/** `neuron train`: fit the weights and bias to labelled data (logistic regression by gradient descent). */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { NeuronError } from '../../errors.js';
import { type Dataset, standardize, Trainer, trainEpochs, result as trainResult } from '../../learn/train.js';
import { cellNumber, cellText, type Records } from '../../neuron/cells.js';
import { type Columns, checkUniqueInputs, defaultInputs, findColumn } from '../../neuron/columns.js';
import { type InitScheme, initSchemes, randomWeights } from '../../neuron/init.js';
import { sortLabels } from '../../neuron/labels.js';
import { formatModel, type Model, type Scaling } from '../../neuron/model.js';
import { explainBadNumber } from '../../neuron/numbers.js';
import { eachRow, withCsvData } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import { checkInterrupt } from '../input.js';
import { parseCount, parseNonNegativeNumber, parsePositiveNumber, parseSeed, parseTrainClasses, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { say, type World } from '../world.js';

interface TrainOptions {
  label: string;
  features?: string[];
  epochs: number;
  lr: number;
  l2: number;
  tol?: number;
  seed?: number;
  init?: InitScheme;
  standardize: boolean;
  classes?: string[];
  delimiter: string;
  header: boolean;
  quiet: boolean;
  output?: string;
  engine?: EngineName;
  db?: string;
  table?: string;
}

export function trainCommand(program: Command, world: World): void {
  program
    .command('train')
    .description('fit the weights and bias to labelled data: logistic regression by gradient descent on the mean log loss')
    .argument('[data]', 'CSV file with a header line, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .requiredOption('--label <column>', 'the column holding the class of each row (two distinct values)')
    .addOption(shared.features('input columns, comma-separated (default: every column but the label)'))
    .option('--epochs <n>', 'passes over the data', parseCount, 1000)
    .option('--lr <rate>', 'learning rate', parsePositiveNumber, 0.1)
    .option('--l2 <lambda>', 'L2 penalty (lambda / 2)·|w|², the bias excluded', parseNonNegativeNumber, 0)
    .option('--tol <t>', 'stop early when an epoch lowers the loss by less than t', parsePositiveNumber)
    .option('--seed <n>', "start from random-init's weights for this seed (default scheme xavier-uniform)", parseSeed)
    .addOption(new Option('--init <scheme>', 'starting weights (default: zeros; other schemes as random-init)').choices(initSchemes))
    .option('--standardize', 'z-score each feature; the mean and std go into the weights file as "scaling"', false)
    .option('--classes <names>', 'the label value that is class 1, or both classes "class0,class1" (default: sorted label values)', parseTrainClasses)
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .option('-q, --quiet', 'no progress bar and no summary on stderr', false)
    .addOption(shared.output('write the weights to this file (atomically) instead of standard output'))
    .addOption(shared.engine("fit by Newton's method in an engine, one aggregate query per step: duckdb (a file or glob) or postgres (--db, --table)"))
    .addOption(shared.db())
    .addOption(shared.table())
    .action(async (data: string | undefined, options: TrainOptions) => {
      if (options.engine !== undefined) {
        checkEngineOptions(options, data);
        const gd = [options.tol !== undefined && '--tol', options.seed !== undefined && '--seed', options.init !== undefined && '--init'].filter(Boolean);
        if (gd.length > 0)
          throw new NeuronError(
            'usage',
            `${gd.join(', ')} ${gd.length === 1 ? 'belongs' : 'belong'} to gradient descent; --engine fits by Newton's method`,
            {},
            `drop ${gd.join(', ')}`,
          );
        await (await import('../engine-train.js')).trainInEngine(world, data, options);
        return;
      }
      if (data === undefined) throw new NeuronError('usage', 'no data', {}, 'name the CSV file, or - for standard input');
      await runTrain(world, data, options);
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
 * errors as `eval`.
 */
async function loadData(world: World, dataPath: string, options: TrainOptions): Promise<LoadedData> {
  return withCsvData(world, dataPath, options, async (data) => {
    const { file } = data;
    const { names, indices, labelIndex } = trainColumns(data.columns, options, file);
    const labels = new LabelCodes(options, labelIndex, file);
    const d = names.length;
    let x = new Float64Array(1024 * d);
    let y = new Uint8Array(1024);
    let count = 0;
    await eachRow(world, data, (records, r) => {
      if (count === y.length) {
        const bigger = new Float64Array(2 * x.length);
        bigger.set(x);
        x = bigger;
        const biggerY = new Uint8Array(2 * y.length);
        biggerY.set(y);
        y = biggerY;
      }
      const code = labels.codeAt(records, r);
      const offset = count * d;
      for (let j = 0; j < d; j++) {
        const column = indices[j] as number;
        const value = cellNumber(records, r, column);
        if (Number.isNaN(value)) {
          const { problem, hint } = explainBadNumber(cellText(records, r, column));
          throw new NeuronError('data', `column ${JSON.stringify(names[j])}: ${problem}`, { file, line: records.lines[r] as number, column: column + 1 }, hint);
        }
        x[offset + j] = value;
      }
      y[count++] = code;
    });
    if (count === 0) throw new NeuronError('data', 'no data rows to train on', { file }, 'the data needs rows under its header');
    const classes = chooseClasses(labels.seen, labels.occurring, options, file);
    if (classes[1] === labels.seen[0]) {
      for (let i = 0; i < count; i++) y[i] = 1 - (y[i] as number);
    }
    return { dataset: { x: x.subarray(0, count * d), y: y.subarray(0, count), rows: count, features: d }, names, classes };
  });
}

/** The input columns (--features, or all but the label) and the label's, checked against the header. */
function trainColumns(columns: Columns, options: TrainOptions, file: string): { names: string[]; indices: number[]; labelIndex: number } {
  const labelIndex = findColumn(columns, options.label, '--label column', file);
  const names = options.features ?? defaultInputs(columns, { label: options.label, dataFile: file });
  checkUniqueInputs(names, options.features === undefined ? 'the header' : '--features', options.features === undefined ? { file, line: 1 } : {});
  const indices = names.map((name) => findColumn(columns, name, '--features column', file));
  if (indices.includes(labelIndex)) {
    throw new NeuronError('usage', `--label column ${JSON.stringify(options.label)} is also in --features`, {}, 'a label cannot be a feature');
  }
  if (names.length === 0) throw new NeuronError('data', 'no input columns: the data has only the label column', { file }, 'add feature columns');
  return { names, indices, labelIndex };
}

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
    private readonly options: TrainOptions,
    private readonly labelIndex: number,
    private readonly file: string,
  ) {
    this.seen = options.classes?.length === 2 ? [...options.classes] : [];
  }

  /** The class code of record `r`'s label. */
  codeAt(records: Records, r: number): number {
    const cell = cellText(records, r, this.labelIndex);
    if (cell !== this.lastLabel) {
      const value = cell.trim();
      this.lastCode = this.codeOf(value, records.lines[r] as number);
      this.occurring.add(value);
      this.lastLabel = cell;
    }
    return this.lastCode;
  }

  private codeOf(value: string, line: number): number {
    const { seen, options } = this;
    const code = seen.indexOf(value);
    if (code !== -1) return code;
    if (seen.length === 2) {
      const what = options.classes?.length === 2 ? 'is not one of --classes' : 'is a third class';
      throw new NeuronError(
        'data',
        `--label column ${JSON.stringify(options.label)}: ${JSON.stringify(value)} ${what} (${seen.map((s) => JSON.stringify(s)).join(', ')})`,
        { file: this.file, line, column: this.labelIndex + 1 },
        'train fits two classes; keep only rows of two classes',
      );
    }
    return seen.push(value) - 1;
  }
}

/** Class 0 and class 1 from the label values seen and --classes. */
function chooseClasses(seen: string[], occurring: ReadonlySet<string>, options: TrainOptions, file: string): [string, string] {
  const present = options.classes?.length === 2 ? seen : seen.slice(0, 2);
  if (occurring.size < 2) {
    throw new NeuronError(
      'data',
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
        'usage',
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
function startingWeights(world: World, d: number, options: TrainOptions): { weights: number[]; note: string } {
  const scheme = options.init ?? (options.seed === undefined ? 'zeros' : 'xavier-uniform');
  if (scheme === 'zeros') return { weights: new Array<number>(d).fill(0), note: 'from zeros' };
  const seed = options.seed ?? world.randomSeed();
  return { weights: randomWeights(d, seed, scheme), note: `from ${scheme} weights, --seed ${seed}` };
}

async function runTrain(world: World, dataPath: string, options: TrainOptions): Promise<void> {
  const { dataset, names, classes } = await loadData(world, dataPath, options);
  const scaling: Scaling | undefined = options.standardize ? standardize(dataset, names) : undefined;
  const start = startingWeights(world, dataset.features, options);
  const trainer = new Trainer(dataset, { weights: start.weights, bias: 0 }, { lr: options.lr, l2: options.l2 });

  const showProgress = !options.quiet && world.stderr.isTTY === true;
  const bar = showProgress
    ? new SingleBar({
        stream: world.stderr,
        format: 'training {bar} epoch {value}/{total} | loss {loss} | {eta_formatted} left',
        hideCursor: true,
        clearOnComplete: true,
      })
    : undefined;
  bar?.start(options.epochs, 0, { loss: trainer.current.loss.toFixed(6) });
  let converged = false;
  try {
    // Slices of epochs, yielding to the event loop between them so Ctrl-C is heard.
    const sliceEpochs = Math.max(1, Math.floor(2_000_000 / (dataset.rows * (dataset.features + 1))));
    // Without --tol the loss costs a pass of its own: the bar shows a fresh one at most once a second,
    // and at the end, where the summary needs it anyway.
    let shown = Date.now();
    do {
      const epochs = Math.min(options.epochs, trainer.epoch + sliceEpochs);
      converged = trainEpochs(trainer, { epochs, lr: options.lr, l2: options.l2, tol: options.tol });
      if (bar !== undefined) {
        const last = converged || trainer.epoch >= options.epochs;
        if (last || options.tol !== undefined || Date.now() - shown >= 1000) {
          bar.update(trainer.epoch, { loss: trainer.current.loss.toFixed(6) });
          shown = Date.now();
        } else {
          bar.update(trainer.epoch);
        }
      }
      await nextTurn();
      checkInterrupt(world);
    } while (!converged && trainer.epoch < options.epochs);
  } finally {
    bar?.stop();
  }
  const result = trainResult(trainer, converged);

  const model: Model = {
    features: names,
    weights: result.weights,
    bias: result.bias,
    activation: 'sigmoid',
    classes,
    threshold: undefined,
    init: undefined,
    ...(scaling === undefined ? {} : { scaling }),
  };
  await writeText(world, options.output, formatModel(model));
  if (!options.quiet) {
    const stopped = result.converged ? ` (stopped early: the loss fell by less than --tol ${options.tol})` : '';
    const percent = ((100 * result.correct) / dataset.rows).toFixed(2);
    say(
      world,
      `trained ${result.epochs} epochs ${start.note}${stopped}: mean log loss ${result.loss.toFixed(6)}, accuracy ${result.correct}/${dataset.rows} = ${percent}% on the training data`,
    );
  }
}
