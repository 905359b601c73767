/**
 * Bytes for the parallel reader's workers, with no garbage per block:
 * `BlockInput` reads a block of a file into one reused buffer (its rows are
 * parsed before the next block is read), and `Utf8Builder` encodes a
 * block's output text batch by batch into one buffer off the JavaScript
 * heap, instead of one string for the whole block encoded at its end.
 */
import { readSync } from 'node:fs';

/** A file's blocks read into one buffer, grown when a block is larger. */
export class BlockInput {
  private buffer = Buffer.allocUnsafeSlow(0);

  /** Bytes [start, end) of an open file; valid until the next read. */
  read(fd: number, start: number, end: number): Buffer {
    if (end - start > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(end - start);
    const bytes = this.buffer;
    let done = 0;
    while (done < end - start) {
      const read = readSync(fd, bytes, done, end - start - done, start + done);
      if (read === 0) break;
      done += read;
    }
    return bytes.subarray(0, done);
  }
}

/** UTF-8 text built up in a buffer of its own (not Buffer's shared pool), so that it can be moved to another thread. */
export class Utf8Builder {
  private bytes: Buffer;
  private length = 0;

  constructor(private capacity = 64 * 1024) {
    this.bytes = Buffer.allocUnsafeSlow(capacity);
  }

  append(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: only near the end is the text measured.
    const end = this.length + 3 * text.length > this.bytes.length ? this.length + Buffer.byteLength(text) : 0;
    if (end > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, end));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** The bytes so far (their buffer is the caller's, to move); the builder starts again, empty, with room for as many. */
  take(): Uint8Array {
    const taken = this.bytes.subarray(0, this.length);
    this.capacity = Math.max(this.capacity, this.length + (this.length >> 3));
    this.bytes = Buffer.allocUnsafeSlow(this.capacity);
    this.length = 0;
    return taken;
  }
}
