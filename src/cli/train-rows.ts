/**
 * The rows of labelled data as train reads them, on one thread or per
 * block on a worker (parallel-train.ts): each row's inputs into one
 * Float64Array (doubled when full), its label as a code in order of
 * appearance, its --sample-weight, and the lines --missing skip dropped.
 * A block's rows cross the thread as a TrainPart and are appended in file
 * order, their codes mapped to the run's (`append`), so the result is the
 * one thread's.
 */
import { type Location, NeuronError } from '../errors.js';
import { cellNumber, cellText, type Records } from '../neuron/cells.js';
import { badCellError, isMissing } from '../neuron/numbers.js';
import type { RowVisitor } from './data.js';
import { SKIPPED_SHOWN } from './skipped.js';
import type { DataOptions, InputReader } from './train-data.js';

/** A block's rows, as they cross the thread: codes are the block's own, in its order of appearance. */
export interface TrainPart {
  readonly x: Float64Array;
  readonly y: Int32Array;
  readonly sample: Float64Array | undefined;
  readonly count: number;
  /** The label values by the block's codes, and those that occur. */
  readonly seen: readonly string[];
  readonly occurring: readonly string[];
  /** Per input: a categorical column's levels by the block's codes (RawReader.levels). */
  readonly levels: readonly (readonly string[] | undefined)[];
  readonly skipped: number;
  readonly skippedLines: readonly number[];
}

export class TrainRows {
  x: Float64Array;
  y = new Int32Array(1024);
  sample: Float64Array | undefined;
  count = 0;
  skipped = 0;
  readonly skippedLines: number[] = [];
  readonly labels: LabelCodes;
  private readonly d: number;

  constructor(
    private readonly reader: InputReader,
    private readonly options: DataOptions,
    labelIndex: number,
    private readonly sampleIndex: number,
    private readonly file: string,
  ) {
    this.d = reader.width;
    this.x = new Float64Array(1024 * this.d);
    this.sample = sampleIndex === -1 ? undefined : new Float64Array(1024);
    this.labels = new LabelCodes(options, labelIndex, file);
  }

  /** The step for one row: a missing label or input under --missing skip drops the row; under error (the default) it stops the run. */
  readonly visit: RowVisitor = (records, r) => {
    this.reserve(1);
    const { labels, options, sampleIndex } = this;
    const line = records.lines[r] as number;
    const code = labels.codeAt(records, r);
    if (code === MISSING_LABEL) {
      if (options.missing === 'skip') return this.skip(line);
      throw labels.missingError(records, r);
    }
    if (!this.reader.read(records, r, this.x, this.count * this.d)) return this.skip(line);
    if (this.sample !== undefined) {
      const w = cellNumber(records, r, sampleIndex);
      if (Number.isNaN(w)) {
        const cell = cellText(records, r, sampleIndex);
        if (options.missing === 'skip' && isMissing(cell)) return this.skip(line);
        throw badCellError(cell, options.sampleWeight ?? '', { file: this.file, line, column: sampleIndex + 1 });
      }
      this.sample[this.count] = w;
    }
    this.y[this.count++] = code;
  };

  /** The rows as a part, with the reader's categorical levels; `buffers` to move with it. */
  part(levels: readonly (readonly string[] | undefined)[]): { part: TrainPart; buffers: ArrayBuffer[] } {
    const { x, y, sample, count, labels } = this;
    const part = {
      x: x.subarray(0, count * this.d),
      y: y.subarray(0, count),
      sample: sample?.subarray(0, count),
      count,
      seen: labels.seen,
      occurring: [...labels.occurring],
      levels,
      skipped: this.skipped,
      skippedLines: this.skippedLines,
    };
    const buffers = [x.buffer as ArrayBuffer, y.buffer as ArrayBuffer];
    if (sample !== undefined) buffers.push(sample.buffer as ArrayBuffer);
    return { part, buffers };
  }

  /**
   * Appends the rows of a part read after these (after `lines` lines of the
   * file); `inputCodes` maps each categorical input's codes in the part to
   * the run's (RawReader.adopt).
   */
  append(part: TrainPart, lines: number, inputCodes: readonly (Int32Array | undefined)[]): void {
    this.reserve(part.count);
    const { d } = this;
    const at = this.count;
    this.x.set(part.x, at * d);
    const labelCodes = this.labels.adopt(part.seen, part.occurring);
    for (let i = 0; i < part.count; i++) this.y[at + i] = labelCodes[part.y[i] as number] as number;
    for (let j = 0; j < d; j++) {
      const codes = inputCodes[j];
      if (codes === undefined) continue;
      for (let i = at; i < at + part.count; i++) {
        const code = this.x[i * d + j] as number;
        if (!Number.isNaN(code)) this.x[i * d + j] = codes[code] as number;
      }
    }
    if (this.sample !== undefined && part.sample !== undefined) this.sample.set(part.sample, at);
    this.count += part.count;
    for (const line of part.skippedLines) if (this.skippedLines.length < SKIPPED_SHOWN) this.skippedLines.push(line + lines);
    this.skipped += part.skipped;
  }

  private skip(line: number): void {
    if (this.skipped++ < SKIPPED_SHOWN) this.skippedLines.push(line);
  }

  /** Room for `rows` more rows. */
  private reserve(rows: number): void {
    while (this.count + rows > this.y.length) {
      this.x = grown(this.x);
      this.y = grown(this.y);
      if (this.sample !== undefined) this.sample = grown(this.sample);
    }
  }
}

function grown<A extends Float64Array | Int32Array>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(2 * array.length);
  bigger.set(array);
  return bigger;
}

/** codeAt's answer for a missing label (empty, NA, ...): never a class. */
const MISSING_LABEL = -1;

/** A label value that is not one of two given classes (train's --classes, summary's model). */
export function notAClass(label: string, value: string, classes: readonly string[], where: Location): NeuronError {
  return new NeuronError(
    'bad-label',
    `--label column ${JSON.stringify(label)}: ${JSON.stringify(value)} is not one of --classes (${classes.map((c) => JSON.stringify(c)).join(', ')})`,
    where,
    'keep only rows of those two classes, or drop --classes to fit every class',
  );
}

/** Label values as codes in order of appearance; with two --classes, only those two. */
export class LabelCodes {
  /** The label values by code: with two --classes, both before any row. */
  readonly seen: string[];
  /** The label values that actually occur. */
  readonly occurring = new Set<string>();
  private readonly codes = new Map<string, number>();
  // The last label cell and its code: labels repeat, so most rows need no trim and no lookup.
  private lastLabel: string | undefined;
  private lastCode = 0;

  constructor(
    private readonly options: DataOptions,
    private readonly labelIndex: number,
    private readonly file: string,
  ) {
    this.seen = options.classes?.length === 2 ? [...options.classes] : [];
    for (const [code, value] of this.seen.entries()) this.codes.set(value, code);
  }

  /** The class code of record `r`'s label; MISSING_LABEL for a missing one ("" or "NA" would train a model no one asked for). */
  codeAt(records: Records, r: number): number {
    const cell = cellText(records, r, this.labelIndex);
    if (cell !== this.lastLabel) {
      const value = cell.trim();
      if (isMissing(value)) {
        this.lastCode = MISSING_LABEL;
      } else {
        this.lastCode = this.codeOf(value, records.lines[r] as number);
        this.occurring.add(value);
      }
      this.lastLabel = cell;
    }
    return this.lastCode;
  }

  /** Maps a part's label codes (the values of its `seen`, in its order) to this run's, adding those new here. */
  adopt(seen: readonly string[], occurring: readonly string[]): Int32Array {
    const map = new Int32Array(seen.length);
    for (const [code, value] of seen.entries()) {
      let mine = this.codes.get(value);
      if (mine === undefined) {
        mine = this.seen.length;
        this.codes.set(value, mine);
        this.seen.push(value);
      }
      map[code] = mine;
    }
    for (const value of occurring) this.occurring.add(value);
    return map;
  }

  /** The error for record `r`'s missing label, under --missing error. */
  missingError(records: Records, r: number): NeuronError {
    const value = cellText(records, r, this.labelIndex).trim();
    const what = value === '' ? 'empty label' : `missing label ${JSON.stringify(value)}`;
    return new NeuronError(
      'missing-label',
      `--label column ${JSON.stringify(this.options.label)}: ${what}`,
      { file: this.file, line: records.lines[r] as number, column: this.labelIndex + 1 },
      'fill in the label, or pass --missing skip (drop the row)',
    );
  }

  private codeOf(value: string, line: number): number {
    const code = this.codes.get(value);
    if (code !== undefined) return code;
    const { seen, options } = this;
    if (options.classes?.length === 2) throw notAClass(options.label, value, seen, { file: this.file, line, column: this.labelIndex + 1 });
    this.codes.set(value, seen.length);
    return seen.push(value) - 1;
  }
}
