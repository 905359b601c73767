/**
 * Text widths from a TrueType font's own advance widths (the `cmap`, `hmtx`,
 * `hhea` and `head` tables), so that Vega lays out titles, legends and axis
 * labels for the font the picture is drawn in. Without a canvas Vega would
 * guess 0.8 em a character, far wider than DejaVu Sans, and cut titles
 * short. Kerning is left out (it moves widths by a pixel or two).
 */

export interface FontMetrics {
  /** The advance of a string at a font size, in pixels. */
  width(text: string, fontSize: number): number;
}

export function parseFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    tables.set(tag, view.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`the font has no ${tag} table`);
    return at;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const metrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number) => view.getUint16(hmtx + 4 * Math.min(glyph, metrics - 1));

  // cmap: the Unicode BMP subtable (platform 3, encoding 1), format 4.
  const cmap = table('cmap');
  let format4 = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const at = cmap + 4 + 8 * i;
    if (view.getUint16(at) === 3 && view.getUint16(at + 2) === 1) format4 = cmap + view.getUint32(at + 4);
  }
  if (format4 === -1 || view.getUint16(format4) !== 4) throw new Error('the font has no Unicode BMP cmap (format 4)');
  const segments = view.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const glyphOf = (code: number): number => {
    for (let i = 0; i < segments; i++) {
      if (view.getUint16(ends + 2 * i) < code) continue;
      const start = view.getUint16(starts + 2 * i);
      if (start > code) return 0;
      const delta = view.getInt16(deltas + 2 * i);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  const em = (code: number) => {
    let w = cache.get(code);
    if (w === undefined) {
      w = advanceOf(code > 0xffff ? 0 : glyphOf(code)) / unitsPerEm;
      cache.set(code, w);
    }
    return w;
  };
  return {
    width(text, fontSize) {
      let sum = 0;
      for (const ch of text) sum += em(ch.codePointAt(0) as number);
      return sum * fontSize;
    },
  };
}
