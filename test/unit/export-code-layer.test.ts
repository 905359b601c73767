/**
 * Issue 12: the exported JavaScript and Python of a softmax layer and of an
 * encoded model ("categories", "impute") give what `neuron eval` gives (its
 * in-process scorers): JavaScript bit for bit, Python to 1e-12 relative (its
 * exp is the C library's); they throw exactly where eval refuses a row (a
 * category the model does not know, a missing cell with no fill), and with
 * `unknown: 'zero'` give eval --unknown zero's numbers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJs, exportPython } from '../../src/export/code.js';
import { exportModel } from '../../src/export/linear.js';
import type { UnknownPolicy } from '../../src/neuron/encoding.js';
import type { AnyModel } from '../../src/neuron/model.js';
import {
  type Cell,
  columnsOf,
  differences,
  type Expected,
  expected,
  makeCells,
  makeEncoded,
  makeLayer,
  outputColumns,
  readBack,
  textOf,
} from '../support/export-encoded-data.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-export-layer-'));
let modules = 0;
const ROWS = 1000;

type ScoreFn = (row: Record<string, unknown>) => Record<string, unknown>;

async function loadJs(model: AnyModel, unknown: UnknownPolicy): Promise<ScoreFn> {
  const path = join(dir, `model-${modules++}.mjs`);
  writeFileSync(path, exportJs(exportModel(model), { unknown }));
  return ((await import(pathToFileURL(path).href)) as { score: ScoreFn }).score;
}

const CASES: { name: string; model: AnyModel }[] = [
  { name: 'softmax layer', model: makeLayer() },
  { name: 'softmax layer, standardised', model: makeLayer(true) },
  { name: 'encoded neuron', model: makeEncoded('neuron') },
  { name: 'encoded neuron, standardised', model: makeEncoded('neuron', true) },
  { name: 'encoded softmax layer', model: makeEncoded('layer') },
  { name: 'encoded softmax layer, standardised', model: makeEncoded('layer', true) },
];
const MATRIX = CASES.flatMap((c) => (['error', 'zero'] as const).map((unknown) => ({ ...c, unknown })));

/** A row as the code takes it: numbers as numbers or as text (alternately), missing cells as null, undefined or "NA". */
function record(model: AnyModel, row: readonly Cell[], i: number): Record<string, unknown> {
  const missing = [null, undefined, ' NA ', '', Number.NaN][i % 5];
  return Object.fromEntries(
    columnsOf(model).map((name, j) => {
      const value = row[j] ?? null;
      return [name, value === null ? missing : typeof value === 'number' && i % 2 === 1 ? textOf(value) : value];
    }),
  );
}

describe('the exported JavaScript of k classes and encoded models', () => {
  it.each(MATRIX)('gives eval’s numbers bit for bit, and throws where eval refuses the row: $name, unknown $unknown', async ({ model, unknown }) => {
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    const score = await loadJs(model, unknown);
    const got = rows.map((row, i): Expected | null => {
      try {
        const result = score(record(model, row, i));
        return readBack(model, (name) => result[name]);
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) return null;
        throw error;
      }
    });
    const d = differences(want, got);
    expect(d.wrong).toEqual([]);
    expect(d.z).toBe(0);
    expect(d.p).toBe(0);
    if (model.categories !== undefined) expect(d.scored).toBeLessThan(rows.length);
  });

  it.each([
    ['an unknown category', { sex: 'other', port: 'C' }, 'zero', undefined],
    ['an unknown category', { sex: 'other', port: 'C' }, 'error', 'column "sex": "other" is not one of the model\'s categories ("female", "male")'],
    ['a missing category with no fill', { sex: null, port: 'C' }, 'error', 'column "sex": null is missing where a category is needed'],
    ['a missing category with a fill', { sex: 'male', port: 'na' }, 'error', undefined],
    ['a number cell for a category', { sex: 'male', port: 7 }, 'error', 'column "port": 7 is not one of the model\'s categories ("C", "Q", "S")'],
  ])('%s (unknown %s)', async (_, cells, unknown, message) => {
    const model = exportModel({
      features: ['sex=female', 'sex=male', 'port=C', 'port=Q', 'port=S'],
      weights: [1, -1, 0.5, 0.25, -0.75],
      bias: 0.5,
      activation: 'sigmoid',
      classes: ['no', 'yes'],
      threshold: undefined,
      init: undefined,
      categories: new Map([
        ['sex', ['female', 'male']],
        ['port', ['C', 'Q', 'S']],
      ]),
      impute: new Map([['port', 'S']]),
    });
    const path = join(dir, `model-${modules++}.mjs`);
    writeFileSync(path, exportJs(model, { unknown: unknown as UnknownPolicy }));
    const { score } = (await import(pathToFileURL(path).href)) as { score: ScoreFn };
    if (message === undefined) expect(typeof score(cells).z).toBe('number');
    else expect(() => score(cells)).toThrow(message);
  });
});

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0 ? 'python3' : undefined;
const worst = { z: 0, p: 0, rows: 0 };
afterAll(() => {
  if (worst.rows > 0)
    console.log(`export k classes: python: ${worst.rows} rows, largest relative difference from neuron eval: z ${worst.z}, probability ${worst.p}`);
});

/** Runs the exported module with python3 over the rows; null where score(row) raised ValueError. */
function runPython(model: AnyModel, unknown: UnknownPolicy, rows: readonly Record<string, unknown>[]): (Expected | null)[] {
  const path = join(dir, `model_${modules++}.py`);
  const names = outputColumns(model);
  writeFileSync(
    path,
    `${exportPython(exportModel(model), { unknown })}

if __name__ == "__main__":
    import json, sys
    names = json.loads(sys.argv[1])
    for row in json.load(sys.stdin):
        row = {k: (math.nan if v == "__nan__" else v) for k, v in row.items()}
        try:
            result = score(row)
            print(json.dumps([result[n] for n in names]))
        except ValueError:
            print("null")
`,
  );
  const order = [...names.z, ...names.p, names.cls];
  // JSON has no NaN and no undefined: NaN travels as a marker, undefined as null.
  const input = JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number.isNaN(v) ? '__nan__' : (v ?? null)]))));
  const result = spawnSync(python ?? 'python3', [path, JSON.stringify(order)], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(result.stderr).toBe('');
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const values = JSON.parse(line) as unknown[] | null;
      return values === null ? null : readBack(model, (name) => values[order.indexOf(name)]);
    });
}

describe('the exported Python of k classes and encoded models', () => {
  it.for(MATRIX)('gives eval’s numbers to 1e-12, and raises where eval refuses the row: $name, unknown $unknown', ({ model, unknown }, context) => {
    if (python === undefined) {
      context.skip('python3 is not installed: the exported Python was not run');
      return;
    }
    const rows = makeCells(model, ROWS);
    const want = expected(model, rows, unknown);
    const d = differences(
      want,
      runPython(
        model,
        unknown,
        rows.map((row, i) => record(model, row, i)),
      ),
    );
    worst.z = Math.max(worst.z, d.z);
    worst.p = Math.max(worst.p, d.p);
    worst.rows += d.rows;
    expect(d.rows).toBe(rows.length);
    expect(d.wrong).toEqual([]);
    expect(d.z).toBeLessThanOrEqual(1e-12);
    expect(d.p).toBeLessThanOrEqual(1e-12);
  });
});
