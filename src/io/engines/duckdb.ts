/**
 * Embedded DuckDB (@duckdb/node-api) over a file or a glob of files: CSV
 * (also gzipped), Parquet or NDJSON, chosen by the name's extension. A CSV is
 * read as text (all_varchar), so that neuron's number rule, not DuckDB's
 * type guess, decides what a number is; Parquet and JSON columns keep their
 * types. DuckDB uses every core. A query that is read many times over a
 * text file (train's checked rows) is kept in a scratch database file in a
 * temporary folder, removed on close (also after an error or Ctrl-C).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { NeuronError } from '../../errors.js';
import type { SourceColumn } from '../../export/engine-query.js';
import type { Engine, EngineSource, EngineValue } from './engine.js';

const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The reader for a path, by its extension (after a .gz). */
export function duckDbReader(source: EngineSource): string {
  const path = source.path ?? '';
  const bare = path.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (bare.endsWith('.parquet')) return `read_parquet(${quoteString(path)})`;
  if (/\.(ndjson|jsonl|json)$/.test(bare)) return `read_json(${quoteString(path)})`;
  return `read_csv(${quoteString(path)}, header = ${source.header}, delim = ${quoteString(source.delimiter)}, all_varchar = true)`;
}

/** DuckDB's memory while it writes a scratch table (see `keep`). */
const SCRATCH_MEMORY = '128MB';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(.*\))?)$/;

/** DuckDB's message, first line only (the rest is a caret under the query), as a NeuronError about the data. */
export function duckDbError(error: unknown, name: string): NeuronError {
  if (error instanceof NeuronError) return error;
  const message = (error as Error)?.message ?? String(error);
  const first = message.split('\n')[0] ?? message;
  if (/No files found/.test(first))
    return new NeuronError('no-such-file', `no such file: DuckDB found no file matching ${JSON.stringify(name)}`, {}, 'check the path or the glob');
  return new NeuronError('engine-failed', `DuckDB: ${first}`, { file: name }, 'check that the file is a CSV, Parquet or NDJSON file with the columns named');
}

function jsValue(v: unknown): EngineValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return String(v);
}

export async function openDuckDb(source: EngineSource): Promise<Engine> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch {
    throw new NeuronError(
      'engine-unavailable',
      '--engine duckdb needs the package @duckdb/node-api, which is not installed',
      {},
      'npm install @duckdb/node-api',
    );
  }
  const name = source.path ?? '';
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await api.DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
    connection = await instance.connect();
  } catch (error) {
    throw duckDbError(error, name);
  }
  const reader = duckDbReader(source);
  const csv = reader.startsWith('read_csv');
  const text = !reader.startsWith('read_parquet');
  let scratch: string | undefined;
  let kept = 0;
  const from = `${reader} AS neuron_source`;
  const run = async (sql: string) => {
    try {
      return await connection.runAndReadAll(sql);
    } catch (error) {
      throw duckDbError(error, name);
    }
  };
  return {
    dialect: 'duckdb',
    from,
    nullIsEmpty: csv,
    name,
    async columns(): Promise<SourceColumn[]> {
      const described = (await run(`DESCRIBE SELECT * FROM ${from}`)).getRowsJS();
      return described.map((row, i) => {
        const sqlName = String(row[0]);
        const type = String(row[1]);
        const kind = NUMERIC.test(type) ? 'number' : type === 'VARCHAR' ? 'text' : 'other';
        // A CSV without a header: DuckDB says column0, column1, ...; neuron says 1, 2, ...
        return { name: csv && !source.header ? String(i + 1) : sqlName, sqlName, type, kind };
      });
    },
    async rows(sql) {
      return (await run(sql)).getRowsJS().map((row) => row.map(jsValue));
    },
    async eachBatch(sql, visit) {
      try {
        const result = await connection.stream(sql);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (chunk === null || chunk.rowCount === 0) return;
          const rows = chunk.getRows().map((row) => row.map(jsValue));
          if (!(await visit(rows))) return;
        }
      } catch (error) {
        throw duckDbError(error, name);
      }
    },
    async keep(sql, alias) {
      // Parquet is read fast enough by each query (only the columns used, already typed).
      if (!text) return `(${sql}) AS ${alias}`;
      if (scratch === undefined) {
        scratch = mkdtempSync(join(tmpdir(), 'neuron-duckdb-'));
        await run(`SET temp_directory = ${quoteString(scratch)}`);
        await run(`ATTACH ${quoteString(join(scratch, 'scratch.duckdb'))} AS neuron_scratch`);
      }
      const table = `neuron_scratch.neuron_kept${kept++}`;
      // Written under a memory limit, so that DuckDB flushes the table to its file as it goes rather than holding
      // it (1 GB of RSS at 10M rows without); lifted after, for the queries over it.
      await run(`SET memory_limit = '${SCRATCH_MEMORY}'`);
      try {
        await run(`CREATE TABLE ${table} AS ${sql}`);
      } finally {
        await run('RESET memory_limit');
      }
      return `${table} AS ${alias}`;
    },
    async copyToParquet(sql, path) {
      await run(`COPY (${sql}) TO ${quoteString(path)} (FORMAT parquet)`);
    },
    interrupt() {
      connection.interrupt();
    },
    async close() {
      try {
        connection.closeSync();
        instance.closeSync();
      } finally {
        if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
