/**
 * UTF-8 validation of the input bytes, before csv-parse decodes them (it
 * would silently replace bad bytes with U+FFFD, giving wrong column names or
 * values). A pass-through Transform: chunks are checked with Node's native
 * `isUtf8`; a multi-byte character split across chunks is carried over.
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

export class Utf8Check extends Transform {
  private carry: Buffer | undefined;
  private lines = 1;
  /** The last byte passed on was a \r (a \n next is the same line break). */
  private afterCR = false;
  private first = true;

  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const buf = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    if (this.first) {
      this.first = false;
      const error = this.checkStart(buf);
      if (error !== undefined) {
        callback(error);
        return;
      }
    }
    const cut = completePrefix(buf);
    const body = buf.subarray(0, cut);
    this.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : undefined;
    if (!isUtf8(body)) {
      callback(this.invalid(body, firstInvalidByte(body)));
      return;
    }
    const counted = countLineBreaks(body, body.length, this.afterCR);
    this.lines += counted.breaks;
    this.afterCR = counted.afterCR;
    callback(null, body);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.carry === undefined ? null : this.invalid(this.carry, 0));
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
    const nul = buf.indexOf(0);
    if (nul !== -1) {
      return new NeuronError(
        'not-utf8',
        'the file has NUL bytes: it is UTF-16 or binary, not UTF-8 text',
        { file: this.file, line: this.lineAt(buf, nul) },
        HINT,
      );
    }
    return undefined;
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
