/** `neuron random-init`: write a weights file with reproducible random weights. */
import { type Command, Option } from 'commander';
import { NeuronError } from '../../errors.js';
import { type ActivationName, activationNames, DEFAULT_ACTIVATION } from '../../neuron/activations.js';
import { checkInputNames, defaultInputs } from '../../neuron/columns.js';
import { DEFAULT_SCHEME, type InitScheme, initSchemes, randomLayer, randomWeights } from '../../neuron/init.js';
import { type AnyModel, DEFAULT_CLASSES, formatModel, SOFTMAX } from '../../neuron/model.js';
import { withCsvData } from '../data.js';
import { FLAG_NAMES, parseClassNames, parseCount, parseFiniteNumber, parseList, parsePositiveNumber, parseSeed, shared } from '../options.js';
import { writeText } from '../output-target.js';
import type { World } from '../world.js';

interface RandomInitOptions {
  inputs?: number;
  features?: string[];
  from?: string;
  label?: string;
  keep?: string[];
  delimiter: string;
  header: boolean;
  seed?: number;
  init: InitScheme;
  scale?: number;
  biasInit: number;
  activation?: ActivationName;
  classes?: string[];
  output?: string;
}

export function randomInitCommand(program: Command, world: World): void {
  program
    .command('random-init')
    .description('write a weights file with reproducible random weights (NumPy-compatible MT19937)')
    .option('--inputs <n>', 'number of inputs (weights are positional)', parseCount)
    .addOption(shared.features('input column names, comma-separated'))
    .option('--from <data>', "take the input names from this CSV's header (- for standard input)")
    .option('--label <column>', 'with --from: a column that is not an input')
    .option('--keep <columns>', 'with --from: more columns that are not inputs', parseList)
    .addOption(shared.delimiter('with --from: field delimiter'))
    .addOption(shared.noHeader('with --from: the data has no header line (the inputs are named 1, 2, 3, ...)'))
    .option('--seed <n>', 'seed, 0 to 4294967295 (default: a random one, recorded in the output)', parseSeed)
    .addOption(new Option('--init <scheme>', 'initialisation scheme').choices(initSchemes).default(DEFAULT_SCHEME))
    .option('--scale <s>', "uniform: half-width; normal: standard deviation (default: the scheme's own)", parsePositiveNumber)
    .option('--bias-init <b>', 'the bias', parseFiniteNumber, 0)
    .addOption(new Option('--activation <name>', 'activation recorded in the file, for two classes (default: sigmoid)').choices(activationNames))
    .option(
      '--classes <names>',
      'the class names, comma-separated (default: 0,1); three or more make a softmax layer, one row of weights per class',
      parseClassNames,
    )
    .addOption(shared.output())
    .action(async (options: RandomInitOptions) => {
      await runRandomInit(world, options);
    });
}

/** The input names, from exactly one of --inputs, --features, --from; undefined for positional. */
async function inputNames(world: World, options: RandomInitOptions): Promise<{ count: number; names: string[] | undefined }> {
  const given = [options.inputs, options.features, options.from].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new NeuronError(
      given === 0 ? 'missing-option' : 'conflicting-options',
      given === 0 ? 'no inputs given' : 'give only one of --inputs, --features and --from',
      {},
      'say how many inputs: --inputs N, --features a,b or --from data.csv',
    );
  }
  if ((options.label !== undefined || options.keep !== undefined) && options.from === undefined) {
    throw new NeuronError('conflicting-options', '--label and --keep only go with --from', {}, 'drop them, or take the names from a CSV with --from');
  }
  if (options.inputs !== undefined) return { count: options.inputs, names: undefined };
  if (options.features !== undefined) {
    checkInputNames(options.features, FLAG_NAMES.features);
    return { count: options.features.length, names: options.features };
  }
  // The same rule as eval's default inputs: not --keep, not --label, not an empty name.
  const names = await withCsvData(world, options.from ?? '-', { delimiter: options.delimiter, header: options.header }, async ({ file, columns }) => {
    const inputs = defaultInputs(columns, { keep: options.keep, label: options.label, dataFile: file, names: FLAG_NAMES });
    checkInputNames(inputs, 'the header', { file, line: 1 });
    if (inputs.length === 0) {
      throw new NeuronError('no-inputs', 'no input columns left', { file, line: 1 }, 'the header needs a column that is not --label or --keep');
    }
    return inputs;
  });
  return { count: names.length, names };
}

async function runRandomInit(world: World, options: RandomInitOptions): Promise<void> {
  const { count, names } = await inputNames(world, options);
  const seed = options.seed ?? world.randomSeed();
  const init = { seed, scheme: options.init, generator: 'mt19937' } as const;
  const classes = options.classes ?? DEFAULT_CLASSES;
  let model: AnyModel;
  if (classes.length > 2) {
    if (options.activation !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `--activation ${options.activation} is for one neuron; ${classes.length} classes make a softmax layer`,
        {},
        'drop --activation, or give two --classes',
      );
    }
    const weights = randomLayer(classes.length, count, seed, options.init, options.scale);
    model = { features: names, weights, bias: classes.map(() => options.biasInit), activation: SOFTMAX, classes, init };
  } else {
    model = {
      features: names,
      weights: randomWeights(count, seed, options.init, options.scale),
      bias: options.biasInit,
      activation: options.activation ?? DEFAULT_ACTIVATION,
      classes: [classes[0] ?? '', classes[1] ?? ''],
      threshold: undefined,
      init,
    };
  }
  await writeText(world, options.output, formatModel(model));
}
