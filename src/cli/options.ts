/**
 * Option value parsers, run by commander while it reads the command line,
 * so a bad value is a usage error (exit 2) before any file is opened.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import { NeuronError } from '../errors.js';
import { engineNames } from '../io/engines/engine.js';
import type { ImputeSpec, ImputeStrategy } from '../learn/design.js';
import { activationNames } from '../neuron/activations.js';
import type { OptionNames } from '../neuron/columns.js';
import { unknownPolicies } from '../neuron/encoding.js';
import { MAX_SEED } from '../neuron/model.js';
import { nameProblem } from '../neuron/name-rules.js';
import { missingPolicies, parseNumberCell } from '../neuron/numbers.js';
import { BLOCK_BYTES } from './parallel.js';

/** How error messages of the pure layers name the options: as the command line spells them. */
export const FLAG_NAMES: OptionNames = { features: '--features', keep: '--keep', label: '--label' };

/** The label column as error messages name it. */
export const LABEL_ROLE = `${FLAG_NAMES.label} column`;

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) {
    throw new InvalidArgumentError(`Expected a whole number from 0 to ${MAX_SEED}.`);
  }
  return Number(text);
}

export function parseFiniteNumber(text: string): number {
  const value = parseNumberCell(text);
  if (Number.isNaN(value)) throw new InvalidArgumentError('Expected a number such as 0.5.');
  return value;
}

export function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1_000_000) {
    throw new InvalidArgumentError('Expected a whole number from 1 to 1000000.');
  }
  return Number(text);
}

export function parseByteCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 2 ** 30) {
    throw new InvalidArgumentError('Expected a whole number of bytes from 1 to 1073741824.');
  }
  return Number(text);
}

/** A data row number, 1 = the first row under the header (explain --row, plot --row). */
export function parseRow(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError('expected a row number from 1 (the first row under the header).');
  }
  return Number(text);
}

export function parsePrecision(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 20) {
    throw new InvalidArgumentError('Expected a whole number of digits from 0 to 20.');
  }
  return Number(text);
}

export function parsePositiveNumber(text: string): number {
  const value = parseNumberCell(text);
  if (!(value > 0)) throw new InvalidArgumentError('Expected a number greater than 0.');
  return value;
}

/** A number >= 0, written as any number (`0`, `0.0`, `0e0`, `1e-3`); -0 is 0. */
export function parseNonNegativeNumber(text: string): number {
  const value = parseNumberCell(text);
  if (!(value >= 0)) throw new InvalidArgumentError('Expected a number of 0 or more, such as 0.01.');
  return value + 0;
}

/** A comma-separated list of column names; names are not trimmed, empty names are refused. */
export function parseList(text: string): string[] {
  const names = text.split(',');
  if (names.some((name) => name === '')) {
    throw new InvalidArgumentError('Expected comma-separated column names, none empty (quote names with spaces).');
  }
  return names;
}

/**
 * Two class names. Spaces around each are trimmed ("Not Obese, Obese" is
 * ["Not Obese", "Obese"]): labels are compared trimmed, so a name with a
 * leading space could never match one.
 */
export function parseClasses(text: string): [string, string] {
  const names = text.split(',').map((name) => name.trim());
  if (names.length !== 2 || names.includes('') || names[0] === names[1]) {
    throw new InvalidArgumentError('Expected two different class names, such as "Not Obese,Obese".');
  }
  return [names[0] ?? '', names[1] ?? ''];
}

/** random-init's --classes: two or more different class names (three or more make a softmax layer), trimmed as parseClasses trims. */
export function parseClassNames(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.length < 2 || names.includes('') || new Set(names).size !== names.length) {
    throw new InvalidArgumentError('Expected two or more different class names, comma-separated, such as "Not Obese,Obese" or setosa,versicolor,virginica.');
  }
  return names;
}

/** train's --classes: the label value that is class 1, or class 0 and class 1. */
export function parseTrainClasses(text: string): string[] {
  const values = text.split(',').map((value) => value.trim());
  if (values.length > 2 || values.some((value) => value === '') || values[0] === values[1]) {
    throw new InvalidArgumentError(
      'Expected one label value (class 1), or two different ones comma-separated (class 0,class 1), such as Obese or "Not Obese,Obese".',
    );
  }
  return values;
}

export function parseDelimiter(text: string): string {
  const value = text === '\\t' || text === 'tab' ? '\t' : text;
  if ([...value].length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw new InvalidArgumentError('Expected one character, such as ";" or "\\t" (not a quote or newline).');
  }
  return value;
}

/**
 * The format an output file's extension asks for (`.csv`, `.tsv`, `.json`,
 * `.ndjson`, `.jsonl` for ndjson), if the command offers it; the same rule
 * in every command that has `--format` and `-o`.
 */
export function formatFromExtension<F extends string>(output: string | undefined, offered: readonly F[]): F | undefined {
  const extension = /\.([a-z]+)$/i.exec(output ?? '')?.[1]?.toLowerCase();
  const name = extension === 'jsonl' ? 'ndjson' : extension;
  return name !== undefined && name !== 'table' && name !== 'text' && (offered as readonly string[]).includes(name) ? (name as F) : undefined;
}

/**
 * The hint for a missing input value in a command with --missing, naming the
 * policies it offers (train has no zero: a label cannot be zero).
 */
export function missingHint(policies: readonly string[] = missingPolicies): string {
  const zero = policies.includes('zero') ? ' or --missing zero' : '';
  return `fill in the value, or pass --missing skip (drop the row)${zero}`;
}

/** A missing input value in the words of a command with all of --missing (eval, metrics). */
export const MISSING_WORDING = { 'missing-value': () => ({ hint: missingHint() }) } as const;

/** A category a model does not know, in the words of a command with --unknown (the encoder's hint names the library option). */
export const UNKNOWN_WORDING = {
  'unknown-category': () => ({ hint: 'fix the cell, or pass --unknown zero (score it with every indicator of the column 0)' }),
} as const;

/**
 * Options that several commands share, defined once so their spelling,
 * parsing and help text cannot drift apart. Each call makes a new Option.
 */
export const shared = {
  weights: (help = 'weights file (JSON)') => new Option('-w, --weights <file>', help),
  features: (help = 'input columns, comma-separated, in weight order') => new Option('--features <columns>', help).argParser(parseList),
  activation: (help = 'override the activation') => new Option('--activation <name>', help).choices(activationNames),
  threshold: (help = 'class 1 iff the activation output >= t (default: iff z >= 0)') => new Option('--threshold <t>', help).argParser(parseFiniteNumber),
  delimiter: (help = 'input field delimiter') => new Option('--delimiter <char>', help).argParser(parseDelimiter).default(','),
  noHeader: (help = 'the data has no header line: columns are named 1, 2, 3, ...') => new Option('--no-header', help),
  output: (help = 'write to this file (atomically) instead of standard output') => new Option('-o, --output <file>', help),
  engine: (help = 'read the data with an engine: duckdb (a CSV, .csv.gz, Parquet or NDJSON file, or a glob) or postgres (--db, --table)') =>
    new Option('--engine <name>', help).choices(engineNames),
  db: (help = 'with --engine postgres: the connection URL, postgresql://user@host:port/database') => new Option('--db <url>', help),
  table: (help = 'with --engine postgres: the table that holds the data (table or schema.table)') => new Option('--table <name>', help),
  classes: (help = 'override the two class names, comma-separated (e.g. "Not Obese,Obese"); spaces around each are trimmed') =>
    new Option('--classes <names>', help).argParser(parseClasses),
  /** A missing value (empty, NA, NaN, null, None); train offers error and skip only (a label cannot be zero). */
  missing: (choices: readonly string[] = missingPolicies, help = 'a missing value (empty, NA, N/A, NaN, null, None) in an input') =>
    new Option('--missing <policy>', help).choices(choices).default('error'),
  /** A cell of a one-hot column ("categories") that is none of the model's categories. */
  unknown: (help = 'a category the model does not know, in a one-hot column (zero: every indicator 0)') =>
    new Option('--unknown <policy>', help).choices(unknownPolicies).default('error'),
  /** eval, metrics and train read a large regular file on worker threads (parallel.ts). */
  threads: (help = `worker threads that read a large file (default: the cores, at most ${MAX_DEFAULT_THREADS})`) =>
    new Option('--threads <n>', help).argParser(parseCount),
  blockBytes: () => new Option('--block-bytes <n>', 'bytes of input per parallel block (for tests)').argParser(parseByteCount).default(BLOCK_BYTES).hideHelp(),
};

/**
 * The most worker threads eval and metrics start unasked: each is an isolate of its own (about 20 MB), and
 * on the 2-core machine measured (README, Performance: On every core) 2 threads cut eval's wall time by a
 * fifth; more cores than 4 were not measured.
 */
export const MAX_DEFAULT_THREADS = 4;

/** eval's and metrics' --threads when it is not given: the available cores, at most MAX_DEFAULT_THREADS. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
}

/** --threads reads a file in-process: an engine uses every core itself. */
export function checkThreads(options: { readonly engine?: string | undefined; readonly threads?: number | undefined }): void {
  if (options.engine !== undefined && (options.threads ?? 1) > 1) {
    throw new NeuronError('conflicting-options', '--threads is for in-process reading; the engine uses every core', {}, 'drop --threads');
  }
}

/** train's --class-weight: `balanced`, or `class=weight,...` by class name (weights > 0 and finite). */
export function parseClassWeight(text: string): 'balanced' | Map<string, number> {
  if (text === 'balanced') return 'balanced';
  const weights = new Map<string, number>();
  for (const part of text.split(',')) {
    const at = part.lastIndexOf('=');
    const value = at === -1 ? Number.NaN : parseNumberCell(part.slice(at + 1));
    if (at <= 0 || !(value > 0) || !Number.isFinite(value) || weights.has(part.slice(0, at))) {
      throw new InvalidArgumentError('Expected balanced, or class=weight pairs comma-separated with weights above 0, such as 0=1,1=3.');
    }
    weights.set(part.slice(0, at), value);
  }
  return weights;
}

/**
 * train's --impute: a strategy for every input column (`mean`, `median`,
 * `zero`, `constant=V`) and/or `COLUMN=STRATEGY` for one column, comma-separated
 * (`median,port=constant=S`). An item that is a strategy itself is the default;
 * any other splits at its first `=` into the column and its strategy.
 */
export function parseImpute(text: string): ImputeSpec {
  const strategyOf = (item: string): ImputeStrategy | undefined => {
    if (item === 'mean' || item === 'median' || item === 'zero') return { kind: item };
    if (item.startsWith('constant=') && item.length > 'constant='.length) {
      const value = item.slice('constant='.length);
      // A constant may become a category, so an input's name in the weights file.
      const problem = nameProblem(value);
      if (problem !== undefined) throw new InvalidArgumentError(`The constant ${JSON.stringify(value)} ${problem}.`);
      return { kind: 'constant', value };
    }
    return undefined;
  };
  const columns = new Map<string, ImputeStrategy>();
  let all: ImputeStrategy | undefined;
  const wrong = () =>
    new InvalidArgumentError('Expected mean, median, zero or constant=V for every input, and/or COLUMN=STRATEGY per column, such as median,port=constant=S.');
  for (const item of text.split(',')) {
    const strategy = strategyOf(item);
    if (strategy !== undefined) {
      if (all !== undefined) throw wrong();
      all = strategy;
      continue;
    }
    const at = item.indexOf('=');
    const column = item.slice(0, at);
    const own = at > 0 ? strategyOf(item.slice(at + 1)) : undefined;
    if (own === undefined || columns.has(column)) throw wrong();
    columns.set(column, own);
  }
  return { all, columns };
}
