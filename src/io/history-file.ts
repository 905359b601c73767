/** Reading a training history (`train --history FILE`) from a file or standard input. */
import type { Readable } from 'node:stream';
import { NeuronError } from '../errors.js';
import { type History, parseHistory } from '../learn/history.js';
import { fsError } from './fs-errors.js';

export async function readHistory(stream: Readable, file: string): Promise<History> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof NeuronError) throw error;
    throw fsError(error, file, 'the history');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new NeuronError('not-utf8', 'not UTF-8 text', { file }, 'a history file is the NDJSON that `neuron train --history FILE` writes');
  }
  return parseHistory(text, file);
}
