/** Labels: the true class of a row, read from the label column. */

import { NeuronError } from '../errors.js';
import { cellText, type Records } from './cells.js';
import type { BoundModel } from './columns.js';
import type { AnyModel } from './model.js';
import { parseNumberCell } from './numbers.js';

/** How a bad label's error names the column and says what to do. */
export interface LabelWording {
  /** Default `label column`; the CLI says `--label column`. */
  readonly role?: string | undefined;
  readonly hint?: string | undefined;
}

/**
 * Reads the true class from the label column: a class name or 0/1, else
 * a NeuronError naming the row and the value.
 */
export class LabelReader {
  /** The label's column. */
  readonly index: number;
  private readonly role: string;
  private readonly hint: string;

  constructor(
    private readonly bound: BoundModel<AnyModel>,
    private readonly label: string,
    wording: LabelWording = {},
  ) {
    this.index = bound.labelIndex ?? -1;
    this.role = wording.role ?? 'label column';
    this.hint = wording.hint ?? 'set "classes" in the weights file to the label values';
  }

  /** The class of record `r` of a batch, for a two-class model: 0 or 1. */
  truthIn(records: Records, r: number, file: string | undefined): 0 | 1 {
    return this.classIn(records, r, file) as 0 | 1;
  }

  /** The class of a label cell's text, for a two-class model: 0 or 1. */
  truthOf(value: string, line: number, file: string | undefined): 0 | 1 {
    return this.classOf(value, line, file) as 0 | 1;
  }

  /** The class index (0 to k - 1) of record `r` of a batch, for any model. */
  classIn(records: Records, r: number, file: string | undefined): number {
    return this.classOf(cellText(records, r, this.index), records.lines[r] as number, file);
  }

  /** The class index (0 to k - 1) of a label cell's text, for any model. */
  classOf(value: string, line: number, file: string | undefined): number {
    const classes = this.bound.model.classes;
    const truth = labelIndex(value, classes);
    if (truth !== undefined) return truth;
    const indices = classes.length === 2 ? '0/1' : `0 to ${classes.length - 1}`;
    throw new NeuronError(
      'bad-label',
      `${this.role} ${JSON.stringify(this.label)}: ${JSON.stringify(value)} is neither a class name (${classes.map((c) => JSON.stringify(c)).join(', ')}) nor ${indices}`,
      { file, line, column: this.index + 1 },
      this.hint,
    );
  }
}

/** Is `label` class 0 or class 1? Labels may be class names or 0/1. */
export function labelClass(label: string, classes: readonly [string, string]): 0 | 1 | undefined {
  return labelIndex(label, classes) as 0 | 1 | undefined;
}

/**
 * The index in `classes` of a label: a class name (spaces around ignored),
 * else a whole number 0 to k - 1 written plainly ("2", not "2.0"), else undefined.
 */
export function labelIndex(label: string, classes: readonly string[]): number | undefined {
  const text = label.trim();
  const named = classes.indexOf(text);
  if (named !== -1) return named;
  if (/^(?:0|[1-9]\d*)$/.test(text)) {
    const index = Number(text);
    if (index < classes.length) return index;
  }
  return undefined;
}

/** Two label values as class 0 and class 1 when nothing names them: in numeric order when both are numbers, else by code unit (as `train` orders them). */
export function sortLabels(a: string, b: string): [string, string] {
  const x = parseNumberCell(a);
  const y = parseNumberCell(b);
  const aFirst = !Number.isNaN(x) && !Number.isNaN(y) ? x < y : a < b;
  return aFirst ? [a, b] : [b, a];
}
