/**
 * explain on an encoded softmax layer (one-hot categories, a filled cell,
 * scaling), in-process: each input says where its value came from, the
 * scaling and each class's z follow, and a cell the encoding cannot read is
 * the encoder's error, located. Worked by hand below.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/helpers.js';

const MODEL = {
  features: ['colour=red', 'colour=blue', 'size'],
  weights: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 2],
  ],
  bias: [0, 0, 0],
  activation: 'softmax',
  classes: ['a', 'b', 'c'],
  categories: { colour: ['red', 'blue'] },
  impute: { size: 2 },
  scaling: { mean: [0.5, 0.5, 1], std: [0.5, 0.5, 2] },
};

function weightsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'neuron-explain-')), 'w.json');
  writeFileSync(file, JSON.stringify(MODEL));
  return file;
}

describe('explain on an encoded softmax layer', () => {
  it('one-hot and filled inputs, their scaling, each z, and the tie going to the first class', async () => {
    // colour "blue" → (red, blue) = (0, 1); size "" → the fill 2.
    // x' = ((0 - 0.5) / 0.5, (1 - 0.5) / 0.5, (2 - 1) / 2) = (-1, 1, 0.5); z = (-1, 1, 2 · 0.5) = (-1, 1, 1): b and c tie, b wins.
    const result = await runInProcess(['explain', '-', '-w', weightsFile(), '--no-plot'], { stdin: 'id,colour,size\nr1,blue,\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        'row 1:',
        '  colour=red = 0 (from the cell "blue")',
        '  colour=blue = 1 (from the cell "blue")',
        "  size = 2 (missing: the model's fill)",
        "scaling: x' = (x - mean) / std",
        "  x1' = (0 - 0.5) / 0.5 = -1",
        "  x2' = (1 - 0.5) / 0.5 = 1",
        "  x3' = (2 - 1) / 2 = 0.5",
        'class "a": z1 = w1·x\' + b1',
        '  = 1 × (-1) + 0 × 1 + 0 × 0.5 + 0',
        '  = -1 + 0 + 0 + 0 = -1',
      ].join('\n'),
    );
    expect(result.stdout).toContain('the largest is z2 = z3 (a tie: the first class wins), so the class is "b"\n');
  });

  it('as data: the cell and the source of each input', async () => {
    const result = await runInProcess(['explain', '-', '-w', weightsFile(), '--format', 'json'], { stdin: 'id,colour,size\nr1,red,NA\n' });
    const [steps] = JSON.parse(result.stdout) as [{ inputs: unknown[]; classIndex: number }];
    expect(steps.inputs).toEqual([
      { name: 'colour=red', value: 1, column: 'colour', cell: 'red', source: 'cell', category: 'red' },
      { name: 'colour=blue', value: 0, column: 'colour', cell: 'red', source: 'cell', category: 'blue' },
      { name: 'size', value: 2, column: 'size', cell: 'NA', source: 'fill', fill: 2 },
    ]);
    // x' = (1, -1, 0.5): z = (1, -1, 1), a tie of a and c, a wins
    expect(steps.classIndex).toBe(0);
  });

  it("a category the model does not know is the encoder's error, at its line and column (exit 1)", async () => {
    const result = await runInProcess(['explain', '-', '-w', weightsFile()], { stdin: 'id,colour,size\nr1,green,3\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'neuron: <stdin>:2:2: column "colour": "green" is not one of the model\'s categories ("red", "blue") — fix the cell, or explain another row\n',
    );
  });
});
