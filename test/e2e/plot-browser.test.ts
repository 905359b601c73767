/**
 * The SVG shows the same in a real browser as in the PNG: Debian's
 * Chromium (/usr/bin/chromium, installed by .ci/run), driven by
 * playwright-core, screenshots each SVG at 800 × 600 and the screenshot is
 * compared pixel by pixel with resvg's PNG of the same chart. The page is
 * given the DejaVu Sans files neuron hands to resvg, so both draw the same
 * glyphs. Without Chromium the tests skip and say why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontFiles } from '../../src/io/picture.js';
import { fixture, runBin } from '../support/helpers.js';
import { decodePng } from '../support/pictures.js';

const CHROMIUM = '/usr/bin/chromium';
const why = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (why !== undefined) console.warn(`skipping the browser tests: ${why}`);

const dir = mkdtempSync(join(tmpdir(), 'neuron-browser-'));
const profile = mkdtempSync(join(tmpdir(), 'neuron-chromium-profile-'));
const base = ['plot', fixture('obesity.csv'), '-w', fixture('obesity.weights.json'), '--label', 'Condition'];

/** @font-face rules with the font files inlined, so the page needs no file or network access. */
function fontFaces(): string {
  const [regular, bold, oblique] = fontFiles().map((file) => `url(data:font/ttf;base64,${readFileSync(file).toString('base64')})`);
  return [
    `@font-face { font-family: 'DejaVu Sans'; src: ${regular}; font-weight: normal; font-style: normal; }`,
    `@font-face { font-family: 'DejaVu Sans'; src: ${bold}; font-weight: bold; font-style: normal; }`,
    `@font-face { font-family: 'DejaVu Sans'; src: ${oblique}; font-weight: normal; font-style: italic; }`,
  ].join('\n');
}

describe.skipIf(why !== undefined)('plot pictures in Chromium', () => {
  let browser: BrowserContext;
  beforeAll(async () => {
    // A fresh profile (--user-data-dir), which playwright takes as the persistent context's folder.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 800, height: 600 },
      deviceScaleFactor: 1,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it.each([['boundary'], ['activation'], ['roc'], ['confusion']])(
    '--kind %s: the screenshot of the SVG matches the PNG',
    async (kind) => {
      const svgPath = join(dir, `${kind}.svg`);
      const pngPath = join(dir, `${kind}.png`);
      expect(runBin([...base, '--kind', kind, '-o', svgPath]).code).toBe(0);
      expect(runBin([...base, '--kind', kind, '-o', pngPath]).code).toBe(0);
      const page = await browser.newPage();
      try {
        const html = `<!doctype html><html><head><style>${fontFaces()}\nhtml, body { margin: 0; padding: 0; background: white; } svg { display: block; }</style></head><body>${readFileSync(svgPath, 'utf8')}</body></html>`;
        await page.setContent(html);
        // Run in the page (a string: the test's own compiler settings know no DOM).
        await page.evaluate(
          `Promise.all([document.fonts.load("12px 'DejaVu Sans'"), document.fonts.load("bold 12px 'DejaVu Sans'")]).then(() => document.fonts.ready).then(() => true)`,
        );
        const shot = decodePng(await page.screenshot({ type: 'png' }));
        const png = decodePng(readFileSync(pngPath));
        expect([shot.width, shot.height]).toEqual([png.width, png.height]);
        let differing = 0;
        let total = 0;
        for (let y = 0; y < png.height; y++) {
          for (let x = 0; x < png.width; x++) {
            const a = shot.at(x, y);
            const b = png.at(x, y);
            const d = Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
            total += d;
            if (d > 64) differing++;
          }
        }
        const share = differing / (png.width * png.height);
        // Anti-aliasing of text and edges differs between the two renderers: a few percent of the
        // pixels at most; a missing layer, a shifted axis or another font moves far more.
        expect(share).toBeLessThan(0.015);
        expect(total / (png.width * png.height * 255)).toBeLessThan(0.008);
      } finally {
        await page.close();
      }
    },
    120_000,
  );
});
