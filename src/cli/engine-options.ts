/**
 * The command-line options of --engine, checked before anything is opened.
 * Kept apart from the engine code (engine-data.ts and what it loads), which
 * the commands load only when --engine is given, so start-up is unchanged.
 */
import { NeuronError } from '../errors.js';
import type { EngineName, EngineSource } from '../io/engines/engine.js';

export type { EngineName };

/** The options every command with --engine has: the engine, and where its data is. */
export interface EngineOptions extends Omit<EngineSource, 'path'> {
  readonly engine?: EngineName | undefined;
}

/** Refuses --db and --table without the engine that reads them. */
export function checkEngineOptions(options: EngineOptions, dataPath: string | undefined): void {
  if (options.engine !== 'postgres') {
    const stray = [options.db !== undefined && '--db', options.table !== undefined && '--table'].filter(Boolean);
    if (stray.length > 0)
      throw new NeuronError(
        'conflicting-options',
        `${stray.join(' and ')} only go with --engine postgres`,
        {},
        `add --engine postgres, or drop ${stray.join(' and ')}`,
      );
  }
  if (options.engine === 'duckdb' && dataPath === '-') {
    throw new NeuronError(
      'conflicting-options',
      '--engine duckdb reads files, not standard input',
      {},
      'name the file (CSV, .csv.gz, Parquet, NDJSON) or a glob of them',
    );
  }
  if (options.engine === 'postgres' && dataPath !== undefined && dataPath !== '-') {
    throw new NeuronError(
      'conflicting-options',
      `--engine postgres reads --table, not the file ${JSON.stringify(dataPath)}`,
      {},
      'give - as the data argument, or leave it out',
    );
  }
}
