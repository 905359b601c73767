/**
 * Reading CSV. csv-parse defines what neuron accepts (quotes, BOM, line
 * endings, errors with line numbers); its errors become located
 * NeuronErrors here.
 *
 * Speed: most data files have no double quote at all, and for them
 * csv-parse's general state machine is most of neuron's run time. So the
 * reader starts on a fast path, `FastSplitter`, which splits lines and
 * fields with indexOf over whole decoded chunks. It handles exactly the
 * inputs without a quote, and hands the rest of the stream to csv-parse,
 * from the start of the record where the first quote appears.
 * test/csv-fast-path.test.ts checks on random inputs that both paths give
 * the same records, line numbers and errors.
 *
 * Records come in batches: one flat array of cells per chunk of input, so
 * that no object is made per row.
 */
import { pipeline, type Readable } from 'node:stream';
import type { CsvError, Options } from 'csv-parse';
import { NeuronError } from '../errors.js';
import { gunzipIfCompressed } from './gzip.js';
import { Utf8Check } from './utf8.js';

export interface CsvOptions {
  /** File name for messages (`<stdin>` for standard input). */
  readonly file: string;
  /** One character. */
  readonly delimiter: string;
  /** false: csv-parse for everything (the reference the fast path is tested against). */
  readonly fast?: boolean;
  /** The longest record, in characters without delimiters (tests lower it). */
  readonly maxRecordChars?: number;
  /**
   * The input is a piece of a file that starts at a line after the header
   * (the parallel eval's blocks): every record has this width, and the
   * start is no file's start (no byte-order mark, gzip or UTF-16 check).
   * Its line numbers count from 1 at the piece's first line.
   */
  readonly part?: { readonly width: number };
}

/**
 * The longest record accepted, in characters. It bounds memory on a file
 * with an unclosed quote, which would otherwise be read whole as one field.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * Records of one width: record r's field f is cells[r * width + f], and
 * lines[r] is the physical line it ends on (1-based).
 *
 * From the fast path, a batch also has the chunk's `text` and the cells'
 * `bounds` in it: cell i is text.slice(bounds[2 * i], bounds[2 * i + 1]).
 * The hot loop reads numbers straight from the text and so makes no string
 * per cell; `cells` is then built only when asked for.
 */
export interface CsvBatch {
  readonly cells: string[];
  readonly lines: number[];
  readonly width: number;
  readonly count: number;
  readonly text: string | undefined;
  readonly bounds: Int32Array | undefined;
}

/** One record and the line it ends on. */
export interface CsvRow {
  readonly record: string[];
  readonly line: number;
}

export function parserOptions(delimiter: string, maxRecordChars = MAX_RECORD_CHARS): Options {
  return {
    bom: true,
    delimiter,
    info: true,
    skip_empty_lines: true,
    // A double quote inside an unquoted field (5'11", 37.8"N) is kept as it is, as Python's csv does.
    relax_quotes: true,
    // Record widths are checked by Batch.add, the same way for both paths.
    relax_column_count: true,
    // Any mix of CRLF, LF and CR ends a record (csv-parse otherwise fixes on the first one it sees).
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordChars,
  };
}

function raggedError(file: string, line: number, got: number, width: number): NeuronError {
  return new NeuronError(
    'data',
    `row has ${got} fields but the header has ${width}`,
    { file, line },
    'every row needs one value per column; check for a missing or extra delimiter',
  );
}

function tooLongError(file: string, line: number, max: number): NeuronError {
  return new NeuronError('data', `a row longer than ${max} characters`, { file, line }, 'check for an unclosed quote');
}

/**
 * csv-parse's error as one of neuron's. `startLine` is the line the failing
 * record starts on (csv-parse names the line where it gave up: for an
 * unclosed quote, the end of the file).
 */
export function csvError(error: CsvError, file: string, startLine: number, lineOffset: number, maxRecordChars = MAX_RECORD_CHARS): NeuronError {
  // csv-parse counts lines from where it took over.
  const line = typeof error.lines === 'number' ? lineOffset + error.lines : startLine;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new NeuronError(
        'data',
        'a quoted field on this row is never closed (the file ends inside it)',
        { file, line: startLine },
        'add the closing double quote',
      );
    case 'CSV_MAX_RECORD_SIZE':
      return tooLongError(file, line, maxRecordChars);
    default:
      return new NeuronError('data', error.message.replace(/ on line \d+$/, ''), { file, line: startLine });
  }
}

/** Builds one batch; checks that every record has the first record's width. */
class Batch implements CsvBatch {
  /** csv-parse's cells, or those of `text` once asked for. */
  private list: string[] | undefined;
  text: string | undefined;
  bounds: Int32Array | undefined;
  /** Cells in `bounds`. */
  size = 0;
  lines: number[] = [];
  count = 0;
  /** Set by a record that failed: the batch is delivered, then this is thrown. */
  error: NeuronError | undefined;

  constructor(
    readonly file: string,
    public width: number,
  ) {}

  get cells(): string[] {
    if (this.list !== undefined) return this.list;
    const { text, bounds } = this;
    const list: string[] = new Array(this.count * this.width);
    if (text !== undefined && bounds !== undefined) {
      for (let i = 0; i < list.length; i++) list[i] = text.slice(bounds[2 * i], bounds[2 * i + 1]);
    }
    this.list = list;
    return list;
  }

  /** csv-parse's path: cells as strings. */
  push(cell: string): void {
    if (this.list === undefined) this.list = [];
    this.list.push(cell);
  }

  /** After `fields` cells were added for a record ending on `line`. */
  close(fields: number, line: number): boolean {
    if (this.width === -1) this.width = fields;
    else if (fields !== this.width) {
      if (this.list !== undefined) this.list.length -= fields;
      else this.size -= fields;
      this.error = raggedError(this.file, line, fields, this.width);
      return false;
    }
    this.lines.push(line);
    this.count++;
    return true;
  }
}

/**
 * The fast path for input without double quotes: whole decoded chunks are
 * split at line breaks (\r\n, \n or \r) and delimiters with indexOf, as
 * csv-parse would split them with the options above. Stops (returns the
 * rest) at the first record that holds a quote.
 */
export class FastSplitter {
  /** Text of a record not yet ended. */
  private carry = '';
  /** The line the next record starts on. */
  line = 1;
  private started: boolean;

  /** `bom`: a byte-order mark may start the text. */
  constructor(
    private readonly delimiter: string,
    private readonly max: number,
    private readonly file: string,
    bom = true,
  ) {
    this.started = !bom;
  }

  /**
   * Splits `chunk` (and what was carried over) into `batch`. Returns the
   * text from the start of the first record with a quote, for csv-parse,
   * or undefined. `final`: no more input follows.
   */
  push(chunk: string, final: boolean, batch: Batch): string | undefined {
    const inside = this.carry !== '' && this.carry.charCodeAt(this.carry.length - 1) !== 13;
    if (inside && !final && chunk.indexOf('\n') === -1 && chunk.indexOf('\r') === -1 && chunk.indexOf('"') === -1) {
      // Still inside one long record: only the new text needs looking at.
      this.carry += chunk;
      if (this.carry.length * 3 > this.max && overMax(this.carry, 0, this.carry.length, this.delimiter, this.max)) {
        batch.error = tooLongError(this.file, this.line, this.max);
      }
      return undefined;
    }
    let t = this.carry === '' ? chunk : this.carry + chunk;
    if (!this.started && t !== '') {
      this.started = true;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    const { delimiter, max } = this;
    const n = t.length;
    batch.text = t;
    // Room for the cells of this chunk, at the widest a guess: grown when short.
    let bounds = new Int32Array(Math.max(64, 2 * Math.ceil(n / 4)));
    let k = 0;
    const quote = t.indexOf('"');
    let cr = t.indexOf('\r');
    let pos = 0;
    while (pos < n) {
      const nl = t.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = t.indexOf('\r', pos);
      let end: number;
      let next: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        end = cr;
        if (cr + 1 < n) next = t.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        else if (final) next = n;
        else break; // a \n may follow in the next chunk
      } else if (nl !== -1) {
        end = nl;
        next = nl + 1;
      } else if (final) {
        end = n;
        next = n;
      } else break;
      if (quote !== -1 && quote < next) {
        this.carry = '';
        return t.slice(pos);
      }
      if (end > pos) {
        // A record of m characters has at most m + 1 cells.
        if (k + 2 * (end - pos + 1) > bounds.length) {
          const grown = new Int32Array(Math.max(2 * bounds.length, k + 2 * (end - pos + 1)));
          grown.set(bounds.subarray(0, k));
          bounds = grown;
          batch.bounds = bounds;
        }
        const first = k;
        let start = pos;
        for (;;) {
          const d = t.indexOf(delimiter, start);
          if (d === -1 || d >= end) break;
          bounds[k++] = start;
          bounds[k++] = d;
          start = d + delimiter.length;
        }
        bounds[k++] = start;
        bounds[k++] = end;
        const fields = (k - first) >> 1;
        batch.bounds = bounds;
        batch.size += fields;
        if ((end - pos) * 3 > max && overMax(t, pos, end, delimiter, max)) {
          batch.size -= fields;
          batch.error = tooLongError(this.file, this.line, max);
          return undefined;
        }
        if (!batch.close(fields, this.line)) return undefined;
      }
      this.line++;
      pos = next;
    }
    if (quote >= pos) {
      // The unended record has a quote: csv-parse takes it from its start.
      this.carry = '';
      return t.slice(pos);
    }
    this.carry = pos === 0 ? t : t.slice(pos);
    // An unended record already over the limit: stop now, in bounded memory.
    // (A \r at the end is a line break waiting for a possible \n, not text.)
    const open = this.carry.length - (this.carry.charCodeAt(this.carry.length - 1) === 13 ? 1 : 0);
    if (open * 3 > max && overMax(this.carry, 0, open, delimiter, max)) {
      batch.error = tooLongError(this.file, this.line, max);
    }
    return undefined;
  }
}

/**
 * Whether csv-parse's max_record_size check fails on the record t[pos, end).
 * csv-parse tests, before it appends each byte, whether the string length
 * of the fields done so far plus the byte length of the field being read
 * exceeds the limit; the largest such sum comes just before a field's last
 * byte.
 */
function overMax(t: string, pos: number, end: number, delimiter: string, max: number): boolean {
  let done = 0;
  let start = pos;
  for (;;) {
    let d = t.indexOf(delimiter, start);
    if (d === -1 || d > end) d = end;
    if (d > start) {
      const field = t.slice(start, d);
      if (done + Buffer.byteLength(field) - 1 > max) return true;
      done += field.length;
    }
    if (d === end) return false;
    start = d + delimiter.length;
  }
}

/** csv-parse's parser core, as its Transform stream calls it (pinned version: see package.json). */
interface ParserApi {
  parse(buffer: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
}

/**
 * The records of a CSV stream in batches, in order, with their line
 * numbers. The first record (the header, when there is one) comes first in
 * the first batch; every record has its width, or the batch ends and the
 * ragged record's error is thrown. Rows before a bad one are delivered.
 */
export async function* readCsvBatches(input: Readable, options: CsvOptions): AsyncGenerator<CsvBatch> {
  const { file, delimiter } = options;
  const max = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const { part } = options;
  const checked = new Utf8Check(file, part === undefined);
  // pipeline destroys the check with the input's error (e.g. EISDIR), which surfaces from the loop.
  // gzip is recognised by its first bytes, not the file name, and read as the text it holds.
  if (part === undefined) pipeline(input, gunzipIfCompressed(file), checked, () => {});
  else pipeline(input, checked, () => {});
  const chunks = checked[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let width = part?.width ?? -1;
  let rest: string | undefined;
  let lineOffset = 0;
  try {
    if (options.fast !== false) {
      const splitter = new FastSplitter(delimiter, max, file, part === undefined);
      for (;;) {
        const next = await chunks.next();
        // The text ended inside a line with an invalid byte: that line is no record.
        if (next.done === true && checked.failureInLine) throw checked.failure;
        const batch = new Batch(file, width);
        rest = splitter.push(next.done === true ? '' : next.value.toString('utf8'), next.done === true, batch);
        width = batch.width;
        if (batch.count > 0) yield batch;
        if (batch.error !== undefined) throw batch.error;
        // The text ended before a line with an invalid byte: its records are read, then that is the error.
        if (next.done === true && rest === undefined && checked.failure !== undefined) throw checked.failure;
        if (rest !== undefined || next.done === true) break;
      }
      if (rest === undefined) return;
      lineOffset = splitter.line - 1;
    }
    // csv-parse for the rest of the stream, from the record with the first quote. Its
    // parser is driven chunk by chunk through the API its own stream uses (`api.parse`,
    // synchronous), so that records before an error are delivered before the error.
    // After the fast path, the file's byte-order mark is gone; a U+FEFF further on is text.
    // Loaded only here: input without quotes never needs it.
    const { parse, CsvError } = await import('csv-parse');
    const api = (parse({ ...parserOptions(delimiter, max), bom: options.fast === false && part === undefined }) as unknown as { api: ParserApi }).api;
    let batch = new Batch(file, width);
    let lastLine = lineOffset;
    let emptyLines = 0;
    // csv-parse counts a CRLF inside a quoted field as two lines; `doubled` takes those back.
    let doubled = 0;
    const push = (item: { record: string[]; info: { lines: number; empty_lines: number } }) => {
      if (batch.error !== undefined) return;
      for (const cell of item.record) {
        batch.push(cell);
        for (let i = cell.indexOf('\r\n'); i !== -1; i = cell.indexOf('\r\n', i + 2)) doubled++;
      }
      lastLine = lineOffset + item.info.lines - doubled;
      emptyLines = item.info.empty_lines;
      batch.close(item.record.length, lastLine);
    };
    /** Returns csv-parse's own error code, if it failed. */
    const feed = (buffer: Buffer | undefined, end: boolean): string | undefined => {
      const error = api.parse(buffer, end, push as (record: unknown) => void, () => {});
      if (error === undefined || batch.error !== undefined) return undefined;
      if (!(error instanceof CsvError)) throw error;
      // The failing record starts after the last good one and any blank lines since.
      const blank = typeof error.empty_lines === 'number' ? error.empty_lines - emptyLines : 0;
      batch.error = csvError(error, file, lastLine + 1 + blank, lineOffset - doubled, max);
      return error.code;
    };
    if (rest !== undefined) feed(Buffer.from(rest), false);
    for (;;) {
      const next = batch.error === undefined ? await chunks.next() : { done: true as const, value: undefined };
      if (next.done === true) {
        if (batch.error === undefined && checked.failureInLine) batch.error = checked.failure;
        if (batch.error === undefined) {
          const code = feed(undefined, true);
          // The text ended before a line with an invalid byte: that is the error, unless a record
          // before it failed (a quote still open there is not open at the file's end).
          const { failure } = checked;
          if (failure !== undefined && (code === 'CSV_QUOTE_NOT_CLOSED' || batch.error === undefined)) batch.error = failure;
        }
      } else {
        feed(next.value, false);
      }
      width = batch.width;
      if (batch.count > 0) yield batch;
      if (batch.error !== undefined) throw batch.error;
      if (next.done === true) return;
      batch = new Batch(file, width);
    }
  } finally {
    if (!checked.destroyed) checked.destroy();
    if (!input.destroyed) input.destroy();
  }
}

/** The records one by one: for commands that are not on the hot path. */
export async function* readCsv(input: Readable, options: CsvOptions): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(input, options)) {
    for (let r = 0; r < batch.count; r++) {
      yield { record: batch.cells.slice(r * batch.width, (r + 1) * batch.width), line: batch.lines[r] as number };
    }
  }
}
