/**
 * The layer scorer: a softmax model (k neurons, one per class) on one
 * record: the inputs (encoded as encoding.ts says), zᵢ = wᵢ·x + bᵢ for each
 * class, softmax, and the winning class. Allocates nothing per row.
 */

import { NeuronError } from '../errors.js';
import { packCells, type Records } from './cells.js';
import type { BoundModel } from './columns.js';
import { type EncodeOptions, RowEncoder } from './encoding.js';
import type { SoftmaxModel } from './model.js';
import { softmaxInto } from './softmax.js';

/** One row's result: each class's z and probability, and the index of the class. */
export interface LayerScore {
  readonly z: Float64Array;
  readonly p: Float64Array;
  cls: number;
}

/**
 * A LayerScore to reuse, sized for `k` classes.
 * @example
 * ```js
 * import { layerScore } from 'neuron-cli';
 * layerScore(3).p.length; // => 3
 * ```
 */
export function layerScore(k: number): LayerScore {
  return { z: new Float64Array(k), p: new Float64Array(k), cls: 0 };
}

/**
 * Scores records with a softmax model bound to the data's columns.
 * @example
 * ```js
 * import { bindModel, LayerScorer, layerScore, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['x'], weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
 * const scorer = new LayerScorer(bindModel(model, ['id', 'x']));
 * const score = scorer.score(['r1', '2'], 2, undefined, layerScore(3));
 * [model.classes[score.cls], Array.from(score.z)]; // => ['a', [2, 0, -2]]
 * ```
 */
export class LayerScorer {
  readonly k: number;
  private readonly encoder: RowEncoder;
  private readonly x: Float64Array;
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(
    readonly bound: BoundModel<SoftmaxModel>,
    options: EncodeOptions = {},
  ) {
    const model = bound.model;
    this.k = model.classes.length;
    this.encoder = new RowEncoder(bound, options);
    this.x = new Float64Array(this.encoder.width);
    this.weights = Float64Array.from(model.weights.flat());
    this.bias = Float64Array.from(model.bias);
  }

  /** As `scoreRow`, for one record given as strings. */
  score(record: readonly string[], line: number, file: string | undefined, into: LayerScore): LayerScore | undefined {
    return this.scoreRow(packCells(record, record.length, [line]), 0, file, into);
  }

  /** Record `r` of a batch scored into `into`; undefined when the row is skipped (--missing skip). */
  scoreRow(records: Records, r: number, file: string | undefined, into: LayerScore): LayerScore | undefined {
    if (!this.encoder.encodeRow(records, r, file, this.x)) return undefined;
    return this.finish(this.x, records.lines[r], file, into);
  }

  /**
   * The same for inputs already encoded and scaled, in weight order (the
   * caller checks there is one finite value per input).
   */
  finish(x: ArrayLike<number>, line: number | undefined, file: string | undefined, into: LayerScore): LayerScore {
    const { weights, bias, k } = this;
    const d = x.length;
    for (let c = 0; c < k; c++) {
      let z = bias[c] as number;
      const base = c * d;
      for (let j = 0; j < d; j++) z += (weights[base + j] as number) * (x[j] as number);
      into.z[c] = z;
    }
    return this.finishZ(line, file, into);
  }

  /** Softmax and the class for the z values already in `into.z` (computed by an engine, or by `finish`). */
  finishZ(line: number | undefined, file: string | undefined, into: LayerScore): LayerScore {
    for (let c = 0; c < this.k; c++) {
      const z = into.z[c] as number;
      if (!Number.isFinite(z)) {
        throw new NeuronError(
          'z-overflow',
          `z = w·x + b of class ${JSON.stringify(this.bound.model.classes[c])} overflows to ${z} on this row`,
          { file, line },
          'scale the inputs or the weights down',
        );
      }
    }
    into.cls = softmaxInto(into.z, into.p);
    return into;
  }
}
