/**
 * `eval --engine duckdb` of an encoded softmax layer equals in-process eval
 * (stdout, stderr, exit code) for random category names (quotes, commas,
 * spaces, backslashes, missing-value words, any Unicode but control
 * characters) in a CSV quoted by the test: the cell is compared with the
 * categories as the same text in both paths, a cell that is none of them is
 * the same unknown-category error (as each path names the row), and an empty
 * cell takes the fill. ENGINE_RUNS=200 for a longer session.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/helpers.js';

const RUNS = Number(process.env.ENGINE_RUNS ?? 12);
const dir = mkdtempSync(join(tmpdir(), 'neuron-engine-categories-'));

const piece = fc.constantFrom('"', "'", ',', ' ', '\\', 'NA', 'null', 'é', '名', '🙂', '=', 'a', 'B', '1', '.');
/** A category: pieces and any printable text, without control characters (the loader refuses them). */
const category = fc
  .array(fc.oneof(piece, fc.string({ unit: 'grapheme', maxLength: 3 })), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''))
  .filter((name) => name.trim() !== '' && !/[\p{Cc}\p{Cs}\u2028\u2029\u0085]/u.test(name) && name.length <= 20);

/** A CSV cell quoted as RFC 4180 says. */
const quoted = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

describe('eval --engine duckdb, encoded softmax, random category names', () => {
  it('equals in-process eval', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(category, { minLength: 2, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (categories, picks, withUnknown) => {
          run++;
          const k = 3;
          const features = ['x', ...categories.map((c) => `c=${c}`)];
          const model = {
            features,
            weights: Array.from({ length: k }, (_, c) => features.map((_, j) => ((c + 1) * (j + 2)) / 7 - 1)),
            bias: [0.5, -0.25, 0],
            activation: 'softmax',
            classes: ['p', 'q', 'r'],
            categories: { c: categories },
            impute: { c: categories[0] },
          };
          // Each row: a category, an empty cell (the fill), or (withUnknown, last row) a text none of them is.
          const cells = picks.map((n) => (n % (categories.length + 1) === categories.length ? '' : (categories[n % categories.length] as string)));
          if (withUnknown) cells.push(`${categories.join('')}?`);
          const csv = `x,c\n${cells.map((cell, i) => `${i / 2},${cell === '' ? '' : quoted(cell)}`).join('\n')}\n`;
          const data = join(dir, `data-${run}.csv`);
          const weights = join(dir, `model-${run}.json`);
          writeFileSync(data, csv);
          writeFileSync(weights, JSON.stringify(model));
          const inProcess = await runInProcess(['eval', data, '-w', weights, '--keep', 'c']);
          const engine = await runInProcess(['eval', data, '-w', weights, '--keep', 'c', '--engine', 'duckdb']);
          if (!withUnknown) {
            expect(inProcess.code).toBe(0);
            expect(engine).toEqual(inProcess);
            return;
          }
          expect([inProcess.code, engine.code]).toEqual([1, 1]);
          const row = cells.length;
          // In-process names the file's line (row + 1) and column 2; the engine names the row.
          expect(engine.stderr).toBe(inProcess.stderr.replace(`${data}:${row + 1}:2: `, `${data}: row ${row}: `));
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);
});
