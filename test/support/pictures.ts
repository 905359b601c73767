/**
 * Reading pictures back in tests: the SVG as an XML document (xmldom), the
 * plot area's place in it, the PNG's pixels (pngjs), and Vega-Lite's own
 * JSON schema (ajv).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { Ajv } from 'ajv';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);

/** The SVG parsed as strict XML: throws on a syntax error. */
export function parseSvg(svg: string) {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(svg, 'image/svg+xml');
  if (errors.length > 0) throw new Error(`the SVG is not well-formed XML: ${errors.join('; ')}`);
  return document;
}

function all(root: { getElementsByTagName(name: string): ArrayLike<Element> }, name: string): Element[] {
  return Array.from(root.getElementsByTagName(name) as ArrayLike<Element>);
}

/** The marks (direct children) of the Vega mark group named `name` (a layer's `name` in the spec). */
export function marksOf(svg: string, name: string): Element[] {
  const groups = all(parseSvg(svg), 'g').filter((g) => (g.getAttribute('class') ?? '').split(' ').includes(`${name}_marks`));
  if (groups.length !== 1) throw new Error(`expected one mark group ${name}_marks, found ${groups.length}`);
  return Array.from(groups[0]?.childNodes ?? []).filter((n): n is Element => n.nodeType === 1);
}

const translate = (element: Element | null): [number, number] => {
  const match = /translate\(([-\d.]+),([-\d.]+)\)/.exec(element?.getAttribute('transform') ?? '');
  return match === null ? [0, 0] : [Number(match[1]), Number(match[2])];
};

/** The plot area of a single-view chart in SVG pixels: its top-left corner and size. */
export function plotArea(svg: string): { left: number; top: number; width: number; height: number } {
  const frame = all(parseSvg(svg), 'g').find((g) => (g.getAttribute('class') ?? '').includes('role-frame root'));
  if (frame === undefined) throw new Error('no root frame in the SVG');
  const [ox, oy] = translate(frame.parentNode as Element);
  const inner = all(frame, 'g')[0] ?? null;
  const [ix, iy] = translate(inner);
  const background = all(frame, 'path').find((p) => p.getAttribute('class') === 'background');
  const size = /h([\d.]+)v([\d.]+)/.exec(background?.getAttribute('d') ?? '');
  if (size === null) throw new Error('no plot background in the SVG');
  return { left: ox + ix, top: oy + iy, width: Number(size[1]), height: Number(size[2]) };
}

export interface Pixels {
  readonly width: number;
  readonly height: number;
  at(x: number, y: number): [number, number, number];
}

export function decodePng(bytes: Buffer): Pixels {
  const png = PNG.sync.read(bytes);
  return {
    width: png.width,
    height: png.height,
    at(x, y) {
      const i = (Math.round(y) * png.width + Math.round(x)) * 4;
      return [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number];
    },
  };
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Validates a spec against the schema that ships in vega-lite (vega-lite/vega-lite-schema.json); returns the errors (none: valid). */
export function schemaErrors(spec: unknown): string[] {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: false, strict: false, validateFormats: false }).compile(schema);
  }
  return validator(spec) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
