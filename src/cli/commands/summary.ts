/** `neuron summary`: the statistics of a logistic-regression model on its training data, as statsmodels' Logit summary. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type Summary, summarize } from '../../learn/statistics.js';
import { activations } from '../../neuron/activations.js';
import { formatSummary } from '../../render/summary.js';
import { parseNonNegativeNumber, parsePositiveNumber, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { loadPlainWeights, weightsName } from '../weights.js';
import type { World } from '../world.js';
import { loadData, splitSampleWeights, TRAIN_MISSING, TRAIN_MISSING_WORDING } from './train.js';

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
}

export function summaryCommand(program: Command, world: World): void {
  program
    .command('summary')
    .description('coefficients with standard errors, z, p-values, 95% intervals and odds ratios, log-likelihood, pseudo R², AIC and BIC (as statsmodels Logit)')
    .argument('<data>', 'the labelled CSV the model was trained on, or - for standard input')
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
    .action(async (data: string, options: SummaryOptions) => {
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

async function runSummary(world: World, dataPath: string, options: SummaryOptions): Promise<void> {
  if (options.l2 !== undefined && options.C !== undefined) throw new NeuronError('conflicting-options', '--l2 and --C both set the penalty', {}, 'give one');
  const model = await loadPlainWeights(world, options.weights, 'neuron summary', dataPath);
  const weightsFile = weightsName(options.weights);
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
  const loaded = await loadData(world, dataPath, { ...options, features: [...features], classes: [...model.classes] });
  const { dataset, sample } = splitSampleWeights(loaded.dataset, options.sampleWeight);
  const { scaling } = model;
  if (scaling !== undefined) {
    const d = dataset.features;
    for (let i = 0; i < dataset.rows; i++) {
      for (let j = 0; j < d; j++) dataset.x[i * d + j] = ((dataset.x[i * d + j] as number) - (scaling.mean[j] as number)) / (scaling.std[j] as number);
    }
  }
  const l2 = options.C === undefined ? (options.l2 ?? 0) : 1 / (options.C * dataset.rows);
  const summary = summarize({ data: dataset, rowWeights: sample, l2 }, features, model.weights, model.bias, scaling);
  await writeText(world, options.output, options.format === 'json' ? summaryToJson(summary) : formatSummary(summary, options.label));
}
