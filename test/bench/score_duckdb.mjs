#!/usr/bin/env node
/**
 * The DuckDB baseline for `npm run bench`: the same job as
 * `neuron eval data.csv -w weights.json --keep id -o out.csv`, through
 * @duckdb/node-api in one process (its whole life is timed: start-up,
 * reading the CSV, scoring, writing the CSV). The SQL is neuron's own
 * export (`neuron export --to sql --table "read_csv(...)"`), so z, the
 * sigmoid and the class are computed as eval computes them.
 * Usage: node score_duckdb.mjs query.sql out.csv threads
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [queryPath, outPath, threads] = process.argv.slice(2);
const query = readFileSync(queryPath, 'utf8').replace(/;\s*$/, '');
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const out = outPath.replaceAll("'", "''");
await connection.run(`COPY (SELECT id, z, sigmoid, class FROM (${query})) TO '${out}' (HEADER, DELIMITER ',')`);
