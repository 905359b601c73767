/**
 * A connection to the engine that holds the data (`--engine duckdb|postgres`):
 * neuron sends it queries (built in src/export/engine-query.ts and
 * train-step.ts) and reads back rows of numbers and text. Each engine's
 * client library is loaded only when that engine is used, so the other
 * commands start as fast as before.
 */
import type { EngineDialect, SourceColumn } from '../../export/engine-query.js';

/** A value in a result row: a double, a text, or NULL. Counts come back as numbers. */
export type EngineValue = number | string | null;

export interface Engine {
  readonly dialect: EngineDialect;
  /** The data as a FROM item. */
  readonly from: string;
  /** Names the data in messages: the file (pattern) or the table. */
  readonly name: string;
  /** Whether a NULL is an empty cell of a text file (a CSV read by DuckDB). */
  readonly nullIsEmpty: boolean;
  /** The data's columns, with neuron's names for them. */
  columns(): Promise<SourceColumn[]>;
  /** The whole result of a small query. */
  rows(sql: string): Promise<EngineValue[][]>;
  /** A large result in batches, in order; `visit` returns false to stop. */
  eachBatch(sql: string, visit: (rows: EngineValue[][]) => Promise<boolean>): Promise<void>;
  /**
   * A query that later queries read many times (train's steps), as a FROM item named `alias`: DuckDB
   * keeps the result of a query over a text file (CSV, NDJSON) in a scratch database file, deleted on
   * close, so that the file is not parsed again for each read; otherwise the query itself.
   */
  keep(sql: string, alias: string): Promise<string>;
  /** Writes a query's result to a Parquet file (DuckDB only). */
  readonly copyToParquet?: (sql: string, path: string) => Promise<void>;
  /** Creates a new table from a query's result, all or nothing; refuses an existing one (PostgreSQL only). */
  readonly createTable?: (name: string, sql: string) => Promise<void>;
  /** Stops the running query (Ctrl-C). */
  interrupt(): void;
  close(): Promise<void>;
}

/** Where the data is, as the command line gives it. */
export interface EngineSource {
  /** duckdb: a file or a glob (CSV, .csv.gz, Parquet, NDJSON); postgres: unused. */
  readonly path?: string | undefined;
  /** postgres: the connection URL and the table. */
  readonly db?: string | undefined;
  readonly table?: string | undefined;
  readonly delimiter: string;
  readonly header: boolean;
}

export const engineNames = ['duckdb', 'postgres'] as const;
export type EngineName = (typeof engineNames)[number];

/** Opens the engine, loading its client library now. */
export async function openEngine(name: EngineName, source: EngineSource): Promise<Engine> {
  if (name === 'duckdb') return (await import('./duckdb.js')).openDuckDb(source);
  return (await import('./postgres.js')).openPostgres(source);
}
