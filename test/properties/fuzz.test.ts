/**
 * Bounded fuzzing of the two parsers that read what users did not write:
 * the CSV reader and the weights loader. Any input must give a result or a
 * NeuronError, never another exception. FUZZ_RUNS raises the count for a
 * longer session (the default keeps CI to a few seconds).
 */

import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuronError } from '../../src/errors.js';
import { readCsv } from '../../src/io/csv.js';
import { parseJson } from '../../src/io/weights-file.js';
import { parseModel } from '../../src/neuron/model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

function neverCrashes(run: () => unknown): boolean {
  try {
    run();
  } catch (error) {
    if (!(error instanceof NeuronError)) throw error;
  }
  return true;
}

describe('fuzz: weights loader', () => {
  const key = fc.constantFrom('features', 'weights', 'bias', 'activation', 'classes', 'threshold', 'init', '__proto__', 'bais', 'seed', 'a');
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  })).value;

  it('structured JSON values', () => {
    fc.assert(
      fc.property(fc.dictionary(key, json, { maxKeys: 7 }), (value) => neverCrashes(() => parseModel(parseJson(JSON.stringify(value), 'w.json'), 'w.json'))),
      { numRuns: RUNS },
    );
  });

  it('arbitrary text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
    );
    fc.assert(
      fc.property(text, (t) => neverCrashes(() => parseModel(parseJson(t, 'w.json'), 'w.json'))),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: CSV reader', () => {
  async function readAll(bytes: Uint8Array): Promise<void> {
    try {
      for await (const row of readCsv(Readable.from([Buffer.from(bytes)]), { file: 'f.csv', delimiter: ',' })) {
        expect(Array.isArray(row.record)).toBe(true);
        expect(row.line).toBeGreaterThanOrEqual(1);
      }
    } catch (error) {
      if (!(error instanceof NeuronError)) throw error;
      expect(error.where.file).toBe('f.csv');
    }
  }

  it('arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), readAll), { numRuns: RUNS });
  }, 600_000); // the run count, not a time, bounds these: the machine may be loaded

  it('CSV-like text', async () => {
    const piece = fc.constantFrom('a', '1', ',', '"', '""', '\n', '\r\n', '\r', ' ', '\uFEFF', 'é', '\u0000');
    const text = fc.array(piece, { maxLength: 60 }).map((parts) => new TextEncoder().encode(parts.join('')));
    await fc.assert(fc.asyncProperty(text, readAll), { numRuns: RUNS });
  }, 600_000);
});
