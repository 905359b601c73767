import { type FileHandle, open } from 'node:fs/promises';
import { printParseErrorCode, visit } from 'jsonc-parser';
import { NeuronError } from '../errors.js';
import { type Model, parseModel } from '../neuron/model.js';
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

/** Reads and validates a weights file. */
export async function readWeightsFile(path: string): Promise<Model> {
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
  return parseModel(parseJson(text.replace(/^\uFEFF/, ''), path), path);
}
