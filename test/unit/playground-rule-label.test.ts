/** The class rule's label on the page's activation picture (src/playground/rule-label.ts): in the corner that holds no rows. */
import { describe, expect, it } from 'vitest';
import { placeRuleLabel, ruleLines } from '../../src/playground/rule-label.js';
import type { Spec } from '../../src/render/charts/style.js';

/** An activation chart's layers as `plot` writes them: the curve (with the x domain), the rule and its label. */
const chart = (level: number): Spec => ({
  layer: [
    { name: 'curve', data: { values: [] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [-10, 10] } } } },
    {
      name: 'rule',
      data: { values: [{ x: level, text: 'class "Obese" where z >= 0 →' }] },
      layer: [
        { mark: { type: 'rule' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, y: 6, fontSize: 12 }, encoding: { text: { field: 'text' } } },
      ],
    },
  ],
});

const label = (spec: Spec) => {
  const rule = (spec.layer as { name?: string; data: { values: { text: unknown }[] }; layer: { mark: object }[] }[]).find((l) => l.name === 'rule');
  return { text: rule?.data.values[0]?.text, mark: rule?.layer[1]?.mark };
};

describe("the rule's label on the page", () => {
  it('is two lines: the class, then the rule', () => {
    expect(ruleLines('class "Obese" where z >= 0 →')).toEqual(['class "Obese"', 'where z >= 0 →']);
    expect(ruleLines('no rule here')).toEqual(['no rule here']);
  });

  it('goes below the curve right of the rule, or above it left of a rule in the right part', () => {
    expect(label(placeRuleLabel(chart(0)))).toEqual({
      text: ['class "Obese"', 'where z >= 0 →'],
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 6, y: { expr: 'height - 6' }, fontSize: 12 },
    });
    expect(label(placeRuleLabel(chart(5))).mark).toEqual({ type: 'text', align: 'right', baseline: 'top', dx: -6, y: 6, fontSize: 12 });
  });

  it('leaves a chart without a rule as it was', () => {
    const spec: Spec = { layer: [{ name: 'curve', data: { values: [] }, mark: 'line' }] };
    expect(placeRuleLabel(spec)).toBe(spec);
  });
});
