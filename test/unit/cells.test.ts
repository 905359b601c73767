/** The one shape of cells (src/neuron/cells.ts): text plus cell bounds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellNumber, cellText, packCells, recordOf } from '../../src/neuron/cells.js';

describe('packCells', () => {
  it('keeps each cell, by record and field, and the lines', () => {
    const records = packCells(['a', '', '4.5', 'x"y', ' 2 ', 'NA'], 3, [2, 4]);
    expect(records.count).toBe(2);
    expect(records.lines).toEqual([2, 4]);
    expect(recordOf(records, 0)).toEqual(['a', '', '4.5']);
    expect(recordOf(records, 1)).toEqual(['x"y', ' 2 ', 'NA']);
    expect(cellText(records, 1, 0)).toBe('x"y');
    expect(cellNumber(records, 0, 2)).toBe(4.5);
    expect(cellNumber(records, 1, 1)).toBe(2);
    expect(cellNumber(records, 0, 1)).toBeNaN();
    expect(cellNumber(records, 1, 2)).toBeNaN();
  });

  it('gives back any cells unchanged, neighbours never running into each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) => fc.tuple(fc.constant(width), fc.array(fc.array(fc.string(), { minLength: width, maxLength: width })))),
        ([width, rows]) => {
          const records = packCells(
            rows.flat(),
            width,
            rows.map((_, r) => r + 2),
          );
          expect(rows.map((_, r) => recordOf(records, r))).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});
