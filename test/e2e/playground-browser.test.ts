/**
 * The playground in a real browser: Debian's Chromium (/usr/bin/chromium,
 * installed by .ci/run) driven by playwright-core, on the lesson's data.
 * A weight slider moved with the keyboard gives the same z, accuracy and log
 * loss as `neuron eval` and `neuron metrics` with those weights; "train"
 * lowers the loss; "save" writes a file that eval scores as the page did.
 * A screenshot goes to test/artifacts/playground.png. Without Chromium the
 * tests skip and say why.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, noChromium } from '../support/chromium.js';
import { fixture, ROOT, runBin } from '../support/helpers.js';
import { type RunningPlayground, startPlayground } from '../support/playground.js';

const why = noChromium;
if (why !== undefined) console.warn(`skipping the playground browser tests: ${why}`);

const dir = mkdtempSync(join(tmpdir(), 'neuron-playground-browser-'));
const profile = mkdtempSync(join(tmpdir(), 'neuron-chromium-profile-'));
const artifacts = join(ROOT, 'test', 'artifacts');
const data = fixture('obesity.csv');

/** The z of every row in the table, exactly as the page computed them. */
async function tableZ(page: Page): Promise<string[]> {
  return page.locator('#rows tbody td.z').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-value') ?? ''));
}

async function metric(page: Page, key: string): Promise<string> {
  return (await page.locator(`[data-metric="${key}"]`).getAttribute('data-value')) ?? '';
}

/** eval's z column for a weights file. */
function evalZ(weights: string): string[] {
  const run = runBin(['eval', data, '-w', weights, '--format', 'csv']);
  expect(run.code).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] as string);
}

/** A number as vega writes an axis label ("−1.5", "0.10"). */
const labelNumber = (text: string) => Number(text.replace('−', '-').replace(/,/g, ''));

/** The pixel-to-data map of one axis of the boundary picture, from its first and last tick. */
async function axisMap(page: Page, which: 'X' | 'Y'): Promise<(px: number) => number> {
  const axis = page.locator(`#boundary-picture g.role-axis[aria-label^="${which}-axis"]`);
  const ticks = await axis.locator('g.role-axis-tick line').evaluateAll((lines) => lines.map((line) => line.getAttribute('transform') ?? ''));
  const labels = await axis.locator('g.role-axis-label text').allTextContents();
  const at = (transform: string) => {
    const [x, y] = (/translate\(([-\d.e]+),([-\d.e]+)\)/.exec(transform) ?? []).slice(1).map(Number) as [number, number];
    return which === 'X' ? x : y;
  };
  const [p0, p1] = [at(ticks[0] as string), at(ticks[ticks.length - 1] as string)];
  const [v0, v1] = [labelNumber(labels[0] as string), labelNumber(labels[labels.length - 1] as string)];
  return (px) => v0 + ((px - p0) * (v1 - v0)) / (p1 - p0);
}

/** The boundary line as drawn (its SVG path), in the data's units. */
async function drawnLine(page: Page): Promise<[number, number][]> {
  const d = (await page.locator('#boundary-picture g.boundary_marks path').first().getAttribute('d')) ?? '';
  const points = [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  const x = await axisMap(page, 'X');
  const y = await axisMap(page, 'Y');
  return points.map(([px, py]) => [x(px), y(py)]);
}

/** Waits until the pictures show these weights and bias. */
async function picturesShow(page: Page, weights: readonly number[], bias: number): Promise<void> {
  const wanted = JSON.stringify([...weights, bias]);
  const figure = page.locator('#boundary-picture');
  for (let i = 0; i < 400 && (await figure.getAttribute('data-drawn')) !== wanted; i++) await page.waitForTimeout(25);
  expect(await figure.getAttribute('data-drawn')).toBe(wanted);
}

describe.skipIf(why !== undefined)('neuron playground in Chromium', () => {
  let browser: BrowserContext;
  let playground: RunningPlayground;
  let page: Page;
  const start = join(dir, 'start.json');

  beforeAll(async () => {
    copyFileSync(fixture('obesity.weights.json'), start);
    playground = await startPlayground([data, '-w', start, '--label', 'Condition', '--save-dir', dir]);
    browser = await launchChromium(profile, { width: 1280, height: 800 });
    page = await browser.newPage();
    // The pictures in SVG rather than canvas, so that the drawn line and points can be read back.
    await page.addInitScript("globalThis.neuronPlaygroundRenderer = 'svg'");
    await page.goto(playground.url);
    await page.locator('#rows tbody td.z[data-value]').first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('enters by the printed URL and leaves the token out of the address bar', () => {
    expect(page.url()).toBe(`http://127.0.0.1:${playground.port}/`);
  });

  it('runs no inline script (the CSP): one added to the page does nothing', async () => {
    await page.addScriptTag({ content: 'document.body.setAttribute("data-inline", "ran")' }).catch(() => undefined);
    expect(await page.locator('body').getAttribute('data-inline')).toBeNull();
    // The page's own script ran: the table is filled.
    expect(await page.locator('#rows tbody tr').count()).toBe(14);
  });

  it('a weight moved with the keyboard: z, accuracy and log loss as eval and metrics give them', async () => {
    const slider = page.getByLabel('w2 · Weight (in kgs)', { exact: true });
    await slider.focus();
    for (let i = 0; i < 3; i++) await slider.press('ArrowLeft');
    await slider.press('PageDown');
    const w2 = Number(await page.locator('#w-1-value').inputValue());
    expect(w2).toBeLessThan(0.1);
    const weights = join(dir, 'moved.json');
    const model = JSON.parse(readFileSync(fixture('obesity.weights.json'), 'utf8'));
    writeFileSync(weights, JSON.stringify({ ...model, weights: [-1.5, w2] }));

    const z = await tableZ(page);
    expect(z).toEqual(evalZ(weights));
    // The tutorial's row (height 4 ft, weight 80 kg), shown to four decimals and exact in data-value.
    // The tutorial's row, 4 ft and 80 kg: z = b + w1·4 + w2·80, summed in that order as eval sums it.
    expect(z[0]).toBe(String(0 + -1.5 * 4 + w2 * 80));
    const metrics = runBin(['metrics', data, '-w', weights, '--label', 'Condition', '--format', 'json']);
    const expected = JSON.parse(metrics.stdout) as { accuracy: number; log_loss: number; confusion_matrix: { matrix: number[][] } };
    expect(Number(await metric(page, 'accuracy'))).toBe(expected.accuracy);
    expect(Number(await metric(page, 'log-loss'))).toBe(expected.log_loss);
    expect(expected.accuracy).toBeLessThan(1); // the move is big enough to misclassify rows: the figures moved
    const matrix = await page.locator('table.confusion td').allTextContents();
    expect(matrix.map(Number)).toEqual(expected.confusion_matrix.matrix.flat());

    const explained = runBin(['explain', data, '-w', weights, '--label', 'Condition', '--no-plot']);
    expect(await page.locator('#explain').textContent()).toBe(explained.stdout);

    // The drawn boundary: both ends of the line, read back through the axes' ticks, have z = 0
    // (to the drawing's precision: a pixel is about 1/300 of an axis).
    await picturesShow(page, [-1.5, w2], 0);
    const line = await drawnLine(page);
    expect(line).toHaveLength(2);
    const spanZ = 1.5 * (6.2 - 4) + Math.abs(w2) * (120 - 45);
    for (const [x, y] of line) expect(Math.abs(-1.5 * x + w2 * y + 0)).toBeLessThan(0.01 * spanZ);
    // The line's equation is drawn whole, inside the plot (it once ran past the edge and was cut off).
    const frame = await page.locator('#boundary-picture g.role-frame.root > g > path.background').boundingBox();
    const label = await page.locator('#boundary-picture g.equation_marks text').boundingBox();
    expect(frame).not.toBeNull();
    expect(label).not.toBeNull();
    if (frame !== null && label !== null) {
      expect(label.x).toBeGreaterThanOrEqual(frame.x);
      expect(label.y).toBeGreaterThanOrEqual(frame.y);
      expect(label.x + label.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(label.y + label.height).toBeLessThanOrEqual(frame.y + frame.height);
    }
    // In two lines here, split before the constant term.
    expect(await page.locator('#boundary-picture g.equation_marks text tspan').allTextContents()).toEqual([`-1.5·x + ${w2}·y`, '+ 0 = 0']);
    // One point per row on each picture.
    expect(await page.locator('#boundary-picture g.rows_marks path').count()).toBe(14);
    expect(await page.locator('#activation-picture g.rows_marks path').count()).toBe(14);
  }, 60_000);

  it('the row under the cursor is highlighted on the sigmoid by the view kept, not a new one', async () => {
    const embeds = await page.locator('#pictures').getAttribute('data-embeds');
    await page.locator('#rows tbody tr[data-row="7"]').hover();
    const figure = page.locator('#activation-picture');
    for (let i = 0; i < 400 && (await figure.getAttribute('data-drawn-row')) !== '7'; i++) await page.waitForTimeout(25);
    expect(await figure.getAttribute('data-drawn-row')).toBe('7');
    expect(await page.locator('#activation-picture g.highlight_layer_1_marks text').textContent()).toBe('row 7');
    expect(await page.locator('#pictures').getAttribute('data-embeds')).toBe(embeds);
    // Back to the tutorial's row, as the next test expects.
    await page.locator('#rows tbody tr[data-row="1"]').hover();
  });

  it('"train" lowers the loss, and "save" writes what eval then scores as the page does', async () => {
    await page.getByRole('button', { name: 'train' }).click();
    // Polled from here: the page's CSP refuses a string of script (waitForFunction's way).
    const chart = page.locator('.loss-chart');
    for (let i = 0; i < 600 && Number(await chart.getAttribute('data-points')) < 10; i++) await page.waitForTimeout(50);
    await page.getByRole('button', { name: 'stop' }).click();
    const first = Number(await page.locator('.loss-chart').getAttribute('data-first'));
    const last = Number(await page.locator('.loss-chart').getAttribute('data-last'));
    expect(last).toBeLessThan(first);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'playground.png') });

    const z = await tableZ(page);
    // Cancel the replacement: a new file in --save-dir; the -w file stays as it was.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'save' }).click();
    await page.locator('#status', { hasText: 'saved to' }).waitFor();
    const made = join(dir, 'playground-1.weights.json');
    expect(await page.locator('#status').textContent()).toBe(`saved to ${made}`);
    expect(readFileSync(start, 'utf8')).toBe(readFileSync(fixture('obesity.weights.json'), 'utf8'));
    expect(evalZ(made)).toEqual(z);
    expect(JSON.parse(readFileSync(made, 'utf8')).note).toMatch(/^saved by neuron playground on .*obesity\.csv, after \d+ epochs of gradient descent$/);

    // Accept it: the -w file is replaced, with the same weights.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'save' }).click();
    await page.locator('#status', { hasText: `saved to ${start}` }).waitFor();
    expect(readFileSync(start, 'utf8')).toBe(readFileSync(made, 'utf8'));

    // The save folder goes away: the page says why, and keeps its weights.
    rmSync(dir, { recursive: true, force: true });
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'save' }).click();
    await page.locator('#status', { hasText: 'not saved' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe(
      `not saved: ${made}: the directory "${dir}" does not exist (the output) — create it first (mkdir -p ${dir}), or check the path`,
    );
    expect(await tableZ(page)).toEqual(z);
  }, 60_000);
});
