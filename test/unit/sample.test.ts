/** The deterministic sample of drawn rows. */
import { describe, expect, it } from 'vitest';
import { Reservoir } from '../../src/learn/sample.js';

const fill = (n: number, size: number) => {
  const r = new Reservoir<number>(size);
  for (let i = 0; i < n; i++) r.offer(() => i);
  return r;
};

describe('Reservoir', () => {
  it('keeps every row, in order, up to its size', () => {
    const r = fill(5, 10);
    expect(r.rows).toEqual([0, 1, 2, 3, 4]);
    expect(r.sampled).toBe(false);
  });

  it('keeps exactly `size` distinct rows beyond, the same ones on every run', () => {
    const a = fill(100_000, 1000);
    expect(a.rows).toHaveLength(1000);
    expect(new Set(a.rows).size).toBe(1000);
    expect(a.sampled).toBe(true);
    expect(fill(100_000, 1000).rows).toEqual(a.rows);
  });

  it('is roughly uniform: each tenth of the rows holds about a tenth of the sample', () => {
    const rows = fill(100_000, 2000).rows;
    for (let d = 0; d < 10; d++) {
      const inTenth = rows.filter((x) => Math.floor(x / 10_000) === d).length;
      // Binomial(2000, 0.1): mean 200, sd 13.4; 5 sd either side.
      expect(inTenth).toBeGreaterThan(133);
      expect(inTenth).toBeLessThan(267);
    }
  });

  it('builds only the rows it keeps', () => {
    const r = new Reservoir<number>(10);
    let built = 0;
    for (let i = 0; i < 10_000; i++) {
      r.offer(() => {
        built++;
        return i;
      });
    }
    // Expected builds: 10 + sum over i > 10 of 10 / i, about 10 + 10 ln(1000) = 79.
    expect(built).toBeLessThan(200);
  });
});
