/** `neuron export`: a weights file as SQL, JavaScript or Python that scores rows where the data lives. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { exportJs, exportPython } from '../../export/code.js';
import { type LinearModel, linearModel } from '../../export/linear.js';
import { DEFAULT_DIALECT, type DialectName, dialectNames, exportSql } from '../../export/sql.js';
import { FLAG_NAMES, shared } from '../options.js';
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
  features?: string[];
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
    .addOption(shared.features('input column names in weight order, comma-separated (for positional weights)'))
    .addOption(shared.output())
    .action(async (options: ExportOptions) => {
      await runExport(world, options);
    });
}

/** exportSql's errors in the words of the command line. */
const SQL_WORDING = {
  'missing-option': () => ({ hint: "give --table NAME (any FROM item, e.g. read_csv('data.csv')), or --expression for the bare expressions" }),
  'output-name-clash': () => ({ hint: 'use --expression and name the outputs yourself, or rename the column' }),
  'name-collision': () => ({ hint: 'rename one of them (in the weights file, or with --features)' }),
  'bad-table': (error: NeuronError) => ({ message: error.message.replace(/^the table /, '--table ') }),
} as const;

function sqlText(model: LinearModel, options: ExportOptions): string {
  try {
    return exportSql(model, { dialect: options.dialect ?? DEFAULT_DIALECT, table: options.table, expression: options.expression });
  } catch (error) {
    throw reword(error, SQL_WORDING);
  }
}

async function runExport(world: World, options: ExportOptions): Promise<void> {
  if (options.to !== 'sql') {
    const stray = [options.dialect && '--dialect', options.table !== undefined && '--table', options.expression && '--expression'].filter(Boolean);
    if (stray.length > 0)
      throw new NeuronError(
        'conflicting-options',
        `${stray.join(', ')} only ${stray.length === 1 ? 'goes' : 'go'} with --to sql`,
        {},
        `drop ${stray.join(', ')}`,
      );
  }
  if (options.expression === true && options.table !== undefined) {
    throw new NeuronError(
      'conflicting-options',
      '--table and --expression both given',
      {},
      'use --table for a whole query, or --expression for the bare expressions',
    );
  }
  const model = linearModel(await loadWeights(world, options.weights), {
    features: options.features,
    weightsFile: weightsName(options.weights),
    names: FLAG_NAMES,
  });
  const text = options.to === 'js' ? exportJs(model) : options.to === 'python' ? exportPython(model) : sqlText(model, options);
  await writeText(world, options.output, text);
}
