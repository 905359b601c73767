/** Comparing trained models: the weights file's shape, and numbers within a relative tolerance. */
import { expect } from 'vitest';

/** A two-class weights file as `train` writes it. */
export interface ModelFile {
  features: string[];
  weights: number[];
  bias: number;
  classes: string[];
  scaling?: { mean: number[]; std: number[] };
}

/** Each number within `tolerance` relative of the one wanted. */
export function expectClose(got: readonly number[], want: readonly number[], tolerance = 1e-9): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, j) => {
    expect(Math.abs(g - (want[j] as number))).toBeLessThanOrEqual(tolerance * Math.abs(want[j] as number));
  });
}
