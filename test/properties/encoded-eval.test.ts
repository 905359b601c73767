/**
 * An encoded model ("categories", "impute", maybe "scaling") scores a raw
 * CSV exactly as the same weights without the encoding score that CSV
 * one-hot encoded and filled in by hand: on random models (one neuron or a
 * softmax layer) and random rows, `neuron eval` writes the same bytes. And
 * the library's scoreRecord on the raw cells gives eval's numbers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/neuron/model.js';
import { scoreRecord } from '../../src/neuron/values.js';
import { runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-encoded-eval-'));
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** CSV quoting, as a careful writer quotes. */
const field = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const weight = fc.double({ min: -5, max: 5, noNaN: true });
/** Category names with the characters CSV and the one-hot names must survive. */
const category = fc.constantFrom('a', 'B', 'c d', 'x,y', 'say "hi"', 'é', '0', '1.5');

const input = fc
  .record({
    numeric: fc.integer({ min: 0, max: 2 }),
    oneHot: fc.array(fc.uniqueArray(category, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 }),
    classes: fc.integer({ min: 1, max: 4 }),
    scaled: fc.boolean(),
  })
  .chain(({ numeric, oneHot, classes, scaled }) => {
    const d = numeric + oneHot.reduce((n, list) => n + list.length, 0);
    const k = classes === 1 ? 1 : classes;
    return fc.record({
      numeric: fc.constant(numeric),
      oneHot: fc.constant(oneHot),
      k: fc.constant(k),
      weights: fc.array(fc.array(weight, { minLength: d, maxLength: d }), { minLength: k, maxLength: k }),
      bias: fc.array(weight, { minLength: k, maxLength: k }),
      scaling: scaled
        ? fc.record({
            mean: fc.array(weight, { minLength: d, maxLength: d }),
            std: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: d, maxLength: d }),
          })
        : fc.constant(undefined),
      numericFills: fc.array(fc.option(weight, { nil: undefined }), { minLength: numeric, maxLength: numeric }),
      categoryFills: fc.tuple(...oneHot.map((list) => fc.option(fc.constantFrom(...list), { nil: undefined }))),
      rows: fc.array(
        fc.record({
          numbers: fc.array(fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { nil: undefined, freq: 4 }), {
            minLength: numeric,
            maxLength: numeric,
          }),
          cells: fc.tuple(...oneHot.map((list) => fc.option(fc.constantFrom(...list), { nil: undefined, freq: 4 }))),
        }),
        { minLength: 1, maxLength: 15 },
      ),
    });
  });

describe('an encoded model and its plain twin on the hand-encoded CSV', () => {
  it('neuron eval writes the same output, and scoreRecord gives its numbers', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (c) => {
        const numericNames = Array.from({ length: c.numeric }, (_, j) => `n${j}`);
        const columns = c.oneHot.map((_, j) => `cat${j}`);
        const features = [...numericNames, ...c.oneHot.flatMap((list, j) => list.map((name) => `cat${j}=${name}`))];
        const layer = c.k > 1;
        const shape = layer
          ? { weights: c.weights, bias: c.bias, activation: 'softmax', classes: c.bias.map((_, i) => `c${i}`) }
          : { weights: c.weights[0], bias: c.bias[0] };
        const impute: Record<string, number | string> = {};
        c.numericFills.forEach((fill, j) => {
          if (fill !== undefined) impute[`n${j}`] = fill;
        });
        c.categoryFills.forEach((fill, j) => {
          if (fill !== undefined) impute[`cat${j}`] = fill;
        });
        const base = { features, ...shape, ...(c.scaling === undefined ? {} : { scaling: c.scaling }) };
        const encoded = { ...base, categories: Object.fromEntries(c.oneHot.map((list, j) => [`cat${j}`, list])), impute };
        // Rows with a missing value and no fill would be an error: they get a value instead. A missing cell is NA
        // (an empty one would make a blank line of a one-column CSV, which is no row).
        const rows = c.rows.map((row) => ({
          numbers: row.numbers.map((x, j) => (x === undefined && c.numericFills[j] === undefined ? 1 : x)),
          cells: row.cells.map((cell, j) => (cell === undefined && c.categoryFills[j] === undefined ? c.oneHot[j]?.[0] : cell)),
        }));
        const raw = `${[...numericNames, ...columns].join(',')}\n${rows
          .map((row) => [...row.numbers.map((x) => (x === undefined ? 'NA' : JSON.stringify(x))), ...row.cells.map((cell) => field(cell ?? 'NA'))].join(','))
          .join('\n')}\n`;
        const byHand = `${features.map(field).join(',')}\n${rows
          .map((row) => {
            const numbers = row.numbers.map((x, j) => JSON.stringify(x ?? c.numericFills[j]));
            const hot = c.oneHot.flatMap((list, j) => list.map((name) => ((row.cells[j] ?? c.categoryFills[j]) === name ? '1' : '0')));
            return [...numbers, ...hot].join(',');
          })
          .join('\n')}\n`;
        writeFileSync(join(dir, 'encoded.json'), JSON.stringify(encoded));
        writeFileSync(join(dir, 'plain.json'), JSON.stringify(base));
        const fromRaw = await runInProcess(['eval', '-', '-w', join(dir, 'encoded.json'), '--format', 'ndjson'], { stdin: raw });
        const fromHand = await runInProcess(['eval', '-', '-w', join(dir, 'plain.json'), '--format', 'ndjson'], { stdin: byHand });
        expect(fromRaw.stderr).toBe('');
        expect(fromRaw).toEqual(fromHand);
        const model = parseModel(encoded);
        const lines = fromRaw.stdout.trim().split('\n');
        rows.forEach((row, r) => {
          const record: Record<string, number | string> = {};
          row.numbers.forEach((x, j) => {
            record[`n${j}`] = x === undefined ? '' : x;
          });
          row.cells.forEach((cell, j) => {
            record[`cat${j}`] = cell ?? 'NA';
          });
          const p = scoreRecord(model, record);
          const line = JSON.parse(lines[r] ?? '') as Record<string, number | string>;
          const numbers = 'probabilities' in p ? [...p.z, ...p.probabilities] : [p.z, p.output];
          expect([...numbers.map((v) => v + 0), p.class]).toEqual(Object.values(line));
        });
      }),
      { numRuns: RUNS },
    );
  });
});
