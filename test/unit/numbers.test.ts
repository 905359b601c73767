import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainBadNumber, parseNumberCell, parseNumberIn } from '../../src/neuron/numbers.js';

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

describe('parseNumberCell is exactly the strict rule over Number()', () => {
  // The specification the fast parser must match, bit for bit (including -0).
  const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
  const reference = (text: string) => {
    if (!DECIMAL.test(text)) return Number.NaN;
    const value = Number(text);
    return Number.isFinite(value) ? value : Number.NaN;
  };
  // parseNumberIn reads a cell in place, between any neighbours (digits, signs, spaces, a delimiter):
  // it must neither read past its range nor differ from the cell parsed on its own.
  const neighbours = ['', '1', '-', '.', 'e', ' ', ',', '5e', '9,', ',\t'];
  const same = (text: string) => {
    const expected = reference(text);
    if (!Object.is(parseNumberCell(text), expected)) return false;
    return neighbours.every((before) =>
      neighbours.every((after) => Object.is(parseNumberIn(before + text + after, before.length, before.length + text.length), expected)),
    );
  };

  it('on decimal-looking text', () => {
    const digits = fc.stringMatching(/^[0-9]{0,25}$/);
    const cell = fc
      .tuple(
        fc.constantFrom('', ' ', '\t'),
        fc.constantFrom('', '+', '-'),
        digits,
        fc.constantFrom('', '.'),
        digits,
        fc.constantFrom('', 'e', 'E', 'e-', 'e+'),
        fc.stringMatching(/^[0-9]{0,4}$/),
        fc.constantFrom('', ' ', 'x'),
      )
      .map((parts) => parts.join(''));
    fc.assert(fc.property(cell, same), { numRuns: 20000 });
  });

  it('on the text of any double', () => {
    fc.assert(
      fc.property(fc.double(), (x) => same(String(x)) && same(x.toFixed(Math.min(20, Math.abs(Math.trunc(x)) < 1e21 ? 7 : 0)))),
      { numRuns: 20000 },
    );
  });

  it('on any text', () => {
    fc.assert(fc.property(fc.string(), same), { numRuns: 5000 });
  });

  it.each([
    '0.1',
    '0.30000000000000004',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '1e22',
    '1e23',
    '4.9e-324',
    '2.2250738585072014e-308',
    '00000000000000000001',
    '-0.0',
    '.000000000000000000000000001',
  ])('%s', (text) => {
    expect(same(text)).toBe(true);
  });
});

describe('explainBadNumber on long and quoted cells', () => {
  it('cuts a long cell to 40 characters in the message', () => {
    expect(explainBadNumber(`${'9'.repeat(500)}e400`).problem).toBe(`"${'9'.repeat(40)}…" is out of range for a 64-bit float`);
    expect(explainBadNumber(`${'x'.repeat(100)}`).problem).toBe(`"${'x'.repeat(40)}…" is not a number`);
  });

  it('names text after a closing quote', () => {
    expect(explainBadNumber('"1" ')).toEqual({ problem: '"\\"1\\" " is not a number', hint: 'remove what follows the closing quote, or the quotes' });
  });
});
