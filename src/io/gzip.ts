/**
 * gzip input: a stream whose first two bytes are gzip's magic number
 * (1f 8b) is decompressed on the way in, whatever its name, so that
 * `data.csv.gz` and `zcat`-less pipes (`curl ... | neuron eval -`) read as
 * the plain CSV would, with the same records, line numbers and errors.
 * node:zlib inflates on the libuv thread pool, beside the main thread.
 */
import { Readable } from 'node:stream';
import { NeuronError } from '../errors.js';

/** Whether `head` starts with gzip's magic number (RFC 1952, section 2.3.1). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** zlib output chunks as large as the file reader's, so the CSV reader sees the same batch sizes. */
const CHUNK = 64 * 1024;

const CHECK = 'check it with gzip -t; zcat shows how much of it can be read';

/**
 * zlib's error as one of neuron's. No line is named: zlib withholds the text
 * of the block it fails in, so the last line passed on is not where the damage is.
 */
function gzipError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new NeuronError('bad-gzip', 'the gzip data ends early: the file is truncated', { file }, `${CHECK}; compress or copy it again`);
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const reason = (error as Error).message;
    return new NeuronError('bad-gzip', `the gzip data is corrupt (${reason})`, { file }, CHECK);
  }
  return error;
}

/**
 * A pipeline stage: the bytes of `source`, decompressed if they are gzip,
 * else as they are. A corrupt or truncated gzip stream fails with a
 * located NeuronError (exit 1) after the text before the damage.
 */
export function gunzipIfCompressed(file: string): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* decompress(source) {
    const chunks = source[Symbol.asyncIterator]();
    // The magic number may arrive split across chunks (a pipe can deliver one byte).
    let head: Buffer = Buffer.alloc(0);
    let ended = false;
    while (head.length < 2) {
      const next = await chunks.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
    async function* rest(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      if (ended) return;
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) return;
        yield next.value;
      }
    }
    if (!isGzip(head)) {
      yield* rest();
      return;
    }
    // Loaded only here: plain input never needs zlib (start-up time).
    const { createGunzip } = await import('node:zlib');
    const gunzip = createGunzip({ chunkSize: CHUNK });
    const compressed = Readable.from(rest(), { objectMode: false });
    compressed.on('error', (error) => gunzip.destroy(error));
    compressed.pipe(gunzip);
    try {
      yield* gunzip as AsyncIterable<Buffer>;
    } catch (error) {
      throw gzipError(error, file);
    } finally {
      compressed.destroy();
      gunzip.destroy();
    }
  };
}
