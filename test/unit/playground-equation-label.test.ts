/** The boundary's equation on the page's small plot (src/playground/equation-label.ts): whole, inside the plot, off the rows where it can be. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_FONT_SIZE, labelCentre, labelLines } from '../../src/playground/equation-label.js';

const plot = { width: 190, height: 185 };

describe("the boundary's equation on the page", () => {
  it('stays one line when it fits, else breaks before the constant term', () => {
    expect(labelLines('x + y + 1 = 0', plot.width)).toEqual(['x + y + 1 = 0']);
    expect(labelLines('-1.5778·x + 0.1031·y - 0.0114 = 0', plot.width)).toEqual(['-1.5778·x + 0.1031·y', '- 0.0114 = 0']);
  });

  it('puts the whole box inside the plot, for any line across it', () => {
    const edge = fc.tuple(fc.double({ min: 0, max: plot.width, noNaN: true }), fc.double({ min: 0, max: plot.height, noNaN: true }));
    const box = { width: 170, height: 2 * LABEL_FONT_SIZE * 1.25 };
    fc.assert(
      fc.property(edge, edge, (p, q) => {
        const [cx, cy] = labelCentre([p, q], plot, box);
        expect(cx - box.width / 2).toBeGreaterThanOrEqual(0);
        expect(cx + box.width / 2).toBeLessThanOrEqual(plot.width);
        expect(cy - box.height / 2).toBeGreaterThanOrEqual(0);
        expect(cy + box.height / 2).toBeLessThanOrEqual(plot.height);
      }),
    );
  });

  it('beside the line, on the side with fewer rows under it', () => {
    const box = { width: 60, height: 15 };
    // A flat line across the middle. With no rows in the way, the first place tried: the middle, below it.
    const flat = [0, 92, 190, 92] as const;
    const line: [[number, number], [number, number]] = [
      [flat[0], flat[1]],
      [flat[2], flat[3]],
    ];
    expect(labelCentre(line, plot, box)).toEqual([95, 92 + box.height / 2 + 4]);
    // Rows crowd just below it, all along: the label goes above.
    const crowd: [number, number][] = Array.from({ length: 20 }, (_, i) => [10 + i * 9, 104]);
    const [cx, cy] = labelCentre(line, plot, box, crowd);
    expect([cx, cy]).toEqual([95, 92 - box.height / 2 - 4]);
  });
});
