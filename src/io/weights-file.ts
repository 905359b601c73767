import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { printParseErrorCode, visit } from 'jsonc-parser';
import { NeuronError } from '../errors.js';
import { type AnyModel, parseModel } from '../neuron/model.js';
import { fsError } from './fs-errors.js';

/** Weights files are small; a larger file is refused before it is read. */
export const MAX_WEIGHTS_BYTES = 1024 * 1024;

/** jsonc-parser's error names (from printParseErrorCode) in plain words. */
const SYNTAX: Record<string, string> = {
  InvalidCommentToken: 'comments are not allowed in JSON',
  InvalidSymbol: 'unexpected character (JSON has no NaN, Infinity or comments; strings take double quotes)',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma?)',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'unexpected text after the JSON object',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfComment: 'a comment is not closed',
  InvalidCharacter: 'a control character inside a string',
  InvalidEscapeCharacter: 'an invalid escape in a string',
  InvalidUnicode: 'an invalid \\u escape in a string',
};

/** Keys that would change an object's prototype if assigned: never a column name in a weights file. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deepest nesting of arrays and objects accepted. A weights file nests two
 * levels (`scaling.mean`); a file nested thousands deep would overflow the
 * stack of the recursive parsers below, so it is refused first.
 */
export const MAX_JSON_DEPTH = 64;

/** Refuses nesting deeper than MAX_JSON_DEPTH, at the bracket that goes too deep; strings are skipped. */
function checkDepth(text: string, file: string): void {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: a quote ends it unless escaped. A string left open is the syntax check's to report.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new NeuronError(
          'nested-too-deep',
          `invalid weights: nested more than ${MAX_JSON_DEPTH} arrays or objects deep`,
          { file, line, column: i - lineStart + 1 },
          'a weights file is one flat JSON object of numbers and lists of numbers',
        );
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
}

function jsonPath(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * Parses strict JSON. jsonc-parser's scanner first checks the text without
 * building anything, so a syntax error, a duplicate key (JSON.parse keeps the
 * last silently) or a `__proto__` key is reported with its line and column;
 * then JSON.parse builds the value.
 */
export function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw new NeuronError('empty-weights', 'the file is empty', { file }, 'a weights file is a JSON object with "weights" and "bias"');
  checkDepth(text, file);
  const problems: NeuronError[] = [];
  const keys: Set<string>[] = [];
  const at = (line: number, character: number) => ({ file, line: line + 1, column: character + 1 });
  visit(
    text,
    {
      onError(code, _offset, _length, line, character) {
        const name = printParseErrorCode(code);
        const what = SYNTAX[name] ?? name;
        problems.push(new NeuronError('invalid-json', `invalid JSON: ${what}`, at(line, character), 'fix the syntax (a JSON linter shows it too)'));
      },
      onObjectBegin: () => {
        keys.push(new Set());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty(name, _offset, _length, line, character, pathSupplier) {
        const path = jsonPath([...pathSupplier(), name]);
        if (FORBIDDEN_KEYS.has(name)) {
          problems.push(new NeuronError('forbidden-key', `${path}: the key ${JSON.stringify(name)} is not allowed`, at(line, character), 'rename it'));
        }
        const seen = keys[keys.length - 1];
        if (seen?.has(name)) {
          problems.push(new NeuronError('duplicate-key', `${path}: duplicate key ${JSON.stringify(name)}`, at(line, character), 'keep one of them'));
        }
        seen?.add(name);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  const first = problems[0];
  if (first !== undefined) throw first;
  return JSON.parse(text);
}

/**
 * Reads at most MAX_WEIGHTS_BYTES from a file, in chunks: a pipe or a device
 * reports size 0, so the size from stat is only used to refuse early.
 */
async function readCapped(handle: FileHandle, path: string): Promise<Buffer> {
  const tooBig = (size?: number) =>
    new NeuronError(
      'weights-too-big',
      `the weights file is ${size === undefined ? '' : `${size} bytes, `}over the ${MAX_WEIGHTS_BYTES}-byte limit`,
      { file: path },
      'a weights file holds one small JSON object; check the path',
    );
  const stats = await handle.stat();
  if (stats.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  if (stats.size > MAX_WEIGHTS_BYTES) throw tooBig(stats.size);
  const buffer = Buffer.alloc(MAX_WEIGHTS_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
  // A pipe, a device, or a file that grew since stat: the size is unknown.
  throw tooBig();
}

/** Reads and validates weights from a stream (`-w -`: standard input), capped as a file is. */
export async function readWeightsStream(stream: Readable, name: string): Promise<AnyModel> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    length += buffer.length;
    if (length > MAX_WEIGHTS_BYTES) {
      throw new NeuronError(
        'weights-too-big',
        `the weights are over the ${MAX_WEIGHTS_BYTES}-byte limit`,
        { file: name },
        'a weights file holds one small JSON object',
      );
    }
    chunks.push(buffer);
  }
  return weightsFromText(Buffer.concat(chunks).toString('utf8'), name);
}

function weightsFromText(text: string, file: string): AnyModel {
  return parseModel(parseJson(text.replace(/^\uFEFF/, ''), file), file);
}

/** Reads and validates a weights file. */
export async function readWeightsFile(path: string): Promise<AnyModel> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      text = (await readCapped(handle, path)).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof NeuronError) throw error;
    throw fsError(error, path, 'the weights');
  }
  return weightsFromText(text, path);
}
