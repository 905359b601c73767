/** `neuron train`: fit the weights and bias to labelled data (logistic regression by gradient descent). */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { NeuronError } from '../core/errors.js';
import { type InitScheme, initSchemes, randomWeights } from '../core/init.js';
import { formatModel, type Model, type Scaling } from '../core/model.js';
import { explainBadNumber, parseNumberCell } from '../core/numbers.js';
import { type Columns, findColumn } from '../core/score.js';
import { type Dataset, runTrainer, standardize, Trainer } from '../core/train.js';
import { readCsv } from '../io/csv.js';
import { checkInterrupt, openData } from './input.js';
import { parseCount, parseDelimiter, parseList, parseNonNegativeNumber, parsePositiveNumber, parseSeed, parseTrainClasses } from './options.js';
import { writeText } from './output-target.js';
import { say, type World } from './world.js';

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
}

export function trainCommand(program: Command, world: World): void {
  program
    .command('train')
    .description('fit the weights and bias to labelled data: logistic regression by gradient descent on the mean log loss')
    .argument('<data>', 'CSV file with a header line, or - for standard input')
    .requiredOption('--label <column>', 'the column holding the class of each row (two distinct values)')
    .option('--features <columns>', 'input columns, comma-separated (default: every column but the label)', parseList)
    .option('--epochs <n>', 'passes over the data', parseCount, 1000)
    .option('--lr <rate>', 'learning rate', parsePositiveNumber, 0.1)
    .option('--l2 <lambda>', 'L2 penalty (lambda / 2)·|w|², the bias excluded', parseNonNegativeNumber, 0)
    .option('--tol <t>', 'stop early when an epoch lowers the loss by less than t', parsePositiveNumber)
    .option('--seed <n>', "start from random-init's weights for this seed (default scheme xavier-uniform)", parseSeed)
    .addOption(new Option('--init <scheme>', 'starting weights (default: zeros; other schemes as random-init)').choices(initSchemes))
    .option('--standardize', 'z-score each feature; the mean and std go into the weights file as "scaling"', false)
    .option('--classes <names>', 'the label value that is class 1, or both classes "class0,class1" (default: sorted label values)', parseTrainClasses)
    .option('--delimiter <char>', 'input field delimiter', parseDelimiter, ',')
    .option('--no-header', 'the data has no header line: columns are named 1, 2, 3, ...')
    .option('-q, --quiet', 'no progress bar and no summary on stderr', false)
    .option('-o, --output <file>', 'write the weights to this file (atomically) instead of standard output')
    .action(async (data: string, options: TrainOptions) => {
      await runTrain(world, data, options);
    });
}

/** Rows are gathered in blocks of this many, then copied once into one Float64Array. */
const BLOCK_ROWS = 65536;

interface LoadedData {
  readonly dataset: Dataset;
  readonly names: string[];
  readonly classes: [string, string];
}

/** Orders label values: numerically when both are numbers, else by code unit. */
function sortLabels(a: string, b: string): [string, string] {
  const x = parseNumberCell(a);
  const y = parseNumberCell(b);
  const aFirst = !Number.isNaN(x) && !Number.isNaN(y) ? x < y : a < b;
  return aFirst ? [a, b] : [b, a];
}

/** Reads the whole data set into one Float64Array and one Uint8Array, with located errors as `eval`. */
async function loadData(world: World, dataPath: string, options: TrainOptions): Promise<LoadedData> {
  const input = await openData(world, dataPath);
  const file = input.file;
  const rows = readCsv(input.stream, { file, delimiter: options.delimiter });
  const abort = () => input.stream.destroy(new NeuronError('interrupted', 'interrupted'));
  world.signal?.addEventListener('abort', abort, { once: true });
  try {
    const first = await rows.next();
    if (first.done === true) throw new NeuronError('data', 'the data is empty: no header line', { file }, 'the first line must name the columns');
    const columns: Columns = options.header
      ? { names: first.value.record, fromHeader: true }
      : { names: first.value.record.map((_, i) => String(i + 1)), fromHeader: false };
    const labelIndex = findColumn(columns, options.label, '--label column', file);
    const names = options.features ?? columns.names.filter((_, i) => i !== labelIndex);
    const indices = names.map((name) => findColumn(columns, name, '--features column', file));
    if (indices.includes(labelIndex)) {
      throw new NeuronError('usage', `--label column ${JSON.stringify(options.label)} is also in --features`, {}, 'a label cannot be a feature');
    }
    if (names.length === 0) throw new NeuronError('data', 'no input columns: the data has only the label column', { file }, 'add feature columns');
    const d = names.length;

    // Label values in order of appearance: code 0 for the first seen, 1 for the second.
    const seen: string[] = options.classes?.length === 2 ? [...options.classes] : [];
    // The label values that actually occur: with two --classes, `seen` holds both before any row.
    const occurring = new Set<string>();
    const blocks: { x: Float64Array; y: Uint8Array }[] = [];
    let block = { x: new Float64Array(BLOCK_ROWS * d), y: new Uint8Array(BLOCK_ROWS) };
    let used = 0;
    let count = 0;
    const add = (record: string[], line: number) => {
      const value = (record[labelIndex] ?? '').trim();
      let code = seen.indexOf(value);
      if (code === -1) {
        if (seen.length === 2) {
          const what = options.classes?.length === 2 ? 'is not one of --classes' : 'is a third class';
          throw new NeuronError(
            'data',
            `--label column ${JSON.stringify(options.label)}: ${JSON.stringify(value)} ${what} (${seen.map((s) => JSON.stringify(s)).join(', ')})`,
            { file, line, column: labelIndex + 1 },
            'train fits two classes; keep only rows of two classes',
          );
        }
        code = seen.push(value) - 1;
      }
      occurring.add(value);
      const offset = used * d;
      for (let j = 0; j < d; j++) {
        const column = indices[j] as number;
        const cell = record[column] as string;
        const x = parseNumberCell(cell);
        if (Number.isNaN(x)) {
          const { problem, hint } = explainBadNumber(cell);
          throw new NeuronError('data', `column ${JSON.stringify(names[j])}: ${problem}`, { file, line, column: column + 1 }, hint);
        }
        block.x[offset + j] = x;
      }
      block.y[used] = code;
      used++;
      count++;
      if (used === BLOCK_ROWS) {
        blocks.push(block);
        block = { x: new Float64Array(BLOCK_ROWS * d), y: new Uint8Array(BLOCK_ROWS) };
        used = 0;
      }
    };
    if (!options.header) add(first.value.record, first.value.line);
    for await (const row of rows) {
      checkInterrupt(world);
      add(row.record, row.line);
    }
    blocks.push({ x: block.x.subarray(0, used * d), y: block.y.subarray(0, used) });

    if (count === 0) throw new NeuronError('data', 'no data rows to train on', { file }, 'the data needs rows under its header');
    const classes = chooseClasses(seen, occurring, options, file);
    const x = new Float64Array(count * d);
    const y = new Uint8Array(count);
    let at = 0;
    const flip = classes[1] === seen[0];
    for (const b of blocks) {
      x.set(b.x, at * d);
      for (let i = 0; i < b.y.length; i++) y[at + i] = flip ? 1 - (b.y[i] as number) : (b.y[i] as number);
      at += b.y.length;
    }
    return { dataset: { x, y, rows: count, features: d }, names, classes };
  } finally {
    world.signal?.removeEventListener('abort', abort);
    await rows.return(undefined);
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
  let result: ReturnType<typeof runTrainer>;
  try {
    // Slices of epochs, yielding to the event loop between them so Ctrl-C is heard.
    const sliceEpochs = Math.max(1, Math.floor(2_000_000 / (dataset.rows * (dataset.features + 1))));
    do {
      const epochs = Math.min(options.epochs, trainer.epoch + sliceEpochs);
      result = runTrainer(trainer, { epochs, lr: options.lr, l2: options.l2, tol: options.tol });
      bar?.update(trainer.epoch, { loss: trainer.current.loss.toFixed(6) });
      await nextTurn();
      checkInterrupt(world);
    } while (!result.converged && trainer.epoch < options.epochs);
  } finally {
    bar?.stop();
  }

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
