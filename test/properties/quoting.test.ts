/**
 * Quoting changes nothing: the same data written with as few quotes as CSV
 * needs (most rows then take the reader's fast path) and with every field
 * quoted (csv-parse reads it all) gives every command the same stdout,
 * stderr, exit code and side files, byte for byte. Errors name a line and
 * a column number: those must agree too. Data goes through standard input,
 * so both copies have the same name in messages.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'neuron-quoting-'));
const weightsPath = join(dir, 'w.json');
const metricsPath = join(dir, 'metrics.json');

/** RFC 4180: a field is quoted only when it must be. */
const minimal = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
const quoted = (field: string) => `"${field.replaceAll('"', '""')}"`;

/** An id: mostly plain, sometimes with the characters quoting exists for. */
const id = fc.array(fc.constantFrom('a', 'b', '7', ' ', ',', '"', '\n', '\r\n', "'"), { minLength: 0, maxLength: 5 }).map((parts) => parts.join(''));

/** A number cell in the spellings neuron reads, a few missing values and, rarely, a bad one. */
const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }).map(String) },
  { weight: 3, arbitrary: fc.integer({ min: -50, max: 50 }).map((n) => (n % 3 === 0 ? ` ${n} ` : String(n))) },
  { weight: 1, arbitrary: fc.constantFrom('', 'NA', 'null', ' ') },
  { weight: 1, arbitrary: fc.constantFrom('1e3', '.5', '+2', 'abc', '4,5', '1e999') },
);

const label = fc.oneof({ weight: 20, arbitrary: fc.constantFrom('0', '1', ' 1') }, { weight: 1, arbitrary: fc.constantFrom('yes', '') });

const dataset = fc.integer({ min: 1, max: 4 }).chain((width) =>
  fc.record({
    weights: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: width, maxLength: width }),
    bias: fc.double({ min: -2, max: 2, noNaN: true }),
    rows: fc.array(fc.tuple(id, fc.array(value, { minLength: width, maxLength: width }), label), { minLength: 0, maxLength: 12 }),
    newline: fc.constantFrom('\n', '\r\n'),
    trailing: fc.boolean(),
  }),
);

type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never;

/** The data as CSV text, each field written by `field`. */
function csv(data: Dataset, field: (f: string) => string): string {
  const names = data.weights.map((_, i) => `x${i + 1}`);
  const records = [['id', ...names, 'y'], ...data.rows.map(([rowId, values, y]) => [rowId, ...values, y])];
  const text = records.map((record) => record.map(field).join(',')).join(data.newline);
  return data.trailing ? text + data.newline : text;
}

interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
  metrics: string | undefined;
}

async function outcome(argv: string[], stdin: string): Promise<Outcome> {
  rmSync(metricsPath, { force: true });
  const result = await runInProcess(argv, { stdin });
  let metrics: string | undefined;
  try {
    metrics = readFileSync(metricsPath, 'utf8');
  } catch {
    metrics = undefined;
  }
  return { ...result, metrics };
}

describe('quoted and unquoted copies of the same data', () => {
  it('give eval, train, metrics and explain the same bytes and exit code', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(dataset, async (data) => {
        const names = data.weights.map((_, i) => `x${i + 1}`);
        writeFileSync(weightsPath, JSON.stringify({ features: names, weights: data.weights, bias: data.bias }));
        const plain = csv(data, minimal);
        const everyField = csv(data, quoted);
        const commands = [
          ...['error', 'skip', 'zero'].map((policy) => [
            'eval',
            '-',
            '-w',
            weightsPath,
            '--keep',
            'id',
            '--label',
            'y',
            '--metrics',
            metricsPath,
            '--missing',
            policy,
          ]),
          ['train', '-', '--label', 'y', '--features', names.join(','), '--epochs', '3', '--classes', '0,1'],
          ['metrics', '-', '-w', weightsPath, '--label', 'y'],
          ['explain', '-', '-w', weightsPath, '--label', 'y', '--rows', '1-', '--format', 'json'],
        ];
        for (const argv of commands) {
          const a = await outcome(argv, plain);
          const b = await outcome(argv, everyField);
          expect(b, `${argv.join(' ')}\n--- unquoted:\n${plain}\n--- quoted:\n${everyField}`).toEqual(a);
          if (a.code === 0) checked++;
        }
      }),
      { numRuns: RUNS },
    );
    // The property means little if every run failed: some must succeed.
    expect(checked).toBeGreaterThan(RUNS);
  }, 120_000);
});
