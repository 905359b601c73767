/**
 * The PNG that `neuron plot` writes, decoded pixel by pixel, for the
 * tutorial's model z = -1.5 × height + 0.1 × weight, whose boundary is known
 * by hand: weight = 15 × height. The plot area's place comes from the SVG
 * of the same chart; the axes span the data's extent padded by 5%
 * (heights 4 to 6.2, weights 45 to 120).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runBin } from '../support/helpers.js';
import { decodePng, plotArea } from '../support/pictures.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-pixels-'));
const args = ['plot', fixture('obesity.csv'), '-w', fixture('obesity.weights.json'), '--label', 'Condition'];
const png = join(dir, 'boundary.png');
const svg = join(dir, 'boundary.svg');

const X = [4 - 0.11, 6.2 + 0.11] as const;
const Y = [45 - 3.75, 120 + 3.75] as const;

describe('plot --kind boundary, as pixels', () => {
  const made = [runBin([...args, '-o', png]), runBin([...args, '-o', svg])];
  const area = plotArea(readFileSync(svg, 'utf8'));
  const image = decodePng(readFileSync(png));
  const px = (x: number) => area.left + ((x - X[0]) / (X[1] - X[0])) * area.width;
  const py = (y: number) => area.top + (1 - (y - Y[0]) / (Y[1] - Y[0])) * area.height;
  const orange = ([r, , b]: [number, number, number]) => r - b;

  it('is an 800 × 600 picture', () => {
    expect(made.map((m) => [m.code, m.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect([image.width, image.height]).toEqual([800, 600]);
  });

  it('shades the field orange (class 1, "Obese") above the line and blue below it, away from any row', () => {
    // Above w = 15h: (4.3, 110), (5.6, 115); below: (6.0, 50), (4.7, 47).
    for (const [x, y] of [
      [4.3, 110],
      [5.6, 115],
    ] as const)
      expect(orange(image.at(px(x), py(y)))).toBeGreaterThan(60);
    for (const [x, y] of [
      [6.0, 50],
      [4.7, 47],
    ] as const)
      expect(orange(image.at(px(x), py(y)))).toBeLessThan(-40);
  });

  it('colours each row by its label: an Obese row orange, a Not Obese row blue', () => {
    expect(orange(image.at(px(5.9), py(120)))).toBeGreaterThan(120); // Obese, #e0701b
    expect(orange(image.at(px(4.5), py(45)))).toBeLessThan(-80); // Not Obese, #1f5fa8
  });

  /** The darkest pixel's row in a column, between two rows. */
  const darkest = (x: number, from: number, to: number) => {
    let best = { y: -1, sum: Number.POSITIVE_INFINITY };
    for (let y = Math.ceil(from); y <= to; y++) {
      const [r, g, b] = image.at(x, y);
      if (r + g + b < best.sum) best = { y, sum: r + g + b };
    }
    return best;
  };

  it('draws the line through the plot edges where -1.5 h + 0.1 w = 0 puts it (w = 15 h)', () => {
    for (const x of [X[0] + 0.01, X[1] - 0.01]) {
      const found = darkest(px(x), area.top + 2, area.top + area.height - 2);
      expect(found.sum).toBeLessThan(3 * 90); // the line's ink, #222222 anti-aliased
      expect(Math.abs(found.y - py(15 * x))).toBeLessThanOrEqual(2);
    }
  });
});
