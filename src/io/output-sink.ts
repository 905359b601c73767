/**
 * Writing output: text is gathered into chunks of about 64 KiB and written
 * with backpressure (a slow reader slows neuron down instead of filling
 * memory). A closed pipe (EPIPE, as with `| head -1`) is not an error: the
 * sink reports it as `closed` and the command stops quietly. Any other write
 * failure (a full disk) is a NeuronError naming the output.
 */
import type { Writable } from 'node:stream';
import type { NeuronError } from '../errors.js';
import { fsError } from './fs-errors.js';

const CHUNK_CHARS = 64 * 1024;

export class OutputSink {
  private buffer = '';
  private failure: NeuronError | undefined;
  /** The reader went away (EPIPE); nothing more will be written. */
  closed = false;

  /** `name`: the file, or `<stdout>`, for messages. */
  constructor(
    private readonly stream: Writable,
    private readonly name = '<stdout>',
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else this.failure = fsError(error, this.name, 'the output');
    });
  }

  /** Throws the write error seen so far, if any (a full disk). */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Adds text without writing; true when a chunk is full and `flush` should be awaited. */
  append(text: string): boolean {
    this.buffer += text;
    return this.buffer.length >= CHUNK_CHARS;
  }

  /** Adds text; resolves at once unless a full chunk had to wait for the reader. */
  async write(text: string): Promise<void> {
    if (this.append(text)) await this.flush();
  }

  /** Writes bytes after what is buffered, with backpressure: a PNG, or a block of the parallel eval's output (UTF-8 made by a worker). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (this.closed || bytes.length === 0) return;
    if (!this.stream.write(bytes)) await this.drained();
    if (this.failure) throw this.failure;
  }

  /** Writes what is buffered and waits until the stream can take more. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closed || this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await this.drained();
    if (this.failure) throw this.failure;
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }
}
