/** `neuron export`: a weights file as SQL, JavaScript or Python that scores rows where the data lives. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { exportJs, exportPython } from '../../export/code.js';
import { type ExportModel, exportModel, isLayer } from '../../export/linear.js';
import { DEFAULT_DIALECT, type DialectName, dialectNames, exportSql } from '../../export/sql.js';
import { exportTrainStep } from '../../export/train-step.js';
import { exportLayerTrainStep } from '../../export/train-step-layer.js';
import { type ClassWeightOption, classWeightsFor } from '../../learn/row-weights.js';
import { activations } from '../../neuron/activations.js';
import type { UnknownPolicy } from '../../neuron/encoding.js';
import { FLAG_NAMES, parseClassWeight, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { loadWeights, weightsName } from '../weights.js';
import type { World } from '../world.js';

const targets = ['sql', 'js', 'python'] as const;
type Target = (typeof targets)[number];

interface ExportOptions {
  weights: string;
  to: Target;
  dialect?: DialectName;
  table?: string;
  expression?: boolean;
  trainStep?: boolean;
  label?: string;
  sampleWeight?: string;
  classWeight?: ClassWeightOption;
  features?: string[];
  unknown?: UnknownPolicy;
  output?: string;
}

export function exportCommand(program: Command, world: World): void {
  program
    .command('export')
    .description('write the neuron as SQL, JavaScript or Python that computes the same z, output and class as eval')
    .addOption(shared.weights().makeOptionMandatory())
    .addOption(new Option('--to <target>', 'what to write').choices(targets).makeOptionMandatory())
    .addOption(new Option('--dialect <name>', `with --to sql: the SQL dialect (default: ${DEFAULT_DIALECT})`).choices(dialectNames))
    .option('--table <from>', 'with --to sql: the table to score, written into FROM as given (e.g. sales.people)')
    .option('--expression', 'with --to sql: only the z, output and class expressions, to paste into a SELECT')
    .option('--train-step', 'with --to sql --table T --label COL: the aggregate query for one Newton step at these weights (loss, gradient, Hessian)')
    .option('--label <column>', 'with --train-step: the column holding the class of each row')
    .option('--sample-weight <column>', "with --train-step: a column holding each row's weight (a number >= 0), as train's")
    .option(
      '--class-weight <weights>',
      "with --train-step: balanced (n / (2 · rows of the class)), or class=weight,... by class name, as train's",
      parseClassWeight,
    )
    .addOption(shared.features('input column names in weight order, comma-separated (for positional weights)'))
    .addOption(
      shared.unknown('a category the model does not know, in a one-hot column: error (JS and Python throw, SQL gives NULL) or zero (every indicator 0)'),
    )
    .addOption(shared.output())
    .action(async (options: ExportOptions) => {
      await runExport(world, options);
    });
}

/** exportSql's errors in the words of the command line. */
const SQL_WORDING = {
  'missing-option': () => ({ hint: "give --table NAME (any FROM item, e.g. read_csv('data.csv')), or --expression for the bare expressions" }),
  'output-name-clash': () => ({ hint: 'use --expression and name the outputs yourself, or rename the column' }),
  // Two inputs that are one column (not two classes' outputs, which only the weights file can rename).
  'name-collision': (error: NeuronError) =>
    error.message.startsWith('the features ') ? { hint: 'rename one of them (in the weights file, or with --features)' } : {},
  'bad-table': (error: NeuronError) => ({ message: error.message.replace(/^the table /, '--table ') }),
} as const;

function sqlText(model: ExportModel, options: ExportOptions): string {
  try {
    return exportSql(model, { dialect: options.dialect ?? DEFAULT_DIALECT, table: options.table, expression: options.expression, unknown: options.unknown });
  } catch (error) {
    throw reword(error, SQL_WORDING);
  }
}

async function runExport(world: World, options: ExportOptions): Promise<void> {
  if (options.to !== 'sql') {
    const stray = [
      options.dialect && '--dialect',
      options.table !== undefined && '--table',
      options.expression && '--expression',
      options.trainStep && '--train-step',
      options.label !== undefined && '--label',
      options.sampleWeight !== undefined && '--sample-weight',
      options.classWeight !== undefined && '--class-weight',
    ].filter(Boolean);
    if (stray.length > 0)
      throw new NeuronError(
        'conflicting-options',
        `${stray.join(', ')} only ${stray.length === 1 ? 'goes' : 'go'} with --to sql`,
        {},
        `drop ${stray.join(', ')}`,
      );
  }
  if (options.trainStep === true || options.label !== undefined || options.sampleWeight !== undefined || options.classWeight !== undefined) {
    return runTrainStep(world, options);
  }
  if (options.expression === true && options.table !== undefined) {
    throw new NeuronError(
      'conflicting-options',
      '--table and --expression both given',
      {},
      'use --table for a whole query, or --expression for the bare expressions',
    );
  }
  const model = await exportedModel(world, options);
  const code = { unknown: options.unknown };
  const text = options.to === 'js' ? exportJs(model, code) : options.to === 'python' ? exportPython(model, code) : sqlText(model, options);
  await writeText(world, options.output, text);
}

/** --train-step: the sums of one Newton step over --table, at the weights of -w. */
async function runTrainStep(world: World, options: ExportOptions): Promise<void> {
  if (options.trainStep !== true) {
    const stray = [
      options.label !== undefined && '--label',
      options.sampleWeight !== undefined && '--sample-weight',
      options.classWeight !== undefined && '--class-weight',
    ]
      .filter(Boolean)
      .join(', ');
    throw new NeuronError(
      'conflicting-options',
      `${stray} only ${stray.includes(',') ? 'go' : 'goes'} with --train-step`,
      {},
      `add --train-step, or drop ${stray}`,
    );
  }
  if (options.to !== 'sql' || options.expression === true) {
    throw new NeuronError('conflicting-options', '--train-step is a SQL query over a table', {}, 'use --to sql --table T --label COL, without --expression');
  }
  if (options.table === undefined || options.table.trim() === '' || options.label === undefined) {
    throw new NeuronError(
      'missing-option',
      '--train-step needs --table and --label',
      {},
      "give --table (any FROM item, e.g. read_parquet('data.parquet')) and --label COLUMN",
    );
  }
  const model = await exportedModel(world, options);
  const step = { dialect: options.dialect ?? DEFAULT_DIALECT, table: options.table, label: options.label };
  const inputs = isLayer(model) ? model.inputs : model.terms;
  if (inputs.some((input) => input.encoding !== undefined)) {
    throw new NeuronError(
      'unsupported-model',
      '--train-step writes one Newton step of logistic regression over numeric columns; the weights file is encoded ("categories" or "impute")',
      { file: weightsName(options.weights) },
      'train it with neuron train, or export it without --train-step to score rows',
    );
  }
  if (isLayer(model)) {
    const weighted = [options.sampleWeight !== undefined && '--sample-weight', options.classWeight !== undefined && '--class-weight'].filter(Boolean);
    if (weighted.length > 0) {
      throw new NeuronError(
        'conflicting-options',
        `--train-step for a softmax layer does not take ${weighted.join(' or ')}`,
        {},
        `drop ${weighted.join(' and ')}, or train the layer in-process with them`,
      );
    }
    await writeText(world, options.output, exportLayerTrainStep(model, step));
    return;
  }
  if (!activations[model.activation].probability) {
    throw new NeuronError(
      'conflicting-options',
      `--train-step fits logistic regression; the weights file's activation is ${model.activation}`,
      {},
      'use a sigmoid model',
    );
  }
  const text = exportTrainStep(model, {
    ...step,
    sampleWeight: options.sampleWeight,
    classWeights: classWeightsFor(options.classWeight, model.classes),
  });
  await writeText(world, options.output, text);
}

/** The weights of -w as the generators take them (a neuron or a softmax layer, encoded or not), with --features' names. */
async function exportedModel(world: World, options: ExportOptions): Promise<ExportModel> {
  return exportModel(await loadWeights(world, options.weights), {
    features: options.features,
    weightsFile: weightsName(options.weights),
    names: FLAG_NAMES,
  });
}
