/**
 * A deterministic sample of a stream of rows of unknown length: reservoir
 * sampling (Vitter's algorithm R) driven by a seeded NumPy generator, so the
 * same data always gives the same picture. Up to `size` rows it keeps every
 * row, in order.
 */
import { NumpyRandom } from '../neuron/random.js';

/** The seed of every picture's sample: fixed, so a picture is a function of its data. */
export const SAMPLE_SEED = 0;

export class Reservoir<T> {
  private readonly kept: T[] = [];
  private readonly random = new NumpyRandom(SAMPLE_SEED);
  /** Rows offered so far. */
  seen = 0;

  constructor(readonly size: number) {}

  /** Offers one row; `make` builds it only if it is kept (most rows of a big file are not). */
  offer(make: () => T): void {
    this.seen++;
    if (this.kept.length < this.size) {
      this.kept.push(make());
      return;
    }
    const j = Math.floor(this.random.randomSample() * this.seen);
    if (j < this.size) this.kept[j] = make();
  }

  /** The kept rows; in input order while nothing was dropped. */
  get rows(): readonly T[] {
    return this.kept;
  }

  /** Whether rows were left out. */
  get sampled(): boolean {
    return this.seen > this.size;
  }
}
