/**
 * The class rule's label on the page's activation picture. `plot` writes
 * `class "Obese" where z >= 0 →` along the top, right of the dashed rule; in
 * the page's small plot that line ran over the rows (which sit high on the
 * right of the rule) and past the plot into the legend. Every activation is
 * non-decreasing, so the corner below the curve right of the rule, and the
 * one above it left of the rule, hold no rows: the page writes the label in
 * two lines in the bottom right corner, or, when the rule stands in the
 * right part of the plot, in the top left corner, the arrow still pointing
 * at the rule. Pure.
 */
import type { Spec } from '../render/charts/style.js';

/** Pixels between the label and the rule, and between the label and the plot's edge. */
const GAP = 6;
/** Past this fraction of the plot's width, the label goes left of the rule. */
const RIGHT_PART = 0.55;

interface Layer {
  readonly name?: string;
  readonly data?: { readonly values?: readonly Record<string, unknown>[] };
  readonly layer?: readonly Layer[];
  readonly mark?: Record<string, unknown>;
  readonly encoding?: Record<string, { readonly scale?: { readonly domain?: unknown } } | undefined>;
}

/** `class "Obese" where z >= 0 →` as two lines: the class, then the rule. */
export function ruleLines(text: string): string[] {
  const cut = text.indexOf(' where ');
  return cut <= 0 ? [text] : [text.slice(0, cut), text.slice(cut + 1)];
}

/** The activation chart with its `rule` layer's label in an empty corner of the plot; any other chart as it was. */
export function placeRuleLabel(spec: Spec): Spec {
  const layers = spec.layer as readonly Layer[] | undefined;
  const rule = layers?.find((l) => l.name === 'rule');
  const value = rule?.data?.values?.[0];
  const domain = layers?.find((l) => Array.isArray(l.encoding?.x?.scale?.domain))?.encoding?.x?.scale?.domain as [number, number] | undefined;
  if (layers === undefined || rule?.layer === undefined || value === undefined || domain === undefined || typeof value.text !== 'string') return spec;
  const at = ((value.x as number) - domain[0]) / (domain[1] - domain[0]);
  const left = at > RIGHT_PART;
  const placed: Layer = {
    ...rule,
    data: { values: [{ ...value, text: ruleLines(value.text) }] },
    layer: rule.layer.map((inner) =>
      inner.mark?.type !== 'text'
        ? inner
        : {
            ...inner,
            mark: {
              ...inner.mark,
              align: left ? 'right' : 'left',
              baseline: left ? 'top' : 'bottom',
              dx: left ? -GAP : GAP,
              y: left ? GAP : { expr: `height - ${GAP}` },
            },
          },
    ),
  };
  return { ...spec, layer: layers.map((l) => (l === rule ? placed : l)) };
}
