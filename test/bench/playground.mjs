#!/usr/bin/env node
/**
 * The playground's redraw time, in the real browser (Debian's Chromium via
 * playwright-core, as the browser tests drive it): a weight slider moved
 * with the keyboard, one step at a time, and for each step the time from the
 * change (the slider's input handler) to both charts' views having run, as
 * the page records it (#pictures data-redraw-ms). On the lesson's table (14
 * rows) and on fixtures/obesity-200.csv. Printed, never asserted.
 *   node test/bench/playground.mjs [--moves N]   (default 30, after 5 not counted)
 * Run by `npm run bench` (after the build), or alone after `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'bin', 'neuron.js');
const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);
const at = args.indexOf('--moves');
const MOVES = at === -1 ? 30 : Number(args[at + 1]);
const WARM_UP = 5;

/** Starts `neuron playground` and resolves with its URL and a stop function. */
function startPlayground(playgroundArgs) {
  const child = spawn(process.execPath, [bin, 'playground', ...playgroundArgs], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(stderr)?.[0];
      if (url !== undefined) resolve({ url, stop: () => new Promise((done) => child.once('exit', done).kill('SIGINT')) });
    });
    child.once('exit', (code) => reject(new Error(`playground exited ${code}: ${stderr}`)));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Moves the second weight's slider MOVES + WARM_UP times (left, then back right) and returns the redraw times counted. */
async function measure(browser, playgroundArgs) {
  const playground = await startPlayground(playgroundArgs);
  const page = await browser.newPage();
  try {
    await page.goto(playground.url);
    const drawn = page.locator('#activation-picture');
    await page.locator('#activation-picture[data-drawn]').waitFor({ state: 'attached' });
    const slider = page.locator('#w-1');
    await slider.focus();
    const times = [];
    const total = MOVES + WARM_UP;
    for (let i = 0; i < total; i++) {
      const before = await drawn.getAttribute('data-drawn');
      await slider.press(i < total / 2 ? 'ArrowLeft' : 'ArrowRight');
      for (let wait = 0; wait < 2000 && (await drawn.getAttribute('data-drawn')) === before; wait++) await page.waitForTimeout(5);
      const ms = Number(await page.locator('#pictures').getAttribute('data-redraw-ms'));
      if (i >= WARM_UP) times.push(ms);
    }
    const embeds = await page.locator('#pictures').getAttribute('data-embeds');
    return { times, embeds: embeds === null ? undefined : Number(embeds) };
  } finally {
    await page.close();
    await playground.stop();
  }
}

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: the playground's redraw (${CHROMIUM} is not installed)`);
} else {
  const profile = mkdtempSync(join(tmpdir(), 'neuron-bench-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const cases = [
      ["the lesson's table (14 rows, 2 inputs), -w fixtures/obesity.weights.json", ['-w', join(root, 'fixtures', 'obesity.weights.json')]],
      ['fixtures/obesity-200.csv (200 rows, 3 inputs), --seed 1', [join(root, 'fixtures', 'obesity-200.csv'), '--label', 'Condition', '--seed', '1']],
    ];
    console.log('');
    console.log(
      `| playground: a weight slider moved with the keyboard, Chromium, 1280 x 800 | redraw ms, median of ${MOVES} moves | min | max | fresh embeds |`,
    );
    console.log('|---|---|---|---|---|');
    for (const [name, playgroundArgs] of cases) {
      const { times, embeds } = await measure(browser, playgroundArgs);
      const fmt = (x) => x.toFixed(1);
      console.log(`| ${name} | ${fmt(median(times))} | ${fmt(Math.min(...times))} | ${fmt(Math.max(...times))} | ${embeds ?? 'n/a'} |`);
    }
    console.log('(goal: well under 100 ms for 60 rows; the time from the slider input to both charts having run, as the page records it)');
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
