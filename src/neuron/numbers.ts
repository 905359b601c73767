/**
 * Strict parsing of number cells. JavaScript's own conversions are too
 * lenient for data: Number('') is 0, Number('0x10') is 16, parseFloat('4abc')
 * is 4. A cell is a number only if it is a plain decimal literal, optionally
 * surrounded by ASCII spaces or tabs: `4`, `-0.5`, `+5`, `5.`, `.5`, `1e3`.
 */

import { type Location, NeuronError } from '../errors.js';

const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;

/** 10^0 .. 10^22: every one is exactly a double. */
const POWERS = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * The cell as a finite number, or NaN if it is not one. Equal, bit for bit,
 * to Number(text) on every cell that matches DECIMAL (test/numbers.test.ts
 * checks it on random cells), and faster: one pass over the characters
 * validates the cell and, when it has at most 15 significant digits and a
 * small exponent, computes the value as m · 10^e or m / 10^e, which is
 * exact and correctly rounded in one IEEE operation (Clinger's fast path).
 * Other cells go through Number().
 * @example
 * ```js
 * import { parseNumberCell } from 'neuron-cli';
 * [parseNumberCell(' 4.5 '), parseNumberCell('1e3'), parseNumberCell('.5')]; // => [4.5, 1000, 0.5]
 * [parseNumberCell(''), parseNumberCell('0x10'), parseNumberCell('4,5')]; // => [NaN, NaN, NaN]
 * ```
 */
export function parseNumberCell(text: string): number {
  parseInto(text, 0, text.length);
  return parsed[0] as number;
}

/**
 * parseNumberCell(text.slice(from, to)), without making that string: the
 * CSV reader hands over cells as ranges of the text of a whole chunk.
 */
export function parseNumberIn(text: string, from: number, to: number): number {
  parseInto(text, from, to);
  return parsed[0] as number;
}

/**
 * The parser proper leaves its result in `parsed[0]` instead of returning
 * it: it is too long for V8 to inline, and a double returned from a call
 * that is not inlined is a new heap object (16 bytes per cell of garbage).
 * The two small functions above are inlined where they are called.
 */
const parsed = new Float64Array(1);

function parseInto(text: string, from: number, to: number): void {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let end = to;
  while (end > i && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  if (i === end) {
    parsed[0] = Number.NaN;
    return;
  }
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0; // significant digits taken into the mantissa
  let scale = 0; // the mantissa's decimal exponent
  let seen = 0; // digits before and after the point
  let exact = true;
  let point = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      seen++;
      if (digits < 15) {
        if (mantissa !== 0 || c !== 48) digits++;
        mantissa = mantissa * 10 + (c - 48);
        if (point) scale--;
      } else if (!point || c !== 48) {
        // A 16th significant digit; zeros after the point change nothing.
        exact = false;
      }
    } else if (c === 46 && !point) point = true;
    else break;
  }
  if (seen === 0) {
    parsed[0] = Number.NaN;
    return;
  }
  if (i < end) {
    const exponent = c === 101 || c === 69 ? exponentOf(text, i + 1, end) : Number.NaN;
    if (Number.isNaN(exponent)) {
      parsed[0] = Number.NaN;
      return;
    }
    scale += exponent;
  }
  if (exact && scale >= -22 && scale <= 22) {
    const magnitude = scale >= 0 ? mantissa * (POWERS[scale] as number) : mantissa / (POWERS[-scale] as number);
    if (Number.isFinite(magnitude)) {
      parsed[0] = negative ? -magnitude : magnitude;
      return;
    }
  }
  const value = Number(text.slice(from, to));
  parsed[0] = Number.isFinite(value) ? value : Number.NaN;
}

/** text[from, end) as an exponent (an optional sign and at least one digit; large ones capped), else NaN. */
function exponentOf(text: string, from: number, end: number): number {
  let i = from;
  const sign = i < end ? text.charCodeAt(i) : 0;
  if (sign === 45 || sign === 43) i++;
  if (i === end) return Number.NaN;
  let exponent = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return Number.NaN;
    if (exponent < 100000) exponent = exponent * 10 + (c - 48);
  }
  return sign === 45 ? -exponent : exponent;
}

/** Spellings of a missing value: an empty cell, NA, N/A, NaN, null, None (any case, spaces around); export writes the same test. */
export const MISSING = /^(?:|na|n\/a|nan|null|none)$/i;

export function isMissing(text: string): boolean {
  return MISSING.test(text.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** What to do with a missing value in an input column. */
export const missingPolicies = ['error', 'skip', 'zero'] as const;
export type MissingPolicy = (typeof missingPolicies)[number];

/** Why `text` is not a number, and how to fix it: for error messages. */
/** The error for an input cell that is not a number, `column "x": <what is wrong>`, located at the cell. */
export function badCellError(cell: string, name: string, where: Location): NeuronError {
  const { problem, hint } = explainBadNumber(cell);
  return new NeuronError(isMissing(cell) ? 'missing-value' : 'not-a-number', `column ${JSON.stringify(name)}: ${problem}`, where, hint);
}

export function explainBadNumber(text: string): { problem: string; hint: string } {
  const trimmed = text.trim();
  // The cell as shown in a message: quoted, and cut after 40 characters (a cell can be megabytes long).
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  if (isMissing(text)) {
    return {
      problem: trimmed === '' ? 'empty cell where a number is needed' : `missing value ${shown} where a number is needed`,
      hint: 'fill in the value or drop the row',
    };
  }
  if (/[\u00a0\u2000-\u200b\u202f\u3000]/.test(text) && DECIMAL.test(text.replace(/[\u00a0\u2000-\u200b\u202f\u3000]/g, ''))) {
    return {
      problem: `${shown} has a non-breaking or other Unicode space`,
      hint: 'only ASCII spaces and tabs around a number are ignored; remove the others',
    };
  }
  if (/^[+-]?\d+,\d+$/.test(trimmed)) {
    return { problem: `${shown} is not a number`, hint: 'use a point as the decimal separator (4.5, not 4,5)' };
  }
  if (DECIMAL.test(text)) {
    return { problem: `${shown} is out of range for a 64-bit float`, hint: 'use a value between -1.7e308 and 1.7e308' };
  }
  if (text.startsWith('"')) {
    // A quoted field with text after its closing quote ("1" ,2) keeps the quotes as text.
    return { problem: `${shown} is not a number`, hint: 'remove what follows the closing quote, or the quotes' };
  }
  return { problem: `${shown} is not a number`, hint: 'numbers are plain decimals such as 4, -0.5, 1e3 or .5' };
}
