/**
 * PostgreSQL through node-postgres (`pg`): the data stays in the server, a
 * table named by --table; neuron sends queries and reads back sums or, for
 * eval, the scores through a cursor. Every failure (a wrong URL, a server
 * that refuses or goes away, a missing table) is a NeuronError naming it.
 */
import type { Client, QueryArrayConfig, QueryArrayResult } from 'pg';
import { NeuronError } from '../../errors.js';
import type { SourceColumn } from '../../export/engine-query.js';
import { dialects } from '../../export/sql.js';
import type { Engine, EngineSource, EngineValue } from './engine.js';

/** The URL without its password, for messages. */
function shownUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

/** The server's or the driver's message as a NeuronError about the data source. */
export function postgresError(error: unknown, url: string): NeuronError {
  if (error instanceof NeuronError) return error;
  const e = error as { message?: string; code?: string };
  const message = e.message ?? String(error);
  const where = `PostgreSQL at ${shownUrl(url)}`;
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH' || e.code === 'ETIMEDOUT') {
    return new NeuronError(
      'cannot-connect',
      `cannot connect to ${where}: ${message}`,
      {},
      'check --db (postgresql://user@host:port/database) and that the server is running',
    );
  }
  if (e.code === '28P01' || e.code === '28000' || e.code === '3D000') {
    return new NeuronError('cannot-connect', `${where}: ${message}`, {}, 'check the user, password and database in --db');
  }
  if (/Connection terminated|terminating connection|ECONNRESET|EPIPE|Client has encountered a connection error/.test(message) || e.code === '57P01') {
    return new NeuronError(
      'engine-failed',
      `${where}: the connection was lost: ${message}`,
      {},
      'nothing was written; run the command again when the server is back',
    );
  }
  return new NeuronError('engine-failed', `${where}: ${message}`, {}, 'check --table and the columns named');
}

/** A table name, optionally schema-qualified (`schema.table`), each part quoted. */
export function tableName(table: string, option = '--table'): string {
  const parts = table.split('.');
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw new NeuronError('bad-table', `${option} ${JSON.stringify(table)} is not a table name`, {}, 'give a table, or schema.table');
  }
  return parts.map((part) => dialects.postgres.identifier(part)).join('.');
}

const NUMERIC = new Set(['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']);
const TEXT = new Set(['text', 'character varying', 'character', 'name']);

export async function openPostgres(source: EngineSource): Promise<Engine> {
  const url = source.db;
  if (url === undefined) throw new NeuronError('missing-option', '--engine postgres needs --db URL', {}, 'give --db postgresql://user@host:port/database');
  if (source.table === undefined) throw new NeuronError('missing-option', '--engine postgres needs --table NAME', {}, 'name the table that holds the data');
  const table = tableName(source.table);
  let pg: typeof import('pg').default;
  try {
    pg = (await import('pg')).default;
  } catch {
    throw new NeuronError('engine-unavailable', '--engine postgres needs the package pg, which is not installed', {}, 'npm install pg');
  }
  let client: Client;
  try {
    client = new pg.Client({ connectionString: url, application_name: 'neuron' });
  } catch (error) {
    throw new NeuronError(
      'bad-url',
      `--db ${JSON.stringify(shownUrl(url))} is not a connection URL: ${(error as Error).message}`,
      {},
      'give --db postgresql://user@host:port/database',
    );
  }
  // A server that goes away emits an error on the client as well as failing the query.
  let lost: unknown;
  client.on('error', (error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    throw postgresError(error, url);
  }
  const query = async (sql: string, values?: unknown[]): Promise<QueryArrayResult> => {
    try {
      const config: QueryArrayConfig<unknown[]> = { text: sql, values: values ?? [], rowMode: 'array' };
      return await client.query(config);
    } catch (error) {
      throw postgresError(lost ?? error, url);
    }
  };
  const values = (rows: unknown[][]): EngineValue[][] =>
    rows.map((row) => row.map((v) => (v === null ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v))));
  return {
    dialect: 'postgres',
    nullIsEmpty: false,
    from: `${table} AS neuron_source`,
    name: source.table,
    async columns(): Promise<SourceColumn[]> {
      const found = await query('SELECT to_regclass($1) IS NOT NULL', [table]);
      if (found.rows[0]?.[0] !== true) {
        throw new NeuronError(
          'no-such-table',
          `PostgreSQL at ${shownUrl(url)}: no table ${JSON.stringify(source.table)}`,
          {},
          'check --table (and the schema: schema.table)',
        );
      }
      const result = await query(
        'SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
        [table],
      );
      return result.rows.map((row) => {
        const name = String(row[0]);
        const type = String(row[1]);
        const base = type.replace(/\(.*\)$/, '');
        return { name, sqlName: name, type, kind: NUMERIC.has(base) ? 'number' : TEXT.has(base) ? 'text' : 'other' };
      });
    },
    async rows(sql) {
      const result = await query(sql);
      return values(result.rows as unknown[][]).map((row) =>
        row.map((v, i) => (typeof v === 'string' && isCount(result.fields[i]?.dataTypeID) ? Number(v) : v)),
      );
    },
    async eachBatch(sql, visit) {
      await query('BEGIN READ ONLY');
      try {
        await query(`DECLARE neuron_cursor NO SCROLL CURSOR FOR ${sql}`);
        for (;;) {
          const result = await query('FETCH 10000 FROM neuron_cursor');
          if (result.rows.length === 0) break;
          if (!(await visit(values(result.rows as unknown[][])))) break;
        }
      } finally {
        await query('COMMIT').catch(() => {});
      }
    },
    async keep(sql, alias) {
      // The data is in the server's tables already.
      return `(${sql}) AS ${alias}`;
    },
    async createTable(name, sql) {
      const target = tableName(name, '--into');
      const [exists] = (await query('SELECT to_regclass($1) IS NOT NULL', [target])).rows;
      if (exists?.[0] === true) {
        throw new NeuronError('table-exists', `--into ${JSON.stringify(name)}: the table already exists`, {}, 'name a new table, or drop the old one first');
      }
      // One transaction: a failure (or a server that goes away) leaves no table behind.
      await query('BEGIN');
      try {
        await query(`CREATE TABLE ${target} AS ${sql}`);
        await query('COMMIT');
      } catch (error) {
        await query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    interrupt() {
      // Ending the connection makes the server cancel the query (and roll back a table being created).
      client.end().catch(() => {});
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/** int8 (count) and numeric come back from pg as text; they are counts or sums here. */
function isCount(oid: number | undefined): boolean {
  return oid === 20 || oid === 1700;
}
