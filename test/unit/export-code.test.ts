/**
 * The exported JavaScript runs in this process and must agree with
 * `neuron eval` (the Scorer) bit for bit; the exported Python runs with
 * python3 when it is installed and must agree to 1e-12 relative (its exp
 * and tanh come from the C library, not V8), with the same classes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJs, exportPython } from '../../src/export/code.js';
import { linearModel } from '../../src/export/linear.js';
import { activationNames } from '../../src/neuron/activations.js';
import { bindModel } from '../../src/neuron/columns.js';
import type { Model } from '../../src/neuron/model.js';
import { Scorer } from '../../src/neuron/scorer.js';
import { cell, compare, MODEL_CASES, makeModel, makeRows, reference } from '../support/export-data.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-export-code-'));
let modules = 0;

type ScoreFn = (row: Record<string, unknown>) => Record<string, number | string>;

async function loadJs(model: Model): Promise<ScoreFn> {
  const path = join(dir, `model-${modules++}.mjs`);
  writeFileSync(path, exportJs(linearModel(model)));
  return ((await import(pathToFileURL(path).href)) as { score: ScoreFn }).score;
}

const record = (model: Model, row: readonly unknown[]) => Object.fromEntries((model.features ?? []).map((name, i) => [name, row[i]]));

describe('the exported JavaScript', () => {
  it.each(MODEL_CASES)('matches neuron eval bit for bit over random rows with z out to ±1000: $name', async ({ activation, threshold, scaled }) => {
    const model = makeModel(activation, threshold, undefined, scaled);
    const rows = makeRows(model, 3000);
    const expected = reference(model, rows);
    const score = await loadJs(model);
    rows.forEach((row, i) => {
      const e = expected[i];
      for (const values of [row, row.map(cell)]) {
        const got = score(record(model, values));
        expect([Object.is(got.z, e?.z), Object.is(got[activation], e?.output), got.class]).toEqual([true, true, model.classes[e?.cls ?? 0]]);
      }
    });
  });

  it('matches neuron eval bit for bit for any model (standardised or not) and row', async () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const modelArb = fc.record({
      weights: fc.array(finite, { minLength: 1, maxLength: 6 }),
      bias: finite,
      activation: fc.constantFrom(...activationNames),
      threshold: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
      classes: fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>,
      // Per-input standardisation, as train --standardize writes it (one pair per weight is taken); std > 0, as the weights file requires.
      scaling: fc.option(
        fc.record({
          mean: fc.array(finite, { minLength: 6, maxLength: 6 }),
          std: fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true, minExcluded: false }), { minLength: 6, maxLength: 6 }),
        }),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(modelArb, fc.array(fc.array(finite, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 20 }), async (m, rows) => {
        const features = m.weights.map((_, i) => `x${i} "${i}"`);
        const { scaling: s, ...rest } = m;
        const n = m.weights.length;
        const model: Model = {
          ...rest,
          features,
          init: undefined,
          ...(s === undefined ? {} : { scaling: { mean: s.mean.slice(0, n), std: s.std.slice(0, n) } }),
        };
        const score = await loadJs(model);
        const scorer = new Scorer(bindModel(model, { names: features, fromHeader: true }));
        for (const row of rows) {
          const inputs = row.slice(0, features.length);
          const e = scorer.score(inputs.map(cell), 2, undefined, { z: 0, output: 0, cls: 0 });
          const got = score(record(model, inputs));
          expect(Object.is(got.z, e?.z)).toBe(true);
          expect(Object.is(got[model.activation], e?.output)).toBe(true);
          expect(got.class).toBe(e === undefined ? undefined : model.classes[e.cls]);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it.each([
    ['an empty cell', '', TypeError, 'column "Height (in feet)": "" is not a number'],
    ['a word', 'tall', TypeError, 'column "Height (in feet)": "tall" is not a number'],
    ['hexadecimal', '0x10', TypeError, 'column "Height (in feet)": "0x10" is not a number'],
    ['Infinity', Number.POSITIVE_INFINITY, TypeError, 'column "Height (in feet)": null is not a number'],
    ['a missing column', undefined, TypeError, 'column "Height (in feet)": undefined is not a number'],
    ['a z that overflows', 1e308, RangeError, 'z = w·x + b overflows to -Infinity'],
  ])('refuses %s as eval does', async (_, height, type, message) => {
    const model = makeModel('sigmoid', undefined, ['Height (in feet)', 'Weight']);
    const score = await loadJs({ ...model, weights: [-1e10, 0.5] });
    expect(() => score({ 'Height (in feet)': height, Weight: 1 })).toThrow(new type(message));
  });
});

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0 ? 'python3' : undefined;
let worstPython = { z: 0, output: 0, rows: 0 };
afterAll(() => {
  if (python !== undefined && worstPython.rows > 0) {
    console.log(
      `export accuracy: python: ${worstPython.rows} rows, largest relative difference from neuron eval: z ${worstPython.z}, output ${worstPython.output}`,
    );
  }
});

/** Runs the exported module with python3 over rows given as JSON; returns its results in order. */
function runPython(model: Model, rows: readonly (readonly unknown[])[]): { z: number; output: number; cls: string }[] {
  const path = join(dir, `model_${modules++}.py`);
  writeFileSync(
    path,
    `${exportPython(linearModel(model))}

if __name__ == "__main__":
    import json, sys
    names = json.loads(sys.argv[1])
    for values in json.load(sys.stdin):
        result = score(dict(zip(names, values)))
        print(json.dumps([result["z"], result[${JSON.stringify(model.activation)}], result["class"]]))
`,
  );
  const result = spawnSync(python ?? 'python3', [path, JSON.stringify(model.features)], {
    input: JSON.stringify(rows),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.stderr).toBe('');
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [z, output, cls] = JSON.parse(line) as [number, number, string];
      return { z, output, cls };
    });
}

describe('the exported Python', () => {
  it.for(MODEL_CASES)('matches neuron eval to 1e-12 over random rows with z out to ±1000: $name', ({ activation, threshold, scaled }, context) => {
    if (python === undefined) {
      context.skip('python3 is not installed: the exported Python was not run');
      return;
    }
    const model = makeModel(activation, threshold, undefined, scaled);
    const rows = makeRows(model, 3000);
    const expected = reference(model, rows);
    // Numbers for half the rows, decimal strings for the other half: score(row) takes both.
    const result = compare(
      model,
      expected,
      runPython(
        model,
        rows.map((row, i) => (i % 2 === 0 ? row : row.map(cell))),
      ),
    );
    worstPython = { z: Math.max(worstPython.z, result.z), output: Math.max(worstPython.output, result.output), rows: worstPython.rows + result.rows };
    expect(result.rows).toBe(rows.length);
    expect(result.wrongClasses).toEqual([]);
    expect(result.z).toBeLessThanOrEqual(1e-12);
    expect(result.output).toBeLessThanOrEqual(1e-12);
  });
});
