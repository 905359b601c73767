/**
 * A chart specification turned into a picture: Vega-Lite compiles it to
 * Vega, Vega's headless renderer writes SVG (no browser, no canvas), and
 * resvg rasterises the SVG to PNG with the DejaVu Sans TTF files that ship
 * in the dejavu-fonts-ttf package, and no system fonts, so text renders the
 * same on any machine. All three are loaded only when a picture is made:
 * other commands do not pay for them.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Spec } from '../render/charts/style.js';
import { type FontMetrics, parseFontMetrics } from './font-metrics.js';

/** The warnings Vega-Lite and Vega gave (a chart of neuron's should give none; the tests check). */
export interface Rendered {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/** A Vega/Vega-Lite logger that keeps warnings and errors instead of printing them. */
function collector(warnings: string[]) {
  let level = 2;
  const keep = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: keep,
    warn: keep,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The Vega specification Vega-Lite compiles the chart to. */
export async function compileSpec(spec: Spec, warnings: string[] = []): Promise<object> {
  const vegaLite = await import('vega-lite');
  // biome-ignore lint/suspicious/noExplicitAny: the charts are checked against Vega-Lite's JSON schema by the tests
  return vegaLite.compile(spec as any, { logger: collector(warnings) as any }).spec;
}

let measuring: Promise<void> | undefined;

/** Has Vega measure text with the DejaVu Sans advance widths (regular, and bold for bold text), once per process. */
function measureWithFont(vega: typeof import('vega')): Promise<void> {
  measuring ??= (async () => {
    const [regular, bold] = await Promise.all(
      fontFiles()
        .slice(0, 2)
        .map(async (file) => parseFontMetrics(await readFile(file))),
    );
    // vega re-exports vega-scenegraph's textMetrics (its types do not declare it); replacing `width` is its documented hook.
    (vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = (
      item: { fontSize?: number; fontWeight?: string | number; text?: unknown },
      text?: unknown,
    ) => {
      const value = text ?? item.text;
      const line = Array.isArray(value) ? value.map(String).join(' ') : value === undefined || value === null ? '' : String(value);
      const heavy = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
      return Math.ceil((heavy ? (bold as FontMetrics) : (regular as FontMetrics)).width(line, item.fontSize ?? 11));
    };
  })();
  return measuring;
}

export async function renderSvg(spec: Spec): Promise<Rendered> {
  const warnings: string[] = [];
  const compiled = await compileSpec(spec, warnings);
  const vega = await import('vega');
  await measureWithFont(vega);
  // Gradient and clip ids count up across renders: start afresh, so the same chart gives the same bytes.
  vega.resetSVGDefIds();
  // biome-ignore lint/suspicious/noExplicitAny: see compileSpec
  const view = new vega.View(vega.parse(compiled as any), { renderer: 'none', logger: collector(warnings) as any });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

const require = createRequire(import.meta.url);

/** The fonts handed to the rasteriser: DejaVu Sans, regular and bold (titles), from the npm package. */
export function fontFiles(): string[] {
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((name) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
}

/** The SVG as PNG, at the SVG's own size (800 × 600), on white. */
export async function rasterise(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
