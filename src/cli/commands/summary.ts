/** `neuron summary`: the statistics of a logistic-regression model on its training data, as statsmodels' Logit summary. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type Summary, summarize } from '../../learn/statistics.js';
import { activations } from '../../neuron/activations.js';
import type { Records } from '../../neuron/cells.js';
import { bindModel, type Columns } from '../../neuron/columns.js';
import { RowEncoder } from '../../neuron/encoding.js';
import { isSoftmax, type Model } from '../../neuron/model.js';
import { formatSummary } from '../../render/summary.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import { FLAG_NAMES, parseNonNegativeNumber, parsePositiveNumber, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { type InputReader, loadData, TRAIN_MISSING, TRAIN_MISSING_WORDING } from '../train-data.js';
import { loadWeights, weightsName } from '../weights.js';
import type { World } from '../world.js';

interface SummaryOptions {
  weights: string;
  label: string;
  l2?: number;
  C?: number;
  sampleWeight?: string;
  missing: (typeof TRAIN_MISSING)[number];
  format: 'text' | 'json';
  delimiter: string;
  header: boolean;
  output?: string;
  engine?: EngineName;
  db?: string;
  table?: string;
}

export function summaryCommand(program: Command, world: World): void {
  program
    .command('summary')
    .description('coefficients with standard errors, z, p-values, 95% intervals and odds ratios, log-likelihood, pseudo R², AIC and BIC (as statsmodels Logit)')
    .argument('[data]', 'the labelled CSV the model was trained on, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .addOption(shared.weights().makeOptionMandatory())
    .requiredOption('--label <column>', 'the column holding the class of each row (the class names of the weights file)')
    .option('--l2 <lambda>', 'the L2 penalty the model was trained with (for the convergence check)', parseNonNegativeNumber)
    .option('--C <c>', "the same as scikit-learn's C (lambda = 1 / (C · rows))", parsePositiveNumber)
    .option('--sample-weight <column>', 'the row weights the model was trained with')
    .addOption(shared.missing(TRAIN_MISSING, 'a missing value (empty, NA, N/A, NaN, null, None) in an input or the label, as in train'))
    .addOption(new Option('--format <format>', 'text for people, json (exact figures) for programs').choices(['text', 'json']).default('text'))
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .addOption(shared.output())
    .addOption(shared.engine('sum the rows in an engine: duckdb (a file or glob) or postgres (--db, --table)'))
    .addOption(shared.db())
    .addOption(shared.table())
    .action(async (data: string | undefined, options: SummaryOptions) => {
      try {
        await runSummary(world, data, options);
      } catch (error) {
        throw reword(error, TRAIN_MISSING_WORDING);
      }
    });
}

/** The summary as JSON: the same figures, unrounded (non-finite numbers as null, as JSON has none). */
export function summaryToJson(summary: Summary): string {
  return `${JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/**
 * The model's inputs of each row, unscaled: its stored encoding (one-hot
 * categories, fills) applied by RowEncoder, the one place of those rules.
 */
class ModelInputs implements InputReader {
  readonly width: number;
  private readonly encoder: RowEncoder;

  constructor(
    model: Model,
    columns: Columns,
    private readonly file: string,
    options: SummaryOptions,
  ) {
    const bound = bindModel({ ...model, scaling: undefined }, columns, { label: options.label, dataFile: file, names: FLAG_NAMES });
    this.encoder = new RowEncoder(bound, { missing: options.missing });
    this.width = this.encoder.width;
  }

  read(records: Records, r: number, into: Float64Array, at: number): boolean {
    return this.encoder.encodeRow(records, r, this.file, into.subarray(at, at + this.width));
  }
}

async function runSummary(world: World, dataPath: string | undefined, options: SummaryOptions): Promise<void> {
  if (options.l2 !== undefined && options.C !== undefined) throw new NeuronError('conflicting-options', '--l2 and --C both set the penalty', {}, 'give one');
  checkEngineOptions(options, dataPath);
  if (dataPath === undefined && options.engine !== 'postgres')
    throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
  const model = await summaryModel(world, options, dataPath);
  const summary =
    options.engine === undefined
      ? await summaryInProcess(world, dataPath ?? '-', model, options)
      : await (await import('../engine-summary.js')).summaryOfEngineData(world, dataPath, model, options);
  await writeText(world, options.output, options.format === 'json' ? summaryToJson(summary) : formatSummary(summary, options.label));
}

/** The weights file, if summary can take it: a sigmoid neuron with "features". */
async function summaryModel(world: World, options: SummaryOptions, dataPath: string | undefined): Promise<Model & { features: readonly string[] }> {
  const model = await loadWeights(world, options.weights, dataPath);
  const weightsFile = weightsName(options.weights);
  if (isSoftmax(model)) {
    throw new NeuronError(
      'unsupported-model',
      `summary is for two classes, and this model is a softmax layer of ${model.classes.length} classes`,
      { file: weightsFile },
      "use metrics for its accuracy and log loss (standard errors for a softmax layer, statsmodels' MNLogit, are not offered)",
    );
  }
  // The statistics are logistic regression's: the output must be the probability the log loss scores.
  if (!activations[model.activation].probability) {
    throw new NeuronError(
      'conflicting-options',
      `summary is for sigmoid models (logistic regression); ${weightsFile} uses ${model.activation}`,
      {},
      'train it with neuron train',
    );
  }
  const { features } = model;
  if (features === undefined) {
    throw new NeuronError(
      'positional-weights',
      `${weightsFile} has no "features" to find the data's columns by`,
      {},
      'summary needs a weights file from neuron train (or one with "features")',
    );
  }
  return { ...model, features };
}

async function summaryInProcess(world: World, dataPath: string, model: Model & { features: readonly string[] }, options: SummaryOptions): Promise<Summary> {
  const loaded = await loadData(
    world,
    dataPath,
    { ...options, classes: [...model.classes] },
    (columns, file) => new ModelInputs(model, columns, file, options),
  );
  const d = loaded.reader.width;
  const dataset = { x: loaded.x, y: Uint8Array.from(loaded.y), rows: loaded.rows, features: d };
  const { scaling } = model;
  if (scaling !== undefined) {
    for (let i = 0; i < dataset.rows; i++) {
      for (let j = 0; j < d; j++) dataset.x[i * d + j] = ((dataset.x[i * d + j] as number) - (scaling.mean[j] as number)) / (scaling.std[j] as number);
    }
  }
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * dataset.rows);
  return summarize({ data: dataset, rowWeights: loaded.sample, l2 }, model.features, model.weights, model.bias, scaling);
}
