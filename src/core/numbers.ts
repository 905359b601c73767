/**
 * Strict parsing of number cells. JavaScript's own conversions are too
 * lenient for data: Number('') is 0, Number('0x10') is 16, parseFloat('4abc')
 * is 4. A cell is a number only if it is a plain decimal literal, optionally
 * surrounded by ASCII spaces or tabs: `4`, `-0.5`, `+5`, `5.`, `.5`, `1e3`.
 */

const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;

/** The cell as a finite number, or NaN if it is not one. */
export function parseNumberCell(text: string): number {
  if (!DECIMAL.test(text)) return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Spellings of a missing value: an empty cell, NA, N/A, NaN, null, None (any case, spaces around). */
const MISSING = /^(?:|na|n\/a|nan|null|none)$/i;

export function isMissing(text: string): boolean {
  return MISSING.test(text.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** What to do with a missing value in an input column. */
export const missingPolicies = ['error', 'skip', 'zero'] as const;
export type MissingPolicy = (typeof missingPolicies)[number];

/** Why `text` is not a number, and how to fix it: for error messages. */
export function explainBadNumber(text: string): { problem: string; hint: string } {
  const trimmed = text.trim();
  if (isMissing(text)) {
    return {
      problem: trimmed === '' ? 'empty cell where a number is needed' : `missing value ${JSON.stringify(text)} where a number is needed`,
      hint: 'fill in the value or drop the row',
    };
  }
  if (/[\u00a0\u2000-\u200b\u202f\u3000]/.test(text) && DECIMAL.test(text.replace(/[\u00a0\u2000-\u200b\u202f\u3000]/g, ''))) {
    return {
      problem: `${JSON.stringify(text)} has a non-breaking or other Unicode space`,
      hint: 'only ASCII spaces and tabs around a number are ignored; remove the others',
    };
  }
  if (/^[+-]?\d+,\d+$/.test(trimmed)) {
    return {
      problem: `${JSON.stringify(text)} is not a number`,
      hint: 'use a point as the decimal separator (4.5, not 4,5)',
    };
  }
  if (DECIMAL.test(text)) {
    return {
      problem: `${JSON.stringify(text)} is out of range for a 64-bit float`,
      hint: 'use a value between -1.7e308 and 1.7e308',
    };
  }
  return {
    problem: `${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is not a number`,
    hint: 'numbers are plain decimals such as 4, -0.5, 1e3 or .5',
  };
}
