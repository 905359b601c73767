/**
 * Reading CSV. csv-parse defines what neuron accepts (quotes, BOM, line
 * endings, errors with line numbers); its errors become located
 * NeuronErrors here.
 *
 * Speed: most data files have no double quote at all, and for them
 * csv-parse's general state machine is most of neuron's run time. So the
 * reader starts on a fast path, `FastSplitter`, which splits lines and
 * fields with indexOf over whole decoded chunks. It handles the records
 * without a quote and those whose quotes each enclose a whole field on one
 * line with no "" inside ("every field quoted", as spreadsheets write), and
 * hands the rest of the stream to csv-parse from the first record it does
 * not handle.
 * test/properties/csv-fast-path.test.ts checks on random inputs that both paths give
 * the same records, line numbers and errors.
 *
 * Records come in batches, one per chunk of input, in the one shape of
 * cells (`Records`, src/neuron/cells.ts: text plus cell bounds), so that no
 * object is made per row and no string per cell: the fast path's text is
 * the chunk itself, csv-parse's records are packed into that shape.
 */
import { pipeline, type Readable } from 'node:stream';
import type { CsvError, Options } from 'csv-parse';
import { NeuronError } from '../errors.js';
import { packCells, type Records, recordOf } from '../neuron/cells.js';
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
    // Record widths are checked by Batch, the same way for both paths.
    relax_column_count: true,
    // Any mix of CRLF, LF and CR ends a record (csv-parse otherwise fixes on the first one it sees).
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordChars,
  };
}

function raggedError(file: string, line: number, got: number, width: number): NeuronError {
  return new NeuronError(
    'ragged-row',
    `row has ${got} fields but the header has ${width}`,
    { file, line },
    'every row needs one value per column; check for a missing or extra delimiter',
  );
}

function tooLongError(file: string, line: number, max: number): NeuronError {
  return new NeuronError('row-too-long', `a row longer than ${max} characters`, { file, line }, 'check for an unclosed quote');
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
        'unclosed-quote',
        'a quoted field on this row is never closed (the file ends inside it)',
        { file, line: startLine },
        'add the closing double quote',
      );
    case 'CSV_MAX_RECORD_SIZE':
      return tooLongError(file, line, maxRecordChars);
    default:
      return new NeuronError('bad-csv', error.message.replace(/ on line \d+$/, ''), { file, line: startLine });
  }
}

/** Builds one batch; checks that every record has the first record's width. */
class Batch implements Records {
  text = '';
  bounds: Int32Array = NO_BOUNDS;
  /** Entries of `bounds` in use (two per cell). */
  used = 0;
  lines: number[] = [];
  count = 0;
  /** Set by a record that failed: the batch is delivered, then this is thrown. */
  error: NeuronError | undefined;
  /** csv-parse's path: the cells as strings, packed into `text` and `bounds` by `seal`. */
  private readonly strings: string[] = [];

  constructor(
    readonly file: string,
    public width: number,
  ) {}

  /** `bounds`, with room for `cells` more cells (grown when short). */
  room(cells: number): Int32Array {
    if (this.used + 2 * cells > this.bounds.length) {
      const grown = new Int32Array(Math.max(2 * this.bounds.length, this.used + 2 * cells, 64));
      grown.set(this.bounds.subarray(0, this.used));
      this.bounds = grown;
    }
    return this.bounds;
  }

  /** The fast path: a record of `fields` cells, written to `bounds` up to `used`, ends on `line`. */
  close(fields: number, line: number, used: number): boolean {
    if (!this.fits(fields, line)) return false;
    this.used = used;
    this.lines.push(line);
    this.count++;
    return true;
  }

  /** csv-parse's path: a record as strings, ending on `line`. */
  add(record: readonly string[], line: number): void {
    if (!this.fits(record.length, line)) return;
    for (const cell of record) this.strings.push(cell);
    this.lines.push(line);
    this.count++;
  }

  /** csv-parse's records in the one shape (the fast path's already are). */
  seal(): this {
    if (this.strings.length > 0) {
      const packed = packCells(this.strings, this.width, this.lines);
      this.text = packed.text;
      this.bounds = packed.bounds;
    }
    return this;
  }

  /** Whether a record of `fields` cells has the batch's width (the first record sets it); else `error`. */
  private fits(fields: number, line: number): boolean {
    if (this.width === -1) this.width = fields;
    else if (fields !== this.width) {
      this.error = raggedError(this.file, line, fields, this.width);
      return false;
    }
    return true;
  }
}

const NO_BOUNDS = new Int32Array(0);

/**
 * The fast path: whole decoded chunks are split at line breaks (\r\n, \n
 * or \r) and delimiters with indexOf, as csv-parse would split them with
 * the options above. Stops (returns the rest) at the first record with a
 * quote that is not simply a whole field's (see splitQuoted).
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
   * text from the start of the first record it leaves to csv-parse, or
   * undefined. `final`: no more input follows.
   */
  push(chunk: string, final: boolean, batch: Batch): string | undefined {
    if (!final && this.extend(chunk, batch)) return undefined;
    let t = this.carry === '' ? chunk : this.carry + chunk;
    if (!this.started && t !== '') {
      this.started = true;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    const n = t.length;
    const { max } = this;
    batch.text = t;
    // Room for the cells of this chunk, at the widest a guess: grown when short.
    batch.bounds = new Int32Array(Math.max(64, 2 * Math.ceil(n / 4)));
    let quote = t.indexOf('"');
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
      if (quote !== -1 && quote < pos) quote = t.indexOf('"', pos);
      if (quote !== -1 && quote < next) {
        const split = this.splitQuoted(t, pos, end, quote, batch);
        if (split === 'error') return undefined;
        if (split === 'csv-parse') {
          this.carry = '';
          return t.slice(pos);
        }
      } else if (end > pos && !this.split(t, pos, end, batch)) return undefined;
      this.line++;
      pos = next;
    }
    if (quote !== -1 && quote < pos) quote = t.indexOf('"', pos);
    // (A \r at the end is a line break waiting for a possible \n, not text.)
    const open = n - pos - (t.charCodeAt(n - 1) === 13 ? 1 : 0);
    if (quote !== -1 && open * 3 > max) {
      // A long unended record with a quote: csv-parse measures it.
      this.carry = '';
      return t.slice(pos);
    }
    this.carry = pos === 0 ? t : t.slice(pos);
    if (quote === -1) this.checkOpen(open, batch);
    return undefined;
  }

  /**
   * Still inside one long record, and `chunk` has no line break and no
   * quote: only the new text needs looking at. Whether that was the case.
   */
  private extend(chunk: string, batch: Batch): boolean {
    const inside = this.carry !== '' && this.carry.charCodeAt(this.carry.length - 1) !== 13;
    if (!inside || this.carry.indexOf('"') !== -1 || chunk.indexOf('\n') !== -1 || chunk.indexOf('\r') !== -1 || chunk.indexOf('"') !== -1) return false;
    this.carry += chunk;
    this.checkOpen(this.carry.length, batch);
    return true;
  }

  /** An unended record (the first `length` characters of `carry`) already over the limit: stop now, in bounded memory. */
  private checkOpen(length: number, batch: Batch): void {
    if (length * 3 > this.max && overMax(this.carry, 0, length, this.delimiter, this.max)) {
      batch.error = tooLongError(this.file, this.line, this.max);
    }
  }

  /**
   * Splits the record t[pos, end), which has a quote at `quote`, in place
   * when every quote is a whole field's ("...", with no "" and no line
   * break inside): its cell is the text between the quotes. Anything else
   * (a "" escape, a quote inside an unquoted field, text after a closing
   * quote, a field over several lines, a record near the length limit) is
   * left to csv-parse, which defines what those mean: 'csv-parse'.
   */
  private splitQuoted(t: string, pos: number, end: number, quote: number, batch: Batch): 'ok' | 'csv-parse' | 'error' {
    const { delimiter } = this;
    if ((end - pos) * 3 > this.max || delimiter.includes('"')) return 'csv-parse';
    const bounds = batch.room(end - pos + 1);
    const first = batch.used;
    let k = first;
    let start = pos;
    let q = quote;
    for (;;) {
      // `stop`: the end of the field, at a delimiter or the end of the record.
      let stop: number;
      if (q < start && q !== -1) q = t.indexOf('"', start);
      if (q === start) {
        const close = t.indexOf('"', start + 1);
        if (close === -1 || close >= end) return 'csv-parse';
        stop = close + 1;
        if (stop < end && !t.startsWith(delimiter, stop)) return 'csv-parse';
        bounds[k++] = start + 1;
        bounds[k++] = close;
        q = t.indexOf('"', stop);
      } else {
        const d = t.indexOf(delimiter, start);
        stop = d === -1 || d >= end ? end : d;
        if (q !== -1 && q < stop) return 'csv-parse';
        bounds[k++] = start;
        bounds[k++] = stop;
      }
      if (stop >= end) break;
      start = stop + delimiter.length;
    }
    return batch.close((k - first) >> 1, this.line, k) ? 'ok' : 'error';
  }

  /** Splits the record t[pos, end) at the delimiters into `batch`; false when it fails (batch.error). */
  private split(t: string, pos: number, end: number, batch: Batch): boolean {
    const { delimiter, max } = this;
    // A record of m characters has at most m + 1 cells.
    const bounds = batch.room(end - pos + 1);
    const first = batch.used;
    let k = first;
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
    if ((end - pos) * 3 > max && overMax(t, pos, end, delimiter, max)) {
      batch.error = tooLongError(this.file, this.line, max);
      return false;
    }
    return batch.close((k - first) >> 1, this.line, k);
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
export async function* readCsvBatches(input: Readable, options: CsvOptions): AsyncGenerator<Records> {
  const { part } = options;
  const checked = new Utf8Check(options.file, part === undefined);
  // pipeline destroys the check with the input's error (e.g. EISDIR), which surfaces from the loop.
  // gzip is recognised by its first bytes, not the file name, and read as the text it holds.
  if (part === undefined) pipeline(input, gunzipIfCompressed(options.file), checked, () => {});
  else pipeline(input, checked, () => {});
  const chunks = checked[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const from = options.fast === false ? { width: part?.width ?? -1, rest: undefined, lineOffset: 0 } : yield* fastBatches(chunks, checked, options);
    if (from !== undefined) yield* parsedBatches(chunks, checked, options, from);
  } finally {
    if (!checked.destroyed) checked.destroy();
    if (!input.destroyed) input.destroy();
  }
}

/** Where the fast path hands over to csv-parse. */
interface Handover {
  /** The records' width so far (-1: none yet). */
  readonly width: number;
  /** The text from the start of the record with the first quote. */
  readonly rest: string | undefined;
  /** The lines before `rest`. */
  readonly lineOffset: number;
}

/** The fast path's batches; returns the hand-over to csv-parse at the first quote, or undefined at the end. */
async function* fastBatches(chunks: AsyncIterator<Buffer>, checked: Utf8Check, options: CsvOptions): AsyncGenerator<Records, Handover | undefined> {
  const { file, part } = options;
  const splitter = new FastSplitter(options.delimiter, options.maxRecordChars ?? MAX_RECORD_CHARS, file, part === undefined);
  let width = part?.width ?? -1;
  for (;;) {
    const next = await chunks.next();
    // The text ended inside a line with an invalid byte: that line is no record.
    if (next.done === true && checked.failureInLine) throw checked.failure;
    const batch = new Batch(file, width);
    const rest = splitter.push(next.done === true ? '' : next.value.toString('utf8'), next.done === true, batch);
    width = batch.width;
    if (batch.count > 0) yield batch;
    if (batch.error !== undefined) throw batch.error;
    if (rest !== undefined) return { width, rest, lineOffset: splitter.line - 1 };
    // The text ended before a line with an invalid byte: its records are read, then that is the error.
    if (next.done === true && checked.failure !== undefined) throw checked.failure;
    if (next.done === true) return undefined;
  }
}

/**
 * csv-parse's batches for the rest of the stream, from the record with the first quote. Its
 * parser is driven chunk by chunk through the API its own stream uses (`api.parse`,
 * synchronous), so that records before an error are delivered before the error.
 * After the fast path, the file's byte-order mark is gone; a U+FEFF further on is text.
 */
async function* parsedBatches(chunks: AsyncIterator<Buffer>, checked: Utf8Check, options: CsvOptions, from: Handover): AsyncGenerator<Records> {
  const { file, delimiter } = options;
  const max = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const { lineOffset } = from;
  // Loaded only here: input without quotes never needs it.
  const { parse, CsvError } = await import('csv-parse');
  const api = (parse({ ...parserOptions(delimiter, max), bom: options.fast === false && options.part === undefined }) as unknown as { api: ParserApi }).api;
  let batch = new Batch(file, from.width);
  let lastLine = lineOffset;
  let emptyLines = 0;
  // csv-parse counts a CRLF inside a quoted field as two lines; `doubled` takes those back.
  let doubled = 0;
  const push = (item: { record: string[]; info: { lines: number; empty_lines: number } }) => {
    if (batch.error !== undefined) return;
    for (const cell of item.record) {
      for (let i = cell.indexOf('\r\n'); i !== -1; i = cell.indexOf('\r\n', i + 2)) doubled++;
    }
    lastLine = lineOffset + item.info.lines - doubled;
    emptyLines = item.info.empty_lines;
    batch.add(item.record, lastLine);
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
  if (from.rest !== undefined) feed(Buffer.from(from.rest), false);
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
    if (batch.count > 0) yield batch.seal();
    if (batch.error !== undefined) throw batch.error;
    if (next.done === true) return;
    batch = new Batch(file, batch.width);
  }
}

/** The records one by one: for code off the hot path (tests). */
export async function* readCsv(input: Readable, options: CsvOptions): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(input, options)) {
    for (let r = 0; r < batch.count; r++) yield { record: recordOf(batch, r), line: batch.lines[r] as number };
  }
}
