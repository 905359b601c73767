/** Rules that hold for all inputs, checked with fast-check. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/neuron/activations.js';
import { runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-prop-'));

/** One unit in the last place of x (x >= 0). */
function ulp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const exponent = Math.floor(Math.log2(x));
  return Math.max(2 ** (exponent - 52), Number.MIN_VALUE);
}

describe('sigmoid', () => {
  // "The larger" is the larger of sigmoid(z) and sigmoid(-z) (>= 0.5): 1 - sigmoid(z) cannot be
  // more exact than one ulp of sigmoid(z) itself.
  it('sigmoid(-z) = 1 - sigmoid(z), within one ulp of the larger of sigmoid(z) and sigmoid(-z)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (z) => {
        const a = sigmoid(-z);
        const b = 1 - sigmoid(z);
        return Math.abs(a - b) <= ulp(Math.max(sigmoid(z), a));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('eval output', () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  it('CSV written by neuron parses back to the same numbers, bit for bit, and the class agrees with z >= 0', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(finite, { minLength: 1, maxLength: 5 })
          .chain((weights) =>
            fc.tuple(
              fc.constant(weights),
              finite,
              fc.array(fc.array(finite, { minLength: weights.length, maxLength: weights.length }), { minLength: 1, maxLength: 20 }),
            ),
          ),
        async ([weights, bias, rows]) => {
          const names = weights.map((_, i) => `x${i}`);
          const path = join(dir, 'w.json');
          writeFileSync(path, JSON.stringify({ features: names, weights, bias }));
          const csv = `${names.join(',')}\n${rows.map((row) => row.map(String).join(',')).join('\n')}\n`;
          const result = await runInProcess(['eval', '-', '-w', path], { stdin: csv });
          expect(result.code).toBe(0);
          const parsed = parse(result.stdout, { columns: true }) as Record<string, string>[];
          expect(parsed).toHaveLength(rows.length);
          rows.forEach((row, r) => {
            let z = bias;
            row.forEach((x, i) => {
              z += (weights[i] as number) * x;
            });
            const out = parsed[r] as Record<string, string>;
            expect(Number(out.z)).toBe(z === 0 ? 0 : z);
            expect(Number(out.sigmoid)).toBe(sigmoid(z));
            expect(out.class).toBe(z >= 0 ? '1' : '0');
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the CSV reader on any text', () => {
  const located = /^neuron: <stdin>(:\d+){0,2}: \S/;
  it('gives rows or one located error, never a crash', async () => {
    const path = join(dir, 'ab.json');
    writeFileSync(path, '{"features": ["a", "b"], "weights": [1, 2], "bias": 0}');
    const cell = fc.oneof(fc.string(), fc.constantFrom('"', '""', ',', '\n', '\r\n', '\r', '1', '-2.5', 'NA', '\uFEFF'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 6 }), async (rows) => {
        const text = `a,b\n${rows.map((row) => row.join(',')).join('\n')}`;
        const result = await runInProcess(['eval', '-', '-w', path], { stdin: text });
        expect([0, 1]).toContain(result.code);
        if (result.code === 1) {
          expect(result.stderr).toMatch(located);
          expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        } else {
          expect(result.stderr).toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('random-init', () => {
  it('is a pure function of its options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('uniform', 'normal', 'xavier-uniform', 'xavier-normal', 'he-uniform', 'he-normal', 'zeros'),
        async (seed, n, scheme) => {
          const args = ['random-init', '--inputs', String(n), '--seed', String(seed), '--init', scheme];
          const first = await runInProcess(args, { seed: 1 });
          const second = await runInProcess(args, { seed: 2 });
          expect(first.code).toBe(0);
          expect(second.stdout).toBe(first.stdout);
          expect(JSON.parse(first.stdout).weights).toHaveLength(n);
        },
      ),
      { numRuns: 50 },
    );
  });
});
