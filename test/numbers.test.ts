import { describe, expect, it } from 'vitest';
import { explainBadNumber, parseNumberCell } from '../src/core/numbers.js';

describe('parseNumberCell', () => {
  it.each([
    ['4', 4],
    ['-0.5', -0.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['+5', 5],
    [' 4 ', 4],
    ['\t4', 4],
    ['1E-2', 0.01],
  ])('%j is %d', (text, expected) => {
    expect(parseNumberCell(text)).toBe(expected);
  });

  it('keeps the sign of -0', () => {
    expect(Object.is(parseNumberCell('-0'), -0)).toBe(true);
  });

  // JavaScript's own Number('') is 0 and parseFloat('4abc') is 4: none may leak through.
  it.each(['', ' ', 'NA', 'NaN', 'null', '4abc', '12px', '0x10', '4,5', 'Infinity', '-Infinity', '1_000', '1e400', '\u00a04', '４', '1e', 'e3', '.', '--1'])(
    '%j is not a number',
    (text) => {
      expect(parseNumberCell(text)).toBeNaN();
    },
  );
});

describe('explainBadNumber', () => {
  it.each([
    ['', 'empty cell where a number is needed', 'fill in the value or drop the row'],
    ['NA', 'missing value "NA" where a number is needed', 'fill in the value or drop the row'],
    ['4,5', '"4,5" is not a number', 'use a point as the decimal separator (4.5, not 4,5)'],
    ['1e400', '"1e400" is out of range for a 64-bit float', 'use a value between -1.7e308 and 1.7e308'],
    ['4abc', '"4abc" is not a number', 'numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
  ])('%j', (text, problem, hint) => {
    expect(explainBadNumber(text)).toEqual({ problem, hint });
  });
});
