/** The numerics under `summary` and the Newton step: erfc against SciPy, and Cholesky's fallback. */
import { describe, expect, it } from 'vitest';
import { cholesky, inverse, solve } from '../../src/learn/cholesky.js';
import { erfc, twoSidedP } from '../../src/learn/statistics.js';

describe('erfc', () => {
  // scipy.special.erfc 1.10 (Debian's python3-scipy) at these points.
  it.each([
    [0.5, 0.4795001221869535],
    [2, 0.004677734981047266],
    [3, 2.2090496998585445e-5],
    [5, 1.5374597944280347e-12],
    [11.7, 1.7025329069808675e-61],
  ])('erfc(%d) within 1e-12 relative of SciPy', (x, want) => {
    expect(Math.abs(erfc(x) - want)).toBeLessThanOrEqual(1e-12 * want);
  });
  it('two-sided p of z = 1.959963984540054 is 0.05', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
  });
});

describe('cholesky', () => {
  it('solves a well-conditioned system exactly enough, without a ridge', () => {
    const h = Float64Array.of(4, 2, 2, 3);
    const factor = cholesky(h, 2);
    expect(factor?.ridge).toBe(0);
    const x = solve(factor as NonNullable<typeof factor>, Float64Array.of(2, 1));
    // 4a + 2b = 2, 2a + 3b = 1: a = 0.5, b = 0
    expect(Math.abs((x[0] as number) - 0.5)).toBeLessThan(1e-15);
    expect(Math.abs(x[1] as number)).toBeLessThan(1e-15);
  });
  it('falls back to a ridge for a singular matrix (two equal columns), and has no inverse then', () => {
    const h = Float64Array.of(1, 1, 1, 1);
    const factor = cholesky(h, 2);
    expect(factor?.ridge).toBeGreaterThan(0);
    const x = solve(factor as NonNullable<typeof factor>, Float64Array.of(1, 1));
    // The minimum-norm direction: equal parts, each about 1/2.
    expect(Math.abs((x[0] as number) - (x[1] as number))).toBeLessThan(1e-9);
    expect(inverse(h, 2)).toBeUndefined();
  });
});
