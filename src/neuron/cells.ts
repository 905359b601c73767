/**
 * The one shape of cells: records as text plus cell bounds, as Deno std's
 * CSV parser keeps a record buffer and field indexes. Both CSV paths hand
 * records over this way (the fast path's text is the input chunk itself;
 * csv-parse's records are packed into it), so every consumer reads cells
 * one way, and numbers straight from the text, with no string per cell.
 */

import { parseNumberIn } from './numbers.js';

/**
 * Records of one width. Cell f of record r is cell i = r * width + f, the
 * text text.slice(bounds[2 * i], bounds[2 * i + 1]); lines[r] is the
 * physical line record r ends on (1-based, for messages).
 */
export interface Records {
  readonly text: string;
  readonly bounds: Int32Array;
  readonly lines: readonly number[];
  readonly width: number;
  readonly count: number;
}

/** The text of field `f` of record `r`. */
export function cellText(records: Records, r: number, f: number): string {
  const at = 2 * (r * records.width + f);
  return records.text.slice(records.bounds[at], records.bounds[at + 1]);
}

/** Field `f` of record `r` as a number (NaN if it is not one: see parseNumberCell), read in place. */
export function cellNumber(records: Records, r: number, f: number): number {
  const at = 2 * (r * records.width + f);
  return parseNumberIn(records.text, records.bounds[at] as number, records.bounds[at + 1] as number);
}

/** Record `r` as strings: for code off the hot path (the header, tests). */
export function recordOf(records: Records, r: number): string[] {
  const record: string[] = new Array<string>(records.width);
  for (let f = 0; f < records.width; f++) record[f] = cellText(records, r, f);
  return record;
}

/** Records given as strings, in the one shape: `cells` holds count * width cells, record by record. */
export function packCells(cells: readonly string[], width: number, lines: readonly number[]): Records {
  const bounds = new Int32Array(2 * cells.length);
  let end = 0;
  for (let i = 0; i < cells.length; i++) {
    bounds[2 * i] = end;
    end += (cells[i] as string).length;
    bounds[2 * i + 1] = end;
  }
  return { text: cells.join(''), bounds, lines, width, count: lines.length };
}
