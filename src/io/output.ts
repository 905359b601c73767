/**
 * Writing output: text is gathered into chunks of about 64 KiB and written
 * with backpressure (a slow reader slows neuron down instead of filling
 * memory). A closed pipe (EPIPE, as with `| head -1`) is not an error: the
 * sink reports it as `closed` and the command stops quietly.
 */
import type { Writable } from 'node:stream';

const CHUNK_CHARS = 64 * 1024;

export class OutputSink {
  private buffer = '';
  private failure: Error | undefined;
  /** The reader went away (EPIPE); nothing more will be written. */
  closed = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else this.failure = error;
    });
  }

  /** Adds text; resolves at once unless a full chunk had to wait for the reader. */
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
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
