/**
 * Reading CSV: csv-parse defines what neuron accepts (quotes, BOM, CRLF),
 * and its errors are turned into located NeuronErrors here.
 */
import { pipeline, type Readable } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import { NeuronError } from '../core/errors.js';
import { Utf8Check } from './utf8.js';

export interface CsvOptions {
  /** File name for messages (`<stdin>` for standard input). */
  readonly file: string;
  readonly delimiter: string;
}

/** One data record and the physical line it ends on (1-based). */
export interface CsvRow {
  readonly record: string[];
  readonly line: number;
}

/**
 * The longest record accepted, in characters. It bounds memory on a file
 * with an unclosed quote, which would otherwise be read whole as one field.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export function parserOptions(delimiter: string): Options {
  return {
    bom: true,
    delimiter,
    // Any mix of CRLF, LF and CR ends a record (csv-parse otherwise fixes on the first one it sees).
    record_delimiter: ['\r\n', '\n', '\r'],
    info: true,
    skip_empty_lines: true,
    // A double quote inside an unquoted field (5'11", 37.8"N) is kept as it is, as Python's csv does.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
  };
}

/** Turns csv-parse's error into one of neuron's, keeping its line number. */
export function csvError(error: CsvError, file: string, lastLine: number): NeuronError {
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  const where = { file, line };
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const got = Array.isArray(error.record) ? error.record.length : '?';
      const expected = typeof error.columns === 'number' ? error.columns : undefined;
      const wanted = /expect (\d+)/.exec(error.message)?.[1] ?? expected;
      return new NeuronError(
        'data',
        `row has ${got} fields but the header has ${wanted}`,
        where,
        'every row needs one value per column; check for a missing or extra delimiter',
      );
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      // csv-parse names the last line of the file; the field opened on the row after the last good one.
      return new NeuronError(
        'data',
        'a quoted field on this row is never closed (the file ends inside it)',
        { file, line: lastLine + 1 },
        'add the closing double quote',
      );
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new NeuronError('data', 'a double quote in the middle of a field', where, 'quote the whole field and double the inner quotes ("say ""hi""")');
    case 'CSV_MAX_RECORD_SIZE':
      return new NeuronError('data', `a row longer than ${MAX_RECORD_CHARS} characters`, { file, line: lastLine + 1 }, 'check for an unclosed quote');
    default:
      return new NeuronError('data', error.message.replace(/ on line \d+$/, ''), where);
  }
}

/**
 * The records of a CSV stream, with their line numbers, in order. The
 * first record is the header when the caller says so; this only parses.
 */
export async function* readCsv(input: Readable, options: CsvOptions): AsyncGenerator<CsvRow> {
  const parser = parse(parserOptions(options.delimiter));
  // pipeline destroys the parser with the input's or the check's error,
  // which then surfaces from the loop below.
  pipeline(input, new Utf8Check(options.file), parser, () => {});
  let lastLine = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = item.info.lines;
      yield { record: item.record, line: lastLine };
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvError(error, options.file, lastLine);
    throw error;
  } finally {
    if (!parser.destroyed) parser.destroy();
    if (!input.destroyed) input.destroy();
  }
}
