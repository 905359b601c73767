/**
 * The scorer: the neuron itself. `Scorer.score` evaluates one record with
 * no allocation beyond its result.
 */

import { NeuronError } from '../errors.js';
import { type ActivationName, activations } from './activations.js';
import { packCells, type Records } from './cells.js';
import type { BoundModel } from './columns.js';
import { RowEncoder, type UnknownPolicy } from './encoding.js';
import { isEncoded, type Model } from './model.js';
import { badCellError, isMissing, type MissingPolicy, parseNumberIn } from './numbers.js';

/**
 * A standardised model's input (train --standardize): x' = (x - mean) / std.
 * The one formula for eval, explain and export (which writes it out).
 */
export function standardizeValue(x: number, mean: number, std: number): number {
  return (x - mean) / std;
}

/** The result of scoring one row, as the output formats take it: z, the output, the class index. */
export interface Score {
  z: number;
  output: number;
  /** 0 or 1: index into model.classes. */
  cls: 0 | 1;
}

export interface ScoreOptions {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
  /** A missing value (empty, NA, ...) in an input: an error (default), skip the row, or read it as 0. */
  readonly missing?: MissingPolicy | undefined;
  /** A category the model does not know (a model with "categories"): an error (default), or every indicator 0. */
  readonly unknown?: UnknownPolicy | undefined;
}

export class Scorer {
  readonly activation: ActivationName;
  readonly threshold: number | undefined;
  private readonly fn: (z: number) => number;
  private readonly weights: Float64Array;
  private readonly indices: Int32Array;
  private readonly bias: number;
  private readonly missing: MissingPolicy;
  private readonly mean: Float64Array | undefined;
  private readonly std: Float64Array | undefined;
  /** For a model with "categories" or "impute": the encoder, and the inputs it writes. */
  private readonly encoder: RowEncoder | undefined;
  private readonly x: Float64Array;

  constructor(
    readonly bound: BoundModel<Model>,
    options: ScoreOptions = {},
  ) {
    this.activation = options.activation ?? bound.model.activation;
    this.threshold = options.threshold ?? bound.model.threshold;
    this.fn = activations[this.activation].fn;
    this.weights = Float64Array.from(bound.model.weights);
    this.indices = Int32Array.from(bound.inputIndices);
    this.bias = bound.model.bias;
    this.missing = options.missing ?? 'error';
    const scaling = bound.model.scaling;
    this.mean = scaling === undefined ? undefined : Float64Array.from(scaling.mean);
    this.std = scaling === undefined ? undefined : Float64Array.from(scaling.std);
    this.encoder = isEncoded(bound.model) ? new RowEncoder(bound, options) : undefined;
    this.x = new Float64Array(this.encoder === undefined ? 0 : this.encoder.width);
  }

  /**
   * z, the activation output and the class for one record, written into
   * `into`; undefined when the row is skipped for a missing value
   * (--missing skip). `line` and `file` only serve error messages. Throws a
   * NeuronError for a cell that is not a number or a z that overflows.
   */
  score(record: readonly string[], line: number, file: string | undefined, into: Score): Score | undefined {
    return this.scoreRow(packCells(record, record.length, [line]), 0, file, into);
  }

  /** As `score`, for record `r` of a batch: the numbers are read in place from its text (see Records). */
  scoreRow(records: Records, r: number, file: string | undefined, into: Score): Score | undefined {
    if (this.encoder !== undefined) return this.scoreEncoded(this.encoder, records, r, file, into);
    const { weights, indices, mean, std } = this;
    const { text, bounds } = records;
    const base = 2 * r * records.width;
    let z = this.bias;
    for (let i = 0; i < indices.length; i++) {
      const column = indices[i] as number;
      const from = bounds[base + 2 * column] as number;
      const to = bounds[base + 2 * column + 1] as number;
      let x = parseNumberIn(text, from, to);
      if (Number.isNaN(x)) {
        const value = this.unreadable(text.slice(from, to), column, records.lines[r] as number, file);
        if (value === undefined) return undefined;
        x = value;
      }
      if (mean !== undefined && std !== undefined) x = standardizeValue(x, mean[i] as number, std[i] as number);
      z += (weights[i] as number) * x;
    }
    return this.finish(z, records.lines[r] as number, file, into);
  }

  /** A model with "categories" or "impute": the encoder reads (and scales) the inputs, then the same sum. */
  private scoreEncoded(encoder: RowEncoder, records: Records, r: number, file: string | undefined, into: Score): Score | undefined {
    const { weights, x } = this;
    if (!encoder.encodeRow(records, r, file, x)) return undefined;
    let z = this.bias;
    for (let i = 0; i < weights.length; i++) z += (weights[i] as number) * (x[i] as number);
    return this.finish(z, records.lines[r] as number, file, into);
  }

  /**
   * As `score`, for inputs given as numbers in weight order (the library's
   * `scoreValues`): the same sum in the same order, so the same z as a
   * record whose cells read as these numbers. The caller checks that there
   * is one finite value per weight.
   */
  scoreValues(values: ArrayLike<number>, into: Score): Score {
    const { weights, mean, std } = this;
    let z = this.bias;
    for (let i = 0; i < weights.length; i++) {
      let x = values[i] as number;
      if (mean !== undefined && std !== undefined) x = standardizeValue(x, mean[i] as number, std[i] as number);
      z += (weights[i] as number) * x;
    }
    return this.finish(z, undefined, undefined, into);
  }

  /**
   * What a cell that is not a number counts as: an error, or with --missing,
   * a missing value counts as 0 (zero) or skips the row (undefined).
   */
  private unreadable(cell: string, column: number, line: number, file: string | undefined): 0 | undefined {
    if (this.missing === 'error' || !isMissing(cell)) throw this.badCell(cell, column, line, file);
    return this.missing === 'skip' ? undefined : 0;
  }

  /** The activation and class for a z already computed. */
  finish(z: number, line: number | undefined, file: string | undefined, into: Score): Score {
    if (!Number.isFinite(z)) {
      throw new NeuronError('z-overflow', `z = w·x + b overflows to ${z} on this row`, { file, line }, 'scale the inputs or the weights down');
    }
    const output = this.fn(z);
    into.z = z;
    into.output = output;
    into.cls = (this.threshold === undefined ? z >= 0 : output >= this.threshold) ? 1 : 0;
    return into;
  }

  private badCell(cell: string, column: number, line: number, file: string | undefined): NeuronError {
    const name = this.bound.inputNames[this.indices.indexOf(column)] ?? String(column + 1);
    return badCellError(cell, name, { file, line, column: column + 1 });
  }
}
