import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockInput, Utf8Builder } from '../../src/io/block-bytes.js';

describe('Utf8Builder', () => {
  it('gives the UTF-8 of the texts appended, across growth and takes (any text, lone surrogates as Buffer writes them)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }), { maxLength: 5 }), (blocks) => {
        const builder = new Utf8Builder(8);
        for (const texts of blocks) {
          for (const text of texts) builder.append(text);
          const taken = builder.take();
          expect(Buffer.from(taken)).toEqual(Buffer.from(texts.join(''), 'utf8'));
          // Its own buffer: not Buffer's shared pool, so that it can be moved.
          expect(taken.buffer.byteLength).toBeGreaterThanOrEqual(taken.length);
          expect(taken.byteOffset).toBe(0);
        }
      }),
    );
  });
});

describe('BlockInput', () => {
  it('reads byte ranges of a file into one reused buffer', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'neuron-block-')), 'f.bin');
    const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    writeFileSync(path, content);
    const fd = openSync(path, 'r');
    const input = new BlockInput();
    expect(input.read(fd, 10, 4000)).toEqual(content.subarray(10, 4000));
    expect(input.read(fd, 4000, 4100)).toEqual(content.subarray(4000, 4100));
    // Past the end: what there is.
    expect(input.read(fd, 4900, 6000)).toEqual(content.subarray(4900));
    closeSync(fd);
  });
});
