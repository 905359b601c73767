/** `neuron export`: a weights file as SQL, JavaScript or Python that scores rows where the data lives. */
import { type Command, Option } from 'commander';
import { NeuronError } from '../../errors.js';
import { exportJs, exportPython } from '../../export/code.js';
import { linearModel } from '../../export/linear.js';
import { DEFAULT_DIALECT, type DialectName, dialectNames, exportSql } from '../../export/sql.js';
import { shared } from '../options.js';
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

async function runExport(world: World, options: ExportOptions): Promise<void> {
  if (options.to !== 'sql') {
    const stray = [options.dialect && '--dialect', options.table !== undefined && '--table', options.expression && '--expression'].filter(Boolean);
    if (stray.length > 0)
      throw new NeuronError('usage', `${stray.join(', ')} only ${stray.length === 1 ? 'goes' : 'go'} with --to sql`, {}, `drop ${stray.join(', ')}`);
  }
  if (options.expression === true && options.table !== undefined) {
    throw new NeuronError('usage', '--table and --expression both given', {}, 'use --table for a whole query, or --expression for the bare expressions');
  }
  const model = linearModel(await loadWeights(world, options.weights), { features: options.features, weightsFile: weightsName(options.weights) });
  const text =
    options.to === 'js'
      ? exportJs(model)
      : options.to === 'python'
        ? exportPython(model)
        : exportSql(model, { dialect: options.dialect ?? DEFAULT_DIALECT, table: options.table, expression: options.expression });
  await writeText(world, options.output, text);
}
