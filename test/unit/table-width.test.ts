/**
 * Issue 10, defect 11: the table pads by display width (CJK and emoji take
 * two columns, a combining accent none), and on a narrow terminal long kept
 * values are elided with … to fit. The expected tables are written by hand,
 * counting columns as a terminal shows them.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Score } from '../../src/neuron/scorer.js';
import { createRowWriter, elide, type OutputSpec, plainStyle } from '../../src/render/formats.js';

const spec = (maxWidth?: number): OutputSpec => ({
  keepNames: ['name'],
  keepIndices: [0],
  activation: 'identity',
  classes: ['no', 'yes'],
  withCorrect: false,
  precision: 1,
  maxWidth,
});

function table(names: string[], s: OutputSpec): string {
  // The CLI's style passes string-width in, as here.
  const writer = createRowWriter('table', s, { ...plainStyle, width: stringWidth });
  const score = (i: number): Score => (i % 2 === 0 ? { z: 1, output: 1, cls: 1 } : { z: -1, output: -1, cls: 0 });
  return writer.start() + names.map((name, i) => writer.row([name], 0, score(i), undefined)).join('') + writer.end();
}

describe('the table pads by display width', () => {
  it('CJK, emoji and a combining accent line up', () => {
    expect(table(['ab', '肥満', 'e\u0301', '😀'], spec())).toBe(
      [
        'name     z  identity  class',
        'ab     1.0       1.0  yes',
        '肥満  -1.0      -1.0  no',
        'e\u0301      1.0       1.0  yes',
        '😀    -1.0      -1.0  no',
        '',
      ].join('\n'),
    );
  });
});

describe('on a narrow terminal long kept values are elided to fit', () => {
  it('40 columns: the name column gives up width, with …', () => {
    // name + 2 + z (4) + 2 + identity (8) + 2 + class (5) = 40 leaves 17 for the name.
    const out = table(['abcdefghijklmnopqrstuvwxyz', '肥満肥満肥満肥満肥満肥満', 'short'], spec(40));
    expect(out).toBe(
      [
        'name                  z  identity  class',
        'abcdefghijklmnop…   1.0       1.0  yes',
        '肥満肥満肥満肥満…  -1.0      -1.0  no',
        'short               1.0       1.0  yes',
        '',
      ].join('\n'),
    );
  });

  it('no elision when the table fits, or off a terminal (no width)', () => {
    expect(table(['abcdefghijklmnopqrstuvwxyz'], spec(200))).toContain('abcdefghijklmnopqrstuvwxyz');
    expect(table(['abcdefghijklmnopqrstuvwxyz'], spec())).toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('elide cuts whole graphemes and never exceeds the width', () => {
    expect(elide('abcdef', 4, stringWidth)).toBe('abc…');
    expect(elide('abc', 3, stringWidth)).toBe('abc');
    expect(elide('肥満肥満', 4, stringWidth)).toBe('肥…');
    expect(elide('e\u0301e\u0301e\u0301', 2, stringWidth)).toBe('e\u0301…');
  });
});
