/**
 * UTF-8 validation of the input bytes, before csv-parse decodes them (it
 * would silently replace bad bytes with U+FFFD, giving wrong column names or
 * values). A pass-through Transform: chunks are checked with Node's native
 * `isUtf8`; a multi-byte character split across chunks is carried over.
 * Before an invalid byte, the lines before its own are passed on, so the
 * rows before it are read (and a bad row among them is the first error),
 * whatever the chunking: the parallel eval reads a file in other pieces
 * than one stream does, and must stop at the same row. The text then ends
 * there, and the reader throws `failure` where it would see the end (an
 * error event would drop the lines not yet read).
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { NeuronError } from '../errors.js';

/** Length of a UTF-8 sequence from its lead byte; 0 for a byte that cannot lead. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** How much of `buf` can be checked now: all of it, unless it ends inside a character. */
export function completePrefix(buf: Uint8Array): number {
  for (let i = buf.length - 1; i >= 0 && i >= buf.length - 4; i--) {
    const byte = buf[i] as number;
    if ((byte & 0xc0) !== 0x80) {
      const length = sequenceLength(byte);
      return length > 0 && i + length > buf.length ? i : buf.length;
    }
  }
  return buf.length;
}

/** Offset of the first byte that is not part of valid UTF-8 (only called when there is one). */
export function firstInvalidByte(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const length = sequenceLength(buf[i] as number);
    if (length === 0 || !isUtf8(buf.subarray(i, i + length)) || i + length > buf.length) return i;
    i += length;
  }
  return buf.length;
}

const CR = 13;
const LF = 10;

/**
 * Line breaks in `buf` before `end`: \r\n, \n, or \r alone, as the CSV
 * reader ends records. `afterCR` says the byte before `buf` was a \r, so a
 * \n first in `buf` completes that break rather than starting another.
 */
export function countLineBreaks(buf: Uint8Array, end: number, afterCR: boolean): { breaks: number; afterCR: boolean } {
  const lastCR = buf.lastIndexOf(CR, end - 1);
  if (lastCR === -1 || end === 0) {
    // No CR (the common case): count LFs with indexOf, which is native and fast.
    let breaks = 0;
    for (let i = buf.indexOf(LF); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) breaks++;
    // A CR carried from the previous chunk pairs with an LF at the very start.
    if (afterCR && end > 0 && buf[0] === LF) breaks--;
    return { breaks, afterCR: false };
  }
  let breaks = 0;
  let cr = afterCR;
  for (let i = 0; i < end; i++) {
    const byte = buf[i] as number;
    if (byte === CR) breaks++;
    else if (byte === LF && !cr) breaks++;
    cr = byte === CR;
  }
  return { breaks, afterCR: cr };
}

const HINT = 'save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)';

/** The longest unended line held back (a longer one is passed on in pieces). */
const HOLD_BYTES = 64 * 1024;

export class Utf8Check extends Transform {
  /** Bytes after the last line break passed on: the start of a line whose end has not come. */
  private carry: Buffer | undefined;
  private lines = 1;
  /** The last byte passed on was a \r (a \n next is the same line break). */
  private afterCR = false;
  /** The text passed on ends inside a line (a line over HOLD_BYTES). */
  private inLine = false;
  private first = true;
  /** An invalid byte found: the text ends before its line, and the reader throws this there. */
  failure: NeuronError | undefined;
  /**
   * With `failure`: the text passed on ends inside the failing line (one
   * over HOLD_BYTES), so its unended last record is not one.
   */
  failureInLine = false;

  /** `start`: the bytes are a file's beginning, where UTF-16 and binary files are recognised. */
  constructor(
    private readonly file: string,
    start = true,
  ) {
    super();
    this.first = start;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure !== undefined) {
      callback(); // the text has ended: the rest is not read
      return;
    }
    const buf = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    if (this.first) {
      this.first = false;
      const error = this.checkStart(buf);
      if (error !== undefined) {
        callback(error);
        return;
      }
    }
    // Whole lines are passed on, so that the reader never holds part of a line that has an
    // invalid byte further on; the unended line waits for the next chunk, unless it is long.
    let cut = Math.max(buf.lastIndexOf(LF), buf.lastIndexOf(CR)) + 1;
    if (buf.length - cut > HOLD_BYTES) cut = completePrefix(buf);
    this.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
    this.pass(buf.subarray(0, cut));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.failure === undefined && this.carry !== undefined) {
      // The last line, without a line break: complete now, unless it ends inside a character.
      const last = this.carry;
      this.carry = undefined;
      const cut = completePrefix(last);
      if (cut === last.length) this.pass(last);
      else this.fail(last, isUtf8(last.subarray(0, cut)) ? cut : firstInvalidByte(last.subarray(0, cut)));
    }
    callback();
  }

  /** Passes `body` on, or the lines before its first invalid byte and then ends the text. */
  private pass(body: Buffer): void {
    if (body.length === 0) return;
    // One rule for NUL wherever it is (valid UTF-8, but never text, and a C string ends there) and for
    // an invalid byte: the lines before the first one's line are passed on, then the error.
    const bad = isUtf8(body) ? -1 : firstInvalidByte(body);
    const nul = body.indexOf(0);
    if (nul !== -1 && (bad === -1 || nul < bad)) {
      this.fail(body, nul, this.hasNul(body, nul));
      return;
    }
    if (bad !== -1) {
      this.fail(body, bad);
      return;
    }
    const counted = countLineBreaks(body, body.length, this.afterCR);
    this.lines += counted.breaks;
    this.afterCR = counted.afterCR;
    const last = body[body.length - 1];
    this.inLine = last !== LF && last !== CR;
    this.push(body);
  }

  private fail(body: Buffer, bad: number, error: NeuronError = this.invalid(body, bad)): void {
    this.failure = error;
    const lineStart = Math.max(body.lastIndexOf(LF, bad), body.lastIndexOf(CR, bad)) + 1;
    this.failureInLine = lineStart === 0 && this.inLine;
    this.carry = undefined;
    if (lineStart > 0) this.push(body.subarray(0, lineStart));
    this.push(null);
  }

  private checkStart(buf: Buffer): NeuronError | undefined {
    if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
      return new NeuronError(
        'not-utf8',
        'the file is UTF-16, not UTF-8',
        { file: this.file, line: 1 },
        'convert it: iconv -f utf-16 -t utf-8 in.csv > out.csv',
      );
    }
    return undefined;
  }

  private hasNul(body: Buffer, offset: number): NeuronError {
    return new NeuronError(
      'not-utf8',
      'the file has NUL bytes: it is UTF-16 or binary, not UTF-8 text',
      { file: this.file, line: this.lineAt(body, offset) },
      HINT,
    );
  }

  /** The line of byte `offset` of `buf`, which follows what has been passed on. */
  private lineAt(buf: Uint8Array, offset: number): number {
    return this.lines + countLineBreaks(buf, offset, this.afterCR).breaks;
  }

  private invalid(body: Buffer, offset: number): NeuronError {
    const byte = (body[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return new NeuronError('not-utf8', `not UTF-8 text (byte 0x${byte})`, { file: this.file, line: this.lineAt(body, offset) }, HINT);
  }
}
