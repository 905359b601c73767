/**
 * Where a command's output goes: stdout, or a file written atomically
 * (`-o`). Both are an OutputSink; `finish` commits the file, `fail` throws
 * it away.
 */
import { NeuronError } from '../errors.js';
import { createAtomicFile } from '../io/atomic-file.js';
import { fsError } from '../io/fs-errors.js';
import { OutputSink } from '../io/output-sink.js';
import type { World } from './world.js';

export interface OutputTarget {
  readonly sink: OutputSink;
  finish(): Promise<void>;
  fail(): Promise<void>;
}

export async function openOutput(world: World, path: string | undefined): Promise<OutputTarget> {
  if (path === undefined || path === '-') {
    const sink = new OutputSink(world.stdout);
    return {
      sink,
      async finish() {
        await sink.flush();
        // A write error on stdout (a full disk behind a redirection) arrives as an event: let it.
        await new Promise((resolve) => setImmediate(resolve));
        sink.check();
      },
      fail: () => sink.flush().catch(() => {}),
    };
  }
  const file = await createAtomicFile(path);
  const sink = new OutputSink(file.stream, path);
  return {
    sink,
    async finish() {
      await sink.flush();
      try {
        sink.check();
        await file.commit();
      } catch (error) {
        await file.abort();
        throw error instanceof NeuronError ? error : fsError(error, path, 'the output');
      }
    },
    fail: () => file.abort(),
  };
}

/** Writes a whole text (or, as bytes, a PNG) to stdout or atomically to a file. */
export async function writeText(world: World, path: string | undefined, text: string | Uint8Array): Promise<void> {
  const target = await openOutput(world, path);
  try {
    await (typeof text === 'string' ? target.sink.write(text) : target.sink.writeBytes(text));
    await target.finish();
  } catch (error) {
    await target.fail();
    throw error;
  }
}
