/**
 * Utf8Check's line numbers: a line break is \r\n, \n or \r alone, as the CSV
 * reader ends records, also when a \r\n is split across two chunks.
 */
import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { countLineBreaks, Utf8Check } from '../../src/io/utf8.js';

/** Feeds `chunks` to a Utf8Check one write each; resolves to the formatted error, or 'ok'. */
function check(chunks: Buffer[]): Promise<string> {
  return passed(chunks).then(({ outcome }) => outcome);
}

/** The text a Utf8Check passes on, and how it ends: the formatted error (at the end of the text, or as an event), or 'ok'. */
function passed(chunks: Buffer[]): Promise<{ text: string; outcome: string }> {
  return new Promise((resolve) => {
    const utf8 = new Utf8Check('in.csv');
    const out: Buffer[] = [];
    const text = () => Buffer.concat(out).toString('latin1');
    utf8.on('data', (chunk: Buffer) => out.push(chunk));
    utf8.on('error', (error) => resolve({ text: text(), outcome: error instanceof NeuronError ? formatError(error) : String(error) }));
    utf8.on('end', () => resolve({ text: text(), outcome: utf8.failure === undefined ? 'ok' : formatError(utf8.failure) }));
    for (const chunk of chunks) utf8.write(chunk);
    utf8.end();
  });
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const at = (line: number) => `in.csv:${line}: not UTF-8 text (byte 0xE9) — save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)`;

describe('Utf8Check line numbers', () => {
  it.each([
    ['LF', ['a,b\n1,2\n3,\xe9\n'], 3],
    ['CR only', ['a,b\r1,2\r3,\xe9\r'], 3],
    ['CRLF', ['a,b\r\n1,2\r\n3,\xe9\r\n'], 3],
    ['a mix, with a blank line', ['a,b\r1,2\n\r\n3,\xe9'], 4],
    ['CR only, over two chunks', ['a,b\r1,2\r', '3,\xe9\r'], 3],
    ['CRLF split between two chunks', ['a,b\r', '\n1,2\r\n3,\xe9'], 3],
    ['CR at the end of one chunk, a line at the start of the next', ['a,b\r', '1,2\r3,\xe9'], 3],
    ['CR at the end of one chunk, a blank LF line next', ['a,b\r', '\n\n3,\xe9'], 3],
  ])('%s', async (_, chunks, line) => {
    expect(await check(chunks.map(latin1))).toBe(at(line));
  });

  it.each([
    ['LF', ['a,b\n1,2\n3,\xe9\n4,5\n'], 'a,b\n1,2\n'],
    ['CR', ['a,b\r1,2\r3,\xe9\r'], 'a,b\r1,2\r'],
    ['CRLF, over two chunks', ['a,b\r\n1,2', '\r\n3,\xe9\r\n'], 'a,b\r\n1,2\r\n'],
    ['on the first line', ['\xe9,b\n1,2\n'], ''],
  ])('before an invalid byte, passes the lines before its own and ends the text (%s)', async (_, chunks, text) => {
    const result = await passed(chunks.map(latin1));
    expect(result.text).toBe(text);
    expect(result.outcome).toMatch(/^in\.csv:\d+: not UTF-8 text/);
  });

  it('passes valid text split anywhere', async () => {
    expect(await check([latin1('a,b\r'), Buffer.from('\n1,é\r\n')])).toBe('ok');
  });
});

describe('countLineBreaks', () => {
  it.each([
    ['', false, 0, false],
    ['\r\n', false, 1, false],
    ['\n\r', false, 2, true],
    ['\n', true, 0, false],
    ['\r', true, 1, true],
    ['x\n', true, 1, false],
  ])('%j after CR %s: %d breaks', (text, afterCR, breaks, endsAfterCR) => {
    const buf = Buffer.from(text);
    expect(countLineBreaks(buf, buf.length, afterCR)).toEqual({ breaks, afterCR: endsAfterCR });
  });
});
