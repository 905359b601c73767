/**
 * Output formats. Each format is a RowWriter: text for the start, text for
 * each scored row, text for the end. Writers are pure (strings in, strings
 * out); the I/O layer batches their text into buffers and writes it.
 */
import { type ActivationName, boundedRange } from '../neuron/activations.js';
import type { LayerScore } from '../neuron/layer-scorer.js';
import { SOFTMAX } from '../neuron/model.js';
import type { Score } from '../neuron/scorer.js';
import { visible } from './visible.js';

/**
 * The output formats of `neuron eval --format`.
 * @example
 * ```js
 * import { formatNames } from 'neuron-cli';
 * formatNames; // => ['table', 'csv', 'tsv', 'json', 'ndjson']
 * ```
 */
export const formatNames = ['table', 'csv', 'tsv', 'json', 'ndjson'] as const;
/** The name of an output format. */
export type FormatName = (typeof formatNames)[number];

/**
 * Whether a format's text for a row depends on that row alone, so that
 * blocks of rows can be formatted apart (the parallel eval). Not so for
 * JSON (a comma before every row but the first) or the table (widths from
 * the first rows).
 */
export const rowByRow: Record<FormatName, boolean> = { table: false, csv: true, tsv: true, json: false, ndjson: true };

export function isFormatName(name: string): name is FormatName {
  return (formatNames as readonly string[]).includes(name);
}

/** What the writers need to know about the output columns. */
export interface OutputSpec {
  /** Names of the passed-through columns, then their indices in the record. */
  readonly keepNames: readonly string[];
  readonly keepIndices: readonly number[];
  /**
   * The activation: its name heads the output column; a bounded output gets
   * a bar in the table. `softmax`: a layer of k neurons (a LayerScore per row).
   */
  readonly activation: ActivationName | typeof SOFTMAX;
  /** The class names: two, or a softmax layer's k. */
  readonly classes: readonly string[];
  /** Whether to add the `correct` column (--label). */
  readonly withCorrect: boolean;
  /** Digits after the point; undefined: shortest form that round-trips. */
  readonly precision: number | undefined;
  /** The table only: the kept columns are the inputs (numbers), right-aligned. */
  readonly keptAreInputs?: boolean;
  /** The table only: the terminal's width in columns; long kept values are elided with … to fit it. */
  readonly maxWidth?: number | undefined;
}

/** Writes scored rows in one format: `start()`, then `row(...)` per row, then `end()`. */
export interface RowWriter {
  /** The record's columns that `row` reads (the kept ones). */
  readonly reads: readonly number[];
  start(): string;
  /** One scored record, the one whose first cell is cells[base]. */
  row(cells: readonly string[], base: number, score: RowScore, correct: boolean | undefined): string;
  end(): string;
}

/** A scored row as the writers take it: one neuron's Score, or a softmax layer's LayerScore (spec.activation `softmax`). */
export type RowScore = Score | LayerScore;

/**
 * The score's column names: `z` and the activation's name; for a softmax
 * layer `z_<class>` for each class, then `softmax_<class>` for each class.
 */
export function scoreColumns(spec: Pick<OutputSpec, 'activation' | 'classes'>): string[] {
  if (spec.activation !== SOFTMAX) return ['z', spec.activation];
  return [...spec.classes.map((name) => `z_${name}`), ...spec.classes.map((name) => `softmax_${name}`)];
}

/** The output's columns after the kept ones, in order (the names that --keep must not repeat). */
export function scoredColumns(spec: Pick<OutputSpec, 'activation' | 'classes' | 'withCorrect'>): string[] {
  return [...scoreColumns(spec), 'class', ...(spec.withCorrect ? ['correct'] : [])];
}

export function outputColumns(spec: OutputSpec): string[] {
  return [...spec.keepNames, ...scoredColumns(spec)];
}

/** Number `i` of a row's score, in scoreColumns order. */
function scoreNumber(score: RowScore, i: number): number {
  if ('p' in score) {
    const k = score.z.length;
    return (i < k ? score.z[i] : score.p[i - k]) as number;
  }
  return i === 0 ? score.z : score.output;
}

/**
 * A number as the output formats write it: the shortest decimal that reads back as the same double, or `precision` decimals.
 * @example
 * ```js
 * import { formatNumber } from 'neuron-cli';
 * [formatNumber(0.1 + 0.2, undefined), formatNumber(2 / 3, 4), formatNumber(-0.00001, 2)]; // => ['0.30000000000000004', '0.6667', '0.00']
 * ```
 */
export function formatNumber(x: number, precision: number | undefined): string {
  // For a finite number JSON.stringify is, by the spec, ToString(x): the same text as
  // String(x) (-0 included: "0"), and in V8 about 35% faster. Non-finite values never get here.
  if (precision === undefined) return Number.isFinite(x) ? JSON.stringify(x) : String(x);
  const fixed = x.toFixed(precision);
  // -0.0000 reads as a sign without a value; a rounded zero is zero.
  return /^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed;
}

/** CSV/TSV field quoting (RFC 4180): quote only when needed. */
function delimitedField(value: string, delimiter: string): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

class DelimitedWriter implements RowWriter {
  get reads(): readonly number[] {
    return this.spec.keepIndices;
  }

  private readonly classes: readonly string[];
  private readonly numbers: number;

  constructor(
    private readonly spec: OutputSpec,
    private readonly delimiter: string,
  ) {
    this.classes = spec.classes.map((name) => delimitedField(name, delimiter));
    this.numbers = scoreColumns(spec).length;
  }

  start(): string {
    return `${outputColumns(this.spec)
      .map((name) => delimitedField(name, this.delimiter))
      .join(this.delimiter)}\n`;
  }

  row(cells: readonly string[], base: number, score: RowScore, correct: boolean | undefined): string {
    const { spec, delimiter: d } = this;
    let line = '';
    for (const index of spec.keepIndices) line += delimitedField(cells[base + index] ?? '', d) + d;
    for (let i = 0; i < this.numbers; i++) line += formatNumber(scoreNumber(score, i), spec.precision) + d;
    line += this.classes[score.cls];
    if (correct !== undefined) line += d + String(correct);
    return `${line}\n`;
  }

  end(): string {
    return '';
  }
}

/** JSON objects keyed by the output column names. */
class JsonWriter implements RowWriter {
  get reads(): readonly number[] {
    return this.spec.keepIndices;
  }

  private readonly keys: string[];
  private readonly classes: readonly string[];
  private readonly numbers: number;
  private rows = 0;

  constructor(
    private readonly spec: OutputSpec,
    private readonly lines: boolean,
  ) {
    this.keys = outputColumns(spec).map((name) => JSON.stringify(name));
    this.classes = spec.classes.map((name) => JSON.stringify(name));
    this.numbers = scoreColumns(spec).length;
  }

  start(): string {
    return this.lines ? '' : '[';
  }

  row(cells: readonly string[], base: number, score: RowScore, correct: boolean | undefined): string {
    const { spec, keys } = this;
    let k = 0;
    let text = '{';
    for (const index of spec.keepIndices) text += `${keys[k++]}:${JSON.stringify(cells[base + index] ?? '')},`;
    for (let i = 0; i < this.numbers; i++) text += `${keys[k++]}:${formatNumber(scoreNumber(score, i), spec.precision)},`;
    text += `${keys[k++]}:${this.classes[score.cls]}`;
    if (correct !== undefined) text += `,${keys[k]}:${correct}`;
    text += '}';
    if (this.lines) return `${text}\n`;
    return `${this.rows++ === 0 ? '\n' : ',\n'}${text}`;
  }

  end(): string {
    if (this.lines) return '';
    return this.rows === 0 ? ']\n' : '\n]\n';
  }
}

/** Colours for the table, passed in so the core never asks whether stdout is a terminal. */
export interface TableStyle {
  readonly header: (text: string) => string;
  readonly class0: (text: string) => string;
  readonly class1: (text: string) => string;
  readonly bar: (text: string) => string;
  readonly correct: (ok: boolean, text: string) => string;
  /** false: no Unicode block characters (a dumb terminal): the bars are drawn with `#`. */
  readonly unicode?: boolean;
  /**
   * Display width (the CLI passes string-width: CJK and emoji count 2,
   * combining marks 0). Passed in so that string-width is loaded only for a
   * table: it costs start-up time every other format would pay.
   */
  readonly width?: MeasureWidth;
}

/**
 * The table without colour: every style is the identity.
 * @example
 * ```js
 * import { plainStyle } from 'neuron-cli';
 * plainStyle.class1('Obese'); // => 'Obese'
 * ```
 */
export const plainStyle: TableStyle = {
  header: (t) => t,
  class0: (t) => t,
  class1: (t) => t,
  bar: (t) => t,
  correct: (_, t) => t,
};

const BAR_WIDTH = 10;
const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `width` cells (BAR_WIDTH unless told), in eighths, for `fraction` in [0, 1]; in whole cells of `#` without Unicode. */
export function drawBar(fraction: number, unicode = true, width = BAR_WIDTH): string {
  if (!unicode) return '#'.repeat(Math.round(Math.min(1, Math.max(0, fraction)) * width)).padEnd(width, ' ');
  const eighths = Math.round(Math.min(1, Math.max(0, fraction)) * width * 8);
  const full = Math.floor(eighths / 8);
  const bar = '█'.repeat(full) + (BLOCKS[eighths % 8] ?? '');
  return bar.padEnd(width, ' ');
}

/** A text's width in terminal columns. */
export type MeasureWidth = (text: string) => number;

/** Without a measure: one column per code point (right for most Latin text; CJK and emoji need string-width). */
const codePoints: MeasureWidth = (text) => [...text].length;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `width` columns, ending in … when cut; whole graphemes only. */
export function elide(text: string, width: number, displayWidth: MeasureWidth = codePoints): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept}…`;
}

/** A kept column is never elided below this width (two characters and …). */
const MIN_KEPT_WIDTH = 3;

/**
 * The table's score columns: `z` and the activation output (with a bar when
 * the activation is bounded); for a softmax layer, only the winning class's
 * probability (with a bar), as k columns of each would not fit a terminal.
 */
function tableScoreColumns(spec: OutputSpec): string[] {
  return spec.activation === SOFTMAX ? [SOFTMAX] : ['z', spec.activation];
}

/**
 * The human table. It streams: column widths are taken from the first
 * `blockSize` rows (or all of them, if fewer), and later rows are padded to
 * the same widths, so output starts before the input ends.
 */
class TableWriter implements RowWriter {
  get reads(): readonly number[] {
    return this.spec.keepIndices;
  }

  private readonly columns: string[];
  private readonly classes: readonly string[];
  private readonly displayWidth: MeasureWidth;
  private readonly numeric: boolean[];
  private readonly range: readonly [number, number] | undefined;
  /** The column with the bar (the last score column), and the class column after it. */
  private readonly outputColumn: number;
  private pending: { cells: string[]; cls: number; correct: boolean | undefined; output: number }[] = [];
  private widths: number[] | undefined;

  constructor(
    private readonly spec: OutputSpec,
    private readonly style: TableStyle,
    private readonly blockSize = 100,
  ) {
    // Names and classes from the data or the weights file reach a terminal: escaped.
    const scores = tableScoreColumns(spec);
    this.columns = [...spec.keepNames, ...scores, 'class', ...(spec.withCorrect ? ['correct'] : [])].map(visible);
    this.classes = spec.classes.map(visible);
    this.displayWidth = style.width ?? codePoints;
    const kept = spec.keepNames.length;
    this.numeric = this.columns.map((_, i) => (i < kept ? spec.keptAreInputs === true : i < kept + scores.length));
    this.range = spec.activation === SOFTMAX ? [0, 1] : boundedRange(spec.activation);
    this.outputColumn = kept + scores.length - 1;
  }

  start(): string {
    return '';
  }

  row(record: readonly string[], base: number, score: RowScore, correct: boolean | undefined): string {
    const precision = this.spec.precision ?? 4;
    // A layer shows the winner's probability; one neuron its z and output.
    const output = 'p' in score ? (score.p[score.cls] as number) : score.output;
    const cells = [
      ...this.spec.keepIndices.map((i) => visible(record[base + i] ?? '')),
      ...('p' in score ? [] : [formatNumber(score.z, precision)]),
      formatNumber(output, precision),
      this.classes[score.cls] ?? '',
      ...(correct === undefined ? [] : [correct ? 'yes' : 'no']),
    ];
    const entry = { cells, cls: score.cls, correct, output };
    if (this.widths !== undefined) return this.render([entry]);
    this.pending.push(entry);
    return this.pending.length >= this.blockSize ? this.flush() : '';
  }

  end(): string {
    return this.widths === undefined ? this.flush() : '';
  }

  private flush(): string {
    const rows = this.pending;
    this.pending = [];
    const displayWidth = this.displayWidth;
    this.widths = this.columns.map((name, c) => Math.max(displayWidth(name), ...rows.map((r) => displayWidth(r.cells[c] ?? ''))));
    const barSpace = this.range === undefined ? '' : ' '.repeat(BAR_WIDTH + 1);
    this.fit(this.widths, barSpace.length);
    const outputColumn = this.outputColumn;
    const header = this.columns
      .map((name, c) => this.pad(this.fitted(name, c), c) + (c === outputColumn ? barSpace : ''))
      .join('  ')
      .trimEnd();
    return `${this.style.header(header)}\n${this.render(rows)}`;
  }

  /**
   * On a terminal narrower than the table, the kept columns give up width,
   * the widest first, down to MIN_KEPT_WIDTH; the scores never do.
   */
  private fit(widths: number[], barSpace: number): void {
    const { maxWidth } = this.spec;
    if (maxWidth === undefined) return;
    const kept = this.spec.keepNames.length;
    let excess = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1) + barSpace - maxWidth;
    while (excess > 0) {
      let widest = -1;
      for (let c = 0; c < kept; c++)
        if ((widths[c] as number) > MIN_KEPT_WIDTH && (widest === -1 || (widths[c] as number) > (widths[widest] as number))) widest = c;
      if (widest === -1) return; // as narrow as it goes: the terminal wraps the rest
      widths[widest] = (widths[widest] as number) - 1;
      excess--;
    }
  }

  /** A kept value (or name) cut to its column's width on a terminal; other cells as they are. */
  private fitted(text: string, c: number): string {
    return this.spec.maxWidth !== undefined && c < this.spec.keepNames.length ? elide(text, this.widths?.[c] ?? 0, this.displayWidth) : text;
  }

  private pad(text: string, c: number): string {
    if (c === this.columns.length - 1 && !this.numeric[c]) return text; // no trailing blanks
    const width = this.widths?.[c] ?? 0;
    const gap = ' '.repeat(Math.max(0, width - this.displayWidth(text)));
    return this.numeric[c] ? gap + text : text + gap;
  }

  private render(rows: typeof this.pending): string {
    const { style, range, outputColumn } = this;
    const classColumn = outputColumn + 1;
    let text = '';
    for (const row of rows) {
      const cells = row.cells.map((cell, c) => {
        const padded = this.pad(this.fitted(cell, c), c);
        // k classes alternate the two colours, so that neighbouring classes differ.
        if (c === classColumn) return row.cls % 2 === 1 ? style.class1(padded) : style.class0(padded);
        if (c === classColumn + 1) return style.correct(row.correct === true, padded);
        if (c === outputColumn && range !== undefined) {
          return `${padded} ${style.bar(drawBar((row.output - range[0]) / (range[1] - range[0]), style.unicode !== false))}`;
        }
        return padded;
      });
      text += `${cells.join('  ')}\n`;
    }
    return text;
  }
}

/**
 * A writer of scored rows in one output format, as `neuron eval` writes them; `row` takes the record's cells (for the kept columns) and its score.
 * @example
 * ```js
 * import { createRowWriter } from 'neuron-cli';
 * const spec = { keepNames: ['id'], keepIndices: [0], activation: 'sigmoid', classes: ['Not Obese', 'Obese'], withCorrect: false, precision: undefined };
 * const writer = createRowWriter('csv', spec);
 * writer.start() + writer.row(['p01', '4', '80'], 0, { z: 2, output: 0.8807970779778824, cls: 1 }, undefined) + writer.end(); // => 'id,z,sigmoid,class\np01,2,0.8807970779778824,Obese\n'
 * ```
 */
export function createRowWriter(format: FormatName, spec: OutputSpec, style: TableStyle = plainStyle): RowWriter {
  switch (format) {
    case 'csv':
      return new DelimitedWriter(spec, ',');
    case 'tsv':
      return new DelimitedWriter(spec, '\t');
    case 'json':
      return new JsonWriter(spec, false);
    case 'ndjson':
      return new JsonWriter(spec, true);
    case 'table':
      return new TableWriter(spec, style);
  }
}

/** A writer of nothing: `neuron metrics` scores the rows with eval's step and writes none. */
export const NO_OUTPUT: RowWriter = { reads: [], start: () => '', row: () => '', end: () => '' };
