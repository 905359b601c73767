/**
 * Where lines start in a regular file, found from its bytes, so that the
 * parallel eval can cut a file into pieces of whole lines without reading
 * it through. A line starts at byte 0, after a \n, and after a \r that no
 * \n follows: the line breaks the CSV reader ends records on (\r\n, \n, \r).
 * Those bytes never occur inside a UTF-8 multi-byte character.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const LF = 10;
const CR = 13;
const WINDOW = 64 * 1024;

/** The first line start at or after `offset` (the file's size if there is none). */
export function nextLineStart(fd: number, offset: number, size: number): number {
  if (offset <= 0) return 0;
  const window = Buffer.allocUnsafe(WINDOW + 1);
  // From the byte before `offset`: a break there makes `offset` itself a line start.
  for (let at = offset - 1; at < size; at += WINDOW) {
    const read = readSync(fd, window, 0, Math.min(WINDOW + 1, size - at), at);
    for (let i = 0; i < Math.min(read, WINDOW); i++) {
      const byte = window[i];
      if (byte === LF) return at + i + 1;
      if (byte === CR && (i + 1 >= read || window[i + 1] !== LF)) return at + i + 1;
    }
  }
  return size;
}

export interface FileStart {
  /** The byte offset just after the `lines`-th line break (0 for none). */
  readonly offset: number;
  readonly size: number;
  /** The file's first 3 bytes (fewer if it is shorter). */
  readonly head: Buffer;
}

/** Where the data starts in a regular file after `lines` lines; undefined for anything else (a pipe). */
export function afterLines(path: string, lines: number): FileStart | undefined {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    const size = stats.size;
    const head = Buffer.alloc(3);
    const got = readSync(fd, head, 0, 3, 0);
    let offset = 0;
    for (let n = 0; n < lines && offset < size; n++) offset = nextLineStart(fd, offset + 1, size);
    return { offset, size, head: head.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}
